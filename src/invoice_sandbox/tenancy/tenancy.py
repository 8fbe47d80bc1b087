"""Tenancy by credential: every API key is its own isolated sandbox.

A key is valid when fixtures or the command line register it, or when it matches the
provider's documented sandbox-key pattern. The first time a key is seen, its tenant is claimed
and seeded from the fixture documents that name it (or, for unlisted keys, the ``default``
ones) in one transaction, so another worker never sees a claimed but empty tenant.
"""

from __future__ import annotations

from ..config import MAX_KEY_LENGTH
from ..errors import FieldError, InvalidFixture
from ..specs import fixture_checker
from ..core.tenant import Namespace, Tenant
from ..providers.base import Provider
from ..store import Store, Transaction
from .fixtures import FixtureDocument
from .registry import TenantRegistry
from .settings import META, SETTINGS, Settings


class Tenancy:
    def __init__(self, provider: Provider, store: Store, settings: Settings,
                 documents: list[FixtureDocument], extra_keys: tuple[str, ...] = (),
                 registry: TenantRegistry | None = None, spec: dict | None = None) -> None:
        self.provider = provider
        self.store = store
        self.settings = settings
        self.registry = registry or TenantRegistry(store, 10_000, 86_400)
        self.fixture_problems = fixture_checker(spec or {}, provider.fixture_schemas)
        self.documents = documents
        listed = [key for doc in documents for key in doc.keys]
        self.registered = frozenset(listed) | frozenset(extra_keys)
        self.builtin_keys = tuple(dict.fromkeys([*listed, *extra_keys]))

    def is_valid(self, key: str) -> bool:
        if key in self.registered:
            return True
        return len(key) <= MAX_KEY_LENGTH and bool(self.provider.sandbox_key.fullmatch(key))

    def resolve(self, key: str) -> Tenant | None:
        """The tenant of a valid key (claimed and seeded on first use), else None."""
        if not key or not self.is_valid(key):
            return None
        return self.tenant(key)

    def tenant(self, key: str) -> Tenant:
        """The tenant of ``key``, with its settings; seeded first if it is new."""
        ns = Namespace(self.provider.name, key)
        own, sandbox_wide = self.settings.records(ns)
        if not own.get("claimed"):
            self.claim(ns, {}, fixtures=True)
            own = self.store.get(ns, META, SETTINGS) or {}
        else:
            touched = self.registry.used(ns, own.get("touched"), pinned=key in self.registered)
            if touched is not None:
                self.settings.update(ns, lambda record: {**record, "touched": touched})
        return self.settings.tenant(ns, own, sandbox_wide)

    def claim(self, ns: Namespace, settings: dict, *, fixtures: bool) -> bool:
        """Take a namespace no one has used, with ``settings`` added to any it already has
        (the control API may set a clock before first use), seeded when ``fixtures``; False
        (and nothing written) when it is taken already."""
        sandbox_wide = self.settings.record(None)

        def take(tx: Transaction) -> bool:
            own = tx.get(META, SETTINGS) or {}
            if own.get("claimed"):
                return False
            own = {**own, **settings, "claimed": True,
                   "touched": int(self.registry.wall_clock())}
            tx.put(META, SETTINGS, own)
            if fixtures:
                tenant = self.settings.tenant(ns, own, sandbox_wide)
                for doc in self.documents_for(ns.tenant):
                    self.provider.seed_tenant(tx, tenant, doc.data)
            return True

        taken = self.store.transact(ns, take)
        if taken:
            self.registry.claimed(ns, pinned=ns.tenant in self.registered)
        return taken

    def load(self, tenant: Tenant, data: dict) -> None:
        """Add fixture ``data`` to a tenant, all of it or (if any entry is refused) none."""
        self.check(data)
        self.store.transact(tenant.ns, lambda tx: self.provider.seed_tenant(tx, tenant, data))

    def check(self, data: dict) -> None:
        """``InvalidFixture`` naming every entry the provider's fixture schemas refuse."""
        problems = self.fixture_problems(data)
        if problems:
            raise InvalidFixture([FieldError(where, message) for where, message in problems])

    def documents_for(self, key: str) -> list[FixtureDocument]:
        named = [doc for doc in self.documents if key in doc.keys]
        return named or [doc for doc in self.documents if doc.default]


