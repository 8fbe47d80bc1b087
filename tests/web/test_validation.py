"""Bodies no vendor could store are malformed (400), and nothing is stored."""

import pytest

from invoice_sandbox.core.tenant import GLOBAL
from invoice_sandbox.tenancy.registry import TENANTS

from ..providers.rebilly.conftest import DRAFT, KEY

HEADERS = {"REB-APIKEY": KEY, "Content-Type": "application/json"}
ITEMS = f"/rebilly/invoices/{DRAFT}/items"


@pytest.mark.parametrize("body, says", [
    (b'{"type": "debit", "unitPrice": 1, "productId": "x\\ud800y"}', "surrogate"),
    (b'{"type": "debit", "unitPrice": 1, "productId": "x\\udc00"}', "surrogate"),
    (b'{"type": "debit", "unitPrice": 1e309}', "out of range"),
    (b'{"type": "debit", "unitPrice": 1, "tax": {"rate": -1e400}}', "out of range"),
])
def test_text_and_numbers_beyond_what_json_can_carry_back_are_malformed(client, body, says):
    before = client.get(ITEMS, headers=HEADERS).json()
    response = client.post(ITEMS, headers=HEADERS, content=body)
    assert response.status_code == 400 and says in response.json()["detail"]
    assert client.get(ITEMS, headers=HEADERS).json() == before


def test_a_surrogate_pair_is_an_ordinary_character(client):
    body = b'{"type": "debit", "unitPrice": 1, "productId": "x\\ud83d\\ude00"}'
    response = client.post(ITEMS, headers=HEADERS, content=body)
    assert response.status_code == 201 and response.json()["productId"] == "x\U0001F600"
    assert client.get(ITEMS, headers=HEADERS).status_code == 200


def test_numbers_in_free_form_objects_come_back_as_sent(client):
    body = {"type": "debit", "unitPrice": 1, "tax": {"amount": 0.1, "rate": 0.07, "x": [2.5]}}
    item = client.post(ITEMS, headers=HEADERS, json=body).json()
    assert item["tax"] == {"amount": 0.1, "rate": 0.07, "x": [2.5]}


@pytest.mark.parametrize("flavor_name", ["async", "flask"])
@pytest.mark.parametrize("path, status", [("/rebilly//invoices", 404),
                                          ("/rebilly/invoices/in_x%0Ay", 404)])
def test_empty_segments_and_control_characters_name_no_route(flavor_name, path, status):
    from ..conftest import make_app

    with make_app(flavor=flavor_name).test_client() as client:
        response = client.get(path, headers=HEADERS)
    assert response.status_code == status and response.json()["status"] == status


@pytest.mark.parametrize("headers, status", [
    ({"REB-APIKEY": KEY}, 415),
    ({"REB-APIKEY": KEY, "Content-Type": "APPLICATION/JSON"}, 201),
    ({"REB-APIKEY": KEY, "Content-Type": "Application/Json; charset=UTF-8"}, 201),
])
def test_media_types_are_case_insensitive_and_a_body_needs_one(client, headers, status):
    response = client.post(ITEMS, headers=headers, content=b'{"type": "debit", "unitPrice": 1}')
    assert response.status_code == status


def test_two_different_content_types_are_malformed(client):
    headers = [("REB-APIKEY", KEY), ("Content-Type", "application/json"),
               ("Content-Type", "text/plain")]
    response = client.post(ITEMS, headers=headers, content=b'{"type": "debit", "unitPrice": 1}')
    assert response.status_code == 400 and "two different" in response.json()["detail"]


def test_bodies_nested_deeper_than_a_hundred_levels_are_malformed(client):
    deep = b'{"type": "debit", "unitPrice": 1, "tax": ' + b'{"a": ' * 150 + b"1" + b"}" * 151
    response = client.post(ITEMS, headers=HEADERS, content=deep)
    assert response.status_code == 400 and "nested deeper" in response.json()["detail"]


def test_headers_over_32_kib_are_malformed_in_the_vendors_shape(client):
    response = client.get(ITEMS, headers={**HEADERS, "X-Big": "x" * 40_000})
    assert response.status_code == 400 and response.json()["title"] == "Bad Request"


def test_an_oversized_key_makes_no_tenant(client, app):
    response = client.get(ITEMS, headers={"REB-APIKEY": "sk_sandbox_" + "k" * 300})
    assert response.status_code == 401
    assert not any(e["key"].startswith("sk_sandbox_kkk") for e in app.sandbox.store.list(
        GLOBAL, TENANTS))
