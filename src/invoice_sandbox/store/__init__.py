"""The store: the only mutable state of a sandbox, behind a small protocol.

Records are plain dicts (Decimal allowed for money) addressed by a namespace (provider,
tenant), a kind ("invoices", "items", ...) and an id. A shared store (Redis) can implement the
same protocol; handlers never see which one they talk to.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Iterable, NamedTuple, Protocol


class Namespace(NamedTuple):
    provider: str
    tenant: str


class Store(Protocol):
    def get(self, ns: Namespace, kind: str, record_id: str) -> dict | None:
        """A copy of the record, or None."""

    def put(self, ns: Namespace, kind: str, record_id: str, record: dict) -> None:
        """Insert or replace; the store keeps its own copy."""

    def delete(self, ns: Namespace, kind: str, record_id: str) -> bool:
        """Remove; False when there was nothing to remove."""

    def list(self, ns: Namespace, kind: str) -> list[dict]:
        """Copies of all records of a kind, in insertion order."""

    def next_number(self, ns: Namespace, counter: str) -> int:
        """Atomically increment and return a per-namespace counter (starts at 1)."""

    def atomic(self, ns: Namespace) -> AbstractContextManager:
        """Serialise read-modify-write sequences within one namespace."""

    def claim(self, ns: Namespace) -> bool:
        """True exactly once per namespace: the caller then seeds the tenant's fixtures."""

    def reset(self, namespaces: Iterable[Namespace] | None = None) -> None:
        """Forget everything, or only the given namespaces."""

    # -- append-only logs (the request journal): records without ids, read with ``list`` --
    def append(self, ns: Namespace, kind: str, record: dict, *, keep: int | None = None) -> None:
        """Add a record at the end of a kind; with ``keep``, only the newest ``keep`` remain."""

    def clear(self, ns: Namespace, kind: str) -> int:
        """Remove every record of a kind; returns how many there were."""

    def namespaces(self, kind: str) -> list[Namespace]:
        """The namespaces that hold at least one record of a kind."""


from .memory import MemoryStore  # noqa: E402

__all__ = ["Namespace", "Store", "MemoryStore"]
