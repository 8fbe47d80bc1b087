"""``POST /invoices``: a one-off invoice, a draft unless ``autoIssue``; exact decimal lines."""

import re

import pytest

from .conftest import ROOT, create_invoice, get_invoice


def test_a_new_invoice_is_a_draft_with_its_lines_and_exact_totals(client, auth):
    response = create_invoice(client, auth, description="Implementation", lineItems=[
        {"description": "Setup", "quantity": "2", "unitPrice": "150.50"},
        {"description": "Discount", "quantity": "1", "unitPrice": "-0.5"}])
    assert response.status_code == 200, response.text
    body = response.json()
    assert re.fullmatch(r"[A-Za-z]{8}", body["id"])
    assert (body["status"], body["issueDate"], body["dueDate"]) == ("draft", None, None)
    assert (body["subtotal"], body["tax"], body["total"]) == ("300.5", "0", "300.5")
    assert (body["amountPaid"], body["amountRemaining"]) == ("0", "300.5")
    assert body["currency"] == "USD" and body["description"] == "Implementation"
    assert body["billingPeriod"] == "Jan 1, 2024 - Jan 31, 2024"
    assert [(i["unitPrice"], i["totalPrice"], i["isEditable"]) for i in body["lineItems"]] == [
        ("150.5", "301", True), ("-0.5", "-0.5", True)]
    assert body["createdAt"] == body["updatedAt"] == "2024-01-01T00:00:00Z"
    assert "autoIssue" not in body and "paidDate" not in body
    assert get_invoice(client, auth, body["id"]) == body


def test_a_new_invoice_without_lines_or_memo_gets_the_default_description(client, auth):
    body = create_invoice(client, auth, lineItems=[], currency="EUR").json()
    assert body["lineItems"] == [] and body["total"] == "0" and body["currency"] == "EUR"
    assert body["description"] == "Invoice for period January 1, 2024 to January 31, 2024"


@pytest.mark.parametrize("issue_date, status, issued_at, due", [
    (None, "issued", "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z"),
    ("2023-12-20T08:00:00Z", "issued", "2023-12-20T08:00:00Z", "2024-01-19T08:00:00Z"),
    ("2024-01-01T00:00:00Z", "issued", "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z"),
    ("2024-01-15T00:00:00Z", "scheduled", "2024-01-15T00:00:00Z", "2024-02-14T00:00:00Z"),
])
def test_auto_issue_issues_now_or_schedules_for_the_issue_date(
        client, auth, issue_date, status, issued_at, due):
    fields = {"autoIssue": True} | ({"issueDate": issue_date} if issue_date else {})
    body = create_invoice(client, auth, **fields).json()
    assert (body["status"], body["issueDate"], body["dueDate"]) == (status, issued_at, due)


def test_a_draft_keeps_the_issue_and_due_dates_it_was_given(client, auth):
    body = create_invoice(client, auth, issueDate="2024-02-01T00:00:00Z",
                          dueDate="2024-03-01T00:00:00Z").json()
    assert (body["status"], body["issueDate"], body["dueDate"]) == (
        "draft", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z")


def test_a_due_date_near_the_end_of_the_calendar_is_held_there(client, auth):
    body = create_invoice(client, auth, autoIssue=True,
                          issueDate="9999-12-20T00:00:00Z").json()
    assert body["dueDate"] == "9999-12-31T23:59:59.999999Z"


def test_created_invoices_are_listed_after_the_fixtures(client, auth):
    created = create_invoice(client, auth).json()
    listed = client.get(f"{ROOT}/invoices", headers=auth, params={"limit": 100}).json()
    assert listed["items"][-1]["id"] == created["id"]
    assert listed["items"][-1]["status"] == "draft"
