"""The store protocol's guarantees (``invoice_sandbox.store`` docstring), for every backend.

Each test runs once per backend (``store`` fixture in ``conftest.py``); a backend is done when
this file passes against it.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest

from invoice_sandbox.store import GLOBAL, Namespace
from invoice_sandbox.store.codec import CodecError

A = Namespace("rebilly", "key-a")
B = Namespace("rebilly", "key-b")


def ids(records: list[dict]) -> list[str]:
    return [record["id"] for record in records]


def run_in_threads(count: int, target) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# -- records are values: copied, and exact -----------------------------------------------------
def test_records_are_copied_in_and_out(store):
    record = {"id": "1", "items": [{"qty": 1}]}
    store.put(A, "invoices", "1", record)
    record["items"].append("changed after put")
    store.get(A, "invoices", "1")["items"].append("changed after get")
    store.list(A, "invoices")[0]["items"].append("changed after list")
    assert store.get(A, "invoices", "1") == {"id": "1", "items": [{"qty": 1}]}


def test_get_many_reads_records_of_several_namespaces_in_the_order_asked(store):
    store.put(A, "invoices", "1", {"n": "a1"})
    store.put(B, "invoices", "1", {"n": "b1"})
    store.put(GLOBAL, "_meta", "settings", {"n": "global"})
    reads = [(GLOBAL, "_meta", "settings"), (B, "invoices", "1"), (A, "invoices", "2"),
             (A, "invoices", "1"), (B, "invoices", "1")]
    assert store.get_many(reads) == [{"n": "global"}, {"n": "b1"}, None, {"n": "a1"}, {"n": "b1"}]
    assert store.get_many([]) == []


def test_get_many_returns_copies(store):
    store.put(A, "invoices", "1", {"items": []})
    first, again = store.get_many([(A, "invoices", "1"), (A, "invoices", "1")])
    first["items"].append("changed")
    assert again == {"items": []} and store.get(A, "invoices", "1") == {"items": []}


def test_transaction_writes_and_reads_are_copies_too(store):
    def write(tx):
        record = {"id": "1", "tags": []}
        tx.put("invoices", "1", record)
        record["tags"].append("changed after tx.put")
        tx.get("invoices", "1")["tags"].append("changed after tx.get")

    store.transact(A, write)
    assert store.get(A, "invoices", "1") == {"id": "1", "tags": []}


@pytest.mark.parametrize("amount", [
    Decimal("0.10"), Decimal("-0.000"), Decimal("1E+3"),
    Decimal("1234567890.12345678901234567890123456789012345678901234567890"),  # 60 digits
])
def test_decimals_round_trip_to_the_last_digit(store, amount):
    store.put(A, "invoices", "1", {"amount": amount, "lines": [{"amount": amount}]})
    read = store.get(A, "invoices", "1")
    assert str(read["amount"]) == str(amount) and isinstance(read["amount"], Decimal)
    assert str(read["lines"][0]["amount"]) == str(amount)


def test_integers_of_any_size_round_trip_exactly(store):
    numbers = [2**53 + 1, -(2**53 + 1), 2**200, -(2**200), 0]
    store.put(A, "invoices", "1", {"numbers": numbers})
    assert store.get(A, "invoices", "1")["numbers"] == numbers


def test_any_text_round_trips_including_lone_surrogates(store):
    texts = ["\ud800", "a\udfffb", "é ü 中 🧾", "\x00\n\"\\", "$decimal", "{x:y}"]
    store.put(A, "invoices", "1", {"texts": texts, "é": "key"})
    assert store.get(A, "invoices", "1") == {"texts": texts, "é": "key"}


@pytest.mark.parametrize("client_data", [
    {"$decimal": "1"}, {"$$decimal": "1"}, {"$": None}, {"$decimal": "1", "other": 2},
])
def test_client_dicts_shaped_like_encoded_values_stay_dicts(store, client_data):
    store.put(A, "invoices", "1", {"metadata": client_data})
    assert store.get(A, "invoices", "1") == {"metadata": client_data}


REFUSED = [1.5, float("nan"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"),
           {1: "int key"}, [[0.5]], {"nested": {"deeper": 2.0}}, b"bytes", {1, 2}]


@pytest.mark.parametrize("bad", REFUSED, ids=repr)
def test_put_refuses_floats_and_other_values_and_stores_nothing(store, bad):
    store.put(A, "invoices", "kept", {"amount": Decimal("1")})
    with pytest.raises(CodecError):
        store.put(A, "invoices", "new", {"amount": bad})
    with pytest.raises(CodecError):
        store.put(A, "invoices", "kept", {"amount": bad})
    assert store.get(A, "invoices", "new") is None
    assert store.list(A, "invoices") == [{"amount": Decimal("1")}]


@pytest.mark.parametrize("bad", REFUSED, ids=repr)
def test_tx_put_refuses_at_once_and_the_transaction_writes_nothing(store, bad):
    def write(tx):
        tx.put("invoices", "ok", {"amount": 1})
        with pytest.raises(CodecError):
            tx.put("invoices", "bad", {"amount": bad})
        raise LookupError("handler gives up")

    with pytest.raises(LookupError):
        store.transact(A, write)
    assert store.count(A, "invoices") == 0


def test_log_append_refuses_floats(store):
    with pytest.raises(CodecError):
        store.log_append(A, "journal", {"took": 0.25}, keep=10)
    assert store.log_read(A, "journal") == [] and store.log_namespaces("journal") == []


# -- order, pages, counts, deletes ---------------------------------------------------------------
def test_list_is_in_first_insertion_order(store):
    for record_id in ("b", "a", "c", "10", "9"):
        store.put(A, "invoices", record_id, {"id": record_id})
    assert ids(store.list(A, "invoices")) == ["b", "a", "c", "10", "9"]


def test_reputting_a_record_keeps_its_place(store):
    for record_id in ("a", "b", "c"):
        store.put(A, "invoices", record_id, {"id": record_id})
    store.put(A, "invoices", "a", {"id": "a", "version": 2})
    store.transact(A, lambda tx: tx.put("invoices", "b", {"id": "b", "version": 2}))
    assert store.list(A, "invoices") == [
        {"id": "a", "version": 2}, {"id": "b", "version": 2}, {"id": "c"}]


def test_a_deleted_record_put_again_goes_to_the_end(store):
    for record_id in ("a", "b", "c"):
        store.put(A, "invoices", record_id, {"id": record_id})
    store.delete(A, "invoices", "a")
    store.put(A, "invoices", "a", {"id": "a"})
    assert ids(store.list(A, "invoices")) == ["b", "c", "a"]


def test_records_put_by_one_transaction_are_listed_in_the_order_written(store):
    store.put(A, "invoices", "first", {"id": "first"})

    def write(tx):
        for record_id in ("z", "y", "x"):
            tx.put("invoices", record_id, {"id": record_id})

    store.transact(A, write)
    assert ids(store.list(A, "invoices")) == ["first", "z", "y", "x"]


@pytest.mark.parametrize(("offset", "limit", "expected"), [
    (0, None, list(range(10))), (3, 4, [3, 4, 5, 6]), (8, 5, [8, 9]), (7, None, [7, 8, 9]),
    (10, 3, []), (25, None, []), (0, 0, []), (4, 1, [4]),
])
def test_list_pages_with_offset_and_limit(store, offset, limit, expected):
    for n in range(10):
        store.put(A, "invoices", f"in_{n}", {"n": n})
    assert [r["n"] for r in store.list(A, "invoices", offset=offset, limit=limit)] == expected


@pytest.mark.parametrize(("offset", "limit"), [(-1, None), (0, -1), (-2, 2)])
def test_negative_offsets_and_limits_are_refused(store, offset, limit):
    store.put(A, "invoices", "1", {})
    with pytest.raises(ValueError):
        store.list(A, "invoices", offset=offset, limit=limit)


def test_count_counts_the_records_of_one_kind(store):
    assert store.count(A, "invoices") == 0
    for n in range(3):
        store.put(A, "invoices", str(n), {})
    store.put(A, "invoices", "0", {"again": True})
    store.put(A, "customers", "0", {})
    store.delete(A, "invoices", "1")
    assert store.count(A, "invoices") == 2 and store.count(A, "customers") == 1


def test_delete_reports_whether_something_was_removed(store):
    store.put(A, "invoices", "1", {})
    assert store.delete(A, "invoices", "1") is True
    assert store.delete(A, "invoices", "1") is False
    assert store.delete(A, "never", "1") is False
    assert store.get(A, "invoices", "1") is None and store.list(A, "invoices") == []


# -- namespaces ----------------------------------------------------------------------------------
TRICKY = [Namespace("p", "a:b"), Namespace("p:a", "b"), Namespace("p", "{a}"), Namespace("p", "}{"),
          Namespace("p", "a%3Ab"), Namespace("p", ""), Namespace("", "p"), GLOBAL,
          Namespace("p", "a b/é*?[x]")]


def test_namespaces_are_isolated_even_with_braces_and_colons_in_their_names(store):
    for n, ns in enumerate(TRICKY):
        store.put(ns, "invoices", "1", {"n": n})
        store.put(ns, "invoices:1", "x", {"n": n})
        store.next_number(ns, "ids")
        store.log_append(ns, "journal", {"n": n}, keep=5)
    for n, ns in enumerate(TRICKY):
        assert store.list(ns, "invoices") == [{"n": n}]
        assert store.get(ns, "invoices:1", "x") == {"n": n}
        assert store.next_number(ns, "ids") == 2
        assert store.log_read(ns, "journal") == [{"n": n}]
    assert sorted(store.log_namespaces("journal")) == sorted(TRICKY)


def test_kinds_and_ids_with_separators_never_collide(store):
    store.put(A, "a:b", "c", {"where": "kind a:b, id c"})
    store.put(A, "a", "b:c", {"where": "kind a, id b:c"})
    store.put(A, "a%3Ab", "c", {"where": "kind a%3Ab, id c"})
    assert store.get(A, "a:b", "c") == {"where": "kind a:b, id c"}
    assert store.get(A, "a", "b:c") == {"where": "kind a, id b:c"}
    assert store.count(A, "a:b") == 1 and store.count(A, "a") == 1


def test_the_global_namespace_is_an_ordinary_namespace(store):
    store.put(GLOBAL, "settings", "rate", {"limit": 10})
    store.put(Namespace("_sandbox", "x"), "settings", "rate", {"limit": 1})
    assert store.get(GLOBAL, "settings", "rate") == {"limit": 10}
    assert store.next_number(GLOBAL, "tenants") == 1


# -- transactions --------------------------------------------------------------------------------
def test_transaction_writes_are_applied_together_at_the_end(store):
    store.put(A, "invoices", "old", {"id": "old"})
    seen_outside = []

    def write(tx):
        tx.put("invoices", "1", {"id": "1"})
        tx.put("items:1", "i1", {"id": "i1"})
        tx.delete("invoices", "old")
        seen_outside.append((store.get(A, "invoices", "1"), store.get(A, "invoices", "old")))
        return "done"

    assert store.transact(A, write) == "done"
    assert seen_outside[0] == (None, {"id": "old"})
    assert ids(store.list(A, "invoices")) == ["1"] and store.count(A, "items:1") == 1


def test_a_transaction_that_raises_writes_nothing(store):
    store.put(A, "invoices", "1", {"total": 1})

    def write(tx):
        tx.put("invoices", "1", {"total": 2})
        tx.put("invoices", "2", {"total": 2})
        tx.delete("invoices", "1")
        raise ValueError("rejected by billing rules")

    with pytest.raises(ValueError, match="rejected"):
        store.transact(A, write)
    assert store.list(A, "invoices") == [{"total": 1}]


def test_a_transaction_sees_its_own_writes(store):
    store.put(A, "invoices", "1", {"v": 1})

    def write(tx):
        tx.put("invoices", "1", {"v": 2})
        after_put = tx.get("invoices", "1")
        tx.delete("invoices", "1")
        after_delete = tx.get("invoices", "1")
        tx.put("invoices", "1", {"v": 3})
        return after_put, after_delete, tx.get("invoices", "1"), tx.get("invoices", "absent")

    assert store.transact(A, write) == ({"v": 2}, None, {"v": 3}, None)
    assert store.list(A, "invoices") == [{"v": 3}]


def test_numbers_drawn_in_a_failed_transaction_are_not_given_back(store):
    def draw_then_fail(tx):
        assert tx.next_number("ids") == 1
        raise RuntimeError("later failure")

    with pytest.raises(RuntimeError):
        store.transact(A, draw_then_fail)
    assert store.next_number(A, "ids") == 2


def test_concurrent_transactions_lose_no_increment(store):
    store.put(A, "invoices", "1", {"total": 0, "untouched": "yes"})

    def bump(tx):
        invoice = tx.get("invoices", "1")
        tx.put("invoices", "1", {**invoice, "total": invoice["total"] + 1})

    run_in_threads(8, lambda: [store.transact(A, bump) for _ in range(200)])
    assert store.get(A, "invoices", "1") == {"total": 1600, "untouched": "yes"}


def test_transactions_in_different_namespaces_do_not_interfere(store):
    for ns in (A, B):
        store.put(ns, "invoices", "1", {"total": 0})

    def bump(tx):
        tx.put("invoices", "1", {"total": tx.get("invoices", "1")["total"] + 1})

    run_in_threads(4, lambda: [store.transact(ns, bump) for _ in range(50) for ns in (A, B)])
    assert store.get(A, "invoices", "1") == store.get(B, "invoices", "1") == {"total": 200}


# -- counters ------------------------------------------------------------------------------------
def test_next_number_counts_from_one_per_counter_and_namespace(store):
    assert [store.next_number(A, "ids") for _ in range(3)] == [1, 2, 3]
    assert store.next_number(A, "invoiceNumber:cus_1") == 1
    assert store.next_number(B, "ids") == 1


def test_next_number_is_atomic_under_threads(store):
    drawn = []
    run_in_threads(8, lambda: drawn.extend(store.next_number(A, "n") for _ in range(250)))
    assert sorted(drawn) == list(range(1, 2001))


def test_hit_counts_within_its_window_apart_from_other_counters(store):
    assert [store.hit(A, "rate", 60) for _ in range(3)] == [1, 2, 3]
    assert store.hit(B, "rate", 60) == 1
    assert store.next_number(A, "rate") == 1  # a next_number counter of the same name is another


def test_hit_counter_vanishes_ttl_seconds_after_its_first_hit(store):
    """Slow-ish (1.2 s): expiry is real time in Redis."""
    assert store.hit(A, "window", 1) == 1
    time.sleep(0.5)
    assert store.hit(A, "window", 1) == 2  # a later hit does not extend the window
    time.sleep(0.7)
    assert store.hit(A, "window", 1) == 1


# -- logs ----------------------------------------------------------------------------------------
def test_a_log_keeps_its_newest_entries_and_reads_oldest_first(store):
    for n in range(7):
        store.log_append(A, "journal", {"n": n}, keep=3)
    assert store.log_read(A, "journal") == [{"n": 4}, {"n": 5}, {"n": 6}]
    assert store.log_read(A, "other") == [] and store.log_read(B, "journal") == []


def test_log_clear_reports_how_many_entries_it_removed(store):
    for n in range(4):
        store.log_append(A, "journal", {"n": n}, keep=10)
    store.log_append(B, "journal", {"n": 0}, keep=10)
    assert store.log_clear(A, "journal") == 4
    assert store.log_clear(A, "journal") == 0
    assert store.log_read(A, "journal") == [] and len(store.log_read(B, "journal")) == 1


def test_log_namespaces_lists_the_namespaces_holding_that_log(store):
    store.log_append(A, "journal", {"n": 1}, keep=10)
    store.log_append(B, "journal", {"n": 1}, keep=10)
    store.log_append(B, "audit", {"n": 1}, keep=10)
    assert sorted(store.log_namespaces("journal")) == [A, B]
    assert store.log_namespaces("audit") == [B] and store.log_namespaces("none") == []
    store.log_clear(A, "journal")
    assert store.log_namespaces("journal") == [B]


def test_a_numbered_entry_gets_the_counters_next_value_first(store):
    store.next_number(GLOBAL, "seq")
    store.log_append_numbered(A, "journal", {"n": 1, "m": Decimal("0.10")}, keep=10,
                              counter=(GLOBAL, "seq"), field="seq")
    store.log_append_numbered(B, "journal", {"n": "\ud800", "seq": "ignored"}, keep=10,
                              counter=(GLOBAL, "seq"), field="seq")
    assert store.next_number(GLOBAL, "seq") == 4
    [entry] = store.log_read(A, "journal")
    assert entry == {"seq": 2, "n": 1, "m": Decimal("0.10")} and list(entry)[0] == "seq"
    assert store.log_read(B, "journal") == [{"seq": 3, "n": "\ud800"}]
    assert sorted(store.log_namespaces("journal")) == [A, B]


def test_numbered_entries_keep_the_newest_and_a_keep_of_zero_still_draws(store):
    for n in range(5):
        store.log_append_numbered(A, "journal", {"n": n}, keep=2, counter=(A, "seq"), field="k")
    assert store.log_read(A, "journal") == [{"k": 4, "n": 3}, {"k": 5, "n": 4}]
    store.log_append_numbered(A, "journal", {}, keep=0, counter=(A, "seq"), field="k")
    assert store.log_read(A, "journal") == [] and store.next_number(A, "seq") == 7


def test_numbered_entries_appended_concurrently_are_in_number_order(store):
    def append() -> None:
        for n in range(40):
            store.log_append_numbered(A, "journal", {"n": n}, keep=1000,
                                      counter=(GLOBAL, "seq"), field="seq")

    run_in_threads(4, append)
    numbers = [entry["seq"] for entry in store.log_read(A, "journal")]
    assert numbers == list(range(1, 161))


# -- reset ---------------------------------------------------------------------------------------
def fill(store, ns: Namespace) -> None:
    store.put(ns, "invoices", "1", {"id": "1"})
    store.next_number(ns, "ids")
    store.hit(ns, "rate", 60)
    store.log_append(ns, "journal", {"n": 1}, keep=10)


def assert_filled(store, ns: Namespace) -> None:
    assert store.get(ns, "invoices", "1") == {"id": "1"}
    assert store.log_read(ns, "journal") == [{"n": 1}]
    assert ns in store.log_namespaces("journal")


def assert_empty(store, ns: Namespace) -> None:
    assert store.get(ns, "invoices", "1") is None and store.count(ns, "invoices") == 0
    assert store.next_number(ns, "ids") == 1 and store.hit(ns, "rate", 60) == 1
    assert store.log_read(ns, "journal") == [] and ns not in store.log_namespaces("journal")


def test_reset_of_a_namespace_forgets_all_of_it_and_nothing_else(store, neighbour):
    for ns in (A, B, GLOBAL):
        fill(store, ns)
    fill(neighbour, A)
    store.reset([A])
    assert_empty(store, A)
    for untouched_store, ns in ((store, B), (store, GLOBAL), (neighbour, A)):
        assert_filled(untouched_store, ns)
    assert store.next_number(B, "ids") == 2 and store.hit(B, "rate", 60) == 2


def test_reset_of_everything_clears_this_store_only(store, neighbour):
    for ns in (A, B, GLOBAL):
        fill(store, ns)
    fill(neighbour, A)
    store.reset()
    for ns in (A, B, GLOBAL):
        assert_empty(store, ns)
    assert_filled(neighbour, A)


def test_a_namespace_reset_is_usable_at_once_and_orders_anew(store):
    store.put(A, "invoices", "old", {"id": "old"})
    store.reset([A, B])
    store.reset([A])
    for record_id in ("x", "y"):
        store.put(A, "invoices", record_id, {"id": record_id})
    assert ids(store.list(A, "invoices")) == ["x", "y"]


READS_AT_ONE_MOMENT = {
    "a read-only transaction": lambda store: store.transact(
        A, lambda tx: (tx.get("parents", "p"), tx.list("children"))),
    "get_and_list": lambda store: store.get_and_list(A, "parents", "p", "children"),
}


@pytest.mark.parametrize("read", READS_AT_ONE_MOMENT.values(), ids=READS_AT_ONE_MOMENT)
def test_a_record_and_its_children_are_read_at_one_moment(store, read):
    """Writers keep parent["count"] equal to the number of children; a reader listing both at
    once never sees them disagree."""
    store.put(A, "parents", "p", {"count": 0})
    stop, seen = threading.Event(), []

    def write() -> None:
        for n in range(150):
            def add(tx, n=n):
                parent = tx.get("parents", "p")
                tx.put("children", f"c{n}", {"n": n})
                tx.put("parents", "p", {"count": parent["count"] + 1})
            store.transact(A, add)
        stop.set()

    writer = threading.Thread(target=write)
    writer.start()
    while not seen or not stop.is_set():
        parent, children = read(store)
        seen.append(parent["count"] == len(children))
    writer.join()
    assert seen and all(seen)
    assert store.transact(A, lambda tx: tx.list("children", 148, 5)) == [{"n": 148}, {"n": 149}]


def test_get_and_list_reads_a_record_and_every_record_of_another_kind_as_copies(store):
    store.put(A, "invoices", "1", {"id": "1"})
    for item in ("b", "a"):
        store.put(A, "items:1", item, {"id": item})
    store.put(B, "items:1", "c", {"id": "c"})
    record, items = store.get_and_list(A, "invoices", "1", "items:1")
    assert record == {"id": "1"} and ids(items) == ["b", "a"]
    record["id"], items[0]["id"] = "changed", "changed"
    assert store.get_and_list(A, "invoices", "1", "items:1") == (
        {"id": "1"}, [{"id": "b"}, {"id": "a"}])
    assert store.get_and_list(A, "invoices", "2", "items:2") == (None, [])
