"""Issue, pay and past due: every row of ``billing.TRANSITIONS`` over HTTP, and every refusal
(the error body, and that nothing changed). The clock starts frozen at 2024-01-01."""

import pytest

from .conftest import (
    ACME, DAY, DRAFT, ISSUED, PAID, PART_PAID, ROOT, VOIDED, add_item, advance_clock,
    create_account, create_invoice, get_invoice, issue, pay,
)
from .test_errors import error

NOW = "2024-01-01T00:00:00.000Z"


# -- issue: draft -> issued ---------------------------------------------------------------------
def test_issuing_a_draft_makes_it_issued_now_with_the_given_due_time(client, auth):
    issued = issue(client, auth, due_at="2024-02-15T12:00:00Z")
    assert issued.status_code == 200
    invoice = issued.json()["invoice"]
    assert (invoice["status"], invoice["issued_at"], invoice["due_at"]) == (
        "issued", NOW, "2024-02-15T12:00:00.000Z")
    assert get_invoice(client, auth).json() == issued.json()


def test_issuing_without_a_body_keeps_the_due_time(client, auth):
    due = get_invoice(client, auth).json()["invoice"]["due_at"]
    issued = client.post(f"{ROOT}/invoices/{DRAFT}/issue", headers=auth)
    assert issued.status_code == 200, issued.text
    assert issued.json()["invoice"]["due_at"] == due
    assert issue(client, auth, "inv_CreditEU01", due_at=None).json()["invoice"]["due_at"] == due


@pytest.mark.parametrize("invoice, status", [
    (ISSUED, "issued"), (PAID, "paid"), (PART_PAID, "partially_paid"), (VOIDED, "voided")])
def test_issuing_anything_but_a_draft_is_a_409_and_changes_nothing(client, auth, invoice,
                                                                    status):
    before = get_invoice(client, auth, invoice).json()
    body = error(issue(client, auth, invoice), 409, "validation_error")
    assert body["details"] == [{"field": "invoice", "message": body["message"]}]
    assert f"is {status}; only draft invoices can be issued" in body["message"]
    assert get_invoice(client, auth, invoice).json() == before


def test_issuing_twice_is_refused_the_second_time(client, auth):
    assert issue(client, auth).status_code == 200
    error(issue(client, auth), 409, "validation_error")


def test_issuing_an_unknown_invoice_is_404_and_a_bad_due_time_400(client, auth):
    error(issue(client, auth, "inv_0000000000"), 404, "not_found")
    body = error(issue(client, auth, due_at="tomorrow"), 400, "validation_error")
    assert body["details"][0]["field"] == "due_at"
    assert get_invoice(client, auth).json()["invoice"]["status"] == "draft"


def test_an_issued_invoice_takes_no_items(client, auth):
    issue(client, auth)
    error(add_item(client, auth), 409, "validation_error")


# -- pay: issued / partially_paid / overdue -> paid ---------------------------------------------
def test_paying_an_issued_invoice_settles_it_in_full(client, auth):
    paid = pay(client, auth)
    assert paid.status_code == 200, paid.text
    assert paid.json() == {"payment": {
        "object": "payment", "id": paid.json()["payment"]["id"], "account_id": ACME,
        "invoice_id": ISSUED, "amount": 2500, "currency": "KWD",
        "description": "Payment for invoice INV-0003", "reference_id": "PAY-REF-001",
        "payment_method_id": None, "status": "succeeded", "created_at": NOW}}
    invoice = get_invoice(client, auth, ISSUED).json()["invoice"]
    assert (invoice["status"], invoice["paid_amount"], invoice["outstanding_amount"]) == (
        "paid", 2500, 0)
    again = client.get(f"{ROOT}/payments/{paid.json()['payment']['id']}", headers=auth)
    assert again.json() == paid.json()


def test_paying_a_partially_paid_invoice_takes_the_rest(client, auth):
    before = get_invoice(client, auth, PART_PAID).json()["invoice"]
    assert (before["status"], before["paid_amount"], before["outstanding_amount"]) == (
        "partially_paid", 2000, 3000)
    assert pay(client, auth, PART_PAID).json()["payment"]["amount"] == 3000
    after = get_invoice(client, auth, PART_PAID).json()["invoice"]
    assert (after["status"], after["paid_amount"], after["outstanding_amount"]) == (
        "paid", 5000, 0)


def test_create_issue_pay_from_a_new_account(client, auth):
    account = create_account(client, auth).json()["account"]["id"]
    invoice = create_invoice(client, auth, account_id=account, items=[
        {"name": "Seat", "quantity": 3, "unit_amount": 1999}]).json()["invoice"]["id"]
    issue(client, auth, invoice)
    payment = pay(client, auth, invoice, account_id=account).json()["payment"]
    assert payment["amount"] == 5997
    assert get_invoice(client, auth, invoice).json()["invoice"]["status"] == "paid"


@pytest.mark.parametrize("invoice, status", [
    (DRAFT, "draft"), (PAID, "paid"), (VOIDED, "voided")])
def test_paying_a_draft_paid_or_voided_invoice_is_a_409_and_changes_nothing(
        client, auth, invoice, status):
    account = "acc_DemoKoji01" if invoice == PAID else ACME
    before = get_invoice(client, auth, invoice).json()
    body = error(pay(client, auth, invoice, account_id=account), 409, "validation_error")
    assert body["details"] == [{"field": "invoice", "message": body["message"]}]
    assert f"is {status}; only issued or overdue or partially_paid" in body["message"]
    assert get_invoice(client, auth, invoice).json() == before


def test_a_payment_for_another_accounts_invoice_is_a_409(client, auth):
    other = create_account(client, auth).json()["account"]["id"]
    body = error(pay(client, auth, account_id=other), 409, "validation_error")
    assert body["details"][0]["field"] == "account_id"
    assert get_invoice(client, auth, ISSUED).json()["invoice"]["status"] == "issued"


def test_unknown_account_invoice_or_other_target_is_404(client, auth):
    error(pay(client, auth, account_id="acc_0000000000"), 404, "not_found")
    error(pay(client, auth, "inv_0000000000"), 404, "not_found")
    for field in ("credit_grant_id", "order_id", "payment_request_id"):
        body = {"mode": "offline", "account_id": ACME, "reference_id": "r", field: "x_1"}
        error(client.post(f"{ROOT}/payments", headers=auth, json=body), 404, "not_found")
    error(client.get(f"{ROOT}/payments/pay_0000000000", headers=auth), 404, "not_found")
    assert get_invoice(client, auth, ISSUED).json()["invoice"]["status"] == "issued"


def test_a_payment_needs_a_target_and_online_needs_a_method_or_integration(client, auth):
    untargeted = {"mode": "offline", "account_id": ACME, "reference_id": "r"}
    error(client.post(f"{ROOT}/payments", headers=auth, json=untargeted), 400,
          "validation_error")
    error(pay(client, auth, mode="online"), 400, "validation_error")
    body = error(client.post(f"{ROOT}/payments", headers=auth, json={}), 400,
                 "validation_error")
    assert {"mode", "account_id", "reference_id"} <= {d["field"] for d in body["details"]}
    assert get_invoice(client, auth, ISSUED).json()["invoice"]["status"] == "issued"


def test_an_online_payment_with_a_method_is_charged_at_once(client, auth):
    payment = pay(client, auth, mode="online", payment_method_id="pm_1").json()["payment"]
    assert (payment["status"], payment["payment_method_id"]) == ("succeeded", "pm_1")
    assert get_invoice(client, auth, ISSUED).json()["invoice"]["status"] == "paid"


def test_an_online_payment_through_an_integration_waits_on_a_link(client, auth):
    answer = pay(client, auth, mode="online", integration_id="int_1").json()
    assert answer["payment"]["status"] == "pending"
    assert answer["payment_link"].endswith(f"/payments/{answer['payment']['id']}/link")
    invoice = get_invoice(client, auth, ISSUED).json()["invoice"]
    assert (invoice["status"], invoice["paid_amount"]) == ("issued", 0)


# -- due: issued / partially_paid -> overdue, derived from the clock -----------------------------
def test_an_issued_invoice_is_overdue_31_days_later_on_every_read(client, auth):
    issue(client, auth)  # due 2024-01-31, the account's 30 net days
    assert get_invoice(client, auth).json()["invoice"]["status"] == "issued"
    advance_clock(client, 31 * DAY)
    assert get_invoice(client, auth).json()["invoice"]["status"] == "overdue"
    assert get_invoice(client, auth, PART_PAID).json()["invoice"]["status"] == "overdue"
    listed = client.get(f"{ROOT}/invoices", headers=auth, params={"search": "overdue"}).json()
    assert {i["id"] for i in listed["invoices"]} == {DRAFT, ISSUED, PART_PAID}
    assert all(i["status"] == "overdue" for i in listed["invoices"])


def test_drafts_paid_and_voided_invoices_never_become_overdue(client, auth):
    advance_clock(client, 365 * DAY)
    statuses = {i: get_invoice(client, auth, i).json()["invoice"]["status"]
                for i in (DRAFT, PAID, VOIDED)}
    assert statuses == {DRAFT: "draft", PAID: "paid", VOIDED: "voided"}


def test_an_invoice_is_overdue_only_after_its_due_time(client, auth):
    issue(client, auth, due_at="2024-01-01T00:00:01Z")
    assert get_invoice(client, auth).json()["invoice"]["status"] == "issued"
    advance_clock(client, 1)
    assert get_invoice(client, auth).json()["invoice"]["status"] == "issued"
    advance_clock(client, 1)
    assert get_invoice(client, auth).json()["invoice"]["status"] == "overdue"


def test_an_overdue_invoice_can_still_be_paid_and_is_then_paid(client, auth):
    advance_clock(client, 31 * DAY)
    assert pay(client, auth).status_code == 200
    assert get_invoice(client, auth, ISSUED).json()["invoice"]["status"] == "paid"


def test_an_overdue_invoice_cannot_be_issued_again(client, auth):
    advance_clock(client, 31 * DAY)
    body = error(issue(client, auth, ISSUED), 409, "validation_error")
    assert "is overdue" in body["message"]
