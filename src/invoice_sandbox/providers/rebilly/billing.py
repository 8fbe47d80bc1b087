"""Rebilly's invoice arithmetic and lifecycle rules: pure functions, no I/O, no clock.

* An item's ``price`` is ``unitPrice x quantity - discountAmount``, rounded half-up to the
  invoice currency's minor unit. Credits keep a positive price and subtract on the invoice.
* The invoice's ``subtotalAmount`` is the signed sum of items' gross amounts
  (``unitPrice x quantity``), ``discountAmount`` the signed sum of their discounts,
  ``taxAmount`` the signed sum of their ``tax.amount``; ``amount = subtotal - discount + tax +
  shipping`` and ``amountDue = amount - paidAmount``.
"""

from __future__ import annotations

from decimal import Decimal

from ...errors import Conflict
from ...money import mul, round_currency, to_decimal, total

EDITABLE_STATUSES = frozenset({"draft", "quotation", "unpaid", "past-due"})
"""Statuses in which items may be added, changed or removed (an assumption: see fidelity.md)."""

ITEM_FIELDS = (
    "type", "description", "unitPrice", "quantity", "productId", "planId", "subscriptionId",
    "discountAmount", "periodStartTime", "periodEndTime", "periodNumber", "tax",
)
_MONEY_FIELDS = ("unitPrice", "discountAmount")


def ensure_items_editable(invoice: dict) -> None:
    if invoice["status"] not in EDITABLE_STATUSES:
        raise Conflict(
            f"Invoice items cannot be changed while the invoice is {invoice['status']}."
        )


def item_from_request(fields: dict, currency: str) -> dict:
    """The stored form of an item's writable fields: Decimals for money, defaults filled."""
    item = {name: fields[name] for name in ITEM_FIELDS if name in fields}
    for name in _MONEY_FIELDS:
        if name in item:
            item[name] = to_decimal(item[name])
    item.setdefault("quantity", 1)
    item.setdefault("discountAmount", Decimal(0))
    if "tax" in item and "amount" in item["tax"]:
        item["tax"] = {**item["tax"], "amount": to_decimal(item["tax"]["amount"])}
    item["price"] = item_price(item, currency)
    return item


def gross(item: dict) -> Decimal:
    return mul(item["unitPrice"], Decimal(item["quantity"]))


def item_price(item: dict, currency: str) -> Decimal:
    return round_currency(gross(item) - item["discountAmount"], currency)


def _sign(item: dict) -> int:
    return -1 if item["type"] == "credit" else 1


def _tax(item: dict) -> Decimal:
    return to_decimal((item.get("tax") or {}).get("amount", 0))


def invoice_totals(items: list[dict], currency: str, paid: Decimal, shipping: Decimal) -> dict:
    """Every amount of an invoice, recomputed from its items."""
    subtotal = round_currency(total(_sign(i) * gross(i) for i in items), currency)
    discount = round_currency(total(_sign(i) * i["discountAmount"] for i in items), currency)
    tax = round_currency(total(_sign(i) * _tax(i) for i in items), currency)
    amount = subtotal - discount + tax + shipping
    return {
        "subtotalAmount": subtotal,
        "discountAmount": discount,
        "taxAmount": tax,
        "shippingAmount": shipping,
        "amount": amount,
        "amountDue": amount - paid,
        "paidAmount": paid,
    }


def with_totals(invoice: dict) -> dict:
    """The invoice with its amounts recomputed from its items."""
    totals = invoice_totals(
        invoice["items"], invoice["currency"], invoice["paidAmount"], invoice["shippingAmount"]
    )
    return {**invoice, **totals}
