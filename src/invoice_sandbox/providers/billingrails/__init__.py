"""Billingrails: accounts, invoices, items and payments; integer minor units; bearer keys."""

from __future__ import annotations

import re

from ..base import Provider, retry_after_only
from .errors import render_error
from .handlers import BASE_PATH, BillingrailsHandlers
from .records import describe_tenant, seed_tenant

SANDBOX_KEY = re.compile(r"sk_site_[A-Za-z0-9_-]+")
"""The shape of the one example key in Billingrails' docs (``sk_site_e66e03bf...``)."""

_ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
_AMOUNT = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}

PROVIDER = Provider(
    name="billingrails",
    base_path=BASE_PATH,
    sandbox_key=SANDBOX_KEY,
    make_handlers=BillingrailsHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    fixture_schemas={
        "accounts": {"allOf": [{"$ref": "#/components/schemas/AccountCreate"},
                               {"required": ["id"], "properties": {"id": _ID}}]},
        "invoices": {"allOf": [{"$ref": "#/components/schemas/InvoiceCreate"}, {
            "required": ["id"], "properties": {
                "id": _ID, "credit_amount": _AMOUNT, "paid_amount": _AMOUNT,
                "issued_at": {"$ref": "#/components/schemas/Timestamp"}}}]},
    },
    rate_limit=retry_after_only(50, 60),  # documented: 50 requests a minute
)
