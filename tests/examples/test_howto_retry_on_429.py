"""Forcing a 429 on the next call: the client retries, and the journal shows both attempts."""

DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"


def post_with_retry(client, path, body, attempts=3):
    """The code under test: retry when rate limited."""
    for _ in range(attempts):
        response = client.post(path, json=body)
        if response.status_code != 429:
            break
    return response


def test_a_rate_limited_item_is_retried(sandbox):
    sandbox.fail_next("rebilly", "PostInvoiceItem", 429)

    response = post_with_retry(sandbox.client("rebilly"), f"/invoices/{DRAFT}/items",
                               {"type": "debit", "unitPrice": 5})

    assert response.status_code == 201
    assert [e["status"] for e in sandbox.journal(operation="PostInvoiceItem")] == [429, 201]
