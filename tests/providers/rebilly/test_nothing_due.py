"""Amounts that come to nothing: a sale that rounds to zero, an invoice that owes nothing,
the same invoice named twice, and a due time before the issue. Each refusal stores nothing."""

from __future__ import annotations

from .conftest import DAY, act, advance, create, get, issued, refused, sale


def test_a_sale_that_rounds_to_nothing_in_the_currency_is_a_422(client, auth):
    for amount, currency in ((0.001, "USD"), (0.4, "JPY")):
        problem = refused(sale(client, auth, amount, currency), 422)
        assert problem["invalidFields"][0]["field"] == "amount"


def test_a_sale_naming_an_invoice_that_owes_nothing_is_a_422_and_records_nothing(client, auth):
    empty = create(client, auth, unit_price=0)
    assert act(client, auth, empty["id"], "issue").status_code == 201
    problem = refused(sale(client, auth, 1, invoiceIds=[empty["id"]]), 422)
    assert problem["invalidFields"][0]["field"] == "invoiceIds"
    assert "no amount due" in problem["invalidFields"][0]["message"]
    assert get(client, auth, empty["id"])["status"] == "unpaid"


def test_an_invoice_named_twice_in_a_sale_is_paid_once(client, auth):
    invoice = issued(client, auth, unit_price=30)
    body = sale(client, auth, 100, invoiceIds=[invoice["id"], invoice["id"]]).json()
    assert body["invoiceIds"] == [invoice["id"]]
    assert (get(client, auth, invoice["id"])["status"], get(client, auth, invoice["id"])[
        "amountDue"]) == ("paid", 0)


def test_an_invoice_that_owes_nothing_never_reads_past_due(client, auth):
    empty = create(client, auth, unit_price=0)
    act(client, auth, empty["id"], "issue", {"dueTime": "2024-01-02T00:00:00Z"})
    advance(client, 31 * DAY)
    assert get(client, auth, empty["id"])["status"] == "unpaid"


def test_a_due_time_before_the_issue_is_a_422_and_the_draft_stays_a_draft(client, auth):
    draft = create(client, auth)
    problem = refused(act(client, auth, draft["id"], "issue", {
        "issuedTime": "2023-12-01T00:00:00Z", "dueTime": "2023-11-01T00:00:00Z"}), 422)
    assert problem["invalidFields"][0]["field"] == "dueTime"
    assert get(client, auth, draft["id"])["status"] == "draft"
    unpaid = issued(client, auth)
    advance(client, 10 * DAY)
    refused(act(client, auth, unpaid["id"], "reissue", {"dueTime": "2024-01-05T00:00:00Z"}), 422)
