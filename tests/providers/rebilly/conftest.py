import pytest

KEY = "sk_sandbox_invoice_sandbox_demo"
DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"
PAID = "in_0YVF9605RKC62BP14NE2R7V2XU"
VOIDED = "in_0YVF9605RKC62BP14NE2R7V2XV"


@pytest.fixture
def auth() -> dict:
    return {"REB-APIKEY": KEY}
