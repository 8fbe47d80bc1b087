"""One provider's sandbox, as Schemathesis sees it: its own served spec, in-process, authed.

``load_contract`` is the whole recipe a reader needs to fuzz a provider by hand:

    app = contract_app("rebilly")
    contract = load_contract(app, "rebilly")
    case = contract.schema["/invoices"]["POST"].Case(body={...})
    case.call_and_validate(headers=contract.auth_headers())
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import schemathesis
from schemathesis.config import SchemathesisConfig

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.specs import not_emulated

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: Schemathesis itself brings tomli there
    import tomli as tomllib

from . import formats  # noqa: F401  (registers format strategies)
from . import invariant  # noqa: F401  (registers the billing check)
from .budget import BUDGET, SEED
from .credentials import Credential, TenantKeys, credential_for, fresh_tenant_auth

FROZEN = "2024-01-01T00:00:00Z"
SHARED_CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"


@dataclass(frozen=True)
class Contract:
    name: str
    schema: object
    """A Schemathesis ``OpenApiSchema`` bound to the ASGI app."""
    keys: TenantKeys
    credential: Credential

    def auth_headers(self) -> dict[str, str]:
        """Headers with a fresh tenant's key, for cases built by hand (``Case(...)``)."""
        return self.credential.headers(self.keys.new_key())


def contract_app(name: str, **overrides):
    """The sandbox serving one provider, validating its own responses against the spec."""
    options = {"providers": (name,), "seed": 1, "clock": FROZEN, "validate_responses": True,
               **overrides}
    return create_app(SandboxConfig(**options))


def contract_config(not_emulated_ids: frozenset[str] = frozenset()) -> SchemathesisConfig:
    """``schemathesis.toml`` (per-operation check settings, shared with the CLI) plus the
    suite's own: every check on (the default), all generation modes, fixed seed, bounded
    examples. Operations the sandbox marks not emulated (501 by design, covered by
    tests/web/test_not_emulated.py) are disabled in the config itself, which every Schemathesis
    entry point honours (``schema.exclude`` is re-filtered away by ``from_fixture``)."""
    shared = tomllib.loads(SHARED_CONFIG.read_text(encoding="utf-8"))
    disabled = [{"include-operation-id": op, "enabled": False}
                for op in sorted(not_emulated_ids)]
    return SchemathesisConfig.from_dict({
        **shared,
        "operations": [*shared.get("operations", []), *disabled],
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": BUDGET.fuzz_examples,
            "database": "none",
        },
        "phases": {"stateful": {"max-steps": BUDGET.steps}},
    })


def load_contract(app, name: str) -> Contract:
    """Load the spec the app serves at ``<base_path>/openapi.json``, with fresh-tenant auth."""
    provider = app.sandbox.providers[name]
    config = contract_config(frozenset(not_emulated(app.sandbox.specs[name])))
    schema = schemathesis.openapi.from_asgi(
        f"{provider.base_path}/openapi.json", app, config=config
    )
    keys = TenantKeys(app.sandbox.tenancies[name])
    if not keys.fresh:
        warnings.warn(f"{name}: no key pattern admits new tenants; every case shares one tenant")
    credential = credential_for(app.sandbox.specs[name])
    schema.auth(refresh_interval=None)(fresh_tenant_auth(credential, keys))
    return Contract(name, schema, keys, credential)
