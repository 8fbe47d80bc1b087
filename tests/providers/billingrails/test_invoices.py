"""Invoices over HTTP: created for an account, items added, totals read back exactly."""

import re

from tests.conftest import make_app

from .conftest import (
    ACME, CREDITED, DRAFT, OTHER_KEY, ROOT, add_item, bearer, create_account, create_invoice,
    get_invoice,
)


def test_account_invoice_and_items_read_back_with_exact_totals(client, auth):
    account = create_account(client, auth).json()["account"]
    created = create_invoice(client, auth, account_id=account["id"], currency="USD",
                             items=[{"name": "Seat", "quantity": 3, "unit_amount": 1999}])
    assert created.status_code == 200
    invoice_id = created.json()["invoice"]["id"]

    added = add_item(client, auth, invoice_id, name="Setup", description="One-off",
                     entity_id="fee_IhMUl3rrZ3", quantity=1, unit_amount=2503)
    assert added.status_code == 200

    invoice = get_invoice(client, auth, invoice_id).json()["invoice"]
    assert invoice == added.json()["invoice"]
    assert (invoice["subtotal_amount"], invoice["total_amount"], invoice["outstanding_amount"]) \
        == (8500, 8500, 8500)
    assert [(i["quantity"], i["unit_amount"], i["total_amount"]) for i in invoice["items"]] \
        == [(3, 1999, 5997), (1, 2503, 2503)]
    assert invoice["items"][1]["entity_id"] == "fee_IhMUl3rrZ3"


def test_invoice_has_the_seed_pages_shape(client, auth):
    invoice = create_invoice(client, auth, items=[{"name": "Basic Plan", "quantity": 1,
                                                   "unit_amount": 1000}]).json()["invoice"]
    assert list(invoice) == [
        "object", "id", "created_at", "account_id", "subscription_id", "number", "status",
        "currency", "collection_method", "due_at", "issued_at", "credit_amount",
        "subtotal_amount", "total_amount", "paid_amount", "outstanding_amount",
        "billing_start", "billing_end", "pdf_url", "items"]
    assert invoice["object"] == "invoice" and invoice["status"] == "draft"
    assert invoice["items"][0]["object"] == "invoice_line_item"
    assert invoice["items"][0]["id"].startswith("item_") and len(invoice["items"][0]["id"]) == 15
    assert invoice["created_at"] == "2024-01-01T00:00:00.000Z"


# currency, items at create, item added later -> subtotal/total
HTTP_TABLE = [
    ("USD", [(3, 333)], (1, 1), 1000),
    ("JPY", [(3, 1500)], (2, 1), 4502),
    ("KWD", [(2, 1250)], (1, 5), 2505),
    ("USD", [(10**9, 10**6)], (1, 1), 10**15 + 1),
]


def test_arithmetic_table_holds_through_http(client, auth):
    for currency, at_create, added, expected in HTTP_TABLE:
        body = [{"name": "x", "quantity": q, "unit_amount": u} for q, u in at_create]
        invoice_id = create_invoice(client, auth, currency=currency,
                                    items=body).json()["invoice"]["id"]
        quantity, unit_amount = added
        add_item(client, auth, invoice_id, quantity=quantity, unit_amount=unit_amount)
        invoice = get_invoice(client, auth, invoice_id).json()["invoice"]
        assert invoice["currency"] == currency
        assert invoice["subtotal_amount"] == invoice["total_amount"] == expected, currency
        assert invoice["outstanding_amount"] == expected


def test_large_quantity_times_amount_is_an_exact_integer_in_the_json_text(client, auth):
    response = add_item(client, auth, quantity=10**9, unit_amount=10**6 + 1)
    assert re.search(r'"total_amount":\s*1000001000000000\b', response.text)  # the item
    assert re.search(r'"total_amount":\s*1000001000001000\b', response.text)  # the invoice
    assert "e+" not in response.text and ".0," not in response.text


def test_credit_is_subtracted_from_the_total_but_not_the_subtotal(client, auth):
    invoice = add_item(client, auth, CREDITED, quantity=2, unit_amount=150).json()["invoice"]
    assert invoice["credit_amount"] == 500
    assert invoice["subtotal_amount"] == 7500 + 300
    assert invoice["total_amount"] == invoice["outstanding_amount"] == 7800 - 500


def test_line_items_from_newer_docs_are_accepted_and_returned_as_items(client, auth):
    created = create_invoice(client, auth, line_items=[
        {"name": "Service", "quantity": 1, "unit_amount": 1000, "description": None}])
    invoice = created.json()["invoice"]
    assert invoice["total_amount"] == 1000 and len(invoice["items"]) == 1
    assert "line_items" not in invoice


def test_invoice_numbers_count_per_tenant(client, auth):
    first = create_invoice(client, auth).json()["invoice"]["number"]
    second = create_invoice(client, auth).json()["invoice"]["number"]
    other = create_invoice(client, bearer(OTHER_KEY)).json()["invoice"]["number"]
    # Four fixture invoices come first in every tenant.
    assert (first, second, other) == ("INV-0007", "INV-0008", "INV-0007")


def test_account_number_prefix_names_its_invoices(client, auth):
    account = create_account(client, auth, invoice_settings={"number_prefix": "BILL"})
    number = create_invoice(client, auth, account_id=account.json()["account"]["id"]).json()
    assert number["invoice"]["number"] == "BILL-0007"


def test_due_at_defaults_to_net_terms_and_keeps_given_instants_in_milliseconds(client, auth):
    default = create_invoice(client, auth).json()["invoice"]
    assert default["due_at"] == "2024-01-31T00:00:00.000Z"
    given = create_invoice(client, auth, due_at="2025-02-14T18:33:40.8431+01:00").json()
    assert given["invoice"]["due_at"] == "2025-02-14T17:33:40.843Z"


def test_items_share_the_invoice_billing_period(client, auth):
    period = {"billing_start": "2025-01-01T00:00:00Z", "billing_end": "2025-02-01T00:00:00Z"}
    invoice_id = create_invoice(client, auth, **period).json()["invoice"]["id"]
    item = add_item(client, auth, invoice_id).json()["invoice"]["items"][0]
    assert (item["billing_start"], item["billing_end"]) == (
        "2025-01-01T00:00:00.000Z", "2025-02-01T00:00:00.000Z")


def test_each_api_key_is_its_own_tenant(client, auth):
    invoice_id = create_invoice(client, auth).json()["invoice"]["id"]
    assert get_invoice(client, bearer(OTHER_KEY), invoice_id).status_code == 404
    assert get_invoice(client, bearer("sk_site_e66e03bf9a807c88dd3dfa0f893de60b"),
                       DRAFT).status_code == 200


def test_same_seed_gives_the_same_ids_and_another_seed_does_not(flavor):
    def ids(seed):
        app = make_app(flavor=flavor, seed=seed, providers=("billingrails",))
        with app.test_client() as client:
            auth = bearer("sk_site_determinism")
            account = create_account(client, auth).json()["account"]["id"]
            invoice = create_invoice(client, auth, account_id=account).json()["invoice"]["id"]
            item = add_item(client, auth, invoice).json()["invoice"]["items"][0]["id"]
            fixture_item = get_invoice(client, auth).json()["invoice"]["items"][0]["id"]
        return account, invoice, item, fixture_item

    first = ids(7)
    assert first == ids(7)
    assert all(a != b for a, b in zip(first, ids(8)))
    assert [i.split("_")[0] for i in first] == ["acc", "inv", "item", "item"]
    assert all(len(i.split("_")[1]) == 10 and i.split("_")[1].isalnum() for i in first)


def test_pdf_url_points_at_the_sandbox_root(client, auth):
    invoice = get_invoice(client, auth).json()["invoice"]
    assert invoice["pdf_url"] == f"http://testserver{ROOT}/invoices/{DRAFT}/pdf"


def test_fixture_account_is_readable(client, auth):
    account = client.get(f"{ROOT}/accounts/{ACME}", headers=auth).json()["account"]
    assert account["external_id"] == "acme-001" and account["type"] == "organization"
