"""Fixtures seed any status with the timestamps it implies: given in the entry, or the
tenant's clock; a timestamp the status cannot have is refused, naming the entry."""

from __future__ import annotations

import pytest

from .conftest import DAY, KEY, PAID, VOIDED, advance, get

ENTRY = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
         "items": [{"type": "debit", "unitPrice": 50}]}
REBILLY = {"provider": "rebilly", "key": KEY}


def _load(client, **fields):
    return client.post("/_sandbox/fixtures", params=REBILLY,
                       json={"data": {"invoices": [{**ENTRY, "id": "in_seeded", **fields}]}})


def test_the_default_paid_and_voided_invoices_carry_their_timestamps(client, auth):
    paid, voided = get(client, auth, PAID), get(client, auth, VOIDED)
    assert (paid["issuedTime"], paid["dueTime"], paid["paidTime"]) == (
        "2023-12-01T09:00:00Z", "2023-12-15T09:00:00Z", "2023-12-10T14:30:00Z")
    assert (voided["issuedTime"], voided["voidedTime"]) == (
        "2023-12-01T09:00:00Z", "2023-12-02T11:00:00Z")
    assert paid["voidedTime"] is None and voided["paidTime"] is None


@pytest.mark.parametrize(("status", "stamps"), [
    ("unpaid", ("issuedTime", "dueTime")),
    ("paid", ("issuedTime", "dueTime", "paidTime")),
    ("voided", ("issuedTime", "dueTime", "voidedTime")),
    ("abandoned", ("issuedTime", "dueTime", "abandonedTime")),
])
def test_a_seeded_status_gets_the_timestamps_it_implies_from_the_clock(
        client, auth, status, stamps):
    assert _load(client, status=status).status_code == 200
    invoice = get(client, auth, "in_seeded")
    assert invoice["status"] == status
    assert all(invoice[name] == "2024-01-01T00:00:00Z" for name in stamps)


def test_a_seeded_voided_invoice_owes_nothing(client, auth):
    _load(client, status="voided")
    invoice = get(client, auth, "in_seeded")
    assert (invoice["amount"], invoice["amountDue"]) == (50, 0)


def test_a_seeded_past_due_invoice_is_past_due_and_can_be_paid(client, auth):
    _load(client, status="past-due")
    invoice = get(client, auth, "in_seeded")
    assert (invoice["status"], invoice["dueTime"]) == ("past-due", "2023-12-30T23:00:00Z")


def test_a_seeded_unpaid_invoice_with_a_due_time_turns_past_due_with_the_clock(client, auth):
    _load(client, status="unpaid", dueTime="2024-01-10T00:00:00Z")
    assert get(client, auth, "in_seeded")["status"] == "unpaid"
    advance(client, 31 * DAY)
    assert get(client, auth, "in_seeded")["status"] == "past-due"


@pytest.mark.parametrize("fields", [
    {"status": "unpaid", "paidTime": "2024-01-01T00:00:00Z"},
    {"status": "draft", "issuedTime": "2024-01-01T00:00:00Z"},
    {"status": "paid", "voidedTime": "2024-01-01T00:00:00Z"},
    {"status": "past-due", "dueTime": "2023-12-31T12:00:00Z"},
])
def test_a_timestamp_the_status_cannot_have_is_refused(client, auth, fields):
    response = _load(client, **fields)
    assert response.status_code == 422, response.text
    assert "in_seeded" in response.json()["detail"]
    assert client.get("/rebilly/invoices/in_seeded", headers=auth).status_code == 404
