"""Every store backend behind one fixture, so one conformance suite runs against each.

The Redis backend runs against a real ``redis-server`` started once per pytest process (each
xdist worker starts its own; ``INVOICE_SANDBOX_TEST_REDIS=redis://...`` points every worker at
one server instead). Each test gets its own key prefix, so tests never see each other's data
and can share a server. Without a server binary the Redis tests are skipped, except under CI,
where they fail: a CI run that silently skipped the Redis backend would prove nothing about it.
"""

from __future__ import annotations

import os
import uuid

import pytest

from invoice_sandbox.store import MemoryStore
from invoice_sandbox.store.redis import RedisStore
from invoice_sandbox.testing.redis_server import RedisServer, redis_server_binary

BACKENDS = ["memory", "redis"]


def require_redis_server_binary() -> str:
    """The server binary; else skip the test, or fail it under CI (``CI`` set)."""
    binary = redis_server_binary()
    if binary is None:
        message = ("redis-server (or valkey-server) is not installed, so the Redis store cannot "
                   "be tested; install it (Debian: apt-get install redis-server)")
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return binary


@pytest.fixture(scope="session")
def redis_binary() -> str:
    return require_redis_server_binary()


@pytest.fixture(scope="session")
def redis_url():
    """The URL of a Redis server for this test session (started here unless given)."""
    given = os.environ.get("INVOICE_SANDBOX_TEST_REDIS")
    if given:
        yield given
        return
    with RedisServer(binary=require_redis_server_binary()) as server:
        yield server.url


@pytest.fixture
def redis_store_url(redis_url) -> str:
    """A store URL with a prefix of its own (``?prefix=``) on the session's server."""
    return with_prefix(redis_url, unique_prefix())


def unique_prefix() -> str:
    return f"t{uuid.uuid4().hex[:16]}"


def with_prefix(url: str, prefix: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}prefix={prefix}"


def open_backend(backend: str, request) -> MemoryStore | RedisStore:
    if backend == "memory":
        return MemoryStore()
    return RedisStore.from_url(with_prefix(request.getfixturevalue("redis_url"), unique_prefix()))


def close_backend(store) -> None:
    store.reset()
    store.close()


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def store(backend, request):
    """A fresh, empty store of each backend."""
    opened = open_backend(backend, request)
    yield opened
    close_backend(opened)


@pytest.fixture
def neighbour(backend, request):
    """A second store on the same backing server under another prefix (memory: another store)."""
    opened = open_backend(backend, request)
    yield opened
    close_backend(opened)
