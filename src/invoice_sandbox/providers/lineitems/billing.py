"""Line-items arithmetic and lifecycle rules: pure functions, no I/O, no clock, no float.

* A decimal input is a string in a bounded grammar (``DECIMAL_PATTERN``): at most 15 integer
  and 10 fraction digits, so every product and sum below fits ``money.EXACT`` (400 digits)
  without any rounding. Nothing is ever rounded: a line's ``totalPrice`` is
  ``quantity x unitPrice`` exactly, even below the currency's minor unit.
* ``subtotal`` is the sum of the lines' ``totalPrice``; ``total = subtotal + tax`` (``tax`` is
  an invoice-level amount given by the fixture, 0 when absent, never recomputed);
  ``amountRemaining = total - amountPaid``.
* Line items may only be added while the invoice is in ``EDITABLE_STATUSES``.
* The lifecycle is two tables: ``TRANSITIONS`` (what an API action does to a status, and which
  timestamps it sets) and ``TIME_TRANSITIONS`` (what the clock does: a scheduled invoice is
  issued at its ``issueDate``, an issued one is overdue once its ``dueDate`` has passed). Time
  transitions are never stored: ``as_of(invoice, now)`` derives them on every read.

The stored invoice keeps its amounts; adding a line adds its ``totalPrice`` to the subtotal
(``line_added``) instead of re-reading every line. Sums are exact, so this equals a recompute
from the lines (``invoice_totals``), which the tests check.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple

from ...core.clock import iso_micros, parse_instant
from ...core.money import EXACT, mul, plain, total
from ...errors import Conflict

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


def ensure_editable(invoice: dict, now: datetime) -> None:
    """Raise ``Conflict`` unless line items may still be added to the invoice at ``now``."""
    status = status_as_of(invoice, now)
    if status not in EDITABLE_STATUSES:
        allowed = ", ".join(sorted(EDITABLE_STATUSES))
        raise Conflict(
            f"Invoice {invoice['id']} is {status}; line items can only be added to invoices "
            f"that are {allowed}."
        )


# -- lifecycle ---------------------------------------------------------------------------------

class Transition(NamedTuple):
    source: str
    action: str
    target: str
    sets: tuple[str, ...]
    """Timestamps the action sets (``updatedAt`` always moves too)."""


TRANSITIONS = (
    # from              action          to          timestamps set
    Transition("draft", "issue", "issued", ("issueDate", "dueDate")),
    Transition("upcoming", "issue", "issued", ("issueDate", "dueDate")),
    Transition("pending_approval", "issue", "issued", ("issueDate", "dueDate")),
    Transition("scheduled", "issue", "issued", ("issueDate", "dueDate")),
    Transition("issued", "pay", "paid", ("paidDate",)),
    Transition("overdue", "pay", "paid", ("paidDate",)),
    Transition("issued", "pay_part", "issued", ()),
    Transition("overdue", "pay_part", "overdue", ()),
    Transition("issued", "void", "void", ()),
    Transition("overdue", "void", "void", ()),
)
"""Every status change an API call makes; a (status, action) pair not listed is refused (422).
``issueDate`` is set to the moment of issuing; ``dueDate`` only when the invoice has none."""


class TimeTransition(NamedTuple):
    source: str
    target: str
    at: str
    """The stored timestamp that triggers the change."""
    inclusive: bool
    """True: at that instant already; False: only once it has passed."""


TIME_TRANSITIONS = (
    # from          to          when the sandbox clock reaches
    TimeTransition("scheduled", "issued", "issueDate", True),
    TimeTransition("issued", "overdue", "dueDate", False),
)
"""What the clock does, derived on read and never stored (applied in order, so a scheduled
invoice whose due date has also passed reads as overdue)."""

PAYMENT_TERMS = timedelta(days=30)
"""The vendor's default payment terms (Net 30): ``dueDate = issueDate + 30 days``."""
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


def status_as_of(invoice: dict, now: datetime) -> str:
    """The status a reader sees at ``now``: the stored one moved on by ``TIME_TRANSITIONS``."""
    status = invoice["status"]
    for rule in TIME_TRANSITIONS:
        when = invoice.get(rule.at)
        if status == rule.source and when is not None:
            instant = parse_instant(when)
            if instant < now or (rule.inclusive and instant == now):
                status = rule.target
    return status


def as_of(invoice: dict, now: datetime) -> dict:
    """The invoice as a reader sees it at ``now`` (only ``status`` can differ)."""
    status = status_as_of(invoice, now)
    return invoice if status == invoice["status"] else {**invoice, "status": status}


def transition(invoice: dict, action: str, now: datetime) -> Transition:
    """The row of ``TRANSITIONS`` for this action on the invoice as of ``now``, or ``Conflict``."""
    status = status_as_of(invoice, now)
    for row in TRANSITIONS:
        if row.source == status and row.action == action:
            return row
    allowed = sorted({row.source for row in TRANSITIONS if row.action == action})
    raise Conflict(f"Invoice {invoice['id']} is {status}; it can only be {_VERBS[action]} "
                   f"when it is {', '.join(allowed)}.")


_VERBS = {"issue": "issued", "pay": "marked as paid", "pay_part": "marked as paid",
          "void": "voided"}


def apply(invoice: dict, row: Transition, now: datetime, *,
          paid_date: datetime | None = None) -> dict:
    """The stored invoice after ``row``: its status and timestamps, ``updatedAt`` = now.

    ``paidDate`` is the payment's date when the caller gives one. A row that keeps a
    time-derived status (a partial payment on an overdue invoice) keeps
    the stored status, so the clock going back can still undo what the clock did."""
    stamp = iso_micros(now)
    status = invoice["status"] if row.target == row.source else row.target
    changed = {"status": status, "updatedAt": stamp}
    if "issueDate" in row.sets:
        changed["issueDate"] = stamp
    if "dueDate" in row.sets and invoice.get("dueDate") is None:
        changed["dueDate"] = iso_micros(due_date(now))
    if "paidDate" in row.sets:
        changed["paidDate"] = iso_micros(paid_date) if paid_date else stamp
    return {**invoice, **changed}


def due_date(issued: datetime) -> datetime:
    """``issued`` + the payment terms, held at the calendar's end (year 9999)."""
    return issued + PAYMENT_TERMS if _LATEST - issued > PAYMENT_TERMS else _LATEST


def status_at_creation(auto_issue: bool, issue_date: datetime | None, now: datetime) -> str:
    """A new one-off invoice: a ``draft``, or with ``autoIssue`` ``scheduled`` until its
    ``issueDate`` (``issued`` at once when that is now, past or not given)."""
    if not auto_issue:
        return "draft"
    return "scheduled" if issue_date is not None and issue_date > now else "issued"


def payment(invoice: dict, amount: Decimal | None, now: datetime) -> tuple[Transition, Decimal]:
    """The transition a payment makes and the amount applied (default: all that remains).

    Raises ``Conflict`` for a status that takes no payment or an amount above what remains;
    the amount's grammar and sign are the caller's (request validation) business."""
    row = transition(invoice, "pay", now)
    remaining = invoice["amountRemaining"]
    paid = remaining if amount is None else amount
    if remaining <= 0:  # a zero or credit total: there is nothing to mark as paid
        raise Conflict(f"Invoice {invoice['id']} has no amount remaining to be paid "
                       f"({plain(remaining)}).")
    if paid > remaining:
        raise Conflict(f"amountPaid {plain(paid)} exceeds the amount remaining on invoice "
                       f"{invoice['id']} ({plain(remaining)}).")
    if paid < remaining:
        row = transition(invoice, "pay_part", now)
    return row, paid


def paid(invoice: dict, amount: Decimal) -> dict:
    """The invoice's amounts after a payment of ``amount``."""
    return {**invoice, **totals(invoice["subtotal"], invoice["tax"],
                                total((invoice["amountPaid"], amount)))}


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
