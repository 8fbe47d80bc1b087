"""A sandbox's parts, assembled from its configuration: ``build_sandbox(config) -> Sandbox``.

Everything here is read or checked once, at start-up: the providers to serve, their specs and
fixture files, the store, and the settings that live in it. ``app.create_app`` wires these
parts into Connexion; the control API and the CLI use them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import SandboxConfig
from .core.clock import parse_instant
from .core.ids import random_seed
from .core.tenant import Namespace, Tenant
from .errors import FixtureFileError, InvalidFixture, SpecError
from .providers.base import Provider, handler_name
from .providers.registry import providers as registered_providers
from .specs import documented_statuses, load_spec, not_emulated, paths
from .store import MemoryStore, Store, open_store
from .tenancy import ClockSetting, Settings, Tenancy, load_fixture_documents
from .tenancy.registry import TenantRegistry


@dataclass
class Sandbox:
    """What a running sandbox is made of; kept on the app as ``app.sandbox``."""

    config: SandboxConfig
    store: Store
    settings: Settings
    providers: dict[str, Provider]
    tenancies: dict[str, Tenancy]
    specs: dict[str, dict]
    registry: TenantRegistry


def build_sandbox(config: SandboxConfig, store: Store | None = None) -> Sandbox:
    """Resolve providers, load and check specs and fixtures; raises ``StartupError``s or
    ``ValueError`` for a bad configuration."""
    known = registered_providers()
    names = config.providers or tuple(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown provider(s): {', '.join(unknown)}; known: {', '.join(known)}")
    stray = sorted(set(config.api_keys) - set(known))
    if stray:
        raise ValueError(f"--api-key for unknown provider(s): {', '.join(stray)}; "
                         f"known: {', '.join(known)}")
    if config.fixtures_dir is not None and not config.fixtures_dir.is_dir():
        raise ValueError(f"--fixtures {config.fixtures_dir}: no such folder")
    store = store or open_store(config.store)
    start = ClockSetting(frozen_at=parse_instant(config.clock)) if config.clock else ClockSetting()
    settings = Settings(store, start, config.seed if config.seed is not None else random_seed())
    chosen = {name: known[name] for name in names}
    registry = TenantRegistry(store, config.max_tenants, config.tenant_ttl_seconds)
    specs = {name: load_spec(spec_path(p, config.spec_dir)) for name, p in chosen.items()}
    tenancies = {
        name: Tenancy(p, store, settings, load_fixture_documents(fixtures_path(p, config)),
                      config.api_keys.get(name, ()), registry, specs[name])
        for name, p in chosen.items()
    }
    for name, provider in chosen.items():
        check_handlers(provider, specs[name], spec_path(provider, config.spec_dir))
        check_fixtures(tenancies[name])
    settings.start_seed = settings.ensure_start_seed(settings.start_seed,
                                                     replace=config.seed is not None)
    return Sandbox(config, store, settings, chosen, tenancies, specs, registry)


def spec_path(provider: Provider, spec_dir: Path | None) -> Path:
    folder = spec_dir or provider.home or paths.spec_dir()
    return folder / f"{provider.name}.yaml"


def fixtures_path(provider: Provider, config: SandboxConfig) -> Path:
    if config.fixtures_dir is not None:
        return config.fixtures_dir / provider.name
    if provider.home is not None:
        return provider.home / "fixtures"
    return paths.fixtures_dir() / provider.name


def check_handlers(provider: Provider, spec: dict, path: Path) -> None:
    """Every operation of the spec has its handler: a half-working server is no server."""
    skipped = not_emulated(spec)
    missing = [op for op in documented_statuses(spec) if op not in skipped
               and not callable(getattr(provider.make_handlers, handler_name(op), None))]
    if missing:
        raise SpecError(f"spec {path}: no {provider.name} handler for operation(s) "
                        f"{', '.join(sorted(missing))}")


def check_fixtures(tenancy: Tenancy) -> None:
    """Load every fixture document into a scratch store, so bad data stops the start-up
    with one line instead of failing a user's first request."""
    scratch = MemoryStore()
    for doc in tenancy.documents:
        tenant = Tenant(Namespace(tenancy.provider.name, "fixture-check"),
                        tenancy.settings.system_now(), 1)
        try:
            tenancy.check(doc.data)
            scratch.transact(tenant.ns, lambda tx: tenancy.provider.seed_tenant(tx, tenant,
                                                                                doc.data))
        except InvalidFixture as exc:
            raise FixtureFileError(f"fixture file {doc.source}: {exc.message}") from None
