"""Benchmark: the sandbox against a Stoplight Prism mock of the same spec, with wrk.

Not a test: it lives outside ``tests/`` and has no ``test_`` names. Run it from the repository
root (it installs what is missing: Prism into ``bench/.prism`` with npm, ``wrk`` with apt-get)::

    python3 bench/vs_prism.py                   # default sandbox (async, memory store, 1 worker)
    python3 bench/vs_prism.py --redis --flask   # also 2 workers on Redis, and the flask flavour
    python3 bench/vs_prism.py --rounds 5 --seconds 10
    python3 bench/vs_prism.py --only footprint  # start-up and memory per item (footprint.py)

Prism (``prism mock openapi/rebilly.yaml``) and the sandbox (``serve --seed 1``: journal on,
response validation off) each run on core 0 (``taskset -c 0``), wrk on core 1, 16 connections,
traffic to 127.0.0.1 only. Per operation, rounds alternate sandbox, Prism, sandbox, Prism, ...;
each round's ratio is sandbox/Prism and the summary is the median of those ratios. With
``--redis`` the sandbox runs ``--workers 2`` on a throwaway ``redis-server`` and is not pinned.
Last lines: one per operation, ``GET /invoices/{id}: sandbox/prism req/s 0.52x (median of 3
rounds), p99 2.1x`` (p99 ratio above 1: the sandbox's tail is slower). Then ``footprint.py``
measures the default sandbox's start-up to its first 200 and its memory per stored item; its
two lines (against the targets) are the last ones.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's code

import footprint  # noqa: E402  (beside this file)
from invoice_sandbox.testing.redis_server import RedisServer, redis_server_binary  # noqa: E402

PRISM_VERSION = "5.14.2"  # the 5.x release nearest to 5.14 on npm
PRISM_DIR = ROOT / "bench" / ".prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
SPEC = ROOT / "openapi" / "rebilly.yaml"
SERVER_CORE, WRK_CORE, CONNECTIONS = "0", "1", 16
INVOICE = "in_0YVF9605RKC62BP14NE2R7V2XT"  # seeded draft with 1 item; 2 more are added
KEY = "sk_sandbox_bench"
ITEM = {"type": "debit", "unitPrice": 1.25, "quantity": 2}
NEW_INVOICE = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
               "items": [{"type": "debit", "unitPrice": 1, "quantity": 1}]}
# Order matters: the GET runs while the invoice still holds 3 items, before the adds grow it.
OPS = [("GET /invoices/{id}", "GET", f"/invoices/{INVOICE}", None),
       ("POST /invoices/{id}/items", "POST", f"/invoices/{INVOICE}/items", ITEM),
       ("POST /invoices", "POST", "/invoices", NEW_INVOICE)]

LUA = """wrk.method = "{method}"
wrk.headers["REB-APIKEY"] = "{key}"
{body}local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  io.write(string.format("NON2XX %d\\n", n))
end
"""
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- installing what is missing -------------------------------------------------------------------
def ensure_prism() -> None:
    if PRISM.exists():
        found = subprocess.run([str(PRISM), "--version"], capture_output=True, text=True)
        if found.stdout.strip() == PRISM_VERSION:
            return
    say(f"installing @stoplight/prism-cli@{PRISM_VERSION} into {PRISM_DIR} (npm)")
    subprocess.run(["npm", "install", "--prefix", str(PRISM_DIR), "--no-audit", "--no-fund",
                    f"@stoplight/prism-cli@{PRISM_VERSION}"], check=True)


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    say("installing wrk (apt-get install -y wrk)")
    install = ["apt-get", "install", "-y", "wrk"]
    if subprocess.run(install).returncode != 0:
        subprocess.run(["apt-get", "update"], check=True)
        subprocess.run(install, check=True)


# -- servers --------------------------------------------------------------------------------------
def start(command: list[str], log: Path, pin: bool) -> subprocess.Popen:
    command = (["taskset", "-c", SERVER_CORE] if pin else []) + command
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with open(log, "wb") as out:  # own session: stop() ends the server and its workers together
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


stop = footprint.halt  # SIGTERM to the server's session (its workers too), SIGKILL if it hangs


def shut(server) -> None:
    stop(server) if isinstance(server, subprocess.Popen) else server.stop()


def call(base: str, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"REB-APIKEY": KEY, "Content-Type": "application/json"}
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(name: str, process: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            call(base, "GET", f"/invoices/{INVOICE}", None)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{name} not ready after 60 s:\n{log.read_text()[-2000:]}")


# -- wrk ------------------------------------------------------------------------------------------
def lua_script(tmp: Path, name: str, method: str, body: dict | None) -> Path:
    lines = "" if body is None else (f'wrk.headers["Content-Type"] = "application/json"\n'
                                     f"wrk.body = [==[{json.dumps(body)}]==]\n")
    path = tmp / f"{re.sub(r'[^a-z]+', '_', name.lower()).strip('_')}.lua"
    path.write_text(LUA.format(method=method, key=KEY, body=lines))
    return path


def run_wrk(url: str, script: Path, seconds: float) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--latency", "--timeout", "5s",
               "-s", str(script), url]
    if os.cpu_count() and os.cpu_count() > 1:
        command = ["taskset", "-c", WRK_CORE] + command
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$", out, re.M)
    non2xx = re.search(r"^NON2XX (\d+)", out, re.M)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if not (rps and p99 and non2xx):
        raise SystemExit(f"could not parse wrk's output:\n{out}")
    return {"rps": float(rps.group(1)), "p99": float(p99.group(1)) * UNITS[p99.group(2)],
            "non2xx": int(non2xx.group(1)),
            "errors": sum(map(int, errors.groups())) if errors else 0}


# -- one sandbox variant against Prism ----------------------------------------------------------
def check_2xx(name: str, base: str, method: str, path: str, body: dict | None) -> bytes:
    status, answer = call(base, method, path, body)
    if not 200 <= status < 300:
        raise SystemExit(f"{name} answered {status} to {method} {path}: {answer[:500]!r}")
    return answer


def bench_variant(variant: str, bases: dict, scripts: dict, args) -> dict:
    for _ in range(2):  # the seeded invoice has 1 item: make it 3 (also the sandbox's add check)
        check_2xx(f"sandbox [{variant}]", bases["sandbox"], "POST", OPS[1][2], ITEM)
    held = len(json.loads(check_2xx(f"sandbox [{variant}]", bases["sandbox"], "GET", OPS[0][2],
                                    None))["items"])
    if held != 3:
        raise SystemExit(f"sandbox [{variant}]: {INVOICE} holds {held} items, expected 3")
    check_2xx(f"sandbox [{variant}]", bases["sandbox"], "POST", OPS[2][2], NEW_INVOICE)
    for _name, method, path, body in OPS:
        check_2xx("prism", bases["prism"], method, path, body)
    results = {}
    for name, _method, path, _body in OPS:
        for server in ("sandbox", "prism"):  # warm-up, not counted (but must be all 2xx)
            warm = run_wrk(bases[server] + path, scripts[name], args.warmup)
            if warm["non2xx"]:
                raise SystemExit(f"{server} [{variant}]: {warm['non2xx']} non-2xx answers to "
                                 f"{name} in the warm-up")
        rounds = []
        for number in range(1, args.rounds + 1):
            say(f"... {variant} {name} round {number}/{args.rounds}")
            rounds.append({server: run_wrk(bases[server] + path, scripts[name], args.seconds)
                           for server in ("sandbox", "prism")})
        results[name] = rounds
    return results


def sandbox_command(port: int, variant: str, store: str | None) -> list[str]:
    command = [sys.executable, "-m", "invoice_sandbox.cli", "serve", "--port", str(port),
               "--seed", "1"]
    if variant == "flask":
        command += ["--flavor", "flask"]
    if store:
        command += ["--workers", "2", "--store", store]
    return command


# -- report ---------------------------------------------------------------------------------------
def report(results: dict, rounds: int) -> None:
    header = (f"{'sandbox':<8} {'operation':<26} {'rnd':>3} {'sbx req/s':>10} {'prism req/s':>11} "
              f"{'sbx p99':>9} {'prism p99':>9} {'non-2xx s/p':>11} {'err s/p':>8} "
              f"{'req/s x':>7} {'p99 x':>6}")
    print(header)
    print("-" * len(header))
    extra, default = [], []  # summary lines; the default (async) sandbox's come last
    for variant, per_op in results.items():
        for name, runs in per_op.items():
            rps_ratios, p99_ratios = [], []
            for number, run in enumerate(runs, 1):
                s, p = run["sandbox"], run["prism"]
                rps_ratios.append(s["rps"] / p["rps"] if p["rps"] else float("nan"))
                p99_ratios.append(s["p99"] / p["p99"] if p["p99"] else float("nan"))
                print(f"{variant:<8} {name:<26} {number:>3} {s['rps']:>10.0f} {p['rps']:>11.0f} "
                      f"{s['p99']:>7.2f}ms {p['p99']:>7.2f}ms "
                      f"{s['non2xx']:>5}/{p['non2xx']:<5} {s['errors']:>3}/{p['errors']:<4} "
                      f"{rps_ratios[-1]:>6.2f}x {p99_ratios[-1]:>5.2f}x")
            label = name if variant == "async" else f"{name} [{variant}]"
            line = (f"{label}: sandbox/prism req/s {statistics.median(rps_ratios):.2f}x "
                    f"(median of {rounds} rounds), p99 {statistics.median(p99_ratios):.1f}x")
            (default if variant == "async" else extra).append(line)
    if "redis" in results:
        print("redis: sandbox with --workers 2 on a redis-server, neither pinned to one core")
    print("\n".join(extra + default))


def throughput(args) -> None:
    started = time.monotonic()
    ensure_prism()
    ensure_wrk()
    variants = ["async"] + (["flask"] if args.flask else [])
    if args.redis and not redis_server_binary():
        say("redis: skipped (no redis-server)")
    elif args.redis:
        variants.append("redis")

    results: dict[str, dict] = {}
    running: list = []  # servers (Popen) and RedisServers, stopped newest first in `finally`
    try:
        with tempfile.TemporaryDirectory(prefix="vs_prism_") as tmp_name:
            tmp = Path(tmp_name)
            scripts = {name: lua_script(tmp, name, method, body) for name, method, _p, body in OPS}
            prism_port = free_port()
            running.append(start([str(PRISM), "mock", "-v", "warn", "-p", str(prism_port),
                                  str(SPEC)], tmp / "prism.log", pin=True))
            prism_base = f"http://127.0.0.1:{prism_port}"
            wait_ready("prism", running[-1], prism_base, tmp / "prism.log")
            for variant in variants:
                store = None
                if variant == "redis":
                    running.append(RedisServer().start())
                    store = running[-1].url
                    say("redis: the sandbox runs 2 workers, not pinned to one core")
                port, log = free_port(), tmp / f"sandbox-{variant}.log"
                sandbox = start(sandbox_command(port, variant, store), log, pin=store is None)
                running.append(sandbox)
                base = f"http://127.0.0.1:{port}/rebilly"
                wait_ready(f"sandbox [{variant}]", sandbox, base, log)
                results[variant] = bench_variant(variant, {"sandbox": base, "prism": prism_base},
                                                 scripts, args)
                while running[-1] is not running[0]:  # this variant's sandbox (and redis)
                    shut(running.pop())
    finally:
        while running:
            shut(running.pop())

    print(f"Prism {PRISM_VERSION} vs invoice-sandbox on openapi/rebilly.yaml: wrk -t1 "
          f"-c{CONNECTIONS}, {args.rounds} interleaved rounds of {args.seconds:g} s, servers on "
          f"core {SERVER_CORE}, wrk on core {WRK_CORE}; total runtime "
          f"{time.monotonic() - started:.0f} s")
    report(results, args.rounds)



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds per server and operation")
    parser.add_argument("--seconds", type=float, default=8, help="length of one round")
    parser.add_argument("--warmup", type=float, default=2, help="untimed wrk run before rounds")
    parser.add_argument("--redis", action="store_true",
                        help="also: --workers 2 --store redis://... (sandbox not pinned)")
    parser.add_argument("--flask", action="store_true", help="also: --flavor flask")
    parser.add_argument("--only", choices=("throughput", "footprint"),
                        help="only the wrk rounds against Prism, or only start-up and memory")
    args = parser.parse_args()
    if args.only != "footprint":
        throughput(args)
    if args.only != "throughput":
        print("\n".join(footprint.run()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
