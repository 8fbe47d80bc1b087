"""A tiny provider that lives in the tests: proof that one folder plus one registry line is
all a new vendor takes (``tests/providers/test_adding_a_provider.py``). Same files, same roles
as every provider under ``src/invoice_sandbox/providers/``."""

import re
from pathlib import Path

from invoice_sandbox.providers.base import Provider

from .errors import render_error
from .handlers import TinyHandlers
from .records import describe_tenant, seed_tenant

PROVIDER = Provider(
    name="tiny",
    base_path="/tiny",
    sandbox_key=re.compile(r"tk_[a-z0-9]+"),
    make_handlers=TinyHandlers,
    render_error=render_error,
    seed_tenant=seed_tenant,
    describe_tenant=describe_tenant,
    home=Path(__file__).parent,
)
