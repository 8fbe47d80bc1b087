"""Every provider the sandbox can serve. Adding one is one folder plus one line here."""

from __future__ import annotations

from .provider import Provider
from .providers.billingrails import PROVIDER as BILLINGRAILS
from .providers.lineitems import PROVIDER as LINEITEMS
from .providers.rebilly import PROVIDER as REBILLY

PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in (
        REBILLY,
        BILLINGRAILS,
        LINEITEMS,
    )
}
