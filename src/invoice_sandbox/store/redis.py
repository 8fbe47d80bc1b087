"""Redis (or Valkey) store: the ``Store`` protocol shared by processes and kept across restarts.

Key layout (``P`` = prefix; provider, tenant and every name percent-encoded, so ``{``, ``}`` and
``:`` in them can neither break the hash tag nor make two keys collide)::

    P:{provider:tenant}:r:<kind>     HASH  id -> codec bytes           (the records)
    P:{provider:tenant}:o:<kind>     ZSET  id -> order number          (first-insertion order)
    P:{provider:tenant}:seq          STR   the order numbers' counter
    P:{provider:tenant}:n:<counter>  STR   next_number
    P:{provider:tenant}:h:<counter>  STR   hit (expiring)
    P:{provider:tenant}:l:<log>      LIST  log entries, oldest first
    P:{provider:tenant}:keys         SET   every key above except hits  (so reset costs the
    P:{provider:tenant}:expiring     ZSET  hit key -> when it is gone    namespace, not the db)
    P:logs:<log>                     SET   "provider:tenant" of namespaces holding that log

A namespace's keys share one hash tag, so each script and MULTI below stays in one cluster
slot; the ``P:logs:*`` registries (another slot) are written in plain pipelines, never
inside a MULTI or script of a namespace, so the same commands work on a cluster.

``transact`` is optimistic: ``tx.get`` WATCHes the records hash of the kind it reads (so any
write to that kind in that namespace is a conflict) and reads at once; writes wait in the
transaction and go in one MULTI/EXEC. When EXEC finds a watched kind changed, ``fn`` runs
again after a short random pause, up to ``_ATTEMPTS`` times, then ``TransactionConflict``.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from typing import Callable, Iterable, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import redis
from redis.exceptions import NoScriptError

from ..errors import StoreUnavailable
from . import Namespace, codec
from .redis_lua import ALL, APPEND, HIT, NEXT, PAGE, READ, WRITE
from .redis_wire import Link, Wire

T = TypeVar("T")
_PREFIX = re.compile(r"[A-Za-z0-9_.-]+")
_ATTEMPTS = 3000
_BACKOFF_CAP_US = 4000
_BATCH = 500
_CHECKED_READS = 4
"""Reads of a transaction that the next one checks (each costs a record or page re-read)."""
_OVERTAKEN = object()
_MAX_INDEX = 2**62
"""Past any list Redis can hold; ZRANGE takes 64-bit indices only."""

class TransactionConflict(RuntimeError):
    """``transact`` kept losing the race for the records it read, and gave up."""


def _digest(found) -> str:
    """``redis_lua.READ``'s digest of what a read found (a record's bytes, None, or a page)."""
    if found is None:
        return "-"
    if isinstance(found, bytes):
        return hashlib.sha1(found).hexdigest()
    return hashlib.sha1(b"".join(b"%d:%b" % (len(data), data) for data in found)).hexdigest()


def _q(text: str) -> str:
    return quote(text, safe="")


def _member(ns: Namespace) -> str:
    return f"{_q(ns.provider)}:{_q(ns.tenant)}"


def _namespace(member: bytes) -> Namespace:
    provider, tenant = member.decode("ascii").split(":")
    return Namespace(unquote(provider), unquote(tenant))


class RedisStore:
    def __init__(self, client: redis.Redis, prefix: str = "isb") -> None:
        if not _PREFIX.fullmatch(prefix):
            raise ValueError(f"a store prefix is letters, digits, '_', '.', '-': {prefix!r}")
        if client.get_connection_kwargs().get("decode_responses"):
            raise ValueError("RedisStore needs a client with decode_responses=False")
        self._client = client  # the cold paths: reset, log reads and clears
        self._wire = Wire(client, ALL)  # the hot paths
        self.prefix = prefix
        self._jitter = random.Random()

    @classmethod
    def from_url(cls, url: str, **client_options) -> "RedisStore":
        """``redis://host:port/db?prefix=NAME`` (or ``valkey://``); the rest goes to redis-py."""
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        prefix = next((value for key, value in reversed(query) if key == "prefix"), "isb")
        scheme = {"valkey": "redis", "valkeys": "rediss"}.get(parts.scheme, parts.scheme)
        rest = urlencode([(key, value) for key, value in query if key != "prefix"])
        client_url = urlunsplit((scheme, parts.netloc, parts.path, rest, parts.fragment))
        client = redis.Redis.from_url(client_url, **client_options)
        try:
            client.ping()
        except redis.RedisError as exc:
            where = parts.netloc.rsplit("@", 1)[-1] or parts.path
            raise StoreUnavailable(f"--store: cannot reach Redis at {where}: {exc}") from None
        return cls(client, prefix)

    def _key(self, ns: Namespace, role: str, name: str | None = None) -> str:
        base = f"{self.prefix}:{{{_member(ns)}}}:{role}"
        return base if name is None else f"{base}:{_q(name)}"

    def _log_registry(self, log: str) -> str:
        return f"{self.prefix}:logs:{_q(log)}"

    # -- records -------------------------------------------------------------------------------
    def get(self, ns: Namespace, kind: str, record_id: str) -> dict | None:
        data = self._wire.call(("HGET", self._key(ns, "r", kind), record_id))[0]
        return None if data is None else codec.decode(data)

    def get_many(self, reads: Iterable[tuple[Namespace, str, str]]) -> list[dict | None]:
        """One HGET each, sent together (not a MULTI: they may be in different slots)."""
        commands = [("HGET", self._key(ns, "r", kind), record_id) for ns, kind, record_id in reads]
        found = self._wire.call(*commands) if commands else []
        return [None if data is None else codec.decode(data) for data in found]

    def list(self, ns: Namespace, kind: str, offset: int = 0,
             limit: int | None = None) -> list[dict]:
        if offset < 0 or (limit is not None and limit < 0):
            raise ValueError("offset and limit must not be negative")
        if limit == 0 or offset > _MAX_INDEX:
            return []
        stop = -1 if limit is None else min(offset + limit - 1, _MAX_INDEX)
        keys = [self._key(ns, "r", kind), self._key(ns, "o", kind)]
        return [codec.decode(data) for data in self._wire.call(PAGE(keys, [offset, stop]))[0]]

    def count(self, ns: Namespace, kind: str) -> int:
        return self._wire.call(("ZCARD", self._key(ns, "o", kind)))[0]

    def put(self, ns: Namespace, kind: str, record_id: str, record: dict) -> None:
        self._wire.call(self._writing(ns, {(kind, record_id): codec.encode(record)}))

    def delete(self, ns: Namespace, kind: str, record_id: str) -> bool:
        return self._wire.call(self._writing(ns, {(kind, record_id): None}))[0] > 0

    def _writing(self, ns: Namespace, writes: dict) -> tuple:
        """The command that applies ``writes`` ((kind, id) -> bytes, or None to delete) as one
        script: atomic."""
        keys, args = [self._key(ns, "seq"), self._key(ns, "keys")], []
        for (kind, record_id), data in writes.items():
            keys += [self._key(ns, "r", kind), self._key(ns, "o", kind)]
            args += [record_id, b"" if data is None else data]
        return WRITE(keys, args)

    def transact(self, ns: Namespace, fn: Callable[["_RedisTransaction"], T]) -> T:
        """Run ``fn`` (its reads WATCH what they read), then commit; rerun it on a conflict."""
        for tries in range(_ATTEMPTS):
            with self._wire.connection() as link:
                tx = _RedisTransaction(self, ns, link)
                try:
                    result = fn(tx)
                except _Overtaken:
                    result = _OVERTAKEN
                if result is not _OVERTAKEN and tx.commit():
                    return result
            self._pause(tries)
        raise TransactionConflict(f"transaction still conflicting after {_ATTEMPTS} attempts")

    def _optimistic(self, attempt: Callable[[redis.client.Pipeline], T]) -> T:
        """Retry ``attempt`` on WatchError with a short, growing, randomized pause (bounded)."""
        for tries in range(_ATTEMPTS):
            with self._client.pipeline() as pipe:
                try:
                    return attempt(pipe)
                except redis.WatchError:
                    pass
            self._pause(tries)
        raise TransactionConflict(f"transaction still conflicting after {_ATTEMPTS} attempts")

    def _pause(self, tries: int) -> None:
        pause_us = self._jitter.randrange(min(_BACKOFF_CAP_US, 20 << min(tries, 10)) + 1)
        time.sleep(pause_us / 1_000_000)

    # -- counters ------------------------------------------------------------------------------
    def next_number(self, ns: Namespace, counter: str) -> int:
        return self._wire.call(self._drawing(ns, counter))[0]

    def _drawing(self, ns: Namespace, counter: str) -> tuple:
        return NEXT([self._key(ns, "n", counter), self._key(ns, "keys")])

    def hit(self, ns: Namespace, counter: str, ttl_seconds: int) -> int:
        keys = [self._key(ns, "h", counter), self._key(ns, "expiring")]
        return self._wire.call(HIT(keys, [ttl_seconds]))[0]

    # -- logs ----------------------------------------------------------------------------------
    def log_append(self, ns: Namespace, log: str, entry: dict, keep: int) -> None:
        data = codec.encode(entry)
        if keep < 1:  # nothing is kept: as if appended and trimmed away at once
            self.log_clear(ns, log)
            return
        append = APPEND([self._key(ns, "l", log), self._key(ns, "keys")], [data, keep])
        self._wire.call(append, ("SADD", self._log_registry(log), _member(ns)))  # two slots

    def log_read(self, ns: Namespace, log: str) -> list[dict]:
        return [codec.decode(data) for data in self._client.lrange(self._key(ns, "l", log), 0, -1)]

    def log_clear(self, ns: Namespace, log: str) -> int:
        key = self._key(ns, "l", log)
        with self._client.pipeline() as pipe:  # one slot: count and unlink atomically
            removed, _ = pipe.llen(key).unlink(key).execute()
        self._client.srem(self._log_registry(log), _member(ns))
        return removed

    def log_namespaces(self, log: str) -> list[Namespace]:
        members = self._client.smembers(self._log_registry(log))
        return sorted(_namespace(member) for member in members)

    # -- lifecycle -----------------------------------------------------------------------------
    def reset(self, namespaces: Iterable[Namespace] | None = None) -> None:
        if namespaces is None:
            self._unlink_all(self._client.scan_iter(match=f"{self.prefix}:*", count=_BATCH))
            return
        for ns in set(namespaces):
            self._optimistic(lambda pipe, ns=ns: self._reset_namespace(pipe, ns))

    def _reset_namespace(self, pipe, ns: Namespace) -> None:
        """Unlink the keys the namespace recorded, WATCHing the record: none created meanwhile
        can escape (it would make EXEC fail, and the reset run again)."""
        keys, expiring = self._key(ns, "keys"), self._key(ns, "expiring")
        pipe.watch(keys, expiring)
        names = sorted(pipe.smembers(keys) | set(pipe.zrange(expiring, 0, -1)))
        log_mark = (self._key(ns, "l") + ":").encode()
        pipe.multi()
        for name in names:
            if name.startswith(log_mark):
                log = unquote(name[len(log_mark):].decode("ascii"))
                pipe.srem(self._log_registry(log), _member(ns))
        for start in range(0, len(names), _BATCH):
            pipe.unlink(*names[start:start + _BATCH])
        pipe.unlink(keys, expiring)
        pipe.execute()

    def _unlink_all(self, names: Iterable[bytes]) -> None:
        batch = []
        for name in names:
            batch.append(name)
            if len(batch) == _BATCH:
                self._client.unlink(*batch)
                batch = []
        if batch:
            self._client.unlink(*batch)

    def close(self) -> None:
        self._wire.close()
        self._client.close()
        self._client.connection_pool.disconnect()


class _Overtaken(Exception):
    """A transaction's read found an earlier read of it no longer holds: run ``fn`` again."""


class _RedisTransaction:
    """Reads at once on the transaction's connection, each with the WATCH of what it reads
    (one round trip); buffers writes (encoded) until ``commit``.

    A read after the first (up to ``_CHECKED_READS`` of them) also proves the earlier ones
    still hold (``redis_lua.READ``), so a read-only transaction is one moment by its last
    read, with no EXEC to ask."""

    def __init__(self, store: RedisStore, ns: Namespace, link: Link) -> None:
        self._store, self._ns, self._link = store, ns, link
        self._watched: set[str] = set()
        self._reads: list[tuple[list, list, object]] = []  # keys, READ args, what it found
        self._one_moment = True  # every read so far was checked by the last
        self.writes: dict = {}  # (kind, id) -> encoded record, or None for a delete

    def get(self, kind: str, record_id: str) -> dict | None:
        if (kind, record_id) in self.writes:
            data = self.writes[(kind, record_id)]
            return None if data is None else codec.decode(data)
        key = self._store._key(self._ns, "r", kind)
        data = self._read([key], ["g", record_id], ("HGET", key, record_id))
        return None if data is None else codec.decode(data)

    def list(self, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        keys = [self._store._key(self._ns, "r", kind), self._store._key(self._ns, "o", kind)]
        if limit == 0 or offset > _MAX_INDEX:
            self._watch(keys)
            return []
        stop = -1 if limit is None else min(offset + limit - 1, _MAX_INDEX)
        page = self._read(keys, ["p", offset, stop], PAGE(keys, [offset, stop]))
        return [codec.decode(data) for data in page]

    def _watch(self, keys: list[str]) -> list[tuple]:
        fresh = [key for key in keys if key not in self._watched]
        if not fresh:
            return []
        self._watched.update(fresh)
        self._link.watching = True
        return [("WATCH", *fresh)]

    def _read(self, keys: list[str], args: list, plain: tuple):
        """What ``plain`` reads, after a WATCH of the ``keys`` not watched yet; checked
        against the earlier reads when there are a few (``_Overtaken`` if one changed)."""
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
        reply = self._link.call(*self._watch(keys), command)[-1]
        if checked:
            if not reply[0]:
                raise _Overtaken()
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
