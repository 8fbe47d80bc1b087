"""The common lifecycle moves of a test, in each vendor's own calls: issue, pay, void, and
advance the tenant's clock until an invoice is past due.

``sandbox.invoices("rebilly").pay(invoice_id)`` is what a test writes; which requests that
takes is this module's business, one ``Moves`` subclass per vendor. Every move goes through
the vendor's public API (no back door), so the journal shows exactly what a client would have
sent, and a refused move raises ``MoveRefused`` with the vendor's answer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import httpx

from ..core.clock import parse_instant
from ..providers.rebilly.lifecycle import GRACE as REBILLY_GRACE

JUST_AFTER = timedelta(seconds=1)


class MoveRefused(AssertionError):
    """The sandbox refused a move: ``status`` and ``body`` are its answer."""

    def __init__(self, move: str, response: httpx.Response) -> None:
        self.status = response.status_code
        self.body = response.text
        super().__init__(f"{move}: {response.status_code} {response.text[:500]}")


class Moves:
    """One vendor's lifecycle moves for one tenant (``SandboxHandle.invoices``)."""

    due_field = ""
    grace = timedelta(0)
    """How long after its due time an unpaid invoice is still not past due."""

    def __init__(self, handle, client: httpx.Client) -> None:
        self.handle = handle
        self.http = client

    def get(self, invoice_id: str) -> dict:
        return self._call("get", "GET", f"/invoices/{invoice_id}")

    def issue(self, invoice_id: str, due: str | datetime | None = None) -> dict:
        raise NotImplementedError

    def pay(self, invoice_id: str, amount: Decimal | str | float | None = None) -> dict:
        """Pay ``amount`` (default: all that is due); the invoice as it then reads."""
        raise NotImplementedError

    def void(self, invoice_id: str) -> dict:
        raise NotImplementedError

    def advance_past_due(self, invoice_id: str) -> datetime:
        """Advance the tenant's clock just past the moment the invoice reads past due (the
        vendor's grace included); the clock's new time. A clock already there stays put."""
        due = self.get(invoice_id).get(self.due_field)
        if not due:
            raise ValueError(f"invoice {invoice_id} has no {self.due_field}: issue it first")
        moment = parse_instant(due) + self.grace + JUST_AFTER
        now = self.handle.clock.now()
        if moment <= now:
            return now
        return self.handle.clock.advance(moment - now)

    def _call(self, move: str, method: str, path: str, body: dict | None = None) -> dict:
        response = self.http.request(method, path, json=body)
        if not response.is_success:
            raise MoveRefused(move, response)
        return response.json()


def _text(value: str | datetime) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


class RebillyMoves(Moves):
    """Issue, void: ``POST /invoices/{id}/issue|void``. Pay: a sale processed outside Rebilly
    (``POST /transactions`` naming the invoice), the sandbox's way to hold a transaction."""

    due_field = "dueTime"
    grace = REBILLY_GRACE

    def issue(self, invoice_id, due=None):
        body = {} if due is None else {"dueTime": _text(due)}
        return self._call("issue", "POST", f"/invoices/{invoice_id}/issue", body)

    def pay(self, invoice_id, amount=None):
        invoice = self.get(invoice_id)
        sale = {"type": "sale", "isProcessedOutside": True, "customerId": invoice["customerId"],
                "websiteId": invoice["websiteId"], "currency": invoice["currency"],
                "amount": float(Decimal(str(amount))) if amount is not None
                else invoice["amountDue"], "invoiceIds": [invoice_id]}
        self._call("pay", "POST", "/transactions", sale)
        return self.get(invoice_id)

    def void(self, invoice_id):
        return self._call("void", "POST", f"/invoices/{invoice_id}/void")


class BillingrailsMoves(Moves):
    """Issue: ``POST /invoices/{id}/issue``. Pay: ``POST /payments`` (offline) for the invoice,
    which always settles all that is due: Billingrails documents no amount and no void."""

    due_field = "due_at"

    def get(self, invoice_id):
        return super().get(invoice_id)["invoice"]

    def issue(self, invoice_id, due=None):
        body = {} if due is None else {"due_at": _text(due)}
        return self._call("issue", "POST", f"/invoices/{invoice_id}/issue", body)["invoice"]

    def pay(self, invoice_id, amount=None):
        invoice = self.get(invoice_id)
        if amount is not None:
            raise ValueError("Billingrails payments take no amount: a payment settles the "
                             "invoice in full (docs/fidelity.md, Billingrails, Lifecycle)")
        payment = {"mode": "offline", "account_id": invoice["account_id"],
                   "reference_id": f"sandbox-{invoice_id}", "invoice_id": invoice_id}
        self._call("pay", "POST", "/payments", payment)
        return self.get(invoice_id)

    def void(self, invoice_id):
        raise NotImplementedError("Billingrails documents no way to void an invoice; seed a "
                                  "voided one with sandbox.seed(...)")


class LineItemsMoves(Moves):
    """Issue, mark as paid, void: ``PUT /invoices/{id}/issue|mark-as-paid|void``."""

    due_field = "dueDate"

    def issue(self, invoice_id, due=None):
        if due is not None:
            raise ValueError("the line-items API's issue takes no due date (it is set when "
                             "the invoice is created)")
        return self._call("issue", "PUT", f"/invoices/{invoice_id}/issue")

    def pay(self, invoice_id, amount=None):
        body = {} if amount is None else {"amountPaid": str(Decimal(str(amount)))}
        return self._call("pay", "PUT", f"/invoices/{invoice_id}/mark-as-paid", body)

    def void(self, invoice_id):
        return self._call("void", "PUT", f"/invoices/{invoice_id}/void")


MOVES: dict[str, type[Moves]] = {
    "rebilly": RebillyMoves, "billingrails": BillingrailsMoves, "lineitems": LineItemsMoves,
}
