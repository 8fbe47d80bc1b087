"""What a provider folder hands to the core: one ``Provider`` value, listed in ``registry.py``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from connexion import request

from .aliases import client_root
from .clock import Clock
from .errors import SandboxError
from .ids import IdSource
from .ratelimit import RateLimitPolicy
from .store import Namespace, Store


def provider_segment(path: str) -> str:
    """The first path segment, which names the provider owning a request (``/rebilly/...``)."""
    return path.strip("/").split("/", 1)[0]


@dataclass(frozen=True)
class Services:
    """The collaborators handlers get instead of globals."""

    store: Store
    clock: Clock
    ids: IdSource
    public_url: str | None

    def api_root(self, base_path: str) -> str:
        """Absolute URL of the API root the current request came through, for ``Location``
        and links: ``public_url`` (or the request's origin) plus the root the client used."""
        url = request.url
        origin = self.public_url or f"{url.scheme}://{url.netloc}"
        return origin.rstrip("/") + client_root(request.scope, base_path)


class ErrorRenderer(Protocol):
    def __call__(self, error: SandboxError) -> tuple[dict, int, dict]:
        """(body, status, headers) in the vendor's error shape."""


@dataclass(frozen=True)
class Provider:
    name: str
    """First path segment of every base path; also the fixtures folder and spec file name."""
    base_path: str
    """URL root the spec is served under (``/rebilly``); starts with ``/<name>``."""
    sandbox_key: re.Pattern
    """Keys matching this documented pattern are accepted without registration."""
    make_handlers: Callable[[Services], Any]
    """Returns an object whose methods are named after the spec's operationIds (snake_case)."""
    render_error: ErrorRenderer
    seed_tenant: Callable[[Services, Namespace, dict], None]
    """Loads one fixture document's ``data`` into a fresh tenant."""
    describe_tenant: Callable[[Services, Namespace], str]
    """One line for the start-up banner: what a new user can try with this tenant."""
    error_media_type: str = "application/json"
    root_aliases: tuple[str, ...] = ()
    """Regexes of other URL roots that stand for ``base_path`` (``/rebilly/organizations/[^/]+``)."""
    rate_limit: "RateLimitPolicy | None" = None
    """The vendor's rate limit and headers, applied only when rate limiting is switched on."""
    bearer_jwt: bool = False
    """Whether a well-formed, unexpired JWT is accepted as a Bearer credential."""

    @property
    def spec_file(self) -> str:
        return f"{self.name}.yaml"
