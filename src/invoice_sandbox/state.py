"""The sandbox's controllable clock and id seed, kept in the store, globally and per tenant.

Provider code asks ``services.clock.now()`` and ``services.ids`` as before; which tenant is
asking comes from a context variable that the security layer sets once it knows the tenant
(context variables follow the request into Connexion's and a2wsgi's worker threads). A tenant's
own setting wins over the global one, which wins over the start-up configuration. Because the
state lives in the store, resetting the store (or one tenant) restores the start-up settings.

Stored shapes (plain values, so a shared store can serialise them):
    clock  {"frozenAt": "<RFC 3339>" | None, "offsetMicros": int}
    seed   {"seed": int}
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from .clock import Clock, SystemClock, parse_instant
from .ids import IdSource
from .store import Namespace, Store

GLOBAL = Namespace("_sandbox", "")
"""Where sandbox-wide settings live; no provider is called ``_sandbox``."""
STATE = "_sandbox.state"
"""The record kind holding a namespace's clock and seed settings."""

_tenant: ContextVar[Namespace | None] = ContextVar("invoice_sandbox_tenant", default=None)


def current_tenant() -> Namespace | None:
    """The tenant the current request (or fixture load) acts for; None outside one."""
    return _tenant.get()


def enter_tenant(ns: Namespace | None) -> Token:
    """Make ``ns`` the current tenant; pass the token to ``leave_tenant`` to undo."""
    return _tenant.set(ns)


def leave_tenant(token: Token) -> None:
    _tenant.reset(token)


@contextmanager
def tenant_context(ns: Namespace | None) -> Iterator[None]:
    token = enter_tenant(ns)
    try:
        yield
    finally:
        leave_tenant(token)


@dataclass(frozen=True)
class ClockSetting:
    """Frozen at an instant, or running with an offset from the system clock."""

    frozen_at: datetime | None = None
    offset: timedelta = timedelta(0)

    def reading(self, system_now: datetime) -> datetime:
        return self.frozen_at if self.frozen_at is not None else system_now + self.offset

    def as_record(self) -> dict:
        frozen = self.frozen_at.isoformat() if self.frozen_at is not None else None
        return {"frozenAt": frozen, "offsetMicros": self.offset // timedelta(microseconds=1)}

    @classmethod
    def from_record(cls, record: dict) -> "ClockSetting":
        frozen = record.get("frozenAt")
        return cls(parse_instant(frozen) if frozen else None,
                   timedelta(microseconds=record.get("offsetMicros", 0)))


class StoreClock:
    """A ``Clock`` whose setting, per tenant or global, lives in the store.

    Settings that would leave datetime's range raise ``ValueError`` and change nothing.
    """

    def __init__(self, store: Store, start: ClockSetting, system: Clock | None = None) -> None:
        self.store = store
        self.start = start
        self.system = system or SystemClock()

    def now(self) -> datetime:
        return self.now_for(current_tenant())

    def now_for(self, ns: Namespace | None) -> datetime:
        return self.setting_for(ns)[0].reading(self.system.now())

    def setting_for(self, ns: Namespace | None) -> tuple[ClockSetting, str]:
        """The setting in force for ``ns`` and who set it: "tenant", "global" or "config"."""
        for where, source in ((ns, "tenant"), (GLOBAL, "global")):
            record = self.store.get(where, STATE, "clock") if where is not None else None
            if record is not None:
                return ClockSetting.from_record(record), source
        return self.start, "config"

    def set(self, at: datetime | None, *, frozen: bool = True,
            ns: Namespace | None = None) -> None:
        """Read ``at`` (default: the current reading) from now on, frozen or running."""
        system_now = self.system.now()
        reading = at if at is not None else self.setting_for(ns)[0].reading(system_now)
        setting = ClockSetting(frozen_at=reading) if frozen else ClockSetting(
            offset=reading - system_now)
        self._save(ns, setting)

    def advance(self, delta: timedelta, ns: Namespace | None = None) -> None:
        """Move the reading (back, when negative); a frozen clock stays frozen."""
        with self.store.atomic(ns or GLOBAL):
            setting = self.setting_for(ns)[0]
            try:
                if setting.frozen_at is not None:
                    setting = ClockSetting(frozen_at=setting.frozen_at + delta)
                else:
                    setting = ClockSetting(offset=setting.offset + delta)
            except OverflowError:
                raise ValueError("the clock cannot be moved that far") from None
            self._save(ns, setting)

    def restore(self, ns: Namespace | None = None) -> None:
        """Drop the tenant's own setting (or the global one) so the next level applies."""
        self.store.delete(ns or GLOBAL, STATE, "clock")

    def _save(self, ns: Namespace | None, setting: ClockSetting) -> None:
        try:
            setting.reading(self.system.now())
        except OverflowError:
            raise ValueError("the clock would leave the range of representable instants") from None
        self.store.put(ns or GLOBAL, STATE, "clock", setting.as_record())


class StoreIdSource(IdSource):
    """An ``IdSource`` whose seed, per tenant or global, lives in the store."""

    def __init__(self, store: Store, start_seed: int) -> None:
        # IdSource.__init__ is not called: it assigns ``seed``, a read-only property here.
        self.store = store
        self.start_seed = start_seed

    @property
    def seed(self) -> int:
        return self.seed_for(current_tenant())[0]

    def seed_for(self, ns: Namespace | None) -> tuple[int, str]:
        """The seed in force for ``ns`` and who set it: "tenant", "global" or "config"."""
        for where, source in ((ns, "tenant"), (GLOBAL, "global")):
            record = self.store.get(where, STATE, "seed") if where is not None else None
            if record is not None:
                return record["seed"], source
        return self.start_seed, "config"

    def set_seed(self, seed: int, ns: Namespace | None = None) -> None:
        self.store.put(ns or GLOBAL, STATE, "seed", {"seed": seed})
