"""``SandboxHandle.invoices``: each vendor's lifecycle moves, against a live sandbox."""

from datetime import datetime, timezone

import pytest

from invoice_sandbox.testing import MoveRefused

CLOCK = "2024-01-01T00:00:00Z"
REBILLY_NEW = {"customerId": "cus_1", "websiteId": "web_1", "currency": "USD",
               "items": [{"type": "debit", "unitPrice": 40}]}


def rebilly_draft(sandbox) -> str:
    return sandbox.client("rebilly").post("/invoices", json=REBILLY_NEW).json()["id"]


def billingrails_draft(sandbox) -> str:
    client = sandbox.client("billingrails")
    invoice = client.post("/invoices", json={"account_id": "acc_DemoAcme01",
                                             "currency": "USD"}).json()["invoice"]
    client.post(f"/invoices/{invoice['id']}/items",
                json={"name": "Seat", "quantity": 2, "unit_amount": 1500})
    return invoice["id"]


@pytest.mark.invoice_sandbox(clock=CLOCK)
def test_rebilly_moves_issue_pay_in_part_and_in_full_and_void(sandbox):
    moves = sandbox.invoices("rebilly")
    invoice, other = rebilly_draft(sandbox), rebilly_draft(sandbox)
    assert moves.issue(invoice, due=datetime(2024, 2, 1, tzinfo=timezone.utc))["dueTime"] == (
        "2024-02-01T00:00:00Z")
    assert (moves.pay(invoice, "15.5")["amountDue"], moves.get(invoice)["status"]) == (
        24.5, "partially-paid")
    assert moves.pay(invoice)["status"] == "paid"
    assert moves.void(other)["status"] == "voided"
    operations = [e["operationId"] for e in sandbox.journal("rebilly")]
    assert operations.count("PostTransaction") == 2  # the vendor's calls, in the journal


@pytest.mark.invoice_sandbox(clock=CLOCK)
def test_a_refused_move_raises_with_the_vendors_answer(sandbox):
    moves = sandbox.invoices("rebilly")
    invoice = rebilly_draft(sandbox)
    moves.void(invoice)
    with pytest.raises(MoveRefused) as refused:
        moves.issue(invoice)
    assert refused.value.status == 409


@pytest.mark.invoice_sandbox(clock=CLOCK)
def test_advancing_past_due_counts_rebillys_grace_and_leaves_a_later_clock_alone(sandbox):
    moves = sandbox.invoices("rebilly")
    invoice = rebilly_draft(sandbox)
    moves.issue(invoice, due="2024-01-10T00:00:00Z")
    assert moves.advance_past_due(invoice) == datetime(2024, 1, 11, 0, 0, 1, tzinfo=timezone.utc)
    assert moves.get(invoice)["status"] == "past-due"
    assert moves.advance_past_due(invoice) == datetime(2024, 1, 11, 0, 0, 1, tzinfo=timezone.utc)


@pytest.mark.invoice_sandbox(clock=CLOCK)
def test_billingrails_moves_issue_pay_in_full_and_go_overdue(sandbox):
    moves = sandbox.invoices("billingrails")
    invoice, late = billingrails_draft(sandbox), billingrails_draft(sandbox)
    assert moves.issue(invoice)["status"] == "issued"
    with pytest.raises(ValueError, match="no amount"):
        moves.pay(invoice, 10)
    assert moves.pay(invoice)["status"] == "paid"
    with pytest.raises(NotImplementedError):
        moves.void(invoice)
    moves.issue(late, due="2024-01-20T00:00:00Z")
    moves.advance_past_due(late)
    assert moves.get(late)["status"] == "overdue"


@pytest.mark.invoice_sandbox(clock=CLOCK)
def test_line_items_moves_pay_in_part_then_the_rest(sandbox):
    client, moves = sandbox.client("lineitems"), sandbox.invoices("lineitems")
    invoice = client.post("/invoices", json={
        "accountId": "aBsZxlLh", "billingPeriodStart": "2024-01-01T00:00:00Z",
        "billingPeriodEnd": "2024-01-31T23:59:59Z",
        "lineItems": [{"description": "Setup", "quantity": "3", "unitPrice": "33.33"}],
    }).json()["id"]
    moves.issue(invoice)
    part = moves.pay(invoice, "50")
    assert (part["status"], part["amountRemaining"]) == ("issued", "49.99")
    assert moves.pay(invoice)["status"] == "paid"
    with pytest.raises(ValueError):
        moves.issue(invoice, due="2024-02-01T00:00:00Z")


def test_a_provider_without_moves_is_named(sandbox):
    with pytest.raises(KeyError, match="no lifecycle moves"):
        sandbox.invoices("nosuchvendor")
