"""A frozen sandbox clock makes timestamps exact; advancing it moves them."""

import pytest


@pytest.mark.invoice_sandbox(clock="2024-03-01T09:00:00Z")
def test_an_items_timestamps_follow_the_sandbox_clock(sandbox):
    rebilly = sandbox.client("rebilly")
    sandbox.clock.advance(90)

    item = rebilly.post("/invoices/in_0YVF9605RKC62BP14NE2R7V2XT/items",
                        json={"type": "debit", "unitPrice": 5}).json()

    assert item["createdTime"] == "2024-03-01T09:01:30Z"
