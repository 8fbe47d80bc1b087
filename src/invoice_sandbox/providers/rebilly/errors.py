"""Rebilly's error bodies: RFC 9457 problem details, served as ``application/json``."""

from __future__ import annotations

from ...errors import Conflict, InvalidRequest, MalformedBody, SandboxError
from ..base import known_status

_TYPE = "https://api-reference.rebilly.com/#section/Errors/"
_KINDS = {
    400: ("BadRequest", "Bad Request"),
    401: ("Unauthorized", "Unauthorized"),
    404: ("NotFound", "Not Found"),
    405: ("MethodNotAllowed", "Method Not Allowed"),
    409: ("Conflict", "The request could not be completed due to a conflict with the current "
                      "state of existing resources."),
    413: ("PayloadTooLarge", "Payload Too Large"),
    415: ("UnsupportedMediaType", "Unsupported Media Type"),
    422: ("ValidationError", "Validation error"),
    429: ("TooManyRequests", "Too Many Requests"),
    500: ("InternalServerError", "Internal Server Error"),
    501: ("NotImplemented", "Not Implemented"),
    502: ("BadGateway", "Bad Gateway"),
    503: ("ServiceUnavailable", "Service Unavailable"),
    504: ("GatewayTimeout", "Gateway Timeout"),
}


def render_error(error: SandboxError) -> tuple[dict, int, dict]:
    status = error.status
    if isinstance(error, Conflict):
        status = 409
    elif isinstance(error, InvalidRequest) and not isinstance(error, MalformedBody):
        status = 422
    status = known_status(status, _KINDS)
    name, title = _KINDS.get(status, _KINDS[500])
    body = {"type": _TYPE + name, "title": title, "status": status,
            "detail": error.message or title}
    if status == 422:
        body["detail"] = "Invalid data sent."
        body["invalidFields"] = [{"field": f.field, "message": f.message} for f in error.fields]
    return body, status, {}
