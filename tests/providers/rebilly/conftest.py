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


NEW = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}
DAY = 86_400


def create(client, auth, unit_price=100, **fields) -> dict:
    """A new draft invoice with one debit item of ``unit_price``."""
    items = [{"type": "debit", "unitPrice": unit_price}] if unit_price else []
    response = client.post(f"{ROOT}/invoices", headers=auth, json={**NEW, "items": items, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def act(client, auth, invoice_id, action, body=None):
    """POST /invoices/{id}/<action> (issue, void, abandon, reissue, recalculate); issue and
    reissue send a body (``{}`` unless given), as the SDK does."""
    if body is None and action in ("issue", "reissue"):
        body = {}
    url = f"{ROOT}/invoices/{invoice_id}/{action}"
    if body is None:
        return client.post(url, headers=auth)
    return client.post(url, headers=auth, json=body)


def issued(client, auth, unit_price=100, **body) -> dict:
    invoice = create(client, auth, unit_price)
    response = act(client, auth, invoice["id"], "issue", body)
    assert response.status_code == 201, response.text
    return response.json()


def sale(client, auth, amount, currency="USD", **fields):
    body = {"type": "sale", "isProcessedOutside": True, "customerId": "cus_1",
            "websiteId": "web_1", "currency": currency, "amount": amount, **fields}
    return client.post(f"{ROOT}/transactions", headers=auth, json=body)


def pay(client, auth, invoice_id, amount=None, transaction_amount=None):
    """A new outside sale, applied to the invoice (``amount`` of it, or the default)."""
    transaction = sale(client, auth, transaction_amount or amount or 1000).json()
    body = {"transactionId": transaction["id"]}
    if amount is not None:
        body["amount"] = amount
    return client.post(f"{ROOT}/invoices/{invoice_id}/transaction", headers=auth, json=body)


def advance(client, seconds: float) -> None:
    """Move the sandbox clock through the control API."""
    response = client.post("/_sandbox/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def get(client, auth, invoice_id) -> dict:
    return client.get(f"{ROOT}/invoices/{invoice_id}", headers=auth).json()


def refused(response, status: int, detail: str | None = None) -> dict:
    """A Rebilly problem with that status (and detail text, when given)."""
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["status"] == status and problem["type"].startswith(
        "https://api-reference.rebilly.com/#section/Errors/")
    if detail is not None:
        assert detail in problem["detail"], problem
    return problem
