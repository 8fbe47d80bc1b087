"""The `sandbox` fixture: a fresh tenant for this test, called in-process (no socket)."""


def test_adding_an_item_updates_the_invoice_total(sandbox):
    rebilly = sandbox.client("rebilly")  # base URL and REB-APIKEY header already set
    invoice = rebilly.post("/invoices", json={
        "customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}).json()

    rebilly.post(f"/invoices/{invoice['id']}/items",
                 json={"type": "debit", "unitPrice": 10.10, "quantity": 3})

    assert rebilly.get(f"/invoices/{invoice['id']}").json()["amount"] == 30.30
