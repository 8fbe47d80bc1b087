"""The journal: what your code really sent, and what the sandbox answered."""


def test_the_journal_records_the_request_body_and_status(sandbox):
    lineitems = sandbox.client("lineitems")

    lineitems.post("/invoices/oQLSmmnn/line-items",
                   json={"description": "Usage", "quantity": "3", "unitPrice": "0.1"})

    [entry] = sandbox.journal("lineitems", operation="CreateInvoiceLineItem")
    assert entry["status"] == 200
    assert entry["body"] == {"description": "Usage", "quantity": "3", "unitPrice": "0.1"}
