from tests.control.conftest import assert_problem


def test_a_new_tenant_has_a_fresh_key_per_provider_in_its_sandbox_key_shape(control):
    tenant = control.post("/_sandbox/tenants").json()
    keys = {name: p["key"] for name, p in tenant["providers"].items()}
    suffix = tenant["id"]
    assert keys == {"rebilly": f"sk_sandbox_{suffix}", "billingrails": f"sk_site_{suffix}",
                    "lineitems": f"sk_sandbox_{suffix}"}
    assert tenant["providers"]["rebilly"]["headers"] == {"REB-APIKEY": keys["rebilly"]}
    assert tenant["providers"]["billingrails"]["headers"] == {
        "Authorization": f"Bearer {keys['billingrails']}"}


def test_each_new_tenant_gets_other_keys(control):
    first = control.post("/_sandbox/tenants").json()["id"]
    second = control.post("/_sandbox/tenants").json()["id"]
    assert first != second


def test_a_new_tenant_is_seeded_with_the_default_fixtures(control):
    tenant = control.post("/_sandbox/tenants", json={"providers": ["billingrails"]}).json()
    usage = tenant["providers"]["billingrails"]
    response = control.get(f"{usage['basePath']}/invoices/inv_DraftUSD01", headers=usage["headers"])
    assert response.status_code == 200 and list(tenant["providers"]) == ["billingrails"]


def test_a_tenant_created_without_fixtures_starts_empty(control):
    usage = control.post("/_sandbox/tenants", json={"fixtures": False}).json()["providers"]
    response = control.get("/lineitems/invoices", headers=usage["lineitems"]["headers"])
    assert response.json() == {"items": []}


def test_a_tenant_clock_and_seed_apply_to_its_fixtures_and_its_requests(control):
    body = {"providers": ["rebilly"], "clock": "2030-06-01T12:00:00Z", "seed": 7}
    usage = control.post("/_sandbox/tenants", json=body).json()["providers"]["rebilly"]
    invoices = control.get("/rebilly/invoices", headers=usage["headers"]).json()
    assert invoices[0]["createdTime"] == "2030-06-01T12:00:00Z"
    clock = control.get("/_sandbox/clock", params={"provider": "rebilly", "key": usage["key"]})
    assert clock.json() == {"now": "2030-06-01T12:00:00Z", "frozen": True, "setBy": "tenant"}


def test_a_named_tenant_repeats_its_ids_after_a_reset(control):
    body = {"providers": ["rebilly"], "id": "repeatable", "seed": 3, "fixtures": False}
    ids = []
    for _ in range(2):
        usage = control.post("/_sandbox/tenants", json=body).json()["providers"]["rebilly"]
        created = control.post("/rebilly/invoices", headers=usage["headers"], json={
            "customerId": "c", "websiteId": "w", "currency": "USD"})
        ids.append(created.json()["id"])
        control.post("/_sandbox/reset", params={"provider": "rebilly", "key": usage["key"]})
    assert usage["key"] == "sk_sandbox_repeatable" and ids[0] == ids[1]


def test_a_named_tenant_in_use_is_a_conflict(control):
    control.post("/_sandbox/tenants", json={"id": "taken"})
    problem = assert_problem(control.post("/_sandbox/tenants", json={"id": "taken"}), 409)
    assert "sk_sandbox_taken" in problem["detail"]


def test_an_unknown_provider_is_refused_naming_the_served_ones(control):
    response = control.post("/_sandbox/tenants", json={"providers": ["stripe"]})
    problem = assert_problem(response, 422, "providers")
    assert "rebilly, billingrails, lineitems" in problem["detail"]


def test_a_bad_clock_or_unknown_option_is_refused(control):
    assert_problem(control.post("/_sandbox/tenants", json={"clock": "tomorrow"}), 422, "clock")
    assert_problem(control.post("/_sandbox/tenants", json={"color": "red"}), 422, "color")
