"""The invoice's amounts are recomputed from its items on every write."""

from datetime import timedelta
from decimal import Decimal

import pytest

from invoice_sandbox.providers.rebilly import billing

from .conftest import DRAFT, ROOT, add_item


def invoice(client, auth, invoice_id=DRAFT):
    return client.get(f"{ROOT}/invoices/{invoice_id}", headers=auth).json()


def test_adding_items_recomputes_every_invoice_amount(client, auth):
    add_item(client, auth, unitPrice=10.1, quantity=3, discountAmount=0.3)
    add_item(client, auth, type="credit", unitPrice=5)
    add_item(client, auth, unitPrice=1, tax={"amount": 0.8})
    body = invoice(client, auth)
    # fixture item 29.99 + 30.30 (less 0.30 discount) - 5 credit + 1 (+0.80 tax)
    assert body["subtotalAmount"] == 56.29
    assert body["discountAmount"] == 0.3
    assert body["taxAmount"] == 0.8
    assert body["amount"] == 56.79
    assert body["amountDue"] == 56.79
    assert len(body["items"]) == 4


def test_credit_items_keep_a_positive_price_and_subtract_on_the_invoice(client, auth):
    credit = add_item(client, auth, type="credit", unitPrice=9.99).json()
    assert credit["price"] == 9.99
    assert invoice(client, auth)["amount"] == 20.0


def test_deleting_or_changing_an_item_recomputes_the_invoice(client, auth):
    item = add_item(client, auth, unitPrice=70.01).json()
    assert invoice(client, auth)["amount"] == 100
    url = f"{ROOT}/invoices/{DRAFT}/items/{item['id']}"
    client.put(url, headers=auth, json={"type": "debit", "unitPrice": 0.01})
    assert invoice(client, auth)["amount"] == 30
    client.delete(url, headers=auth)
    assert invoice(client, auth)["amount"] == 29.99


def test_writes_move_the_invoice_updated_time(client, app, auth):
    invoice(client, auth)  # the tenant is seeded on first use, at the frozen instant
    app.sandbox.settings.advance_clock(None, timedelta(hours=1))
    add_item(client, auth)
    body = invoice(client, auth)
    assert body["createdTime"] == "2024-01-01T00:00:00Z"
    assert body["updatedTime"] == "2024-01-01T01:00:00Z"


@pytest.mark.parametrize(
    "unit_price, quantity, discount, currency, expected",
    [
        ("0.1", 3, "0", "USD", "0.30"),
        ("19.99", 3, "0", "USD", "59.97"),
        ("0.005", 1, "0", "USD", "0.01"),  # half-up to the cent
        ("0.333", 3, "0", "USD", "1.00"),
        ("1234.5", 1, "0", "JPY", "1235"),
        ("1.0005", 1, "0", "KWD", "1.001"),
        ("1000000000000", 1000000000, "0", "USD", "1000000000000000000000.00"),
        ("10", 2, "2.5", "USD", "17.50"),
    ],
)
def test_item_price_is_unit_price_times_quantity_less_discount_in_currency_units(
    unit_price, quantity, discount, currency, expected
):
    item = {"unitPrice": Decimal(unit_price), "quantity": quantity,
            "discountAmount": Decimal(discount)}
    assert str(billing.item_price(item, currency)) == expected


def test_invoice_totals_sign_credits_and_add_tax_and_shipping():
    items = [
        {"type": "debit", "unitPrice": Decimal("10"), "quantity": 2,
         "discountAmount": Decimal("1"), "tax": {"amount": Decimal("1.9")}},
        {"type": "credit", "unitPrice": Decimal("3"), "quantity": 1,
         "discountAmount": Decimal("0")},
    ]
    totals = billing.invoice_totals(items, "USD", paid=Decimal("5"), shipping=Decimal("2"))
    assert totals["subtotalAmount"] == Decimal("17")
    assert totals["discountAmount"] == Decimal("1")
    assert totals["taxAmount"] == Decimal("1.9")
    assert totals["amount"] == Decimal("19.9")
    assert totals["amountDue"] == Decimal("14.9")


def test_the_invoice_amount_is_the_sum_of_the_item_prices_it_shows_even_below_a_cent(
        client, auth):
    created = client.post(f"{ROOT}/invoices", headers=auth, json={
        "customerId": "cus_1", "websiteId": "web_1", "currency": "USD"}).json()
    for _ in range(3):
        add_item(client, auth, invoice=created["id"], unitPrice=0.005)  # each priced 0.01
    add_item(client, auth, invoice=created["id"], unitPrice=1, quantity=3, discountAmount=0.005)
    body = invoice(client, auth, created["id"])
    prices = [Decimal(str(item["price"])) for item in body["items"]]
    assert prices == [Decimal("0.01")] * 3 + [Decimal("3")]  # 2.995 rounds half-up to 3.00
    assert (body["subtotalAmount"], body["discountAmount"], body["amount"]) == (3.03, 0, 3.03)
