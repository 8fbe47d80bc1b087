"""What only the in-process store promises: a transaction locks its own namespace, no other."""

import threading

from invoice_sandbox.store import MemoryStore, Namespace

A = Namespace("rebilly", "key-a")
B = Namespace("rebilly", "key-b")


def test_a_transaction_in_one_namespace_does_not_block_writes_to_another():
    store = MemoryStore()
    inside, other_done = threading.Event(), threading.Event()
    outcome = {}

    def hold_a(tx):
        tx.put("invoices", "1", {"id": "1"})
        inside.set()
        outcome["b_finished_while_a_held"] = other_done.wait(timeout=5)

    holder = threading.Thread(target=lambda: store.transact(A, hold_a))
    holder.start()
    assert inside.wait(timeout=5)
    store.put(B, "invoices", "1", {"id": "1"})
    store.transact(B, lambda tx: tx.put("invoices", "2", {"id": "2"}))
    other_done.set()
    holder.join()
    assert outcome == {"b_finished_while_a_held": True}
    assert store.count(A, "invoices") == 1 and store.count(B, "invoices") == 2


def test_a_transaction_in_one_namespace_makes_writes_to_it_wait():
    store = MemoryStore()
    inside, release = threading.Event(), threading.Event()

    def hold_a(tx):
        tx.put("invoices", "1", {"by": "transaction"})
        inside.set()
        release.wait(timeout=5)

    holder = threading.Thread(target=lambda: store.transact(A, hold_a))
    holder.start()
    assert inside.wait(timeout=5)
    writer = threading.Thread(target=lambda: store.put(A, "invoices", "1", {"by": "put"}))
    writer.start()
    writer.join(timeout=0.2)
    assert writer.is_alive()  # waiting for the namespace lock
    release.set()
    holder.join()
    writer.join()
    assert store.get(A, "invoices", "1") == {"by": "put"}
