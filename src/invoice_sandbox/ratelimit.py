"""Opt-in vendor rate limits: a fixed window per tenant, counted in the store.

Off unless enabled for a tenant (control API) or for everyone (``--rate-limits``). Each
provider declares its policy: the documented limit where there is one (Billingrails: 50
requests a minute) and the vendor's header names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from .state import GLOBAL
from .store import Namespace, Store

SETTINGS = "_settings"
RATE_LIMIT = "rate-limit"


@dataclass(frozen=True)
class RateLimitPolicy:
    limit: int
    window_seconds: int
    headers: Callable[[int, int, int, datetime], dict[str, str]]
    """(limit, remaining, seconds until reset, reset instant) -> headers on every response."""
    retry_headers: Callable[[int, datetime], dict[str, str]]
    """(seconds to wait, reset instant) -> extra headers on a 429."""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]


def configure(store: Store, ns: Namespace | None, enabled: bool,
              limit: int | None = None, window_seconds: int | None = None) -> dict:
    """Turn rate limiting on or off for one tenant (or, with ``ns=None``, everyone)."""
    setting = {"enabled": enabled, "limit": limit, "window_seconds": window_seconds}
    store.put(ns or GLOBAL, SETTINGS, RATE_LIMIT, setting)
    return setting


def effective_policy(store: Store, ns: Namespace, policy: RateLimitPolicy | None):
    """The provider's policy with the tenant's (or the global) overrides, or None when off."""
    if policy is None:
        return None
    setting = store.get(ns, SETTINGS, RATE_LIMIT) or store.get(GLOBAL, SETTINGS, RATE_LIMIT)
    if not setting or not setting["enabled"]:
        return None
    return replace(policy, limit=setting["limit"] or policy.limit,
                   window_seconds=setting["window_seconds"] or policy.window_seconds)


def count(store: Store, ns: Namespace, policy: RateLimitPolicy, now: datetime) -> Verdict:
    """Count one request in the current window; over the limit it is refused."""
    epoch = int(now.timestamp())
    window_start = epoch - epoch % policy.window_seconds
    used = store.next_number(ns, f"rate:{policy.window_seconds}:{window_start}")
    reset_in = max(window_start + policy.window_seconds - epoch, 1)
    reset_at = datetime.fromtimestamp(window_start + policy.window_seconds, now.tzinfo)
    remaining = max(policy.limit - used, 0)
    headers = policy.headers(policy.limit, remaining, reset_in, reset_at)
    if used > policy.limit:
        return Verdict(False, {**headers, **policy.retry_headers(reset_in, reset_at)})
    return Verdict(True, headers)


def retry_after_only(limit: int, window_seconds: int) -> RateLimitPolicy:
    """A policy for vendors that document no rate-limit headers: ``Retry-After`` on a 429."""
    return RateLimitPolicy(limit, window_seconds, headers=lambda *_: {},
                           retry_headers=lambda wait, _reset: {"Retry-After": str(wait)})
