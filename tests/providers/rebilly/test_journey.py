"""The issue's "done when", as a client written from Rebilly's docs would do it: create a
draft, add items, issue it, pay part and then the rest, void another, advance the sandbox
clock past a due date and see past-due."""

from __future__ import annotations

from .conftest import DAY, NEW, ROOT, advance


def test_a_draft_is_issued_paid_in_two_parts_another_voided_a_third_goes_past_due(
        client, auth):
    def post(path, body=None):
        response = client.post(f"{ROOT}{path}", headers=auth, json=body)
        assert response.status_code in (200, 201), response.text
        return response.json()

    invoice = post("/invoices", NEW)
    post(f"/invoices/{invoice['id']}/items", {"type": "debit", "unitPrice": 60, "quantity": 2})
    issued = post(f"/invoices/{invoice['id']}/issue", {"dueTime": "2024-01-15T00:00:00Z"})
    assert (issued["status"], issued["amountDue"]) == ("unpaid", 120)

    sale = {"type": "sale", "isProcessedOutside": True, "customerId": "cus_1",
            "websiteId": "web_1", "currency": "USD"}
    deposit = post("/transactions", {**sale, "amount": 20})
    part = post(f"/invoices/{invoice['id']}/transaction", {"transactionId": deposit["id"]})
    assert (part["status"], part["amountDue"]) == ("partially-paid", 100)
    post("/transactions", {**sale, "amount": 100, "invoiceIds": [invoice["id"]]})
    paid = client.get(f"{ROOT}/invoices/{invoice['id']}", headers=auth).json()
    assert (paid["status"], paid["amountDue"], paid["paidTime"]) == (
        "paid", 0, "2024-01-01T00:00:00Z")

    mistake = post("/invoices", NEW)
    assert post(f"/invoices/{mistake['id']}/void")["status"] == "voided"

    overdue = post("/invoices", {**NEW, "items": [{"type": "debit", "unitPrice": 5}]})
    post(f"/invoices/{overdue['id']}/issue", {"dueTime": "2024-01-15T00:00:00Z"})
    advance(client, 31 * DAY)
    statuses = {i["id"]: i["status"] for i in client.get(f"{ROOT}/invoices", headers=auth).json()}
    assert (statuses[invoice["id"]], statuses[mistake["id"]], statuses[overdue["id"]]) == (
        "paid", "voided", "past-due")
