"""Footprint: how long the sandbox takes to answer its first request, and memory per item.

Not a test (no ``test_`` names; pytest only collects ``tests/``). ``vs_prism.py`` runs it
after its throughput rounds (``--only footprint``: this alone); it also runs standalone::

    python3 bench/footprint.py                        # about 30 s
    python3 bench/footprint.py --starts 9 --items 50000
    python3 bench/footprint.py --items 0               # start-up only (--starts 0: memory only)

Both measure the default sandbox the benchmark measures: ``serve --seed 1`` (one worker,
memory store, async flavour, journal on), pinned to core 0 with ``taskset``; the client runs
on core 1.

* Start-up: wall time from spawning ``serve`` to the first 200 answer to
  ``GET /rebilly/invoices/in_0YVF9605RKC62BP14NE2R7V2XT`` (``REB-APIKEY: sk_sandbox_bench``),
  polled every 10 ms; the median of ``--starts`` (5) cold starts, each a new process.
* Memory: the server's resident memory (``VmRSS`` of ``/proc/<pid>/status``) after a warm-up
  and after ``--items`` (20,000) more items were added through
  ``POST /rebilly/invoices/{id}/items``, spread evenly over ``--invoices`` (40) invoices; bytes
  per item is the difference over the count. The warm-up creates those invoices and adds
  ``--warmup-items`` (2,000) items the same way, more than the journal's 1,000 entries per
  tenant, so the journal is full (and bounded) before the first reading. Every count is then
  checked through ``GET /rebilly/invoices/{id}``.

Last lines (targets from the issue)::

    start-up to first 200: 0.82 s (target ≤ 1.0 s)
    memory per stored item: 1.1 KB (target ≤ 1.5 KB)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_CORE, CLIENT_CORE = "0", 1
INVOICE = "in_0YVF9605RKC62BP14NE2R7V2XT"  # the seeded draft of every new Rebilly tenant
HEADERS = {"REB-APIKEY": "sk_sandbox_bench", "Content-Type": "application/json"}
ITEM = json.dumps({"type": "debit", "unitPrice": 1.25, "quantity": 2}).encode()
NEW_INVOICE = json.dumps({"customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}).encode()
STARTUP_TARGET_S, ITEM_TARGET_KB = 1.0, 1.5
CLIENT_THREADS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(port: int, log) -> subprocess.Popen:
    """``serve --seed 1`` on core 0, in its own session (so ``halt`` ends all of it)."""
    command = [sys.executable, "-m", "invoice_sandbox.cli", "serve", "--port", str(port),
               "--seed", "1"]
    if os.cpu_count() and os.cpu_count() > 1:
        command = ["taskset", "-c", SERVER_CORE] + command
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def halt(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def request(conn: http.client.HTTPConnection, method: str, path: str,
            body: bytes | None = None) -> tuple[int, bytes]:
    conn.request(method, path, body=body, headers=HEADERS)
    response = conn.getresponse()
    return response.status, response.read()


def first_200(process: subprocess.Popen, port: int, log: Path, limit: float = 60) -> None:
    """Poll every 10 ms until the seeded invoice answers 200 (a refused connection, or any
    other answer, is tried again)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"serve exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
        try:
            if request(conn, "GET", f"/rebilly/invoices/{INVOICE}")[0] == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.01)
    raise SystemExit(f"serve did not answer 200 within {limit:g} s:\n{log.read_text()[-2000:]}")


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def measure_startup(starts: int, tmp: Path) -> list[float]:
    times = []
    for number in range(1, starts + 1):
        port, log = free_port(), tmp / f"start-{number}.log"
        with open(log, "wb") as out:
            began = time.perf_counter()
            process = spawn(port, out)
        try:
            first_200(process, port, log)
            times.append(time.perf_counter() - began)
        finally:
            halt(process)
        print(f"... cold start {number}/{starts}: {times[-1]:.3f} s", file=sys.stderr, flush=True)
    return times


def add_items(port: int, invoices: list[str], count: int) -> None:
    """``count`` item adds, round-robin over ``invoices``, from a few keep-alive threads."""
    failures: list[str] = []

    def worker(start: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for n in range(start, count, CLIENT_THREADS):
                path = f"/rebilly/invoices/{invoices[n % len(invoices)]}/items"
                status, answer = request(conn, "POST", path, ITEM)
                if status != 201:
                    failures.append(f"POST {path}: {status} {answer[:300]!r}")
                    return
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"adding items failed: {failures[0]}")


def measure_memory(items: int, warmup_items: int, invoice_count: int, tmp: Path) -> dict:
    port, log = free_port(), tmp / "memory.log"
    with open(log, "wb") as out:
        process = spawn(port, out)
    try:
        first_200(process, port, log)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        invoices = []
        for _ in range(invoice_count):
            status, answer = request(conn, "POST", "/rebilly/invoices", NEW_INVOICE)
            if status != 201:
                raise SystemExit(f"POST /rebilly/invoices: {status} {answer[:300]!r}")
            invoices.append(json.loads(answer)["id"])
        add_items(port, invoices, warmup_items)
        time.sleep(0.5)
        before = rss_bytes(process.pid)
        began = time.perf_counter()
        add_items(port, invoices, items)
        seconds = time.perf_counter() - began
        time.sleep(0.5)
        after = rss_bytes(process.pid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # the first one idled
        for number, invoice in enumerate(invoices):  # every add was kept
            held = len(json.loads(request(conn, "GET", f"/rebilly/invoices/{invoice}")[1])["items"])
            expected = sum(count // invoice_count + (number < count % invoice_count)
                           for count in (warmup_items, items))
            if held != expected:
                raise SystemExit(f"{invoice} holds {held} items, expected {expected}")
        conn.close()
    finally:
        halt(process)
    return {"before": before, "after": after, "items": items, "seconds": seconds}


def run(starts: int = 5, items: int = 20_000, warmup_items: int = 2_000,
        invoices: int = 40) -> list[str]:
    """Both measurements (``starts=0``: memory only; ``items=0``: start-up only); returns the
    summary lines (``main`` prints them)."""
    pinned = os.sched_getaffinity(0)
    if os.cpu_count() and os.cpu_count() > 1:
        os.sched_setaffinity(0, {CLIENT_CORE})  # the client off the server's core
    try:
        with tempfile.TemporaryDirectory(prefix="footprint_") as tmp_name:
            tmp = Path(tmp_name)
            times = measure_startup(starts, tmp) if starts else []
            memory = measure_memory(items, warmup_items, invoices, tmp) if items else None
    finally:
        os.sched_setaffinity(0, pinned)
    lines = []
    if times:
        print(f"start-up: {', '.join(f'{t:.3f}' for t in times)} s")
        lines.append(f"start-up to first 200: {statistics.median(times):.2f} s "
                     f"(target ≤ {STARTUP_TARGET_S:.1f} s, median of {starts} cold starts)")
    if memory:
        per_item = (memory["after"] - memory["before"]) / memory["items"]
        print(f"memory: rss {memory['before'] / 2**20:.1f} MB after warm-up, "
              f"{memory['after'] / 2**20:.1f} MB after {memory['items']} adds over {invoices} "
              f"invoices ({memory['items'] / memory['seconds']:.0f} adds/s)")
        lines.append(f"memory per stored item: {per_item / 1024:.2f} KB "
                     f"(target ≤ {ITEM_TARGET_KB:.1f} KB, {per_item:.0f} bytes)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="cold starts (median; 0: none)")
    parser.add_argument("--items", type=int, default=20_000,
                        help="items added and measured (0: no memory measurement)")
    parser.add_argument("--warmup-items", type=int, default=2_000, help="items added first")
    parser.add_argument("--invoices", type=int, default=40, help="invoices the items go to")
    args = parser.parse_args()
    print("\n".join(run(args.starts, args.items, args.warmup_items, args.invoices)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
