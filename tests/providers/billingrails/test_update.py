"""PUT /invoices/{id}: a partial update of a draft; ``line_items`` becomes the item list."""

import pytest

from .conftest import DRAFT, ISSUED, PAID, ROOT, VOIDED, get_invoice, issue, update
from .test_errors import error


def items_of(response) -> list[tuple]:
    return [(i["name"], i["quantity"], i["unit_amount"])
            for i in response.json()["invoice"]["items"]]


def test_fields_left_out_keep_their_values(client, auth):
    before = get_invoice(client, auth).json()["invoice"]
    updated = update(client, auth, due_at="2024-03-01T00:00:00+01:00",
                     collection_method="automatic")
    assert updated.status_code == 200, updated.text
    invoice = updated.json()["invoice"]
    assert (invoice["due_at"], invoice["collection_method"]) == (
        "2024-02-29T23:00:00.000Z", "automatic")
    assert invoice["items"] == before["items"] and invoice["status"] == "draft"
    assert update(client, auth).json() == updated.json()
    assert get_invoice(client, auth).json() == updated.json()


def test_an_item_edited_by_id_keeps_what_was_not_sent_and_totals_follow(client, auth):
    item = get_invoice(client, auth).json()["invoice"]["items"][0]
    updated = update(client, auth, line_items=[{"id": item["id"], "quantity": 2}])
    invoice = updated.json()["invoice"]
    assert invoice["items"][0] == {**item, "quantity": 2, "subtotal_amount": 2000,
                                   "total_amount": 2000}
    assert (invoice["subtotal_amount"], invoice["total_amount"]) == (2000, 2000)


def test_line_items_replace_the_list_new_ones_added_unlisted_ones_removed(client, auth):
    kept = get_invoice(client, auth).json()["invoice"]["items"][0]["id"]
    updated = update(client, auth, line_items=[
        {"name": "Seats", "quantity": 3, "unit_amount": 1999},
        {"id": kept, "name": "Basic Plan v2"}])
    assert items_of(updated) == [("Basic Plan v2", 1, 1000), ("Seats", 3, 1999)]
    assert updated.json()["invoice"]["items"][0]["id"] == kept
    assert updated.json()["invoice"]["total_amount"] == 6997
    seats = updated.json()["invoice"]["items"][1]["id"]
    assert items_of(update(client, auth, line_items=[{"id": seats}])) == [("Seats", 3, 1999)]
    emptied = update(client, auth, line_items=[])
    assert items_of(emptied) == [] and emptied.json()["invoice"]["total_amount"] == 0


@pytest.mark.parametrize("invoice, status", [
    (ISSUED, "issued"), (PAID, "paid"), (VOIDED, "voided")])
def test_updating_anything_but_a_draft_is_a_409_and_changes_nothing(client, auth, invoice,
                                                                     status):
    before = get_invoice(client, auth, invoice).json()
    body = error(update(client, auth, invoice, due_at="2030-01-01T00:00:00Z"), 409,
                 "validation_error")
    assert f"is {status}; only draft invoices can be updated" in body["message"]
    assert get_invoice(client, auth, invoice).json() == before


def test_an_issued_draft_can_no_longer_be_updated(client, auth):
    issue(client, auth)
    error(update(client, auth, collection_method="automatic"), 409, "validation_error")


def test_bad_line_items_are_refused_and_change_nothing(client, auth):
    before = get_invoice(client, auth).json()
    kept = before["invoice"]["items"][0]["id"]
    unknown = error(update(client, auth, line_items=[{"id": "item_0000000000", "quantity": 2}]),
                    409, "validation_error")
    assert unknown["details"] == [{"field": "line_items.0.id", "message":
                                   "Line item item_0000000000 is not on this invoice."}]
    twice = error(update(client, auth, line_items=[{"id": kept}, {"id": kept}]), 409,
                  "validation_error")
    assert twice["details"][0]["field"] == "line_items.1.id"
    error(update(client, auth, line_items=[{"quantity": 2}]), 400, "validation_error")
    error(update(client, auth, due_at="soon", line_items=[{"id": kept, "quantity": 0}]), 400,
          "validation_error")
    error(update(client, auth, "inv_0000000000"), 404, "not_found")
    assert get_invoice(client, auth).json() == before


def test_patch_is_not_a_documented_method(client, auth):
    response = client.patch(f"{ROOT}/invoices/{DRAFT}", headers=auth, json={})
    error(response, 405, "method_not_allowed")
