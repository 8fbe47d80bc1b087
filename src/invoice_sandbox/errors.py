"""Every exception a user of the sandbox can meet, in one tree.

Requests: handlers, billing rules, validators and the security layer raise ``SandboxError``s;
``web/errors.py`` is the one exception handler, which finds the provider owning the request
path and asks its renderer for the vendor's body. Connexion's own problems (bad content type,
unknown route, ...) are translated to these types there too, and any other exception is a bug:
logged with its traceback, answered as ``InternalError`` and marked in the journal.

    InvoiceSandboxError
      +-- SandboxError            answered to an API client, in the vendor's error shape
      |     +-- Unauthorized        missing or unknown credentials            401
      |     +-- NotFound            unknown resource id or route               404
      |     +-- MethodNotAllowed    known route, undocumented method           405
      |     +-- InvalidRequest      body or parameters fail validation         400/422 (vendor)
      |     |     +-- MalformedBody   not JSON / not UTF-8 / bad number literal
      |     |     +-- InvalidFixture  fixture data a provider cannot load        (422 on /_sandbox)
      |     +-- Conflict            the resource's state forbids the change    409/422 (vendor)
      |     +-- PayloadTooLarge     body over the size limit                   413
      |     +-- UnsupportedMediaType  body is not application/json             415
      |     +-- TooManyRequests     over the (opt-in) vendor rate limit, or forced   429
      |     +-- NotEmulated         a documented vendor route the sandbox does not emulate  501
      |     +-- ServerFault         a forced or scheduled 5xx (never a real failure)  5xx
      |     +-- InternalError       a bug in the sandbox (logged with its traceback)  500
      +-- StartupError            the sandbox cannot start; the message is one line
      |     +-- SpecError           a spec that cannot be served
      |     +-- FixtureFileError    a fixture file that cannot be read
      |     +-- StoreUnavailable    the --store named cannot be reached
      +-- ControlError            (``invoice_sandbox.testing``) the control API refused a call
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvoiceSandboxError(Exception):
    """The root of every exception the sandbox raises on purpose."""


class SandboxError(InvoiceSandboxError):
    """A failure answered to an API client in the vendor's error shape."""

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

    def __init__(self, message: str = "", *, resource: str = "") -> None:
        super().__init__(message)
        self.resource = resource
        """What was looked up ("invoice"); empty when the route itself is unknown."""


class MethodNotAllowed(SandboxError):
    status = 405


class InvalidRequest(SandboxError):
    status = 422

    def __init__(self, fields: list[FieldError], message: str = "Invalid data sent.") -> None:
        super().__init__(message)
        self.fields = fields


class MalformedBody(InvalidRequest):
    """The request cannot be read at all (its body, or its headers): 400 for every vendor."""

    status = 400

    def __init__(self, message: str, field: str = "body") -> None:
        super().__init__([FieldError(field, message)], message)


class InvalidFixture(InvalidRequest):
    """Fixture data (a file or a control-API load) that a provider cannot load."""

    def __init__(self, fields: list[FieldError]) -> None:
        super().__init__(fields, "; ".join(f.message for f in fields))


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


class NotEmulated(SandboxError):
    """A route the vendor documents and the sandbox does not emulate: 501, never a 404 that a
    client would read as "no such invoice". The message names the route."""

    status = 501

    def __init__(self, route: str) -> None:
        super().__init__(f"{route} is documented by the vendor but not emulated by the sandbox.")
        self.route = route


class ServerFault(SandboxError):
    """A 5xx the user asked for (``Prefer: code=503`` or a scheduled fault)."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(message or "Service temporarily unavailable.")
        self.status = status


class InternalError(SandboxError):
    """A bug: an exception nobody raised on purpose. Logged with its traceback."""

    def __init__(self, message: str = "Internal server error.") -> None:
        super().__init__(message)


class StartupError(InvoiceSandboxError):
    """The sandbox cannot start as configured; ``str()`` is one line saying why."""


class SpecError(StartupError):
    """A spec that cannot be served; the message says which file and why."""


class FixtureFileError(StartupError):
    """A fixture file that cannot be used; the message names the file and why."""


class StoreUnavailable(StartupError):
    """The store the configuration names cannot be reached (a Redis that is not running)."""


__all__ = [
    "Conflict", "FieldError", "FixtureFileError", "InternalError", "InvalidFixture",
    "InvalidRequest", "InvoiceSandboxError", "MalformedBody", "MethodNotAllowed", "NotEmulated",
    "NotFound", "PayloadTooLarge", "SandboxError", "ServerFault", "SpecError", "StartupError",
    "StoreUnavailable", "TooManyRequests", "Unauthorized", "UnsupportedMediaType",
]
