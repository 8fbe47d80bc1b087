"""The one rendering rule for decimal strings, and the invoice bodies built with it."""

from decimal import Decimal

import pytest

from invoice_sandbox.providers.lineitems import wire


@pytest.mark.parametrize("value, text", [
    ("500", "500"),
    ("500.00", "500"),
    ("2.50", "2.5"),
    ("1E+3", "1000"),
    ("1.2300E+2", "123"),
    ("0.0003", "0.0003"),
    ("1E-20", "0.00000000000000000001"),
    ("-0", "0"),
    ("-0.000", "0"),
    ("0E-10", "0"),
    ("-12.340", "-12.34"),
    ("999999999999999999999999800000.00000000000000000001",
     "999999999999999999999999800000.00000000000000000001"),
])
def test_decimal_strings_have_no_exponent_no_trailing_zeros_and_no_negative_zero(value, text):
    assert wire.decimal_string(Decimal(value)) == text


LINE = {"id": "abcdEFGH", "description": "Seats", "quantity": Decimal("2.0"),
        "unitPrice": Decimal("1.50"), "totalPrice": Decimal("3.000")}


def _invoice() -> dict:
    amounts = dict.fromkeys(("subtotal", "tax", "total", "amountPaid", "amountRemaining"),
                            Decimal("3.00"))
    return {"id": "oQLSmmnn", "accountId": "a", "currency": "USD", "description": None,
            "billingPeriodStart": "s", "billingPeriodEnd": "e", "billingPeriod": "p",
            "status": "upcoming", "dueDate": None, "issueDate": None, "createdAt": "c",
            "updatedAt": "u",
            **amounts}


def test_invoice_body_renders_every_amount_and_item_number_as_a_decimal_string():
    body = wire.invoice_body(_invoice(), [LINE])
    assert [body[k] for k in ("subtotal", "tax", "total", "amountPaid", "amountRemaining")] \
        == ["3"] * 5
    item = body["lineItems"][0]
    assert (item["quantity"], item["unitPrice"], item["totalPrice"]) == ("2", "1.5", "3")


def test_invoice_summary_has_the_list_fields_only():
    summary = wire.invoice_summary(_invoice())
    assert "lineItems" not in summary and "subtotal" not in summary
    assert summary["total"] == "3"
