"""Many processes, one sandbox: ``serve --workers N --store redis://...`` as a user runs it.

These start the real command line (``tests/sandbox_process.py``) against a real redis-server,
put concurrent load on it from many HTTP clients, kill a worker, the whole sandbox and Redis
itself, and check that every invoice stays consistent: its totals equal a recompute from its
items (``json.loads(..., parse_float=Decimal)``, so nothing is compared through a float). The
load tests share one two-worker sandbox (``two_workers``); the restart tests start their own.
The last test runs the app in-process on the Redis store, in both flavours.

Each test uses its own key prefix (``?prefix=``) and fresh API keys (fresh tenants), so tests
can share one server; without a redis-server binary they skip, or fail under CI. One test
checks that every invoice a response shows is one snapshot (totals and items together).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.store.redis import RedisStore
from invoice_sandbox.testing.redis_server import RedisServer
from tests.sandbox_process import SandboxProcess, cpu_seconds, free_port
from tests.store.conftest import (  # noqa: F401  (redis_url: the session's server, a fixture)
    redis_url, require_redis_server_binary, unique_prefix, with_prefix,
)

pytestmark = pytest.mark.slow

REBILLY_DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"
REBILLY_PAID = "in_0YVF9605RKC62BP14NE2R7V2XU"
REBILLY_CUSTOMER = "cus_0YV7DDSDD1C8DA64KHH2W33CPF"
REBILLY_WEBSITE = "web_0YV7DE4Z26DQSA1AC92FBJ7SEG"
BILLINGRAILS_DRAFT = "inv_DraftUSD01"
BILLINGRAILS_CREDIT = "inv_CreditEU01"
BILLINGRAILS_PAID = "inv_PaidJPY001"
BILLINGRAILS_ISSUED = "inv_IssuedKWD1"
LINEITEMS_UPCOMING = "oQLSmmnn"
LINEITEMS_PAID = "ZVzWRFnt"
CLIENTS = 32
CENT = Decimal("0.01")


# -- keys, URLs and parsing --------------------------------------------------------------------
def fresh(prefix: str) -> str:
    """A key of the sandbox-key shape nobody used: its own tenant, seeded from the fixtures."""
    return f"{prefix}w{uuid.uuid4().hex}"


def rebilly_headers(key: str) -> dict:
    return {"REB-APIKEY": key, "Content-Type": "application/json"}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def parsed(response) -> dict:
    """The body with every JSON fraction as a Decimal (exactly as sent)."""
    return json.loads(response.text, parse_float=Decimal)


@pytest.fixture
def store_url(redis_url):  # noqa: F811
    """A store URL with a prefix of its own on the session's server; its keys go afterwards."""
    url = with_prefix(redis_url, unique_prefix())
    yield url
    store = RedisStore.from_url(url)
    try:
        store.reset()
    finally:
        store.close()


# -- recomputing totals from items -------------------------------------------------------------
def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def assert_rebilly_consistent(invoice: dict, paid: Decimal = Decimal(0)) -> None:
    """Every amount of a (USD/EUR: cents) Rebilly invoice equals a recompute from its items:
    each item's gross, price and tax rounded to the cent, the invoice summing those."""
    gross = discount = tax = Decimal(0)
    for item in invoice["items"]:
        sign = -1 if item["type"] == "credit" else 1
        item_gross = cents(Decimal(item["unitPrice"]) * item["quantity"])
        price = cents(Decimal(item["unitPrice"]) * item["quantity"]
                      - Decimal(item["discountAmount"]))
        assert Decimal(item["price"]) == price, item
        gross += sign * item_gross
        discount += sign * (item_gross - price)
        tax += sign * cents(Decimal((item.get("tax") or {}).get("amount", 0)))
    expected_amount = gross - discount + tax + invoice["shippingAmount"]
    assert invoice["subtotalAmount"] == gross
    assert invoice["discountAmount"] == discount
    assert invoice["taxAmount"] == tax
    assert invoice["amount"] == expected_amount
    assert invoice["amountDue"] == expected_amount - paid


def assert_billingrails_consistent(invoice: dict) -> None:
    """Billingrails amounts (integers, minor units) equal a recompute from the items."""
    for item in invoice["items"]:
        assert item["total_amount"] == item["subtotal_amount"] == \
            item["quantity"] * item["unit_amount"], item
    subtotal = sum(item["total_amount"] for item in invoice["items"])
    assert invoice["subtotal_amount"] == subtotal
    assert invoice["total_amount"] == max(subtotal - invoice["credit_amount"], 0)
    assert invoice["outstanding_amount"] == invoice["total_amount"] - invoice["paid_amount"]


def assert_lineitems_consistent(invoice: dict) -> None:
    """Line-items amounts (decimal strings) equal an exact recompute from the lines."""
    subtotal = Decimal(0)
    for line in invoice["lineItems"]:
        line_total = Decimal(line["quantity"]) * Decimal(line["unitPrice"])
        assert Decimal(line["totalPrice"]) == line_total, line
        subtotal += line_total
    assert Decimal(invoice["subtotal"]) == subtotal
    assert Decimal(invoice["total"]) == subtotal + Decimal(invoice["tax"])
    assert Decimal(invoice["amountRemaining"]) == \
        Decimal(invoice["total"]) - Decimal(invoice["amountPaid"])


# -- concurrent load ---------------------------------------------------------------------------
REBILLY_PRICES = ("1.25", "0.335", "19.99", "0.005", "7.1", "1000.01")
BILLINGRAILS_AMOUNTS = (125, 1, 999, 2503, 100000)
RECYCLE_AFTER = 40
"""Requests per client connection before it reconnects, so connections (and load) spread over
the workers instead of staying wherever the first burst of accepts put them."""


@dataclass
class Outcome:
    provider: str
    body: dict
    status: int | None = None
    item_id: str | None = None
    error: str | None = None
    snapshot_consistent: bool | None = None  # Billingrails: the returned invoice's own totals
    completed: int = 0  # its place in the order in which requests finished


def load_tasks(rebilly: int, billingrails: int, seed: int) -> list[tuple[str, dict]]:
    """Item bodies in a shuffled (seeded) mix: sub-cent prices, credits, several quantities."""
    tasks = []
    for i in range(rebilly):
        tasks.append(("rebilly", {"type": "credit" if i % 9 == 8 else "debit",
                                  "unitPrice": REBILLY_PRICES[i % len(REBILLY_PRICES)],
                                  "quantity": 1 + i % 3, "description": f"load {i}"}))
    for i in range(billingrails):
        tasks.append(("billingrails", {
            "name": f"load {i}", "quantity": 1 + i % 3,
            "unit_amount": BILLINGRAILS_AMOUNTS[i % len(BILLINGRAILS_AMOUNTS)]}))
    random.Random(seed).shuffle(tasks)
    return tasks


def rebilly_json(body: dict) -> str:
    """The body with ``unitPrice`` as a JSON number written from its decimal text."""
    fields = {k: v for k, v in body.items() if k != "unitPrice"}
    return json.dumps(fields)[:-1] + f', "unitPrice": {body["unitPrice"]}}}'


def run_load(base_url: str, rebilly_key: str, billingrails_key: str,
             tasks: list[tuple[str, dict]], after_each=None) -> list[Outcome]:
    """Send every task from ``CLIENTS`` concurrent clients; one outcome per task, in order.
    No retries: a request whose response is lost may or may not have been applied."""
    local = threading.local()
    opened: list[httpx.Client] = []
    done = [0]
    lock = threading.Lock()

    def client() -> httpx.Client:
        if getattr(local, "client", None) is None or local.uses >= RECYCLE_AFTER:
            if getattr(local, "client", None) is not None:
                local.client.close()
            local.client, local.uses = httpx.Client(base_url=base_url, timeout=60), 0
            with lock:
                opened.append(local.client)
        local.uses += 1
        return local.client

    def send(task: tuple[str, dict]) -> Outcome:
        provider, body = task
        outcome = Outcome(provider, body)
        try:
            if provider == "rebilly":
                response = client().post(f"/rebilly/invoices/{REBILLY_DRAFT}/items",
                                         content=rebilly_json(body),
                                         headers=rebilly_headers(rebilly_key))
                outcome.status = response.status_code
                if response.status_code == 201:
                    outcome.item_id = response.json()["id"]
            else:
                response = client().post(f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}/items",
                                         json=body, headers=bearer(billingrails_key))
                outcome.status = response.status_code
                if response.status_code == 200:
                    invoice = response.json()["invoice"]
                    outcome.snapshot_consistent = invoice["subtotal_amount"] == \
                        sum(item["total_amount"] for item in invoice["items"])
            if outcome.status not in (200, 201):
                outcome.error = f"{response.status_code} {response.text[:300]}"
        except httpx.TransportError as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"
        with lock:
            done[0] += 1
            outcome.completed = count = done[0]
        if after_each is not None:
            after_each(count)
        return outcome

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            return list(pool.map(send, tasks))
    finally:
        for opened_client in opened:
            opened_client.close()


def fetch_invoices(base_url: str, rebilly_key: str, billingrails_key: str) -> tuple[dict, dict]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        rebilly = client.get(f"/rebilly/invoices/{REBILLY_DRAFT}",
                             headers=rebilly_headers(rebilly_key))
        billingrails = client.get(f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}",
                                  headers=bearer(billingrails_key))
    assert rebilly.status_code == 200 and billingrails.status_code == 200
    return parsed(rebilly), parsed(billingrails)["invoice"]


def assert_unique_ids(items: list[dict]) -> None:
    ids = [item["id"] for item in items]
    assert len(set(ids)) == len(ids), "duplicate item ids"


def sent_rebilly_gross(outcomes: list[Outcome]) -> Decimal:
    """What the sent items add to the subtotal: each item's gross rounded to the cent."""
    return sum((cents(Decimal(o.body["unitPrice"]) * o.body["quantity"])
                * (-1 if o.body["type"] == "credit" else 1)) for o in outcomes)


# -- 1. two workers, one sandbox ---------------------------------------------------------------
LOAD_REBILLY = 2000
LOAD_BILLINGRAILS = int(os.environ.get("INVOICE_SANDBOX_TEST_BILLINGRAILS_LOAD", 800))
"""Billingrails answers an added item with the whole invoice, so N adds to one invoice cost
O(N^2): 2,000 take about 65 s on a 2-core machine, too long for this file's budget; set the
variable to 2000 for the full load."""


@pytest.fixture(scope="module")
def two_workers(redis_url, tmp_path_factory):  # noqa: F811
    """One ``serve --workers 2`` on its own prefix, shared by the load tests (each uses fresh
    tenants, so they cannot see each other's data)."""
    url = with_prefix(redis_url, unique_prefix())
    process = SandboxProcess(url, workers=2, seed=1, log_dir=tmp_path_factory.mktemp("sandbox"))
    try:
        yield process.start()
    finally:
        process.close()
        store = RedisStore.from_url(url)
        store.reset()
        store.close()


def test_two_workers_on_one_redis_act_as_one_sandbox_under_concurrent_load(two_workers):
    sandbox = two_workers
    rebilly_key, billingrails_key = fresh("sk_sandbox_"), fresh("sk_site_")
    tasks = load_tasks(LOAD_REBILLY, LOAD_BILLINGRAILS, seed=1)
    sandbox.wait_ready()
    workers = sandbox.serving_workers()
    assert len(workers) == 2
    cpu_before = {pid: cpu_seconds(pid) for pid in workers}
    outcomes = run_load(sandbox.base_url, rebilly_key, billingrails_key, tasks)
    cpu_used = {pid: cpu_seconds(pid) - cpu_before[pid] for pid in workers}
    rebilly, billingrails = fetch_invoices(sandbox.base_url, rebilly_key, billingrails_key)

    failures = [o.error for o in outcomes if o.error]
    assert not failures, f"{len(failures)} failed requests, e.g. {failures[:3]}"
    # Both workers did a real share of the work (CPU seconds each, while the load ran).
    assert all(used > 0.1 * sum(cpu_used.values()) for used in cpu_used.values()), cpu_used

    rebilly_done = [o for o in outcomes if o.provider == "rebilly"]
    assert len(rebilly["items"]) == LOAD_REBILLY + 1  # + the fixture's item
    assert_unique_ids(rebilly["items"])
    assert {o.item_id for o in rebilly_done} <= {item["id"] for item in rebilly["items"]}
    assert_rebilly_consistent(rebilly)
    assert rebilly["subtotalAmount"] == Decimal("29.99") + sent_rebilly_gross(rebilly_done)

    billingrails_done = [o for o in outcomes if o.provider == "billingrails"]
    assert len(billingrails["items"]) == LOAD_BILLINGRAILS + 1
    assert_unique_ids(billingrails["items"])
    assert_billingrails_consistent(billingrails)
    assert billingrails["subtotal_amount"] == 1000 + sum(
        o.body["quantity"] * o.body["unit_amount"] for o in billingrails_done)


def test_connections_opened_at_once_are_spread_over_every_worker(two_workers):
    # A load generator or a CI job's pool opens its connections together; with one socket
    # shared by the workers, the first to wake used to accept them all.
    sandbox = two_workers
    sandbox.wait_ready()
    request = (f"GET /rebilly/invoices/{REBILLY_DRAFT} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"REB-APIKEY: {fresh('sk_sandbox_')}\r\n\r\n").encode()
    connections = [socket.create_connection(("127.0.0.1", sandbox.port), timeout=30)
                   for _ in range(16)]
    try:
        for connection in connections:
            connection.sendall(request)
        assert all(c.recv(12).startswith(b"HTTP/1.1 200") for c in connections)
        spread = sandbox.connections_per_worker()
        assert sum(spread.values()) == 16 and len(spread) == 2, spread
        assert all(count > 0 for count in spread.values()), spread
    finally:
        for connection in connections:
            connection.close()


def test_a_second_sandbox_on_a_port_the_workers_serve_exits_2_and_shares_nothing(two_workers):
    sandbox = two_workers
    sandbox.wait_ready()
    second = subprocess.run(sandbox.command(), env=SandboxProcess.environment(),
                            capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    assert "cannot listen" in second.stderr and "Address already in use" in second.stderr
    assert len(sandbox.serving_workers()) == 2


# -- 2. a worker killed mid-load ---------------------------------------------------------------
KILL_REBILLY = 600
KILL_BILLINGRAILS = 300


def test_a_worker_killed_mid_load_leaves_every_invoice_consistent(two_workers):
    sandbox = two_workers
    rebilly_key, billingrails_key = fresh("sk_sandbox_"), fresh("sk_site_")
    tasks = load_tasks(KILL_REBILLY, KILL_BILLINGRAILS, seed=2)
    kill_at = len(tasks) // 3
    killed: dict = {}
    sandbox.wait_ready()

    def kill_one_worker(completed: int) -> None:
        if completed == kill_at:
            victim = sandbox.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            killed.update(pid=victim, at=completed)

    outcomes = run_load(sandbox.base_url, rebilly_key, billingrails_key, tasks,
                        after_each=kill_one_worker)
    assert killed, "no worker was killed"
    # The supervisor replaced it; the sandbox serves on, with two workers again.
    sandbox.wait_ready(timeout=60)
    assert killed["pid"] not in sandbox.worker_pids()
    rebilly, billingrails = fetch_invoices(sandbox.base_url, rebilly_key, billingrails_key)

    # Only the requests in flight on the killed worker may fail, and only in transport.
    errors = [o for o in outcomes if o.error]
    assert all(o.status is None for o in errors), [o.error for o in errors if o.status][:3]
    assert len(errors) < CLIENTS * 2, f"{len(errors)} failed requests"
    assert any(o.completed > killed["at"] and not o.error for o in outcomes), "no load after"

    for provider, invoice in (("rebilly", rebilly), ("billingrails", billingrails)):
        attempts = [o for o in outcomes if o.provider == provider]
        succeeded = [o for o in attempts if not o.error]
        count = len(invoice["items"]) - 1  # less the fixture's item
        assert len(succeeded) <= count <= len(attempts), provider
        assert_unique_ids(invoice["items"])
    rebilly_ids = {item["id"] for item in rebilly["items"]}
    assert {o.item_id for o in outcomes if o.item_id} <= rebilly_ids  # acknowledged, kept
    assert_rebilly_consistent(rebilly)
    assert_billingrails_consistent(billingrails)


# -- 2b. what a response shows ---------------------------------------------------------------
def test_every_invoice_a_response_shows_is_consistent_under_concurrent_writes(two_workers):
    sandbox = two_workers
    rebilly_key, billingrails_key = fresh("sk_sandbox_"), fresh("sk_site_")
    tasks = load_tasks(200, 200, seed=3)
    sandbox.wait_ready()
    writing = threading.Event()
    writing.set()
    torn: list[str] = []

    def read() -> None:
        with httpx.Client(base_url=sandbox.base_url, timeout=60) as client:
            while writing.is_set():
                for path, headers, check in (
                        (f"/rebilly/invoices/{REBILLY_DRAFT}", rebilly_headers(rebilly_key),
                         assert_rebilly_consistent),
                        (f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}",
                         bearer(billingrails_key),
                         lambda body: assert_billingrails_consistent(body["invoice"]))):
                    try:
                        check(parsed(client.get(path, headers=headers)))
                    except AssertionError:
                        torn.append(f"GET {path}")

    with ThreadPoolExecutor(4) as readers:
        reading = [readers.submit(read) for _ in range(4)]
        try:
            outcomes = run_load(sandbox.base_url, rebilly_key, billingrails_key, tasks)
        finally:
            writing.clear()
        for future in reading:
            future.result()
    assert not [o.error for o in outcomes if o.error]
    torn += ["POST billingrails item" for o in outcomes if o.snapshot_consistent is False]
    assert not torn, f"{len(torn)} responses with totals that do not match their items: " \
                     f"{sorted(set(torn))}"


# -- 3. stop, restart, same state --------------------------------------------------------------
def control(client: httpx.Client, method: str, path: str, provider: str, key: str, **kwargs):
    response = client.request(method, f"/_sandbox/{path}", params={"provider": provider,
                                                                   "key": key}, **kwargs)
    assert response.status_code == 200, response.text
    return parsed(response)


@dataclass
class Tenants:
    """Fresh keys of one test, and the Billingrails invoices it knows of (no list endpoint)."""
    rebilly: str = field(default_factory=lambda: fresh("sk_sandbox_"))
    billingrails: str = field(default_factory=lambda: fresh("sk_site_"))
    lineitems: str = field(default_factory=lambda: fresh("sk_sandbox_"))
    billingrails_invoices: list = field(default_factory=lambda: [BILLINGRAILS_DRAFT])


def write_round(client: httpx.Client, keys: Tenants, round_no: int) -> set[str]:
    """Create invoices, items and lines in every provider; the new ids and invoice numbers."""
    new: set[str] = set()
    rebilly = rebilly_headers(keys.rebilly)
    created = client.post("/rebilly/invoices", headers=rebilly, json={
        "customerId": REBILLY_CUSTOMER, "websiteId": REBILLY_WEBSITE, "currency": "USD"})
    assert created.status_code == 201, created.text
    invoice = parsed(created)
    assert invoice["createdTime"] == "2030-01-01T00:00:00Z"  # the tenant's clock, in effect
    new |= {invoice["id"], f"rebilly number {invoice['invoiceNumber']}"}
    for target in (REBILLY_DRAFT, REBILLY_DRAFT, invoice["id"]):
        added = client.post(f"/rebilly/invoices/{target}/items", headers=rebilly,
                            content=rebilly_json({"type": "debit", "quantity": 1 + round_no,
                                                  "unitPrice": "0.335"}))
        assert added.status_code == 201, added.text
        new.add(parsed(added)["id"])

    billingrails = bearer(keys.billingrails)
    created = client.post("/billingrails/v1/invoices", headers=billingrails, json={
        "account_id": "acc_DemoAcme01", "currency": "USD",
        "items": [{"name": "Seat", "quantity": 3, "unit_amount": 1999}]})
    assert created.status_code == 200, created.text
    invoice = parsed(created)["invoice"]
    keys.billingrails_invoices.append(invoice["id"])
    new |= {invoice["id"], f"billingrails number {invoice['number']}",
            *(item["id"] for item in invoice["items"])}
    before = client.get(f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}", headers=billingrails)
    added = client.post(f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}/items",
                        headers=billingrails, json={"name": f"r{round_no}", "quantity": 2,
                                                    "unit_amount": 125})
    assert added.status_code == 200, added.text
    added_ids = ({i["id"] for i in parsed(added)["invoice"]["items"]}
                 - {i["id"] for i in parsed(before)["invoice"]["items"]})
    assert len(added_ids) == 1
    new |= added_ids

    added = client.post(f"/lineitems/invoices/{LINEITEMS_UPCOMING}/line-items",
                        headers=bearer(keys.lineitems),
                        json={"description": f"r{round_no}", "quantity": "3", "unitPrice": "0.1"})
    assert added.status_code == 200, added.text
    new.add(parsed(added)["lineItems"][-1]["id"])
    return new


def snapshot(client: httpx.Client, keys: Tenants, journal: str = "last") -> dict:
    """The tenants' clock setting, journals and every invoice (items included, each checked
    for consistency). Reading invoices adds journal entries, so a snapshot taken before a
    restart reads the journals ``"last"``, and one taken after it ``"first"``: then the two
    are equal exactly when nothing was lost or added."""
    def journals() -> dict:
        return {provider: control(client, "GET", "journal", provider, key)["entries"]
                for provider, key in (("rebilly", keys.rebilly),
                                      ("billingrails", keys.billingrails),
                                      ("lineitems", keys.lineitems))}

    state = {"clock": control(client, "GET", "clock", "rebilly", keys.rebilly)}
    if journal == "first":
        state["journal"] = journals()
    rebilly = client.get("/rebilly/invoices", headers=rebilly_headers(keys.rebilly))
    assert rebilly.status_code == 200, rebilly.text
    state["rebilly"] = parsed(rebilly)
    state["billingrails"] = {}
    for invoice_id in keys.billingrails_invoices:
        response = client.get(f"/billingrails/v1/invoices/{invoice_id}",
                              headers=bearer(keys.billingrails))
        assert response.status_code == 200, response.text
        state["billingrails"][invoice_id] = parsed(response)["invoice"]
    lineitems = client.get("/lineitems/invoices", params={"limit": 100},
                           headers=bearer(keys.lineitems))
    upcoming = client.get(f"/lineitems/invoices/{LINEITEMS_UPCOMING}",
                          headers=bearer(keys.lineitems))
    assert lineitems.status_code == 200 and upcoming.status_code == 200
    state["lineitems"] = {"list": parsed(lineitems), LINEITEMS_UPCOMING: parsed(upcoming)}
    if journal == "last":
        state["journal"] = journals()

    for invoice in state["rebilly"]:
        if invoice["status"] != "paid":
            assert_rebilly_consistent(invoice)
    for invoice in state["billingrails"].values():
        assert_billingrails_consistent(invoice)
    assert_lineitems_consistent(state["lineitems"][LINEITEMS_UPCOMING])
    return state


def test_a_restarted_sandbox_serves_the_same_state_and_never_repeats_an_id(store_url,
                                                                            tmp_path):
    keys = Tenants()
    port = free_port()
    seen: set[str] = set()
    sandbox = SandboxProcess(store_url, workers=2, seed=1, port=port, log_dir=tmp_path)
    try:
        sandbox.start()
        with httpx.Client(base_url=sandbox.base_url, timeout=30) as client:
            control(client, "PUT", "clock", "rebilly", keys.rebilly,
                    json={"now": "2030-01-01T00:00:00Z"})
            seen |= write_round(client, keys, 0)
            before = snapshot(client, keys)

        for round_no, stop in ((1, "SIGTERM"), (2, "SIGKILL")):
            if stop == "SIGTERM":
                assert sandbox.terminate() == 0, sandbox.log_tail()
            else:
                sandbox.kill_group()
            assert not sandbox.wait_group_gone(), f"{stop}: processes left behind"
            sandbox = SandboxProcess(store_url, workers=2, seed=1, port=port, log_dir=tmp_path)
            sandbox.start()
            with httpx.Client(base_url=sandbox.base_url, timeout=30) as client:
                after = snapshot(client, keys, journal="first")
                assert after["clock"] == before["clock"] == {
                    "now": "2030-01-01T00:00:00Z", "frozen": True, "setBy": "tenant"}
                for part in ("journal", "rebilly", "billingrails", "lineitems"):
                    assert after[part] == before[part], f"after {stop}: {part} differs"
                new = write_round(client, keys, round_no)
                assert not new & seen, f"after {stop}, ids repeat: {sorted(new & seen)}"
                seen |= new
                before = snapshot(client, keys)
            for entries in before["journal"].values():
                numbers = [entry["seq"] for entry in entries]
                assert numbers == sorted(set(numbers)), "journal numbering restarted"
    finally:
        sandbox.close()


# -- 4. Redis killed -------------------------------------------------------------------------
def test_sandbox_state_survives_redis_killed_with_appendfsync_everysec(tmp_path):
    binary = require_redis_server_binary()
    (tmp_path / "redis").mkdir()
    server = RedisServer("--appendonly", "yes", "--appendfsync", "everysec",
                         directory=tmp_path / "redis", binary=binary)
    sandbox = None
    try:
        server.start()
        store = with_prefix(server.url, unique_prefix())
        # One worker: what matters here is Redis; two workers read it the same way (1-3).
        sandbox = SandboxProcess(store, workers=1, seed=1, log_dir=tmp_path).start()
        keys = Tenants()
        with httpx.Client(base_url=sandbox.base_url, timeout=30) as client:
            control(client, "PUT", "clock", "rebilly", keys.rebilly,
                    json={"now": "2030-01-01T00:00:00Z"})
            for round_no in range(5):
                write_round(client, keys, round_no)
            written = snapshot(client, keys)
            last_write = time.monotonic()  # the snapshot's reads were journaled: writes too
        time.sleep(max(0.0, last_write + 1.5 - time.monotonic()))
        server.kill()
        sandbox.kill_group()
        server.start()
        sandbox = SandboxProcess(store, workers=1, seed=1, port=sandbox.port,
                                 log_dir=tmp_path).start()
        with httpx.Client(base_url=sandbox.base_url, timeout=30) as client:
            restored = snapshot(client, keys, journal="first")
        assert len(written["rebilly"]) == 3 + 5 and len(written["billingrails"]) == 1 + 5
        for part in ("clock", "journal", "rebilly", "billingrails", "lineitems"):
            assert restored[part] == written[part], f"{part} differs after Redis was killed"
    finally:
        if sandbox is not None:
            sandbox.close()
        server.close()


# -- 5. workers need a shared store ------------------------------------------------------------
@pytest.mark.parametrize("store", [[], ["--store", "memory"]], ids=["default", "memory"])
def test_workers_without_a_shared_store_exit_2_with_one_line_and_serve_nothing(store):
    port = free_port()
    result = subprocess.run(
        [sys.executable, "-m", "invoice_sandbox.cli", "serve", "--port", str(port),
         "--workers", "2", *store],
        capture_output=True, text=True, timeout=60, env=SandboxProcess.environment())
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "memory store" in lines[0], result.stderr
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


# -- 6. the app on the Redis store, in-process -------------------------------------------------
FROZEN = "2024-01-01T00:00:00Z"


def in_process_app(store: str, flavor: str):
    return create_app(SandboxConfig(seed=1, clock=FROZEN, validate_responses=True, store=store,
                                    flavor=flavor))


def everything(client, keys: Tenants) -> dict:
    """Every invoice of the three tenants as the API shows it (reads only)."""
    state = {"rebilly": parsed(client.get("/rebilly/invoices",
                                          headers=rebilly_headers(keys.rebilly)))}
    for invoice_id in (BILLINGRAILS_DRAFT, BILLINGRAILS_CREDIT, BILLINGRAILS_PAID,
                       BILLINGRAILS_ISSUED):
        response = client.get(f"/billingrails/v1/invoices/{invoice_id}",
                              headers=bearer(keys.billingrails))
        state[invoice_id] = parsed(response)["invoice"]
    for invoice_id in (LINEITEMS_UPCOMING, LINEITEMS_PAID):
        state[invoice_id] = parsed(client.get(f"/lineitems/invoices/{invoice_id}",
                                              headers=bearer(keys.lineitems)))
    return state


def test_the_app_on_the_redis_store_adds_replaces_and_deletes_items_end_to_end(store_url,
                                                                               flavor):
    keys = Tenants()
    app = in_process_app(store_url, flavor)
    rebilly, billingrails, lineitems = (rebilly_headers(keys.rebilly), bearer(keys.billingrails),
                                        bearer(keys.lineitems))
    draft = f"/rebilly/invoices/{REBILLY_DRAFT}"
    try:
        with app.test_client() as client:
            def rebilly_invoice(subtotal: str, items: int) -> dict:
                invoice = parsed(client.get(draft, headers=rebilly))
                assert_rebilly_consistent(invoice)
                assert invoice["subtotalAmount"] == Decimal(subtotal)
                assert len(invoice["items"]) == items
                return invoice

            rebilly_invoice("29.99", 1)
            added = client.post(f"{draft}/items", headers=rebilly,
                                content=rebilly_json({"type": "debit", "unitPrice": "10.10",
                                                      "quantity": 3}))
            assert added.status_code == 201, added.text
            item_id = parsed(added)["id"]
            rebilly_invoice("60.29", 2)
            replaced = client.put(f"{draft}/items/{item_id}", headers=rebilly,
                                  content=rebilly_json({"type": "debit", "unitPrice": "0.335",
                                                        "quantity": 3}))
            assert replaced.status_code == 200, replaced.text
            assert parsed(replaced)["price"] == Decimal("1.01")
            rebilly_invoice("31", 2)  # 29.99 + 1.005 = 30.995, rounded once, on the invoice
            credit = client.post(f"{draft}/items", headers=rebilly,
                                 content=rebilly_json({"type": "credit", "unitPrice": "5",
                                                       "quantity": 1}))
            assert credit.status_code == 201, credit.text
            assert rebilly_invoice("26", 3)["amountDue"] == Decimal("26")  # 25.995
            deleted = client.delete(f"{draft}/items/{item_id}", headers=rebilly)
            assert deleted.status_code == 204, deleted.text
            rebilly_invoice("24.99", 2)

            added = client.post(f"/billingrails/v1/invoices/{BILLINGRAILS_DRAFT}/items",
                                headers=billingrails,
                                json={"name": "x", "quantity": 2, "unit_amount": 125})
            assert added.status_code == 200, added.text
            invoice = parsed(added)["invoice"]
            assert_billingrails_consistent(invoice)
            assert (invoice["subtotal_amount"], invoice["total_amount"],
                    invoice["outstanding_amount"], len(invoice["items"])) == (1250, 1250, 1250, 2)
            added = client.post(f"/billingrails/v1/invoices/{BILLINGRAILS_CREDIT}/items",
                                headers=billingrails,
                                json={"name": "y", "quantity": 3, "unit_amount": 1001})
            assert added.status_code == 200, added.text
            invoice = parsed(added)["invoice"]
            assert_billingrails_consistent(invoice)
            assert invoice["total_amount"] == invoice["subtotal_amount"] - 500

            added = client.post(f"/lineitems/invoices/{LINEITEMS_UPCOMING}/line-items",
                                headers=lineitems,
                                json={"description": "x", "quantity": "3", "unitPrice": "0.1"})
            assert added.status_code == 200, added.text
            invoice = parsed(added)
            assert_lineitems_consistent(invoice)
            assert (invoice["subtotal"], invoice["total"], invoice["amountRemaining"]) == \
                ("700.3", "700.3", "700.3")
            assert everything(client, keys)[LINEITEMS_UPCOMING] == invoice

            # Rejected requests change nothing, anywhere.
            before = everything(client, keys)
            paid = f"/rebilly/invoices/{REBILLY_PAID}"
            paid_item = parsed(client.get(paid, headers=rebilly))["items"][0]["id"]
            debit = rebilly_json({"type": "debit", "unitPrice": "1", "quantity": 1})
            rejected = [
                (client.post(f"{paid}/items", headers=rebilly, content=debit), 409),
                (client.put(f"{paid}/items/{paid_item}", headers=rebilly, content=debit), 409),
                (client.delete(f"{paid}/items/{paid_item}", headers=rebilly), 409),
                (client.post(f"{draft}/items", headers=rebilly,
                             json={"type": "debit", "unitPrice": "abc", "quantity": 0}), 422),
                (client.post(f"/billingrails/v1/invoices/{BILLINGRAILS_PAID}/items",
                             headers=billingrails,
                             json={"name": "z", "quantity": 1, "unit_amount": 1}), 409),
                (client.post(f"/billingrails/v1/invoices/{BILLINGRAILS_ISSUED}/items",
                             headers=billingrails,
                             json={"name": "z", "quantity": 1, "unit_amount": 1}), 409),
                (client.post(f"/lineitems/invoices/{LINEITEMS_PAID}/line-items",
                             headers=lineitems,
                             json={"description": "z", "quantity": "1", "unitPrice": "1"}), 422),
            ]
            assert [r.status_code for r, _ in rejected] == [status for _, status in rejected], \
                [r.text for r, _ in rejected]
            after = everything(client, keys)
            assert after == before
            for invoice in after["rebilly"]:
                assert_rebilly_consistent(invoice, paid=Decimal(
                    100 if invoice["status"] == "paid" else 0))
    finally:
        app.sandbox.store.close()

    # The state is in Redis, not in the app: a second app on the store sees all of it.
    second = in_process_app(store_url, "async" if flavor == "flask" else "flask")
    try:
        with second.test_client() as client:
            assert everything(client, keys) == after
    finally:
        second.sandbox.store.close()
