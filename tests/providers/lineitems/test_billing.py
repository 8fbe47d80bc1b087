"""The pure rules: decimal grammar, exact products and sums, totals, editability, labels."""

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from invoice_sandbox.errors import Conflict
from invoice_sandbox.providers.lineitems import billing


@pytest.mark.parametrize("text", [
    "0", "1", "-1", "2.5", "0.0001", "-0", "000123", "999999999999999",
    "999999999999999.9999999999", "-999999999999999.9999999999",
])
def test_decimal_grammar_accepts_plain_decimal_strings(text):
    assert billing.parse_decimal(text) == Decimal(text)


@pytest.mark.parametrize("value", [
    1, 2.5, None, True, "", " 1", "1 ", "+1", ".5", "5.", "1e3", "1E3", "NaN", "Infinity",
    "-", "--1", "1.2.3", "1,000", "1_000", "0x10", "\u0661", "\u22125",
    "1234567890123456", "0.00000000001",
])
def test_decimal_grammar_rejects_everything_else(value):
    with pytest.raises(ValueError):
        billing.parse_decimal(value)


def test_quantity_grammar_rejects_negative_values():
    with pytest.raises(ValueError, match="non-negative"):
        billing.parse_decimal("-1", signed=False)
    assert billing.parse_decimal("0", signed=False) == 0


@pytest.mark.parametrize("quantity, unit_price, product", [
    ("3", "0.1", "0.3"),
    ("1.1", "1.1", "1.21"),
    ("3", "19.99", "59.97"),
    ("3", "0.0001", "0.0003"),
    ("3", "0.07", "0.21"),
    ("100", "1.13", "113"),
    ("0.0000000001", "0.0000000001", "1E-20"),
    ("999999999999999.9999999999", "999999999999999.9999999999",
     "999999999999999999999999800000.00000000000000000001"),
    ("2", "-0.01", "-0.02"),
])
def test_line_total_is_the_exact_product(quantity, unit_price, product):
    assert billing.line_total(Decimal(quantity), Decimal(unit_price)) == Decimal(product)


def _item(total: str) -> dict:
    return {"totalPrice": Decimal(total)}


def test_totals_sum_lines_add_tax_and_subtract_payments_exactly():
    items = [_item("0.1"), _item("0.2"), _item("-0.05")]
    totals = billing.invoice_totals(items, tax=Decimal("0.07"), amount_paid=Decimal("0.3"))
    assert totals == {"subtotal": Decimal("0.25"), "tax": Decimal("0.07"),
                      "total": Decimal("0.32"), "amountPaid": Decimal("0.3"),
                      "amountRemaining": Decimal("0.02")}


def test_totals_of_an_invoice_without_lines_are_zero_plus_tax():
    totals = billing.invoice_totals([], tax=Decimal("1.5"), amount_paid=Decimal(0))
    assert (totals["subtotal"], totals["total"], totals["amountRemaining"]) == (
        Decimal(0), Decimal("1.5"), Decimal("1.5"))


def test_new_line_item_copies_the_invoice_period_and_computes_its_total():
    invoice = {"billingPeriodStart": "2024-01-01T00:00:00Z",
               "billingPeriodEnd": "2024-01-31T23:59:59Z"}
    fields = {"description": "Seats", "quantity": Decimal("4"), "unitPrice": Decimal("2.5")}
    item = billing.line_item("abcdEFGH", fields, invoice, editable=True)
    assert item == {"id": "abcdEFGH", "description": "Seats",
                    "billingPeriodStart": "2024-01-01T00:00:00Z",
                    "billingPeriodEnd": "2024-01-31T23:59:59Z",
                    "quantity": Decimal("4"), "unitPrice": Decimal("2.5"),
                    "totalPrice": Decimal("10"), "isEditable": True, "productId": None}


@pytest.mark.parametrize("status", sorted(billing.EDITABLE_STATUSES))
def test_line_items_can_be_added_while_the_invoice_is_editable(status):
    billing.ensure_editable({"id": "x", "status": status}, _utc(2024, 1, 1))


@pytest.mark.parametrize("status", [
    "scheduled", "processing", "issuing", "issued", "overdue", "paid", "void", "canceled",
])
def test_adding_line_items_to_a_settled_or_issued_invoice_is_a_conflict(status):
    with pytest.raises(Conflict, match=f"is {status}"):
        billing.ensure_editable({"id": "x", "status": status}, _utc(2024, 1, 1))


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("start, end, label", [
    (_utc(2024, 1, 1), _utc(2024, 1, 31, 23, 59, 59), "Jan 1, 2024 - Jan 31, 2024"),
    (_utc(2024, 2, 1), _utc(2024, 2, 29, 23, 59, 59), "Feb 1, 2024 - Feb 29, 2024"),
    (_utc(2023, 12, 15), _utc(2024, 1, 14), "Dec 15, 2023 - Jan 14, 2024"),
])
def test_billing_period_label_is_the_vendors_short_date_range(start, end, label):
    assert billing.period_label(start, end) == label


def test_default_description_names_the_period_in_long_dates():
    text = billing.period_description(_utc(2024, 1, 1), _utc(2024, 1, 31, 23, 59, 59))
    assert text == "Invoice for period January 1, 2024 to January 31, 2024"


def test_totals_of_huge_amounts_are_not_rounded_to_28_digits():
    huge = "999999999999999999999999800000.00000000000000000001"
    totals = billing.invoice_totals([_item(huge)], tax=Decimal("0.0000000001"),
                                    amount_paid=Decimal("1"))
    assert str(totals["total"]) == "999999999999999999999999800000.00000000010000000001"
    assert str(totals["amountRemaining"]) == "999999999999999999999999799999.00000000010000000001"


# -- lifecycle --------------------------------------------------------------------------------

def _issued(**fields) -> dict:
    return {"id": "x", "status": "issued", "issueDate": "2024-01-01T00:00:00Z",
            "dueDate": "2024-01-31T00:00:00Z", **fields}


def test_an_issued_invoice_is_overdue_only_after_its_due_instant():
    assert billing.status_as_of(_issued(), _utc(2024, 1, 31)) == "issued"
    assert billing.status_as_of(_issued(), _utc(2024, 1, 31, 0, 0, 1)) == "overdue"


def test_a_scheduled_invoice_is_issued_at_its_issue_instant_and_can_also_be_overdue():
    scheduled = _issued(status="scheduled")
    assert billing.status_as_of(scheduled, _utc(2023, 12, 31, 23, 59, 59)) == "scheduled"
    assert billing.status_as_of(scheduled, _utc(2024, 1, 1)) == "issued"
    assert billing.status_as_of(scheduled, _utc(2024, 3, 1)) == "overdue"


@pytest.mark.parametrize("status", ["draft", "upcoming", "paid", "void", "overdue"])
def test_other_statuses_do_not_move_with_the_clock(status):
    assert billing.status_as_of(_issued(status=status), _utc(2030, 1, 1)) == status


def test_an_issued_invoice_without_a_due_date_never_becomes_overdue():
    assert billing.status_as_of(_issued(dueDate=None), _utc(2030, 1, 1)) == "issued"


def test_a_refused_transition_names_the_status_and_what_is_allowed():
    with pytest.raises(Conflict, match="is draft; it can only be voided when it is issued, "
                                       "overdue"):
        billing.transition({"id": "x", "status": "draft"}, "void", _utc(2024, 1, 1))


def test_a_partial_payment_on_an_overdue_invoice_keeps_the_stored_status():
    invoice = {**_issued(), **billing.totals(Decimal(10), Decimal(0), Decimal(0))}
    now = _utc(2024, 3, 1)
    row, amount = billing.payment(invoice, Decimal(4), now)
    assert (row.action, row.target, amount) == ("pay_part", "overdue", Decimal(4))
    after = billing.apply(billing.paid(invoice, amount), row, now)
    assert after["status"] == "issued" and after["amountRemaining"] == Decimal(6)
    assert "paidDate" not in after


def test_a_payment_defaults_to_the_remainder_and_settles_the_invoice():
    invoice = {**_issued(), **billing.totals(Decimal(10), Decimal(0), Decimal(3))}
    row, amount = billing.payment(invoice, None, _utc(2024, 1, 2))
    assert (row.target, amount) == ("paid", Decimal(7))
    after = billing.apply(billing.paid(invoice, amount), row, _utc(2024, 1, 2),
                          paid_date=_utc(2024, 1, 1, 12))
    assert after["paidDate"] == "2024-01-01T12:00:00Z" and after["status"] == "paid"


def test_a_payment_above_the_remainder_is_a_conflict():
    invoice = {**_issued(), **billing.totals(Decimal(10), Decimal(0), Decimal(0))}
    with pytest.raises(Conflict, match="exceeds"):
        billing.payment(invoice, Decimal("10.01"), _utc(2024, 1, 2))


def test_the_due_date_is_thirty_days_on_and_held_at_the_calendars_end():
    assert billing.due_date(_utc(2024, 1, 1)) == _utc(2024, 1, 31)
    assert billing.due_date(_utc(9999, 12, 31)) == datetime.max.replace(tzinfo=timezone.utc)
