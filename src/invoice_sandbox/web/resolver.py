"""operationId -> handler method, with the request's ``Tenant`` and API root passed in.

Connexion passes a handler the parameters its signature names. A provider's handler names
``tenant`` and, if it builds URLs, ``api_root``: these are not request parameters, so each
method is bound in a small adapter whose signature shows Connexion ``token_info`` instead
(where security put the tenant) and which hands the method what it asked for.

An operation marked ``x-sandbox-not-emulated: true`` in the spec is a route the vendor
documents and the sandbox does not emulate: it resolves to a handler raising ``NotEmulated``
(501 in the vendor's error shape, naming the route), so a client never mistakes it for a 404.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from connexion.context import _scope
from connexion.resolver import Resolution, Resolver

from ..errors import NotEmulated
from ..providers.base import handler_name
from ..specs import NOT_EMULATED
from .aliases import client_root

INJECTED = ("tenant", "api_root")
current_scope = _scope.get  # the request's ASGI scope (Connexion's context middleware sets it)


class _SandboxResolver(Resolver):
    def resolve(self, operation):
        if operation._operation.get(NOT_EMULATED):  # noqa: SLF001  (the raw operation object)
            return Resolution(not_emulated(operation.method, operation.path),
                              operation.operation_id)
        return super().resolve(operation)


def resolver(handlers: Any, base_path: str = "", public_url: str | None = None) -> Resolver:
    """Resolve each operationId to the snake_case method of ``handlers``, bound as above."""
    def resolve(operation_id: str) -> Callable:
        return bind(getattr(handlers, handler_name(operation_id)), base_path, public_url)

    return _SandboxResolver(function_resolver=resolve)


def not_emulated(method: str, path: str) -> Callable:
    route = f"{method.upper()} {path}"

    def handler(*_args, **_kwargs):
        raise NotEmulated(route)

    handler.__name__ = "not_emulated"
    return handler


def bind(method: Callable, base_path: str, public_url: str | None) -> Callable:
    signature = inspect.signature(method)
    wanted = [name for name in INJECTED if name in signature.parameters]
    if not wanted:
        return method

    def handler(*args, token_info=None, **kwargs):
        if "tenant" in wanted:
            kwargs["tenant"] = token_info["tenant"]
        if "api_root" in wanted:
            kwargs["api_root"] = api_root(base_path, public_url)
        return method(*args, **kwargs)

    shown = [p for name, p in signature.parameters.items() if name not in INJECTED]
    shown.append(inspect.Parameter("token_info", inspect.Parameter.KEYWORD_ONLY, default=None))
    handler.__signature__ = signature.replace(parameters=shown)
    handler.__name__ = handler.__qualname__ = method.__name__
    return handler


def api_root(base_path: str, public_url: str | None) -> str:
    """Absolute URL of the API root the current request came through, for ``Location`` and
    links: ``public_url`` (or the request's origin, as Starlette's ``Request.url`` gives it)
    plus the root the client used."""
    scope = current_scope()
    return (public_url or origin(scope)).rstrip("/") + client_root(scope, base_path)


def origin(scope) -> str:
    """``scheme://host[:port]`` of the request: its Host header, else the server address."""
    scheme = scope.get("scheme", "http")
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return f"{scheme}://{value.decode('latin-1')}"
    host, port = scope.get("server") or ("localhost", None)
    default = {"http": 80, "https": 443, "ws": 80, "wss": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")
