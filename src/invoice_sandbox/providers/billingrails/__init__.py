"""Billingrails: accounts, invoices and invoice items; integer minor units; bearer keys."""

from __future__ import annotations

import re

from ...clock import iso_millis
from ...provider import Provider, Services
from ...ratelimit import retry_after_only
from ...store import Namespace
from . import billing, records
from .errors import render_error
from .handlers import BASE_PATH, BillingrailsHandlers
from .records import ACCOUNTS, INVOICES

SANDBOX_KEY = re.compile(r"sk_site_[A-Za-z0-9_-]+")
"""The shape of the one example key in Billingrails' docs (``sk_site_e66e03bf...``)."""


def seed_tenant(services: Services, ns: Namespace, data: dict) -> None:
    """Fixture accounts (fixed ids), then invoices with fixed ids, status and amounts.

    An invoice's ``paid_amount`` may not exceed its total: fixtures are checked, not trusted.
    """
    now = services.clock.now()
    for fields in data.get("accounts") or ():
        account = records.new_account(services, ns, fields, now, account_id=fields["id"])
        services.store.put(ns, ACCOUNTS, account["id"], account)
    for fields in data.get("invoices") or ():
        account = services.store.get(ns, ACCOUNTS, fields["account_id"])
        if account is None:
            raise ValueError(f"fixture invoice {fields['id']}: unknown account_id")
        overrides = {key: fields[key] for key in ("id", "status", "credit_amount", "paid_amount")
                     if key in fields}
        if overrides.get("status", "draft") != "draft":
            overrides["issued_at"] = iso_millis(now)
        invoice = records.new_invoice(services, ns, fields, account, now, **overrides)
        totals = billing.invoice_totals(invoice["items"], invoice["credit_amount"],
                                        invoice["paid_amount"])
        if totals["outstanding_amount"] < 0:
            raise ValueError(f"fixture invoice {fields['id']}: paid_amount exceeds total")
        services.store.put(ns, INVOICES, invoice["id"], invoice)


def describe_tenant(services: Services, ns: Namespace) -> str:
    """Banner line: the first draft invoice and its total in major units."""
    for invoice in services.store.list(ns, INVOICES):
        if invoice["status"] == "draft":
            totals = billing.invoice_totals(invoice["items"], invoice["credit_amount"],
                                            invoice["paid_amount"])
            amount = billing.major_units(totals["total_amount"], invoice["currency"])
            return f"draft invoice {invoice['id']} ({invoice['currency']} {amount})"
    return "no draft invoice"


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
