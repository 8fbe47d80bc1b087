"""Tenants as the control API sees them: addressing, creating with fresh keys, loading data.

A tenant is one provider's namespace for one API key. It is addressable when the provider
accepts the key (registered, or of the provider's sandbox-key shape; for providers taking JWTs
also ``jwt:<subject>``), whether or not the key has been used yet.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Iterator

from ..errors import Conflict, NotFound, SandboxError
from ..ids import ALPHANUMERIC, IdSource
from ..state import GLOBAL, tenant_context
from ..store import Namespace
from ..tenancy import Tenancy
from .errors import invalid

if TYPE_CHECKING:
    from ..app import Sandbox

TENANT_COUNTER = "_sandbox.tenants"
SUFFIX_LENGTH = 12


def key_prefix(pattern: re.Pattern) -> str:
    """The literal start of a sandbox-key pattern: ``sk_site_`` for ``sk_site_[A-Za-z0-9_-]+``."""
    return re.match(r"[A-Za-z0-9_]*", pattern.pattern).group()


def auth_headers(spec: dict, key: str) -> dict[str, str]:
    """The header a client sends ``key`` in, after the spec's first usable security scheme."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for requirement in spec.get("security") or [{name: []} for name in schemes]:
        for name in requirement:
            scheme = schemes.get(name) or {}
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                return {scheme["name"]: key}
            if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
                return {"Authorization": f"Bearer {key}"}
    return {"Authorization": f"Bearer {key}"}


class Tenants:
    def __init__(self, sandbox: "Sandbox") -> None:
        self.sandbox = sandbox
        self.services = sandbox.services

    # -- addressing --------------------------------------------------------------------------
    def tenancy(self, provider: str) -> Tenancy:
        tenancy = self.sandbox.tenancies.get(provider)
        if tenancy is None:
            served = ", ".join(self.sandbox.tenancies)
            raise NotFound(f"Unknown provider {provider!r}; this sandbox serves: {served}.")
        return tenancy

    def accepts(self, provider: str, key: str) -> bool:
        tenancy = self.tenancy(provider)
        is_jwt_subject = tenancy.provider.bearer_jwt and key.startswith("jwt:")
        return tenancy.is_valid(key) or is_jwt_subject

    def address(self, provider: str | None, key: str | None) -> Namespace | None:
        """None for the whole sandbox (neither given), else the tenant's namespace."""
        if provider is None and key is None:
            return None
        if provider is None or key is None:
            missing = "provider" if provider is None else "key"
            raise invalid(missing, "Give provider and key together to address one tenant, "
                                   "or neither to address the whole sandbox.")
        if not self.accepts(provider, key):
            shape = self.tenancy(provider).provider.sandbox_key.pattern
            raise NotFound(f"Unknown tenant: {provider} does not accept the key {key!r} (not "
                           f"registered, and not of the shape {shape}).")
        return Namespace(provider, key)

    # -- creating ----------------------------------------------------------------------------
    def create(self, providers: list[str] | None, fixtures: bool, clock: datetime | None,
               seed: int | None, tenant_id: str | None = None) -> dict:
        names = providers or list(self.sandbox.tenancies)
        prefixes = {name: self._prefix(name) for name in names}
        if tenant_id is None:
            suffix, namespaces = self._claim_fresh(prefixes)
        else:
            suffix, namespaces = tenant_id, self._claim_named(prefixes, tenant_id)
        for ns in namespaces:
            if clock is not None:
                self.services.clock.set(clock, frozen=True, ns=ns)
            if seed is not None:
                self.services.ids.set_seed(seed, ns)
            if fixtures:
                with rejected_data_is_422():
                    self.tenancy(ns.provider).seed_fixtures(ns)
        return {"id": suffix, "providers": {ns.provider: self._usage(ns) for ns in namespaces}}

    def _prefix(self, provider: str) -> str:
        if provider not in self.sandbox.tenancies:
            served = ", ".join(self.sandbox.tenancies)
            raise invalid("providers",
                          f"Unknown provider {provider!r}; this sandbox serves: {served}.")
        pattern = self.sandbox.providers[provider].sandbox_key
        prefix = key_prefix(pattern)
        if not pattern.fullmatch(prefix + "t" + "A" * SUFFIX_LENGTH):
            raise invalid("providers", f"{provider} has no sandbox-key shape to make keys from.")
        return prefix

    def _claim_fresh(self, prefixes: dict[str, str]) -> tuple[str, list[Namespace]]:
        """A suffix no requested provider has seen, with every provider's key claimed."""
        store = self.services.store
        seed = self.services.ids.seed_for(None)[0]
        while True:
            number = store.next_number(GLOBAL, TENANT_COUNTER)
            suffix = "t" + IdSource(seed).chars("_sandbox:tenants", number, ALPHANUMERIC,
                                                SUFFIX_LENGTH)
            claimed = [self.tenancy(name).claim(prefix + suffix)
                       for name, prefix in prefixes.items()]
            if all(claimed):
                return suffix, claimed

    def _claim_named(self, prefixes: dict[str, str], tenant_id: str) -> list[Namespace]:
        keys = {name: prefix + tenant_id for name, prefix in prefixes.items()}
        for name, key in keys.items():
            if not self.sandbox.providers[name].sandbox_key.fullmatch(key):
                raise invalid("id", f"{key!r} is not a {name} sandbox key.")
        claimed = [self.tenancy(name).claim(key) for name, key in keys.items()]
        if not all(claimed):
            in_use = [key for key, ns in zip(keys.values(), claimed) if ns is None]
            raise Conflict(f"Tenant id {tenant_id!r} is in use ({', '.join(in_use)}); reset "
                           "it first, or pick another id.")
        return claimed

    def _usage(self, ns: Namespace) -> dict:
        provider = self.sandbox.providers[ns.provider]
        return {"key": ns.tenant, "basePath": provider.base_path,
                "headers": auth_headers(self.sandbox.specs[ns.provider], ns.tenant)}

    # -- loading data ------------------------------------------------------------------------
    def load(self, ns: Namespace, data: dict) -> dict[str, int]:
        """Add fixture ``data`` to a tenant (seeded with its defaults first if new)."""
        tenancy = self.tenancy(ns.provider)
        tenancy.namespace(ns.tenant)
        with rejected_data_is_422(), tenant_context(ns):
            tenancy.provider.seed_tenant(self.services, ns, data)
        return {kind: len(records) for kind, records in data.items() if isinstance(records, list)}


@contextmanager
def rejected_data_is_422() -> Iterator[None]:
    """Fixture data is user input to provider code that trusts it: any failure is a 422."""
    try:
        yield
    except SandboxError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the provider's loader tripped on
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        raise invalid("data", f"The provider could not load this data ({reason}).") from exc
