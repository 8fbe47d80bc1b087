"""PUT /invoices/{id}: Rebilly's upsert creates an invoice with the caller's own id (201) or
updates the one with that id (200). Unknown strings are omitted, never null."""

from __future__ import annotations

from .conftest import DRAFT, NEW, PAID, ROOT, add_item, get, issued, refused


def _put(client, auth, invoice_id, **fields):
    return client.put(f"{ROOT}/invoices/{invoice_id}", headers=auth, json={**NEW, **fields})


def test_put_with_a_new_id_creates_a_draft_with_that_id(client, auth):
    response = _put(client, auth, "my-invoice-1",
                    items=[{"type": "debit", "unitPrice": 12.5, "quantity": 2}])
    assert response.status_code == 201
    assert response.headers["location"] == "http://testserver/rebilly/invoices/my-invoice-1"
    body = response.json()
    assert (body["id"], body["status"], body["amount"]) == ("my-invoice-1", "draft", 25)
    assert get(client, auth, "my-invoice-1") == body


def test_put_on_an_existing_draft_updates_it(client, auth):
    response = _put(client, auth, DRAFT, currency="EUR", notes="Updated",
                    dueTime="2024-02-01T00:00:00Z")
    assert response.status_code == 200 and "location" not in response.headers
    body = response.json()
    assert (body["currency"], body["notes"], body["dueTime"]) == (
        "EUR", "Updated", "2024-02-01T00:00:00Z")
    assert (body["amount"], len(body["items"])) == (29.99, 1)


def test_changing_a_drafts_currency_re_rounds_its_items(client, auth):
    add_item(client, auth, unitPrice=0.015)
    body = _put(client, auth, DRAFT, currency="JPY").json()
    assert [i["price"] for i in body["items"]] == [30, 0]
    assert body["amount"] == 30


def test_put_keeps_optional_fields_it_omits(client, auth):
    before = get(client, auth, DRAFT)
    body = _put(client, auth, DRAFT, customerId=before["customerId"],
                websiteId=before["websiteId"]).json()
    assert body["notes"] == before["notes"]


def test_an_issued_invoice_keeps_customer_website_and_currency(client, auth):
    invoice = issued(client, auth)
    problem = refused(_put(client, auth, invoice["id"], currency="EUR", customerId="cus_2"), 422)
    assert [f["field"] for f in problem["invalidFields"]] == ["customerId", "currency"]
    assert get(client, auth, invoice["id"]) == invoice


def test_an_issued_invoice_takes_new_notes_and_due_time(client, auth):
    invoice = issued(client, auth)
    body = _put(client, auth, invoice["id"], notes="Call first",
                dueTime="2024-03-01T00:00:00Z").json()
    assert (body["status"], body["notes"], body["dueTime"]) == (
        "unpaid", "Call first", "2024-03-01T00:00:00Z")


def test_a_paid_invoice_keeps_its_due_time(client, auth):
    before = get(client, auth, PAID)
    fields = {k: before[k] for k in ("customerId", "websiteId", "currency")}
    problem = refused(_put(client, auth, PAID, **fields, dueTime="2030-01-01T00:00:00Z"), 422)
    assert [f["field"] for f in problem["invalidFields"]] == ["dueTime"]
    assert get(client, auth, PAID) == before


def test_put_without_required_fields_is_a_422_naming_them(client, auth):
    response = client.put(f"{ROOT}/invoices/new-one", headers=auth, json={"currency": "USD"})
    problem = refused(response, 422)
    assert [f["field"] for f in problem["invalidFields"]] == ["customerId", "websiteId"]
    refused(client.get(f"{ROOT}/invoices/new-one", headers=auth), 404)


def test_unknown_strings_are_omitted_and_unset_timestamps_are_null(client, auth):
    body = client.post(f"{ROOT}/invoices", headers=auth, json=NEW).json()
    for name in ("notes", "dueTime", "issuedTime", "organizationId"):
        assert name not in body
    assert (body["paidTime"], body["voidedTime"], body["abandonedTime"]) == (None, None, None)


def test_null_notes_or_due_time_in_a_request_are_refused_as_upstream_declares_strings(
        client, auth):
    problem = refused(client.post(f"{ROOT}/invoices", headers=auth,
                                  json={**NEW, "notes": None, "dueTime": None}), 422)
    assert sorted(f["field"] for f in problem["invalidFields"]) == ["dueTime", "notes"]
