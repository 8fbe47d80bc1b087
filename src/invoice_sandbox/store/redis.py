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

import random
import re
import time
from typing import Callable, Iterable, TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

import redis

from ..errors import StoreUnavailable
from . import Namespace, codec

T = TypeVar("T")
_PREFIX = re.compile(r"[A-Za-z0-9_.-]+")
_ATTEMPTS = 3000
_BACKOFF_CAP_US = 4000
_BATCH = 500
_MAX_INDEX = 2**62
"""Past any list Redis can hold; ZRANGE takes 64-bit indices only."""

# Writes (puts, and deletes as empty data) to one namespace. KEYS: seq, keys, then a records
# hash and its order zset per write; ARGV: id and data per write. Returns how many were deleted.
_WRITE = """
local deleted = 0
for i = 1, #ARGV, 2 do
  local records, order, id, data = KEYS[i + 2], KEYS[i + 3], ARGV[i], ARGV[i + 1]
  if data == '' then
    deleted = deleted + redis.call('HDEL', records, id)
    redis.call('ZREM', order, id)
  else
    redis.call('HSET', records, id, data)
    if not redis.call('ZSCORE', order, id) then
      redis.call('ZADD', order, redis.call('INCR', KEYS[1]), id)
      redis.call('SADD', KEYS[2], records, order, KEYS[1])
    end
  end
end
return deleted
"""

# One page of records in order, read atomically. KEYS: records, order; ARGV: start, stop.
_PAGE = """
local page = {}
for i, id in ipairs(redis.call('ZRANGE', KEYS[2], ARGV[1], ARGV[2])) do
  page[i] = redis.call('HGET', KEYS[1], id)
end
return page
"""

# An expiring counter. KEYS: counter, expiring registry; ARGV: ttl. On the first hit the key is
# recorded (with a second's margin) for reset, and keys long gone are dropped from the record.
_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  local now = tonumber(redis.call('TIME')[1])
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]) + 1, KEYS[1])
end
return n
"""


class TransactionConflict(RuntimeError):
    """``transact`` kept losing the race for the records it read, and gave up."""


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
        self._client = client
        self.prefix = prefix
        self._write = client.register_script(_WRITE)
        self._page = client.register_script(_PAGE)
        self._hit = client.register_script(_HIT)
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
        data = self._client.hget(self._key(ns, "r", kind), record_id)
        return None if data is None else codec.decode(data)

    def list(self, ns: Namespace, kind: str, offset: int = 0,
             limit: int | None = None) -> list[dict]:
        if offset < 0 or (limit is not None and limit < 0):
            raise ValueError("offset and limit must not be negative")
        if limit == 0 or offset > _MAX_INDEX:
            return []
        stop = -1 if limit is None else min(offset + limit - 1, _MAX_INDEX)
        keys = [self._key(ns, "r", kind), self._key(ns, "o", kind)]
        return [codec.decode(data) for data in self._page(keys, [offset, stop])]

    def count(self, ns: Namespace, kind: str) -> int:
        return self._client.zcard(self._key(ns, "o", kind))

    def put(self, ns: Namespace, kind: str, record_id: str, record: dict) -> None:
        self._apply(ns, {(kind, record_id): codec.encode(record)})

    def delete(self, ns: Namespace, kind: str, record_id: str) -> bool:
        return self._apply(ns, {(kind, record_id): None}) > 0

    def _apply(self, ns: Namespace, writes: dict, client=None):
        """Run ``writes`` ((kind, id) -> bytes, or None to delete) as one script: atomic."""
        keys, args = [self._key(ns, "seq"), self._key(ns, "keys")], []
        for (kind, record_id), data in writes.items():
            keys += [self._key(ns, "r", kind), self._key(ns, "o", kind)]
            args += [record_id, b"" if data is None else data]
        if client is None:
            return self._write(keys, args)
        return client.eval(_WRITE, len(keys), *keys, *args)  # no SCRIPT EXISTS round trip

    def transact(self, ns: Namespace, fn: Callable[["_RedisTransaction"], T]) -> T:
        """WATCH what ``fn`` reads, then apply its writes in MULTI/EXEC; rerun it on a conflict."""
        def attempt(pipe) -> T:
            tx = _RedisTransaction(self, ns, pipe)
            result = fn(tx)
            pipe.multi()
            if tx.writes:
                self._apply(ns, tx.writes, client=pipe)
            pipe.execute()  # WatchError if a watched kind changed since it was read
            return result

        return self._optimistic(attempt)

    def _optimistic(self, attempt: Callable[[redis.client.Pipeline], T]) -> T:
        """Retry ``attempt`` on WatchError with a short, growing, randomized pause (bounded)."""
        for tries in range(_ATTEMPTS):
            with self._client.pipeline() as pipe:
                try:
                    return attempt(pipe)
                except redis.WatchError:
                    pass
            pause_us = self._jitter.randrange(min(_BACKOFF_CAP_US, 20 << min(tries, 10)) + 1)
            time.sleep(pause_us / 1_000_000)
        raise TransactionConflict(f"transaction still conflicting after {_ATTEMPTS} attempts")

    # -- counters ------------------------------------------------------------------------------
    def next_number(self, ns: Namespace, counter: str) -> int:
        key = self._key(ns, "n", counter)
        with self._client.pipeline() as pipe:
            number, _ = pipe.incr(key).sadd(self._key(ns, "keys"), key).execute()
        return number

    def hit(self, ns: Namespace, counter: str, ttl_seconds: int) -> int:
        keys = [self._key(ns, "h", counter), self._key(ns, "expiring")]
        return self._hit(keys, [ttl_seconds])

    # -- logs ----------------------------------------------------------------------------------
    def log_append(self, ns: Namespace, log: str, entry: dict, keep: int) -> None:
        data = codec.encode(entry)
        if keep < 1:  # nothing is kept: as if appended and trimmed away at once
            self.log_clear(ns, log)
            return
        key = self._key(ns, "l", log)
        with self._client.pipeline(transaction=False) as pipe:
            pipe.rpush(key, data).ltrim(key, -keep, -1).sadd(self._key(ns, "keys"), key)
            pipe.sadd(self._log_registry(log), _member(ns)).execute()

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
        self._client.close()
        self._client.connection_pool.disconnect()


class _RedisTransaction:
    """Reads at once through the WATCHing pipeline; buffers writes (encoded) until commit."""

    def __init__(self, store: RedisStore, ns: Namespace, pipe) -> None:
        self._store, self._ns, self._pipe = store, ns, pipe
        self._watched: set[str] = set()
        self.writes: dict = {}  # (kind, id) -> encoded record, or None for a delete

    def get(self, kind: str, record_id: str) -> dict | None:
        if (kind, record_id) in self.writes:
            data = self.writes[(kind, record_id)]
            return None if data is None else codec.decode(data)
        key = self._store._key(self._ns, "r", kind)
        if key not in self._watched:
            self._pipe.watch(key)
            self._watched.add(key)
        data = self._pipe.hget(key, record_id)
        return None if data is None else codec.decode(data)

    def list(self, kind: str, offset: int = 0, limit: int | None = None) -> list[dict]:
        records = self._store._key(self._ns, "r", kind)
        order = self._store._key(self._ns, "o", kind)
        fresh = [key for key in (records, order) if key not in self._watched]
        if fresh:
            self._pipe.watch(*fresh)
            self._watched.update(fresh)
        if limit == 0 or offset > _MAX_INDEX:
            return []
        stop = -1 if limit is None else min(offset + limit - 1, _MAX_INDEX)
        page = self._pipe.eval(_PAGE, 2, records, order, offset, stop)  # runs at once: watching
        return [codec.decode(data) for data in page]

    def put(self, kind: str, record_id: str, record: dict) -> None:
        self.writes[(kind, record_id)] = codec.encode(record)  # refused now, not at commit

    def delete(self, kind: str, record_id: str) -> None:
        self.writes[(kind, record_id)] = None

    def next_number(self, counter: str) -> int:
        return self._store.next_number(self._ns, counter)
