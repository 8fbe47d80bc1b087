"""Rebilly: invoices and invoice items, money as doubles, problem-details errors."""

from __future__ import annotations

import re
from decimal import Decimal

from ...provider import Provider, Services
from ...ratelimit import RateLimitPolicy
from ...store import Namespace
from . import billing
from .errors import render_error
from .handlers import BASE_PATH, INVOICES, RebillyHandlers, new_invoice


def seed_tenant(services: Services, ns: Namespace, data: dict) -> None:
    """Fixture invoices: create fields plus fixed ``id``, ``status`` and ``paidAmount``."""
    for fields in data.get("invoices") or ():
        overrides = {"id": fields["id"], "status": fields.get("status", "draft")}
        invoice = new_invoice(services, ns, fields, **overrides)
        invoice["paidAmount"] = Decimal(str(fields.get("paidAmount", 0)))
        invoice = billing.with_totals(invoice)
        services.store.put(ns, INVOICES, invoice["id"], invoice)


def _rate_headers(limit: int, remaining: int, reset_in: int, reset_at) -> dict[str, str]:
    """Both generations of Rebilly's headers: ``Rate-Limit-*`` and ``X-RateLimit-*``."""
    return {"Rate-Limit-Limit": str(limit), "Rate-Limit-Remaining": str(remaining),
            "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}


def _retry_headers(wait: int, reset_at) -> dict[str, str]:
    """Seconds to wait, and the older header's UTC timestamp of the reset."""
    return {"Retry-After": str(wait), "Rate-Limit-Retry-After": str(wait),
            "X-RateLimit-Retry-After": str(int(reset_at.timestamp()))}


RATE_LIMIT = RateLimitPolicy(limit=3600, window_seconds=3600, headers=_rate_headers,
                             retry_headers=_retry_headers)


def describe_tenant(services: Services, ns: Namespace) -> str:
    drafts = [i["id"] for i in services.store.list(ns, INVOICES) if i["status"] == "draft"]
    return f"draft invoice {drafts[0]}" if drafts else "no draft invoice"


PROVIDER = Provider(
    name="rebilly",
    base_path=BASE_PATH,
    root_aliases=(r"/rebilly/organizations/[^/]+",),
    sandbox_key=re.compile(r"sk_sandbox_[A-Za-z0-9_-]+"),
    make_handlers=RebillyHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    bearer_jwt=True,
    rate_limit=RATE_LIMIT,
)
