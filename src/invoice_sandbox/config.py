"""Everything ``create_app`` needs, as one value; the CLI and the tests build it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

MAX_BODY_BYTES = 1_048_576
"""The largest request body accepted (1 MiB); larger ones are 413."""
MAX_HEADER_BYTES = 32_768
"""The most request-header bytes accepted (names and values); more is 400, as nginx answers."""
MAX_KEY_LENGTH = 256
"""The longest API key or token a tenant can have; a longer one is 401."""


@dataclass(frozen=True)
class SandboxConfig:
    providers: tuple[str, ...] | None = None
    """Providers to serve; None serves every registered provider."""
    fixtures_dir: Path | None = None
    """A folder with ``<provider>/*.yaml`` fixture files replacing the built-in ones."""
    spec_dir: Path | None = None
    """A folder with ``<provider>.yaml`` specs replacing the built-in ones."""
    seed: int | None = None
    """Id seed; None picks a random one at start-up."""
    clock: str | None = None
    """An RFC 3339 instant to freeze the clock at; None uses the system clock."""
    flavor: Literal["async", "flask"] = "async"
    api_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra API keys per provider, on top of those in the fixtures and the key patterns."""
    validate_responses: bool = False
    """Check every response against the spec (on in the tests; costs time per request)."""
    max_body_bytes: int = MAX_BODY_BYTES
    public_url: str | None = None
    """Scheme and host used for absolute URLs (Location, _links); None uses the request's."""
    store: str | None = None
    """Where state lives: None or "memory" (this process), or a ``redis://`` URL (shared by
    every worker and host pointed at it, kept across restarts)."""
    max_tenants: int = 10_000
    """Tenants kept at most; past it, the least recently used of those made by any key of a
    sandbox-key shape are forgotten (never those of built-in or registered keys)."""
    tenant_ttl_seconds: int = 86_400
    """Such a tenant unused for this long is forgotten."""
    admin_token: str | None = None
    """Bearer token the control API (``/_sandbox``) requires; None leaves it open (loopback)."""
