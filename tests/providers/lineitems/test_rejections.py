"""Rejected line items: every bad input names its field, and a rejection changes nothing."""

import pytest

from tests.conftest import make_app

from .conftest import PAID, ROOT, UPCOMING, VOID, add_line, get_invoice

INVALID = [
    # field, value: each must be rejected with 400 naming the field
    ("quantity", 1),
    ("quantity", 1.5),
    ("quantity", None),
    ("quantity", True),
    ("quantity", ["1"]),
    ("quantity", ""),
    ("quantity", " 1"),
    ("quantity", "1 "),
    ("quantity", "+1"),
    ("quantity", "-1"),
    ("quantity", "1e3"),
    ("quantity", "NaN"),
    ("quantity", "Infinity"),
    ("quantity", ".5"),
    ("quantity", "5."),
    ("quantity", "1,5"),
    ("quantity", "\u0661"),  # ARABIC-INDIC DIGIT ONE: Python's Decimal would accept it
    ("quantity", "1234567890123456"),
    ("quantity", "0.00000000001"),
    ("unitPrice", 500),
    ("unitPrice", "1E3"),
    ("unitPrice", "nan"),
    ("unitPrice", "-"),
    ("unitPrice", "--1"),
    ("unitPrice", "1.2.3"),
    ("unitPrice", "1_000"),  # Python's Decimal would accept it
    ("unitPrice", "\u22125"),  # MINUS SIGN, not '-'
    ("unitPrice", "9" * 16),
    ("unitPrice", "1." + "0" * 11),
    ("unitPrice", "1" * 100000),
    ("description", ""),
    ("description", 123),
    ("description", None),
    ("description", "x" * 1001),
]


@pytest.fixture(scope="module", params=["async", "flask"])
def shared_client(request):
    """One sandbox for the whole table: each case asserts it changed nothing, so sharing is
    sound (a leak would fail the case that caused it) and keeps the table fast."""
    with make_app(flavor=request.param, providers=("lineitems",)).test_client() as client:
        yield client


@pytest.mark.parametrize("field, value", INVALID)
def test_invalid_field_is_rejected_with_400_naming_the_field_and_nothing_stored(
        shared_client, auth, field, value):
    client = shared_client
    before = get_invoice(client, auth)
    response = add_line(client, auth, **{field: value})
    assert response.status_code == 400, response.text
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["status"] == 400 and field in body["detail"]
    assert len(body["detail"]) < 400  # never echoes a huge value back
    assert get_invoice(client, auth) == before


@pytest.mark.parametrize("field", ["description", "quantity", "unitPrice"])
def test_missing_field_is_rejected_as_required(client, auth, field):
    body = {"description": "x", "quantity": "1", "unitPrice": "1"}
    del body[field]
    response = client.post(f"{ROOT}/invoices/{UPCOMING}/line-items", headers=auth, json=body)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": field, "message": "This field is required."}]


def test_decimal_errors_state_the_grammar_not_a_regex(client, auth):
    error = add_line(client, auth, unitPrice="1e3").json()["errors"][0]
    assert error["message"].startswith("Must be a decimal string")
    assert "^" not in error["message"]


def test_every_bad_field_is_reported_at_once(client, auth):
    response = add_line(client, auth, quantity=2, unitPrice="NaN", description="")
    assert [e["field"] for e in response.json()["errors"]] == [
        "description", "quantity", "unitPrice"]


@pytest.mark.parametrize("invoice, status", [(PAID, "paid"), (VOID, "void")])
def test_adding_line_item_to_a_paid_or_void_invoice_is_rejected_with_422(
        client, auth, invoice, status):
    before = get_invoice(client, auth, invoice)
    response = add_line(client, auth, invoice=invoice)
    assert response.status_code == 422
    assert response.json() == {
        "status": 422, "errors": [],
        "detail": f"Invoice {invoice} is {status}; line items can only be added to invoices "
                  "that are draft, pending_approval, upcoming.",
    }
    assert get_invoice(client, auth, invoice) == before


def test_adding_line_item_to_an_unknown_invoice_is_404(client, auth):
    response = add_line(client, auth, invoice="nOtThErE")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Invoice nOtThErE not found.",
                               "errors": []}


def test_rejected_requests_do_not_consume_line_item_ids(flavor, auth):
    def first_added_id(rejections: bool) -> str:
        with make_app(flavor=flavor, providers=("lineitems",)).test_client() as client:
            if rejections:
                add_line(client, auth, invoice=PAID)
                add_line(client, auth, quantity="NaN")
                add_line(client, auth, invoice="nOtThErE")
            return add_line(client, auth).json()["lineItems"][-1]["id"]

    assert first_added_id(rejections=True) == first_added_id(rejections=False)
