"""Reading and clearing the request journal with filters (provider, key, operation, status)."""

from __future__ import annotations

from ..journal import JOURNAL, parsed_body
from ..store import Namespace, Store
from .tenants import Tenants


class JournalView:
    def __init__(self, store: Store, tenants: Tenants) -> None:
        self.store = store
        self.tenants = tenants

    def namespaces(self, provider: str | None, key: str | None) -> list[Namespace]:
        """Tenants whose entries match; an unknown provider, or a key that is neither
        accepted by the provider nor has entries, is a 404."""
        if provider is not None:
            self.tenants.tenancy(provider)
        recorded = [ns for ns in self.store.namespaces(JOURNAL)
                    if provider in (None, ns.provider) and key in (None, ns.tenant)]
        if provider is not None and key is not None and not recorded:
            self.tenants.address(provider, key)  # raises NotFound for an unknown tenant
        return recorded

    def entries(self, provider: str | None = None, key: str | None = None,
                operation: str | None = None, status: int | None = None) -> list[dict]:
        found = []
        for ns in self.namespaces(provider, key):
            for entry in self.store.list(ns, JOURNAL):
                if operation not in (None, entry["operationId"]):
                    continue
                if status not in (None, entry["status"]):
                    continue
                found.append(_public(ns, entry))
        return sorted(found, key=lambda e: e["seq"])

    def clear(self, provider: str | None = None, key: str | None = None) -> int:
        return sum(self.store.clear(ns, JOURNAL) for ns in self.namespaces(provider, key))


def _public(ns: Namespace, entry: dict) -> dict:
    return {
        "seq": entry["seq"], "time": entry["time"], "provider": ns.provider, "key": ns.tenant,
        "method": entry["method"], "path": entry["path"], "query": entry["query"],
        "operationId": entry["operationId"], "status": entry["status"],
        "body": parsed_body(entry),
    }
