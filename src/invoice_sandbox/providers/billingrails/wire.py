"""Billingrails' wire format: wrapped bodies, keys in the seed page's order, integer amounts.

Invoice amounts come from the stored running subtotal (kept equal to the sum of the items
by ``billing``), the credit and the payments; items are rendered in the order they were added.
"""

from __future__ import annotations

from datetime import datetime

from ...core.money import json_numbers
from . import billing

_ACCOUNT_KEYS = ("id", "type", "name", "email", "country", "created_at", "default_currency",
                 "external_id", "timezone", "billing_address", "shipping_address",
                 "invoice_settings", "metadata")
_INVOICE_HEAD = ("id", "created_at", "account_id", "subscription_id", "number", "status",
                 "currency", "collection_method", "due_at", "issued_at")

_PAYMENT_KEYS = ("id", "account_id", "invoice_id", "amount", "currency", "description",
                 "reference_id", "payment_method_id", "status", "created_at")


def account_fields(account: dict) -> dict:
    return {"object": "account", **json_numbers({k: account[k] for k in _ACCOUNT_KEYS})}


def account_body(account: dict) -> dict:
    return {"account": account_fields(account)}


def item_fields(item: dict) -> dict:
    total = billing.item_total(item["quantity"], item["unit_amount"])
    return {
        "object": "invoice_line_item",
        "entity_id": item["entity_id"],
        "id": item["id"],
        "name": item["name"],
        "description": item["description"],
        "quantity": item["quantity"],
        "unit_amount": item["unit_amount"],
        "subtotal_amount": total,
        "total_amount": total,
        "billing_start": item["billing_start"],
        "billing_end": item["billing_end"],
        "proration": item["proration"],
    }


def invoice_fields(invoice: dict, items: list[dict], root: str, now: datetime) -> dict:
    """One invoice as the client sees it at ``now`` (``overdue`` derived from the clock);
    ``root`` is the absolute API root, for ``pdf_url``."""
    totals = billing.totals(invoice["subtotal_amount"], invoice["credit_amount"],
                            invoice["paid_amount"])
    head = {k: invoice[k] for k in _INVOICE_HEAD}
    head["status"] = billing.status_at(invoice, now)
    return {"object": "invoice", **head, **totals,
            "billing_start": invoice["billing_start"], "billing_end": invoice["billing_end"],
            "pdf_url": f"{root}/invoices/{invoice['id']}/pdf",
            "items": [item_fields(item) for item in items]}


def invoice_body(invoice: dict, items: list[dict], root: str, now: datetime) -> dict:
    """``{"invoice": {...}}``."""
    return {"invoice": invoice_fields(invoice, items, root, now)}


def list_body(key: str, page: list[dict], current_page: int, per_page: int,
              total_count: int) -> dict:
    """``{"<plural>": [...], "meta": {...}}``: the reference's list envelope."""
    return {key: page, "meta": {"current_page": current_page, "per_page": per_page,
                                "total_count": total_count}}


def payment_body(payment: dict, root: str) -> dict:
    """``{"payment": {...}}``, plus ``payment_link`` while an online payment waits."""
    body = {"payment": {"object": "payment", **{k: payment[k] for k in _PAYMENT_KEYS}}}
    if payment["status"] == "pending":
        body["payment_link"] = f"{root}/payments/{payment['id']}/link"
    return body
