import pytest

KEY = "sk_sandbox_invoice_sandbox_demo"
OTHER_KEY = "sk_sandbox_invoice_sandbox_ci"
DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"
PAID = "in_0YVF9605RKC62BP14NE2R7V2XU"
VOIDED = "in_0YVF9605RKC62BP14NE2R7V2XV"
ROOT = "/rebilly"


@pytest.fixture
def auth() -> dict:
    return {"REB-APIKEY": KEY}


def add_item(client, auth, invoice=DRAFT, root=ROOT, **fields):
    body = {"type": "debit", "unitPrice": 1, **fields}
    return client.post(f"{root}/invoices/{invoice}/items", headers=auth, json=body)
