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
            self.sweep(keep=ns)

    def used(self, ns: Namespace, last_touch: int | None, *, pinned: bool) -> int | None:
        """Refresh the tenant's last use if the one on record is a minute old (re-listing it
        if its entry went missing), then sweep at most once a minute, never evicting ``ns``
        itself; returns the new touch second for the tenant's settings, or None."""
        now = int(self.wall_clock())
        touched = None
        if last_touch is None or now - last_touch >= TOUCH_EVERY:
            self.store.put(GLOBAL, TENANTS, entry_id(ns), {
                "provider": ns.provider, "key": ns.tenant, "lastUsed": now, "pinned": pinned})
            touched = now
        if now - self._last_sweep > SWEEP_EVERY:
            self.sweep(keep=ns)
        return touched

    def sweep(self, keep: Namespace | None = None) -> list[Namespace]:
        """Evict idle tenants, then the least recently used past the ceiling (never ``keep``,
        the tenant being served); the evicted."""
        now = self.wall_clock()
        self._last_sweep = now
        entries = self.store.list(GLOBAL, TENANTS)
        idle, active, pinned = [], [], 0
        for entry in entries:
            if entry["pinned"] or Namespace(entry["provider"], entry["key"]) == keep:
                pinned += 1
            elif now - entry["lastUsed"] > self.ttl_seconds:
                idle.append(entry)
            else:
                active.append(entry)
        active.sort(key=lambda e: e["lastUsed"])
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
