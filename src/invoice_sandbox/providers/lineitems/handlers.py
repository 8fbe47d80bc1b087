"""Line-items operations: read params -> billing rules -> store -> (body, status)."""

from __future__ import annotations

from ...clock import iso_micros
from ...errors import FieldError, InvalidRequest, NotFound
from ...ids import LETTERS
from ...provider import Services
from ...store import Namespace
from . import billing, wire

INVOICES = "invoices"
BASE_PATH = "/lineitems"
MAX_LIMIT = 100
"""The vendor caps page sizes over 100 at 100."""


class LineItemsHandlers:
    def __init__(self, services: Services) -> None:
        self.s = services

    def list_invoices(self, token_info, page=1, limit=10):
        """``{"items": [...]}``: one page of summaries, oldest invoice first."""
        limit = min(limit, MAX_LIMIT)
        invoices = self.s.store.list(token_info["ns"], INVOICES)
        start = (page - 1) * limit
        return {"items": [wire.invoice_summary(i) for i in invoices[start:start + limit]]}, 200

    def get_invoice(self, id_, token_info):
        return wire.invoice_body(self._invoice(token_info["ns"], id_)), 200

    def create_invoice_line_item(self, id_, body, token_info):
        """Append an editable line item; 200 with the whole recomputed invoice.

        Every check (body, existence, status) runs before anything is written or an id is
        drawn, so a rejected request leaves the tenant exactly as it was.
        """
        ns = token_info["ns"]
        fields = _line_fields(body)
        with self.s.store.atomic(ns):
            invoice = self._invoice(ns, id_)
            billing.ensure_editable(invoice)
            item_id = new_item_id(self.s, ns, invoice)
            invoice["lineItems"].append(billing.line_item(item_id, fields, invoice, editable=True))
            invoice["updatedAt"] = iso_micros(self.s.clock.now())
            invoice = billing.with_totals(invoice)
            self.s.store.put(ns, INVOICES, invoice["id"], invoice)
        return wire.invoice_body(invoice), 200

    def _invoice(self, ns: Namespace, invoice_id: str) -> dict:
        invoice = self.s.store.get(ns, INVOICES, invoice_id)
        if invoice is None:
            raise NotFound(f"Invoice {invoice_id} not found.",
                           resource="invoice", resource_id=invoice_id)
        return invoice


def _line_fields(body: dict) -> dict:
    """Decimals from the request's strings. The spec's pattern already admits only the
    grammar; parsing again keeps a looser user-supplied spec (``--specs``) from reaching
    the arithmetic with something like "NaN"."""
    fields = {"description": body["description"]}
    errors = []
    for name, signed in (("quantity", False), ("unitPrice", True)):
        try:
            fields[name] = billing.parse_decimal(body.get(name), signed=signed)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    if errors:
        raise InvalidRequest(errors)
    return fields


def new_item_id(services: Services, ns: Namespace, invoice: dict) -> str:
    """Eight seeded letters (like "tlfAFLJI"), unique within the invoice."""
    taken = {item["id"] for item in invoice["lineItems"]}
    while True:
        number = services.store.next_number(ns, "ids")
        candidate = services.ids.chars(f"{ns.provider}:{ns.tenant}", number, LETTERS, 8)
        if candidate not in taken:
            return candidate
