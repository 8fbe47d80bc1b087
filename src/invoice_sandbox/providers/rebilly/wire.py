"""Rebilly's wire format: money as JSON numbers (Rebilly documents doubles; a whole amount
is sent as an integer), links as absolute URLs."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from ...core.money import json_numbers
from . import lifecycle

_ITEM_LINKS = (("productId", "product", "products"), ("planId", "plan", "plans"),
               ("subscriptionId", "subscription", "subscriptions"))


def _segment(value: object) -> str:
    """An id as one URL path segment: ids are client-chosen strings, links must stay URIs."""
    return quote(str(value), safe="")


def item_body(item: dict, root: str) -> dict:
    body = json_numbers({k: v for k, v in item.items() if k != "invoiceId"})
    href = f"{root}/invoices/{_segment(item['invoiceId'])}/items/{_segment(item['id'])}"
    links = [{"href": href, "rel": "self"}]
    for field, rel, collection in _ITEM_LINKS:
        if item.get(field):
            links.append({"href": f"{root}/{collection}/{_segment(item[field])}", "rel": rel})
    body["_links"] = links
    return body


_INTERNAL = ("paidAmount", "sums")
"""Stored on the invoice, never sent: ``paidAmount`` feeds ``amountDue``; ``sums`` the totals."""
_OMITTED_WHEN_UNKNOWN = ("notes", "dueTime", "issuedTime", "organizationId")
"""Strings Rebilly declares without ``null``: absent until known (older records held None)."""
_NULL_WHEN_UNSET = ("paidTime", "voidedTime", "abandonedTime")
"""Timestamps Rebilly declares nullable: always sent, ``null`` until the invoice gets there."""


def invoice_body(invoice: dict, items: list[dict], root: str, now: datetime) -> dict:
    """The invoice as Rebilly sends it at ``now``: past-due derived from the sandbox clock."""
    invoice = lifecycle.as_of(invoice, now)
    body = json_numbers({k: v for k, v in invoice.items() if k not in _INTERNAL
                         and not (k in _OMITTED_WHEN_UNKNOWN and v is None)})
    for name in _NULL_WHEN_UNSET:
        body.setdefault(name, None)
    body["items"] = [item_body(item, root) for item in items]
    body["_links"] = [
        {"href": f"{root}/invoices/{_segment(invoice['id'])}", "rel": "self"},
        {"href": f"{root}/customers/{_segment(invoice['customerId'])}", "rel": "customer"},
        {"href": f"{root}/websites/{_segment(invoice['websiteId'])}", "rel": "website"},
    ]
    return body


_TRANSACTION_INTERNAL = ("unusedAmount",)
"""Kept to know how much is left to apply; Rebilly shows allocations, not this sum."""


def transaction_body(transaction: dict, root: str) -> dict:
    body = json_numbers({k: v for k, v in transaction.items()
                         if k not in _TRANSACTION_INTERNAL})
    body["_links"] = [
        {"href": f"{root}/transactions/{_segment(transaction['id'])}", "rel": "self"},
        {"href": f"{root}/customers/{_segment(transaction['customerId'])}", "rel": "customer"},
        {"href": f"{root}/websites/{_segment(transaction['websiteId'])}", "rel": "website"},
    ]
    return body


def allocation_body(allocation: dict, root: str) -> dict:
    body = json_numbers({k: v for k, v in allocation.items() if k != "id"})
    body["_links"] = [
        {"href": f"{root}/invoices/{_segment(allocation['invoiceId'])}", "rel": "invoice"},
        {"href": f"{root}/transactions/{_segment(allocation['transactionId'])}",
         "rel": "transaction"},
    ]
    return body
