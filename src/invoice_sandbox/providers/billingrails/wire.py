"""Billingrails' wire format: wrapped bodies, keys in the seed page's order, integer amounts.

Totals are not stored; they are recomputed from the items on every render, so a read can
never disagree with the items it shows.
"""

from __future__ import annotations

from . import billing

_ACCOUNT_KEYS = ("id", "type", "name", "email", "country", "created_at", "default_currency",
                 "external_id", "timezone", "billing_address", "shipping_address",
                 "invoice_settings", "metadata")
_INVOICE_HEAD = ("id", "created_at", "account_id", "subscription_id", "number", "status",
                 "currency", "collection_method", "due_at", "issued_at")


def account_body(account: dict) -> dict:
    return {"account": {"object": "account", **{k: account[k] for k in _ACCOUNT_KEYS}}}


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


def invoice_body(invoice: dict, root: str) -> dict:
    """``{"invoice": {...}}``; ``root`` is the absolute API root, for ``pdf_url``."""
    totals = billing.invoice_totals(invoice["items"], invoice["credit_amount"],
                                    invoice["paid_amount"])
    body = {"object": "invoice", **{k: invoice[k] for k in _INVOICE_HEAD}, **totals,
            "billing_start": invoice["billing_start"], "billing_end": invoice["billing_end"],
            "pdf_url": f"{root}/invoices/{invoice['id']}/pdf",
            "items": [item_fields(item) for item in invoice["items"]]}
    return {"invoice": body}
