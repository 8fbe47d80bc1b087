"""The lifecycle table in ``billing``, pure: which (status, action) pairs exist, and the
statuses the clock derives. Fixtures are held to the same rules."""

from datetime import datetime, timezone

import pytest

from invoice_sandbox.providers.billingrails import billing
from invoice_sandbox.providers.billingrails.errors import StateError

JAN_31 = "2024-01-31T00:00:00.000Z"
BEFORE = datetime(2024, 1, 30, tzinfo=timezone.utc)
AFTER = datetime(2024, 2, 1, tzinfo=timezone.utc)


def invoice(status, due_at=JAN_31):
    return {"id": "inv_x", "status": status, "due_at": due_at, "subtotal_amount": 1000,
            "credit_amount": 0, "paid_amount": 0}


def test_the_table_is_the_whole_lifecycle():
    assert {(t.source, t.action, t.target) for t in billing.TRANSITIONS} == {
        ("draft", "update", "draft"), ("draft", "add_item", "draft"),
        ("draft", "issue", "issued"), ("issued", "pay", "paid"),
        ("partially_paid", "pay", "paid"), ("overdue", "pay", "paid"),
        ("issued", "due", "overdue"), ("partially_paid", "due", "overdue")}
    issue = billing.transition(invoice("draft"), "issue", BEFORE)
    assert billing.apply(invoice("draft"), issue, "T")["issued_at"] == "T"


@pytest.mark.parametrize("status", sorted(billing.STATUSES - {"draft"}))
@pytest.mark.parametrize("action", ["update", "issue"])
def test_only_drafts_are_updated_or_issued(status, action):
    with pytest.raises(StateError) as refused:
        billing.transition(invoice(status), action, BEFORE)
    assert refused.value.status == 409 and refused.value.fields[0].field == "invoice"


@pytest.mark.parametrize("status", sorted(billing.STATUSES - {"issued", "partially_paid",
                                                              "overdue"}))
def test_only_open_invoices_are_paid(status):
    with pytest.raises(StateError):
        billing.transition(invoice(status), "pay", BEFORE)


def test_the_clock_makes_open_invoices_overdue_after_due_at_and_nothing_else():
    for status in billing.STATUSES - billing.DERIVED_STATUSES:
        expected = "overdue" if status in ("issued", "partially_paid") else status
        assert billing.status_at(invoice(status), AFTER) == expected
        assert billing.status_at(invoice(status), BEFORE) == status
    exactly = datetime(2024, 1, 31, tzinfo=timezone.utc)
    assert billing.status_at(invoice("issued"), exactly) == "issued"
    assert billing.transition(invoice("issued"), "pay", AFTER).source == "overdue"


def test_due_times_python_cannot_hold_fall_on_the_right_side():
    assert billing.status_at(invoice("issued", "0001-01-01T00:00:00+01:00"), BEFORE) == "overdue"
    assert billing.status_at(invoice("issued", "9999-12-31T23:59:59-01:00"), AFTER) == "issued"


def test_a_payment_settles_what_is_outstanding():
    assert billing.settle({**invoice("partially_paid"), "paid_amount": 400,
                           "credit_amount": 100}) == 500


@pytest.mark.parametrize("status, total, paid", [
    ("paid", 1000, 999), ("partially_paid", 1000, 0), ("partially_paid", 1000, 1000),
    ("issued", 1000, 1001)])
def test_seeded_amounts_must_fit_the_status(status, total, paid):
    with pytest.raises(ValueError):
        billing.check_seeded_amounts(status, total, paid)
    billing.check_seeded_amounts("paid", 10, 10)
    billing.check_seeded_amounts("partially_paid", 10, 3)


def test_fixtures_cannot_seed_overdue_nor_an_inconsistent_paid_amount(client):
    params = {"provider": "billingrails", "key": "sk_site_mine"}
    account = {"id": "acc_F", "name": "F", "email": "f@example.com"}
    item = {"name": "x", "quantity": 1, "unit_amount": 1000}
    for bad in ({"status": "overdue"}, {"status": "partially_paid", "paid_amount": 1000}):
        entry = {"id": "inv_F", "account_id": "acc_F", "currency": "USD", "items": [item], **bad}
        answer = client.post("/_sandbox/fixtures", params=params,
                             json={"data": {"accounts": [account], "invoices": [entry]}})
        assert answer.status_code == 422, answer.text
    paid = {"id": "inv_F", "account_id": "acc_F", "currency": "USD", "items": [item],
            "status": "paid", "issued_at": "2023-12-01T00:00:00Z"}
    loaded = client.post("/_sandbox/fixtures", params=params,
                         json={"data": {"accounts": [account], "invoices": [paid]}})
    assert loaded.status_code == 200, loaded.text
    got = client.get("/billingrails/v1/invoices/inv_F",
                     headers={"Authorization": "Bearer sk_site_mine"}).json()["invoice"]
    assert (got["status"], got["paid_amount"], got["issued_at"]) == (
        "paid", 1000, "2023-12-01T00:00:00.000Z")
