"""Control API operations (``openapi/control.yaml``): read params -> act on the store -> body.

Method names are the spec's operationIds in snake_case; Connexion validates every request
against the spec first. Tenant addressing and data loading are in ``tenants.py``, journal
filters in ``journal.py``; the clock and seed settings are ``state.py``'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .. import faults, ratelimit
from ..clock import iso_micros, parse_instant
from ..fault_middleware import documented_statuses
from ..store import Namespace
from .errors import invalid
from .journal import JournalView
from .tenants import Tenants

if TYPE_CHECKING:
    from ..app import Sandbox


class ControlHandlers:
    def __init__(self, sandbox: "Sandbox") -> None:
        self.services = sandbox.services
        self.tenants = Tenants(sandbox)
        self.journal = JournalView(sandbox.services.store, self.tenants)

    # -- state -------------------------------------------------------------------------------
    def reset_sandbox(self, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        self.services.store.reset(None if ns is None else [ns])
        if ns is None:
            return ok({"scope": "sandbox"})
        return ok({"scope": "tenant", "provider": ns.provider, "key": ns.tenant})

    def create_tenant(self, body=None):
        body = body if isinstance(body, dict) else {}  # no body arrives as b""
        clock = _instant("clock", body["clock"]) if "clock" in body else None
        tenant = self.tenants.create(body.get("providers"), body.get("fixtures", True), clock,
                                     body.get("seed"), body.get("id"))
        return ok(tenant, 201)

    def load_fixtures(self, provider, key, body):
        ns = self.tenants.address(provider, key)
        loaded = self.tenants.load(ns, body["data"])
        return ok({"provider": provider, "key": key, "loaded": loaded})

    # -- journal -----------------------------------------------------------------------------
    def get_journal(self, provider=None, key=None, operation=None, status=None):
        return ok({"entries": self.journal.entries(provider, key, operation, status)})

    def clear_journal(self, provider=None, key=None):
        return ok({"cleared": self.journal.clear(provider, key)})

    # -- clock and seed ----------------------------------------------------------------------
    def get_clock(self, provider=None, key=None):
        return self._clock(self.tenants.address(provider, key))

    def set_clock(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        at = _instant("now", body["now"]) if "now" in body else None
        try:
            self.services.clock.set(at, frozen=body.get("frozen", True), ns=ns)
        except ValueError as exc:
            raise invalid("now", str(exc)) from None
        return self._clock(ns)

    def advance_clock(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        try:
            self.services.clock.advance(timedelta(seconds=body["seconds"]), ns)
        except (ValueError, OverflowError) as exc:
            raise invalid("seconds", str(exc)) from None
        return self._clock(ns)

    def restore_clock(self, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        self.services.clock.restore(ns)
        return self._clock(ns)

    def get_seed(self, provider=None, key=None):
        return self._seed(self.tenants.address(provider, key))

    def set_seed(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        self.services.ids.set_seed(body["seed"], ns)
        return self._seed(ns)

    # -- faults and rate limits --------------------------------------------------------------
    def create_fault(self, provider, key, body):
        ns = self.tenants.address(provider, key)
        operations = frozenset(documented_statuses(self.tenants.sandbox.specs[provider]))
        rule_id = f"fault_{self.services.store.next_number(ns, 'fault-ids')}"
        try:
            rule = faults.parse_rule(body, rule_id, operations)
        except faults.InvalidRule as exc:
            raise invalid("rule", str(exc)) from None
        return ok(faults.add_rule(self.services.store, ns, rule), 201)

    def list_faults(self, provider, key):
        ns = self.tenants.address(provider, key)
        return ok({"faults": self.services.store.list(ns, faults.FAULTS)})

    def clear_faults(self, provider, key):
        ns = self.tenants.address(provider, key)
        store = self.services.store
        cleared = [store.delete(ns, faults.FAULTS, r["id"]) for r in store.list(ns, faults.FAULTS)]
        return ok({"cleared": len(cleared)})

    def set_rate_limit(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        setting = ratelimit.configure(self.services.store, ns, body["enabled"],
                                      body.get("limit"), body.get("window_seconds"))
        return ok(setting)

    def _clock(self, ns: Namespace | None):
        clock = self.services.clock
        setting, source = clock.setting_for(ns)
        return ok({"now": iso_micros(clock.now_for(ns)), "frozen": setting.frozen_at is not None,
                   "setBy": source})

    def _seed(self, ns: Namespace | None):
        seed, source = self.services.ids.seed_for(ns)
        return ok({"seed": seed, "setBy": source})


def ok(body: dict, status: int = 200) -> tuple[dict, int, dict]:
    """A JSON answer (operations also document problem+json, so the type must be named)."""
    return body, status, {"Content-Type": "application/json"}


def _instant(field: str, text: str) -> datetime:
    try:
        return parse_instant(text)
    except (ValueError, OverflowError):
        raise invalid(field, f"{text!r} is not an RFC 3339 date-time "
                             "(e.g. 2024-01-01T00:00:00Z).") from None
