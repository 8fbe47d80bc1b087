"""Who a request acts for: a ``Namespace`` in the store, and the ``Tenant`` resolved from it.

A ``Tenant`` is resolved once per request (``tenancy.Tenancy.resolve``) and passed explicitly
to whatever needs it: handlers, the fault layer, the journal. It carries the instant the
request happens at (the tenant's clock, read once, so every timestamp of one request agrees)
and the id seed in force, so nothing downstream reads a setting again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from .ids import IdSource


class Namespace(NamedTuple):
    provider: str
    tenant: str


GLOBAL = Namespace("_sandbox", "")
"""Where sandbox-wide records live; no provider is called ``_sandbox``."""


@dataclass(frozen=True)
class Tenant:
    ns: Namespace
    now: datetime
    """The tenant's clock, read once for this request."""
    seed: int
    """The id seed in force for the tenant."""
    rate_limit: dict | None = None
    """The tenant's (or the sandbox-wide) rate-limit setting, None when never set."""
    has_faults: bool = False
    """Whether fault rules are scheduled for the tenant (no lookup otherwise)."""
    ids: IdSource = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", IdSource(self.seed))

    @property
    def label(self) -> str:
        """The id namespace: ids are a function of (seed, label, counter)."""
        return f"{self.ns.provider}:{self.ns.tenant}"
