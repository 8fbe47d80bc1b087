"""Request checks made before routing, so a request no vendor would take costs no tenant.

* Headers over ``MAX_HEADER_BYTES`` (names and values together) are 400 in the owning vendor's
  error shape, as the nginx in front of a vendor's API would refuse them.
* A path with an empty segment (``//``) or a control character (``%0A``) names no route: 404.
* A request with a body must say what it is: without ``Content-Type`` it is 415; two
  different ``Content-Type`` headers are 400. Media types are case-insensitive (RFC 9110), so
  ``APPLICATION/JSON`` is rewritten to ``application/json`` for the spec's validators.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import MAX_HEADER_BYTES
from ..errors import MalformedBody, NotFound, UnsupportedMediaType

_BODY_HEADERS = (b"content-length", b"transfer-encoding")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_header_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = scope.get("headers") or []
            size = sum(len(name) + len(value) for name, value in headers)
            if size > self.max_header_bytes:
                raise MalformedBody(f"Request headers exceed {self.max_header_bytes} bytes.",
                                    field="headers")
            path = scope["path"]
            if "//" in path or _CONTROL.search(path):
                raise NotFound("The requested URL doesn't exist.")
            scope = {**scope, "headers": _media_type_checked(headers)}
        await self.app(scope, receive, send)


def _media_type_checked(headers: list) -> list:
    """The headers, with one lower-case JSON ``Content-Type`` if the request has a body."""
    types = [value for name, value in headers if name == b"content-type"]
    has_body = any(name in _BODY_HEADERS and value.strip() not in (b"", b"0")
                   for name, value in headers)
    if not types:
        if has_body:
            raise UnsupportedMediaType("A request body needs 'Content-Type: application/json'.")
        return headers
    if len({value.strip().lower() for value in types}) > 1:
        raise MalformedBody("The request has two different Content-Type headers.",
                            field="Content-Type")
    media, _, params = types[0].partition(b";")
    if media.strip().lower() == b"application/json":
        value = b"application/json" + (b";" + params if params else b"")
        headers = [(name, val) for name, val in headers if name != b"content-type"]
        headers.append((b"content-type", value))
    return headers
