"""Bad input gets Rebilly's problem-details body, never a 500, and stores nothing."""

import base64
import json

import pytest

from .conftest import DRAFT, PAID, ROOT, VOIDED, add_item

UNAUTHORIZED = {
    "type": "https://api-reference.rebilly.com/#section/Errors/Unauthorized",
    "title": "Unauthorized",
    "status": 401,
    "detail": "Unauthorized access. Invalid credentials used.",
}


def jwt(claims: dict) -> str:
    encode = lambda data: base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{encode({'alg': 'HS256'})}.{encode(claims)}.signature"


@pytest.mark.parametrize("headers", [
    {}, {"REB-APIKEY": "wrong"}, {"REB-APIKEY": ""}, {"Authorization": "Bearer nonsense"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": f"Bearer {jwt({'sub': 'u1', 'exp': 1_000_000_000})}"},  # expired in 2001
])
def test_missing_or_invalid_credentials_get_401(client, headers):
    response = client.get(f"{ROOT}/invoices/{DRAFT}", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == UNAUTHORIZED


def test_unexpired_jwt_is_its_own_tenant(client):
    headers = {"Authorization": f"Bearer {jwt({'sub': 'user-1', 'exp': 4_000_000_000})}"}
    assert client.get(f"{ROOT}/invoices/{DRAFT}", headers=headers).status_code == 200
    assert add_item(client, headers).status_code == 201


def test_unknown_invoice_and_item_get_404(client, auth):
    missing = client.get(f"{ROOT}/invoices/in_missing", headers=auth)
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not Found"
    assert missing.json()["status"] == 404
    assert "in_missing" in missing.json()["detail"]
    assert add_item(client, auth, invoice="in_missing").status_code == 404
    assert client.get(f"{ROOT}/invoices/{DRAFT}/items/ii_missing", headers=auth).status_code == 404


def test_invalid_body_gets_422_naming_every_bad_field(client, auth):
    body = {"type": "refund", "quantity": "3", "description": "x" * 1001, "productId": "p" * 51}
    response = client.post(f"{ROOT}/invoices/{DRAFT}/items", headers=auth, json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "Validation error"
    assert problem["detail"] == "Invalid data sent."
    fields = [f["field"] for f in problem["invalidFields"]]
    assert fields == ["description", "productId", "quantity", "type", "unitPrice"]


@pytest.mark.parametrize("payload, content_type, status", [
    (b'{"type": "debit", "unitPrice": ', "application/json", 400),
    (b'{"type": "debit", "unitPrice": NaN}', "application/json", 400),
    (b'\xff\xfe', "application/json", 400),
    (b"type=debit", "application/x-www-form-urlencoded", 415),
    (b"", "application/json", 422),
    (b"[]", "application/json", 422),
    (b"{" + b'"description": "' + b"x" * 1_100_000 + b'"}', "application/json", 413),
])
def test_malformed_wrong_type_or_huge_bodies_get_a_clear_4xx(client, auth, payload, content_type, status):
    headers = {**auth, "Content-Type": content_type}
    response = client.post(f"{ROOT}/invoices/{DRAFT}/items", headers=headers, content=payload)
    assert response.status_code == status
    assert response.json()["status"] == status
    assert response.json()["detail"]


def test_id_longer_than_50_characters_is_invalid(client, auth):
    response = client.get(f"{ROOT}/invoices/{'i' * 51}", headers=auth)
    assert response.status_code == 422
    assert response.json()["invalidFields"][0]["field"] == "id"


@pytest.mark.parametrize("invoice_id", [PAID, VOIDED])
def test_items_of_paid_or_voided_invoices_cannot_change(client, auth, invoice_id):
    before = client.get(f"{ROOT}/invoices/{invoice_id}", headers=auth).json()
    response = add_item(client, auth, invoice=invoice_id)
    assert response.status_code == 409
    assert response.json()["type"] == "https://api-reference.rebilly.com/#section/Errors/Conflict"
    assert client.get(f"{ROOT}/invoices/{invoice_id}", headers=auth).json() == before


def test_rejected_requests_store_nothing(client, auth):
    before = client.get(f"{ROOT}/invoices/{DRAFT}", headers=auth).json()
    add_item(client, auth, type="nope")
    add_item(client, auth, unitPrice="12")
    client.post(f"{ROOT}/invoices/{DRAFT}/items", headers=auth, content=b"{")
    assert client.get(f"{ROOT}/invoices/{DRAFT}", headers=auth).json() == before


def test_unknown_route_and_method_get_rebilly_shaped_errors(client, auth):
    assert client.get(f"{ROOT}/nothing", headers=auth).json()["status"] == 404
    response = client.patch(f"{ROOT}/invoices/{DRAFT}", headers=auth)
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"
