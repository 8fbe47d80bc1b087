"""What the web layer learns about one request as it passes through, shared by reference.

The outermost middleware puts one ``RequestState`` in ``scope["extensions"]``; middlewares
copy the scope dict but never the extensions, so every layer sees the same object: the alias
middleware notes the URL root the client used, the security layer the credential and the
resolved ``Tenant``, the error handler a failure. The journal reads them all at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import Scope

from ..core.tenant import Tenant

KEY = "invoice_sandbox"


@dataclass
class RequestState:
    root: str | None = None
    """The URL root the client called through, when it was an alias of the base path."""
    credential: str | None = None
    """The API key or bearer token presented, once security has read it."""
    tenant: Tenant | None = None
    """The tenant the request acts for, once security has resolved it."""
    failure: str | None = None
    """``"<ExceptionType>: message"`` when the sandbox failed on the request (a bug)."""
    body: Any = None
    body_read: bool = False
    """The JSON body as the validator parsed and accepted it, so it is parsed only once."""
    path_params: dict | None = None
    """The path parameters as validation converted them, for the handler's arguments."""


def request_state(scope: Scope) -> RequestState:
    """The request's state, created on first use."""
    extensions = scope.setdefault("extensions", {})
    state = extensions.get(KEY)
    if state is None:
        state = extensions[KEY] = RequestState()
    return state


def first_header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header, read straight off the scope (ASGI header names
    are lower-case bytes), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
