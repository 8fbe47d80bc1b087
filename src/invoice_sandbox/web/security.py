"""Connexion security handlers bound to a provider's tenancy: where a request's tenant is
resolved, once.

Connexion instantiates handler classes itself, so each provider gets subclasses whose
verification function is its ``Tenancy``. A verified request carries
``token_info = {"sub": key, "tenant": Tenant}``; the resolver hands the ``Tenant`` to handlers,
and the request state (``state.py``) keeps it, and the credential presented, for the fault
layer and the journal. Failures raise ``Unauthorized``, rendered in the vendor's shape.
"""

from __future__ import annotations

import base64
import hmac
import json
import math
from datetime import datetime
from typing import Mapping

from connexion.security import ApiKeySecurityHandler, BearerSecurityHandler

from ..config import MAX_KEY_LENGTH
from ..errors import Unauthorized
from ..tenancy import Tenancy
from .state import request_state

UNAUTHORIZED = "Unauthorized access. Invalid credentials used."
MAX_JWT_LENGTH = 8192
"""A longer bearer token is refused unread; a JWT's subject longer than ``MAX_KEY_LENGTH``
names no tenant either."""


def jwt_subject(token: str, now: datetime) -> str | None:
    """The tenant a well-formed, unexpired JWT stands for ("jwt:<sub>"), or None.

    The sandbox cannot check a vendor's signature offline; it checks the JWT's shape and
    ``exp`` against the sandbox clock, and keys the tenant by its subject.
    """
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
    except (ValueError, RecursionError):
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("sub", ""), (str, int)):
        return None
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        # Compared as numbers: 1e20 or 10**400 seconds is no instant datetime can hold.
        if isinstance(exp, float) and not math.isfinite(exp):
            return None
        if exp <= now.timestamp():
            return None
    subject = f"jwt:{claims.get('sub') or token}"
    return subject if len(subject) <= MAX_KEY_LENGTH else None


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` value; None for any other value."""
    scheme, _, value = (authorization or "").strip().partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def presented_credential(headers: Mapping[str, str], key_headers: tuple[str, ...]) -> str:
    """The API key or bearer token a request presents, or "" (for requests with none)."""
    for name in key_headers:
        if headers.get(name):
            return headers[name].strip()
    return bearer_token(headers.get("authorization")) or ""


def security_map(tenancy: Tenancy, *, accept_jwt: bool = False) -> dict:
    """Connexion ``security_map`` whose handlers authenticate against ``tenancy``."""

    def verify(credential: str, request=None) -> dict:
        state = request_state(request.scope) if request is not None else None
        if state is not None:
            state.credential = credential
        tenant = tenancy.resolve(credential)
        if tenant is None and accept_jwt and len(credential) <= MAX_JWT_LENGTH:
            subject = jwt_subject(credential, tenancy.settings.now_for(None))
            tenant = tenancy.tenant(subject) if subject else None
        if tenant is None:
            raise Unauthorized(UNAUTHORIZED)
        if state is not None:
            state.tenant = tenant
        return {"sub": tenant.ns.tenant, "tenant": tenant}

    class ApiKey(ApiKeySecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

    class Bearer(BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

        @staticmethod
        def get_auth_header_value(request):
            authorization = request.headers.get("Authorization")
            if not authorization:
                return None, None
            token = bearer_token(authorization)
            if token is None:
                raise Unauthorized(UNAUTHORIZED)
            return "bearer", token

    return {"apiKey": ApiKey, "bearer": Bearer}


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
