"""The one error path: every failure is a typed exception, rendered by the provider's renderer.

Handlers, billing rules, validators and the security layer raise these; ``app.py`` installs one
exception handler that finds the provider owning the request path and asks its renderer for the
vendor's body. Connexion's own problems (bad content type, unknown route, ...) are translated to
these types there too, so no request ever gets Connexion's default problem body.

    SandboxError
      +-- Unauthorized        missing or unknown credentials            401
      +-- NotFound            unknown resource id or route               404
      +-- MethodNotAllowed    known route, undocumented method           405
      +-- InvalidRequest      body or parameters fail validation         400/422 (vendor decides)
      |     +-- MalformedBody  not JSON / not UTF-8 / bad number literal
      +-- Conflict            the resource's state forbids the change    409/422 (vendor decides)
      +-- PayloadTooLarge     body over the size limit                   413
      +-- UnsupportedMediaType  body is not application/json             415
      +-- TooManyRequests     over the (opt-in) vendor rate limit, or forced   429
      +-- ServerFault         a forced or scheduled 5xx (never a real failure)  5xx
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class SandboxError(Exception):
    status = 500

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.headers: dict[str, str] = {}
        """Extra response headers (Retry-After, ...); the vendor's renderer adds its own."""


class Unauthorized(SandboxError):
    status = 401


class NotFound(SandboxError):
    status = 404

    def __init__(self, message: str = "", *, resource: str = "", resource_id: str = "") -> None:
        super().__init__(message)
        self.resource = resource
        self.resource_id = resource_id


class MethodNotAllowed(SandboxError):
    status = 405


class InvalidRequest(SandboxError):
    status = 422

    def __init__(self, fields: list[FieldError], message: str = "Invalid data sent.") -> None:
        super().__init__(message)
        self.fields = fields


class MalformedBody(InvalidRequest):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__([FieldError("body", message)], message)


class Conflict(SandboxError):
    status = 409


class PayloadTooLarge(SandboxError):
    status = 413


class UnsupportedMediaType(SandboxError):
    status = 415


class TooManyRequests(SandboxError):
    status = 429

    def __init__(self, message: str = "Too many requests.", *, headers: dict | None = None) -> None:
        super().__init__(message)
        self.headers = dict(headers or {})


class ServerFault(SandboxError):
    """A 5xx the user asked for (``Prefer: code=503`` or a scheduled fault)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or "Service temporarily unavailable.")
        self.status = status
