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

A namespace's keys share one hash tag, so each script (``redis_lua.py``) and MULTI below stays
in one cluster slot; the ``P:logs:*`` registries (another slot) are written beside a script in
the same send, never inside a MULTI or script of a namespace, and ``get_many`` sends plain
HGETs: no command spans two slots. (The store itself talks to one server: it has no cluster
client that would route each slot's commands to its node.)

Round trips. The hot operations go through ``redis_wire.Wire`` (connections driven directly,
every command of a step sent together, scripts by EVALSHA): ``get``/``get_many``/``put``/
``next_number``/``log_append`` are one round trip each, and so is each read and the commit of a
transaction.

``transact`` is optimistic. Each ``tx.get``/``tx.list`` sends, in one step, a WATCH of the kind
it reads (records hash, and order zset for a list; any write to that kind in that namespace is a
conflict) and the read itself. A read after the first (up to ``_CHECKED_READS``) is the
``READ`` script: it reads the earlier reads again, compares them by digest with what the
transaction saw, and only then reads the new one, all atomically; so the last read proves that
every read was one moment, and a read-only transaction commits without a round trip. If an
earlier read no longer holds, ``fn`` runs again. Writes wait in the transaction and commit in
one step: MULTI, the ``WRITE`` script, EXEC (or the script alone when nothing was read). When
EXEC finds a watched kind changed, ``fn`` runs again after a short random pause, up to
``_ATTEMPTS`` times, then ``TransactionConflict``. A transaction that ends without EXEC (it
raised, was overtaken, or only read) leaves its connection watching: the connection's next step
begins with UNWATCH.
"""

from __future__ import annotations

import random
import re
import time
from functools import lru_cache
from typing import Callable, Iterable, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import redis

from ..errors import StoreUnavailable
from . import Namespace, codec
from .redis_lua import ALL, APPEND, GET_LIST, HIT, NEXT, NUMBERED, PAGE, WRITE
from .redis_tx import _MAX_INDEX, Overtaken, RedisTransaction
from .redis_wire import Wire

T = TypeVar("T")
_PREFIX = re.compile(r"[A-Za-z0-9_.-]+")
_ATTEMPTS = 3000
_BACKOFF_CAP_US = 4000
_BATCH = 500
_OVERTAKEN = object()

class TransactionConflict(RuntimeError):
    """``transact`` kept losing the race for the records it read, and gave up."""


@lru_cache(maxsize=4096)  # names recur on every request (kinds, counters, tenants)
def _q(text: str) -> str:
    return quote(text, safe="")


@lru_cache(maxsize=1024)
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

    def get_and_list(self, ns: Namespace, kind: str, record_id: str,
                     listed: str) -> tuple[dict | None, list[dict]]:
        keys = [self._key(ns, "r", kind), self._key(ns, "r", listed), self._key(ns, "o", listed)]
        data, page = self._wire.call(GET_LIST(keys, [record_id]))[0]
        return (None if data is None else codec.decode(data)), [codec.decode(d) for d in page]

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

    def transact(self, ns: Namespace, fn: Callable[["RedisTransaction"], T]) -> T:
        """Run ``fn`` (its reads WATCH what they read), then commit; rerun it on a conflict."""
        for tries in range(_ATTEMPTS):
            with self._wire.connection() as link:
                tx = RedisTransaction(self, ns, link)
                try:
                    result = fn(tx)
                except Overtaken:
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

    def log_append_numbered(self, ns: Namespace, log: str, entry: dict, keep: int, *,
                            counter: tuple[Namespace, str], field: str) -> None:
        """Sent without waiting for the answer (``Wire.send``): the connection's next user
        reads it, and a refusal is logged."""
        head, tail = codec.encode_numbered(field, entry)
        if keep < 1:
            self.next_number(*counter)
            self.log_clear(ns, log)
            return
        counter_ns, name = counter
        keys = [self._key(counter_ns, "n", name), self._key(counter_ns, "keys"),
                self._key(ns, "l", log), self._key(ns, "keys")]
        append = NUMBERED(keys, [head, tail, keep])
        self._wire.send(append, ("SADD", self._log_registry(log), _member(ns)))  # two slots

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
