"""Billingrails arithmetic on the pure functions: integer minor units, exact at any size."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from invoice_sandbox.providers.billingrails import billing
from invoice_sandbox.providers.billingrails.errors import StateError

NOW = "2024-01-01T00:00:00.000Z"
JAN_1 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def items(*pairs):
    return [{"quantity": q, "unit_amount": u} for q, u in pairs]


# currency, (quantity, unit_amount) pairs, credit, paid -> subtotal, total, outstanding, major total
TABLE = [
    ("USD", [(1, 1000)], 0, 0, 1000, 1000, 1000, "10.00"),
    ("USD", [(3, 333), (1, 1)], 0, 0, 1000, 1000, 1000, "10.00"),
    ("USD", [(2, 1999), (1, 1)], 500, 0, 3999, 3499, 3499, "34.99"),
    ("USD", [(1, 1000)], 0, 400, 1000, 1000, 600, "10.00"),
    ("JPY", [(3, 1500)], 0, 0, 4500, 4500, 4500, "4500"),
    ("JPY", [(1, 1)], 0, 1, 1, 1, 0, "1"),
    ("KWD", [(2, 1250), (1, 5)], 0, 0, 2505, 2505, 2505, "2.505"),
    ("KWD", [(1, 1000)], 1, 999, 1000, 999, 0, "0.999"),
    ("EUR", [(3, 2500)], 500, 0, 7500, 7000, 7000, "70.00"),
    ("EUR", [(1, 300)], 1000, 0, 300, 0, 0, "0.00"),
    ("USD", [], 0, 0, 0, 0, 0, "0.00"),
    ("USD", [(10**9, 10**6)], 0, 0, 10**15, 10**15, 10**15, "10000000000000.00"),
    ("USD", [(10**9, 10**6), (1, 1)], 1, 0, 10**15 + 1, 10**15, 10**15, "10000000000000.00"),
    ("USD", [(10**9, 9_007_199)], 0, 0, 9_007_199_000_000_000, 9_007_199_000_000_000,
     9_007_199_000_000_000, "90071990000000.00"),
]


@pytest.mark.parametrize("currency, pairs, credit, paid, subtotal, total, outstanding, major",
                         TABLE)
def test_invoice_totals_are_exact_sums_of_items_less_credit_and_payments(
        currency, pairs, credit, paid, subtotal, total, outstanding, major):
    totals = billing.invoice_totals(items(*pairs), credit, paid)
    assert totals == {"credit_amount": credit, "subtotal_amount": subtotal, "total_amount": total,
                      "paid_amount": paid, "outstanding_amount": outstanding}
    assert all(type(v) is int for v in totals.values())
    assert billing.major_units(total, currency) == Decimal(major)
    assert str(billing.major_units(total, currency)) == major


def test_item_total_is_quantity_times_unit_amount_beyond_float_precision():
    # 2**53 + 1 is the first integer a double cannot hold; the product stays exact.
    assert billing.item_total(2**27, 2**26 + 1) == 2**53 + 2**27
    assert billing.item_total(10**9, 10**12) == 10**21


@pytest.mark.parametrize("bad", [1.0, 1.5, True, "10", None])
def test_amounts_that_are_not_integers_are_refused_not_coerced(bad):
    with pytest.raises(TypeError):
        billing.item_total(1, bad)
    with pytest.raises(TypeError):
        billing.invoice_totals([], bad, 0)


def test_credit_larger_than_subtotal_leaves_total_at_zero_not_negative():
    assert billing.invoice_totals(items((1, 100)), 250, 0)["total_amount"] == 0


@pytest.mark.parametrize("currency, amount, expected", [
    ("USD", 1050, "10.50"), ("JPY", 1050, "1050"), ("KWD", 1050, "1.050"),
    ("BHD", 1, "0.001"), ("EUR", 0, "0.00"),
])
def test_major_units_follow_each_currencys_minor_unit(currency, amount, expected):
    assert str(billing.major_units(amount, currency)) == expected


def test_largest_item_the_spec_allows_fits_fifty_times_under_the_cap():
    largest = items((10**9, 10**8))
    billing.ensure_within_limits(0, 0, largest * 50)
    assert billing.item_total(10**9, 10**8) * 50 < billing.MAX_AMOUNT


def test_growing_a_draft_past_the_64_bit_cap_is_a_conflict_naming_unit_amount():
    subtotal = billing.item_total(10**9, 10**8) * 92
    billing.ensure_within_limits(92, subtotal, items((1, 10**8)))
    with pytest.raises(StateError) as caught:
        billing.ensure_within_limits(92, subtotal, items((10**9, 10**8)))
    assert caught.value.status == 409
    assert [f.field for f in caught.value.fields] == ["unit_amount"]


def test_a_full_draft_accepts_no_more_items():
    full = billing.MAX_ITEMS
    assert billing.ensure_within_limits(full - 1, full - 1, items((1, 1))) == full
    with pytest.raises(StateError) as caught:
        billing.ensure_within_limits(full, full, items((1, 1)))
    assert [f.field for f in caught.value.fields] == ["invoice"]


def test_items_and_line_items_are_both_taken_items_first():
    assert billing.requested_items({"items": [{"a": 1}], "line_items": [{"b": 2}]}) == [
        {"a": 1}, {"b": 2}]
    assert billing.requested_items({"line_items": [{"b": 2}]}) == [{"b": 2}]
    assert billing.requested_items({}) == []


@pytest.mark.parametrize("status", ["pending", "issued", "overdue", "paid", "partially_paid",
                                    "voided", "canceled", "failed"])
def test_only_draft_invoices_accept_items(status):
    with pytest.raises(StateError) as caught:
        billing.transition({"id": "inv_x", "status": status, "due_at": NOW}, "add_item",
                           JAN_1)
    assert caught.value.status == 409
    assert caught.value.fields[0].field == "invoice"
    billing.transition({"id": "inv_x", "status": "draft", "due_at": NOW}, "add_item", JAN_1)


@pytest.mark.parametrize("prefix, counter, number", [
    ("INV", 1, "INV-0001"), ("INV", 42, "INV-0042"), ("BILL", 9999, "BILL-9999"),
    ("INV", 10000, "INV-10000"),
])
def test_invoice_numbers_are_prefix_and_four_digit_counter(prefix, counter, number):
    assert billing.invoice_number(prefix, counter) == number


def test_the_running_subtotal_equals_a_recompute_from_the_items():
    added = items((3, 1999), (10**9, 10**8), (1, 0), (7, 13))
    subtotal = 0
    for count, item in enumerate(added):
        subtotal = billing.ensure_within_limits(count, subtotal, [item])
    assert billing.totals(subtotal, 500, 100) == billing.invoice_totals(added, 500, 100)
