"""The line-items error body: one shape for every failure.

    {"status": 400, "detail": "Validation failed: quantity must be ...",
     "errors": [{"field": "quantity", "message": "must be ..."}]}

``status`` and ``detail`` are the vendor's documented (v2) error fields; ``errors`` is ours, so
a client can tell which field to fix. It is always present, empty when no request field is at
fault (401, 404, 405, 413, 415, 422, 500).

Status codes: every malformed or invalid request (bad JSON, missing or mistyped field, a
decimal outside the grammar, a bad query parameter) is 400, as in the vendor's example
``{"status": 400, "detail": "Validation failed: name is required"}``. A well-formed request the
invoice's state forbids (adding to a paid invoice, voiding a draft), or whose fields the schema
admits but that cannot be processed (``UnprocessableFields``), is 422, the vendor's
"Unprocessable Entity".
"""

from __future__ import annotations

from ...errors import Conflict, FieldError, InvalidRequest, MalformedBody, SandboxError
from ..base import known_status


class UnprocessableFields(InvalidRequest):
    """Fields each valid by the spec that cannot be accepted together or as values (a period
    ending before it starts, a zero payment, an instant outside years 1-9999 in UTC): 422,
    the vendor's "Unprocessable Entity - validation error", naming the fields."""

_DECIMAL_HINTS = {
    "quantity": "Must be a non-negative decimal string: 1-15 digits, optionally '.' and 1-10 "
                "digits, as in \"1\", \"2.5\" or \"0.0001\".",
    "amountPaid": "Must be a positive decimal string: 1-15 digits, optionally '.' and 1-10 "
                  "digits, as in \"700\" or \"19.99\".",
    "unitPrice": "Must be a decimal string: optional '-', 1-15 digits, optionally '.' and "
                 "1-10 digits, as in \"500\", \"19.99\" or \"-10\".",
}
_REQUIRED = "This field is required."
_MAX_MESSAGE = 200
_TITLES = {
    401: "Unauthorized: missing or invalid API key.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    415: "Unsupported media type: send application/json.",
    422: "Unprocessable entity.",
    429: "Too many requests. Please try again later.",
    500: "Internal server error.",
    501: "Not implemented.",
    502: "Bad gateway.",
    503: "Service unavailable.",
    504: "Gateway timeout.",
}


def field_message(error: FieldError) -> str:
    """The message for one field; decimal fields state their grammar instead of a regex."""
    name = error.field.rsplit(".", 1)[-1]  # lineItems.0.quantity is a quantity too
    if name in _DECIMAL_HINTS and error.message != _REQUIRED:
        return _DECIMAL_HINTS[name]
    if len(error.message) > _MAX_MESSAGE:  # jsonschema quotes the whole offending value
        return error.message[:_MAX_MESSAGE] + "..."
    return error.message


def render_error(error: SandboxError) -> tuple[dict, int, dict]:
    if isinstance(error, InvalidRequest):
        fields = [{"field": f.field, "message": field_message(f)} for f in error.fields]
        listed = "; ".join(f"{f['field']}: {f['message'].rstrip('.')}" for f in fields)
        detail = error.message if isinstance(error, MalformedBody) else (
            f"Validation failed: {listed}." if listed else "Validation failed.")
        status = 422 if isinstance(error, UnprocessableFields) else 400
        return {"status": status, "detail": detail, "errors": fields}, status, {}
    status = 422 if isinstance(error, Conflict) else error.status
    status = known_status(status, _TITLES)
    # The core's 401 text is another vendor's wording; this one says what to fix.
    title = _TITLES.get(status, _TITLES[500])
    detail = title if status == 401 else error.message or title
    return {"status": status, "detail": detail, "errors": []}, status, {}
