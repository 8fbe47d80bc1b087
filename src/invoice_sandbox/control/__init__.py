"""The control plane: what the sandbox lets users steer and observe, and its API (``/_sandbox``).

``app.create_app`` wires the control API like a provider's API (routed and validated by
Connexion from ``openapi/control.yaml``), but it is not a provider: it has no tenants of its
own and always uses the built-in spec. The rules it steers live here too: fault rules
(``faults.py``), rate limits (``ratelimit.py``) and the request journal (``journal.py``).
"""

from __future__ import annotations

import copy
from functools import lru_cache

from ..specs import load_spec, paths
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
    return load_spec(paths.spec_dir() / "control.yaml")


__all__ = ["BASE_PATH", "SEGMENT", "MEDIA_TYPE", "ControlHandlers", "control_spec",
           "render_error"]
