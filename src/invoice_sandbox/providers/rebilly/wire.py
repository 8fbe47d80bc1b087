"""Rebilly's wire format: money as JSON doubles, links as absolute URLs."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

_ITEM_LINKS = (("productId", "product", "products"), ("planId", "plan", "plans"),
               ("subscriptionId", "subscription", "subscriptions"))


def number(value: Decimal) -> float | int:
    """A Decimal as a JSON number (Rebilly documents money as double)."""
    as_int = int(value)
    return as_int if value == as_int else float(value)


def _segment(value: object) -> str:
    """An id as one URL path segment: ids are client-chosen strings, links must stay URIs."""
    return quote(str(value), safe="")


def _plain(record: dict) -> dict:
    return {k: number(v) if isinstance(v, Decimal) else v for k, v in record.items()}


def item_body(item: dict, root: str) -> dict:
    body = _plain({k: v for k, v in item.items() if k != "invoiceId"})
    if isinstance(item.get("tax"), dict):
        body["tax"] = _plain(item["tax"])
    href = f"{root}/invoices/{_segment(item['invoiceId'])}/items/{_segment(item['id'])}"
    links = [{"href": href, "rel": "self"}]
    for field, rel, collection in _ITEM_LINKS:
        if item.get(field):
            links.append({"href": f"{root}/{collection}/{_segment(item[field])}", "rel": rel})
    body["_links"] = links
    return body


def invoice_body(invoice: dict, root: str) -> dict:
    body = _plain({k: v for k, v in invoice.items() if k != "paidAmount"})
    body["items"] = [item_body(item, root) for item in invoice["items"]]
    body["_links"] = [
        {"href": f"{root}/invoices/{_segment(invoice['id'])}", "rel": "self"},
        {"href": f"{root}/customers/{_segment(invoice['customerId'])}", "rel": "customer"},
        {"href": f"{root}/websites/{_segment(invoice['websiteId'])}", "rel": "website"},
    ]
    return body
