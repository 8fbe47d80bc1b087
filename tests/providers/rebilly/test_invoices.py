"""Invoices: created, listed and read, isolated per API key, reproducible with a seed."""

from tests.conftest import make_app

from .conftest import DRAFT, KEY, OTHER_KEY, ROOT, add_item

NEW = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}


def test_creating_an_invoice_answers_201_with_location_and_a_draft(client, auth):
    response = client.post(f"{ROOT}/invoices", headers=auth, json=NEW)
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"http://testserver/rebilly/invoices/{body['id']}"
    assert body["id"].startswith("in_")
    assert (body["status"], body["amount"], body["items"]) == ("draft", 0, [])
    assert client.get(f"{ROOT}/invoices/{body['id']}", headers=auth).json() == body


def test_invoice_created_with_items_has_their_totals(client, auth):
    items = [{"type": "debit", "unitPrice": 12.5, "quantity": 2},
             {"type": "credit", "unitPrice": 5}]
    body = client.post(f"{ROOT}/invoices", headers=auth, json={**NEW, "items": items}).json()
    assert body["amount"] == 20 and len(body["items"]) == 2


def test_invoice_numbers_count_up_per_customer(client, auth):
    first = client.post(f"{ROOT}/invoices", headers=auth, json=NEW).json()
    second = client.post(f"{ROOT}/invoices", headers=auth, json=NEW).json()
    other = client.post(f"{ROOT}/invoices", headers=auth, json={**NEW, "customerId": "c2"}).json()
    assert (first["invoiceNumber"], second["invoiceNumber"], other["invoiceNumber"]) == (1, 2, 1)


def test_creating_an_invoice_requires_customer_website_and_currency(client, auth):
    response = client.post(f"{ROOT}/invoices", headers=auth, json={"currency": "usd"})
    assert response.status_code == 422
    fields = [f["field"] for f in response.json()["invalidFields"]]
    assert fields == ["currency", "customerId", "websiteId"]


def test_list_has_pagination_headers_filter_and_sort(client, auth):
    response = client.get(f"{ROOT}/invoices?limit=2", headers=auth)
    assert response.status_code == 200
    assert response.headers["pagination-total"] == "3"
    assert response.headers["pagination-limit"] == "2"
    assert response.headers["pagination-offset"] == "0"
    assert len(response.json()) == 2
    drafts = client.get(f"{ROOT}/invoices?filter=status:draft,voided", headers=auth).json()
    assert {i["status"] for i in drafts} == {"draft", "voided"}
    by_currency = client.get(f"{ROOT}/invoices?sort=-currency", headers=auth).json()
    assert [i["currency"] for i in by_currency] == ["USD", "USD", "EUR"]


def test_list_limit_over_100_is_treated_as_100(client, auth):
    response = client.get(f"{ROOT}/invoices?limit=500", headers=auth)
    assert response.headers["pagination-limit"] == "100"


def test_each_api_key_sees_only_its_own_data(client):
    add_item(client, {"REB-APIKEY": KEY}, unitPrice=1000)
    theirs = client.get(f"{ROOT}/invoices/{DRAFT}", headers={"REB-APIKEY": OTHER_KEY}).json()
    fresh = client.get(f"{ROOT}/invoices/{DRAFT}", headers={"REB-APIKEY": "sk_sandbox_job_7"}).json()
    assert theirs["amount"] == fresh["amount"] == 29.99


def test_same_seed_clock_and_requests_give_byte_identical_responses():
    def run() -> list[bytes]:
        with make_app().test_client() as client:
            auth = {"REB-APIKEY": KEY}
            return [
                add_item(client, auth, unitPrice=3.3, quantity=3).content,
                client.post(f"{ROOT}/invoices", headers=auth, json=NEW).content,
                client.get(f"{ROOT}/invoices", headers=auth).content,
            ]

    assert run() == run()


def test_a_different_seed_gives_different_ids():
    def item_id(seed: int) -> str:
        with make_app(seed=seed).test_client() as client:
            return add_item(client, {"REB-APIKEY": KEY}).json()["id"]

    assert item_id(1) != item_id(2)
