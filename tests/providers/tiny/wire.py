"""The wire format: the stored invoice as it is."""


def invoice_body(invoice: dict) -> dict:
    return {"id": invoice["id"], "lines": invoice["lines"], "total": invoice["total"]}
