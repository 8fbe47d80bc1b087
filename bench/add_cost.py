"""Benchmark: what adding an item to a Rebilly invoice costs at ~100 and at ~10,000 items.

Not a test: it lives outside ``tests/`` and has no ``test_`` names, so pytest never collects
it. Run it from the repository root::

    python3 bench/add_cost.py                  # memory and redis; handler, in-process, live
    python3 bench/add_cost.py --no-live        # skip the uvicorn + httpx measurement
    python3 bench/add_cost.py --grow-via-http  # grow the big invoice through the API (slower)

For each store (memory; redis on a throwaway ``redis-server`` started here with
``RedisServer``, or "redis: skipped (no redis-server)" when there is no binary) it builds an
in-process app, grows the seeded draft invoice of one fresh tenant (``sk_sandbox_bench_<n>``)
to 10,000 items and, for each way of calling, the same invoice of another fresh tenant to 100
items; then it times ``SAMPLES`` adds to each, alternating small and big invoice so that
background load hits both alike. Ways of calling:

    handler     the provider's ``post_invoice_item`` called directly (store and billing logic,
                no HTTP): the sharpest view of how the store scales
    in-process  ``POST /rebilly/invoices/{id}/items`` through ``app.test_client()`` (Connexion,
                validation, middlewares; no sockets)
    live        the same request with httpx to a ``LiveServer`` (uvicorn on loopback)

It prints a table (median and p90 at each size, ratio of medians big/small: flat ≈ 1.0), and
as the last lines one ratio line per store, from the in-process HTTP measurement.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message=".*starlette.testclient.*")  # httpx vs httpx2 notice
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # this checkout's code

from invoice_sandbox.app import create_app  # noqa: E402
from invoice_sandbox.config import SandboxConfig  # noqa: E402
from invoice_sandbox.testing.redis_server import redis_server_binary  # noqa: E402

INVOICE = "in_0YVF9605RKC62BP14NE2R7V2XT"  # a seeded draft (1 item)
ITEMS_PATH = f"/rebilly/invoices/{INVOICE}/items"
BODY = {"type": "debit", "unitPrice": 1.25, "quantity": 2}
SMALL, LARGE, SAMPLES = 100, 10_000, 300
GROW_CHUNK = 1_000
_tenants = itertools.count(1)


def _headers(key: str) -> dict[str, str]:
    return {"REB-APIKEY": key}


def _new_key() -> str:
    return f"sk_sandbox_bench_{next(_tenants)}"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


# -- ways of adding one item: add(key) -> None, raising unless the item was created -------------
class Direct:
    """The Rebilly handler itself, as the HTTP route calls it (tenant resolved once per key)."""

    def __init__(self, app) -> None:
        sandbox = app.sandbox
        self._tenancy = sandbox.tenancies["rebilly"]
        self._handlers = sandbox.providers["rebilly"].make_handlers(sandbox.store)
        self._tenants: dict = {}

    def add(self, key: str) -> None:
        tenant = self._tenants.get(key) or self._tenants.setdefault(key, self._tenancy.tenant(key))
        _body, status, _headers_out = self._handlers.post_invoice_item(
            tenant, "http://bench/rebilly", INVOICE, dict(BODY))
        if status != 201:
            raise RuntimeError(f"post_invoice_item answered {status}")


class Http:
    """A client with ``post``/``get`` (TestClient or httpx.Client)."""

    def __init__(self, client) -> None:
        self.client = client

    def add(self, key: str) -> None:
        response = self.client.post(ITEMS_PATH, headers=_headers(key), json=BODY)
        if response.status_code != 201:
            raise RuntimeError(f"POST {ITEMS_PATH} answered {response.status_code}: "
                               f"{response.text[:200]}")

    def count_items(self, key: str) -> int:
        total, offset = 0, 0
        while True:
            response = self.client.get(f"{ITEMS_PATH}?limit=100&offset={offset}",
                                       headers=_headers(key))
            if response.status_code != 200:
                raise RuntimeError(f"GET items answered {response.status_code}")
            total += len(response.json())
            offset += 100
            if len(response.json()) < 100:
                return total


# -- one store ---------------------------------------------------------------------------------
class Invoice:
    """One fresh tenant's seeded draft and how many items it holds."""

    def __init__(self) -> None:
        self.key = _new_key()
        self.items = 1  # the fixture's "Monthly plan"

    def grow(self, adder, target: int) -> list[float]:
        """Add until ``target`` items; the ms per add of each ``GROW_CHUNK`` on the way."""
        chunk_rates = []
        while self.items < target:
            n = min(GROW_CHUNK, target - self.items)
            start = time.perf_counter()
            for _ in range(n):
                adder.add(self.key)
            chunk_rates.append((time.perf_counter() - start) / n)
            self.items += n
        return chunk_rates


def timed_pairs(adder, small: Invoice, large: Invoice) -> tuple[list[float], list[float]]:
    """``SAMPLES`` adds to each invoice, alternated (and the order flipped every round)."""
    times = {id(small): [], id(large): []}
    for round_ in range(SAMPLES):
        for invoice in ((small, large) if round_ % 2 == 0 else (large, small)):
            start = time.perf_counter()
            adder.add(invoice.key)
            times[id(invoice)].append(time.perf_counter() - start)
            invoice.items += 1
    return times[id(small)], times[id(large)]


def summary(mode: str, small_times: list[float], large_times: list[float]) -> dict:
    small_med, large_med = statistics.median(small_times), statistics.median(large_times)
    return {"mode": mode, "small_med": small_med, "small_p90": _percentile(small_times, 0.9),
            "large_med": large_med, "large_p90": _percentile(large_times, 0.9),
            "ratio": large_med / small_med}


def bench_store(store_url: str | None, live: bool, grow_via_http: bool) -> dict:
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z", store=store_url))
    rows, checks = [], []
    try:
        direct = Direct(app)
        with app.test_client() as client:  # one event loop for every request
            in_process = Http(client)
            large = Invoice()
            grower = in_process if grow_via_http else direct
            start = time.perf_counter()
            chunks = large.grow(grower, LARGE)
            grow_seconds = time.perf_counter() - start

            def measure(mode: str, adder) -> None:
                small = Invoice()
                small.grow(adder, SMALL)  # also warms this path up
                rows.append(summary(mode, *timed_pairs(adder, small, large)))
                checks.extend([small, large])

            _progress("handler")
            measure("handler", direct)
            _progress("in-process")
            measure("in-process", in_process)
            if live:
                import httpx

                from invoice_sandbox.testing import LiveServer

                _progress("live")
                with LiveServer(app) as server, httpx.Client(base_url=server.base_url) as http:
                    measure("live", Http(http))
            for invoice in {id(i): i for i in checks}.values():
                held = in_process.count_items(invoice.key)
                if held != invoice.items:
                    raise RuntimeError(f"{invoice.key}'s invoice holds {held} items, "
                                       f"expected {invoice.items}")
    finally:
        app.sandbox.store.close()
    return {"rows": rows, "grow_seconds": grow_seconds, "grow_via": grower.__class__.__name__,
            "first_chunk": chunks[0], "last_chunk": chunks[-1], "large_final": large.items}


def _progress(step: str) -> None:
    print(f"... {step}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-live", action="store_true",
                        help="skip the measurement over a live uvicorn server")
    parser.add_argument("--grow-via-http", action="store_true",
                        help="grow the big invoice through the in-process HTTP API "
                             "(default: through the handler, much faster)")
    args = parser.parse_args()
    started = time.perf_counter()

    results: dict[str, dict] = {}
    _progress("memory")
    results["memory"] = bench_store(None, not args.no_live, args.grow_via_http)
    if redis_server_binary():
        from invoice_sandbox.testing.redis_server import RedisServer

        _progress("redis")
        with RedisServer() as server:
            results["redis"] = bench_store(server.url, not args.no_live, args.grow_via_http)

    print(f"Adding one item to a Rebilly draft invoice: {SAMPLES} timed adds at each size, "
          f"alternating an invoice at {SMALL}->{SMALL + SAMPLES} items with one at "
          f"{LARGE}+ items")
    header = (f"{'store':<7} {'mode':<11} {'median@100':>11} {'p90@100':>10} "
              f"{'median@10k':>11} {'p90@10k':>10} {'ratio':>6}")
    print(header)
    print("-" * len(header))
    for store, result in results.items():
        for row in result["rows"]:
            print(f"{store:<7} {row['mode']:<11} {_ms(row['small_med']):>11} "
                  f"{_ms(row['small_p90']):>10} {_ms(row['large_med']):>11} "
                  f"{_ms(row['large_p90']):>10} {row['ratio']:>6.2f}")
    for store, result in results.items():
        via = "in-process HTTP" if result["grow_via"] == "Http" else "handler"
        print(f"{store}: grew 1->{LARGE} items via {via} in {result['grow_seconds']:.1f} s "
              f"({_ms(result['first_chunk'])}/add over the first {GROW_CHUNK}, "
              f"{_ms(result['last_chunk'])}/add over the last); big invoice ended at "
              f"{result['large_final']} items")
    print(f"total runtime {time.perf_counter() - started:.1f} s")
    if "redis" not in results:
        print("redis: skipped (no redis-server)")
    for store, result in results.items():
        row = next(r for r in result["rows"] if r["mode"] == "in-process")
        print(f"add cost ratio {LARGE}/{SMALL} {store}: {row['ratio']:.2f} "
              f"(median {_ms(row['small_med'])} -> {_ms(row['large_med'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
