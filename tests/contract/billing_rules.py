"""Each provider's money rules, restated from its documentation over the wire format alone.

Deliberately not imported from ``providers/<name>/billing.py``: the check is an independent
oracle, so a bug in the sandbox's arithmetic cannot hide by being applied on both sides.
Only the ISO 4217 minor-unit table is shared (it is data, not a rule).

A rule set says which JSON objects are invoice bodies it can check (``is_invoice``) and lists
every way one disagrees with its own items (``mismatches``). Numbers arrive as ``Decimal``
(the body is parsed with ``parse_float=Decimal``) or ``int``; decimal-string APIs pass strings.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

from invoice_sandbox.core.money import minor_units


@dataclass(frozen=True)
class BillingRules:
    is_invoice: Callable[[dict], bool]
    mismatches: Callable[[dict], list[str]]


EXACT = Context(prec=1000, rounding=ROUND_HALF_UP)
"""Far more digits than any accepted input needs: sums and products are never rounded."""


def _exact(mismatches: Callable[[dict], list[str]]) -> Callable[[dict], list[str]]:
    @functools.wraps(mismatches)
    def computed_exactly(invoice: dict) -> list[str]:
        with localcontext(EXACT):
            return mismatches(invoice)

    return computed_exactly


def _differs(name: str, actual: object, expected: object) -> list[str]:
    return [] if actual == expected else [f"{name} is {actual}, expected {expected}"]


# -- Rebilly: doubles; half-up rounding to the currency's minor unit ----------------------------

def _round(value: Decimal, currency: str) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def _as_double(value: object) -> float:
    """Rebilly documents money as a double: the exact amount, as the double it serialises to."""
    return float(Decimal(value))


def _rebilly_is_invoice(body: dict) -> bool:
    return {"items", "currency", "subtotalAmount", "amount", "shippingAmount"} <= body.keys()


def _rebilly_mismatches(invoice: dict) -> list[str]:
    """An item's price = unitPrice x quantity - discountAmount, rounded half-up; subtotal =
    signed sum (credits negative) of each item's unitPrice x quantity, rounded; discount =
    signed sum of what each discount took off that rounded gross (so subtotal - discount is
    the signed sum of the prices); tax = signed sum of each item's rounded ``tax.amount``;
    amount = subtotal - discount + tax + shipping."""
    currency = invoice["currency"]
    subtotal = discount = tax = Decimal(0)
    problems = []
    for index, item in enumerate(invoice["items"]):
        sign = -1 if item.get("type") == "credit" else 1
        gross = Decimal(item["unitPrice"]) * Decimal(item["quantity"])
        item_discount = Decimal(item.get("discountAmount", 0))
        price = _round(gross - item_discount, currency)
        problems += _differs(f"items[{index}].price", _as_double(item["price"]), float(price))
        rounded = _round(gross, currency)
        subtotal += sign * rounded
        discount += sign * (rounded - price)
        tax += sign * _round(Decimal((item.get("tax") or {}).get("amount", 0)), currency)
    amount = subtotal - discount + tax + Decimal(invoice["shippingAmount"])
    for name, expected in (("subtotalAmount", subtotal), ("discountAmount", discount),
                           ("taxAmount", tax), ("amount", amount)):
        problems += _differs(name, _as_double(invoice[name]), float(expected))
    return problems


# -- Billingrails: integers in minor units, exact ----------------------------------------------

def _billingrails_is_invoice(body: dict) -> bool:
    return body.get("object") == "invoice" and {
        "items", "subtotal_amount", "total_amount", "credit_amount", "paid_amount",
        "outstanding_amount"} <= body.keys()


def _billingrails_mismatches(invoice: dict) -> list[str]:
    """item total = quantity x unit_amount; subtotal = sum of item totals; total = subtotal -
    credit_amount, never below zero; outstanding = total - paid_amount."""
    problems, subtotal = [], 0
    for index, item in enumerate(invoice["items"]):
        line = item["quantity"] * item["unit_amount"]
        problems += _differs(f"items[{index}].subtotal_amount", item["subtotal_amount"], line)
        problems += _differs(f"items[{index}].total_amount", item["total_amount"], line)
        subtotal += line
    total = max(subtotal - invoice["credit_amount"], 0)
    problems += _differs("subtotal_amount", invoice["subtotal_amount"], subtotal)
    problems += _differs("total_amount", invoice["total_amount"], total)
    problems += _differs("outstanding_amount", invoice["outstanding_amount"],
                         total - invoice["paid_amount"])
    return problems


# -- Line items: decimal strings, exact, never rounded -----------------------------------------

def _lineitems_is_invoice(body: dict) -> bool:
    return {"lineItems", "subtotal", "tax", "total", "amountPaid", "amountRemaining"} <= body.keys()


def _lineitems_mismatches(invoice: dict) -> list[str]:
    """totalPrice = quantity x unitPrice; subtotal = sum of totalPrice; total = subtotal + tax;
    amountRemaining = total - amountPaid; all exact (compared as numbers, not spellings)."""
    problems, subtotal = [], Decimal(0)
    for index, item in enumerate(invoice["lineItems"]):
        line = Decimal(item["quantity"]) * Decimal(item["unitPrice"])
        problems += _differs(f"lineItems[{index}].totalPrice", Decimal(item["totalPrice"]), line)
        subtotal += line
    total = subtotal + Decimal(invoice["tax"])
    problems += _differs("subtotal", Decimal(invoice["subtotal"]), subtotal)
    problems += _differs("total", Decimal(invoice["total"]), total)
    problems += _differs("amountRemaining", Decimal(invoice["amountRemaining"]),
                         total - Decimal(invoice["amountPaid"]))
    return problems


RULES: dict[str, BillingRules] = {
    "rebilly": BillingRules(_rebilly_is_invoice, _exact(_rebilly_mismatches)),
    "billingrails": BillingRules(_billingrails_is_invoice, _exact(_billingrails_mismatches)),
    "lineitems": BillingRules(_lineitems_is_invoice, _exact(_lineitems_mismatches)),
}
"""Providers the billing invariant knows; the check fails for any other provider."""
