"""The ASGI middleware that applies rate limits, ``Prefer: code=NNN`` and fault rules.

It sits after Connexion's routing and security (so it knows the operation and the tenant) and
before request validation (so a forced status wins over a bad body, as with Prism). Errors are
raised as sandbox errors and rendered in the vendor's shape by the one error handler.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..control import faults, ratelimit
from ..core.tenant import Tenant
from ..errors import FieldError, InvalidRequest, TooManyRequests
from ..providers.base import Provider
from ..store import Store
from .state import first_header, request_state


class ConnectionDropped(Exception):
    """Raised after the response has started, so the server closes the connection."""


@dataclass(frozen=True)
class ServedProvider:
    provider: Provider
    documented: dict[str, frozenset[int]]
    """operationId -> the statuses its spec documents."""


class FaultMiddleware:
    def __init__(self, app: ASGIApp, store: Store, served: dict[str, ServedProvider]):
        self.app = app
        self.store = store
        self.served = served  # by base path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extensions = scope.get("extensions", {}) if scope["type"] == "http" else {}
        routing = extensions.get("connexion_routing", {})
        served = self.served.get(routing.get("api_base_path"))
        operation = routing.get("operation_id")
        tenant = request_state(scope).tenant if served is not None else None
        if served is None or operation is None or tenant is None:
            await self.app(scope, receive, send)
            return
        extra = self._rate_limit(served.provider, tenant)
        self._preferred(served, operation, first_header(scope, b"prefer"))
        rule = faults.take_fault(self.store, tenant.ns, operation, tenant.seed) \
            if tenant.has_faults else None
        if rule is not None:
            await self._apply(rule, send, served.provider)
        await self.app(scope, receive, _with_headers(send, extra) if extra else send)

    def _rate_limit(self, provider: Provider, tenant: Tenant) -> dict[str, str]:
        policy = ratelimit.effective_policy(tenant, provider.rate_limit)
        if policy is None:
            return {}
        verdict = ratelimit.count(self.store, tenant, policy)
        if not verdict.allowed:
            raise TooManyRequests("Too many requests. Please try again later.",
                                  headers=verdict.headers)
        return verdict.headers

    @staticmethod
    def _preferred(served: ServedProvider, operation: str, prefer: str | None) -> None:
        status = faults.preferred_status(prefer)
        if status is None or 200 <= status < 300:
            return
        documented = served.documented.get(operation, frozenset())
        if status not in documented:
            codes = ", ".join(str(c) for c in sorted(documented))
            raise InvalidRequest([FieldError(
                "Prefer", f"code={status} is not a documented response of {operation} ({codes})")])
        raise faults.error_for(status, served.provider.render_error)

    @staticmethod
    async def _apply(rule: faults.FaultRule, send: Send, provider: Provider) -> None:
        if rule.action == "delay":
            await asyncio.sleep(rule.delay_ms / 1000)
        elif rule.action == "status":
            raise faults.error_for(rule.status, provider.render_error)
        elif rule.action == "drop":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-length", b"1048576")]})
            raise ConnectionDropped(f"fault rule {rule.id} dropped the connection")


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            extra = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
            message = {**message, "headers": [*message.get("headers", ()), *extra]}
        await send(message)

    return send_with_headers
