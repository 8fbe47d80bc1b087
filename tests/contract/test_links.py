"""The specs carry the OpenAPI links the stateful phase follows."""

from __future__ import annotations

from invoice_sandbox.sandbox import build_sandbox
from invoice_sandbox.config import SandboxConfig

METHODS = ("get", "put", "post", "delete", "patch")


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _link_targets(spec: dict) -> set[str]:
    return {
        link["operationId"]
        for _, _, operation in _operations(spec)
        for response in operation.get("responses", {}).values()
        for link in (response.get("links") or {}).values()
        if "operationId" in link
    }


def test_every_operation_on_an_existing_resource_is_reachable_by_a_link(provider_name):
    """Stateful scenarios reach ``/invoices/{id}...`` with real ids, not random ones."""
    spec = build_sandbox(SandboxConfig(providers=(provider_name,))).specs[provider_name]
    targets = _link_targets(spec)
    unreachable = [
        f"{method.upper()} {path}" for path, method, operation in _operations(spec)
        if "{" in path and operation["operationId"] not in targets
    ]
    assert unreachable == []
