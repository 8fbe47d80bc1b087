"""Line-items fixtures: the built-in keys, the seeded invoices and small request helpers."""

import pytest

from tests.conftest import make_app

KEY = "sk_sandbox_lineitems_demo"
OTHER_KEY = "sk_sandbox_lineitems_ci"
UPCOMING = "oQLSmmnn"  # the vendor's example invoice: two non-editable lines, 700 USD
PAID = "ZVzWRFnt"
VOID = "jqsKFrxO"
DRAFT_EUR = "KmPdRsTu"  # 2.5 x 9.98 plus 5.24 tax
ROOT = "/lineitems"


@pytest.fixture
def app(flavor):
    """Only this provider: the same wiring, a quarter of the start-up time."""
    return make_app(flavor=flavor, providers=("lineitems",))


@pytest.fixture
def auth() -> dict:
    return {"Authorization": f"Bearer {KEY}"}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def add_line(client, auth, invoice=UPCOMING, **fields):
    body = {"description": "Extra", "quantity": "1", "unitPrice": "1", **fields}
    return client.post(f"{ROOT}/invoices/{invoice}/line-items", headers=auth, json=body)


def get_invoice(client, auth, invoice=UPCOMING) -> dict:
    response = client.get(f"{ROOT}/invoices/{invoice}", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()
