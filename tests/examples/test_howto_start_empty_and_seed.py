"""An empty tenant, then exactly the data this test needs."""

import pytest


@pytest.mark.invoice_sandbox(providers=["billingrails"], fixtures=False)
def test_a_paid_invoice_refuses_new_items(sandbox):
    sandbox.seed("billingrails", {
        "accounts": [{"id": "acc_Example001", "name": "Ada", "email": "ada@example.com"}],
        "invoices": [{"id": "inv_Paid000001", "account_id": "acc_Example001", "currency": "USD",
                      "status": "paid", "paid_amount": 900,
                      "items": [{"name": "Plan", "quantity": 1, "unit_amount": 900}]}],
    })

    response = sandbox.client("billingrails").post(
        "/invoices/inv_Paid000001/items", json={"name": "Extra", "quantity": 1, "unit_amount": 100})

    assert response.status_code == 409
