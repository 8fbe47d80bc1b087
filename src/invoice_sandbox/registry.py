"""Every provider the sandbox can serve. Adding one is one folder plus one line here."""

from __future__ import annotations

from .provider import Provider
from .providers.rebilly import PROVIDER as REBILLY

PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in (
        REBILLY,
    )
}
