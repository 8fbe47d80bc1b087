from tests.control.conftest import REBILLY, assert_problem

INVOICE = {"id": "in_loaded", "customerId": "cus_1", "websiteId": "web_1", "currency": "EUR",
           "status": "unpaid", "items": [{"type": "debit", "unitPrice": 5, "quantity": 2}]}


def test_loaded_fixtures_are_served_to_the_tenant(control):
    response = control.post("/_sandbox/fixtures", params=REBILLY,
                            json={"data": {"invoices": [INVOICE]}})
    assert response.json() == {**REBILLY, "loaded": {"invoices": 1}}
    invoice = control.get("/rebilly/invoices/in_loaded", headers={"REB-APIKEY": REBILLY["key"]})
    assert invoice.json()["amount"] == 10 and invoice.json()["status"] == "unpaid"


def test_fixtures_load_into_one_tenant_only(control):
    control.post("/_sandbox/fixtures", params=REBILLY, json={"data": {"invoices": [INVOICE]}})
    other = {"REB-APIKEY": "sk_sandbox_someone_else"}
    assert control.get("/rebilly/invoices/in_loaded", headers=other).status_code == 404


def test_data_the_provider_cannot_load_is_a_422_naming_data(control):
    params = {"provider": "billingrails", "key": "sk_site_mine"}
    orphan = {"invoices": [{"id": "inv_x", "account_id": "acc_missing", "currency": "USD"}]}
    problem = assert_problem(control.post("/_sandbox/fixtures", params=params,
                                          json={"data": orphan}), 422, "data")
    assert "unknown account_id" in problem["detail"]
    malformed = control.post("/_sandbox/fixtures", params=REBILLY, json={"data": {"invoices": "x"}})
    assert_problem(malformed, 422, "data.invoices")


def test_fixtures_need_a_known_tenant_and_a_data_object(control):
    unknown = {"provider": "rebilly", "key": "not-a-sandbox-key"}
    assert_problem(control.post("/_sandbox/fixtures", params=unknown, json={"data": {}}), 404)
    not_an_object = control.post("/_sandbox/fixtures", params=REBILLY, json={"data": []})
    assert_problem(not_an_object, 422, "data")
    assert_problem(control.post("/_sandbox/fixtures", params={"provider": "rebilly"},
                                json={"data": {}}), 422, "key")
