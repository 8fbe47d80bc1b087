from tests.control.conftest import REBILLY, REBILLY_KEY, assert_problem, create_invoice


def count_invoices(client, key=REBILLY_KEY) -> int:
    return len(client.get("/rebilly/invoices", headers={"REB-APIKEY": key}).json())


def test_resetting_a_tenant_brings_back_its_fixtures_and_leaves_others_alone(client):
    create_invoice(client)
    create_invoice(client, "sk_sandbox_other")
    response = client.post("/_sandbox/reset", params=REBILLY)
    assert response.json() == {"scope": "tenant", **REBILLY}
    assert count_invoices(client) == 3 and count_invoices(client, "sk_sandbox_other") == 4


def test_resetting_everything_forgets_every_tenant_and_setting(client):
    create_invoice(client, "sk_sandbox_other")
    client.put("/_sandbox/clock", json={"now": "2031-01-01T00:00:00Z"})
    assert client.post("/_sandbox/reset").json() == {"scope": "sandbox"}
    assert client.get("/_sandbox/journal").json() == {"entries": []}
    assert client.get("/_sandbox/clock").json()["setBy"] == "config"
    assert count_invoices(client, "sk_sandbox_other") == 3


def test_a_reset_needs_provider_and_key_together_and_a_known_tenant(client):
    assert_problem(client.post("/_sandbox/reset", params={"key": REBILLY_KEY}), 422, "provider")
    assert_problem(client.post("/_sandbox/reset", params={"provider": "paypal", "key": "k"}), 404)
    assert_problem(client.post("/_sandbox/reset", params={"provider": "rebilly", "key": "k"}), 404)
