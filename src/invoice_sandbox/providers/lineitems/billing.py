"""Line-items arithmetic and lifecycle rules: pure functions, no I/O, no clock, no float.

* A decimal input is a string in a bounded grammar (``DECIMAL_PATTERN``): at most 15 integer
  and 10 fraction digits, so every product and sum below fits ``money.EXACT`` (400 digits)
  without any rounding. Nothing is ever rounded: a line's ``totalPrice`` is
  ``quantity x unitPrice`` exactly, even below the currency's minor unit.
* ``subtotal`` is the sum of the lines' ``totalPrice``; ``total = subtotal + tax`` (``tax`` is
  an invoice-level amount given by the fixture, 0 when absent, never recomputed);
  ``amountRemaining = total - amountPaid``.
* Line items may only be added while the invoice is in ``EDITABLE_STATUSES``.

The stored invoice keeps its amounts; adding a line adds its ``totalPrice`` to the subtotal
(``line_added``) instead of re-reading every line. Sums are exact, so this equals a recompute
from the lines (``invoice_totals``), which the tests check.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from ...errors import Conflict
from ...core.money import EXACT, mul, total

DECIMAL_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]{1,10})?$"
"""Signed decimal strings; the spec's ``DecimalString.pattern`` states the same grammar."""
QUANTITY_PATTERN = r"^[0-9]{1,15}(\.[0-9]{1,10})?$"
"""Quantities are never negative (a credit is a negative ``unitPrice``)."""

_DECIMAL = re.compile(DECIMAL_PATTERN)
_QUANTITY = re.compile(QUANTITY_PATTERN)

STATUSES = frozenset({
    "draft", "upcoming", "pending_approval", "scheduled", "processing", "issuing", "issued",
    "overdue", "paid", "void", "canceled",
})
"""Every invoice status the vendor documents (fixtures may seed any of them)."""
EDITABLE_STATUSES = frozenset({"draft", "upcoming", "pending_approval"})
"""Statuses that still accept new line items (an assumption: see docs/fidelity.md)."""

AMOUNT_FIELDS = ("subtotal", "tax", "total", "amountPaid", "amountRemaining")


def parse_decimal(text: object, *, signed: bool = True) -> Decimal:
    """A Decimal from a string in the accepted grammar; ValueError for anything else.

    The spec already rejects bad requests; this guards the other way in (fixtures), so a
    number that could not arrive through the API cannot be seeded either.
    """
    grammar = _DECIMAL if signed else _QUANTITY
    if not isinstance(text, str) or not grammar.fullmatch(text):
        kind = "a decimal string" if signed else "a non-negative decimal string"
        raise ValueError(f"{text!r} is not {kind} matching {grammar.pattern}")
    return Decimal(text)


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """``quantity x unitPrice``, exact (at most 30 integer and 20 fraction digits)."""
    return mul(quantity, unit_price)


def line_item(item_id: str, fields: dict, invoice: dict, *, editable: bool) -> dict:
    """A stored line item: Decimals for numbers, the invoice's billing period copied on."""
    quantity, unit_price = fields["quantity"], fields["unitPrice"]
    return {
        "id": item_id,
        "description": fields["description"],
        "billingPeriodStart": invoice["billingPeriodStart"],
        "billingPeriodEnd": invoice["billingPeriodEnd"],
        "quantity": quantity,
        "unitPrice": unit_price,
        "totalPrice": line_total(quantity, unit_price),
        "isEditable": editable,
        "productId": fields.get("productId"),
    }


def invoice_totals(line_items: list[dict], tax: Decimal, amount_paid: Decimal) -> dict:
    """Every amount of an invoice, recomputed from its line items.

    Plain ``+``/``-`` would use the thread's default context (28 digits) and silently round
    a 50-digit amount, so every operation goes through ``money``'s exact context.
    """
    return totals(total(item["totalPrice"] for item in line_items), tax, amount_paid)


def totals(subtotal: Decimal, tax: Decimal, amount_paid: Decimal) -> dict:
    """Every amount of an invoice from its lines' subtotal, its tax and its payments."""
    grand_total = total((subtotal, tax))
    return {
        "subtotal": subtotal,
        "tax": tax,
        "total": grand_total,
        "amountPaid": amount_paid,
        "amountRemaining": EXACT.subtract(grand_total, amount_paid),
    }


def line_added(invoice: dict, line: dict) -> dict:
    """The invoice's amounts after one more line."""
    subtotal = total((invoice["subtotal"], line["totalPrice"]))
    return {**invoice, **totals(subtotal, invoice["tax"], invoice["amountPaid"])}


def ensure_editable(invoice: dict) -> None:
    """Raise ``Conflict`` unless line items may still be added to the invoice."""
    status = invoice["status"]
    if status not in EDITABLE_STATUSES:
        allowed = ", ".join(sorted(EDITABLE_STATUSES))
        raise Conflict(
            f"Invoice {invoice['id']} is {status}; line items can only be added to invoices "
            f"that are {allowed}."
        )


def period_label(start: datetime, end: datetime) -> str:
    """The vendor's human label: "Jan 1, 2024 - Jan 31, 2024" (UTC calendar dates)."""
    return f"{_short_date(start)} - {_short_date(end)}"


def period_description(start: datetime, end: datetime) -> str:
    """Default invoice description: "Invoice for period January 1, 2024 to January 31, 2024"."""
    return f"Invoice for period {_long_date(start)} to {_long_date(end)}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
"""English month names, independent of the process locale (``%b`` is not)."""


def _short_date(instant: datetime) -> str:
    return f"{_MONTHS[instant.month - 1][:3]} {instant.day}, {instant.year}"


def _long_date(instant: datetime) -> str:
    return f"{_MONTHS[instant.month - 1]} {instant.day}, {instant.year}"
