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

from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

from ...core.clock import parse_instant
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


class Transition(NamedTuple):
    source: str
    action: str
    target: str
    stamps: tuple[str, ...]
    """Invoice timestamps the transition sets to the request's instant."""


TRANSITIONS: tuple[Transition, ...] = tuple(Transition(*row) for row in (
    # from             action     to                timestamps set
    ("draft",          "update",  "draft",          ()),
    ("draft",          "add_item", "draft",         ()),   # "Draft: you can add or remove items"
    ("draft",          "issue",   "issued",         ("issued_at",)),
    ("issued",         "pay",     "paid",           ()),
    ("partially_paid", "pay",     "paid",           ()),
    ("overdue",        "pay",     "paid",           ()),
    # time-based: never stored, derived on every read once the clock passes due_at
    ("issued",         "due",     "overdue",        ()),
    ("partially_paid", "due",     "overdue",        ()),
))
"""Billingrails' invoice lifecycle, the one place it is written down.

A payment (``POST /payments``) carries no amount in Billingrails' reference: it settles the
whole outstanding amount, so ``pay`` always ends in ``paid`` (``partially_paid`` invoices come
from fixtures). ``due`` is not an action anyone sends: ``status_at`` applies it when the clock
has passed ``due_at``. No void or cancel route is documented, so ``voided`` and ``canceled``
(like ``pending``, ``refunded``, ``failed``...) are reachable only through fixtures, and every
action on them is refused. Any (status, action) pair missing here is a 409."""

DERIVED_STATUSES = frozenset({"overdue"})
"""Statuses computed from the clock on read; never stored, never seeded."""
_DUE = {t.source: t.target for t in TRANSITIONS if t.action == "due"}
_WORDS = {"update": "can be updated", "add_item": "take items", "issue": "can be issued",
          "pay": "can be paid"}


def due_instant(due_at: str) -> datetime | None:
    """``due_at`` as an instant; None for the few RFC 3339 values Python cannot hold in UTC
    (year 0001 shifted before year 1, or 9999 shifted past it)."""
    try:
        return parse_instant(due_at)
    except (ValueError, OverflowError):
        return None


def is_past_due(due_at: str, now: datetime) -> bool:
    """Whether ``now`` is after ``due_at`` (an unrepresentable year-1 due time is past)."""
    due = due_instant(due_at)
    if due is None:
        return due_at.startswith(("0000", "0001"))
    return now > due


def status_at(invoice: dict, now: datetime) -> str:
    """The status a client sees at ``now``: the stored one, or ``overdue`` once an open
    invoice's ``due_at`` has passed (the ``due`` rows of ``TRANSITIONS``)."""
    status = invoice["status"]
    if status in _DUE and is_past_due(invoice["due_at"], now):
        return _DUE[status]
    return status


def transition(invoice: dict, action: str, now: datetime) -> Transition:
    """The row of ``TRANSITIONS`` for ``action`` on ``invoice`` as seen at ``now``;
    ``StateError`` (409, field ``invoice``) when the table has none."""
    status = status_at(invoice, now)
    for row in TRANSITIONS:
        if row.source == status and row.action == action and action != "due":
            return row
    allowed = sorted({t.source for t in TRANSITIONS if t.action == action})
    raise StateError("invoice", f"Invoice {invoice['id']} is {status}; only "
                                f"{' or '.join(allowed)} invoices {_WORDS[action]}.")


def apply(invoice: dict, row: Transition, instant: str) -> dict:
    """The stored invoice after ``row``: its new status and timestamps (``instant``)."""
    return {**invoice, "status": row.target, **{stamp: instant for stamp in row.stamps}}


def settle(invoice: dict) -> int:
    """The amount a payment takes: everything outstanding (Billingrails' payment has no
    amount field)."""
    amounts = totals(invoice["subtotal_amount"], invoice["credit_amount"],
                     invoice["paid_amount"])
    return amounts["outstanding_amount"]


def ensure_payer(invoice: dict, account_id: str) -> None:
    """A payment's ``account_id`` must be the invoice's account (409 otherwise)."""
    if invoice["account_id"] != account_id:
        raise StateError("account_id", f"Invoice {invoice['id']} does not belong to "
                                       f"account {account_id}.")


def waits_for_link(payment: dict) -> bool:
    """An online payment through an integration alone is paid later, on a payment link;
    one with a ``payment_method_id`` is charged at once (the sandbox charges nothing)."""
    return payment["mode"] == "online" and not payment.get("payment_method_id")


def check_seeded_amounts(status: str, total: int, paid: int) -> None:
    """A fixture's ``paid_amount`` must fit its status: all of the total when ``paid``,
    some but not all when ``partially_paid``, at most the total otherwise."""
    if paid > total:
        raise ValueError("paid_amount exceeds total")
    if status == "paid" and paid != total:
        raise ValueError("a paid invoice's paid_amount must equal its total")
    if status == "partially_paid" and not 0 < paid < total:
        raise ValueError("a partially_paid invoice's paid_amount must be between 0 and its total")


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


def matches(search: str | None, *values: object) -> bool:
    """``search`` (case-insensitive) occurs in one of ``values``; no search matches all."""
    if not search:
        return True
    needle = search.casefold()
    return any(needle in str(value).casefold() for value in values if value is not None)


def page_of(records: list, page: int, per_page: int) -> list:
    """Page ``page`` (from 1) of ``per_page`` records; past the end, an empty page."""
    start = (page - 1) * per_page
    return records[start:start + per_page]


def invoice_number(prefix: str, counter: int) -> str:
    """``INV-0001``: the account's prefix and a counter padded to four digits (grows past 9999)."""
    return f"{prefix}-{counter:04d}"


def major_units(amount: int, currency: str) -> Decimal:
    """An amount for people: 1050 USD -> Decimal('10.50'), 1050 JPY -> 1050, 1050 KWD -> 1.050."""
    return Decimal(minor(amount)).scaleb(-minor_units(currency))
