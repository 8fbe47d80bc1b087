"""Soak: mixed traffic from many tenants against a live sandbox; memory must stay flat.

Starts ``invoice-sandbox serve`` (memory store by default, or ``--store redis://...``) with a
low tenant ceiling, drives it from a few threads for ``--minutes`` with a mix a long-running
demo or shared CI sandbox sees — new and returning tenants, item adds, reads, refused keys,
large and malformed bodies — and samples the server's resident memory. Prints one line per
sample and, last, the verdict: memory in the second half must not keep growing.

    python3 bench/soak.py --minutes 30            # the full soak (not run in CI)
    python3 bench/soak.py --minutes 2 --threads 4 # a quick look

Traffic goes to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import threading
import time

import httpx

DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def traffic(base: str, stop: threading.Event, seed: int, counts: dict) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            tenant = f"sk_sandbox_soak{rng.randrange(5000)}"
            headers = {"REB-APIKEY": tenant}
            roll = rng.random()
            if roll < 0.45:
                response = client.post(f"/rebilly/invoices/{DRAFT}/items", headers=headers,
                                       json={"type": "debit", "unitPrice": 1.25, "quantity": 2})
            elif roll < 0.75:
                response = client.get(f"/rebilly/invoices/{DRAFT}", headers=headers)
            elif roll < 0.85:
                response = client.get("/rebilly/invoices",
                                      headers={"REB-APIKEY": f"nope{rng.random()}"})
            elif roll < 0.95:
                response = client.post(f"/rebilly/invoices/{DRAFT}/items", headers=headers,
                                       content=b'{"type": "debit", "unitPrice": ' + b"9" * 400,
                                       )
            else:
                response = client.post(f"/rebilly/invoices/{DRAFT}/items", headers={
                    **headers, "Content-Type": "application/json"}, content=b"x" * 200_000)
            key = "5xx" if response.status_code >= 500 else str(response.status_code)
            counts[key] = counts.get(key, 0) + 1


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--minutes", type=float, default=30)
    options.add_argument("--threads", type=int, default=6)
    options.add_argument("--store", default="memory")
    options.add_argument("--max-tenants", type=int, default=500)
    options.add_argument("--sample-seconds", type=float, default=10)
    args = options.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "invoice_sandbox.cli", "serve", "--port", str(port), "--store",
         args.store, "--max-tenants", str(args.max_tenants), "--tenant-ttl", "120"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/rebilly/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        stop, counts = threading.Event(), {}
        threads = [threading.Thread(target=traffic, args=(base, stop, n, counts), daemon=True)
                   for n in range(args.threads)]
        for thread in threads:
            thread.start()
        samples, end = [], time.monotonic() + args.minutes * 60
        while time.monotonic() < end:
            time.sleep(args.sample_seconds)
            samples.append(rss_mb(server.pid))
            print(f"{len(samples) * args.sample_seconds:7.0f} s  rss {samples[-1]:7.1f} MB  "
                  f"requests {sum(counts.values())}  {dict(sorted(counts.items()))}", flush=True)
        stop.set()
        for thread in threads:
            thread.join(30)
    finally:
        server.terminate()
        server.wait(10)
    half = samples[len(samples) // 2:]
    growth = half[-1] - half[0] if len(half) > 1 else 0.0
    print(f"soak {args.minutes:g} min, store {args.store}: rss start {samples[0]:.1f} MB, "
          f"max {max(samples):.1f} MB, end {samples[-1]:.1f} MB; second half grew "
          f"{growth:+.1f} MB; 5xx {counts.get('5xx', 0)}")
    return 0 if counts.get("5xx", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
