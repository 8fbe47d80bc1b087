"""Each test has its own tenant: what one test writes, no other test sees (also with -n 2)."""

import pytest


@pytest.mark.parametrize("attempt", [1, 2])
def test_every_test_starts_from_the_fixtures(sandbox, attempt):
    lineitems = sandbox.client("lineitems")
    assert len(lineitems.get("/invoices/oQLSmmnn").json()["lineItems"]) == 2

    lineitems.post("/invoices/oQLSmmnn/line-items",
                   json={"description": f"Attempt {attempt}", "quantity": "1", "unitPrice": "1"})

    assert len(lineitems.get("/invoices/oQLSmmnn").json()["lineItems"]) == 3
