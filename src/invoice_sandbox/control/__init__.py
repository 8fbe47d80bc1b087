"""The control API under ``/_sandbox``: its spec, handlers, admin-token check and errors.

``app.create_app`` wires it like a provider's API (routed and validated by Connexion from
``openapi/control.yaml``), but it is not a provider: it has no tenants of its own and always
uses the built-in spec.
"""

from __future__ import annotations

import copy
import hmac
from functools import lru_cache

from connexion.security import BearerSecurityHandler

from .. import resources
from ..specs import load_spec
from .errors import MEDIA_TYPE, render_error
from .handlers import ControlHandlers

BASE_PATH = "/_sandbox"
SEGMENT = BASE_PATH.strip("/")


def control_spec(admin_token: str | None) -> dict:
    """The control spec; without an admin token (loopback only) it asks for no credentials."""
    spec = copy.deepcopy(_checked_spec())
    return spec if admin_token else {**spec, "security": []}


@lru_cache(maxsize=1)
def _checked_spec() -> dict:
    """Parsed and validated once per process: it is built in, not a user's file."""
    return load_spec(resources.spec_dir() / "control.yaml")


def admin_security_map(admin_token: str | None) -> dict:
    """Connexion ``security_map`` accepting exactly ``Authorization: Bearer <admin_token>``."""
    expected = (admin_token or "").encode()

    def verify(token: str, *_args, **_kwargs) -> dict | None:
        if expected and hmac.compare_digest(token.encode(), expected):
            return {"sub": "admin"}
        return None

    class AdminBearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

    return {"bearer": AdminBearer}


__all__ = ["BASE_PATH", "SEGMENT", "MEDIA_TYPE", "ControlHandlers", "admin_security_map",
           "control_spec", "render_error"]
