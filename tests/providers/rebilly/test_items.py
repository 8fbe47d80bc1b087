"""Invoice items: created, read, updated and deleted as Rebilly documents them."""

from datetime import timedelta

from .conftest import DRAFT, ROOT, add_item


def test_adding_item_answers_201_with_absolute_location_and_item(client, auth):
    response = add_item(client, auth, unitPrice=10.1, quantity=3, description="Seats")
    assert response.status_code == 201
    item = response.json()
    assert response.headers["location"] == (
        f"http://testserver/rebilly/invoices/{DRAFT}/items/{item['id']}"
    )
    assert item["id"].startswith("ii_") and len(item["id"]) == 29
    assert (item["type"], item["description"], item["unitPrice"], item["quantity"]) == (
        "debit", "Seats", 10.1, 3)
    assert item["price"] == 30.3
    assert item["createdTime"] == item["updatedTime"] == "2024-01-01T00:00:00Z"
    assert item["_links"] == [{"rel": "self", "href": response.headers["location"]}]


def test_quantity_defaults_to_one(client, auth):
    assert add_item(client, auth, unitPrice=7.5).json()["quantity"] == 1


def test_discount_reduces_the_item_price(client, auth):
    item = add_item(client, auth, unitPrice=20, quantity=2, discountAmount=5.5).json()
    assert item["price"] == 34.5
    assert item["discountAmount"] == 5.5


def test_product_plan_and_subscription_ids_become_links(client, auth):
    item = add_item(client, auth, productId="prod_1", planId="plan_1", subscriptionId="sub_1").json()
    rels = {link["rel"]: link["href"] for link in item["_links"]}
    assert rels["product"] == "http://testserver/rebilly/products/prod_1"
    assert rels["plan"] == "http://testserver/rebilly/plans/plan_1"
    assert rels["subscription"] == "http://testserver/rebilly/subscriptions/sub_1"


def test_organization_root_serves_the_same_api_and_keeps_it_in_urls(client, auth):
    root = "/rebilly/organizations/org-42"
    response = add_item(client, auth, root=root)
    assert response.status_code == 201
    assert response.headers["location"].startswith(f"http://testserver{root}/invoices/{DRAFT}/")
    assert client.get(f"{root}/invoices/{DRAFT}", headers=auth).status_code == 200


def test_item_list_is_a_bare_array_with_limit_and_offset(client, auth):
    for price in (1, 2, 3):
        add_item(client, auth, unitPrice=price)
    items = client.get(f"{ROOT}/invoices/{DRAFT}/items", headers=auth).json()
    assert isinstance(items, list) and len(items) == 4  # the fixture's item plus three
    page = client.get(f"{ROOT}/invoices/{DRAFT}/items?limit=2&offset=1", headers=auth).json()
    assert [i["unitPrice"] for i in page] == [1, 2]


def test_item_can_be_read_back(client, auth):
    created = add_item(client, auth, unitPrice=3.25, quantity=4).json()
    read = client.get(f"{ROOT}/invoices/{DRAFT}/items/{created['id']}", headers=auth)
    assert read.status_code == 200
    assert read.json() == created


def test_put_replaces_the_item_and_recomputes_price(client, app, auth):
    created = add_item(client, auth, unitPrice=3, quantity=4, description="old").json()
    app.sandbox.settings.advance_clock(None, timedelta(minutes=5))
    url = f"{ROOT}/invoices/{DRAFT}/items/{created['id']}"
    updated = client.put(url, headers=auth, json={"type": "debit", "unitPrice": 2.5, "quantity": 2})
    assert updated.status_code == 200
    body = updated.json()
    assert body["price"] == 5 and "description" not in body
    assert body["createdTime"] == "2024-01-01T00:00:00Z"
    assert body["updatedTime"] == "2024-01-01T00:05:00Z"


def test_deleted_item_is_gone(client, auth):
    created = add_item(client, auth).json()
    url = f"{ROOT}/invoices/{DRAFT}/items/{created['id']}"
    deleted = client.delete(url, headers=auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(url, headers=auth).status_code == 404
