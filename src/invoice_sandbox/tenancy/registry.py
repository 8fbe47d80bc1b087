"""The tenant registry: which tenants exist, when each was last used, and eviction.

Any key of a provider's sandbox-key shape makes a tenant, so without a ceiling a long-running
sandbox grows with every key ever tried. Every claimed tenant is listed here (records of kind
``TENANTS`` in ``GLOBAL``) with the wall-clock second it was last used (refreshed at most once
a minute per tenant, so reads stay reads). Tenants of built-in and registered keys are pinned;
the others are evicted — every record, counter and log of theirs forgotten, as a reset does —
once idle for ``ttl_seconds``, or, past ``max_tenants``, least recently used first. Eviction
runs inline when a tenant is claimed (the moment memory grows) and at most once a minute
otherwise; no background thread is involved.
"""

from __future__ import annotations

import time
from typing import Callable

from ..core.tenant import GLOBAL, Namespace
from ..store import Store

TENANTS = "_tenants"
TOUCH_EVERY = 60
"""Seconds between two refreshes of a tenant's last use."""
SWEEP_EVERY = 60
"""Seconds between two idle sweeps of one process (a claim past the ceiling sweeps at once)."""


def entry_id(ns: Namespace) -> str:
    return f"{len(ns.provider)}:{ns.provider}{ns.tenant}"


class TenantRegistry:
    def __init__(self, store: Store, max_tenants: int, ttl_seconds: int,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.max_tenants = max_tenants
        self.ttl_seconds = ttl_seconds
        self.wall_clock = wall_clock
        self._last_sweep = 0.0

    def claimed(self, ns: Namespace, *, pinned: bool) -> None:
        """Note a new tenant; sweep when the registry has grown past the ceiling."""
        now = int(self.wall_clock())
        self.store.put(GLOBAL, TENANTS, entry_id(ns), {
            "provider": ns.provider, "key": ns.tenant, "lastUsed": now, "pinned": pinned})
        if self.store.count(GLOBAL, TENANTS) > self.max_tenants:
            self.sweep()

    def used(self, ns: Namespace, last_touch: int | None) -> int | None:
        """Refresh the tenant's last use if the one on record is a minute old; returns the
        new touch second to keep in the tenant's settings, or None when nothing changed."""
        now = int(self.wall_clock())
        if now - self._last_sweep > SWEEP_EVERY:
            self.sweep()
        if last_touch is not None and now - last_touch < TOUCH_EVERY:
            return None
        entry = self.store.get(GLOBAL, TENANTS, entry_id(ns))
        if entry is not None:
            self.store.put(GLOBAL, TENANTS, entry_id(ns), {**entry, "lastUsed": now})
        return now

    def sweep(self) -> list[Namespace]:
        """Evict idle tenants, then the least recently used past the ceiling; the evicted."""
        now = self.wall_clock()
        self._last_sweep = now
        entries = [e for e in self.store.list(GLOBAL, TENANTS) if not e["pinned"]]
        idle = [e for e in entries if now - e["lastUsed"] > self.ttl_seconds]
        active = sorted((e for e in entries if e not in idle), key=lambda e: e["lastUsed"])
        pinned = self.store.count(GLOBAL, TENANTS) - len(entries)
        excess = max(len(active) + pinned - self.max_tenants, 0)
        victims = [Namespace(e["provider"], e["key"]) for e in idle + active[:excess]]
        self.forget(victims)
        return victims

    def forget(self, namespaces: list[Namespace]) -> None:
        """Everything of these tenants, and their registry entries."""
        if namespaces:
            self.store.reset(namespaces)
        for ns in namespaces:
            self.store.delete(GLOBAL, TENANTS, entry_id(ns))
