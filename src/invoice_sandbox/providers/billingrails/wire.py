"""Billingrails' wire format: wrapped bodies, keys in the seed page's order, integer amounts.

Invoice amounts come from the stored running subtotal (kept equal to the sum of the items
by ``billing``), the credit and the payments; items are rendered in the order they were added.
"""

from __future__ import annotations

from ...core.money import json_numbers
from . import billing

_ACCOUNT_KEYS = ("id", "type", "name", "email", "country", "created_at", "default_currency",
                 "external_id", "timezone", "billing_address", "shipping_address",
                 "invoice_settings", "metadata")
_INVOICE_HEAD = ("id", "created_at", "account_id", "subscription_id", "number", "status",
                 "currency", "collection_method", "due_at", "issued_at")


def account_body(account: dict) -> dict:
    fields = json_numbers({k: account[k] for k in _ACCOUNT_KEYS})
    return {"account": {"object": "account", **fields}}


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


def invoice_body(invoice: dict, items: list[dict], root: str) -> dict:
    """``{"invoice": {...}}``; ``root`` is the absolute API root, for ``pdf_url``."""
    totals = billing.totals(invoice["subtotal_amount"], invoice["credit_amount"],
                            invoice["paid_amount"])
    body = {"object": "invoice", **{k: invoice[k] for k in _INVOICE_HEAD}, **totals,
            "billing_start": invoice["billing_start"], "billing_end": invoice["billing_end"],
            "pdf_url": f"{root}/invoices/{invoice['id']}/pdf",
            "items": [item_fields(item) for item in items]}
    return {"invoice": body}
