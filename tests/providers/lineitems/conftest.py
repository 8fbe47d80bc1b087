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


PERIOD = {"billingPeriodStart": "2024-01-01T00:00:00Z",
          "billingPeriodEnd": "2024-01-31T23:59:59Z"}
DAY = 86400


def create_invoice(client, auth, **fields):
    body = {"accountId": "aBsZxlLh", **PERIOD,
            "lineItems": [{"description": "Setup", "quantity": "2", "unitPrice": "150.5"}],
            **fields}
    return client.post(f"{ROOT}/invoices", headers=auth, json=body)


def act(client, auth, invoice, action, json=None):
    """``PUT /invoices/{id}/<action>`` (issue, mark-as-paid, void)."""
    return client.put(f"{ROOT}/invoices/{invoice}/{action}", headers=auth, json=json)


def advance(client, seconds):
    response = client.post("/_sandbox/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()["now"]


def seed(client, *invoices, key=KEY):
    """Load fixture invoices (any status) into the key's tenant through the control API."""
    entries = [{"accountId": "aBsZxlLh", **PERIOD, "lineItems": [
        {"description": "Seats", "quantity": "1", "unitPrice": "700"}], **fields}
        for fields in invoices]
    response = client.post("/_sandbox/fixtures", params={"provider": "lineitems", "key": key},
                           json={"data": {"invoices": entries}})
    assert response.status_code == 200, response.text


def assert_refused(response, status, invoice_before, client, auth, field=None):
    """The vendor's error shape with ``status``; the invoice unchanged (when one is given)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    if invoice_before is not None:
        assert get_invoice(client, auth, invoice_before["id"]) == invoice_before
    return body
