"""The control API driven in-process, with response validation on (both flavours where it is
cheap to say so: ``client`` from the root conftest)."""

from __future__ import annotations

import pytest

from tests.conftest import make_app

REBILLY_KEY = "sk_sandbox_invoice_sandbox_demo"
REBILLY = {"provider": "rebilly", "key": REBILLY_KEY}
DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"


@pytest.fixture
def control():
    """An async-flavour app's test client; the control API is the same in both flavours."""
    with make_app().test_client() as client:
        yield client


def create_invoice(client, key: str = REBILLY_KEY):
    body = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}
    return client.post("/rebilly/invoices", headers={"REB-APIKEY": key}, json=body)


def assert_problem(response, status: int, field: str | None = None) -> dict:
    """A problem-details answer with that status (naming ``field`` when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == status and problem["detail"]
    if field is not None:
        assert field in [f["field"] for f in problem["invalidFields"]], problem
    return problem
