"""``create_app``: the one place that wires Connexion.

For each provider: its spec (loaded and checked once by ``build_sandbox``) is added under the
provider's URL root with our validators, security handlers and resolver. One error handler
renders every failure in the vendor's shape of the provider that owns the request path. The
control API (``/_sandbox``) is added the same way. The middleware list (``web/stack.py``)
records every provider request in the journal and applies rate limits, forced statuses and
fault rules.
"""

from __future__ import annotations

from connexion import FlaskApp
from connexion.exceptions import ProblemException
from starlette.exceptions import HTTPException

from . import control
from .config import SandboxConfig
from .sandbox import Sandbox, build_sandbox
from .store import Store
from .web.errors import error_handler
from .web.jsonify import FastJsonifier
from .web.operations import PreparedAsyncApp
from .web.resolver import resolver
from .web.security import admin_security_map, security_map
from .web.stack import middlewares
from .web.validation import make_body_validator, make_parameter_validator


def create_app(config: SandboxConfig | None = None, *, store: Store | None = None):
    """A Connexion app (AsyncApp, or FlaskApp with ``flavor="flask"``) serving the sandbox."""
    config = config or SandboxConfig()
    sandbox = build_sandbox(config, store)
    app_class = FlaskApp if config.flavor == "flask" else PreparedAsyncApp
    app = app_class(
        __name__,
        pythonic_params=True,
        middlewares=middlewares(sandbox),
        # Both flavours serialise alike (FlaskApp's default sorts keys and indents).
        jsonifier=FastJsonifier(),
        validate_responses=config.validate_responses,
        validator_map={
            "body": {"application/json": make_body_validator(config.max_body_bytes)},
            "parameter": make_parameter_validator(),
        },
    )
    for name, provider in sandbox.providers.items():
        handlers = provider.make_handlers(sandbox.store)
        app.add_api(
            sandbox.specs[name],
            base_path=provider.base_path,
            resolver=resolver(handlers, provider.base_path, config.public_url),
            security_map=security_map(sandbox.tenancies[name], accept_jwt=provider.bearer_jwt),
            name=name,
        )
    _add_control_api(app, sandbox)
    handler = error_handler(sandbox)
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
        resolver=resolver(control.ControlHandlers(sandbox)),
        security_map=admin_security_map(token),
        name="control",
    )
