"""Paying an invoice: a sale processed outside Rebilly (POST /transactions) applied to the
invoice (POST /invoices/{id}/transaction, or the sale's invoiceIds). Every refusal is the
reference's 422 and changes neither the invoice nor the transaction."""

from __future__ import annotations

import pytest

from .conftest import DAY, DRAFT, PAID, ROOT, VOIDED, act, advance, get, issued, pay, refused, sale


def _apply(client, auth, invoice_id, body):
    return client.post(f"{ROOT}/invoices/{invoice_id}/transaction", headers=auth, json=body)


def _transaction(client, auth, transaction_id) -> dict:
    return client.get(f"{ROOT}/transactions/{transaction_id}", headers=auth).json()


def test_an_outside_sale_is_recorded_completed_and_approved(client, auth):
    response = sale(client, auth, 19.999, description="Wire", requestId="req-1")
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"http://testserver/rebilly/transactions/{body['id']}"
    assert body["id"].startswith("txn_")
    assert (body["type"], body["status"], body["result"]) == ("sale", "completed", "approved")
    assert (body["amount"], body["invoiceIds"], body["isProcessedOutside"]) == (20, [], True)
    assert body["processedTime"] == body["createdTime"] == "2024-01-01T00:00:00Z"
    assert _transaction(client, auth, body["id"]) == body


def test_paying_part_then_the_rest_moves_to_partially_paid_then_paid(client, auth):
    invoice = issued(client, auth)
    advance(client, 3600)
    response = pay(client, auth, invoice["id"], 40)
    assert response.status_code == 200
    part = response.json()
    assert (part["status"], part["amountDue"], part["paidTime"]) == ("partially-paid", 60, None)
    advance(client, 3600)
    paid = pay(client, auth, invoice["id"]).json()
    assert (paid["status"], paid["amountDue"], paid["amount"]) == ("paid", 0, 100)
    assert paid["paidTime"] == "2024-01-01T02:00:00Z"
    assert get(client, auth, invoice["id"]) == paid


def test_without_an_amount_the_lesser_of_unused_and_due_is_applied(client, auth):
    invoice = issued(client, auth)
    transaction = sale(client, auth, 30).json()
    body = _apply(client, auth, invoice["id"], {"transactionId": transaction["id"]}).json()
    assert (body["status"], body["amountDue"]) == ("partially-paid", 70)
    used = _transaction(client, auth, transaction["id"])
    assert used["invoiceIds"] == [invoice["id"]]
    refused(_apply(client, auth, invoice["id"], {"transactionId": transaction["id"]}), 422,
            "Invalid data sent.")


def test_one_transaction_can_pay_two_invoices(client, auth):
    first, second = issued(client, auth), issued(client, auth)
    transaction = sale(client, auth, 150).json()
    _apply(client, auth, first["id"], {"transactionId": transaction["id"]})
    body = _apply(client, auth, second["id"], {"transactionId": transaction["id"]}).json()
    assert (body["status"], body["amountDue"]) == ("partially-paid", 50)
    assert _transaction(client, auth, transaction["id"])["invoiceIds"] == [first["id"],
                                                                          second["id"]]


def test_a_sale_naming_invoices_pays_them_in_order(client, auth):
    first, second = issued(client, auth), issued(client, auth)
    response = sale(client, auth, 130, invoiceIds=[first["id"], second["id"]])
    assert response.status_code == 201
    assert response.json()["invoiceIds"] == [first["id"], second["id"]]
    assert get(client, auth, first["id"])["status"] == "paid"
    assert get(client, auth, second["id"])["amountDue"] == 70


def test_a_past_due_invoice_can_still_be_paid(client, auth):
    invoice = issued(client, auth)
    advance(client, 31 * DAY)
    part = pay(client, auth, invoice["id"], 10).json()
    assert (part["status"], part["amountDue"]) == ("past-due", 90)
    assert pay(client, auth, invoice["id"]).json()["status"] == "paid"


# -- refusals ------------------------------------------------------------------------------

def _fields(problem: dict) -> list[str]:
    return [f["field"] for f in problem["invalidFields"]]


@pytest.mark.parametrize("invoice_id", [DRAFT, PAID, VOIDED])
def test_paying_an_invoice_that_is_not_open_is_a_422_and_changes_nothing(client, auth, invoice_id):
    before = get(client, auth, invoice_id)
    transaction = sale(client, auth, 10).json()
    problem = refused(_apply(client, auth, invoice_id, {"transactionId": transaction["id"]}), 422)
    assert _fields(problem) == ["status"] and "cannot be paid" in problem["invalidFields"][0][
        "message"]
    assert get(client, auth, invoice_id) == before
    assert _transaction(client, auth, transaction["id"]) == transaction


def test_paying_an_abandoned_invoice_is_a_422(client, auth):
    invoice = issued(client, auth)
    abandoned = act(client, auth, invoice["id"], "abandon").json()
    refused(pay(client, auth, invoice["id"], 10), 422)
    assert get(client, auth, invoice["id"]) == abandoned


@pytest.mark.parametrize(("amount", "transaction_amount", "field", "message"), [
    (150, 200, "amount", "amount due"),
    (60, 50, "amount", "unused amount"),
    (0, 50, "amount", "greater than 0"),
    (-5, 50, "amount", "greater than 0"),
])
def test_an_amount_over_what_is_due_or_unused_is_a_422_and_changes_nothing(
        client, auth, amount, transaction_amount, field, message):
    invoice = issued(client, auth)
    transaction = sale(client, auth, transaction_amount).json()
    body = {"transactionId": transaction["id"], "amount": amount}
    problem = refused(_apply(client, auth, invoice["id"], body), 422)
    assert _fields(problem) == [field] and message in problem["invalidFields"][0]["message"]
    assert get(client, auth, invoice["id"]) == invoice
    assert _transaction(client, auth, transaction["id"]) == transaction


def test_an_unknown_transaction_is_a_422_naming_it(client, auth):
    invoice = issued(client, auth)
    problem = refused(_apply(client, auth, invoice["id"], {"transactionId": "txn_nope"}), 422)
    assert _fields(problem) == ["transactionId"]
    assert get(client, auth, invoice["id"]) == invoice


def test_a_transaction_in_another_currency_is_a_422(client, auth):
    invoice = issued(client, auth)
    transaction = sale(client, auth, 100, currency="EUR").json()
    problem = refused(_apply(client, auth, invoice["id"], {"transactionId": transaction["id"]}),
                      422)
    assert _fields(problem) == ["transactionId"]
    assert get(client, auth, invoice["id"]) == invoice


def test_paying_an_unknown_invoice_is_a_404(client, auth):
    transaction = sale(client, auth, 10).json()
    refused(_apply(client, auth, "in_nope", {"transactionId": transaction["id"]}), 404)


def test_a_sale_naming_an_unpayable_invoice_is_a_422_and_records_nothing(client, auth):
    invoice = issued(client, auth)
    for invoice_ids in ([invoice["id"], "in_nope"], [DRAFT], [invoice["id"], PAID]):
        problem = refused(sale(client, auth, 10, invoiceIds=invoice_ids), 422)
        assert problem["invalidFields"][0]["field"] in ("invoiceIds", "status")
    refused(sale(client, auth, 10, currency="EUR", invoiceIds=[invoice["id"]]), 422)
    assert get(client, auth, invoice["id"]) == invoice


@pytest.mark.parametrize(("fields", "route"), [
    ({"isProcessedOutside": False}, "through a payment gateway"),
    ({"type": "authorize"}, "of type authorize"),
    ({"type": "setup"}, "of type setup"),
])
def test_gateway_and_non_sale_transactions_answer_501_naming_what_is_not_emulated(
        client, auth, fields, route):
    problem = refused(sale(client, auth, 10, **fields), 501, route)
    assert problem["title"] == "Not Implemented"


def test_an_unknown_transaction_is_a_404(client, auth):
    refused(client.get(f"{ROOT}/transactions/txn_nope", headers=auth), 404,
            "Transaction with ID txn_nope was not found.")


# -- allocations ---------------------------------------------------------------------------

def test_allocations_list_what_each_transaction_paid_of_the_invoice(client, auth):
    invoice = issued(client, auth)
    first = sale(client, auth, 30).json()
    _apply(client, auth, invoice["id"], {"transactionId": first["id"], "amount": 10})
    _apply(client, auth, invoice["id"], {"transactionId": first["id"], "amount": 5})
    second = sale(client, auth, 85).json()
    _apply(client, auth, invoice["id"], {"transactionId": second["id"]})
    response = client.get(f"{ROOT}/invoices/{invoice['id']}/transaction-allocations",
                          headers=auth)
    assert response.status_code == 200 and response.headers["pagination-total"] == "2"
    assert [(a["transactionId"], a["amount"], a["currency"]) for a in response.json()] == [
        (first["id"], 15, "USD"), (second["id"], 85, "USD")]
    assert [link["rel"] for link in response.json()[0]["_links"]] == ["invoice", "transaction"]
    paged = client.get(f"{ROOT}/invoices/{invoice['id']}/transaction-allocations?offset=1",
                       headers=auth).json()
    assert [a["transactionId"] for a in paged] == [second["id"]]


def test_an_unpaid_invoice_has_no_allocations_and_an_unknown_one_is_a_404(client, auth):
    invoice = issued(client, auth)
    url = f"{ROOT}/invoices/{invoice['id']}/transaction-allocations"
    assert client.get(url, headers=auth).json() == []
    refused(client.get(f"{ROOT}/invoices/in_nope/transaction-allocations", headers=auth), 404)
