"""The request journal: every request to a provider, kept under its tenant, and read back.

An entry is written once per request by the web layer (``web/journal.py``) with one append;
the raw body text is kept and parsed only when read. Each tenant keeps its newest ``KEEP``
entries; ``seq`` orders entries across tenants. Requests refused before a tenant is known
(an unknown key, no key) go to one log per provider in ``GLOBAL``, also ``KEEP`` long, under
the key they presented: a flood of made-up keys cannot grow the sandbox.
"""

from __future__ import annotations

import json

from ..core.tenant import GLOBAL, Namespace
from ..store import Store
from .tenants import Tenants

JOURNAL = "journal"
"""The log name of journal entries in each tenant's namespace."""
SEQ = (GLOBAL, JOURNAL)
"""The counter every entry's ``seq`` is drawn from: one for the sandbox, so it orders entries
across tenants."""
KEEP = 1000
"""Entries kept per tenant; older ones are dropped."""
BODY_CHARS = 16_384
"""Characters of a request body kept; a longer body is cut there and says how long it was, so
a tenant's journal holds at most ``KEEP`` x ``BODY_CHARS`` characters of bodies."""


def body_text(body: bytes | None) -> str | None:
    """A request body as journal text, cut at ``BODY_CHARS``."""
    if body is None:
        return None
    text = body.decode("utf-8", "replace")
    if len(text) <= BODY_CHARS:
        return text
    return text[:BODY_CHARS] + f"... [cut: the body was {len(body)} bytes]"


def record(store: Store, ns: Namespace, entry: dict, *, tenant_known: bool = True) -> None:
    """Append one entry, its ``seq`` drawn as it is appended (so a log is in ``seq`` order);
    without a known tenant, to the provider's log of refused requests."""
    if tenant_known:
        store.log_append_numbered(ns, JOURNAL, entry, KEEP, counter=SEQ, field="seq")
    else:
        store.log_append_numbered(GLOBAL, refused_log(ns.provider), {**entry, "key": ns.tenant},
                                  KEEP, counter=SEQ, field="seq")


def refused_log(provider: str) -> str:
    return f"{JOURNAL}:refused:{provider}"


def parsed_body(entry: dict):
    """The recorded body as JSON when it was JSON, else its text; None when there was none."""
    text = entry.get("body")
    if not text:
        return None
    if "json" in (entry.get("contentType") or "").lower():
        try:
            return json.loads(text, parse_constant=_not_json)
        except (ValueError, RecursionError):
            pass
    return text


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


class JournalView:
    """Reading and clearing with filters (provider, key, operation, status)."""

    def __init__(self, store: Store, tenants: Tenants) -> None:
        self.store = store
        self.tenants = tenants

    def namespaces(self, provider: str | None, key: str | None) -> list[Namespace]:
        """Tenants whose entries match; an unknown provider, or a key that is neither
        accepted by the provider nor has entries, is a 404."""
        if provider is not None:
            self.tenants.tenancy(provider)
        recorded = [ns for ns in self.store.log_namespaces(JOURNAL)
                    if provider in (None, ns.provider) and key in (None, ns.tenant)]
        if provider is not None and key is not None and not recorded \
                and not self._refused(provider, key):
            self.tenants.address(provider, key)  # raises NotFound for an unknown tenant
        return recorded

    def entries(self, provider: str | None = None, key: str | None = None,
                operation: str | None = None, status: int | None = None) -> list[dict]:
        recorded = [(ns, entry) for ns in self.namespaces(provider, key)
                    for entry in self.store.log_read(ns, JOURNAL)]
        recorded += [(Namespace(name, entry["key"]), entry)
                     for name, entry in self._refused(provider, key)]
        found = [_public(ns, entry) for ns, entry in recorded
                 if operation in (None, entry["operationId"])
                 and status in (None, entry["status"])]
        return sorted(found, key=lambda e: e["seq"])

    def clear(self, provider: str | None = None, key: str | None = None) -> int:
        cleared = sum(self.store.log_clear(ns, JOURNAL) for ns in self.namespaces(provider, key))
        for name in self._providers(provider):
            log = refused_log(name)
            entries = self.store.log_read(GLOBAL, log)
            kept = [entry for entry in entries if key not in (None, entry["key"])]
            self.store.log_clear(GLOBAL, log)
            for entry in kept:
                self.store.log_append(GLOBAL, log, entry, KEEP)
            cleared += len(entries) - len(kept)
        return cleared

    def _providers(self, provider: str | None) -> list[str]:
        return [provider] if provider is not None else list(self.tenants.sandbox.providers)

    def _refused(self, provider: str | None, key: str | None) -> list[tuple[str, dict]]:
        return [(name, entry) for name in self._providers(provider)
                for entry in self.store.log_read(GLOBAL, refused_log(name))
                if key in (None, entry["key"])]


def _public(ns: Namespace, entry: dict) -> dict:
    public = {
        "seq": entry["seq"], "time": entry["time"], "provider": ns.provider, "key": ns.tenant,
        "method": entry["method"], "path": entry["path"], "query": entry["query"],
        "operationId": entry["operationId"], "status": entry["status"],
        "body": parsed_body(entry),
    }
    if entry.get("error"):
        public["error"] = entry["error"]
    return public
