"""URL roots that stand for a provider's base path (``/rebilly/organizations/{id}`` -> ``/rebilly``).

Connexion mounts each API under a literal base path, so a root carrying a path parameter is
rewritten to the provider's base path before routing. The root the client really used is kept
in the scope, so absolute URLs in responses (``Location``, ``_links``) point back through it.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from .state import request_state


class RootAliasMiddleware:
    def __init__(self, app: ASGIApp, aliases: list[tuple[re.Pattern, str]]) -> None:
        self.app = app
        self.aliases = aliases

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = request_state(scope)  # before the copy below, so both scopes share it
            for pattern, base_path in self.aliases:
                match = pattern.match(scope["path"])
                if match:
                    scope = dict(scope)
                    scope["path"] = base_path + scope["path"][match.end():]
                    scope["raw_path"] = scope["path"].encode()
                    state.root = match.group(0)
                    break
        await self.app(scope, receive, send)


def client_root(scope: Scope, default: str) -> str:
    """The URL root the client used: the alias it matched, else the provider's base path."""
    return request_state(scope).root or default
