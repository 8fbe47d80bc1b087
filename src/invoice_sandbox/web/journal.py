"""The journal middleware: records every request to a provider under its tenant.

It sits outside Connexion's exception middleware, so it sees the final status of every
request, errors included. Security notes the resolved tenant (and the credential) on the
request state; a request rejected before that (401, unknown route) is recorded under the
credential it presented, or under the empty key when it presented none. The entry's time is
the tenant's clock reading that the request's own timestamps used.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import MAX_KEY_LENGTH
from ..control import journal
from ..core.clock import iso_micros
from ..core.tenant import Namespace
from ..providers.base import Provider
from ..sandbox import Sandbox
from .aliases import client_root
from .errors import provider_segment
from .security import presented_credential
from .state import RequestState, first_header, request_state

_DOCS = ("/openapi.json", "/openapi.yaml", "/ui")


@dataclass(frozen=True)
class Route:
    """What the journal needs to know about one provider."""

    provider: Provider
    key_headers: tuple[str, ...]
    """Lower-case header names that carry an API key (``reb-apikey``)."""


def key_headers(spec: dict) -> tuple[str, ...]:
    """Header names of the spec's ``apiKey`` security schemes."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    return tuple(s["name"].lower() for s in schemes.values()
                 if s.get("type") == "apiKey" and s.get("in") == "header")


class JournalMiddleware:
    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox
        self.routes = {name: Route(p, key_headers(sandbox.specs[name]))
                       for name, p in sandbox.providers.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.route_for(scope["path"]) if scope["type"] == "http" else None
        if route is None:
            await self.app(scope, receive, send)
        else:
            await self._recorded(scope, receive, send, route)

    def route_for(self, path: str) -> Route | None:
        """The provider a request path belongs to, unless it asks for the spec or docs."""
        route = self.routes.get(provider_segment(path))
        if route is None:
            return None
        relative = path[len(route.provider.base_path):]
        return None if relative.startswith(_DOCS) else route

    async def _recorded(self, scope: Scope, receive: Receive, send: Send, route: Route) -> None:
        state = request_state(scope)
        extensions = scope["extensions"]
        extensions.setdefault("connexion_routing", {})  # shared with Connexion's router
        # Read up front: requests refused before the app reads the body (401, 415, a forced
        # 429) keep theirs too. Connexion's validators buffer the body anyway.
        received, body = await read_body(receive, self.sandbox.config.max_body_bytes)
        status: int | None = None
        complete = False

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        async def send_and_note(message: Message) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                complete = True
            await send(message)

        try:
            await self.app(scope, replay, send_and_note)
        finally:
            self.record(scope, state, route, status if complete else None, body)

    def record(self, scope: Scope, state: RequestState, route: Route, status: int | None,
               body: bytes | None) -> None:
        if state.tenant is not None:
            ns, now = state.tenant.ns, state.tenant.now
        else:
            credential = state.credential or presented_credential(Headers(scope=scope),
                                                                  route.key_headers)
            ns = Namespace(route.provider.name, credential[:MAX_KEY_LENGTH])
            now = self.sandbox.settings.now_for(None)
        base = route.provider.base_path
        entry = {
            "time": iso_micros(now),
            "method": scope["method"],
            "path": client_root(scope, base) + scope["path"][len(base):],
            "query": scope.get("query_string", b"").decode("latin-1"),
            "operationId": scope["extensions"]["connexion_routing"].get("operation_id"),
            "status": status,
            "contentType": first_header(scope, b"content-type") or "",
            "body": journal.body_text(body),
        }
        if state.failure:
            entry["error"] = state.failure
        journal.record(self.sandbox.store, ns, entry, tenant_known=state.tenant is not None)


async def read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes | None]:
    """The messages read (to replay) and the body, or None when it is over ``limit``."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > limit or not message.get("more_body", False):
            break
    if size > limit:
        return messages, None
    return messages, b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
