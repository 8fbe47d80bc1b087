"""Valid credentials for any provider, read from its spec, and a fresh tenant per test.

The header comes from the spec's first satisfiable security requirement (an ``apiKey`` in a
header, or HTTP ``bearer``); the key from the provider's tenancy. Any key matching the
provider's ``sandbox_key`` pattern is its own empty-but-seeded tenant, so handing out new
keys keeps state from leaking between stateless cases, and between stateful scenarios.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

from invoice_sandbox.tenancy import Tenancy


@dataclass(frozen=True)
class Credential:
    """Where a key goes in a request: ``REB-APIKEY: <key>`` or ``Authorization: Bearer <key>``."""

    header: str
    prefix: str = ""

    def headers(self, key: str) -> dict[str, str]:
        return {self.header: self.prefix + key}


def credential_for(spec: dict) -> Credential:
    """The first security scheme of the spec's global requirements that a key can satisfy."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for requirement in spec.get("security") or ():
        for name in requirement:
            scheme = schemes.get(name) or {}
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return Credential(scheme["name"])
            if scheme.get("type") == "http" and str(scheme.get("scheme")).lower() == "bearer":
                return Credential("Authorization", "Bearer ")
    raise LookupError("spec declares no header API key or bearer scheme in its global security")


class TenantKeys:
    """Valid API keys: a new one per stateless case, one per stateful scenario.

    Keys are derived from the first built-in key (``sk_sandbox_demo`` -> ``sk_sandbox_demo_7``)
    and must match the provider's sandbox-key pattern; if none does, the built-in key is
    reused and state is shared, which the ``fresh`` property reports.
    """

    def __init__(self, tenancy: Tenancy) -> None:
        if not tenancy.builtin_keys:
            raise LookupError(f"{tenancy.provider.name}: fixtures register no API key")
        self.base = tenancy.builtin_keys[0]
        self.pattern = tenancy.provider.sandbox_key
        self.issued = 0
        self.scenario_key: str | None = None

    @property
    def fresh(self) -> bool:
        return bool(self.pattern.fullmatch(f"{self.base}_1"))

    def new_key(self) -> str:
        self.issued += 1
        candidate = f"{self.base}_{self.issued}"
        return candidate if self.pattern.fullmatch(candidate) else self.base

    def for_case(self) -> str:
        """The current scenario's key, or a new tenant's key outside a scenario."""
        return self.scenario_key or self.new_key()

    def start_scenario(self) -> None:
        self.scenario_key = self.new_key()

    def end_scenario(self) -> None:
        self.scenario_key = None


def fresh_tenant_auth(credential: Credential, keys: TenantKeys) -> type:
    """A Schemathesis auth provider class; register with ``schema.auth(refresh_interval=None)``.

    Credentials set by an auth provider count as explicit, so ``ignored_auth`` probes the
    operation without them and with invalid ones, instead of trusting the response.
    """

    class FreshTenantAuth:
        def get(self, case, context) -> str:
            return keys.for_case()

        def set(self, case, data: str, context) -> None:
            if not isinstance(case.headers, MutableMapping):
                case.headers = {}
            case.headers.update(credential.headers(data))

    return FreshTenantAuth
