"""Every transition of the lifecycle, through the vendor's endpoints and the sandbox clock
(both flavours, responses validated): issue, mark as paid (in part, in full), void, and the
time-based ones derived on read (scheduled -> issued at issueDate, issued -> overdue after
dueDate)."""

import pytest

from invoice_sandbox.providers.lineitems import billing

from .conftest import (DAY, ROOT, UPCOMING, act, add_line, advance, create_invoice, get_invoice,
                       seed)


def test_the_state_machine_is_one_table_of_actions_and_one_of_time():
    assert ("draft", "issue", "issued") in [row[:3] for row in billing.TRANSITIONS]
    assert [(r.source, r.target, r.at) for r in billing.TIME_TRANSITIONS] == [
        ("scheduled", "issued", "issueDate"), ("issued", "overdue", "dueDate")]
    assert {row.target for row in billing.TRANSITIONS} <= billing.STATUSES


def test_a_draft_issued_gets_its_issue_date_now_and_is_due_in_30_days(client, auth):
    draft = create_invoice(client, auth).json()
    issued = act(client, auth, draft["id"], "issue")
    assert issued.status_code == 200, issued.text
    body = issued.json()
    assert body["status"] == "issued"
    assert body["issueDate"] == "2024-01-01T00:00:00Z"
    assert body["dueDate"] == "2024-01-31T00:00:00Z"
    assert body["updatedAt"] == "2024-01-01T00:00:00Z"
    assert body["lineItems"] == draft["lineItems"] and body["total"] == "301"
    assert get_invoice(client, auth, draft["id"]) == body


def test_issuing_keeps_a_due_date_the_invoice_already_has(client, auth):
    draft = create_invoice(client, auth, dueDate="2024-03-15T00:00:00Z").json()
    assert act(client, auth, draft["id"], "issue").json()["dueDate"] == "2024-03-15T00:00:00Z"


@pytest.mark.parametrize("status", ["upcoming", "pending_approval", "scheduled"])
def test_an_invoice_not_yet_issued_can_be_issued_now(client, auth, status):
    seed(client, {"id": "ToIssueA", "status": status, "issueDate": "2024-06-01T00:00:00Z",
                  "dueDate": None})
    body = act(client, auth, "ToIssueA", "issue").json()
    assert body["status"] == "issued" and body["issueDate"] == "2024-01-01T00:00:00Z"


def test_the_seeded_upcoming_invoice_can_be_issued(client, auth):
    body = act(client, auth, UPCOMING, "issue").json()
    assert (body["status"], body["dueDate"]) == ("issued", "2024-02-23T00:00:00Z")


def test_marking_paid_without_a_body_pays_everything_that_remains(client, auth):
    invoice = act(client, auth, create_invoice(client, auth).json()["id"], "issue").json()
    paid = act(client, auth, invoice["id"], "mark-as-paid")
    assert paid.status_code == 200, paid.text
    body = paid.json()
    assert (body["status"], body["amountPaid"], body["amountRemaining"]) == ("paid", "301", "0")
    assert body["paidDate"] == "2024-01-01T00:00:00Z"


def test_a_partial_payment_keeps_the_invoice_issued_and_the_rest_settles_it(client, auth):
    invoice = act(client, auth, create_invoice(client, auth).json()["id"], "issue").json()
    part = act(client, auth, invoice["id"], "mark-as-paid",
               {"amountPaid": "100.25", "externalPaymentSource": "bank_transfer",
                "externalPaymentNote": "Wire ref TXN-1"}).json()
    assert (part["status"], part["amountPaid"], part["amountRemaining"]) == (
        "issued", "100.25", "200.75")
    assert "paidDate" not in part
    advance(client, 3600)
    rest = act(client, auth, invoice["id"], "mark-as-paid",
               {"amountPaid": "200.75", "paidDate": "2024-01-01T00:30:00+00:00"}).json()
    assert (rest["status"], rest["amountPaid"], rest["amountRemaining"]) == ("paid", "301", "0")
    assert rest["paidDate"] == "2024-01-01T00:30:00Z"
    assert rest["updatedAt"] == "2024-01-01T01:00:00Z"


def test_amounts_stay_exact_decimal_strings_through_payments(client, auth):
    lines = [{"description": "Usage", "quantity": "3", "unitPrice": "0.0001"}]
    invoice = create_invoice(client, auth, lineItems=lines, autoIssue=True).json()
    part = act(client, auth, invoice["id"], "mark-as-paid", {"amountPaid": "0.00010"}).json()
    assert (part["amountPaid"], part["amountRemaining"]) == ("0.0001", "0.0002")


@pytest.mark.parametrize("paid_first", [False, True])
def test_an_issued_invoice_can_be_voided_paid_in_part_or_not(client, auth, paid_first):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    if paid_first:
        act(client, auth, invoice["id"], "mark-as-paid", {"amountPaid": "1"})
    advance(client, 60)
    voided = act(client, auth, invoice["id"], "void")
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["status"] == "void" and body["updatedAt"] == "2024-01-01T00:01:00Z"
    assert body["amountPaid"] == ("1" if paid_first else "0")
    assert get_invoice(client, auth, invoice["id"]) == body


def test_an_unpaid_invoice_is_overdue_once_the_clock_passes_its_due_date(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    assert invoice["dueDate"] == "2024-01-31T00:00:00Z"
    advance(client, 30 * DAY)  # exactly the due date: not yet overdue
    assert get_invoice(client, auth, invoice["id"])["status"] == "issued"
    advance(client, DAY)
    assert get_invoice(client, auth, invoice["id"])["status"] == "overdue"
    listed = client.get(f"{ROOT}/invoices", headers=auth, params={"limit": 100}).json()["items"]
    assert {i["id"]: i["status"] for i in listed}[invoice["id"]] == "overdue"
    advance(client, -DAY)  # the clock going back undoes it: nothing was stored
    assert get_invoice(client, auth, invoice["id"])["status"] == "issued"


def test_advancing_the_clock_31_days_makes_an_issued_invoice_overdue(client, auth):
    invoice = act(client, auth, create_invoice(client, auth).json()["id"], "issue").json()
    advance(client, 31 * DAY)
    assert get_invoice(client, auth, invoice["id"])["status"] == "overdue"


def test_an_overdue_invoice_can_be_paid_in_part_stays_overdue_then_paid(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    advance(client, 31 * DAY)
    part = act(client, auth, invoice["id"], "mark-as-paid", {"amountPaid": "1"}).json()
    assert (part["status"], part["amountRemaining"]) == ("overdue", "300")
    paid = act(client, auth, invoice["id"], "mark-as-paid").json()
    assert (paid["status"], paid["paidDate"]) == ("paid", "2024-02-01T00:00:00Z")
    advance(client, 365 * DAY)
    assert get_invoice(client, auth, invoice["id"])["status"] == "paid"


def test_an_overdue_invoice_can_be_voided(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    advance(client, 31 * DAY)
    assert act(client, auth, invoice["id"], "void").json()["status"] == "void"
    advance(client, 31 * DAY)
    assert get_invoice(client, auth, invoice["id"])["status"] == "void"


def test_a_scheduled_invoice_is_issued_at_its_issue_date_then_overdue(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True,
                             issueDate="2024-01-10T00:00:00Z").json()
    assert (invoice["status"], invoice["dueDate"]) == ("scheduled", "2024-02-09T00:00:00Z")
    advance(client, 9 * DAY - 1)
    assert get_invoice(client, auth, invoice["id"])["status"] == "scheduled"
    advance(client, 1)
    assert get_invoice(client, auth, invoice["id"])["status"] == "issued"
    advance(client, 31 * DAY)
    assert get_invoice(client, auth, invoice["id"])["status"] == "overdue"


def test_the_seeded_upcoming_invoice_does_not_move_with_the_clock(client, auth):
    advance(client, 400 * DAY)
    assert get_invoice(client, auth)["status"] == "upcoming"
    assert add_line(client, auth).status_code == 200


def test_a_fixture_issued_invoice_is_overdue_on_read_once_its_due_date_passed(client, auth):
    seed(client, {"id": "LateOneA", "status": "issued", "issueDate": "2023-11-01T00:00:00Z",
                  "dueDate": "2023-12-01T00:00:00Z"})
    assert get_invoice(client, auth, "LateOneA")["status"] == "overdue"


def test_the_whole_journey_create_add_issue_pay_part_and_rest_void_another_see_overdue(
        client, auth):
    draft = create_invoice(client, auth, lineItems=[]).json()
    assert add_line(client, auth, draft["id"], quantity="3", unitPrice="33.33").status_code == 200
    issued = act(client, auth, draft["id"], "issue").json()
    assert (issued["status"], issued["total"]) == ("issued", "99.99")
    part = act(client, auth, draft["id"], "mark-as-paid", {"amountPaid": "50"}).json()
    assert (part["status"], part["amountRemaining"]) == ("issued", "49.99")
    rest = act(client, auth, draft["id"], "mark-as-paid").json()
    assert (rest["status"], rest["amountPaid"], rest["amountRemaining"]) == ("paid", "99.99", "0")
    other = create_invoice(client, auth, autoIssue=True).json()
    assert act(client, auth, other["id"], "void").json()["status"] == "void"
    late = create_invoice(client, auth, autoIssue=True).json()
    advance(client, 31 * DAY)
    statuses = {i["id"]: i["status"] for i in client.get(
        f"{ROOT}/invoices", headers=auth, params={"limit": 100}).json()["items"]}
    assert [statuses[i] for i in (draft["id"], other["id"], late["id"])] == [
        "paid", "void", "overdue"]
