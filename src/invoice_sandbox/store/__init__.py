"""The store: the only mutable state of a sandbox, behind one protocol every backend honours.

Backends: ``MemoryStore`` (one process, the default) and ``RedisStore`` (many processes and
hosts, kept across restarts; Valkey works the same). One conformance suite
(``tests/store/test_conformance.py``) runs against both.

Addressing. Everything belongs to a ``Namespace`` (provider, tenant); ``GLOBAL`` holds what
is sandbox-wide. Within a namespace, *records* live in *kinds* ("invoices", "items:in_1", ...)
under string ids; *counters* and *logs* have names. A backend keeps each namespace's data
together (in Redis, one cluster hash slot per namespace, keys
``<prefix>:{<provider>:<tenant>}:…``), so every multi-key operation below touches one namespace.

What a record may contain (the codec, ``codec.py``, enforces it on every write):
    None, bool, int (any size, exact), str (any text, lone surrogates included),
    decimal.Decimal (finite; round-trips to the last digit), list, and dict with str keys.
    No float, anywhere: money is Decimal or int. A record is copied in and out: mutating what
    ``get`` returned, or what was passed to ``put``, never changes the stored record.

Operations and their guarantees:
    get / get_many / list /   read records; ``get_many`` reads several, of any namespaces, in
    count / get_and_list      one go (each as ``get`` would; together they are no snapshot).
                              ``list`` is in first-insertion order (re-putting an id keeps
                              its place), with ``offset``/``limit`` for pages.
                              ``get_and_list``: a record and every record of another kind
                              (an invoice and its items) as of one moment, in one go.
    put / delete              one record, atomically.
    transact(ns, fn)          atomic read-modify-write across processes: ``fn(tx)`` reads with
                              ``tx.get`` and writes with ``tx.put``/``tx.delete``; its writes
                              are applied all together, or (if ``fn`` raises) not at all. If a
                              record it read changed meanwhile, the writes are discarded and
                              ``fn`` runs again, so ``fn`` must not have other side effects.
                              A transaction that only reads (``tx.get``/``tx.list``) returns
                              one consistent snapshot (an invoice and its items together).
                              Counters drawn inside (``tx.next_number``) are not rolled back.
    next_number               a counter's next value (1, 2, ...), atomic across processes.
    hit(ns, name, ttl)        an expiring counter (rate-limit windows, draw counters): the
                              next value; the counter vanishes ``ttl`` seconds after its first hit.
    log_append / log_read /   bounded append-only logs (the journal): ``keep`` newest entries
    log_clear / log_namespaces  remain; ``log_namespaces`` lists namespaces holding a log.
    log_append_numbered       an entry numbered from a counter (of any namespace) as it is
                              appended, in one step: in a log, numbers follow append order.
    reset(namespaces)         forget every record, counter and log of those namespaces (None:
                              of the whole sandbox).
"""

from __future__ import annotations

from typing import Callable, Iterable, Protocol, TypeVar

from ..core.tenant import GLOBAL, Namespace

T = TypeVar("T")


class Transaction(Protocol):
    def get(self, kind: str, record_id: str) -> dict | None:
        """The record as the transaction sees it (its own writes included); watched."""

    def list(self, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        """Like ``Store.list``, watched; the transaction's own writes are not in it. With
        ``get``, a read-only transaction gives one consistent snapshot of several records."""

    def put(self, kind: str, record_id: str, record: dict) -> None:
        """Insert or replace when the transaction commits."""

    def delete(self, kind: str, record_id: str) -> None:
        """Remove when the transaction commits (nothing if absent)."""

    def next_number(self, counter: str) -> int:
        """``Store.next_number`` in the transaction's namespace (drawn at once, kept)."""


class Store(Protocol):
    def get(self, ns: Namespace, kind: str, record_id: str) -> dict | None: ...

    def get_many(self, reads: Iterable[tuple[Namespace, str, str]]) -> list[dict | None]:
        """``get`` of each (namespace, kind, id), in order, in one go: what a request needs
        from several namespaces (a tenant's settings and the sandbox-wide ones). Each record
        is read atomically; for records of one namespace read at one moment, ``transact``."""

    def get_and_list(self, ns: Namespace, kind: str, record_id: str,
                     listed: str) -> tuple[dict | None, list[dict]]:
        """``get(ns, kind, record_id)`` and ``list(ns, listed)``, both as of one moment even
        while others write (a read-only ``transact`` would give the same, in more steps)."""

    def list(self, ns: Namespace, kind: str, offset: int = 0,
             limit: int | None = None) -> list[dict]: ...

    def count(self, ns: Namespace, kind: str) -> int: ...

    def put(self, ns: Namespace, kind: str, record_id: str, record: dict) -> None: ...

    def delete(self, ns: Namespace, kind: str, record_id: str) -> bool:
        """False when there was nothing to remove."""

    def transact(self, ns: Namespace, fn: Callable[[Transaction], T]) -> T: ...

    def next_number(self, ns: Namespace, counter: str) -> int: ...

    def hit(self, ns: Namespace, counter: str, ttl_seconds: int) -> int: ...

    def log_append(self, ns: Namespace, log: str, entry: dict, keep: int) -> None: ...

    def log_append_numbered(self, ns: Namespace, log: str, entry: dict, keep: int, *,
                            counter: tuple[Namespace, str], field: str) -> None:
        """``log_append`` of ``{field: n, **entry}``, ``n`` being ``next_number(*counter)``
        drawn in the same atomic step. ``field`` may not start with ``$``. Redis returns once
        the step is sent, without waiting for the answer (what a request does after its
        response went out): the server runs it before anything sent after it, and a refusal
        is logged."""

    def log_read(self, ns: Namespace, log: str) -> list[dict]:
        """Oldest first."""

    def log_clear(self, ns: Namespace, log: str) -> int:
        """How many entries were removed."""

    def log_namespaces(self, log: str) -> list[Namespace]: ...

    def reset(self, namespaces: Iterable[Namespace] | None = None) -> None: ...

    def close(self) -> None: ...


def open_store(url: str | None) -> Store:
    """A store from a ``--store`` value: None or ``memory`` -> ``MemoryStore``;
    ``redis://``/``rediss://``/``unix://`` -> ``RedisStore`` (``?prefix=`` names its keys)."""
    if url is None or url == "memory":
        return MemoryStore()
    if url.startswith(("redis://", "rediss://", "unix://", "valkey://")):
        from .redis import RedisStore

        return RedisStore.from_url(url)
    raise ValueError(f"--store wants 'memory' or a redis:// URL, got {url!r}")


from .memory import MemoryStore  # noqa: E402

__all__ = ["GLOBAL", "MemoryStore", "Namespace", "Store", "Transaction", "open_store"]
