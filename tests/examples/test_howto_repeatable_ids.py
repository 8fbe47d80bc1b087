"""A fixed tenant id, id seed and clock give the same ids on every run (for snapshots)."""

import pytest


@pytest.mark.invoice_sandbox(providers=["rebilly"], tenant="snapshot", seed=1,
                             clock="2024-01-01T00:00:00Z")
def test_created_ids_are_the_same_on_every_run(sandbox):
    invoice = sandbox.client("rebilly").post("/invoices", json={
        "customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}).json()

    assert invoice["id"] == "in_01HK153X00FDNVYEHZ3152WH6F"
