"""A tenant's settings (clock, id seed, rate limit) and the sandbox-wide ones, kept in the store.

Each namespace has one settings record (kind ``META``, id ``SETTINGS``); the ``GLOBAL`` one
also holds the start seed, drawn once per sandbox (not per process) so every worker mints
from the same seed. A tenant's own setting wins over the global one, which wins over the
start-up configuration. Reading both records is all it takes to resolve a ``Tenant``; every
change is a transaction on one record, so workers never overwrite each other's settings.

Stored shapes (plain values, see ``store.codec``):
    clock      {"frozenAt": "<RFC 3339>" | None, "offsetMicros": int}
    seed       int
    rateLimit  {"enabled": bool, "limit": int | None, "window_seconds": int | None}
    faults     int, how many fault rules the tenant has scheduled
    startSeed  int (global record only)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from ..core.clock import SystemClock, parse_instant
from ..core.tenant import GLOBAL, Namespace, Tenant
from ..store import Store, Transaction

META = "_meta"
SETTINGS = "settings"
LAST_INSTANT = datetime.max.replace(tzinfo=timezone.utc)
RUNNING_MARGIN = timedelta(days=1)
"""A running clock must be this far from the end of year 9999 when it is set or moved."""


@dataclass(frozen=True)
class ClockSetting:
    """Frozen at an instant, or running with an offset from the system clock."""

    frozen_at: datetime | None = None
    offset: timedelta = timedelta(0)

    def reading(self, system_now: datetime) -> datetime:
        """The instant this setting reads; a running clock stops at the last representable
        instant rather than overflow (``set_clock`` refuses to start one within a day of it)."""
        if self.frozen_at is not None:
            return self.frozen_at
        try:
            return system_now + self.offset
        except OverflowError:
            return LAST_INSTANT

    def as_record(self) -> dict:
        frozen = self.frozen_at.isoformat() if self.frozen_at is not None else None
        return {"frozenAt": frozen, "offsetMicros": self.offset // timedelta(microseconds=1)}

    @classmethod
    def from_record(cls, record: dict) -> "ClockSetting":
        frozen = record.get("frozenAt")
        return cls(parse_instant(frozen) if frozen else None,
                   timedelta(microseconds=record.get("offsetMicros", 0)))


class Settings:
    """Reads and changes settings; ``start_clock`` and ``start_seed`` come from the config."""

    def __init__(self, store: Store, start_clock: ClockSetting, start_seed: int,
                 system_now: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.start_clock = start_clock
        self.start_seed = start_seed
        self.system_now = system_now or SystemClock().now

    # -- reading -------------------------------------------------------------------------------
    def record(self, ns: Namespace | None) -> dict:
        return self.store.get(ns or GLOBAL, META, SETTINGS) or {}

    def records(self, ns: Namespace) -> tuple[dict, dict]:
        """The settings records of ``ns`` and of the sandbox, read together (one store call)."""
        own, sandbox_wide = self.store.get_many([(ns, META, SETTINGS), (GLOBAL, META, SETTINGS)])
        return own or {}, sandbox_wide or {}

    def tenant(self, ns: Namespace, own: dict, sandbox_wide: dict) -> Tenant:
        """The ``Tenant`` for ``ns`` from its settings record and the global one."""
        clock = self._clock(own, sandbox_wide)[0]
        return Tenant(ns, clock.reading(self.system_now()), self._seed(own, sandbox_wide)[0],
                      rate_limit=own.get("rateLimit") or sandbox_wide.get("rateLimit"),
                      has_faults=bool(own.get("faults")))

    def clock_for(self, ns: Namespace | None) -> tuple[ClockSetting, str]:
        """The clock setting in force and who set it: "tenant", "global" or "config"."""
        return self._clock(self.record(ns) if ns else {}, self.record(None))

    def now_for(self, ns: Namespace | None) -> datetime:
        return self.clock_for(ns)[0].reading(self.system_now())

    def seed_for(self, ns: Namespace | None) -> tuple[int, str]:
        """The id seed in force and who set it: "tenant", "global" or "config"."""
        return self._seed(self.record(ns) if ns else {}, self.record(None))

    def _clock(self, own: dict, sandbox_wide: dict) -> tuple[ClockSetting, str]:
        for record, source in ((own, "tenant"), (sandbox_wide, "global")):
            if record.get("clock") is not None:
                return ClockSetting.from_record(record["clock"]), source
        return self.start_clock, "config"

    def _seed(self, own: dict, sandbox_wide: dict) -> tuple[int, str]:
        for record, source in ((own, "tenant"), (sandbox_wide, "global")):
            if record.get("seed") is not None:
                return record["seed"], source
        return sandbox_wide.get("startSeed", self.start_seed), "config"

    # -- changing ------------------------------------------------------------------------------
    def update(self, ns: Namespace | None, change: Callable[[dict], dict]) -> dict:
        """Apply ``change`` to the settings record of ``ns`` (None: global), atomically."""
        def apply(tx: Transaction) -> dict:
            record = change(dict(tx.get(META, SETTINGS) or {}))
            tx.put(META, SETTINGS, record)
            return record

        return self.store.transact(ns or GLOBAL, apply)

    def set_clock(self, ns: Namespace | None, at: datetime | None, *, frozen: bool = True) -> None:
        """Read ``at`` (default: the current reading) from now on, frozen or running.

        Settings that would leave datetime's range raise ``ValueError`` and change nothing.
        """
        system_now = self.system_now()
        reading = at if at is not None else self.clock_for(ns)[0].reading(system_now)
        try:
            setting = ClockSetting(frozen_at=reading) if frozen else ClockSetting(
                offset=reading - system_now)
        except OverflowError:
            raise ValueError("the clock cannot be set that far") from None
        self._save_clock(ns, lambda _current: setting)

    def advance_clock(self, ns: Namespace | None, delta: timedelta) -> None:
        """Move the reading (back, when negative); a frozen clock stays frozen."""
        def moved(current: ClockSetting) -> ClockSetting:
            try:
                if current.frozen_at is not None:
                    return ClockSetting(frozen_at=current.frozen_at + delta)
                return ClockSetting(offset=current.offset + delta)
            except OverflowError:
                raise ValueError("the clock cannot be moved that far") from None

        self._save_clock(ns, moved)

    def restore_clock(self, ns: Namespace | None) -> None:
        """Drop the tenant's own clock (or the global one) so the next level applies."""
        self.update(ns, lambda record: {k: v for k, v in record.items() if k != "clock"})

    def set_seed(self, ns: Namespace | None, seed: int) -> None:
        self.update(ns, lambda record: {**record, "seed": seed})

    def set_rate_limit(self, ns: Namespace | None, setting: dict) -> None:
        self.update(ns, lambda record: {**record, "rateLimit": setting})

    def ensure_start_seed(self, seed: int, *, replace: bool) -> int:
        """Keep the sandbox's start seed (the first process's), or set ``seed`` if ``replace``."""
        def keep(record: dict) -> dict:
            return record if "startSeed" in record and not replace else {**record, "startSeed": seed}

        return self.update(None, keep)["startSeed"]

    def _save_clock(self, ns: Namespace | None,
                    change: Callable[[ClockSetting], ClockSetting]) -> None:
        sandbox_wide = self.record(None) if ns is not None else {}

        def apply(record: dict) -> dict:
            own = record if ns is not None else {}
            current = self._clock(own, sandbox_wide if ns is not None else record)[0]
            setting = change(current)
            reading = setting.reading(self.system_now())
            if setting.frozen_at is None and reading > LAST_INSTANT - RUNNING_MARGIN:
                raise ValueError("a running clock must stay a day away from the end of year "
                                 "9999; freeze it there instead")
            return {**record, "clock": setting.as_record()}

        self.update(ns, apply)
