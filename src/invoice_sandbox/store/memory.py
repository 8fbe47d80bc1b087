"""In-process store: records kept encoded (``codec``), one lock per namespace for writes.

Reads and single writes take a short process-wide lock for the dict they touch; a
``transact`` holds only its namespace's lock while ``fn`` runs, so one tenant's writes never
wait for another's. Every operation costs the size of the records it touches, never the size
of the collection they are in (``list`` costs its page).
"""

from __future__ import annotations

import contextlib
import itertools
import sys
import threading
import time
from collections import defaultdict, deque
from typing import Callable, Iterable, TypeVar

from . import codec

T = TypeVar("T")
_NONE: dict = {}
"""Read-only stand-in for a namespace or kind with no records (never written to)."""
_SWEEP_EVERY = 1024
"""Expired counters are swept after this many ``hit`` calls (and read as absent meanwhile)."""


class MemoryStore:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._ns_locks: dict = {}  # ns -> RLock, made under _lock, dropped by reset
        self._records: dict = {}  # ns -> {kind: {id: bytes}}  (see _table)
        self._counters: dict = defaultdict(int)  # (ns, name) -> int
        self._expiring: dict = {}  # (ns, name) -> [value, deadline]
        self._logs: dict = defaultdict(deque)  # (ns, log) -> deque[bytes]
        self._hits = itertools.count(1)
        self._monotonic = clock

    # -- records -------------------------------------------------------------------------------
    def get(self, ns, kind: str, record_id: str) -> dict | None:
        with self._lock:
            data = self._table(ns, kind).get(record_id)
        return codec.decode(data) if data is not None else None

    def get_many(self, reads: Iterable) -> list[dict | None]:
        with self._lock:
            found = [self._table(ns, kind).get(record_id)
                     for ns, kind, record_id in reads]
        return [codec.decode(data) if data is not None else None for data in found]

    def get_and_list(self, ns, kind: str, record_id: str, listed: str) -> tuple:
        with self._lock:  # a transaction's writes land under this lock together
            data = self._table(ns, kind).get(record_id)
            page = list(self._table(ns, listed).values())
        return (None if data is None else codec.decode(data)), [codec.decode(d) for d in page]

    def list(self, ns, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        offset = min(offset, sys.maxsize)  # an offset past any list (the spec sets no maximum)
        with self._lock:
            table = self._table(ns, kind)
            stop = None if limit is None else min(offset + limit, sys.maxsize)
            page = list(itertools.islice(table.values(), offset, stop))
        return [codec.decode(data) for data in page]

    def count(self, ns, kind: str) -> int:
        with self._lock:
            return len(self._table(ns, kind))

    def put(self, ns, kind: str, record_id: str, record: dict) -> None:
        data = codec.encode(record)
        with self._ns_lock(ns), self._lock:
            self._table(ns, kind, create=True)[record_id] = data

    def delete(self, ns, kind: str, record_id: str) -> bool:
        with self._ns_lock(ns), self._lock:
            return self._table(ns, kind).pop(record_id, None) is not None

    def transact(self, ns, fn: Callable[["_MemoryTransaction"], T]) -> T:
        with self._ns_lock(ns):
            tx = _MemoryTransaction(self, ns)
            result = fn(tx)
            with self._lock:
                for (kind, record_id), data in tx.writes.items():
                    table = self._table(ns, kind, create=True)
                    if data is None:
                        table.pop(record_id, None)
                    else:
                        table[record_id] = data
            return result

    def _table(self, ns, kind: str, *, create: bool = False) -> dict:
        """The records of one kind (call with ``_lock`` held; an empty dict to read when
        there are none). Kept as namespace -> kind -> id, never keyed by ``(ns, kind)``
        tuples: a ``Namespace`` is a named tuple, which the garbage collector never stops
        tracking, so each invoice's item kind would leave one more object for every full
        collection to walk. Dicts of strings and bytes are not tracked at all."""
        if create:
            return self._records.setdefault(ns, {}).setdefault(kind, {})
        return self._records.get(ns, _NONE).get(kind, _NONE)

    # -- counters ------------------------------------------------------------------------------
    def next_number(self, ns, counter: str) -> int:
        with self._lock:
            self._counters[(ns, counter)] += 1
            return self._counters[(ns, counter)]

    def hit(self, ns, counter: str, ttl_seconds: int) -> int:
        now = self._monotonic()
        with self._lock:
            if next(self._hits) % _SWEEP_EVERY == 0:
                for key in [k for k, (_, end) in self._expiring.items() if end <= now]:
                    del self._expiring[key]
            entry = self._expiring.get((ns, counter))
            if entry is None or entry[1] <= now:
                entry = self._expiring[(ns, counter)] = [0, now + ttl_seconds]
            entry[0] += 1
            return entry[0]

    # -- logs ----------------------------------------------------------------------------------
    def log_append(self, ns, log: str, entry: dict, keep: int) -> None:
        data = codec.encode(entry)
        with self._lock:
            entries = self._logs[(ns, log)]
            entries.append(data)
            while len(entries) > keep:
                entries.popleft()

    def log_append_numbered(self, ns, log: str, entry: dict, keep: int, *,
                            counter: tuple, field: str) -> None:
        head, tail = codec.encode_numbered(field, entry)
        with self._lock:
            self._counters[counter] += 1
            number = self._counters[counter]
            entries = self._logs[(ns, log)]
            entries.append(b"%b%d%b" % (head, number, tail))
            while len(entries) > keep:
                entries.popleft()

    def log_read(self, ns, log: str) -> list[dict]:
        with self._lock:
            entries = list(self._logs.get((ns, log), ()))
        return [codec.decode(data) for data in entries]

    def log_clear(self, ns, log: str) -> int:
        with self._lock:
            return len(self._logs.pop((ns, log), ()))

    def log_namespaces(self, log: str) -> list:
        with self._lock:
            return [ns for (ns, name), entries in self._logs.items() if name == log and entries]

    # -- lifecycle -----------------------------------------------------------------------------
    def _ns_lock(self, ns) -> threading.RLock:
        with self._lock:
            return self._ns_locks.setdefault(ns, threading.RLock())

    def reset(self, namespaces: Iterable | None = None) -> None:
        """Waits for the namespaces' transactions in flight, so none writes into the reset."""
        with self._lock:
            doomed = set(self._ns_locks) if namespaces is None else set(namespaces)
        locks = [self._ns_lock(ns) for ns in sorted(doomed, key=repr)]
        with contextlib.ExitStack() as held:
            for lock in locks:
                held.enter_context(lock)
            with self._lock:
                for table in (self._counters, self._expiring, self._logs):
                    if namespaces is None:
                        table.clear()
                    else:
                        for key in [k for k in table if k[0] in doomed]:
                            del table[key]
                if namespaces is None:
                    self._records.clear()
                for ns in doomed:
                    self._records.pop(ns, None)
                for ns in doomed:
                    self._ns_locks.pop(ns, None)

    def close(self) -> None:
        """Nothing to release; here for the protocol."""


class _MemoryTransaction:
    """Reads through to the store (the namespace lock keeps them stable); buffers writes."""

    def __init__(self, store: MemoryStore, ns) -> None:
        self.store = store
        self.ns = ns
        self.writes: dict = {}  # (kind, id) -> encoded record, or None for a delete

    def get(self, kind: str, record_id: str) -> dict | None:
        if (kind, record_id) in self.writes:
            data = self.writes[(kind, record_id)]
            return None if data is None else codec.decode(data)
        return self.store.get(self.ns, kind, record_id)

    def list(self, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        return self.store.list(self.ns, kind, offset, limit)

    def put(self, kind: str, record_id: str, record: dict) -> None:
        self.writes[(kind, record_id)] = codec.encode(record)  # refused now, not at commit

    def delete(self, kind: str, record_id: str) -> None:
        self.writes[(kind, record_id)] = None

    def next_number(self, counter: str) -> int:
        return self.store.next_number(self.ns, counter)
