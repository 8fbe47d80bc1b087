"""past-due is derived on every read from the sandbox clock: an unpaid or partially-paid
invoice is past-due once the clock is more than 24 hours past its dueTime (Rebilly: "the
payment time-frame has exceeded by more than 24 hours"). Nothing is written for it."""

from __future__ import annotations

from .conftest import DAY, ROOT, advance, get, issued, pay


def test_an_unpaid_invoice_is_past_due_31_days_after_its_due_time(client, auth):
    invoice = issued(client, auth, dueTime="2024-01-01T00:00:00Z")
    advance(client, 31 * DAY)
    assert get(client, auth, invoice["id"])["status"] == "past-due"


def test_past_due_starts_24_hours_after_the_due_time(client, auth):
    invoice = issued(client, auth)
    advance(client, DAY)
    assert get(client, auth, invoice["id"])["status"] == "unpaid"
    advance(client, 1)
    assert get(client, auth, invoice["id"])["status"] == "past-due"


def test_past_due_shows_in_lists_and_their_status_filter(client, auth):
    invoice = issued(client, auth)
    advance(client, 31 * DAY)
    listed = client.get(f"{ROOT}/invoices?filter=status:past-due", headers=auth).json()
    assert [i["id"] for i in listed] == [invoice["id"]]
    assert client.get(f"{ROOT}/invoices?filter=status:unpaid", headers=auth).json() == []


def test_a_partially_paid_invoice_becomes_past_due_too(client, auth):
    invoice = issued(client, auth)
    pay(client, auth, invoice["id"], 10)
    advance(client, 2 * DAY)
    body = get(client, auth, invoice["id"])
    assert (body["status"], body["amountDue"]) == ("past-due", 90)


def test_moving_the_clock_back_makes_it_unpaid_again(client, auth):
    invoice = issued(client, auth)
    advance(client, 31 * DAY)
    advance(client, -31 * DAY)
    assert get(client, auth, invoice["id"])["status"] == "unpaid"


def test_a_paid_invoice_is_never_past_due(client, auth):
    invoice = issued(client, auth)
    pay(client, auth, invoice["id"])
    advance(client, 31 * DAY)
    assert get(client, auth, invoice["id"])["status"] == "paid"


def test_an_item_added_to_a_past_due_invoice_answers_with_the_invoice_still_past_due(
        client, auth):
    invoice = issued(client, auth)
    advance(client, 31 * DAY)
    response = client.post(f"{ROOT}/invoices/{invoice['id']}/items", headers=auth,
                           json={"type": "debit", "unitPrice": 5})
    assert response.status_code == 201
    body = get(client, auth, invoice["id"])
    assert (body["status"], body["amountDue"]) == ("past-due", 105)
