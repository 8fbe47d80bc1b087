"""Billingrails' invoice arithmetic and lifecycle rules: pure functions, no I/O, no clock.

Every amount is an integer in the currency's minor unit (cents, yen, fils), on the wire and
here. Python integers are exact at any size, so the arithmetic is plain integer arithmetic:
no rounding step exists, and ``float`` is refused at the door (``minor``) rather than
tolerated. ``Decimal`` appears only where minor units become major units for people
(``major_units``), through ``money.minor_units``.

* item ``subtotal_amount`` = ``total_amount`` = ``quantity x unit_amount``;
* invoice ``subtotal_amount`` = sum of item totals; ``total_amount`` = subtotal less
  ``credit_amount``, never below zero; ``outstanding_amount`` = total less ``paid_amount``.

The stored invoice keeps its running ``subtotal_amount`` and ``item_count``, so adding an item
adds one total instead of re-reading every item; integer sums are exact, so this equals a
recompute from the items (``invoice_totals``), which the tests check.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.money import minor_units
from .errors import StateError

MAX_AMOUNT = 2**63 - 1
"""The largest amount a signed 64-bit column (a billing backend's bigint) holds."""
MAX_ITEMS = 10_000
"""Items per invoice (creation takes at most 50; the rest arrive one by one): a sandbox bound
(undocumented by the vendor) that keeps one invoice's response below a few megabytes."""
STATUSES = frozenset({
    "pending", "draft", "issued", "overdue", "paid", "partially_paid", "refunded",
    "partially_refunded", "voided", "canceled",
})
"""Every invoice status Billingrails documents (fixtures may seed any of them)."""
EDITABLE_STATUSES = frozenset({"draft"})
"""Only drafts take items ("Draft: you can add or remove items" in Billingrails' guide)."""


def minor(value: object, field: str = "amount") -> int:
    """An amount as an exact int; floats (even 1.0) and bools are refused, never coerced."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an integer in minor units, got {value!r}")
    return value


def item_total(quantity: int, unit_amount: int) -> int:
    """``quantity x unit_amount``, exact."""
    return minor(quantity, "quantity") * minor(unit_amount, "unit_amount")


def invoice_totals(items: list[dict], credit_amount: int, paid_amount: int) -> dict:
    """Every amount of an invoice, recomputed from its items, credit and payments."""
    subtotal = sum(item_total(i["quantity"], i["unit_amount"]) for i in items)
    return totals(subtotal, credit_amount, paid_amount)


def totals(subtotal: int, credit_amount: int, paid_amount: int) -> dict:
    """Every amount of an invoice from its items' subtotal, credit and payments."""
    total = max(subtotal - minor(credit_amount, "credit_amount"), 0)
    return {
        "credit_amount": credit_amount,
        "subtotal_amount": subtotal,
        "total_amount": total,
        "paid_amount": paid_amount,
        "outstanding_amount": total - minor(paid_amount, "paid_amount"),
    }


def requested_items(fields: dict) -> list[dict]:
    """Items of a create body: ``items`` (seed page), then ``line_items`` (newer docs' name)."""
    return [*(fields.get("items") or ()), *(fields.get("line_items") or ())]


def ensure_within_limits(item_count: int, subtotal: int, new_items: list[dict]) -> int:
    """The subtotal with ``new_items`` added; ``StateError`` (409) if the invoice would exceed
    ``MAX_ITEMS`` or ``MAX_AMOUNT``.

    The spec's bounds (quantity <= 10**9, unit_amount <= 10**8, 50 items at creation) keep a
    new invoice far below both limits; only growing a draft item by item can reach them.
    """
    if item_count + len(new_items) > MAX_ITEMS:
        raise StateError("invoice", f"An invoice holds at most {MAX_ITEMS} items.")
    subtotal += sum(item_total(i["quantity"], i["unit_amount"]) for i in new_items)
    if subtotal > MAX_AMOUNT:
        raise StateError("unit_amount", f"The invoice subtotal would exceed {MAX_AMOUNT}.")
    return subtotal


def ensure_accepts_items(invoice: dict) -> None:
    """Raise ``StateError`` (409) unless the invoice is a draft."""
    if invoice["status"] not in EDITABLE_STATUSES:
        raise StateError("invoice", f"Invoice {invoice['id']} is {invoice['status']}; "
                                    "items can only be added to draft invoices.")


def invoice_number(prefix: str, counter: int) -> str:
    """``INV-0001``: the account's prefix and a counter padded to four digits (grows past 9999)."""
    return f"{prefix}-{counter:04d}"


def major_units(amount: int, currency: str) -> Decimal:
    """An amount for people: 1050 USD -> Decimal('10.50'), 1050 JPY -> 1050, 1050 KWD -> 1.050."""
    return Decimal(minor(amount)).scaleb(-minor_units(currency))
