"""Stored line-items records: invoices (the platform makes them from subscriptions; we seed
them from fixtures, and ``POST /invoices`` makes one-off ones), their lines, one record each
(kind ``lines_of(invoice_id)``), and the payments marked on them (``payments_of``).

A fixture invoice gives the vendor's fields; amounts and quantities are decimal strings in
the same grammar the API accepts (quote them in YAML: ``unitPrice: "19.99"``). Totals, the
``billingPeriod`` label and, when absent, the description are computed; timestamps are
normalised to the wire style. Fixture line items come from subscriptions, so they are
``isEditable: false`` unless the fixture says otherwise.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ...core.clock import iso_micros, parse_instant
from ...core.ids import LETTERS
from ...core.tenant import Tenant
from ...errors import NotFound
from ...store import Store, Transaction
from ..base import drop_all, fixture_entry, fixture_status, seeded_chars
from . import billing

INVOICES = "invoices"
_OPTIONAL_TEXT = ("externalId", "externalProvider", "externalUrl", "purchaseOrderNumber")


def lines_of(invoice_id: str) -> str:
    return f"lines:{invoice_id}"


def invoice_missing(invoice_id: str) -> NotFound:
    return NotFound(f"Invoice {invoice_id} not found.", resource="invoice")


def new_line_id(tx: Transaction, tenant: Tenant, invoice_id: str) -> str:
    """Eight seeded letters (like "tlfAFLJI"), unique within the invoice."""
    while True:
        candidate = seeded_chars(tx, tenant, "", 8, LETTERS)
        if tx.get(lines_of(invoice_id), candidate) is None:
            return candidate


def add_line(tx: Transaction, invoice: dict, line: dict) -> dict:
    """Store ``line`` on ``invoice``; the invoice with its amounts updated."""
    tx.put(lines_of(invoice["id"]), line["id"], line)
    return billing.line_added(invoice, line)


def new_invoice_id(tx: Transaction, tenant: Tenant) -> str:
    """Eight seeded letters (like "oQLSmmnn"), unique within the tenant."""
    while True:
        candidate = seeded_chars(tx, tenant, "", 8, LETTERS)
        if tx.get(INVOICES, candidate) is None:
            return candidate


def new_invoice(invoice_id: str, fields: dict, now: datetime) -> dict:
    """A one-off invoice from ``POST /invoices`` (``fields`` parsed by the handler), no lines
    yet: a draft, or with ``autoIssue`` scheduled or issued (``billing.status_at_creation``)."""
    start, end = fields["billingPeriodStart"], fields["billingPeriodEnd"]
    issue_date, due = fields.get("issueDate"), fields.get("dueDate")
    status = billing.status_at_creation(fields["autoIssue"], issue_date, now)
    if status != "draft":
        issue_date = issue_date or now
        due = due or billing.due_date(issue_date)
    stamp = iso_micros(now)
    invoice = {
        "id": invoice_id,
        "accountId": fields["accountId"],
        "status": status,
        "dueDate": iso_micros(due) if due else None,
        "issueDate": iso_micros(issue_date) if issue_date else None,
        "billingPeriodStart": iso_micros(start),
        "billingPeriodEnd": iso_micros(end),
        "billingPeriod": billing.period_label(start, end),
        "currency": fields["currency"],
        "description": fields.get("description") or billing.period_description(start, end),
        "autoIssue": fields["autoIssue"],
        **{name: None for name in _OPTIONAL_TEXT},
        "createdAt": stamp,
        "updatedAt": stamp,
    }
    return {**invoice, **billing.totals(Decimal(0), Decimal(0), Decimal(0))}


def record_payment(tx: Transaction, invoice: dict, payment: dict) -> None:
    """Keep a payment's details (amount, date, source, note); the invoice shows only sums."""
    kind = payments_of(invoice["id"])
    tx.put(kind, str(len(tx.list(kind)) + 1), payment)


def payments_of(invoice_id: str) -> str:
    return f"payments:{invoice_id}"


def seed_tenant(tx: Transaction, tenant: Tenant, data: dict) -> None:
    for fields in data.get("invoices") or ():
        with fixture_entry("invoice", fields):
            invoice = _fixture_invoice(fields, iso_micros(tenant.now))
            drop_all(tx, lines_of(invoice["id"]))  # a fixture replaces the whole invoice
            drop_all(tx, payments_of(invoice["id"]))
            for item in fields.get("lineItems") or ():
                invoice = add_line(tx, invoice, _fixture_line(tx, tenant, invoice, item))
            if invoice["status"] == "paid" and "amountPaid" not in fields:
                invoice = billing.paid(invoice, invoice["amountRemaining"])
            tx.put(INVOICES, invoice["id"], invoice)


_ISSUED = frozenset({"scheduled", "issuing", "issued", "overdue", "paid", "void"})
"""Statuses that imply an issue date (and so a due date): a fixture gets both by default."""


def _fixture_invoice(fields: dict, now: str) -> dict:
    start = parse_instant(_text(fields["billingPeriodStart"]))
    end = parse_instant(_text(fields["billingPeriodEnd"]))
    status = fixture_status(fields, "upcoming", billing.STATUSES)
    issue_date = _instant(fields.get("issueDate"))
    due = _instant(fields.get("dueDate"))
    if status in _ISSUED:
        issue_date = issue_date or now
        due = due or iso_micros(billing.due_date(parse_instant(issue_date)))
    updated = _instant(fields.get("updatedAt")) or now
    invoice = {
        "id": str(fields["id"]),
        "accountId": str(fields["accountId"]),
        "status": status,
        "dueDate": due,
        "issueDate": issue_date,
        "billingPeriodStart": iso_micros(start),
        "billingPeriodEnd": iso_micros(end),
        "billingPeriod": billing.period_label(start, end),
        "currency": fields.get("currency", "USD"),
        "description": fields.get("description", billing.period_description(start, end)),
        "autoIssue": bool(fields.get("autoIssue", False)),
        **{name: fields.get(name) for name in _OPTIONAL_TEXT},
        "createdAt": _instant(fields.get("createdAt")) or now,
        "updatedAt": updated,
    }
    if status == "paid":  # when it was paid: as given, else its last update
        invoice["paidDate"] = _instant(fields.get("paidDate")) or updated
    tax = billing.parse_decimal(fields.get("tax", "0"))
    paid = billing.parse_decimal(fields.get("amountPaid", "0"))
    return {**invoice, **billing.totals(Decimal(0), tax, paid)}


def _fixture_line(tx: Transaction, tenant: Tenant, invoice: dict, item: dict) -> dict:
    parsed = {
        "description": str(item["description"]),
        "quantity": billing.parse_decimal(item.get("quantity", "1"), signed=False),
        "unitPrice": billing.parse_decimal(item["unitPrice"]),
        "productId": item.get("productId"),
    }
    line_id = str(item.get("id") or new_line_id(tx, tenant, invoice["id"]))
    return billing.line_item(line_id, parsed, invoice,
                             editable=bool(item.get("isEditable", False)))


def _instant(value: object) -> str | None:
    """A fixture timestamp in the wire style; YAML may hand over a datetime or a string."""
    if value is None:
        return None
    return iso_micros(parse_instant(_text(value)))


def _text(value: object) -> str:
    return value if isinstance(value, str) else value.isoformat()


def describe_tenant(store: Store, tenant: Tenant) -> str:
    """Points a new user at an invoice they can add line items to."""
    upcoming = [i["id"] for i in store.list(tenant.ns, INVOICES) if i["status"] == "upcoming"]
    return f"upcoming invoice {upcoming[0]}" if upcoming else "no upcoming invoice"
