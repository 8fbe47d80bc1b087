"""``invoice-sandbox serve``: start the sandbox with built-in specs and fixtures by default."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

from .app import create_app
from .clock import parse_instant
from .config import SandboxConfig
from .registry import PROVIDERS
from .specs import SpecError


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="invoice-sandbox", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the sandbox HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--provider", action="append", choices=sorted(PROVIDERS),
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
    return root


ADMIN_TOKEN_ENV = "INVOICE_SANDBOX_ADMIN_TOKEN"


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
        if not sep or provider not in PROVIDERS or not key:
            raise ValueError(f"--api-key wants PROVIDER=KEY with a known provider, got {entry!r}")
        keys.setdefault(provider, []).append(key)
    if args.clock:
        parse_instant(args.clock)  # fail early with a clear message
    if not args.admin_token and not is_loopback(args.host):
        raise ValueError(f"--admin-token (or ${ADMIN_TOKEN_ENV}) is required to serve on "
                         f"{args.host}: the control API at /_sandbox can rewrite every tenant")
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
    )


def banner(app, host: str, port: int) -> str:
    sandbox = app.sandbox
    lines = [f"invoice-sandbox on http://{host}:{port}"]
    for name, tenancy in sandbox.tenancies.items():
        provider = sandbox.providers[name]
        key = tenancy.builtin_keys[0] if tenancy.builtin_keys else "(none registered)"
        seeded = provider.describe_tenant(sandbox.services, tenancy.namespace(key)) \
            if tenancy.builtin_keys else "-"
        lines.append(
            f"  {name:<12} base URL http://{host}:{port}{provider.base_path}"
            f"  api key {key}  {seeded}"
        )
        lines.append(f"  {'':<12} spec http://{host}:{port}{provider.base_path}/openapi.json"
                     f"  docs http://{host}:{port}{provider.base_path}/ui/")
    guarded = "  (Authorization: Bearer <admin token>)" if sandbox.config.admin_token else ""
    lines.append(f"  {'control':<12} http://{host}:{port}/_sandbox"
                 f"  docs http://{host}:{port}/_sandbox/ui/{guarded}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = config_from(args)
        app = create_app(config)
    except (SpecError, ValueError, OSError) as exc:
        print(f"invoice-sandbox: {exc}", file=sys.stderr)
        return 2
    print(banner(app, args.host, args.port), flush=True)
    import uvicorn

    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
