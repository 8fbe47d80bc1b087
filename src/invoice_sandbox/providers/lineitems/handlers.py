"""Line-items operations: read params -> billing rules -> store -> (body, status).

Every read derives the status at the request's instant (``billing.as_of``): a scheduled
invoice reads as issued from its ``issueDate``, an issued one as overdue once its ``dueDate``
has passed. Every check runs before anything is written or an id is drawn, so a rejected
request leaves the tenant exactly as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from ...core.clock import iso_micros, parse_instant
from ...core.tenant import Tenant
from ...errors import FieldError, InvalidRequest
from ...store import Store, Transaction
from ..base import found, with_children
from . import billing, wire
from .errors import UnprocessableFields
from .records import (INVOICES, add_line, invoice_missing, lines_of, new_invoice, new_invoice_id,
                      new_line_id, record_payment)

BASE_PATH = "/lineitems"
MAX_LIMIT = 100
"""The vendor caps page sizes over 100 at 100."""
DEFAULT_CURRENCY = "USD"


class LineItemsHandlers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list_invoices(self, tenant: Tenant, page=1, limit=10):
        """``{"items": [...]}``: one page of summaries, oldest invoice first."""
        limit = min(limit, MAX_LIMIT)
        invoices = self.store.list(tenant.ns, INVOICES, (page - 1) * limit, limit)
        return {"items": [wire.invoice_summary(billing.as_of(i, tenant.now))
                          for i in invoices]}, 200

    def get_invoice(self, tenant: Tenant, id_):
        invoice, lines = with_children(self.store, tenant, INVOICES, id_, lines_of(id_),
                                       lambda: invoice_missing(id_))
        return wire.invoice_body(billing.as_of(invoice, tenant.now), lines), 200

    def create_one_off_invoice(self, tenant: Tenant, body):
        """A one-off invoice with its lines: a draft, or scheduled/issued with ``autoIssue``."""
        fields = _invoice_fields(body)
        now = tenant.now

        def create(tx: Transaction) -> tuple[dict, list[dict]]:
            invoice, lines = new_invoice(new_invoice_id(tx, tenant), fields, now), []
            for item in fields["lineItems"]:
                line_id = new_line_id(tx, tenant, invoice["id"])
                lines.append(billing.line_item(line_id, item, invoice, editable=True))
                invoice = add_line(tx, invoice, lines[-1])
            tx.put(INVOICES, invoice["id"], invoice)
            return invoice, lines

        invoice, lines = self.store.transact(tenant.ns, create)
        return wire.invoice_body(billing.as_of(invoice, now), lines), 200

    def create_invoice_line_item(self, tenant: Tenant, id_, body):
        """Append an editable line item; 200 with the whole recomputed invoice."""
        fields = _line_fields(body)

        def add(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            billing.ensure_editable(invoice, tenant.now)
            line = billing.line_item(new_line_id(tx, tenant, id_), fields, invoice, editable=True)
            tx.put(INVOICES, id_, {**add_line(tx, invoice, line),
                                   "updatedAt": iso_micros(tenant.now)})

        self.store.transact(tenant.ns, add)
        return self.get_invoice(tenant, id_)

    def issue_invoice(self, tenant: Tenant, id_):
        def issue(_tx: Transaction, invoice: dict) -> dict:
            return billing.apply(invoice, billing.transition(invoice, "issue", tenant.now),
                                 tenant.now)

        return self._change(tenant, id_, issue)

    def void_invoice(self, tenant: Tenant, id_):
        def void(_tx: Transaction, invoice: dict) -> dict:
            return billing.apply(invoice, billing.transition(invoice, "void", tenant.now),
                                 tenant.now)

        return self._change(tenant, id_, void)

    def mark_invoice_as_paid(self, tenant: Tenant, id_, body=None):
        """Record a payment made outside the platform: all of what remains unless
        ``amountPaid`` says less; the invoice is paid once nothing remains."""
        fields = _payment_fields(body or {})

        def pay(tx: Transaction, invoice: dict) -> dict:
            row, amount = billing.payment(invoice, fields["amountPaid"], tenant.now)
            after = billing.apply(billing.paid(invoice, amount), row, tenant.now,
                                  paid_date=fields["paidDate"])
            record_payment(tx, invoice, {
                "amountPaid": amount,
                "paidDate": iso_micros(fields["paidDate"] or tenant.now),
                "externalPaymentSource": fields["externalPaymentSource"],
                "externalPaymentNote": fields["externalPaymentNote"],
            })
            return after

        return self._change(tenant, id_, pay)

    def _change(self, tenant: Tenant, id_: str,
                change: Callable[[Transaction, dict], dict]) -> tuple[dict, int]:
        """Read the invoice, ``change`` it (which raises to refuse), store it; 200 with the
        whole invoice as of this request."""
        def run(tx: Transaction) -> tuple[dict, list[dict]]:
            invoice = change(tx, found(tx.get(INVOICES, id_), lambda: invoice_missing(id_)))
            tx.put(INVOICES, id_, invoice)
            return invoice, tx.list(lines_of(id_))

        invoice, lines = self.store.transact(tenant.ns, run)
        return wire.invoice_body(billing.as_of(invoice, tenant.now), lines), 200


def _line_fields(body: dict, prefix: str = "") -> dict:
    """Decimals from the request's strings. The spec's pattern already admits only the
    grammar; parsing again keeps a looser user-supplied spec (``--specs``) from reaching
    the arithmetic with something like "NaN"."""
    fields = {"description": body["description"], "productId": None}
    errors = []
    for name, signed in (("quantity", False), ("unitPrice", True)):
        try:
            fields[name] = billing.parse_decimal(body.get(name), signed=signed)
        except ValueError as exc:
            errors.append(FieldError(prefix + name, str(exc)))
    if errors:
        raise InvalidRequest(errors)
    return fields


def _invoice_fields(body: dict) -> dict:
    """``POST /invoices``: lines parsed (400), then instants and their order checked (422)."""
    errors: list[FieldError] = []
    fields = {
        "accountId": body["accountId"],
        "currency": body.get("currency", DEFAULT_CURRENCY),
        "description": body.get("description"),
        "autoIssue": bool(body.get("autoIssue", False)),
        "lineItems": [],
    }
    for index, item in enumerate(body.get("lineItems") or ()):
        try:
            fields["lineItems"].append(_line_fields(item, f"lineItems.{index}."))
        except InvalidRequest as exc:
            errors.extend(exc.fields)
    if errors:
        raise InvalidRequest(errors)
    for name in ("billingPeriodStart", "billingPeriodEnd", "issueDate", "dueDate"):
        fields[name] = _instant(body, name, errors)
    start, end = fields["billingPeriodStart"], fields["billingPeriodEnd"]
    if start and end and end < start:
        errors.append(FieldError("billingPeriodEnd", "Must not be before billingPeriodStart."))
    issued, due = fields["issueDate"], fields["dueDate"]
    if issued and due and due < issued:
        errors.append(FieldError("dueDate", "Must not be before issueDate."))
    if errors:
        raise UnprocessableFields(errors)
    return fields


def _payment_fields(body: dict) -> dict:
    """``PUT /invoices/{id}/mark-as-paid``: every field optional; an amount outside the
    grammar is 400, a zero amount or an instant Python cannot hold is 422."""
    amount = None
    if body.get("amountPaid") is not None:
        try:
            amount = billing.parse_decimal(body["amountPaid"], signed=False)
        except ValueError as exc:
            raise InvalidRequest([FieldError("amountPaid", str(exc))]) from None
    errors: list[FieldError] = []
    if amount == 0:
        errors.append(FieldError("amountPaid", "Must be greater than zero."))
    fields = {
        "amountPaid": amount,
        "paidDate": _instant(body, "paidDate", errors),
        "externalPaymentSource": body.get("externalPaymentSource"),
        "externalPaymentNote": body.get("externalPaymentNote"),
    }
    if errors:
        raise UnprocessableFields(errors)
    return fields


def _instant(body: dict, name: str, errors: list[FieldError]) -> datetime | None:
    """An RFC 3339 field as a UTC datetime; one Python cannot hold in UTC is a field error."""
    value = body.get(name)
    if value is None:
        return None
    try:
        return parse_instant(value)
    except (ValueError, OverflowError, TypeError):
        errors.append(FieldError(name, "Must be an RFC 3339 timestamp between years 1 and 9999."))
        return None
