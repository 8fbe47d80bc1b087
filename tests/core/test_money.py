from decimal import Decimal

import pytest

from invoice_sandbox.core import money


@pytest.mark.parametrize("currency, places", [("USD", 2), ("jpy", 0), ("KWD", 3), ("CLF", 4), ("XYZ", 2)])
def test_minor_units_follow_iso_4217(currency, places):
    assert money.minor_units(currency) == places


def test_floats_are_parsed_through_their_shortest_repr_not_binary_value():
    assert money.to_decimal(0.1) == Decimal("0.1")
    assert money.to_decimal(10) == Decimal(10)


def test_booleans_are_not_numbers():
    with pytest.raises(Exception):
        money.to_decimal(True)


def test_products_and_sums_are_exact():
    assert money.mul(Decimal("0.1"), Decimal("3")) == Decimal("0.3")
    assert money.total([Decimal("0.1")] * 10) == Decimal("1.0")
    big = money.mul(Decimal("999999999999.9999999999"), Decimal("999999999999999"))
    assert str(big) == "999999999999998999999900000.0000000001"


@pytest.mark.parametrize("value, currency, expected", [
    ("2.345", "USD", "2.35"), ("-2.345", "USD", "-2.35"), ("2.5", "JPY", "3"), ("1.0005", "KWD", "1.001"),
])
def test_rounding_is_half_up_to_the_currency_minor_unit(value, currency, expected):
    assert str(money.round_currency(Decimal(value), currency)) == expected


@pytest.mark.parametrize("value, expected", [
    ("2.50", "2.5"), ("500", "500"), ("5E+2", "500"), ("0.00", "0"), ("-0.0001", "-0.0001"),
])
def test_plain_renders_without_exponent_or_trailing_zeros(value, expected):
    assert money.plain(Decimal(value)) == expected
