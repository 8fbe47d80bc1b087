"""A ceiling on tenants: idle and least recently used auto-created tenants are forgotten."""

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.core.tenant import GLOBAL, Namespace
from invoice_sandbox.store import MemoryStore
from invoice_sandbox.tenancy.registry import TENANTS, TenantRegistry

DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"


class Wall:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_past_the_ceiling_the_least_recently_used_tenants_are_forgotten():
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z", max_tenants=3))
    with app.test_client() as client:
        for n in range(5):
            assert client.get(f"/rebilly/invoices/{DRAFT}",
                              headers={"REB-APIKEY": f"sk_sandbox_t{n}"}).status_code == 200
    store = app.sandbox.store
    keys = sorted(e["key"] for e in store.list(GLOBAL, TENANTS) if not e["pinned"])
    assert len(keys) <= 3 and "sk_sandbox_t4" in keys
    assert store.get(Namespace("rebilly", "sk_sandbox_t0"), "invoices", DRAFT) is None


def test_idle_tenants_are_forgotten_and_pinned_ones_never():
    store, wall = MemoryStore(), Wall()
    registry = TenantRegistry(store, max_tenants=10, ttl_seconds=100, wall_clock=wall)
    idle, busy, builtin = (Namespace("rebilly", k) for k in ("sk_sandbox_a", "sk_sandbox_b",
                                                            "sk_sandbox_demo"))
    for ns in (idle, busy, builtin):
        store.put(ns, "invoices", "x", {"id": "x"})
        registry.claimed(ns, pinned=ns is builtin)
    wall.now += 90
    registry.used(busy, last_touch=None, pinned=False)
    wall.now += 20
    assert registry.sweep() == [idle]
    assert store.get(idle, "invoices", "x") is None
    assert store.get(busy, "invoices", "x") and store.get(builtin, "invoices", "x")
    wall.now += 10_000
    assert registry.sweep() == [busy]


def test_a_forgotten_tenant_starts_again_from_its_fixtures():
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z", max_tenants=1))
    headers = {"REB-APIKEY": "sk_sandbox_again"}
    with app.test_client() as client:
        client.post(f"/rebilly/invoices/{DRAFT}/items", headers=headers,
                    json={"type": "debit", "unitPrice": 5})
        client.get(f"/rebilly/invoices/{DRAFT}", headers={"REB-APIKEY": "sk_sandbox_other"})
        items = client.get(f"/rebilly/invoices/{DRAFT}/items", headers=headers).json()
    assert len(items) == 1  # the fixture's one item; the added one went with the tenant


def test_a_tenant_returning_after_its_ttl_is_served_and_not_evicted_by_its_own_request():
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z", tenant_ttl_seconds=100))
    wall = Wall()
    app.sandbox.registry.wall_clock = wall
    headers = {"REB-APIKEY": "sk_sandbox_back"}
    with app.test_client() as client:
        client.post(f"/rebilly/invoices/{DRAFT}/items", headers=headers,
                    json={"type": "debit", "unitPrice": 5})
        wall.now += 10_000
        items = client.get(f"/rebilly/invoices/{DRAFT}/items", headers=headers).json()
    assert len(items) == 2  # its fixture item and the one it added


def test_loading_a_fixture_over_an_invoice_replaces_its_items():
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z"))
    params = {"provider": "rebilly", "key": "sk_sandbox_over"}
    invoice = {"id": DRAFT, "customerId": "c", "websiteId": "w", "currency": "USD",
               "items": [{"type": "debit", "unitPrice": 5}]}
    with app.test_client() as client:
        loaded = client.post("/_sandbox/fixtures", params=params,
                             json={"data": {"invoices": [invoice]}})
        body = client.get(f"/rebilly/invoices/{DRAFT}",
                          headers={"REB-APIKEY": "sk_sandbox_over"}).json()
    assert loaded.status_code == 200
    assert body["amount"] == 5 and [i["price"] for i in body["items"]] == [5]
