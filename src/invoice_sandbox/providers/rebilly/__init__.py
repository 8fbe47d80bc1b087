"""Rebilly: invoices and invoice items, money as doubles, problem-details errors."""

from __future__ import annotations

import re

from ..base import Provider, RateLimitPolicy
from .errors import render_error
from .handlers import BASE_PATH, RebillyHandlers
from .records import describe_tenant, seed_tenant


def _rate_headers(limit: int, remaining: int, reset_in: int, reset_at) -> dict[str, str]:
    """Both generations of Rebilly's headers: ``Rate-Limit-*`` and ``X-RateLimit-*``."""
    return {"Rate-Limit-Limit": str(limit), "Rate-Limit-Remaining": str(remaining),
            "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}


def _retry_headers(wait: int, reset_at) -> dict[str, str]:
    """Seconds to wait, and the older header's UTC timestamp of the reset."""
    return {"Retry-After": str(wait), "Rate-Limit-Retry-After": str(wait),
            "X-RateLimit-Retry-After": str(int(reset_at.timestamp()))}


PROVIDER = Provider(
    name="rebilly",
    base_path=BASE_PATH,
    root_aliases=(r"/rebilly/organizations/[^/\x00-\x1f\x7f]+",),
    sandbox_key=re.compile(r"sk_sandbox_[A-Za-z0-9_-]+"),
    make_handlers=RebillyHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    bearer_jwt=True,
    fixture_schemas={"invoices": {"allOf": [
        {"$ref": "#/components/schemas/InvoiceCreate"},
        {"required": ["id"], "properties": {
            "id": {"$ref": "#/components/schemas/ResourceId"},
            "paidAmount": {"$ref": "#/components/schemas/Money"},
            **{name: {"type": "string", "format": "date-time"}
               for name in ("issuedTime", "paidTime", "voidedTime", "abandonedTime")}}},
    ]}},
    rate_limit=RateLimitPolicy(limit=3600, window_seconds=3600, headers=_rate_headers,
                               retry_headers=_retry_headers),
)
