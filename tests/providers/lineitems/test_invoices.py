"""Reading invoices: one by id, the paged list, and who may read what."""

import pytest

from .conftest import DRAFT_EUR, OTHER_KEY, PAID, ROOT, UPCOMING, VOID, add_line, bearer

SEEDED = [UPCOMING, PAID, VOID, DRAFT_EUR]
SUMMARY_FIELDS = {"id", "accountId", "currency", "description", "billingPeriodStart",
                  "billingPeriodEnd", "billingPeriod", "status", "total", "createdAt",
                  "updatedAt"}


def list_invoices(client, auth, query=""):
    return client.get(f"{ROOT}/invoices{query}", headers=auth)


def test_list_wraps_invoice_summaries_in_items(client, auth):
    response = list_invoices(client, auth)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == SEEDED
    assert all(set(i) == SUMMARY_FIELDS for i in items)


def test_list_shows_totals_after_a_line_is_added(client, auth):
    add_line(client, auth, quantity="3", unitPrice="0.1")
    first = list_invoices(client, auth).json()["items"][0]
    assert (first["id"], first["total"]) == (UPCOMING, "700.3")


@pytest.mark.parametrize("query, ids", [
    ("?limit=2", SEEDED[:2]),
    ("?limit=2&page=2", SEEDED[2:]),
    ("?limit=3&page=2", SEEDED[3:]),
    ("?limit=2&page=3", []),
    ("?limit=1000", SEEDED),  # over 100 is treated as 100, not rejected
])
def test_list_pages_with_page_and_limit(client, auth, query, ids):
    assert [i["id"] for i in list_invoices(client, auth, query).json()["items"]] == ids


@pytest.mark.parametrize("query, field", [
    ("?page=0", "page"), ("?limit=0", "limit"), ("?page=abc", "page"), ("?limit=-5", "limit"),
])
def test_bad_paging_parameters_are_rejected_naming_the_parameter(client, auth, query, field):
    response = list_invoices(client, auth, query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_unknown_invoice_is_404(client, auth):
    response = client.get(f"{ROOT}/invoices/nOtThErE", headers=auth)
    assert response.status_code == 404
    assert response.json()["detail"] == "Invoice nOtThErE not found."


def test_seeded_invoices_derive_label_and_description_from_the_period(client, auth):
    invoice = client.get(f"{ROOT}/invoices/{DRAFT_EUR}", headers=auth).json()
    assert invoice["billingPeriod"] == "Feb 1, 2024 - Feb 29, 2024"
    assert invoice["description"] == "Invoice for period February 1, 2024 to February 29, 2024"
    assert invoice["issueDate"] is None and invoice["lineItems"][0]["isEditable"] is False


def test_paid_invoice_has_nothing_remaining(client, auth):
    invoice = client.get(f"{ROOT}/invoices/{PAID}", headers=auth).json()
    assert (invoice["total"], invoice["amountPaid"], invoice["amountRemaining"]) == (
        "700", "700", "0")


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Basic c2tfc2FuZGJveF9saW5laXRlbXNfZGVtbzo="},
    {"Authorization": "Bearer sk_live_not_a_sandbox_key"},
    {"Authorization": "Bearer sk_sandbox_"},
])
def test_missing_or_invalid_key_is_401(client, headers):
    response = client.get(f"{ROOT}/invoices/{UPCOMING}", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"status": 401, "errors": [],
                               "detail": "Unauthorized: missing or invalid API key."}


def test_any_sandbox_key_is_a_fresh_tenant_with_the_default_invoices(client):
    response = list_invoices(client, bearer("sk_sandbox_my-own_tenant"))
    assert [i["id"] for i in response.json()["items"]] == SEEDED


def test_tenants_do_not_see_each_others_line_items(client, auth):
    add_line(client, auth)
    mine = client.get(f"{ROOT}/invoices/{UPCOMING}", headers=auth).json()
    theirs = client.get(f"{ROOT}/invoices/{UPCOMING}", headers=bearer(OTHER_KEY)).json()
    assert (len(mine["lineItems"]), len(theirs["lineItems"])) == (3, 2)
