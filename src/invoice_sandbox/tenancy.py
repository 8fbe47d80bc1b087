"""Tenancy by credential: every API key is its own isolated sandbox.

A key is valid when fixtures or the command line register it, or when it matches the
provider's documented sandbox-key pattern. The first time a key is seen, its tenant is seeded
from the fixture documents that name it (or, for unlisted keys, from the ``default`` ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .provider import Provider, Services
from .state import tenant_context
from .store import Namespace


@dataclass(frozen=True)
class FixtureDocument:
    source: str
    keys: tuple[str, ...]
    default: bool
    data: dict


def load_fixture_documents(folder: Path) -> list[FixtureDocument]:
    """Every ``*.yaml``/``*.yml``/``*.json`` file in a provider's fixture folder, by name."""
    documents = []
    if not folder.is_dir():
        return documents
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: a fixture file must be a mapping with keys/default/data")
        documents.append(
            FixtureDocument(
                source=str(path),
                keys=tuple(str(k) for k in raw.get("keys") or ()),
                default=bool(raw.get("default", False)),
                data=raw.get("data") or {},
            )
        )
    return documents


class Tenancy:
    def __init__(
        self,
        provider: Provider,
        services: Services,
        documents: list[FixtureDocument],
        extra_keys: tuple[str, ...] = (),
    ) -> None:
        self.provider = provider
        self.services = services
        self.documents = documents
        listed = [key for doc in documents for key in doc.keys]
        self.registered = frozenset(listed) | frozenset(extra_keys)
        self.builtin_keys = tuple(dict.fromkeys([*listed, *extra_keys]))

    def is_valid(self, key: str) -> bool:
        return key in self.registered or bool(self.provider.sandbox_key.fullmatch(key))

    def authenticate(self, key: str) -> Namespace | None:
        """The tenant namespace for a valid key (seeded on first use), else None."""
        if not key or not self.is_valid(key):
            return None
        return self.namespace(key)

    def namespace(self, key: str) -> Namespace:
        ns = Namespace(self.provider.name, key)
        store = self.services.store
        with store.atomic(ns):
            if store.claim(ns):
                self.seed_fixtures(ns)
        return ns

    def claim(self, key: str) -> Namespace | None:
        """The namespace of a key never used before, now taken but empty; None if in use."""
        ns = Namespace(self.provider.name, key)
        return ns if self.services.store.claim(ns) else None

    def seed_fixtures(self, ns: Namespace) -> None:
        """Load the fixture documents for the tenant's key, with the tenant's clock and seed."""
        with tenant_context(ns):
            for doc in self.documents_for(ns.tenant):
                self.provider.seed_tenant(self.services, ns, doc.data)

    def documents_for(self, key: str) -> list[FixtureDocument]:
        named = [doc for doc in self.documents if key in doc.keys]
        return named or [doc for doc in self.documents if doc.default]
