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

    The sandbox cannot check a vendor's signature offline; it checks the JWT's shape (a JSON
    header and claims; ``exp`` and ``nbf``, when present, NumericDates as RFC 7519 requires)
    and the times against the sandbox clock, and keys the tenant by its subject.
    """
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        return None
    header, claims = (_json_segment(part) for part in parts[:2])
    if header is None or claims is None:
        return None
    if not isinstance(claims.get("sub", ""), (str, int)) or isinstance(claims.get("sub"), bool):
        return None
    times = [claims[name] for name in ("exp", "nbf") if name in claims]
    if not all(_numeric_date(value) for value in times):
        return None
    moment = now.timestamp()
    if "exp" in claims and claims["exp"] <= moment:
        return None
    if "nbf" in claims and claims["nbf"] > moment:
        return None
    subject = f"jwt:{claims.get('sub') or token}"
    return subject if len(subject) <= MAX_KEY_LENGTH else None


def _json_segment(part: str) -> dict | None:
    """A base64url JSON object (a JWT's header or claims), or None."""
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _numeric_date(value: object) -> bool:
    """A JSON number that can be a NumericDate (Python reads NaN and Infinity as floats)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return not isinstance(value, float) or math.isfinite(value)


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


class _Prepared:
    """Connexion inspects the verify function's signature on every request; it never
    changes, so the answer is kept."""

    _accepts: dict = {}

    @classmethod
    def _accepts_kwarg(cls, func, keyword: str) -> bool:
        key = (func, keyword)
        if key not in cls._accepts:
            cls._accepts[key] = super()._accepts_kwarg(func, keyword)
        return cls._accepts[key]


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

    class ApiKey(_Prepared, ApiKeySecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

    class Bearer(_Prepared, BearerSecurityHandler):
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

    class AdminBearer(_Prepared, BearerSecurityHandler):
        def _resolve_func(self, security_scheme):
            return verify

    return {"bearer": AdminBearer}
