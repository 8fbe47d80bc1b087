"""Every provider the sandbox can serve: one line each, the module that exports ``PROVIDER``."""

from __future__ import annotations

import importlib

from .base import Provider

PROVIDER_MODULES: tuple[str, ...] = (
    "invoice_sandbox.providers.rebilly",
    "invoice_sandbox.providers.billingrails",
    "invoice_sandbox.providers.lineitems",
)


def providers(modules: tuple[str, ...] | None = None) -> dict[str, Provider]:
    """The registered providers by name, in registry order."""
    loaded = [importlib.import_module(m).PROVIDER for m in modules or PROVIDER_MODULES]
    return {provider.name: provider for provider in loaded}
