"""Bodies no vendor could store are malformed (400), and nothing is stored."""

import pytest

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
