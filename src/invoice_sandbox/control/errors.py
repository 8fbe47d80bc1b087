"""Control API errors: RFC 9457 problem details naming every bad field.

The control API raises the sandbox's own error types (``errors.py``); ``app.py`` renders those
raised under ``/_sandbox`` with ``render_error``.
"""

from __future__ import annotations

from ..errors import FieldError, InvalidRequest, SandboxError, Unauthorized

MEDIA_TYPE = "application/problem+json"
_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
    409: "Conflict", 413: "Payload Too Large", 415: "Unsupported Media Type",
    422: "Unprocessable Entity", 500: "Internal Server Error",
}
ADMIN_TOKEN_NEEDED = "The control API needs 'Authorization: Bearer <admin token>' (--admin-token)."


def invalid(field: str, message: str) -> InvalidRequest:
    """One bad field, with the field and message in the detail too."""
    return InvalidRequest([FieldError(field, message)], f"{field}: {message}")


def render_error(error: SandboxError) -> tuple[dict, int, dict]:
    status = error.status
    title = _TITLES.get(status, "Error")
    body = {"type": "about:blank", "title": title, "status": status,
            "detail": error.message or title}
    headers = {}
    if isinstance(error, Unauthorized):
        body["detail"] = ADMIN_TOKEN_NEEDED
        headers["WWW-Authenticate"] = 'Bearer realm="invoice-sandbox control"'
    if isinstance(error, InvalidRequest):
        fields = [{"field": f.field, "message": f.message} for f in error.fields]
        body["invalidFields"] = fields
        if error.message == "Invalid data sent.":
            body["detail"] = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return body, status, headers
