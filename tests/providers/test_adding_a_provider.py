"""One folder plus one registry line is all a new provider takes (``tests/providers/tiny``)."""

import pytest

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.providers import registry

from ..contract.invariant import totals_problems

TINY = "tests.providers.tiny"
AUTH = {"Authorization": "Bearer tk_one"}


@pytest.fixture
def tiny_registered(monkeypatch):
    """The one registry line, added for the test."""
    monkeypatch.setattr(registry, "PROVIDER_MODULES", (*registry.PROVIDER_MODULES, TINY))


@pytest.mark.parametrize("flavor", ["async", "flask"])
def test_a_provider_folder_and_a_registry_line_serve_a_new_vendor(tiny_registered, flavor):
    app = create_app(SandboxConfig(seed=1, clock="2024-01-01T00:00:00Z", flavor=flavor,
                                   validate_responses=True))
    with app.test_client() as client:
        created = client.post("/tiny/invoices", headers=AUTH, json={"lines": [5, 7]})
        assert created.status_code == 201 and created.json()["total"] == 12
        invoice_id = created.json()["id"]
        assert client.get(f"/tiny/invoices/{invoice_id}", headers=AUTH).json()["lines"] == [5, 7]
        assert client.get("/tiny/invoices/ti_seeded", headers=AUTH).json()["total"] == 350
        missing = client.get("/tiny/invoices/nope", headers=AUTH)
        assert missing.status_code == 404 and missing.json() == {"error": "no invoice nope"}
        refused = client.post("/tiny/invoices", headers=AUTH, json={"lines": ["x"]})
        assert refused.status_code == 422 and "error" in refused.json()
        assert client.get("/tiny/invoices/ti_seeded").status_code == 401
        journal = client.get("/_sandbox/journal", params={"provider": "tiny", "key": "tk_one"})
        assert [e["status"] for e in journal.json()["entries"]] == [201, 200, 200, 404, 422]


@pytest.mark.parametrize("flavor", ["async", "flask"])
def test_a_documented_route_marked_not_emulated_answers_501_naming_it(tiny_registered, flavor):
    app = create_app(SandboxConfig(seed=1, flavor=flavor, validate_responses=True))
    with app.test_client() as client:
        answer = client.post("/tiny/invoices/ti_seeded/void", headers=AUTH)
        assert answer.status_code == 501
        assert answer.json() == {"error": "POST /invoices/{id}/void is documented by the vendor "
                                          "but not emulated by the sandbox."}
        assert client.post("/tiny/invoices/ti_seeded/void").status_code == 401


def test_the_billing_invariant_fails_for_a_provider_without_rules():
    [problem] = totals_problems("tiny", b'{"id": "ti_1", "lines": [1], "total": 1}')
    assert "no billing rules for 'tiny'" in problem
