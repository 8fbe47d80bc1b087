"""Rebilly's stored records: invoices and their items, built from request bodies or fixtures.

An invoice is one record (kind ``INVOICES``) holding its amounts and exact ``sums``; its items
are records of their own (kind ``items_of(invoice_id)``), so adding one touches one item and
one invoice, whatever the invoice already holds. Builders check everything before they draw
an id, so a rejected request moves no counter. Also here: the list parameters ``filter``
(``field:value[,value];...``) and ``sort`` (``-field,...``) that select stored invoices.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.clock import iso_seconds
from ...core.tenant import Tenant
from ...errors import FieldError, InvalidRequest, NotFound
from ..base import drop_all, fixture_entry, fixture_status, seeded_ulid
from ...store import Store, Transaction
from . import billing

INVOICES = "invoices"


def items_of(invoice_id: str) -> str:
    """The record kind holding one invoice's items."""
    return f"items:{invoice_id}"


def invoice_missing(invoice_id: str) -> NotFound:
    return NotFound(f"Invoice with ID {invoice_id} was not found.", resource="invoice")


def item_missing(item_id: str) -> NotFound:
    return NotFound(f"Invoice item with ID {item_id} was not found.", resource="invoice item")


def new_item(tx: Transaction, tenant: Tenant, invoice: dict, fields: dict) -> dict:
    item = billing.item_from_request(fields, invoice["currency"])
    stamp = iso_seconds(tenant.now)
    return {"id": seeded_ulid(tx, tenant, "ii_"), "invoiceId": invoice["id"], **item,
            "createdTime": stamp, "updatedTime": stamp}


def new_invoice(tx: Transaction, tenant: Tenant, fields: dict,
                **overrides) -> tuple[dict, list[dict]]:
    """A stored invoice from create fields (API or fixture) and its items, totals included."""
    stamp = iso_seconds(tenant.now)
    invoice_id = overrides.pop("id", None) or seeded_ulid(tx, tenant, "in_")
    invoice = {
        "id": invoice_id,
        "invoiceNumber": tx.next_number(f"invoiceNumber:{fields['customerId']}"),
        "customerId": fields["customerId"],
        "websiteId": fields["websiteId"],
        "organizationId": None,
        "currency": fields["currency"],
        "status": "draft",
        "notes": fields.get("notes"),
        "paidAmount": Decimal(0),
        "shippingAmount": Decimal(0),
        "dueTime": fields.get("dueTime"),
        "issuedTime": None,
        "paidTime": None,
        "voidedTime": None,
        "createdTime": stamp,
        "updatedTime": stamp,
        **overrides,
    }
    items = [new_item(tx, tenant, invoice, item) for item in fields.get("items") or ()]
    return _with_items(invoice, items), items


def _with_items(invoice: dict, items: list[dict]) -> dict:
    invoice = billing.with_sums(invoice, billing.NO_SUMS)
    for item in items:
        invoice = billing.item_changed(invoice, added=item)
    return invoice


def save_invoice(tx: Transaction, invoice: dict, items: list[dict]) -> None:
    tx.put(INVOICES, invoice["id"], invoice)
    for item in items:
        tx.put(items_of(invoice["id"]), item["id"], item)


def seed_tenant(tx: Transaction, tenant: Tenant, data: dict) -> None:
    """Fixture invoices: create fields plus fixed ``id``, ``status`` and ``paidAmount``."""
    for fields in data.get("invoices") or ():
        with fixture_entry("invoice", fields):
            status = fixture_status(fields, "draft", billing.STATUSES)
            overrides = {"id": str(fields["id"]), "status": status,
                         "paidAmount": Decimal(str(fields.get("paidAmount", 0)))}
            invoice, items = new_invoice(tx, tenant, fields, **overrides)
            drop_all(tx, items_of(invoice["id"]))  # a fixture replaces the whole invoice
            save_invoice(tx, invoice, items)


def describe_tenant(store: Store, tenant: Tenant) -> str:
    drafts = [i["id"] for i in store.list(tenant.ns, INVOICES) if i["status"] == "draft"]
    return f"draft invoice {drafts[0]}" if drafts else "no draft invoice"


# -- selecting invoices ---------------------------------------------------------------------------

def apply_filter(records: list[dict], expression: str | None) -> list[dict]:
    if not expression:
        return records
    conditions = []
    for part in filter(None, expression.split(";")):
        field, sep, values = part.partition(":")
        if not sep or not field:
            raise InvalidRequest([FieldError("filter", f"Malformed condition {part!r}.")])
        conditions.append((field, set(values.split(","))))
    return [r for r in records if all(str(r.get(f)) in vals for f, vals in conditions)]


def apply_sort(records: list[dict], expression: str | None) -> list[dict]:
    if not expression:
        return records
    for key in reversed([k for k in expression.split(",") if k]):
        field = key.lstrip("-")
        records = sorted(records, key=lambda r: (r.get(field) is None, str(r.get(field))),
                         reverse=key.startswith("-"))
    return records


def page(records: list, limit: int, offset: int) -> list:
    return records[offset: offset + limit]
