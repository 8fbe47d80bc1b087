"""Control API operations (``openapi/control.yaml``): read params -> act on the store -> body.

Method names are the spec's operationIds in snake_case; Connexion validates every request
against the spec first. Tenant addressing and data loading are in ``tenants.py``, journal
filters in ``journal.py``; the clock, seed and rate-limit settings are ``tenancy.Settings``'.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..core.clock import iso_micros, parse_instant
from ..core.tenant import Namespace
from ..sandbox import Sandbox
from ..specs import documented_statuses
from . import faults, ratelimit
from .errors import invalid
from .journal import JournalView
from .tenants import Tenants


class ControlHandlers:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.store = sandbox.store
        self.settings = sandbox.settings
        self.tenants = Tenants(sandbox)
        self.journal = JournalView(sandbox.store, self.tenants)

    # -- state -------------------------------------------------------------------------------
    def reset_sandbox(self, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        if ns is None:  # everything but the sandbox's start seed
            start_seed = self.settings.record(None).get("startSeed", self.settings.start_seed)
            self.store.reset(None)
            self.settings.ensure_start_seed(start_seed, replace=True)
        else:
            self.store.reset([ns])
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
            self.settings.set_clock(ns, at, frozen=body.get("frozen", True))
        except ValueError as exc:
            raise invalid("now", str(exc)) from None
        return self._clock(ns)

    def advance_clock(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        try:
            self.settings.advance_clock(ns, timedelta(seconds=body["seconds"]))
        except (ValueError, OverflowError) as exc:
            raise invalid("seconds", str(exc)) from None
        return self._clock(ns)

    def restore_clock(self, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        self.settings.restore_clock(ns)
        return self._clock(ns)

    def get_seed(self, provider=None, key=None):
        return self._seed(self.tenants.address(provider, key))

    def set_seed(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        self.settings.set_seed(ns, body["seed"])
        return self._seed(ns)

    # -- faults and rate limits --------------------------------------------------------------
    def create_fault(self, provider, key, body):
        ns = self.tenants.address(provider, key)
        operations = frozenset(documented_statuses(self.sandbox.specs[provider]))
        try:
            return ok(faults.add_rule(self.store, ns, body, operations), 201)
        except faults.InvalidRule as exc:
            raise invalid("rule", str(exc)) from None

    def list_faults(self, provider, key):
        ns = self.tenants.address(provider, key)
        return ok({"faults": faults.list_rules(self.store, ns)})

    def clear_faults(self, provider, key):
        ns = self.tenants.address(provider, key)
        return ok({"cleared": faults.clear_rules(self.store, ns)})

    def set_rate_limit(self, body, provider=None, key=None):
        ns = self.tenants.address(provider, key)
        setting = ratelimit.setting(body["enabled"], body.get("limit"), body.get("window_seconds"))
        self.settings.set_rate_limit(ns, setting)
        return ok(setting)

    def _clock(self, ns: Namespace | None):
        setting, source = self.settings.clock_for(ns)
        now = setting.reading(self.settings.system_now())
        return ok({"now": iso_micros(now), "frozen": setting.frozen_at is not None,
                   "setBy": source})

    def _seed(self, ns: Namespace | None):
        seed, source = self.settings.seed_for(ns)
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
