"""A seeded half of the calls fail with 503: a client with retries still gets through."""

DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"


def get_invoice(client, attempts=10):
    """The code under test: retry on 5xx."""
    for _ in range(attempts):
        response = client.get(f"/invoices/{DRAFT}")
        if response.status_code < 500:
            return response
    return response


def test_the_client_survives_a_flaky_vendor(sandbox):
    sandbox.schedule_fault("rebilly", operation="GetInvoice", status=503, fraction=0.5)

    assert get_invoice(sandbox.client("rebilly")).status_code == 200
    *failures, success = [e["status"] for e in sandbox.journal(operation="GetInvoice")]
    assert set(failures) <= {503} and success == 200
