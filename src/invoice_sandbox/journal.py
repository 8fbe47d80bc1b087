"""The request journal: every request to a provider, recorded under its tenant.

``JournalMiddleware`` sits outside Connexion's exception middleware, so it sees the final
status of every request, errors included. Once security has run, the tenant is in the
``connexion_context`` dict Connexion keeps in ``scope["extensions"]``; the middleware creates
that dict (and the routing one) up front so that it shares them with Connexion. A request
rejected before a tenant is known (401, unknown route) is recorded under the credential it
sent, or under the empty key when it sent none.

The hot path appends one record: the raw body text is kept and parsed only when read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .aliases import client_root
from .clock import iso_micros
from .provider import Provider, provider_segment
from .state import GLOBAL, StoreClock, enter_tenant, leave_tenant
from .store import Namespace, Store

if TYPE_CHECKING:
    from .app import Sandbox

JOURNAL = "_sandbox.journal"
"""The record kind of journal entries in each tenant's namespace."""
KEEP = 1000
"""Entries kept per tenant; older ones are dropped."""
_DOCS = ("/openapi.json", "/openapi.yaml", "/ui")


@dataclass(frozen=True)
class Route:
    """What the journal needs to know about one provider."""

    provider: Provider
    key_headers: tuple[bytes, ...]
    """Lower-case header names that carry an API key (``reb-apikey``)."""


def key_headers(spec: dict) -> tuple[bytes, ...]:
    """Header names of the spec's ``apiKey`` security schemes."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    return tuple(s["name"].lower().encode() for s in schemes.values()
                 if s.get("type") == "apiKey" and s.get("in") == "header")


class Journal:
    def __init__(self, store: Store, clock: StoreClock, routes: dict[str, Route],
                 max_body_bytes: int) -> None:
        self.store = store
        self.clock = clock
        self.routes = routes
        self.max_body_bytes = max_body_bytes

    @classmethod
    def of(cls, sandbox: "Sandbox") -> "Journal":
        routes = {name: Route(p, key_headers(sandbox.specs[name]))
                  for name, p in sandbox.providers.items()}
        services = sandbox.services
        return cls(services.store, services.clock, routes, sandbox.config.max_body_bytes)

    def route_for(self, path: str) -> Route | None:
        """The provider a request path belongs to, unless it asks for the spec or docs."""
        route = self.routes.get(provider_segment(path))
        if route is None:
            return None
        relative = path[len(route.provider.base_path):]
        return None if relative.startswith(_DOCS) else route

    def record(self, scope: Scope, route: Route, status: int | None, body: bytes | None) -> None:
        extensions = scope["extensions"]
        token_info = extensions["connexion_context"].get("token_info") or {}
        ns = token_info.get("ns") or Namespace(route.provider.name, credential(scope, route))
        base = route.provider.base_path
        headers = dict(scope.get("headers") or ())
        entry = {
            "seq": self.store.next_number(GLOBAL, JOURNAL),
            "time": iso_micros(self.clock.now_for(ns)),
            "method": scope["method"],
            "path": client_root(scope, base) + scope["path"][len(base):],
            "query": scope.get("query_string", b"").decode("latin-1"),
            "operationId": extensions["connexion_routing"].get("operation_id"),
            "status": status,
            "contentType": headers.get(b"content-type", b"").decode("latin-1"),
            "body": body.decode("utf-8", "replace") if body is not None else None,
        }
        self.store.append(ns, JOURNAL, entry, keep=KEEP)


def credential(scope: Scope, route: Route) -> str:
    """The API key or bearer token a request sent, or "" (for requests with no tenant)."""
    headers = dict(scope.get("headers") or ())
    for name in route.key_headers:
        if headers.get(name):
            return headers[name].decode("latin-1").strip()
    scheme, _, value = headers.get(b"authorization", b"").decode("latin-1").strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def parsed_body(entry: dict):
    """The recorded body as JSON when it was JSON, else its text; None when there was none."""
    text = entry.get("body")
    if not text:
        return None
    if "json" in (entry.get("contentType") or "").lower():
        try:
            return json.loads(text, parse_constant=_not_json)
        except (ValueError, RecursionError):
            pass
    return text


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


class JournalMiddleware:
    """Records provider requests; also scopes the request's current tenant to the request."""

    def __init__(self, app: ASGIApp, journal: Journal) -> None:
        self.app = app
        self.journal = journal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = enter_tenant(None)
        try:
            route = self.journal.route_for(scope["path"]) if scope["type"] == "http" else None
            if route is None:
                await self.app(scope, receive, send)
            else:
                await self._recorded(scope, receive, send, route)
        finally:
            leave_tenant(token)

    async def _recorded(self, scope: Scope, receive: Receive, send: Send, route: Route) -> None:
        extensions = scope.setdefault("extensions", {})
        extensions.setdefault("connexion_context", {})
        extensions.setdefault("connexion_routing", {})
        # Read up front: requests refused before the app reads the body (401, 415, a forced
        # 429) keep theirs too. Connexion's validators buffer the body anyway.
        received, body = await read_body(receive, self.journal.max_body_bytes)
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
            self.journal.record(scope, route, status if complete else None, body)


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
