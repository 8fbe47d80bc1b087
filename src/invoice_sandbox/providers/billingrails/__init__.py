"""Billingrails: accounts, invoices and invoice items; integer minor units; bearer keys."""

from __future__ import annotations

import re

from ..base import Provider, retry_after_only
from .errors import render_error
from .handlers import BASE_PATH, BillingrailsHandlers
from .records import describe_tenant, seed_tenant

SANDBOX_KEY = re.compile(r"sk_site_[A-Za-z0-9_-]+")
"""The shape of the one example key in Billingrails' docs (``sk_site_e66e03bf...``)."""

PROVIDER = Provider(
    name="billingrails",
    base_path=BASE_PATH,
    sandbox_key=SANDBOX_KEY,
    make_handlers=BillingrailsHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    rate_limit=retry_after_only(50, 60),  # documented: 50 requests a minute
)
