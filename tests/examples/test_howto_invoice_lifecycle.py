"""Issue, pay, void and go past due with one line each: ``sandbox.invoices(provider)`` makes
the vendor's own calls (they show in the journal like any client's)."""

import pytest


@pytest.mark.invoice_sandbox(clock="2024-01-01T00:00:00Z")
def test_a_rebilly_invoice_is_paid_in_two_parts_and_another_goes_past_due(sandbox):
    rebilly, moves = sandbox.client("rebilly"), sandbox.invoices("rebilly")
    new = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
           "items": [{"type": "debit", "unitPrice": 50}]}
    paid, late = (rebilly.post("/invoices", json=new).json()["id"] for _ in range(2))

    moves.issue(paid)
    assert moves.pay(paid, amount=20)["status"] == "partially-paid"
    assert moves.pay(paid)["status"] == "paid"

    moves.issue(late, due="2024-01-15T00:00:00Z")
    moves.advance_past_due(late)  # past dueTime and Rebilly's 24 hours of grace
    assert rebilly.get(f"/invoices/{late}").json()["status"] == "past-due"


@pytest.mark.invoice_sandbox(clock="2024-01-01T00:00:00Z")
def test_a_line_items_invoice_is_voided_and_another_goes_overdue(sandbox):
    lineitems, moves = sandbox.client("lineitems"), sandbox.invoices("lineitems")
    new = {"accountId": "aBsZxlLh", "billingPeriodStart": "2024-01-01T00:00:00Z",
           "billingPeriodEnd": "2024-01-31T23:59:59Z",
           "lineItems": [{"description": "Setup", "quantity": "1", "unitPrice": "99.5"}]}
    mistake, late = (lineitems.post("/invoices", json=new).json()["id"] for _ in range(2))

    moves.issue(mistake)
    assert moves.void(mistake)["status"] == "void"

    moves.issue(late)
    moves.advance_past_due(late)
    assert lineitems.get(f"/invoices/{late}").json()["status"] == "overdue"
