"""Rebilly's stored records: invoices and their items, built from request bodies or fixtures.

An invoice is one record (kind ``INVOICES``) holding its amounts and exact ``sums``; its items
are records of their own (kind ``items_of(invoice_id)``), so adding one touches one item and
one invoice, whatever the invoice already holds. Builders check everything before they draw
an id, so a rejected request moves no counter. Also here: the list parameters ``filter``
(``field:value[,value];...``) and ``sort`` (``-field,...``) that select stored invoices.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.clock import iso_seconds, parse_instant
from ...core.money import round_currency, to_decimal
from ...core.tenant import Tenant
from ...errors import FieldError, InvalidRequest, NotFound
from ..base import drop_all, fixture_entry, fixture_status, seeded_ulid
from ...store import Store, Transaction
from . import billing, lifecycle

INVOICES = "invoices"
TRANSACTIONS = "transactions"


def items_of(invoice_id: str) -> str:
    """The record kind holding one invoice's items."""
    return f"items:{invoice_id}"


def allocations_of(invoice_id: str) -> str:
    """The record kind holding what each transaction paid of one invoice (keyed by
    transaction id)."""
    return f"allocations:{invoice_id}"


def invoice_missing(invoice_id: str) -> NotFound:
    return NotFound(f"Invoice with ID {invoice_id} was not found.", resource="invoice")


def item_missing(item_id: str) -> NotFound:
    return NotFound(f"Invoice item with ID {item_id} was not found.", resource="invoice item")


def transaction_missing(transaction_id: str) -> NotFound:
    return NotFound(f"Transaction with ID {transaction_id} was not found.",
                    resource="transaction")


def new_item(tx: Transaction, tenant: Tenant, invoice: dict, fields: dict) -> dict:
    item = billing.item_from_request(fields, invoice["currency"])
    stamp = iso_seconds(tenant.now)
    return {"id": seeded_ulid(tx, tenant, "ii_"), "invoiceId": invoice["id"], **item,
            "createdTime": stamp, "updatedTime": stamp}


def instant(fields: dict, name: str) -> str | None:
    """A request's date-time field in Rebilly's form (UTC, whole seconds), None when absent;
    a value the format check let through but no calendar has (``23:59:60``, past 9999) is a
    422 naming the field."""
    value = fields.get(name)
    if value is None:
        return None
    try:
        return iso_seconds(parse_instant(str(value)))
    except (ValueError, OverflowError):
        raise InvalidRequest([FieldError(name, "Invalid date-time.")]) from None


def new_invoice(tx: Transaction, tenant: Tenant, fields: dict,
                **overrides) -> tuple[dict, list[dict]]:
    """A stored invoice from create fields (API or fixture) and its items, totals included.
    Strings Rebilly declares non-nullable (``notes``, ``dueTime``, ``issuedTime``) are absent
    until known; the nullable lifecycle timestamps are ``None``."""
    stamp = iso_seconds(tenant.now)
    due = instant(fields, "dueTime")
    invoice_id = overrides.pop("id", None) or seeded_ulid(tx, tenant, "in_")
    invoice = {
        "id": invoice_id,
        "invoiceNumber": tx.next_number(f"invoiceNumber:{fields['customerId']}"),
        "customerId": fields["customerId"],
        "websiteId": fields["websiteId"],
        "currency": fields["currency"],
        "status": "draft",
        **({"notes": fields["notes"]} if fields.get("notes") is not None else {}),
        "paidAmount": Decimal(0),
        "shippingAmount": Decimal(0),
        **({"dueTime": due} if due else {}),
        "paidTime": None,
        "voidedTime": None,
        "abandonedTime": None,
        "createdTime": stamp,
        "updatedTime": stamp,
        **overrides,
    }
    items = [new_item(tx, tenant, invoice, item) for item in fields.get("items") or ()]
    return billing.recalculated(invoice, items), items


def updated_invoice(tx: Transaction, tenant: Tenant, invoice: dict,
                    fields: dict) -> tuple[dict, list[dict]]:
    """An existing invoice after an upsert, and its items: the fields sent replace the stored
    ones (omitted optional ones are kept; ``items`` are read-only on an update, changed through
    /items). A draft's new currency re-rounds its items' prices and its amounts."""
    due = instant(fields, "dueTime")
    lifecycle.ensure_updatable(invoice, fields, due, tenant.now)
    changed = {**invoice, **{name: fields[name] for name in lifecycle.FIXED_ONCE_ISSUED},
               "updatedTime": iso_seconds(tenant.now)}
    if fields.get("notes") is not None:
        changed["notes"] = fields["notes"]
    if due:
        changed["dueTime"] = due
    items = tx.list(items_of(invoice["id"]))
    if changed["currency"] != invoice["currency"]:
        items = [billing.repriced(item, changed["currency"]) for item in items]
        for item in items:
            tx.put(items_of(invoice["id"]), item["id"], item)
        changed = billing.recalculated(changed, items)  # sums are in the currency's minor unit
    return changed, items


def new_transaction(tx: Transaction, tenant: Tenant, fields: dict) -> dict:
    """A sale processed outside Rebilly: completed and approved when recorded, its whole
    amount (rounded to the currency's minor unit) unused until applied to invoices."""
    amount = round_currency(to_decimal(fields["amount"]), fields["currency"])
    if amount <= 0:  # 0.001 USD: positive as sent, nothing in the currency's minor unit
        raise InvalidRequest([FieldError("amount", "Amount must be greater than 0 in the "
                                         "currency's minor unit.")])
    processed = instant(fields, "processedTime")
    stamp = iso_seconds(tenant.now)
    optional = {name: fields[name] for name in ("description", "requestId")
                if fields.get(name) is not None}
    return {"id": seeded_ulid(tx, tenant, "txn_"), "type": "sale", "status": "completed",
            "result": "approved", "amount": amount, "currency": fields["currency"],
            "customerId": fields["customerId"], "websiteId": fields["websiteId"],
            "invoiceIds": [], "isProcessedOutside": True, **optional,
            "processedTime": processed or stamp, "unusedAmount": amount,
            "createdTime": stamp, "updatedTime": stamp}


def payment_for(tx: Transaction, transaction_id: str) -> dict:
    """The transaction a payment applies: one named in a body that does not exist is a 422."""
    transaction = tx.get(TRANSACTIONS, transaction_id)
    if transaction is None:
        raise InvalidRequest([FieldError("transactionId",
                                         f"Transaction with ID {transaction_id} was not found.")])
    return transaction


def save_invoice(tx: Transaction, invoice: dict, items: list[dict]) -> None:
    tx.put(INVOICES, invoice["id"], invoice)
    for item in items:
        tx.put(items_of(invoice["id"]), item["id"], item)


def seed_tenant(tx: Transaction, tenant: Tenant, data: dict) -> None:
    """Fixture invoices: create fields plus fixed ``id``, ``status``, ``paidAmount`` and the
    lifecycle timestamps; a timestamp the status implies and the entry omits is the tenant's
    now (``dueTime``: ``issuedTime``), so every seeded invoice is consistent."""
    for fields in data.get("invoices") or ():
        with fixture_entry("invoice", fields):
            status = fixture_status(fields, "draft", billing.STATUSES)
            overrides = {"id": str(fields["id"]), "status": status,
                         "paidAmount": Decimal(str(fields.get("paidAmount", 0)))}
            invoice, items = new_invoice(tx, tenant, fields, **overrides)
            invoice = lifecycle.seeded(invoice, tenant.now, {
                name: instant(fields, name) for name in lifecycle.TIMESTAMPS})
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
