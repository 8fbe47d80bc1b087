import threading

from invoice_sandbox.store import MemoryStore, Namespace

A = Namespace("rebilly", "key-a")
B = Namespace("rebilly", "key-b")


def test_records_are_copied_in_and_out():
    store = MemoryStore()
    record = {"id": "1", "items": []}
    store.put(A, "invoices", "1", record)
    record["items"].append("mutated outside")
    read = store.get(A, "invoices", "1")
    read["items"].append("mutated after read")
    assert store.get(A, "invoices", "1") == {"id": "1", "items": []}


def test_namespaces_are_isolated_and_listed_in_insertion_order():
    store = MemoryStore()
    for record_id in ("b", "a", "c"):
        store.put(A, "invoices", record_id, {"id": record_id})
    assert [r["id"] for r in store.list(A, "invoices")] == ["b", "a", "c"]
    assert store.list(B, "invoices") == [] and store.get(B, "invoices", "a") is None


def test_delete_reports_whether_something_was_removed():
    store = MemoryStore()
    store.put(A, "invoices", "1", {})
    assert store.delete(A, "invoices", "1") is True
    assert store.delete(A, "invoices", "1") is False


def test_counters_are_atomic_under_threads():
    store = MemoryStore()
    threads = [threading.Thread(target=lambda: [store.next_number(A, "n") for _ in range(500)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.next_number(A, "n") == 2001


def test_claim_is_true_once_and_reset_forgets_a_tenant():
    store = MemoryStore()
    assert store.claim(A) is True and store.claim(A) is False
    store.put(A, "invoices", "1", {})
    store.put(B, "invoices", "1", {})
    store.reset([A])
    assert store.claim(A) is True and store.get(A, "invoices", "1") is None
    assert store.get(B, "invoices", "1") == {}
    store.reset()
    assert store.list(B, "invoices") == []


def test_appended_records_are_listed_in_order_and_cleared():
    store = MemoryStore()
    for n in range(3):
        store.append(A, "journal", {"n": n})
    assert [r["n"] for r in store.list(A, "journal")] == [0, 1, 2]
    assert store.namespaces("journal") == [A] and store.namespaces("other") == []
    assert store.clear(A, "journal") == 3 and store.list(A, "journal") == []
    assert store.namespaces("journal") == []


def test_append_keeps_only_the_newest_records_when_asked():
    store = MemoryStore()
    for n in range(5):
        store.append(A, "journal", {"n": n}, keep=2)
    assert [r["n"] for r in store.list(A, "journal")] == [3, 4]


def test_resetting_a_namespace_forgets_its_appended_records():
    store = MemoryStore()
    store.append(A, "journal", {"n": 1})
    store.append(B, "journal", {"n": 2})
    store.reset([A])
    assert store.namespaces("journal") == [B]
