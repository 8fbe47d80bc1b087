"""A Redis store transaction: reads at once, each with the WATCH of what it reads; writes wait.

How ``RedisStore.transact`` uses it is told in ``redis.py``. A read after the first (up to
``_CHECKED_READS`` of them) also proves the earlier ones still hold (``redis_lua.READ``), so the
last read of a read-only transaction shows every read was one moment, with no EXEC to ask.
"""

from __future__ import annotations

import hashlib

import redis
from redis.exceptions import NoScriptError

from . import Namespace, codec
from .redis_lua import PAGE, READ
from .redis_wire import Link

_CHECKED_READS = 4
"""Reads of a transaction that the next one checks (each costs a record or page re-read)."""
_MAX_INDEX = 2**62
"""Past any list Redis can hold; ZRANGE takes 64-bit indices only."""


class Overtaken(Exception):
    """A transaction's read found an earlier read of it no longer holds: run ``fn`` again."""


class RedisTransaction:
    """Reads at once on the transaction's connection (one round trip each); buffers writes
    (encoded) until ``commit``."""

    def __init__(self, store, ns: Namespace, link: Link) -> None:
        """``store``: the ``RedisStore`` (its key names and write and draw commands)."""
        self._store, self._ns, self._link = store, ns, link
        self._watched: set[str] = set()
        self._reads: list[tuple[list, list, object]] = []  # keys, READ args, what it found
        self._one_moment = True  # every read so far was checked by the last
        self.writes: dict = {}  # (kind, id) -> encoded record, or None for a delete
        self.overtaken = False

    def get(self, kind: str, record_id: str) -> dict | None:
        if (kind, record_id) in self.writes:
            data = self.writes[(kind, record_id)]
            return None if data is None else codec.decode(data)
        key = self._store._key(self._ns, "r", kind)
        data = self._read([key], ["g", record_id], ("HGET", key, record_id))
        return None if data is None else codec.decode(data)

    def list(self, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        keys = [self._store._key(self._ns, "r", kind), self._store._key(self._ns, "o", kind)]
        if limit == 0 or offset > _MAX_INDEX:  # nothing to read, but the kind is watched
            self._call(keys)
            return []
        stop = -1 if limit is None else min(offset + limit - 1, _MAX_INDEX)
        page = self._read(keys, ["p", offset, stop], PAGE(keys, [offset, stop]))
        return [codec.decode(data) for data in page]

    def _call(self, keys: list[str], *commands: tuple) -> list:
        """``commands`` in one step, after a WATCH of the ``keys`` not watched yet."""
        fresh = [key for key in keys if key not in self._watched]
        if not fresh:
            return self._link.call(*commands) if commands else []
        try:
            return self._link.call(("WATCH", *fresh), *commands)
        finally:  # marked after the step: a step that starts UNWATCHing must not undo this
            self._watched.update(fresh)
            self._link.watching = True

    def _read(self, keys: list[str], args: list, plain: tuple):
        """What ``plain`` reads, after a WATCH of the ``keys`` not watched yet; checked
        against the earlier reads when there are a few (``Overtaken`` if one changed)."""
        earlier = self._reads
        checked = 0 < len(earlier) <= _CHECKED_READS
        self._one_moment = not earlier or checked
        if checked:
            all_keys = [key for keys_, _, _ in earlier for key in keys_] + keys
            all_args = [len(earlier)] + [x for _, args_, found in earlier
                                         for x in (*args_, _digest(found))] + args
            command = READ(all_keys, all_args)
        else:
            command = plain
        reply = self._call(keys, command)[-1]
        if checked:
            if not reply[0]:
                self.overtaken = True  # commit refuses even if fn swallowed the exception
                raise Overtaken()
            reply = reply[1]
        self._reads.append((keys, args, reply))
        return reply

    def put(self, kind: str, record_id: str, record: dict) -> None:
        self.writes[(kind, record_id)] = codec.encode(record)  # refused now, not at commit

    def delete(self, kind: str, record_id: str) -> None:
        self.writes[(kind, record_id)] = None

    def next_number(self, counter: str) -> int:
        return self._link.call(self._store._drawing(self._ns, counter))[0]

    def commit(self) -> bool:
        """Apply the writes unless a watched kind changed since it was read (then False).
        Nothing watched: the write script alone (atomic). Nothing written: a MULTI/EXEC
        proves several reads were one moment; a single read was one already."""
        if self.overtaken:
            return False
        if not self.writes and self._one_moment:
            return True  # the connection goes back marked watching: UNWATCHed on next use
        if not self._watched:
            self._link.call(self._store._writing(self._ns, self.writes))
            return True
        steps = [("MULTI",), *([self._store._writing(self._ns, self.writes)]
                               if self.writes else []), ("EXEC",)]
        try:
            done = self._link.call(*steps, reload_scripts=False)[-1]
        except NoScriptError:  # refused while queued, by a server that checks then
            done = [NoScriptError()]
        self._link.watching = False  # EXEC (or its refusal) ends every WATCH
        if done and isinstance(done[0], NoScriptError):  # a server new since the scripts
            self._link.wire.load_scripts(self._link.connection)  # were loaded: run fn again
            return False
        if done and isinstance(done[0], redis.ResponseError):
            raise done[0]
        return done is not None


def _digest(found) -> str:
    """``redis_lua.READ``'s digest of what a read found (a record's bytes, None, or a page)."""
    if found is None:
        return "-"
    if isinstance(found, bytes):
        return hashlib.sha1(found).hexdigest()
    return hashlib.sha1(b"".join(b"%d:%b" % (len(data), data) for data in found)).hexdigest()
