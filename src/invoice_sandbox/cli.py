"""``invoice-sandbox serve``: start the sandbox with built-in specs and fixtures by default.

Everything is checked before anything is served: arguments, specs, fixtures, the store, and
the port (bound before the banner is printed). Any problem is one line on stderr and exit 2.
With ``--workers N`` uvicorn runs N worker processes, each on its own socket of the port
(``workers.py``: so the kernel spreads connections evenly over them); each builds
its app from the same configuration (passed in ``$INVOICE_SANDBOX_WORKER_CONFIG``) on the
shared store, so together they are one sandbox.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import ipaddress
import json
import os
import socket
import sys
import warnings
from pathlib import Path

from .config import SandboxConfig
from .core.clock import parse_instant
from .errors import StartupError
from .workers import REUSE_PORT, ReusePortMultiprocess, open_socket

ADMIN_TOKEN_ENV = "INVOICE_SANDBOX_ADMIN_TOKEN"
STORE_ENV = "INVOICE_SANDBOX_STORE"
WORKER_CONFIG_ENV = "INVOICE_SANDBOX_WORKER_CONFIG"


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a TCP port (0-65535)")
    return port


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive whole number")
    return value


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="invoice-sandbox", description=__doc__.splitlines()[0])
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sandbox HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--provider", action="append",
                       help="serve only this provider (repeatable; default: all)")
    serve.add_argument("--fixtures", type=Path, help="folder of <provider>/*.yaml fixtures")
    serve.add_argument("--specs", type=Path, help="folder of <provider>.yaml OpenAPI specs")
    serve.add_argument("--seed", type=int, help="id seed, for reproducible ids")
    serve.add_argument("--clock", help="freeze the clock at this RFC 3339 instant")
    serve.add_argument("--flavor", choices=("async", "flask"), default="async",
                       help="Connexion AsyncApp (default) or FlaskApp (WSGI)")
    serve.add_argument("--api-key", action="append", default=[], metavar="PROVIDER=KEY",
                       help="register an extra API key (repeatable)")
    serve.add_argument("--validate-responses", action="store_true",
                       help="check every response against the spec")
    serve.add_argument("--admin-token", default=os.environ.get(ADMIN_TOKEN_ENV) or None,
                       help="bearer token the control API (/_sandbox) requires; needed on a "
                            f"non-loopback --host (default: ${ADMIN_TOKEN_ENV})")
    serve.add_argument("--store", default=os.environ.get(STORE_ENV) or None,
                       help="where state lives: 'memory' (default, this process) or "
                            "redis://HOST:PORT/DB, shared by every worker and host and kept "
                            f"across restarts (default: ${STORE_ENV})")
    serve.add_argument("--max-tenants", type=_positive, default=10_000,
                       help="tenants kept at most; past it the least recently used of those "
                            "made by sandbox-shaped keys are forgotten (default 10000)")
    serve.add_argument("--tenant-ttl", type=_positive, default=86_400, metavar="SECONDS",
                       help="forget such a tenant once unused this long (default 86400)")
    serve.add_argument("--workers", type=_positive, default=1,
                       help="worker processes (more than 1 needs --store redis://...)")
    return root


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def config_from(args: argparse.Namespace) -> SandboxConfig:
    keys: dict[str, list[str]] = {}
    for entry in args.api_key:
        provider, sep, key = entry.partition("=")
        if not sep or not provider or not key:
            raise ValueError(f"--api-key wants PROVIDER=KEY, got {entry!r}")
        keys.setdefault(provider, []).append(key)
    if args.clock:
        try:
            parse_instant(args.clock)
        except ValueError:
            raise ValueError(f"--clock {args.clock!r} is not an RFC 3339 instant "
                             "(e.g. 2024-01-01T00:00:00Z)") from None
    if not args.admin_token and not is_loopback(args.host):
        raise ValueError(f"--admin-token (or ${ADMIN_TOKEN_ENV}) is required to serve on "
                         f"{args.host}: the control API at /_sandbox can rewrite every tenant")
    if args.workers > 1 and (args.store or "memory") == "memory":
        raise ValueError(f"--workers {args.workers} needs a shared store: the memory store "
                         "lives in one process, so add --store redis://HOST:PORT/DB")
    return SandboxConfig(
        providers=tuple(args.provider) if args.provider else None,
        fixtures_dir=args.fixtures,
        spec_dir=args.specs,
        seed=args.seed,
        clock=args.clock,
        flavor=args.flavor,
        api_keys={p: tuple(k) for p, k in keys.items()},
        validate_responses=args.validate_responses,
        admin_token=args.admin_token,
        store=args.store,
        max_tenants=args.max_tenants,
        tenant_ttl_seconds=args.tenant_ttl,
    )


def banner(app, host: str, port: int) -> str:
    sandbox = app.sandbox
    lines = [f"invoice-sandbox on http://{host}:{port}"]
    for name, tenancy in sandbox.tenancies.items():
        provider = sandbox.providers[name]
        key = tenancy.builtin_keys[0] if tenancy.builtin_keys else "(none registered)"
        seeded = provider.describe_tenant(sandbox.store, tenancy.tenant(key)) \
            if tenancy.builtin_keys else "-"
        lines.append(
            f"  {name:<12} base URL http://{host}:{port}{provider.base_path}"
            f"  api key {key}  {seeded}"
        )
        lines.append(f"  {'':<12} spec http://{host}:{port}{provider.base_path}/openapi.json"
                     f"  docs http://{host}:{port}{provider.base_path}/ui/")
    lines.append(f"  {'store':<12} {describe_store(sandbox.config.store)}")
    guarded = "  (Authorization: Bearer <admin token>)" if sandbox.config.admin_token else ""
    lines.append(f"  {'control':<12} http://{host}:{port}/_sandbox"
                 f"  docs http://{host}:{port}/_sandbox/ui/{guarded}")
    return "\n".join(lines)


def describe_store(url: str | None) -> str:
    if (url or "memory") == "memory":
        return "memory (this process; gone when it stops)"
    return f"{url.split('@')[-1]} (shared; kept across restarts)"


def bind(host: str, port: int, workers: int = 1) -> socket.socket:
    """The port, bound before anything is served. With several workers it is bound with
    ``SO_REUSEPORT`` and not listened on: each worker listens on its own socket
    (``workers.py``)."""
    spread = workers > 1 and REUSE_PORT
    return open_socket(host, port, reuse_port=spread, listen=not spread)


def _quiet() -> None:
    """Connexion imports Starlette's test client, whose httpx backend Starlette >= 1.0 calls
    deprecated; a server never uses it, so the notice is noise on a user's terminal."""
    warnings.filterwarnings("ignore", message=".*starlette.testclient.*")


def main(argv: list[str] | None = None) -> int:
    _quiet()
    args = parser().parse_args(argv)
    gc.disable()  # start-up only builds what lives as long as the app: collected once, in settle
    try:
        try:
            config = config_from(args)
            from .app import create_app

            app = create_app(config)
            sock = bind(args.host, args.port, args.workers)
            text = banner(app, args.host, sock.getsockname()[1])
        except (StartupError, ValueError, OSError) as exc:
            print(f"invoice-sandbox: {exc}", file=sys.stderr)
            return 2
        print(text, flush=True)
        _serve(app, config, sock, args.workers)
        return 0
    finally:
        gc.enable()


def _serve(app, config: SandboxConfig, sock: socket.socket, workers: int) -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if workers == 1:
        settle()
        uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(
            sockets=[sock])
        return
    gc.enable()  # the supervisor's app is not served: nothing to settle
    os.environ[WORKER_CONFIG_ENV] = config_to_json(config)
    worker = uvicorn.Config("invoice_sandbox.cli:worker_app", factory=True, workers=workers,
                            log_level="warning", access_log=False)
    supervisor = ReusePortMultiprocess if REUSE_PORT else Multiprocess
    supervisor(worker, sockets=[sock]).run()


def _exit_with_parent() -> None:
    """Ask Linux to stop this worker when the supervisor dies, even by ``kill -9``: orphaned
    workers would keep the port and serve on as a sandbox nobody started."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the supervisor died before the request took effect
        os.kill(os.getpid(), signal.SIGTERM)


def worker_app():
    """The app of one worker process (``--workers``), from the parent's configuration."""
    _quiet()
    _exit_with_parent()
    gc.disable()  # as in main: settle() collects once and turns the collector back on
    from .app import create_app

    app = create_app(config_from_json(os.environ[WORKER_CONFIG_ENV]))
    settle()
    return app


def settle() -> None:
    """Move everything built so far (specs, compiled validators, routes) out of the garbage
    collector's sight: it is never freed, and every full collection would walk it again.
    The start-up runs with the collector off (it would walk the growing app again and again,
    finding nothing to free): this is its one collection, and it turns the collector on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def config_to_json(config: SandboxConfig) -> str:
    fields = dataclasses.asdict(config)
    for name in ("fixtures_dir", "spec_dir"):
        fields[name] = str(fields[name]) if fields[name] is not None else None
    return json.dumps(fields)


def config_from_json(text: str) -> SandboxConfig:
    fields = json.loads(text)
    for name in ("fixtures_dir", "spec_dir"):
        fields[name] = Path(fields[name]) if fields[name] is not None else None
    fields["providers"] = tuple(fields["providers"]) if fields["providers"] else None
    fields["api_keys"] = {p: tuple(keys) for p, keys in fields["api_keys"].items()}
    return SandboxConfig(**fields)


if __name__ == "__main__":
    sys.exit(main())
