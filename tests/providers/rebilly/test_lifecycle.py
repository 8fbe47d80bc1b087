"""Invoice lifecycle through Rebilly's own operations: issue, void, abandon, reissue and
recalculate. Every transition the table in lifecycle.py allows, and every refusal: the
vendor's error and nothing changed."""

from __future__ import annotations

import pytest

from invoice_sandbox.providers.rebilly import lifecycle

from .conftest import (
    DAY, DRAFT, PAID, ROOT, VOIDED, act, advance, create, get, issued, pay, refused,
)

NOW = "2024-01-01T00:00:00Z"


# -- issue ------------------------------------------------------------------------------------

def test_issuing_a_draft_makes_it_unpaid_now_and_due_now(client, auth):
    draft = create(client, auth)
    response = act(client, auth, draft["id"], "issue")
    assert response.status_code == 201
    assert response.headers["location"] == f"http://testserver/rebilly/invoices/{draft['id']}"
    body = response.json()
    assert (body["status"], body["issuedTime"], body["dueTime"]) == ("unpaid", NOW, NOW)
    assert (body["amountDue"], body["paidTime"], body["voidedTime"]) == (100, None, None)
    assert get(client, auth, draft["id"]) == body


def test_issuing_takes_the_issued_and_due_times_sent(client, auth):
    body = {"issuedTime": "2024-01-02T10:00:00+02:00", "dueTime": "2024-02-01T00:00:00Z"}
    invoice = issued(client, auth, **body)
    assert (invoice["issuedTime"], invoice["dueTime"]) == (
        "2024-01-02T08:00:00Z", "2024-02-01T00:00:00Z")


def test_issuing_keeps_a_due_time_set_on_the_draft(client, auth):
    draft = create(client, auth, dueTime="2024-03-01T00:00:00Z")
    invoice = act(client, auth, draft["id"], "issue", {"issuedTime": None}).json()
    assert (invoice["issuedTime"], invoice["dueTime"]) == (NOW, "2024-03-01T00:00:00Z")


@pytest.mark.parametrize("invoice_id", [PAID, VOIDED])
def test_issuing_anything_but_a_draft_is_a_409_and_changes_nothing(client, auth, invoice_id):
    problem = _refused_unchanged(client, auth, invoice_id, "issue", "cannot be issued")
    assert problem["title"].startswith("The request could not be completed due to a conflict")


def test_issuing_an_issued_invoice_again_is_a_409(client, auth):
    invoice = issued(client, auth)
    refused(act(client, auth, invoice["id"], "issue"), 409, "status unpaid cannot be issued")
    assert get(client, auth, invoice["id"]) == invoice


@pytest.mark.parametrize("action", ["issue", "void", "abandon", "reissue", "recalculate"])
def test_a_transition_of_an_unknown_invoice_is_a_404(client, auth, action):
    refused(act(client, auth, "in_nope", action), 404, "Invoice with ID in_nope was not found.")


def test_issuing_with_a_malformed_time_is_a_422_and_changes_nothing(client, auth):
    draft = create(client, auth)
    problem = refused(act(client, auth, draft["id"], "issue", {"dueTime": "soon"}), 422)
    assert [f["field"] for f in problem["invalidFields"]] == ["dueTime"]
    assert get(client, auth, draft["id"]) == draft


# -- void ------------------------------------------------------------------------------------

def _refused_unchanged(client, auth, invoice_id, action, detail) -> dict:
    """``action`` refused with 409 naming ``detail``; the invoice reads as it did before."""
    before = get(client, auth, invoice_id)
    problem = refused(act(client, auth, invoice_id, action), 409, detail)
    assert get(client, auth, invoice_id) == before
    return problem


def _abandoned(client, auth) -> dict:
    invoice = issued(client, auth)
    return act(client, auth, invoice["id"], "abandon").json()


def _past_due(client, auth) -> dict:
    invoice = issued(client, auth)
    advance(client, 31 * DAY)
    return get(client, auth, invoice["id"])


@pytest.mark.parametrize("make", [
    pytest.param(lambda c, a: create(c, a), id="draft"),
    pytest.param(lambda c, a: issued(c, a), id="unpaid"),
    pytest.param(_past_due, id="past-due"),
    pytest.param(_abandoned, id="abandoned"),
])
def test_voiding_sets_voided_time_and_zeroes_the_amount_due(client, auth, make):
    invoice = make(client, auth)
    response = act(client, auth, invoice["id"], "void")
    assert response.status_code == 201
    assert response.headers["location"].endswith(f"/rebilly/invoices/{invoice['id']}")
    body = response.json()
    assert (body["status"], body["amountDue"], body["amount"]) == ("voided", 0, 100)
    assert body["voidedTime"] == body["updatedTime"]
    assert get(client, auth, invoice["id"]) == body


@pytest.mark.parametrize("invoice_id", [PAID, VOIDED])
def test_voiding_a_paid_or_voided_invoice_is_a_409_and_changes_nothing(client, auth, invoice_id):
    _refused_unchanged(client, auth, invoice_id, "void", "cannot be voided")


def test_voiding_a_partially_paid_invoice_is_a_409(client, auth):
    invoice = issued(client, auth)
    part_paid = pay(client, auth, invoice["id"], 40).json()
    refused(act(client, auth, invoice["id"], "void"), 409, "partially-paid cannot be voided")
    assert get(client, auth, invoice["id"]) == part_paid


# -- abandon ---------------------------------------------------------------------------------

@pytest.mark.parametrize("paid_first", [None, 40])
def test_abandoning_an_open_invoice_sets_abandoned_time(client, auth, paid_first):
    invoice = issued(client, auth)
    if paid_first:
        pay(client, auth, invoice["id"], paid_first)
    advance(client, 60)
    body = act(client, auth, invoice["id"], "abandon").json()
    assert (body["status"], body["abandonedTime"]) == ("abandoned", "2024-01-01T00:01:00Z")
    assert body["amountDue"] == 100 - (paid_first or 0)


def test_abandoning_a_past_due_invoice_is_allowed(client, auth):
    invoice = _past_due(client, auth)
    assert act(client, auth, invoice["id"], "abandon").json()["status"] == "abandoned"


@pytest.mark.parametrize("invoice_id", [DRAFT, PAID, VOIDED])
def test_abandoning_a_draft_paid_or_voided_invoice_is_a_409(client, auth, invoice_id):
    _refused_unchanged(client, auth, invoice_id, "abandon", "cannot be abandoned")


def test_abandoning_twice_is_a_409(client, auth):
    invoice = _abandoned(client, auth)
    refused(act(client, auth, invoice["id"], "abandon"), 409, "abandoned cannot be abandoned")


# -- reissue ---------------------------------------------------------------------------------

def test_reissuing_an_abandoned_invoice_makes_it_unpaid_again(client, auth):
    invoice = _abandoned(client, auth)
    advance(client, DAY)
    response = act(client, auth, invoice["id"], "reissue", {"dueTime": "2024-02-01T00:00:00Z"})
    assert response.status_code == 201 and "location" in response.headers
    body = response.json()
    assert (body["status"], body["abandonedTime"]) == ("unpaid", None)
    assert (body["issuedTime"], body["dueTime"]) == ("2024-01-02T00:00:00Z",
                                                     "2024-02-01T00:00:00Z")


def test_reissuing_without_a_due_time_makes_it_due_now(client, auth):
    invoice = _past_due(client, auth)
    body = act(client, auth, invoice["id"], "reissue").json()
    assert body["status"] == "unpaid" and body["dueTime"] == "2024-02-01T00:00:00Z"


def test_reissuing_a_partially_paid_invoice_keeps_it_partially_paid(client, auth):
    invoice = issued(client, auth)
    pay(client, auth, invoice["id"], 30)
    body = act(client, auth, invoice["id"], "reissue").json()
    assert (body["status"], body["amountDue"]) == ("partially-paid", 70)


@pytest.mark.parametrize("invoice_id", [DRAFT, PAID, VOIDED])
def test_reissuing_a_draft_paid_or_voided_invoice_is_a_409(client, auth, invoice_id):
    _refused_unchanged(client, auth, invoice_id, "reissue", "cannot be reissued")


# -- recalculate -----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    pytest.param(lambda c, a: create(c, a), id="draft"),
    pytest.param(lambda c, a: issued(c, a), id="unpaid"),
    pytest.param(_past_due, id="past-due"),
])
def test_recalculating_keeps_the_status_and_the_amounts_of_the_items(client, auth, make):
    invoice = make(client, auth)
    response = act(client, auth, invoice["id"], "recalculate")
    assert response.status_code == 201 and "location" in response.headers
    body = response.json()
    assert (body["status"], body["amount"], body["amountDue"]) == (
        invoice["status"], 100, 100)


def test_recalculating_a_partially_paid_invoice_keeps_what_was_paid(client, auth):
    invoice = issued(client, auth)
    pay(client, auth, invoice["id"], 25)
    body = act(client, auth, invoice["id"], "recalculate").json()
    assert (body["status"], body["amountDue"]) == ("partially-paid", 75)


@pytest.mark.parametrize("invoice_id", [PAID, VOIDED])
def test_recalculating_a_paid_or_voided_invoice_is_a_409(client, auth, invoice_id):
    _refused_unchanged(client, auth, invoice_id, "recalculate", "cannot be recalculated")


def test_recalculating_an_abandoned_invoice_is_a_409(client, auth):
    invoice = _abandoned(client, auth)
    refused(act(client, auth, invoice["id"], "recalculate"), 409, "abandoned")


# -- the table -------------------------------------------------------------------------------

def test_the_state_machine_is_one_table_of_every_action():
    actions = {row.action for row in lifecycle.TRANSITIONS}
    assert actions == {"issue", "pay", "void", "abandon", "reissue", "recalculate"}
    assert "past-due" not in {row.target for row in lifecycle.TRANSITIONS}


def test_a_refused_transition_leaves_the_invoice_list_unchanged(client, auth):
    before = client.get(f"{ROOT}/invoices", headers=auth).json()
    act(client, auth, PAID, "void")
    act(client, auth, VOIDED, "issue")
    assert client.get(f"{ROOT}/invoices", headers=auth).json() == before
