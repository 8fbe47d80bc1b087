"""Billingrails test helpers: built-in keys and fixture ids, and a Billingrails-only app."""

import pytest

from tests.conftest import make_app

ROOT = "/billingrails/v1"
KEY = "sk_site_invoice_sandbox_demo"
OTHER_KEY = "sk_site_invoice_sandbox_ci"
ACME = "acc_DemoAcme01"
DRAFT = "inv_DraftUSD01"
CREDITED = "inv_CreditEU01"
ISSUED = "inv_IssuedKWD1"
PAID = "inv_PaidJPY001"


@pytest.fixture
def app(flavor):
    """Overrides the shared ``app``: serving one provider makes each app ~5x cheaper to build."""
    return make_app(flavor=flavor, providers=("billingrails",))


@pytest.fixture
def auth() -> dict:
    return {"Authorization": f"Bearer {KEY}"}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def create_account(client, auth, **fields):
    body = {"name": "Jane Doe", "email": "jane@example.com", **fields}
    return client.post(f"{ROOT}/accounts", headers=auth, json=body)


def create_invoice(client, auth, account_id=ACME, **fields):
    body = {"account_id": account_id, "currency": "USD", **fields}
    return client.post(f"{ROOT}/invoices", headers=auth, json=body)


def add_item(client, auth, invoice=DRAFT, **fields):
    body = {"name": "Service", "quantity": 1, "unit_amount": 1000, **fields}
    return client.post(f"{ROOT}/invoices/{invoice}/items", headers=auth, json=body)


def get_invoice(client, auth, invoice=DRAFT):
    return client.get(f"{ROOT}/invoices/{invoice}", headers=auth)
PART_PAID = "inv_PartUSD001"
VOIDED = "inv_VoidUSD001"
DAY = 86_400


def issue(client, auth, invoice=DRAFT, **body):
    return client.post(f"{ROOT}/invoices/{invoice}/issue", headers=auth, json=body)


def update(client, auth, invoice=DRAFT, **body):
    return client.put(f"{ROOT}/invoices/{invoice}", headers=auth, json=body)


def pay(client, auth, invoice=ISSUED, account_id=ACME, **fields):
    body = {"mode": "offline", "account_id": account_id, "reference_id": "PAY-REF-001",
            "invoice_id": invoice, **fields}
    return client.post(f"{ROOT}/payments", headers=auth, json=body)


def advance_clock(client, seconds: int) -> None:
    """Move the sandbox clock (control API) for every tenant of this test's app."""
    moved = client.post("/_sandbox/clock/advance", json={"seconds": seconds})
    assert moved.status_code == 200, moved.text
