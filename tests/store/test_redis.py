"""What only the Redis store promises: its URL, its key layout, processes and restarts.

The shared guarantees are in ``test_conformance.py``; these look at Redis itself.
"""

from __future__ import annotations

import logging
import multiprocessing

import pytest
import redis

from invoice_sandbox.store import GLOBAL, Namespace, open_store
from invoice_sandbox.store import codec
from invoice_sandbox.store import redis as redis_store
from invoice_sandbox.store import redis_tx
from invoice_sandbox.store.redis import RedisStore, TransactionConflict
from invoice_sandbox.testing.redis_server import RedisServer

A = Namespace("rebilly", "key-a")
TRICKY = Namespace("pro:vider", "te{na}nt:1")


@pytest.fixture
def store(redis_store_url):
    opened = RedisStore.from_url(redis_store_url)
    yield opened
    opened.reset()
    opened.close()


@pytest.fixture
def raw(redis_url):
    """A plain client on the same server, to look at the keys."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


def keys_of(raw, prefix: str) -> list[str]:
    return sorted(key.decode() for key in raw.scan_iter(match=f"{prefix}:*"))


# -- opening -------------------------------------------------------------------------------------
def test_the_url_prefix_names_the_keys_and_other_options_reach_redis(redis_url, raw):
    store = open_store(redis_url.replace("redis://", "valkey://") + "?socket_timeout=5&prefix=p1x")
    try:
        assert isinstance(store, RedisStore) and store.prefix == "p1x"
        store.put(A, "invoices", "1", {})
        assert keys_of(raw, "p1x")
    finally:
        store.reset()
        store.close()


def test_the_prefix_defaults_to_isb(redis_url):
    store = RedisStore.from_url(redis_url)
    assert store.prefix == "isb"
    store.close()


@pytest.mark.parametrize("prefix", ["", "a:b", "a*", "{a}", "a b", "é"])
def test_a_prefix_that_could_match_or_tag_other_keys_is_refused(raw, prefix):
    with pytest.raises(ValueError, match="prefix"):
        RedisStore(raw, prefix)


def test_a_client_that_decodes_responses_is_refused(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses"):
        RedisStore(client)
    client.close()


# -- layout --------------------------------------------------------------------------------------
def test_every_key_of_a_namespace_carries_its_encoded_hash_tag(store, raw):
    store.put(TRICKY, "items:in_1", "it:1", {"n": 1})
    store.next_number(TRICKY, "ids")
    store.hit(TRICKY, "rate", 60)
    store.log_append(TRICKY, "journal", {"n": 1}, keep=5)
    tag = "{pro%3Avider:te%7Bna%7Dnt%3A1}"
    p = store.prefix
    assert keys_of(raw, p) == sorted([
        f"{p}:{tag}:r:items%3Ain_1", f"{p}:{tag}:o:items%3Ain_1", f"{p}:{tag}:seq",
        f"{p}:{tag}:n:ids", f"{p}:{tag}:h:rate", f"{p}:{tag}:l:journal",
        f"{p}:{tag}:keys", f"{p}:{tag}:expiring", f"{p}:logs:journal"])
    assert raw.hget(f"{p}:{tag}:r:items%3Ain_1", "it:1") == codec.encode({"n": 1})


def test_the_global_namespace_has_a_tag_of_its_own(store, raw):
    store.put(GLOBAL, "tenants", "t1", {})
    assert keys_of(raw, store.prefix)[0].startswith(f"{store.prefix}:{{_sandbox:}}:")


def test_a_namespace_reset_leaves_none_of_its_keys_behind(store, raw):
    store.put(A, "invoices", "1", {})
    store.delete(A, "invoices", "1")
    store.next_number(A, "ids")
    store.hit(A, "rate", 60)
    store.log_append(A, "journal", {}, keep=5)
    store.put(GLOBAL, "tenants", "t1", {})
    store.reset([A])
    assert keys_of(raw, store.prefix) == sorted(
        f"{store.prefix}:{{_sandbox:}}:{role}" for role in ("r:tenants", "o:tenants", "seq", "keys")
    )


def test_reset_of_everything_spares_prefixes_that_merely_start_the_same(store, raw):
    lookalikes = [f"{store.prefix}x:{{a:b}}:seq", f"{store.prefix}", f"{store.prefix}-:1"]
    for key in lookalikes:
        raw.set(key, "1")
    try:
        store.put(A, "invoices", "1", {})
        store.reset()
        assert keys_of(raw, store.prefix) == [] and raw.exists(*lookalikes) == len(lookalikes)
    finally:
        raw.delete(*lookalikes)


# -- concurrency ---------------------------------------------------------------------------------
def _bump_in_a_process(url: str, times: int) -> None:
    store = RedisStore.from_url(url)
    for _ in range(times):
        store.transact(A, _bump)
    store.close()


def _bump(tx) -> None:
    invoice = tx.get("invoices", "1")
    tx.put("invoices", "1", {"total": invoice["total"] + 1})


def test_transactions_from_separate_processes_lose_no_increment(store, redis_store_url):
    store.put(A, "invoices", "1", {"total": 0})
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=_bump_in_a_process, args=(redis_store_url, 250))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for _ in range(100):
        store.transact(A, _bump)  # this process joins in
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert store.get(A, "invoices", "1") == {"total": 600}


def test_a_transaction_that_keeps_conflicting_gives_up_with_a_clear_error(store, monkeypatch):
    monkeypatch.setattr(redis_store, "_ATTEMPTS", 5)
    store.put(A, "invoices", "1", {"total": 0})
    runs = []

    def always_overtaken(tx):
        runs.append(tx.get("invoices", "1"))
        store.put(A, "invoices", "1", {"total": len(runs)})  # another writer, every time
        tx.put("invoices", "1", {"total": -1})

    with pytest.raises(TransactionConflict, match="5 attempts"):
        store.transact(A, always_overtaken)
    assert len(runs) == 5 and store.get(A, "invoices", "1") == {"total": 5}


def test_a_transaction_reading_nothing_it_writes_still_commits(store):
    store.put(A, "invoices", "1", {"total": 0})

    def copy(tx):
        tx.put("copies", "1", tx.get("invoices", "1"))

    store.transact(A, copy)
    assert store.get(A, "copies", "1") == {"total": 0}


def test_a_transaction_whose_first_read_changed_before_its_second_runs_again(store):
    store.put(A, "invoices", "1", {"total": 0})
    store.put(A, "items:1", "i", {"n": 1})
    seen = []

    def read(tx):
        invoice = tx.get("invoices", "1")
        if not seen:
            store.put(A, "invoices", "1", {"total": 5})  # another writer, between the reads
        seen.append(invoice["total"])
        return invoice, tx.list("items:1")

    assert store.transact(A, read) == ({"total": 5}, [{"n": 1}])
    assert seen == [0, 5]


def test_a_read_only_transaction_of_many_reads_is_still_one_moment(store):
    """Past the reads a later read checks, the transaction asks EXEC instead."""
    names = [f"r{n}" for n in range(redis_tx._CHECKED_READS + 3)]
    for name in names:
        store.put(A, "records", name, {"v": 0})
    runs = []

    def read_all(tx):
        values = []
        for name in names:
            values.append(tx.get("records", name)["v"])
            if not runs and name == names[-2]:
                store.put(A, "records", names[0], {"v": 1})  # another writer, near the end
        runs.append(values)
        return values

    assert store.transact(A, read_all) == [1] + [0] * (len(names) - 1)
    assert len(runs) == 2


def test_a_server_that_lost_the_scripts_gets_them_again_mid_transaction(store, raw):
    store.put(A, "invoices", "1", {"total": 0})
    runs = []

    def bump(tx):
        invoice = tx.get("invoices", "1")
        if not runs:
            raw.script_flush()  # as a restarted server would have, before the commit
        runs.append(invoice)
        tx.put("invoices", "1", {"total": invoice["total"] + 1})

    store.transact(A, bump)
    assert store.get(A, "invoices", "1") == {"total": 1} and len(runs) == 2
    raw.script_flush()
    assert store.next_number(A, "ids") == 1 and store.list(A, "invoices") == [{"total": 1}]


# -- steps sent without waiting (the journal's append) -------------------------------------------
def append_unwaited(store, n: int) -> None:
    store.log_append_numbered(A, "journal", {"n": n}, keep=5, counter=(A, "seq"), field="seq")


def test_an_unwaited_append_is_read_back_by_the_next_operation(store):
    append_unwaited(store, 1)
    append_unwaited(store, 2)
    assert store.log_read(A, "journal") == [{"seq": 1, "n": 1}, {"seq": 2, "n": 2}]
    assert store.get(A, "invoices", "1") is None  # its connection's next use reads the answers


def test_a_refused_unwaited_append_is_logged_by_the_next_user_not_raised(store, raw, caplog):
    raw.set(store._key(A, "l", "journal"), "not a list")
    append_unwaited(store, 1)
    with caplog.at_level(logging.ERROR, logger="invoice_sandbox.store"):
        assert store.get(A, "invoices", "1") is None
    assert "WRONGTYPE" in caplog.text and "sent without waiting" in caplog.text


def test_an_unwaited_append_to_a_server_without_the_scripts_is_sent_again(store, raw):
    raw.script_flush()  # as a restarted server would have
    append_unwaited(store, 1)
    assert store.get(A, "invoices", "1") is None
    assert store.log_read(A, "journal") == [{"seq": 1, "n": 1}]


def test_a_connection_dropped_after_an_unwaited_append_leaves_the_next_operation_working(
        store, raw, caplog):
    """The answer may have arrived before the drop (the entry is there) or not (a warning says
    the append may not have run); either way the next operation gets a working connection."""
    store.get(A, "invoices", "1")
    append_unwaited(store, 1)
    raw.client_kill_filter(_type="normal", skipme=True)  # every other client's connection
    with caplog.at_level(logging.WARNING, logger="invoice_sandbox.store"):
        store.put(A, "invoices", "1", {"id": "1"})
    assert store.get(A, "invoices", "1") == {"id": "1"}
    assert "may not have run" in caplog.text or store.log_read(A, "journal")


# -- restarts ------------------------------------------------------------------------------------
@pytest.fixture
def durable_server(redis_binary):
    """A server of its own that writes every change to its append-only file."""
    args = ("--appendonly", "yes", "--appendfsync", "always")
    with RedisServer(*args, binary=redis_binary) as server:
        yield server


@pytest.mark.parametrize("stop", ["stop", "kill"])
def test_records_counters_and_logs_survive_a_restart(durable_server, stop):
    store = RedisStore.from_url(durable_server.url)
    for record_id in ("b", "a"):
        store.put(A, "invoices", record_id, {"id": record_id})
    store.next_number(A, "ids")
    store.log_append(A, "journal", {"n": 1}, keep=5)
    getattr(durable_server, stop)()
    durable_server.start()
    store.put(A, "invoices", "c", {"id": "c"})  # reconnects; reloads its scripts
    assert [r["id"] for r in store.list(A, "invoices")] == ["b", "a", "c"]
    assert store.next_number(A, "ids") == 2
    assert store.log_read(A, "journal") == [{"n": 1}] and store.log_namespaces("journal") == [A]
    store.close()
