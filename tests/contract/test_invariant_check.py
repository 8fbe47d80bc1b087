"""The billing invariant check itself: it passes consistent invoices and fails broken ones,
and the contract suite fails on a broken total or an undocumented status code."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from schemathesis.core.failures import FailureGroup

from invoice_sandbox.providers.rebilly import billing as rebilly_billing
from invoice_sandbox.providers.rebilly.handlers import RebillyHandlers

from .billing_rules import RULES
from .harness import contract_app, load_contract
from .invariant import totals_problems

CONSISTENT = {
    "rebilly": [{
        "currency": "USD", "shippingAmount": 2, "subtotalAmount": 49.98, "discountAmount": 5,
        "taxAmount": 1.5, "amount": 48.48, "amountDue": 48.48,
        "items": [
            {"type": "debit", "unitPrice": 29.99, "quantity": 2, "discountAmount": 5,
             "price": 54.98, "tax": {"amount": 1.5}},
            {"type": "credit", "unitPrice": 10, "quantity": 1, "discountAmount": 0, "price": 10},
        ],
    }],
    "billingrails": {"invoice": {
        "object": "invoice", "subtotal_amount": 3000, "credit_amount": 500,
        "total_amount": 2500, "paid_amount": 1000, "outstanding_amount": 1500,
        "items": [{"quantity": 2, "unit_amount": 1500, "subtotal_amount": 3000,
                   "total_amount": 3000}],
    }},
    "lineitems": {
        "subtotal": "-2.99975", "tax": "1", "total": "-1.99975", "amountPaid": "0",
        "amountRemaining": "-1.99975",
        "lineItems": [{"quantity": "2.5", "unitPrice": "0.0001", "totalPrice": "0.00025"},
                      {"quantity": "1", "unitPrice": "-3", "totalPrice": "-3"}],
    },
}
BROKEN = {  # provider -> (path to a total, a wrong value)
    "rebilly": ((0, "amount"), 48.49),
    "billingrails": (("invoice", "total_amount"), 2501),
    "lineitems": (("lineItems", 0, "totalPrice"), "0.0002"),
}


def _wire(body) -> bytes:
    return json.dumps(body).encode()


def _broken(provider: str):
    (*parents, leaf), value = BROKEN[provider]
    body = copy.deepcopy(CONSISTENT[provider])
    target = body
    for key in parents:
        target = target[key]
    target[leaf] = value
    return body


@pytest.mark.parametrize("provider", sorted(CONSISTENT))
def test_invoice_whose_totals_match_its_items_passes(provider):
    assert totals_problems(provider, _wire(CONSISTENT[provider])) == []


@pytest.mark.parametrize("provider", sorted(BROKEN))
def test_invoice_with_a_broken_total_is_reported(provider):
    problems = totals_problems(provider, _wire(_broken(provider)))
    assert len(problems) >= 1 and str(BROKEN[provider][0][-1]) in problems[0]


def test_billing_invariant_knows_the_provider(provider_name):
    assert provider_name in RULES, (f"no billing rules for {provider_name!r}: restate its "
                                    "money rules in tests/contract/billing_rules.py")


NEW_INVOICE = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
               "items": [{"type": "debit", "unitPrice": 29.99, "quantity": 3}]}


def _create_invoice_and_validate(body: dict = NEW_INVOICE) -> None:
    contract = load_contract(contract_app("rebilly"), "rebilly")
    case = contract.schema["/invoices"]["POST"].Case(body=body)
    case.call_and_validate(headers=contract.auth_headers())


def _failure_titles(excinfo) -> set[str]:
    return {failure.title for failure in excinfo.value.exceptions}


def test_contract_passes_a_correct_rebilly_invoice():
    _create_invoice_and_validate()


def test_amounts_of_wildly_different_magnitudes_add_up_exactly_before_rounding():
    """Found by the deep run: 856168970123.655 + -4.3e-139 rounds to .65, not .66."""
    items = [{"type": "debit", "unitPrice": 1, "discountAmount": 856168970123.655},
             {"type": "debit", "unitPrice": 1, "discountAmount": -4.3001053775566614e-139}]
    _create_invoice_and_validate({**NEW_INVOICE, "currency": "EUR", "items": items})


def test_contract_fails_when_the_sandbox_breaks_a_total(monkeypatch):
    computed = rebilly_billing.totals

    def off_by_a_cent(*args, **kwargs):
        totals = computed(*args, **kwargs)
        return {**totals, "amount": totals["amount"] + Decimal("0.01")}

    monkeypatch.setattr(rebilly_billing, "totals", off_by_a_cent)
    with pytest.raises(FailureGroup) as failed:
        _create_invoice_and_validate()
    assert _failure_titles(failed) == {"Custom check failed: `invoice_totals_match_items`"}


def test_contract_fails_on_an_undocumented_status_code(monkeypatch):
    created = RebillyHandlers.post_invoice

    def teapot(self, tenant, api_root, body):
        response, _, headers = created(self, tenant, api_root, body)
        return response, 418, headers

    monkeypatch.setattr(RebillyHandlers, "post_invoice", teapot)
    with pytest.raises(FailureGroup) as failed:
        _create_invoice_and_validate()
    assert _failure_titles(failed) == {"Undocumented status code"}
