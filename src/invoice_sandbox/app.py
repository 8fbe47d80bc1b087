"""``create_app``: the one place that wires Connexion.

For each provider: its spec is loaded and checked once, its handlers are built around the
shared services, and the spec is added under each of the provider's URL roots with our
validators, security handlers and resolver. One error handler renders every failure in the
vendor's shape of the provider that owns the request path. The control API (``/_sandbox``) is
added the same way, and a middleware records every provider request in the journal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from connexion import AsyncApp, FlaskApp
from connexion.middleware import MiddlewarePosition
from connexion.exceptions import ProblemException
from connexion.jsonifier import Jsonifier
from connexion.lifecycle import ConnexionResponse
from connexion.resolver import Resolver
from starlette.exceptions import HTTPException

from . import control, errors, resources
from .clock import parse_instant
from .aliases import RootAliasMiddleware
from .config import SandboxConfig
from .fault_middleware import FaultMiddleware, ServedProvider, documented_statuses
from .ids import random_seed
from .journal import Journal, JournalMiddleware
from .provider import Provider, Services, provider_segment
from .registry import PROVIDERS
from .security import security_map
from .specs import load_spec
from .state import ClockSetting, StoreClock, StoreIdSource
from .store import MemoryStore, Store
from .tenancy import Tenancy, load_fixture_documents
from .validation import make_body_validator, make_parameter_validator


@dataclass
class Sandbox:
    """What a running sandbox is made of; kept on the app as ``app.sandbox``."""

    config: SandboxConfig
    services: Services
    providers: dict[str, Provider]
    tenancies: dict[str, Tenancy]
    specs: dict[str, dict]


def build_sandbox(config: SandboxConfig, store: Store | None = None) -> Sandbox:
    """Resolve providers, load and check specs and fixtures; raises SpecError/ValueError."""
    names = config.providers or tuple(PROVIDERS)
    unknown = [n for n in names if n not in PROVIDERS]
    if unknown:
        raise ValueError(f"unknown provider(s): {', '.join(unknown)}; known: {', '.join(PROVIDERS)}")
    store = store or MemoryStore()
    start = ClockSetting(frozen_at=parse_instant(config.clock)) if config.clock else ClockSetting()
    seed = config.seed if config.seed is not None else random_seed()
    # Clock and seed read their settings (global, per tenant) from the store: see state.py.
    services = Services(store, StoreClock(store, start), StoreIdSource(store, seed),
                        config.public_url)
    spec_dir = config.spec_dir or resources.spec_dir()
    fixture_root = config.fixtures_dir or resources.fixtures_dir()
    providers = {name: PROVIDERS[name] for name in names}
    specs = {name: load_spec(spec_dir / p.spec_file) for name, p in providers.items()}
    tenancies = {
        name: Tenancy(
            p, services, load_fixture_documents(fixture_root / name), config.api_keys.get(name, ())
        )
        for name, p in providers.items()
    }
    return Sandbox(config, services, providers, tenancies, specs)


def create_app(config: SandboxConfig | None = None, *, store: Store | None = None):
    """A Connexion app (AsyncApp, or FlaskApp with ``flavor="flask"``) serving the sandbox."""
    config = config or SandboxConfig()
    sandbox = build_sandbox(config, store)
    app_class = FlaskApp if config.flavor == "flask" else AsyncApp
    app = app_class(
        __name__,
        pythonic_params=True,
        # Both flavours serialise alike (FlaskApp's default sorts keys and indents).
        jsonifier=Jsonifier(),
        validate_responses=config.validate_responses,
        validator_map={
            "body": {"application/json": make_body_validator(config.max_body_bytes)},
            "parameter": make_parameter_validator(),
        },
    )
    for name, provider in sandbox.providers.items():
        resolver = _resolver(provider.make_handlers(sandbox.services))
        security = security_map(sandbox.tenancies[name], accept_jwt=provider.bearer_jwt)
        app.add_api(
            sandbox.specs[name],
            base_path=provider.base_path,
            resolver=resolver,
            security_map=security,
            name=name,
        )
    aliases = [
        (re.compile(alias + r"(?=/|$)"), p.base_path)
        for p in sandbox.providers.values() for alias in p.root_aliases
    ]
    if aliases:
        app.add_middleware(RootAliasMiddleware, MiddlewarePosition.BEFORE_EXCEPTION,
                           aliases=aliases)
    served = {
        p.base_path: ServedProvider(p, documented_statuses(sandbox.specs[name]))
        for name, p in sandbox.providers.items()
    }
    app.add_middleware(FaultMiddleware, MiddlewarePosition.BEFORE_VALIDATION,
                       services=sandbox.services, served=served)
    _add_control_api(app, sandbox)
    # Outside the exception middleware, so it records every final status, faults included.
    app.add_middleware(JournalMiddleware, MiddlewarePosition.BEFORE_EXCEPTION,
                       journal=Journal.of(sandbox))
    handler = _error_handler(sandbox)
    for error_class in (Exception, ProblemException, HTTPException):
        app.add_error_handler(error_class, handler)
    app.sandbox = sandbox
    return app


def _add_control_api(app, sandbox: Sandbox) -> None:
    """``/_sandbox``: routed and validated like a provider, guarded by the admin token."""
    token = sandbox.config.admin_token
    app.add_api(
        control.control_spec(token),
        base_path=control.BASE_PATH,
        resolver=_resolver(control.ControlHandlers(sandbox)),
        security_map=control.admin_security_map(token),
        name="control",
    )


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def _resolver(handlers) -> Resolver:
    return Resolver(function_resolver=lambda operation_id: getattr(handlers, _snake(operation_id)))


def _error_handler(sandbox: Sandbox):
    def handle(request, exc: Exception) -> ConnexionResponse:
        error = as_sandbox_error(exc)
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
        if status == 405 and provider is not None:  # RFC 9110: say which methods exist
            allow = allowed_methods(sandbox.specs[segment], provider.base_path, request.url.path)
            headers = {**headers, "Allow": allow} if allow else headers
        return ConnexionResponse(
            status_code=status,
            body=json.dumps(body).encode(),
            mimetype=media_type,
            content_type=media_type,
            headers=headers,
        )

    return handle


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


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


def as_sandbox_error(exc: Exception) -> errors.SandboxError:
    """Translate Connexion's and Starlette's problems into the sandbox's error types."""
    if isinstance(exc, errors.SandboxError):
        return exc
    status = getattr(exc, "status_code", None) or getattr(exc, "status", None) or 500
    detail = getattr(exc, "detail", None) or ""
    if status == 401:
        return errors.Unauthorized("Unauthorized access. Invalid credentials used.")
    if status == 404:
        return errors.NotFound("The requested resource was not found.")
    if status == 405:
        return errors.MethodNotAllowed("Method not allowed for this resource.")
    if status == 415:
        return errors.UnsupportedMediaType(str(detail) or "Unsupported media type.")
    if status == 413:
        return errors.PayloadTooLarge(str(detail))
    if detail == "RequestBody is required":
        return errors.InvalidRequest([errors.FieldError("body", "A JSON request body is required.")])
    if isinstance(exc, (ProblemException, HTTPException)) and 400 <= status < 500:
        return errors.InvalidRequest([errors.FieldError("request", str(detail))])
    internal = errors.SandboxError(str(detail) or "Internal server error.")
    internal.status = status if status >= 500 else 500
    return internal


def _plain_error(error: errors.SandboxError) -> dict:
    return {"title": type(error).__name__, "status": error.status, "detail": error.message}
