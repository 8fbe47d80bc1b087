"""Adding line items: the vendor's example, exact decimal totals, ids, periods, timestamps."""

import re
from datetime import timedelta
from decimal import Decimal, localcontext

import pytest

from invoice_sandbox.providers.lineitems.wire import decimal_string
from tests.conftest import make_app

from .conftest import DRAFT_EUR, ROOT, UPCOMING, add_line, get_invoice

SEED_EXAMPLE_INVOICE = {
    "id": "oQLSmmnn", "accountId": "aBsZxlLh", "status": "upcoming",
    "dueDate": "2024-02-23T00:00:00Z", "issueDate": "2024-01-24T16:37:44.958601Z",
    "billingPeriodStart": "2024-01-01T00:00:00Z", "billingPeriodEnd": "2024-01-31T23:59:59Z",
    "billingPeriod": "Jan 1, 2024 - Jan 31, 2024", "currency": "USD",
    "description": "Invoice for period January 1, 2024 to January 31, 2024",
    "lineItems": [
        {"id": "tlfAFLJI", "description": "Platform subscription",
         "billingPeriodStart": "2024-01-01T00:00:00Z", "billingPeriodEnd": "2024-01-31T23:59:59Z",
         "quantity": "1", "unitPrice": "200", "totalPrice": "200", "isEditable": False,
         "productId": "HyujZkkm"},
        {"id": "vPcZvThU", "description": "Monthly user seats",
         "billingPeriodStart": "2024-01-01T00:00:00Z", "billingPeriodEnd": "2024-01-31T23:59:59Z",
         "quantity": "1", "unitPrice": "500", "totalPrice": "500", "isEditable": False,
         "productId": "GPAPMbiw"},
    ],
    "subtotal": "700", "tax": "0", "total": "700", "amountPaid": "0", "amountRemaining": "700",
    "externalId": "80c84e7d-b265-4835-8ea0-e38a6c924ba4", "externalProvider": "xero",
    "externalUrl": "https://go.xero.com/", "purchaseOrderNumber": None,
    "createdAt": "2024-01-24T16:36:52.703596Z", "updatedAt": "2024-01-26T19:00:40.957736Z",
}


def test_seeded_invoice_is_the_vendors_example(client, auth):
    assert get_invoice(client, auth) == SEED_EXAMPLE_INVOICE


def test_adding_the_vendors_example_line_returns_200_with_the_whole_invoice(client, auth):
    response = add_line(client, auth, description="Platform subscription",
                        quantity="1", unitPrice="500")
    assert response.status_code == 200
    body = response.json()
    *seeded, added = body["lineItems"]
    assert seeded == SEED_EXAMPLE_INVOICE["lineItems"]
    assert re.fullmatch(r"[A-Za-z]{8}", added.pop("id"))
    assert added == {"description": "Platform subscription",
                     "billingPeriodStart": "2024-01-01T00:00:00Z",
                     "billingPeriodEnd": "2024-01-31T23:59:59Z", "quantity": "1",
                     "unitPrice": "500", "totalPrice": "500", "isEditable": True,
                     "productId": None}
    amounts = [body[k] for k in ("subtotal", "tax", "total", "amountPaid", "amountRemaining")]
    assert amounts == ["1200", "0", "1200", "0", "1200"]


def test_added_line_is_read_back_with_get(client, auth):
    added = add_line(client, auth, quantity="2", unitPrice="19.99").json()
    assert get_invoice(client, auth) == added


TRICKY = [
    # quantity, unitPrice, totalPrice: products a float would get wrong or print badly
    ("3", "0.1", "0.3"),
    ("1.1", "1.1", "1.21"),
    ("3", "19.99", "59.97"),
    ("3", "0.07", "0.21"),
    ("100", "1.13", "113"),
    ("3", "0.0001", "0.0003"),
    ("0.0000000001", "0.0000000001", "0.00000000000000000001"),
    ("999999999999999.9999999999", "999999999999999.9999999999",
     "999999999999999999999999800000.00000000000000000001"),
    ("123456789012345.6789012345", "3", "370370367037037.0367037035"),
    ("1000000", "0.07", "70000"),
    ("2.50", "4.00", "10"),
    ("000123", "1", "123"),
    ("0", "123.45", "0"),
    ("0.5", "-0", "0"),
    ("1", "-0.01", "-0.01"),
    ("3", "-33.333", "-99.999"),
]


@pytest.mark.parametrize("quantity, unit_price, total_price", TRICKY)
def test_total_price_is_the_exact_product_as_a_plain_decimal_string(
        client, auth, quantity, unit_price, total_price):
    body = add_line(client, auth, quantity=quantity, unitPrice=unit_price).json()
    item = body["lineItems"][-1]
    assert item["totalPrice"] == total_price
    assert (item["quantity"], item["unitPrice"]) == (
        decimal_string(Decimal(quantity)), decimal_string(Decimal(unit_price)))
    with localcontext() as exact:
        exact.prec = 100
        expected_subtotal = Decimal("700") + Decimal(total_price)
    assert Decimal(body["subtotal"]) == expected_subtotal
    assert get_invoice(client, auth)["total"] == body["total"] == body["subtotal"]


def test_sums_of_lines_are_exact(client, auth):
    for price in ("0.1", "0.2", "0.0000000001"):
        body = add_line(client, auth, unitPrice=price).json()
    assert body["subtotal"] == body["total"] == body["amountRemaining"] == "700.3000000001"


def test_a_negative_unit_price_is_a_credit_that_lowers_the_total(client, auth):
    body = add_line(client, auth, description="Goodwill credit", unitPrice="-750").json()
    assert body["lineItems"][-1]["totalPrice"] == "-750"
    assert (body["subtotal"], body["total"], body["amountRemaining"]) == ("-50", "-50", "-50")


def test_invoice_tax_is_kept_and_added_to_the_new_subtotal(client, auth):
    before = get_invoice(client, auth, DRAFT_EUR)
    assert (before["subtotal"], before["tax"], before["total"]) == ("24.95", "5.24", "30.19")
    body = add_line(client, auth, invoice=DRAFT_EUR, quantity="3", unitPrice="0.35").json()
    assert (body["subtotal"], body["tax"], body["total"]) == ("26", "5.24", "31.24")
    assert body["currency"] == "EUR"


def test_line_item_ids_are_eight_letters_unique_and_reproducible(flavor, auth):
    def ids():
        with make_app(flavor=flavor, providers=("lineitems",)).test_client() as client:
            return [add_line(client, auth).json()["lineItems"][-1]["id"] for _ in range(3)]

    first = ids()
    assert all(re.fullmatch(r"[A-Za-z]{8}", i) for i in first)
    assert len(set(first)) == 3
    assert ids() == first  # same seed, same ids


def test_adding_a_line_updates_updated_at_only(app, client, auth):
    app.sandbox.settings.advance_clock(None, timedelta(seconds=90, microseconds=250000))
    body = add_line(client, auth).json()
    assert body["updatedAt"] == "2024-01-01T00:01:30.250000Z"
    assert body["createdAt"] == SEED_EXAMPLE_INVOICE["createdAt"]


def test_unknown_request_fields_are_ignored(client, auth):
    response = add_line(client, auth, productId="HyujZkkm", isEditable=False)
    assert response.status_code == 200
    item = response.json()["lineItems"][-1]
    assert (item["productId"], item["isEditable"]) == (None, True)


def test_the_post_answers_on_the_documented_path_only(client, auth):
    response = client.post(f"{ROOT}/invoices/{UPCOMING}/lineitems", headers=auth,
                           json={"description": "x", "quantity": "1", "unitPrice": "1"})
    assert response.status_code == 404
