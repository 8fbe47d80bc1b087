"""Stored Billingrails records built from request bodies or fixture entries.

Handlers and ``seed_tenant`` share these builders, so an invoice from a fixture and one from
``POST /invoices`` are the same shape. Callers validate first: builders draw ids and invoice
numbers from the store's counters, and a rejected request must not move them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ...clock import iso_millis, parse_instant
from ...ids import ALPHANUMERIC
from ...provider import Services
from ...store import Namespace
from . import billing

ACCOUNTS = "accounts"
INVOICES = "invoices"
DEFAULT_INVOICE_SETTINGS = {"grace_period_days": 0, "net_term_days": 30, "number_prefix": "INV"}
_ACCOUNT_OPTIONAL = ("country", "default_currency", "external_id", "billing_address",
                     "shipping_address", "metadata")


def new_id(services: Services, ns: Namespace, prefix: str) -> str:
    """``acc_``/``inv_``/``item_`` and 10 seeded alphanumerics, like ``inv_IhMUl3rrZ3``."""
    number = services.store.next_number(ns, "ids")
    return prefix + services.ids.chars(f"{ns.provider}:{ns.tenant}", number, ALPHANUMERIC, 10)


def _millis(value: str | None) -> str | None:
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


def new_account(services: Services, ns: Namespace, fields: dict, now: datetime,
                account_id: str | None = None) -> dict:
    account = {
        "id": account_id or new_id(services, ns, "acc_"),
        "type": fields.get("type", "individual"),
        "name": fields["name"],
        "email": fields["email"],
        "timezone": fields.get("timezone", "UTC"),
        "invoice_settings": {**DEFAULT_INVOICE_SETTINGS, **(fields.get("invoice_settings") or {})},
        "created_at": iso_millis(now),
    }
    account.update({name: fields.get(name) for name in _ACCOUNT_OPTIONAL})
    return account


def new_item(services: Services, ns: Namespace, invoice: dict, fields: dict) -> dict:
    """An item of ``invoice``; it shares the invoice's billing period (as the seed shows)."""
    return {
        "id": new_id(services, ns, "item_"),
        "entity_id": fields.get("entity_id"),
        "name": fields["name"],
        "description": fields.get("description"),
        "quantity": billing.minor(fields["quantity"], "quantity"),
        "unit_amount": billing.minor(fields["unit_amount"], "unit_amount"),
        "billing_start": invoice["billing_start"],
        "billing_end": invoice["billing_end"],
        "proration": None,
    }


def new_invoice(services: Services, ns: Namespace, fields: dict, account: dict, now: datetime,
                **overrides) -> dict:
    """A stored invoice (draft unless ``overrides`` say otherwise) with its items.

    ``due_at`` defaults to creation plus the account's ``net_term_days``.
    """
    invoice_id = overrides.pop("id", None) or new_id(services, ns, "inv_")
    prefix = account["invoice_settings"]["number_prefix"]
    net_days = account["invoice_settings"]["net_term_days"]
    invoice = {
        "id": invoice_id,
        "created_at": iso_millis(now),
        "account_id": account["id"],
        "subscription_id": None,
        "number": billing.invoice_number(prefix, services.store.next_number(ns, "invoice_number")),
        "status": "draft",
        "currency": fields["currency"],
        "collection_method": fields.get("collection_method", "manual"),
        "payment_method_id": fields.get("payment_method_id"),
        "due_at": _millis(fields.get("due_at")) or iso_millis(now + timedelta(days=net_days)),
        "issued_at": None,
        "credit_amount": 0,
        "paid_amount": 0,
        "billing_start": _millis(fields.get("billing_start")),
        "billing_end": _millis(fields.get("billing_end")),
        "items": [],
        **overrides,
    }
    items = billing.requested_items(fields)
    invoice["items"] = [new_item(services, ns, invoice, item) for item in items]
    return invoice
