"""Every documented status against every action, through HTTP: the invoice moves as the
table in lifecycle.py says, or the action is refused with the vendor's error (409; 422 for a
payment) and the invoice is unchanged. Each status is seeded by a fixture."""

from __future__ import annotations

import pytest

from invoice_sandbox.providers.rebilly import billing, lifecycle

from .conftest import KEY, ROOT, act, get, sale

ACTIONS = ("issue", "void", "abandon", "reissue", "recalculate", "pay")
SEEDED = {"id": "in_matrix", "customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
          "items": [{"type": "debit", "unitPrice": 100}]}
PAID_AMOUNT = {"partially-paid": 40, "paid": 100, "refunded": 100, "partially-refunded": 100,
               "disputed": 100}


def _expected(status: str, action: str) -> str | None:
    """The status after ``action`` per the table (None: refused)."""
    paid = PAID_AMOUNT.get(status, 0)
    invoice = {"status": status, "paidAmount": paid, "amountDue": 100 - paid}
    if action == "pay":  # the sandbox applies 10 of a new sale
        invoice = {**invoice, "paidAmount": paid + 10, "amountDue": 90 - paid}
    for row in lifecycle.TRANSITIONS:
        if (row.action == action and status in row.sources
                and lifecycle.condition_holds(row.when, invoice)):
            return row.target or ("unpaid" if status == "past-due" else status)
    return None


def _do(client, auth, action):
    if action == "pay":
        transaction = sale(client, auth, 10).json()
        return client.post(f"{ROOT}/invoices/in_matrix/transaction", headers=auth,
                           json={"transactionId": transaction["id"]})
    return act(client, auth, "in_matrix", action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", sorted(billing.STATUSES))
def test_every_status_and_action_moves_as_the_table_says_or_is_refused(
        client, auth, status, action):
    seeded = {**SEEDED, "status": status, "paidAmount": PAID_AMOUNT.get(status, 0)}
    loaded = client.post("/_sandbox/fixtures", params={"provider": "rebilly", "key": KEY},
                         json={"data": {"invoices": [seeded]}})
    assert loaded.status_code == 200, loaded.text
    before = get(client, auth, "in_matrix")
    assert before["status"] == status
    response = _do(client, auth, action)
    expected = _expected(status, action)
    if expected is None:
        refusal = lifecycle.REFUSAL_STATUS.get(action, 409)
        assert response.status_code == refusal, response.text
        assert f"status {status} cannot be" in response.text
        assert get(client, auth, "in_matrix") == before
    else:
        assert response.status_code in (200, 201), response.text
        shown = response.json()["status"]
        assert shown == expected or (shown == "past-due" and expected in lifecycle.OPEN)
        assert get(client, auth, "in_matrix") == response.json()
