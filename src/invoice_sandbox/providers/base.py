"""What a provider folder hands to the core: one ``Provider`` value, and the helpers they share.

Every provider folder has the same files with the same roles (copy one to add a vendor)::

    __init__.py   PROVIDER = Provider(...): name, URL root, key shape, the pieces below
    handlers.py   thin: one method per operationId; read params -> billing -> store -> body
    billing.py    pure rules: arithmetic, limits, which statuses allow what; no I/O, no clock
    records.py    stored records: kinds, builders from request bodies and fixtures, seeding
    wire.py       stored records -> the vendor's JSON (money format, links, wrapping)
    errors.py     render_error: any SandboxError -> the vendor's error body and status

A handler method receives ``tenant`` (a ``core.tenant.Tenant``, resolved once per request)
and, if it names it, ``api_root`` (the absolute URL root the client called), besides the
parameters Connexion passes. Writes go through ``store.transact`` so they are atomic.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from ..core.ids import ALPHANUMERIC
from ..core.tenant import Tenant
from ..errors import FieldError, InvalidFixture, NotFound, SandboxError
from ..store import Store, Transaction


class ErrorRenderer(Protocol):
    def __call__(self, error: SandboxError) -> tuple[dict, int, dict]:
        """(body, status, headers) in the vendor's error shape."""


@dataclass(frozen=True)
class RateLimitPolicy:
    limit: int
    window_seconds: int
    headers: Callable[[int, int, int, datetime], dict[str, str]]
    """(limit, remaining, seconds until reset, reset instant) -> headers on every response."""
    retry_headers: Callable[[int, datetime], dict[str, str]]
    """(seconds to wait, reset instant) -> extra headers on a 429."""


def retry_after_only(limit: int, window_seconds: int) -> RateLimitPolicy:
    """A policy for vendors that document no rate-limit headers: ``Retry-After`` on a 429."""
    return RateLimitPolicy(limit, window_seconds, headers=lambda *_: {},
                           retry_headers=lambda wait, _reset: {"Retry-After": str(wait)})


@dataclass(frozen=True)
class Provider:
    name: str
    """First path segment of every base path; also the fixtures folder and spec file name."""
    base_path: str
    """URL root the spec is served under (``/rebilly``); starts with ``/<name>``."""
    sandbox_key: re.Pattern
    """Keys matching this documented pattern are accepted without registration."""
    make_handlers: Callable[[Store], Any]
    """Returns an object whose methods are named after the spec's operationIds (snake_case)."""
    render_error: ErrorRenderer
    seed_tenant: Callable[[Transaction, Tenant, dict], None]
    """Loads one fixture document's ``data`` into a tenant, inside the caller's transaction;
    raises ``InvalidFixture`` for data it cannot load."""
    describe_tenant: Callable[[Store, Tenant], str]
    """One line for the start-up banner: what a new user can try with this tenant."""
    error_media_type: str = "application/json"
    root_aliases: tuple[str, ...] = ()
    """Regexes of other URL roots that stand for ``base_path`` (``/rebilly/organizations/[^/]+``)."""
    rate_limit: RateLimitPolicy | None = None
    """The vendor's rate limit and headers, applied only when rate limiting is switched on."""
    bearer_jwt: bool = False
    """Whether a well-formed, unexpired JWT is accepted as a Bearer credential."""
    fixture_schemas: dict = field(default_factory=dict)
    """For each list in fixture ``data`` (``"invoices"``), the OpenAPI schema every entry must
    satisfy (``$ref``s into the spec's components): fixtures obey the rules requests do."""
    home: Path | None = None
    """A folder holding ``<name>.yaml`` and ``fixtures/``, for a provider that ships its own
    (one living outside the package); None uses the built-in ``openapi/`` and ``fixtures/``."""


# -- helpers every provider uses --------------------------------------------------------------

def handler_name(operation_id: str) -> str:
    """The handler method serving an operation: ``PostInvoiceItem`` -> ``post_invoice_item``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def found(record: dict | None, missing: Callable[[], NotFound]) -> dict:
    """The record, or the vendor's ``NotFound`` (``missing()``) when there is none."""
    if record is None:
        raise missing()
    return record


def with_children(store: Store, tenant: Tenant, kind: str, record_id: str, children: str,
                  missing: Callable[[], NotFound]) -> tuple[dict, list[dict]]:
    """A record (an invoice) and the records of ``children`` (its items) as of one moment, even
    while others write."""
    record, listed = store.get_and_list(tenant.ns, kind, record_id, children)
    return found(record, missing), listed


def drop_all(tx: Transaction, kind: str) -> None:
    """Forget every record of ``kind``: an invoice's items, before a fixture replaces it."""
    for record in tx.list(kind):
        tx.delete(kind, record["id"])


def seeded_chars(tx: Transaction, tenant: Tenant, prefix: str, length: int = 10,
                 alphabet: str = ALPHANUMERIC) -> str:
    """``prefix`` and ``length`` seeded characters, from the tenant's id counter."""
    return prefix + tenant.ids.chars(tenant.label, tx.next_number("ids"), alphabet, length)


def seeded_ulid(tx: Transaction, tenant: Tenant, prefix: str) -> str:
    """``prefix`` and a ULID stamped with the request's instant, from the tenant's id counter."""
    return prefix + tenant.ids.ulid(tenant.label, tx.next_number("ids"), tenant.now)


def fixture_status(fields: dict, default: str, statuses: frozenset[str]) -> str:
    """A fixture entry's ``status``: one the vendor documents, or a ``ValueError``."""
    status = fields.get("status", default)
    if status not in statuses:
        raise ValueError(f"status {status!r} is not one of {', '.join(sorted(statuses))}")
    return status


def known_status(status: int, known: dict | frozenset) -> int:
    """A status the vendor's renderer knows; anything else is a 500 (kept when already 5xx)."""
    if status in known:
        return status
    return status if status >= 500 else 500


@contextmanager
def fixture_entry(what: str, fields: object) -> Iterator[None]:
    """Turn what untyped fixture data provokes (a missing key, a bad value or type) into
    ``InvalidFixture`` naming the entry; anything else stays the bug it is."""
    name = fields.get("id", "?") if isinstance(fields, dict) else "?"
    try:
        if not isinstance(fields, dict):
            raise TypeError(f"expected a mapping, got {type(fields).__name__}")
        yield
    except KeyError as exc:
        raise InvalidFixture([FieldError("data", f"{what} {name!r}: missing {exc}")]) from None
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise InvalidFixture([FieldError("data", f"{what} {name!r}: {exc}")]) from None
