"""Line items (the vendor appears to be Alguna): invoices whose numbers are decimal strings.

Served at ``/lineitems``: create a one-off invoice, add a line item, issue, mark as paid (in
part or in full), void, read one invoice, list invoices. The lifecycle is two tables in
``billing.py`` (actions, and what the sandbox clock does, derived on read).
Bearer keys; one JSON error shape (``errors.py``); exact Decimal arithmetic (``billing.py``);
one decimal-string rendering rule (``wire.py``). Choices the vendor does not document are in
``docs/fidelity.md``.
"""

from __future__ import annotations

import re

from ..base import Provider, retry_after_only
from .errors import render_error
from .handlers import BASE_PATH, LineItemsHandlers
from .records import describe_tenant, seed_tenant

SANDBOX_KEY = re.compile(r"sk_sandbox_[A-Za-z0-9_-]+")
"""Any Bearer key of this shape is its own sandbox tenant (the vendor's keys are ``sk_...``)."""

PROVIDER = Provider(
    name="lineitems",
    base_path=BASE_PATH,
    sandbox_key=SANDBOX_KEY,
    make_handlers=LineItemsHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    rate_limit=retry_after_only(100, 60),  # undocumented: see fidelity.md
)
