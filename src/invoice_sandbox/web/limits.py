"""Request limits checked before routing, so an oversized request costs no tenant and no work.

Headers over ``MAX_HEADER_BYTES`` (names and values together) are refused with 400 in the
owning vendor's error shape, as the nginx in front of a vendor's API would refuse them.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import MAX_HEADER_BYTES
from ..errors import MalformedBody


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp, max_header_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) for name, value in scope.get("headers") or ())
            if size > self.max_header_bytes:
                raise MalformedBody(f"Request headers exceed {self.max_header_bytes} bytes.",
                                    field="headers")
        await self.app(scope, receive, send)
