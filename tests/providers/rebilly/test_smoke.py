from .conftest import DRAFT


def test_adding_an_item_returns_201_with_absolute_location(client, auth):
    response = client.post(f"/rebilly/invoices/{DRAFT}/items", headers=auth,
                           json={"type": "debit", "unitPrice": 10.1, "quantity": 3})
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"http://testserver/rebilly/invoices/{DRAFT}/items/{body['id']}"
    assert body["price"] == 30.3
