"""Fixture invoices -> stored invoices (the platform makes them from subscriptions; we seed).

A fixture invoice gives the vendor's fields; amounts and quantities are decimal strings in
the same grammar the API accepts (quote them in YAML: ``unitPrice: "19.99"``). Totals, the
``billingPeriod`` label and, when absent, the description are computed; timestamps are
normalised to the wire style. Fixture line items come from subscriptions, so they are
``isEditable: false`` unless the fixture says otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from ...clock import iso_micros, parse_instant
from ...provider import Services
from ...store import Namespace
from . import billing
from .handlers import INVOICES, new_item_id

_OPTIONAL_TEXT = ("externalId", "externalProvider", "externalUrl", "purchaseOrderNumber")


def seed_tenant(services: Services, ns: Namespace, data: dict) -> None:
    for fields in data.get("invoices") or ():
        try:
            invoice = invoice_from_fixture(services, ns, fields)
        except (KeyError, ValueError, TypeError) as exc:
            raise ValueError(
                f"lineitems fixture invoice {fields.get('id', '?')!r}: bad or missing {exc}"
            ) from None
        services.store.put(ns, INVOICES, invoice["id"], invoice)


def invoice_from_fixture(services: Services, ns: Namespace, fields: dict) -> dict:
    now = iso_micros(services.clock.now())
    start = parse_instant(fields["billingPeriodStart"])
    end = parse_instant(fields["billingPeriodEnd"])
    invoice = {
        "id": str(fields["id"]),
        "accountId": str(fields["accountId"]),
        "status": fields.get("status", "upcoming"),
        "dueDate": _instant(fields.get("dueDate")),
        "issueDate": _instant(fields.get("issueDate")),
        "billingPeriodStart": iso_micros(start),
        "billingPeriodEnd": iso_micros(end),
        "billingPeriod": billing.period_label(start, end),
        "currency": fields.get("currency", "USD"),
        "description": fields.get("description", billing.period_description(start, end)),
        "lineItems": [],
        "subtotal": Decimal(0),
        "tax": billing.parse_decimal(fields.get("tax", "0")),
        "total": Decimal(0),
        "amountPaid": billing.parse_decimal(fields.get("amountPaid", "0")),
        "amountRemaining": Decimal(0),
        **{name: fields.get(name) for name in _OPTIONAL_TEXT},
        "createdAt": _instant(fields.get("createdAt")) or now,
        "updatedAt": _instant(fields.get("updatedAt")) or now,
    }
    for item in fields.get("lineItems") or ():
        invoice["lineItems"].append(_fixture_item(services, ns, invoice, item))
    return billing.with_totals(invoice)


def _fixture_item(services: Services, ns: Namespace, invoice: dict, item: dict) -> dict:
    parsed = {
        "description": str(item["description"]),
        "quantity": billing.parse_decimal(item.get("quantity", "1"), signed=False),
        "unitPrice": billing.parse_decimal(item["unitPrice"]),
        "productId": item.get("productId"),
    }
    item_id = item.get("id") or new_item_id(services, ns, invoice)
    return billing.line_item(str(item_id), parsed, invoice,
                             editable=bool(item.get("isEditable", False)))


def _instant(value: object) -> str | None:
    """A fixture timestamp in the wire style; YAML may hand over a datetime or a string."""
    if value is None:
        return None
    return iso_micros(parse_instant(value if isinstance(value, str) else value.isoformat()))
