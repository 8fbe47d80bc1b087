"""Thin handlers: params -> billing -> store -> body."""

from invoice_sandbox.errors import NotFound
from invoice_sandbox.providers.base import found

from . import wire
from .records import INVOICES, add_invoice


class TinyHandlers:
    def __init__(self, store) -> None:
        self.store = store

    def create_invoice(self, tenant, body):
        invoice = self.store.transact(tenant.ns, lambda tx: add_invoice(tx, tenant, body["lines"]))
        return wire.invoice_body(invoice), 201

    def get_invoice(self, tenant, id_):
        invoice = found(self.store.get(tenant.ns, INVOICES, id_),
                        lambda: NotFound(f"no invoice {id_}", resource="invoice"))
        return wire.invoice_body(invoice)
