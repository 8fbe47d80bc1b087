"""Opt-in vendor rate limits: a fixed window per tenant, counted in the store.

Off unless switched on for a tenant or for everyone through the control API
(``PUT /_sandbox/rate-limits``). Each provider declares its policy (``providers.base.
RateLimitPolicy``): the documented limit where there is one (Billingrails: 50 requests a
minute) and the vendor's header names. Window counters expire with their window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ..core.tenant import Tenant
from ..providers.base import RateLimitPolicy
from ..store import Store


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    headers: dict[str, str]


def setting(enabled: bool, limit: int | None = None, window_seconds: int | None = None) -> dict:
    """The stored form of a rate-limit switch (``Settings.set_rate_limit``)."""
    return {"enabled": enabled, "limit": limit, "window_seconds": window_seconds}


def effective_policy(tenant: Tenant, policy: RateLimitPolicy | None) -> RateLimitPolicy | None:
    """The provider's policy with the tenant's (or the global) overrides, or None when off."""
    chosen = tenant.rate_limit
    if policy is None or not chosen or not chosen["enabled"]:
        return None
    return replace(policy, limit=chosen["limit"] or policy.limit,
                   window_seconds=chosen["window_seconds"] or policy.window_seconds)


def count(store: Store, tenant: Tenant, policy: RateLimitPolicy) -> Verdict:
    """Count one request in the current window; over the limit it is refused."""
    epoch = _epoch(tenant.now)
    window_start = epoch - epoch % policy.window_seconds
    used = store.hit(tenant.ns, f"rate:{policy.window_seconds}:{window_start}",
                     policy.window_seconds + 1)
    reset_in = max(window_start + policy.window_seconds - epoch, 1)
    reset_at = _plus(tenant.now, reset_in)
    remaining = max(policy.limit - used, 0)
    headers = policy.headers(policy.limit, remaining, reset_in, reset_at)
    if used > policy.limit:
        return Verdict(False, {**headers, **policy.retry_headers(reset_in, reset_at)})
    return Verdict(True, headers)


def _epoch(instant: datetime) -> int:
    """Whole seconds since 1970, exact for every instant datetime can hold (year 1 to 9999)."""
    return (instant - datetime(1970, 1, 1, tzinfo=instant.tzinfo)) // timedelta(seconds=1)


def _plus(instant: datetime, seconds: int) -> datetime:
    """``instant`` plus ``seconds``, or the last representable instant (a clock at 9999)."""
    try:
        return instant + timedelta(seconds=seconds)
    except OverflowError:
        return datetime.max.replace(tzinfo=instant.tzinfo)
