"""Every refusal of the lifecycle: the vendor's error (status, one body shape) and nothing
changed. 422 for an action the invoice's status (as of the sandbox clock) forbids, 400 naming
the field for a bad request, 404 for an unknown invoice."""

import pytest

from .conftest import (DAY, DRAFT_EUR, PAID, ROOT, UPCOMING, VOID, act, add_line, advance,
                       assert_refused, create_invoice, get_invoice, seed)

STORED = ["draft", "upcoming", "pending_approval", "scheduled", "processing", "issuing",
          "issued", "overdue", "paid", "void", "canceled"]
ALLOWED = {
    "issue": {"draft", "upcoming", "pending_approval", "scheduled"},
    "mark-as-paid": {"issued", "overdue"},
    "void": {"issued", "overdue"},
}
REFUSALS = [(action, status) for action in ALLOWED for status in STORED
            if status not in ALLOWED[action]]


@pytest.mark.parametrize("action, status", REFUSALS)
def test_an_action_the_status_forbids_is_422_and_changes_nothing(client, auth, action, status):
    seed(client, {"id": "Refused1", "status": status, "issueDate": "2024-06-01T00:00:00Z",
                  "dueDate": "2024-07-01T00:00:00Z"})
    before = get_invoice(client, auth, "Refused1")
    body = assert_refused(act(client, auth, "Refused1", action), 422, before, client, auth)
    assert body["errors"] == [] and f"is {status}" in body["detail"]


@pytest.mark.parametrize("action", ["issue", "mark-as-paid", "void"])
def test_an_unknown_invoice_is_404_in_the_vendor_shape(client, auth, action):
    body = assert_refused(act(client, auth, "NoSuchOne", action), 404, None, client, auth)
    assert body["detail"] == "Invoice NoSuchOne not found."


@pytest.mark.parametrize("action", ["mark-as-paid", "void"])
def test_a_draft_cannot_be_paid_or_voided(client, auth, action):
    before = get_invoice(client, auth, DRAFT_EUR)
    assert_refused(act(client, auth, DRAFT_EUR, action), 422, before, client, auth)


@pytest.mark.parametrize("invoice", [PAID, VOID])
@pytest.mark.parametrize("action", ["issue", "mark-as-paid", "void"])
def test_the_seeded_paid_and_void_invoices_take_no_action(client, auth, invoice, action):
    before = get_invoice(client, auth, invoice)
    assert_refused(act(client, auth, invoice, action), 422, before, client, auth)


def test_an_issued_invoice_cannot_be_issued_again_even_once_overdue(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    assert_refused(act(client, auth, invoice["id"], "issue"), 422, invoice, client, auth)
    advance(client, 31 * DAY)
    before = get_invoice(client, auth, invoice["id"])
    body = assert_refused(act(client, auth, invoice["id"], "issue"), 422, before, client, auth)
    assert "is overdue" in body["detail"]


def test_a_scheduled_invoice_cannot_be_paid_until_its_issue_date(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True,
                             issueDate="2024-01-05T00:00:00Z").json()
    assert_refused(act(client, auth, invoice["id"], "mark-as-paid"), 422, invoice, client, auth)
    advance(client, 4 * DAY)
    assert act(client, auth, invoice["id"], "mark-as-paid").json()["status"] == "paid"


def test_paying_more_than_remains_is_422_and_changes_nothing(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    act(client, auth, invoice["id"], "mark-as-paid", {"amountPaid": "300"})
    before = get_invoice(client, auth, invoice["id"])
    body = assert_refused(act(client, auth, invoice["id"], "mark-as-paid",
                              {"amountPaid": "1.0000000001"}), 422, before, client, auth)
    assert "exceeds the amount remaining" in body["detail"]
    assert "(1)" in body["detail"]  # amounts written as the API writes them: "1", not "1.0"


def test_lines_cannot_be_added_once_issued_or_overdue(client, auth):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    assert_refused(add_line(client, auth, invoice["id"]), 422, invoice, client, auth)
    advance(client, 31 * DAY)
    before = get_invoice(client, auth, invoice["id"])
    assert_refused(add_line(client, auth, invoice["id"]), 422, before, client, auth)


def test_a_scheduled_invoice_reads_as_issued_and_takes_no_lines_after_its_issue_date(
        client, auth):
    seed(client, {"id": "Sched001", "status": "scheduled", "issueDate": "2024-01-02T00:00:00Z"})
    advance(client, DAY)
    before = get_invoice(client, auth, "Sched001")
    assert before["status"] == "issued"
    assert_refused(add_line(client, auth, "Sched001"), 422, before, client, auth)


@pytest.mark.parametrize("body, field", [
    ({"amountPaid": "0"}, "amountPaid"),
    ({"amountPaid": "0.0"}, "amountPaid"),
    ({"paidDate": "0001-01-01T00:00:00+01:00"}, "paidDate"),
])
def test_a_zero_payment_or_an_instant_out_of_range_is_422_naming_the_field(
        client, auth, body, field):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    assert_refused(act(client, auth, invoice["id"], "mark-as-paid", body), 422, invoice,
                   client, auth, field)


@pytest.mark.parametrize("body, field", [
    ({"amountPaid": "-1"}, "amountPaid"),
    ({"amountPaid": 100}, "amountPaid"),
    ({"amountPaid": "1e2"}, "amountPaid"),
    ({"amountPaid": "1,5"}, "amountPaid"),
    ({"amountPaid": ""}, "amountPaid"),
    ({"paidDate": "yesterday"}, "paidDate"),
    ({"externalPaymentSource": "crypto"}, "externalPaymentSource"),
    ({"externalPaymentNote": "x" * 1001}, "externalPaymentNote"),
    ({"externalPaymentNote": 5}, "externalPaymentNote"),
])
def test_a_bad_payment_is_400_naming_the_field_and_changes_nothing(client, auth, body, field):
    invoice = create_invoice(client, auth, autoIssue=True).json()
    assert_refused(act(client, auth, invoice["id"], "mark-as-paid", body), 400, invoice,
                   client, auth, field)


def _invoice_ids(client, auth):
    listed = client.get(f"{ROOT}/invoices", headers=auth, params={"limit": 100}).json()
    return [i["id"] for i in listed["items"]]


@pytest.mark.parametrize("fields, field", [
    ({"accountId": None}, "accountId"),
    ({"accountId": ""}, "accountId"),
    ({"billingPeriodStart": None}, "billingPeriodStart"),
    ({"billingPeriodEnd": "2024-02-30T00:00:00Z"}, "billingPeriodEnd"),
    ({"autoIssue": "yes"}, "autoIssue"),
    ({"currency": "usd"}, "currency"),
    ({"description": ""}, "description"),
    ({"lineItems": [{"description": "x", "quantity": "-1", "unitPrice": "1"}]},
     "lineItems.0.quantity"),
    ({"lineItems": [{"description": "x", "quantity": "1"}]}, "lineItems.0.unitPrice"),
    ({"lineItems": "none"}, "lineItems"),
])
def test_a_bad_new_invoice_is_400_naming_the_field_and_nothing_is_stored(
        client, auth, fields, field):
    """``None`` stands for a required field left out."""
    before = _invoice_ids(client, auth)
    body = {"accountId": "aBsZxlLh", "billingPeriodStart": "2024-01-01T00:00:00Z",
            "billingPeriodEnd": "2024-01-31T00:00:00Z", **fields}
    body = {key: value for key, value in body.items() if value is not None}
    response = client.post(f"{ROOT}/invoices", headers=auth, json=body)
    assert_refused(response, 400, None, client, auth, field)
    assert _invoice_ids(client, auth) == before


@pytest.mark.parametrize("fields, field", [
    ({"billingPeriodEnd": "2023-12-31T23:59:59Z"}, "billingPeriodEnd"),
    ({"issueDate": "2024-02-01T00:00:00Z", "dueDate": "2024-01-15T00:00:00Z"}, "dueDate"),
    ({"issueDate": "0001-01-01T00:00:00+01:00"}, "issueDate"),
])
def test_dates_out_of_order_or_range_are_422_naming_the_field_and_nothing_is_stored(
        client, auth, fields, field):
    before = _invoice_ids(client, auth)
    assert_refused(create_invoice(client, auth, **fields), 422, None, client, auth, field)
    assert _invoice_ids(client, auth) == before


def test_nothing_is_changed_on_the_seeded_invoice_by_refused_requests(client, auth):
    before = get_invoice(client, auth, UPCOMING)
    act(client, auth, UPCOMING, "void")
    act(client, auth, UPCOMING, "mark-as-paid")
    assert get_invoice(client, auth, UPCOMING) == before


@pytest.mark.parametrize("unit_price", ["0", "-5"])
def test_an_invoice_with_nothing_remaining_cannot_be_marked_paid(client, auth, unit_price):
    invoice = create_invoice(client, auth, autoIssue=True, lineItems=[
        {"description": "Credit", "quantity": "1", "unitPrice": unit_price}]).json()
    before = get_invoice(client, auth, invoice["id"])
    body = assert_refused(act(client, auth, invoice["id"], "mark-as-paid"), 422, before,
                          client, auth)
    assert "no amount remaining" in body["detail"]
