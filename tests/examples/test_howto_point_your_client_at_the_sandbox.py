"""Your own client, configured like production but with the sandbox's URL and key."""

import httpx


def test_a_real_http_client_talks_to_the_live_sandbox(sandbox):
    client = httpx.Client(base_url=sandbox.url("billingrails"),
                          headers={"Authorization": f"Bearer {sandbox.api_key('billingrails')}"})

    response = client.get("/invoices/inv_DraftUSD01")  # seeded by the default fixtures

    assert response.status_code == 200
    assert response.json()["invoice"]["total_amount"] == 1000
