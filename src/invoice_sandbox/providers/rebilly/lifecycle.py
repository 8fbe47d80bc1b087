"""Rebilly's invoice lifecycle: the transitions as one table, and the pure functions that apply
them. No I/O and no clock: every function takes the request's instant (``tenant.now``).

Read the table row by row: an invoice whose status (as of now, past-due derived) is one of
``sources`` may take ``action``; when the row's condition holds it moves to ``target``
(``None``: the status stays) and the named timestamps are set to the action's instant, or
cleared. An action no row allows is refused with the error the reference documents for that
operation (409 Conflict; 422 for applying a transaction), and nothing changes.

``past-due`` is never stored. An ``unpaid`` or ``partially-paid`` invoice is past-due once the
sandbox clock is more than 24 hours past its ``dueTime`` (Rebilly: "the payment time-frame has
exceeded by more than 24 hours"), on every read, whichever worker serves it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ...core.clock import iso_seconds, parse_instant
from ...core.money import total
from ...errors import Conflict, FieldError, InvalidRequest

OPEN = frozenset({"unpaid", "partially-paid", "past-due"})
"""Issued, not settled: the statuses a payment, abandonment or reissue starts from."""
GRACE = timedelta(hours=24)
"""How long after ``dueTime`` an open invoice is still not past-due."""

ALWAYS, OWING, SETTLED, NOTHING_PAID, PART_PAID = (
    "always", "amount still due", "nothing left due", "nothing paid", "part paid")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None
    sets: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    when: str = ALWAYS


TRANSITIONS = (
    #          action         from                                   to                sets / clears
    Transition("issue", frozenset({"draft"}), "unpaid", sets=("issuedTime", "dueTime")),
    Transition("pay", OPEN, "partially-paid", when=OWING),
    Transition("pay", OPEN, "paid", sets=("paidTime",), when=SETTLED),
    Transition("void", frozenset({"draft", "unpaid", "past-due", "abandoned"}), "voided",
               sets=("voidedTime",)),
    Transition("abandon", OPEN, "abandoned", sets=("abandonedTime",)),
    Transition("reissue", OPEN | {"abandoned"}, "unpaid", sets=("issuedTime", "dueTime"),
               clears=("abandonedTime",), when=NOTHING_PAID),
    Transition("reissue", OPEN | {"abandoned"}, "partially-paid",
               sets=("issuedTime", "dueTime"), clears=("abandonedTime",), when=PART_PAID),
    Transition("recalculate", frozenset({"draft"}) | OPEN, None),
)
"""Every move an invoice can make through Rebilly's invoice operations (see fidelity.md)."""

REFUSAL_STATUS = {"pay": 422}
"""The reference documents 422 (not 409) for applying a transaction in the wrong status."""
_VERBS = {"issue": "issued", "pay": "paid", "void": "voided", "abandon": "abandoned",
          "reissue": "reissued", "recalculate": "recalculated"}
TIMESTAMPS = ("issuedTime", "dueTime", "paidTime", "voidedTime", "abandonedTime")


def status_as_of(invoice: dict, now: datetime) -> str:
    """The invoice's status at ``now``: a stored open status reads past-due after the grace,
    if anything is still due (an invoice that owes nothing cannot be late)."""
    status = invoice["status"]
    due = invoice.get("dueTime")
    if (status in ("unpaid", "partially-paid") and due and invoice["amountDue"] > 0
            and now > parse_instant(due) + GRACE):
        return "past-due"
    return status


def as_of(invoice: dict, now: datetime) -> dict:
    """The invoice as a reader at ``now`` sees it (past-due derived)."""
    status = status_as_of(invoice, now)
    return invoice if status == invoice["status"] else {**invoice, "status": status}


def condition_holds(condition: str, invoice: dict) -> bool:
    paid, due = invoice["paidAmount"], invoice["amountDue"]
    return {ALWAYS: True, OWING: due > 0, SETTLED: due <= 0, NOTHING_PAID: paid == 0,
            PART_PAID: paid != 0}[condition]


def transition(action: str, invoice: dict, now: datetime) -> Transition:
    """The row allowing ``action`` on ``invoice`` (already carrying the action's amounts), or
    the vendor's refusal."""
    status = status_as_of(invoice, now)
    for row in TRANSITIONS:
        if (row.action == action and status in row.sources
                and condition_holds(row.when, invoice)):
            return row
    message = f"Invoice with status {status} cannot be {_VERBS[action]}."
    if REFUSAL_STATUS.get(action) == 422:
        raise InvalidRequest([FieldError("status", message)])
    raise Conflict(message)


def apply(action: str, invoice: dict, now: datetime, **stamps: str) -> dict:
    """The stored invoice after ``action``: its new status and timestamps. ``stamps`` gives a
    timestamp other than the action's instant (``issuedTime``/``dueTime`` of an issue)."""
    row = transition(action, invoice, now)
    changed = {**invoice, "updatedTime": iso_seconds(now)}
    if row.target is not None:
        changed["status"] = row.target
    for name in row.sets:
        changed[name] = stamps.get(name) or iso_seconds(now)
    for name in row.clears:
        changed[name] = None
    if row.target == "voided":
        changed["amountDue"] = Decimal(0)  # "Invoice amount is set to zero" (amounts kept)
    return changed


# -- the actions --------------------------------------------------------------------------------

def issue(invoice: dict, now: datetime, issued: str | None, due: str | None) -> dict:
    """``issuedTime`` defaults to now; ``dueTime`` to the invoice's own, else ``issuedTime``."""
    issued = issued or iso_seconds(now)
    changed = apply("issue", invoice, now, issuedTime=issued,
                    dueTime=due or invoice.get("dueTime") or issued)
    _ensure_due_after(due, issued)
    return changed


def reissue(invoice: dict, now: datetime, due: str | None) -> dict:
    """Issued again now; ``dueTime`` as given, else now (the reference's default)."""
    changed = apply("reissue", invoice, now, dueTime=due or iso_seconds(now))
    _ensure_due_after(due, iso_seconds(now))
    return changed


def _ensure_due_after(due: str | None, issued: str) -> None:
    """A ``dueTime`` sent with an issue cannot come before the invoice is issued."""
    if due and parse_instant(due) < parse_instant(issued):
        raise InvalidRequest([FieldError("dueTime", "Due time cannot be before issued time.")])


def pay(invoice: dict, now: datetime, transaction: dict,
        asked: Decimal | None) -> tuple[dict, Decimal]:
    """The invoice after part of ``transaction`` was applied, and how much: the status is
    checked first, then the amounts; ``paidAmount`` and ``amountDue`` move, then the status."""
    transition("pay", invoice, now)
    amount = payment_amount(invoice, transaction, asked)
    paid = total((invoice["paidAmount"], amount))
    moved = {**invoice, "paidAmount": paid,
             "amountDue": total((invoice["amount"], paid.copy_negate()))}
    return apply("pay", moved, now), amount


def payment_amount(invoice: dict, transaction: dict, asked: Decimal | None) -> Decimal:
    """How much of a transaction to apply: ``asked``, or the lesser of the transaction's
    unused amount and the invoice's amount due; never more than either."""
    due, unused = invoice["amountDue"], transaction["unusedAmount"]
    amount = min(unused, due) if asked is None else asked
    if transaction["currency"] != invoice["currency"]:
        problem = FieldError("transactionId", "Transaction currency differs from the invoice's.")
    elif unused <= 0:
        problem = FieldError("transactionId", "Transaction has no unused amount.")
    elif amount <= 0:
        problem = FieldError("amount", "Amount must be greater than 0.")
    elif amount > unused:
        problem = FieldError("amount", "Amount exceeds the transaction's unused amount.")
    elif amount > due:
        problem = FieldError("amount", "Amount exceeds the invoice's amount due.")
    else:
        return amount
    raise InvalidRequest([problem])


# -- updating an invoice (PUT) -------------------------------------------------------------------

FIXED_ONCE_ISSUED = ("customerId", "websiteId", "currency")
CLOSED = frozenset({"paid", "voided", "abandoned", "refunded", "partially-refunded", "disputed"})


def ensure_updatable(invoice: dict, fields: dict, due: str | None, now: datetime) -> None:
    """An upsert may change anything on a draft (or quotation); once issued, the customer,
    website and currency stay, and a settled or closed invoice keeps its ``dueTime``. A change
    refused is a 422 naming each field (the reference documents no 409 for PUT)."""
    status = status_as_of(invoice, now)
    problems = []
    if status not in ("draft", "quotation"):
        problems += [FieldError(name, f"Cannot be changed on an invoice with status {status}.")
                     for name in FIXED_ONCE_ISSUED if fields[name] != invoice[name]]
    if status in CLOSED and due and due != invoice.get("dueTime"):
        problems.append(FieldError("dueTime",
                                   f"Cannot be changed on an invoice with status {status}."))
    if problems:
        raise InvalidRequest(problems)


# -- seeded invoices ------------------------------------------------------------------------------

_ISSUED = frozenset({"unpaid", "partially-paid", "past-due", "paid", "abandoned", "voided",
                     "refunded", "partially-refunded", "disputed"})
_IMPLIED = {"paidTime": frozenset({"paid", "refunded", "partially-refunded", "disputed"}),
            "voidedTime": frozenset({"voided"}), "abandonedTime": frozenset({"abandoned"})}
_SEEDED_PAST_DUE = GRACE + timedelta(hours=1)


def seeded(invoice: dict, now: datetime, stamps: dict) -> dict:
    """A fixture invoice with the timestamps its status implies: those given, else ``now``
    (``dueTime``: the invoice's own, else ``issuedTime``). A ``past-due`` entry is stored
    ``unpaid`` with a ``dueTime`` over 24 hours before ``now`` (given, or 25 hours before).
    A timestamp the status cannot have (``paidTime`` on an unpaid invoice) is a ValueError."""
    status, seeded_invoice = invoice["status"], dict(invoice)
    if status == "past-due":
        status = seeded_invoice["status"] = "unpaid"
        default_due = iso_seconds(now - _SEEDED_PAST_DUE)
        stamps = {**stamps, "dueTime": stamps.get("dueTime") or default_due,
                  "issuedTime": stamps.get("issuedTime") or default_due}
    for name, statuses in (("issuedTime", _ISSUED), *_IMPLIED.items()):
        if stamps.get(name) and status not in statuses:
            raise ValueError(f"{name} is set but the status is {status}")
        if status in statuses:
            seeded_invoice[name] = stamps.get(name) or iso_seconds(now)
    if status in _ISSUED:
        seeded_invoice["dueTime"] = (stamps.get("dueTime") or invoice.get("dueTime")
                                     or seeded_invoice["issuedTime"])
    if invoice["status"] == "past-due" and status_as_of(seeded_invoice, now) != "past-due":
        raise ValueError("a past-due invoice needs a dueTime over 24 hours before the clock")
    if status == "voided":
        seeded_invoice["amountDue"] = Decimal(0)
    return seeded_invoice
