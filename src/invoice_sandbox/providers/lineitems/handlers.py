"""Line-items operations: read params -> billing rules -> store -> (body, status)."""

from __future__ import annotations

from ...core.clock import iso_micros
from ...core.tenant import Tenant
from ...errors import FieldError, InvalidRequest
from ...store import Store, Transaction
from ..base import found, with_children
from . import billing, wire
from .records import INVOICES, add_line, invoice_missing, lines_of, new_line_id

BASE_PATH = "/lineitems"
MAX_LIMIT = 100
"""The vendor caps page sizes over 100 at 100."""


class LineItemsHandlers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list_invoices(self, tenant: Tenant, page=1, limit=10):
        """``{"items": [...]}``: one page of summaries, oldest invoice first."""
        limit = min(limit, MAX_LIMIT)
        invoices = self.store.list(tenant.ns, INVOICES, (page - 1) * limit, limit)
        return {"items": [wire.invoice_summary(i) for i in invoices]}, 200

    def get_invoice(self, tenant: Tenant, id_):
        return wire.invoice_body(*self._snapshot(tenant, id_)), 200

    def create_invoice_line_item(self, tenant: Tenant, id_, body):
        """Append an editable line item; 200 with the whole recomputed invoice.

        Every check (body, existence, status) runs before anything is written or an id is
        drawn, so a rejected request leaves the tenant exactly as it was.
        """
        fields = _line_fields(body)

        def add(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            billing.ensure_editable(invoice)
            line = billing.line_item(new_line_id(tx, tenant, id_), fields, invoice, editable=True)
            tx.put(INVOICES, id_, {**add_line(tx, invoice, line),
                                   "updatedAt": iso_micros(tenant.now)})

        self.store.transact(tenant.ns, add)
        return wire.invoice_body(*self._snapshot(tenant, id_)), 200

    def _snapshot(self, tenant: Tenant, invoice_id: str) -> tuple[dict, list[dict]]:
        return with_children(self.store, tenant, INVOICES, invoice_id, lines_of(invoice_id),
                             lambda: invoice_missing(invoice_id))


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
