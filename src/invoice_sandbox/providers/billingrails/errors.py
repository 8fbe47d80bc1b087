"""Billingrails' error body: ``{"error": {"type", "code", "message", "details"}}``.

Codes stay inside the enum Billingrails' SDKs declare (``unauthorized``, ``not_found``,
``validation_error``, ``method_not_allowed``, ``invalid_request_url``,
``internal_server_error``, ...), so typed clients can switch on them. Status codes:

    400 validation_error      malformed JSON, or a body/parameter that breaks the schema
    401 unauthorized          missing or unknown API key
    404 not_found             unknown account or invoice id
    404 invalid_request_url   no such route under /billingrails/v1
    405 method_not_allowed    known route, other method
    413 validation_error      body over the size limit
    415 validation_error      body not application/json
    409 validation_error      well-formed, but the stored state forbids it (StateError)
    429 too_many_requests     opt-in rate limit (50 a minute), or forced
    5xx internal_server_error only when forced (Prefer: code=503, a fault rule)
"""

from __future__ import annotations

from ...errors import (
    Conflict, FieldError, InvalidRequest, MethodNotAllowed, NotEmulated, NotFound,
    PayloadTooLarge, SandboxError, TooManyRequests, Unauthorized, UnsupportedMediaType,
)

VALIDATION_MESSAGE = "Validation error"


class StateError(Conflict):
    """A well-formed request the stored state forbids (items on a paid invoice, say).

    409, not 422: the request itself is valid, so a client (or Schemathesis) sending
    schema-valid data must see a conflict with state, never a validation failure.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.fields = [FieldError(field, message)]


def _body(code: str, message: str, fields: list[FieldError] | None = None) -> dict:
    error = {"type": "request_error", "code": code, "message": message}
    if fields is not None:
        error["details"] = [{"field": f.field, "message": _field_message(f)} for f in fields]
    return {"error": error}


def _field_message(error: FieldError) -> str:
    """The core says "This field is required."; Billingrails says "Account is required."."""
    if error.message == "This field is required.":
        name = error.field.rsplit(".", 1)[-1].replace("_", " ")
        return f"{name[:1].upper()}{name[1:]} is required."
    return error.message


def render_error(error: SandboxError) -> tuple[dict, int, dict]:
    """(body, status, headers) for any sandbox error, in Billingrails' envelope."""
    if isinstance(error, StateError):
        return _body("validation_error", error.message, error.fields), 409, {}
    if isinstance(error, Conflict):
        return _body("validation_error", error.message, []), 409, {}
    if isinstance(error, InvalidRequest):
        return _body("validation_error", VALIDATION_MESSAGE, error.fields), 400, {}
    if isinstance(error, Unauthorized):
        return _body("unauthorized", "Invalid API key provided."), 401, {}
    if isinstance(error, NotFound):
        if error.resource:
            return _body("not_found", error.message), 404, {}
        return _body("invalid_request_url", "The requested URL doesn't exist."), 404, {}
    if isinstance(error, MethodNotAllowed):
        return _body("method_not_allowed", "Method not allowed for this resource."), 405, {}
    if isinstance(error, (PayloadTooLarge, UnsupportedMediaType)):
        field = "body" if isinstance(error, PayloadTooLarge) else "Content-Type"
        message = error.message or "Request body must be application/json."
        return _body("validation_error", message, [FieldError(field, message)]), error.status, {}
    if isinstance(error, NotEmulated):
        return _body("not_implemented", error.message), 501, {}
    if isinstance(error, TooManyRequests):
        return _body("too_many_requests", "Too many requests. Please try again later."), 429, {}
    body = _body("internal_server_error", "Something went wrong on our end.")
    body["error"]["type"] = "api_error"
    return body, error.status if error.status >= 500 else 500, {}
