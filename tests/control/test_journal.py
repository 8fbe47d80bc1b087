from tests.control.conftest import REBILLY, REBILLY_KEY, assert_problem, create_invoice


def entries(client, **params) -> list[dict]:
    return client.get("/_sandbox/journal", params=params).json()["entries"]


def test_the_journal_filters_by_provider_key_operation_and_status(control):
    create_invoice(control)
    create_invoice(control, "sk_sandbox_other")
    control.get("/rebilly/invoices/in_missing", headers={"REB-APIKEY": REBILLY_KEY})
    control.get("/lineitems/invoices", headers={"Authorization": f"Bearer {REBILLY_KEY}"})
    assert len(entries(control)) == 4
    assert [e["key"] for e in entries(control, **REBILLY)] == [REBILLY_KEY] * 2
    assert [e["provider"] for e in entries(control, provider="lineitems")] == ["lineitems"]
    assert len(entries(control, operation="PostInvoice")) == 2
    assert [e["path"] for e in entries(control, status=404)] == ["/rebilly/invoices/in_missing"]


def test_clearing_the_journal_of_one_tenant_keeps_the_others(control):
    create_invoice(control)
    create_invoice(control, "sk_sandbox_other")
    assert control.delete("/_sandbox/journal", params=REBILLY).json() == {"cleared": 1}
    assert [e["key"] for e in entries(control)] == ["sk_sandbox_other"]
    assert control.delete("/_sandbox/journal").json() == {"cleared": 1}
    assert entries(control) == []


def test_journal_misuse_is_a_clear_4xx(control):
    assert_problem(control.get("/_sandbox/journal", params={"provider": "paypal"}), 404)
    unknown = {"provider": "rebilly", "key": "nobody"}
    assert_problem(control.get("/_sandbox/journal", params=unknown), 404)
    assert_problem(control.get("/_sandbox/journal", params={"status": "teapot"}), 422, "status")


def test_a_valid_key_without_requests_has_an_empty_journal(control):
    assert entries(control, provider="rebilly", key="sk_sandbox_quiet") == []
