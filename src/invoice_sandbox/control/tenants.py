"""Tenants as the control API sees them: addressing, creating with fresh keys, loading data.

A tenant is one provider's namespace for one API key. It is addressable when the provider
accepts the key (registered, or of the provider's sandbox-key shape; for providers taking JWTs
also ``jwt:<subject>``), whether or not the key has been used yet.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..core.ids import ALPHANUMERIC, IdSource
from ..core.tenant import GLOBAL, Namespace
from ..errors import Conflict, NotFound
from ..sandbox import Sandbox
from ..tenancy import ClockSetting, Tenancy
from .errors import invalid

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
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

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
        settings = {}
        if clock is not None:
            settings["clock"] = ClockSetting(frozen_at=clock).as_record()
        if seed is not None:
            settings["seed"] = seed
        if tenant_id is None:
            suffix, namespaces = self._claim_fresh(prefixes, settings, fixtures)
        else:
            suffix = tenant_id
            namespaces = self._claim_named(prefixes, tenant_id, settings, fixtures)
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

    def _claim_fresh(self, prefixes: dict[str, str], settings: dict,
                     fixtures: bool) -> tuple[str, list[Namespace]]:
        """A suffix no requested provider has seen, with every provider's key claimed."""
        seed = self.sandbox.settings.seed_for(None)[0]
        while True:
            number = self.sandbox.store.next_number(GLOBAL, TENANT_COUNTER)
            suffix = "t" + IdSource(seed).chars("_sandbox:tenants", number, ALPHANUMERIC,
                                                SUFFIX_LENGTH)
            keys = {name: prefix + suffix for name, prefix in prefixes.items()}
            if not any(self._in_use(name, key) for name, key in keys.items()):
                return suffix, self._claim_all(keys, settings, fixtures, suffix)

    def _claim_named(self, prefixes: dict[str, str], tenant_id: str, settings: dict,
                     fixtures: bool) -> list[Namespace]:
        keys = {name: prefix + tenant_id for name, prefix in prefixes.items()}
        for name, key in keys.items():
            if not self.sandbox.providers[name].sandbox_key.fullmatch(key):
                raise invalid("id", f"{key!r} is not a {name} sandbox key.")
        return self._claim_all(keys, settings, fixtures, tenant_id)

    def _in_use(self, provider: str, key: str) -> bool:
        own = self.sandbox.settings.record(Namespace(provider, key))
        return bool(own.get("claimed"))

    def _claim_all(self, keys: dict[str, str], settings: dict, fixtures: bool,
                   tenant_id: str) -> list[Namespace]:
        """Claim every key, or (when one is in use) refuse with 409 before claiming any."""
        in_use = [key for name, key in keys.items() if self._in_use(name, key)]
        if in_use:
            raise Conflict(f"Tenant id {tenant_id!r} is in use ({', '.join(in_use)}); reset "
                           "it first, or pick another id.")
        namespaces = [Namespace(name, key) for name, key in keys.items()]
        for ns in namespaces:
            if not self.tenancy(ns.provider).claim(ns, settings, fixtures=fixtures):
                raise Conflict(f"Tenant id {tenant_id!r} was claimed meanwhile; pick another id.")
        return namespaces

    def _usage(self, ns: Namespace) -> dict:
        provider = self.sandbox.providers[ns.provider]
        return {"key": ns.tenant, "basePath": provider.base_path,
                "headers": auth_headers(self.sandbox.specs[ns.provider], ns.tenant)}

    # -- loading data ------------------------------------------------------------------------
    def load(self, ns: Namespace, data: dict) -> dict[str, int]:
        """Add fixture ``data`` to a tenant (seeded with its defaults first if new); all of
        it or, when the provider refuses an entry (422), none."""
        tenancy = self.tenancy(ns.provider)
        tenancy.load(tenancy.tenant(ns.tenant), data)
        return {kind: len(records) for kind, records in data.items() if isinstance(records, list)}
