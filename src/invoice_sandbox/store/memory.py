"""In-process store: dicts behind one re-entrant lock, safe for threaded servers."""

from __future__ import annotations

import copy
import itertools
import threading
from collections import defaultdict
from typing import Iterable


class MemoryStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._records: dict = defaultdict(dict)  # (ns, kind) -> {id: record}
        self._counters: dict = defaultdict(int)  # (ns, counter) -> int
        self._claimed: set = set()
        self._appended = itertools.count()  # ids of appended records; never shown

    def get(self, ns, kind: str, record_id: str) -> dict | None:
        with self._lock:
            record = self._records.get((ns, kind), {}).get(record_id)
            return copy.deepcopy(record) if record is not None else None

    def put(self, ns, kind: str, record_id: str, record: dict) -> None:
        with self._lock:
            self._records[(ns, kind)][record_id] = copy.deepcopy(record)

    def delete(self, ns, kind: str, record_id: str) -> bool:
        with self._lock:
            return self._records.get((ns, kind), {}).pop(record_id, None) is not None

    def list(self, ns, kind: str) -> list[dict]:
        with self._lock:
            return [copy.deepcopy(r) for r in self._records.get((ns, kind), {}).values()]

    def next_number(self, ns, counter: str) -> int:
        with self._lock:
            self._counters[(ns, counter)] += 1
            return self._counters[(ns, counter)]

    def atomic(self, ns):
        return self._lock

    def claim(self, ns) -> bool:
        with self._lock:
            if ns in self._claimed:
                return False
            self._claimed.add(ns)
            return True

    def reset(self, namespaces: Iterable | None = None) -> None:
        with self._lock:
            if namespaces is None:
                self._records.clear()
                self._counters.clear()
                self._claimed.clear()
                return
            doomed = set(namespaces)
            for table in (self._records, self._counters):
                for key in [k for k in table if k[0] in doomed]:
                    del table[key]
            self._claimed -= doomed

    def append(self, ns, kind: str, record: dict, *, keep: int | None = None) -> None:
        with self._lock:
            table = self._records[(ns, kind)]
            table[next(self._appended)] = copy.deepcopy(record)
            while keep is not None and len(table) > keep:
                del table[next(iter(table))]

    def clear(self, ns, kind: str) -> int:
        with self._lock:
            return len(self._records.pop((ns, kind), {}))

    def namespaces(self, kind: str) -> list:
        with self._lock:
            return [ns for (ns, k), table in self._records.items() if k == kind and table]
