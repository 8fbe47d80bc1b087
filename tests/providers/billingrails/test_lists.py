"""GET /invoices and GET /accounts: newest first, ``search``, pages and ``meta``."""

from .conftest import ACME, DRAFT, ISSUED, PAID, PART_PAID, ROOT, VOIDED, create_account
from .test_errors import error

FIXTURE_INVOICES = [VOIDED, PART_PAID, PAID, ISSUED, "inv_CreditEU01", DRAFT]


def ids(response, key="invoices") -> list[str]:
    assert response.status_code == 200, response.text
    return [record["id"] for record in response.json()[key]]


def test_invoices_are_listed_newest_first_with_items_and_meta(client, auth):
    listed = client.get(f"{ROOT}/invoices", headers=auth)
    assert ids(listed) == FIXTURE_INVOICES
    assert listed.json()["meta"] == {"current_page": 1, "per_page": 20, "total_count": 6}
    draft = client.get(f"{ROOT}/invoices/{DRAFT}", headers=auth).json()["invoice"]
    assert listed.json()["invoices"][-1] == draft


def test_invoice_pages_follow_page_and_per_page(client, auth):
    second = client.get(f"{ROOT}/invoices", headers=auth, params={"page": 2, "per_page": 4})
    assert ids(second) == FIXTURE_INVOICES[4:]
    assert second.json()["meta"] == {"current_page": 2, "per_page": 4, "total_count": 6}
    assert ids(client.get(f"{ROOT}/invoices", headers=auth, params={"page": 9})) == []


def test_invoice_search_looks_in_id_number_account_currency_and_status(client, auth):
    def search(text):
        return ids(client.get(f"{ROOT}/invoices", headers=auth, params={"search": text}))

    assert search("inv-0003") == [ISSUED]
    assert search("jpy") == [PAID]
    assert search("partially") == [PART_PAID]
    assert search("acc_DemoKoji01") == [PAID]
    assert search("nothing like it") == []


def test_bad_list_parameters_are_400(client, auth):
    for params in ({"page": 0}, {"per_page": 101}, {"per_page": "x"}):
        error(client.get(f"{ROOT}/invoices", headers=auth, params=params), 400,
              "validation_error")
        error(client.get(f"{ROOT}/accounts", headers=auth, params=params), 400,
              "validation_error")


def test_accounts_are_listed_newest_first_and_searched(client, auth):
    new = create_account(client, auth, name="Zed Searchable", external_id="zed-1")
    new_id = new.json()["account"]["id"]
    listed = client.get(f"{ROOT}/accounts", headers=auth)
    assert ids(listed, "accounts") == [new_id, "acc_DemoKoji01", ACME]
    assert listed.json()["meta"] == {"current_page": 1, "per_page": 20, "total_count": 3}
    assert listed.json()["accounts"][0] == new.json()["account"]
    for text in ("searchable", "ZED-1", "jane@", new_id):
        found = client.get(f"{ROOT}/accounts", headers=auth, params={"search": text})
        assert ids(found, "accounts") == [new_id]
    page = client.get(f"{ROOT}/accounts", headers=auth, params={"per_page": 1, "page": 3})
    assert ids(page, "accounts") == [ACME]
