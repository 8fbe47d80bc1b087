"""Connexion security handlers bound to a provider's tenancy (no dotted-name lookups).

Connexion instantiates handler classes itself, so each provider gets subclasses whose
verification function is its ``Tenancy``. A verified request carries
``token_info = {"sub": key, "ns": Namespace}``; handlers take ``token_info``. Verification
also makes that tenant current (``state.enter_tenant``); the journal middleware scopes this to
the request.
Failures raise ``Unauthorized``, rendered in the vendor's shape.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from connexion.security import ApiKeySecurityHandler, BearerSecurityHandler

from .clock import Clock
from .errors import Unauthorized
from .state import enter_tenant
from .tenancy import Tenancy

UNAUTHORIZED = "Unauthorized access. Invalid credentials used."


def jwt_subject(token: str, clock: Clock) -> str | None:
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
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("sub", ""), (str, int)):
        return None
    exp = claims.get("exp")
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        if datetime.fromtimestamp(exp, timezone.utc) <= clock.now():
            return None
    return f"jwt:{claims.get('sub') or token}"


def security_map(tenancy: Tenancy, *, accept_jwt: bool = False) -> dict:
    """Connexion ``security_map`` whose handlers authenticate against ``tenancy``."""

    def verify(credential: str, *_args, **_kwargs) -> dict:
        ns = tenancy.authenticate(credential)
        if ns is None and accept_jwt:
            subject = jwt_subject(credential, tenancy.services.clock)
            ns = tenancy.namespace(subject) if subject else None
        if ns is None:
            raise Unauthorized(UNAUTHORIZED)
        enter_tenant(ns)  # the tenant's clock and id seed apply from here to the response
        return {"sub": ns.tenant, "ns": ns}

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
            scheme, _, value = authorization.strip().partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise Unauthorized(UNAUTHORIZED)
            return "bearer", value.strip()

    return {"apiKey": ApiKey, "bearer": Bearer}
