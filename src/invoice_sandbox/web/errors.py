"""The one exception handler: every failure, in the vendor's error shape of the path's owner.

Connexion's and Starlette's problems are translated into the sandbox's error types first
(``as_sandbox_error``). Anything else is a bug: it is logged with its traceback on the
``invoice_sandbox`` logger, answered as the vendor's 500, and noted on the request state so
the journal marks the entry.
"""

from __future__ import annotations

import json
import logging
import re

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException

from .. import control, errors
from ..sandbox import Sandbox
from .state import request_state

log = logging.getLogger("invoice_sandbox")


def provider_segment(path: str) -> str:
    """The first path segment, which names the provider owning a request (``/rebilly/...``)."""
    return path.strip("/").split("/", 1)[0]


def error_handler(sandbox: Sandbox):
    def handle(request, exc: Exception) -> ConnexionResponse:
        error = as_sandbox_error(exc)
        if isinstance(error, errors.InternalError):
            log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
            request_state(request.scope).failure = f"{type(exc).__name__}: {exc}"
        segment = provider_segment(request.url.path)
        provider = sandbox.providers.get(segment)
        if segment == control.SEGMENT:
            body, status, headers = control.render_error(error)
            media_type = control.MEDIA_TYPE
        elif provider is None:
            body, status, headers = _plain_error(error), error.status, {}
            media_type = "application/problem+json"
        else:
            body, status, headers = provider.render_error(error)
            media_type = provider.error_media_type
        headers = {**headers, **error.headers}
        if status == 405:  # RFC 9110: say which methods exist
            allow = _allow(sandbox, segment, request.url.path)
            headers = {**headers, "Allow": allow} if allow else headers
        return ConnexionResponse(status_code=status, body=json.dumps(body).encode(),
                                 mimetype=media_type, content_type=media_type, headers=headers)

    return handle


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _allow(sandbox: Sandbox, segment: str, path: str) -> str | None:
    if segment == control.SEGMENT:
        return allowed_methods(control.control_spec(None), control.BASE_PATH, path)
    provider = sandbox.providers.get(segment)
    if provider is None:
        return None
    return allowed_methods(sandbox.specs[segment], provider.base_path, path)


def allowed_methods(spec: dict, base_path: str, path: str) -> str | None:
    """``Allow`` for a path: the methods its spec path item documents, plus HEAD with GET.

    (Starlette's own header names only the first route that matched the path.)
    """
    relative = path[len(base_path):] if path.startswith(base_path) else path
    for template, item in (spec.get("paths") or {}).items():
        pattern = re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, relative):
            methods = {m.upper() for m in item if m in _METHODS}
            if "GET" in methods:
                methods.add("HEAD")
            return ", ".join(sorted(methods))
    return None


_BY_STATUS = {
    401: lambda detail: errors.Unauthorized("Unauthorized access. Invalid credentials used."),
    404: lambda detail: errors.NotFound("The requested resource was not found."),
    405: lambda detail: errors.MethodNotAllowed("Method not allowed for this resource."),
    413: lambda detail: errors.PayloadTooLarge(detail),
    415: lambda detail: errors.UnsupportedMediaType(detail or "Unsupported media type."),
}
"""Connexion's and Starlette's client errors that have a sandbox type of their own."""


def as_sandbox_error(exc: Exception) -> errors.SandboxError:
    """The sandbox error for any exception: ours as they are, the framework's translated by
    status, anything else an ``InternalError`` (a bug)."""
    if isinstance(exc, errors.SandboxError):
        return exc
    if not isinstance(exc, (ProblemException, HTTPException)):
        return errors.InternalError()
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500
    detail = str(getattr(exc, "detail", None) or "")
    if status in _BY_STATUS:
        return _BY_STATUS[status](detail)
    if 400 <= status < 500:
        return errors.InvalidRequest([errors.FieldError("request", detail)])
    return errors.ServerFault(status, detail or "Internal server error.")


def _plain_error(error: errors.SandboxError) -> dict:
    return {"title": type(error).__name__, "status": error.status, "detail": error.message}
