"""The middleware list, outermost first: Connexion's layers that the sandbox uses, and ours.

    ServerErrorMiddleware     a failure nothing else caught: plain 500 (never expected)
    RootAliasMiddleware       /rebilly/organizations/{org} -> /rebilly   (only with aliases)
    JournalMiddleware         records every provider request with its final status
    ExceptionMiddleware       every failure -> web/errors.py -> the vendor's renderer
    RequestLimitsMiddleware   header size, odd paths, Content-Type rules (before routing)
    DocsMiddleware            <root>/openapi.json, <root>/ui/ (Connexion's Swagger UI)
    IndexedRoutingMiddleware  operationId and path parameters (web/routing.py)
    SecurityMiddleware        web/security.py -> Tenancy.resolve -> Tenant (once)
    FaultMiddleware           rate limit, Prefer: code=NNN, fault rules (per Tenant)
    PreparedRequestValidationMiddleware   web/validation.py, its parts built once
    ResponseValidationMiddleware  only when response validation is on
    LifespanMiddleware, ContextMiddleware, then the operation (web/operations.py)
"""

from __future__ import annotations

import re
from functools import partial

from connexion.middleware.context import ContextMiddleware
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.lifespan import LifespanMiddleware
from connexion.middleware.response_validation import ResponseValidationMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.server_error import ServerErrorMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from starlette.types import Receive, Scope, Send

from ..sandbox import Sandbox
from ..specs import documented_statuses
from .aliases import RootAliasMiddleware
from .faults import FaultMiddleware, ServedProvider
from .journal import JournalMiddleware
from .limits import RequestLimitsMiddleware
from .prepared_validation import PreparedRequestValidationMiddleware
from .routing import IndexedRoutingMiddleware

_DOCS = re.compile(r"/(openapi\.(json|yaml)|ui)(/|$)")


class DocsMiddleware(SwaggerUIMiddleware):
    """Connexion's spec and Swagger UI routes, looked up only for paths that can be one:
    every other request goes straight on instead of through the docs router."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not _DOCS.search(scope["path"]):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def middlewares(sandbox: Sandbox) -> list:
    aliases = [
        (re.compile(alias + r"(?=/|$)"), p.base_path)
        for p in sandbox.providers.values() for alias in p.root_aliases
    ]
    served = {
        p.base_path: ServedProvider(p, documented_statuses(sandbox.specs[name]))
        for name, p in sandbox.providers.items()
    }
    stack = [ServerErrorMiddleware]
    if aliases:
        stack.append(partial(RootAliasMiddleware, aliases=aliases))
    stack += [
        partial(JournalMiddleware, sandbox=sandbox),
        ExceptionMiddleware,
        RequestLimitsMiddleware,
        DocsMiddleware,
        IndexedRoutingMiddleware,
        SecurityMiddleware,
        partial(FaultMiddleware, store=sandbox.store, served=served),
        PreparedRequestValidationMiddleware,
    ]
    if sandbox.config.validate_responses:
        stack.append(ResponseValidationMiddleware)
    return stack + [LifespanMiddleware, ContextMiddleware]
