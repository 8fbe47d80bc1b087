"""Stored Billingrails records built from request bodies or fixture entries, and seeding.

Handlers and ``seed_tenant`` share these builders, so an invoice from a fixture and one from
``POST /invoices`` are the same shape. Callers validate first: builders draw ids and invoice
numbers from the store's counters, and a rejected request must not move them.

Kinds: ``accounts``; ``external_ids`` (external_id -> account id, so uniqueness is checked
inside the transaction); ``invoices`` (amounts kept as a running ``subtotal_amount`` and
``item_count``); ``items:<invoice id>`` (one record per item); ``payments``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ...core.clock import iso_millis, parse_instant
from ...core.money import exact_numbers
from ...core.tenant import Tenant
from ...errors import NotFound
from ...store import Store, Transaction
from ..base import drop_all, fixture_entry, fixture_status, seeded_chars
from . import billing
from .errors import StateError

ACCOUNTS = "accounts"
EXTERNAL_IDS = "external_ids"
INVOICES = "invoices"
PAYMENTS = "payments"
DEFAULT_INVOICE_SETTINGS = {"grace_period_days": 0, "net_term_days": 30, "number_prefix": "INV"}
_ACCOUNT_OPTIONAL = ("country", "default_currency", "external_id", "billing_address",
                     "shipping_address", "metadata")


_ITEM_EDITABLE = ("entity_id", "name", "description", "quantity", "unit_amount")


def items_of(invoice_id: str) -> str:
    return f"items:{invoice_id}"


def missing(noun: str) -> NotFound:
    return NotFound(f"The requested {noun} doesn't exist.", resource=noun)


def millis(value: str | None) -> str | None:
    """An RFC 3339 instant normalised to UTC with milliseconds (the seed's format).

    Valid RFC 3339 that Python cannot represent in UTC (``0001-01-01T00:00:00+01:00`` falls
    before year 1) is kept exactly as the client sent it: the schema accepted it, so a
    rejection here would be a 400 for valid data.
    """
    if not value:
        return None
    try:
        return iso_millis(parse_instant(value))
    except (ValueError, OverflowError):
        return value


def _days_after(instant: datetime, days: int) -> str:
    """``instant`` plus ``days`` in the wire format; past year 9999, its last millisecond."""
    try:
        return iso_millis(instant + timedelta(days=days))
    except OverflowError:
        return iso_millis(datetime.max.replace(tzinfo=timezone.utc))


def add_account(tx: Transaction, tenant: Tenant, fields: dict,
                account_id: str | None = None) -> dict:
    """Store a new account; ``StateError`` if its ``external_id`` is taken."""
    fields = exact_numbers(fields)  # metadata and addresses are free-form JSON
    external_id = fields.get("external_id")
    if external_id is not None and tx.get(EXTERNAL_IDS, external_id) is not None:
        raise StateError("external_id",
                         f"An account with external_id {external_id} already exists.")
    account = {
        "id": account_id or seeded_chars(tx, tenant, "acc_"),
        "type": fields.get("type", "individual"),
        "name": fields["name"],
        "email": fields["email"],
        "timezone": fields.get("timezone", "UTC"),
        "invoice_settings": {**DEFAULT_INVOICE_SETTINGS, **(fields.get("invoice_settings") or {})},
        "created_at": iso_millis(tenant.now),
    }
    account.update({name: fields.get(name) for name in _ACCOUNT_OPTIONAL})
    tx.put(ACCOUNTS, account["id"], account)
    if external_id is not None:
        tx.put(EXTERNAL_IDS, external_id, {"account_id": account["id"]})
    return account


def new_item(tx: Transaction, tenant: Tenant, invoice: dict, fields: dict) -> dict:
    """An item of ``invoice``; it shares the invoice's billing period (as the seed shows)."""
    quantity = billing.minor(fields["quantity"], "quantity")
    unit_amount = billing.minor(fields["unit_amount"], "unit_amount")
    return {
        "id": seeded_chars(tx, tenant, "item_"),
        "entity_id": fields.get("entity_id"),
        "name": fields["name"],
        "description": fields.get("description"),
        "quantity": quantity,
        "unit_amount": unit_amount,
        "billing_start": invoice["billing_start"],
        "billing_end": invoice["billing_end"],
        "proration": None,
    }


def add_invoice(tx: Transaction, tenant: Tenant, fields: dict, account: dict,
                **overrides) -> tuple[dict, list[dict]]:
    """Store a new invoice (draft unless ``overrides`` say otherwise) with its items.

    ``due_at`` defaults to creation plus the account's ``net_term_days``.
    """
    requested = billing.requested_items(fields)
    subtotal = billing.ensure_within_limits(0, 0, requested)
    net_days = account["invoice_settings"]["net_term_days"]
    due_at = millis(fields.get("due_at")) or _days_after(tenant.now, net_days)
    invoice_id = overrides.pop("id", None) or seeded_chars(tx, tenant, "inv_")
    prefix = account["invoice_settings"]["number_prefix"]
    invoice = {
        "id": invoice_id,
        "created_at": iso_millis(tenant.now),
        "account_id": account["id"],
        "subscription_id": None,
        "number": billing.invoice_number(prefix, tx.next_number("invoice_number")),
        "status": "draft",
        "currency": fields["currency"],
        "collection_method": fields.get("collection_method", "manual"),
        "payment_method_id": fields.get("payment_method_id"),
        "due_at": due_at,
        "issued_at": None,
        "credit_amount": 0,
        "paid_amount": 0,
        "billing_start": millis(fields.get("billing_start")),
        "billing_end": millis(fields.get("billing_end")),
        "subtotal_amount": subtotal,
        "item_count": len(requested),
        **overrides,
    }
    items = [new_item(tx, tenant, invoice, item) for item in requested]
    tx.put(INVOICES, invoice["id"], invoice)
    for item in items:
        tx.put(items_of(invoice["id"]), item["id"], item)
    return invoice, items


def seed_tenant(tx: Transaction, tenant: Tenant, data: dict) -> None:
    """Fixture accounts (fixed ids), then invoices with fixed ids, status and amounts.

    An invoice's ``paid_amount`` may not exceed its total: fixtures are checked, not trusted.
    """
    for fields in data.get("accounts") or ():
        with fixture_entry("account", fields):
            replaced = tx.get(ACCOUNTS, str(fields["id"]))
            if replaced is not None and replaced.get("external_id") is not None:
                tx.delete(EXTERNAL_IDS, replaced["external_id"])
            add_account(tx, tenant, fields, account_id=str(fields["id"]))
    for fields in data.get("invoices") or ():
        with fixture_entry("invoice", fields):
            _seed_invoice(tx, tenant, fields)


def _seed_invoice(tx: Transaction, tenant: Tenant, fields: dict) -> None:
    """One fixture invoice. Statuses other than ``draft`` are stamped ``issued_at`` (the
    entry's, or the clock's start); a ``paid`` one without ``paid_amount`` is paid in full;
    ``overdue`` is never seeded: seed ``issued`` with a past ``due_at``."""
    account = tx.get(ACCOUNTS, fields["account_id"])
    if account is None:
        raise ValueError(f"unknown account_id {fields['account_id']!r}")
    overrides = {key: fields[key] for key in ("id", "credit_amount", "paid_amount")
                 if key in fields}
    overrides["status"] = fixture_status(fields, "draft",
                                         billing.STATUSES - billing.DERIVED_STATUSES)
    if overrides["status"] != "draft":
        overrides["issued_at"] = millis(fields.get("issued_at")) or iso_millis(tenant.now)
    drop_all(tx, items_of(str(fields["id"])))  # a fixture replaces the whole invoice
    invoice, _ = add_invoice(tx, tenant, fields, account, **overrides)
    total = billing.totals(invoice["subtotal_amount"], invoice["credit_amount"], 0)
    if overrides["status"] == "paid" and "paid_amount" not in fields:
        invoice = {**invoice, "paid_amount": total["total_amount"]}
        tx.put(INVOICES, invoice["id"], invoice)
    billing.check_seeded_amounts(invoice["status"], total["total_amount"],
                                 invoice["paid_amount"])


def replace_items(tx: Transaction, tenant: Tenant, invoice: dict,
                  requested: list[dict]) -> dict:
    """Make ``requested`` the invoice's items: an entry with an ``id`` edits that item
    (omitted fields kept) where it stands, one without is a new item added at the end, and
    items not listed are removed. Everything is checked before anything is written or an id drawn. Returns the
    invoice with its running sums updated (not stored)."""
    current = {item["id"]: item for item in tx.list(items_of(invoice["id"]))}
    seen: set[str] = set()
    merged = []
    for index, entry in enumerate(requested):
        item_id = entry.get("id")
        if item_id is not None:
            if item_id in seen or item_id not in current:
                problem = "is listed twice" if item_id in seen else "is not on this invoice"
                raise StateError(f"line_items.{index}.id", f"Line item {item_id} {problem}.")
            seen.add(item_id)
            entry = {**current[item_id], **{k: entry[k] for k in _ITEM_EDITABLE if k in entry}}
        merged.append(entry)
    subtotal = billing.ensure_within_limits(0, 0, merged)
    for item_id in current.keys() - seen:
        tx.delete(items_of(invoice["id"]), item_id)
    for entry in merged:
        item = entry if "id" in entry else new_item(tx, tenant, invoice, entry)
        tx.put(items_of(invoice["id"]), item["id"], item)
    return {**invoice, "subtotal_amount": subtotal, "item_count": len(merged)}


def add_payment(tx: Transaction, tenant: Tenant, fields: dict, invoice: dict,
                amount: int, status: str) -> dict:
    """Store a payment of ``amount`` for ``invoice`` (ids drawn: callers have checked)."""
    payment = {
        "id": seeded_chars(tx, tenant, "pay_"),
        "account_id": fields["account_id"],
        "invoice_id": invoice["id"],
        "amount": amount,
        "currency": invoice["currency"],
        "description": f"Payment for invoice {invoice['number']}",
        "reference_id": fields["reference_id"],
        "mode": fields["mode"],
        "payment_method_id": fields.get("payment_method_id"),
        "status": status,
        "succeeded_at": (millis(fields.get("succeeded_at")) or iso_millis(tenant.now))
        if status == "succeeded" else None,
        "created_at": iso_millis(tenant.now),
    }
    tx.put(PAYMENTS, payment["id"], payment)
    return payment


def describe_tenant(store: Store, tenant: Tenant) -> str:
    """Banner line: the first draft invoice and its total in major units."""
    for invoice in store.list(tenant.ns, INVOICES):
        if invoice["status"] == "draft":
            amounts = billing.totals(invoice["subtotal_amount"], invoice["credit_amount"],
                                     invoice["paid_amount"])
            amount = billing.major_units(amounts["total_amount"], invoice["currency"])
            return f"draft invoice {invoice['id']} ({invoice['currency']} {amount})"
    return "no draft invoice"
