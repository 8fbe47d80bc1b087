"""The line-items wire format: every number is a decimal string, rendered by one rule.

The rule (consistent with the vendor's example, where "500" x "1" is "500" and the subtotal
"700"): the exact value, no exponent, no trailing fraction zeros, no trailing "." and never
"-0". So "2.50" is "2.5", "500.00" is "500", "1E+3" is "1000", "0.0001" x "3" is "0.0003".
No rounding to the currency's minor unit happens anywhere.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.money import plain
from .billing import AMOUNT_FIELDS

_ITEM_NUMBERS = ("quantity", "unitPrice", "totalPrice")
_SUMMARY_FIELDS = (
    "id", "accountId", "currency", "description", "billingPeriodStart", "billingPeriodEnd",
    "billingPeriod", "status", "total", "createdAt", "updatedAt",
)


def decimal_string(value: Decimal) -> str:
    """The one rendering rule for amounts and quantities (see the module docstring)."""
    return plain(value)


def line_item_body(item: dict) -> dict:
    body = dict(item)
    for name in _ITEM_NUMBERS:
        body[name] = decimal_string(item[name])
    return body


_STORED_ONLY = frozenset({"autoIssue"})
"""Kept but not served: the vendor's example invoices do not show ``autoIssue``."""
_INVOICE_HEAD = (
    "id", "accountId", "status", "dueDate", "issueDate", "billingPeriodStart",
    "billingPeriodEnd", "billingPeriod", "currency", "description",
)


def invoice_body(invoice: dict, lines: list[dict]) -> dict:
    """The full invoice, as every invoice operation returns it (``paidDate`` once paid)."""
    body = {name: invoice[name] for name in _INVOICE_HEAD}
    body["lineItems"] = [line_item_body(item) for item in lines]
    body.update({name: decimal_string(invoice[name]) for name in AMOUNT_FIELDS})
    body.update({name: invoice[name] for name in invoice
                 if name not in body and name not in _STORED_ONLY})
    return body


def invoice_summary(invoice: dict) -> dict:
    """The list form: the vendor's summary fields only, no line items."""
    body = {name: invoice[name] for name in _SUMMARY_FIELDS}
    body["total"] = decimal_string(invoice["total"])
    return body
