"""Billingrails' error envelope for every failure, and nothing stored when a request fails."""

import pytest

from .conftest import (
    ACME, DRAFT, ISSUED, PAID, ROOT, add_item, bearer, create_account, create_invoice,
    get_invoice,
)


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["type"] == "request_error" and body["error"]["code"] == code
    return body["error"]


@pytest.mark.parametrize("headers", [
    {}, bearer("sk_live_not_a_sandbox_key"), bearer(""), {"Authorization": "Basic abc"},
    {"Authorization": "sk_site_invoice_sandbox_demo"},
])
def test_missing_or_unknown_credentials_get_401_unauthorized(client, headers):
    body = error(client.get(f"{ROOT}/invoices/{DRAFT}", headers=headers), 401, "unauthorized")
    assert body["message"] == "Invalid API key provided."
    assert "details" not in body


def test_unknown_invoice_and_account_ids_get_404_not_found(client, auth):
    error(get_invoice(client, auth, "inv_0000000000"), 404, "not_found")
    error(client.get(f"{ROOT}/accounts/acc_0000000000", headers=auth), 404, "not_found")
    error(add_item(client, auth, "inv_0000000000"), 404, "not_found")


def test_unknown_route_is_404_invalid_request_url_and_other_method_405(client, auth):
    error(client.delete(f"{ROOT}/invoices", headers=auth), 405, "method_not_allowed")
    error(client.patch(f"{ROOT}/invoices/{DRAFT}", headers=auth, json={}), 405,
          "method_not_allowed")
    error(client.get(f"{ROOT}/nothing-here", headers=auth), 404, "invalid_request_url")


def test_validation_error_names_every_bad_field(client, auth):
    response = client.post(f"{ROOT}/invoices", headers=auth, json={
        "currency": "usd", "collection_method": "sometimes",
        "items": [{"quantity": 1.5, "unit_amount": "10"}, {"name": "ok", "quantity": 0,
                                                            "unit_amount": -1}]})
    body = error(response, 400, "validation_error")
    assert body["message"] == "Validation error"
    assert [d["field"] for d in body["details"]] == [
        "account_id", "collection_method", "currency", "items.0.name", "items.0.quantity",
        "items.0.unit_amount", "items.1.quantity", "items.1.unit_amount"]
    assert body["details"][0]["message"] == "Account id is required."


@pytest.mark.parametrize("field, value", [
    ("quantity", 1.5), ("quantity", 1.0), ("quantity", True), ("quantity", 10**9 + 1),
    ("unit_amount", 10.5), ("unit_amount", 1e3), ("unit_amount", 10**8 + 1),
    ("unit_amount", "1000"), ("unit_amount", None),
])
def test_amounts_must_be_whole_bounded_minor_units(client, auth, field, value):
    body = error(add_item(client, auth, **{field: value}), 400, "validation_error")
    assert [d["field"] for d in body["details"]] == [field]


def test_missing_body_and_malformed_json_are_validation_errors(client, auth):
    headers = {**auth, "Content-Type": "application/json"}
    for content in (b"", b"{not json", b'{"name": NaN}'):
        response = client.post(f"{ROOT}/accounts", headers=headers, content=content)
        assert error(response, 400, "validation_error")["details"][0]["field"] == "body"


def test_non_json_body_gets_415_in_the_envelope(client, auth):
    response = client.post(f"{ROOT}/accounts", content=b"name=x",
                           headers={**auth, "Content-Type": "application/x-www-form-urlencoded"})
    assert error(response, 415, "validation_error")["details"][0]["field"] == "Content-Type"


def test_oversized_body_gets_413_in_the_envelope(client, auth):
    response = create_account(client, auth, name="x" * 1_100_000)
    assert error(response, 413, "validation_error")["details"][0]["field"] == "body"


@pytest.mark.parametrize("invoice, status", [(ISSUED, "issued"), (PAID, "paid")])
def test_adding_item_to_non_draft_invoice_is_a_409_conflict(client, auth, invoice, status):
    before = get_invoice(client, auth, invoice).json()
    body = error(add_item(client, auth, invoice), 409, "validation_error")
    assert body["details"] == [{"field": "invoice", "message": body["message"]}]
    assert f"is {status}" in body["message"]
    assert get_invoice(client, auth, invoice).json() == before


def test_rejected_item_leaves_invoice_and_counters_untouched(client, auth, app):
    before = get_invoice(client, auth).json()
    error(add_item(client, auth, quantity=0), 400, "validation_error")
    error(add_item(client, auth, PAID), 409, "validation_error")
    error(add_item(client, auth, "inv_0000000000"), 404, "not_found")
    assert get_invoice(client, auth).json() == before
    assert next_counter(app, "ids") == 7  # six fixture items drew 1-6; nothing since


def test_duplicate_external_id_is_a_409_and_creates_nothing(client, auth):
    body = error(create_account(client, auth, external_id="acme-001"), 409, "validation_error")
    assert body["details"][0]["field"] == "external_id"
    account = create_account(client, auth, external_id="new-one").json()["account"]
    assert account["external_id"] == "new-one"


def test_rejected_account_is_not_stored_and_draws_no_id(client, auth, app):
    error(create_account(client, auth, email="not-an-email"), 400, "validation_error")
    error(create_account(client, auth, external_id="acme-001"), 409, "validation_error")
    store, ns = tenant(app)
    assert [a["id"] for a in store.list(ns, "accounts")] == [ACME, "acc_DemoKoji01"]
    assert next_counter(app, "ids") == 7


def test_rejected_invoice_draws_no_number(client, auth, app):
    error(create_invoice(client, auth, currency="US"), 400, "validation_error")
    error(create_invoice(client, auth, account_id="acc_0000000000"), 404, "not_found")
    assert next_counter(app, "invoice_number") == 7  # six fixture invoices drew 1-6


def tenant(app):
    tenancy = app.sandbox.tenancies["billingrails"]
    return app.sandbox.store, tenancy.tenant("sk_site_invoice_sandbox_demo").ns


def next_counter(app, counter: str) -> int:
    """Peek at a tenant counter by drawing from it (the test ends right after)."""
    store, ns = tenant(app)
    return store.next_number(ns, counter)
