"""The handle the ``sandbox`` fixture gives each test (this suite uses the plugin too)."""

import asyncio
from pathlib import Path

import httpx
import pytest

from invoice_sandbox.testing import ControlError, SandboxHandle

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
ITEM = {"type": "debit", "unitPrice": 3, "quantity": 2}


def test_each_provider_gets_a_key_of_its_shape_and_its_auth_header(sandbox):
    assert sandbox.api_key("rebilly").startswith("sk_sandbox_t")
    assert sandbox.headers("rebilly") == {"REB-APIKEY": sandbox.api_key("rebilly")}
    assert sandbox.headers("billingrails") == {
        "Authorization": f"Bearer {sandbox.api_key('billingrails')}"}
    assert sandbox.url("lineitems").endswith("/lineitems")


def test_the_in_process_and_live_clients_share_the_tenant(sandbox):
    created = sandbox.client("rebilly").post("/invoices", json={
        "customerId": "c", "websiteId": "w", "currency": "USD"})
    live = sandbox.live_client("rebilly").get(f"/invoices/{created.json()['id']}")
    assert created.status_code == 201 and live.status_code == 200


def test_the_async_transport_calls_the_app_in_process(sandbox):
    async def list_invoices():
        async with httpx.AsyncClient(transport=sandbox.asgi_transport(), base_url="http://sandbox",
                                     headers=sandbox.headers("lineitems")) as client:
            return await client.get("/lineitems/invoices")

    assert asyncio.run(list_invoices()).status_code == 200


@pytest.mark.invoice_sandbox(providers=["billingrails"], fixtures=False)
def test_seeding_from_a_fixture_file_or_a_dict(sandbox):
    assert sandbox.seed("billingrails", FIXTURES / "billingrails" / "default.yaml") == {
        "accounts": 2, "invoices": 6}
    extra = {"id": "acc_Extra00001", "name": "X", "email": "x@example.com"}
    sandbox.seed("billingrails", {"accounts": [extra]})
    account = sandbox.client("billingrails").get("/accounts/acc_Extra00001")
    assert account.json()["account"]["name"] == "X"


def test_seeding_bad_data_raises_the_control_apis_problem(sandbox):
    with pytest.raises(ControlError) as refused:
        sandbox.seed("rebilly", {"invoices": [{"no": "id"}]})
    assert refused.value.status == 422 and "'id' is a required property" in refused.value.problem["detail"]


def test_the_journal_shows_this_tenants_requests_only(sandbox, invoice_sandbox_server):
    other = SandboxHandle.create(invoice_sandbox_server)
    other.client("rebilly").get("/invoices")
    client = sandbox.client("rebilly")
    client.get("/invoices")
    client.get("/invoices/in_nope")
    assert [e["status"] for e in sandbox.journal()] == [200, 404]
    assert [e["path"] for e in sandbox.journal(status=404)] == ["/rebilly/invoices/in_nope"]
    assert sandbox.journal(provider="lineitems") == []
    sandbox.clear_journal()
    assert sandbox.journal() == [] and len(other.journal()) == 1
    other.close()


def test_the_clock_freezes_advances_and_runs_again(sandbox):
    frozen = sandbox.clock.freeze("2024-02-29T12:00:00Z")
    assert sandbox.clock.advance(60).isoformat() == "2024-02-29T12:01:00+00:00"
    created = sandbox.client("lineitems").post("/invoices/oQLSmmnn/line-items", json={
        "description": "Usage", "quantity": "1", "unitPrice": "1"})
    assert created.json()["updatedAt"] == "2024-02-29T12:01:00Z"
    assert sandbox.clock.unfreeze() >= frozen


def test_resetting_the_tenant_brings_back_its_fixtures(sandbox):
    client = sandbox.client("lineitems")
    client.post("/invoices/oQLSmmnn/line-items", json={
        "description": "Usage", "quantity": "1", "unitPrice": "1"})
    sandbox.reset()
    assert len(client.get("/invoices/oQLSmmnn").json()["lineItems"]) == 2


def test_a_provider_the_tenant_lacks_is_a_clear_error(sandbox):
    with pytest.raises(KeyError, match="marker|providers"):
        sandbox.url("stripe")
