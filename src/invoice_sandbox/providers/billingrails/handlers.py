"""Billingrails operations: read params -> billing rules -> store -> (body, status).

Every create answers 200 with the wrapped resource, as Billingrails' reference shows; adding
an item answers 200 with the whole invoice. Each write is one transaction that checks
everything before it draws an id or a number, so a rejected request leaves the tenant exactly
as it was. An unknown ``account_id`` in a create body is a 404, like an unknown id in the path.
"""

from __future__ import annotations

from ...core.tenant import Tenant
from ...store import Store, Transaction
from ..base import found, with_children
from . import billing, wire
from .records import ACCOUNTS, INVOICES, add_account, add_invoice, items_of, missing, new_item

BASE_PATH = "/billingrails/v1"


class BillingrailsHandlers:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- accounts ---------------------------------------------------------------------------
    def create_account(self, tenant: Tenant, body):
        account = self.store.transact(tenant.ns, lambda tx: add_account(tx, tenant, body))
        return wire.account_body(account), 200

    def get_account(self, tenant: Tenant, id_):
        account = found(self.store.get(tenant.ns, ACCOUNTS, id_), lambda: missing("account"))
        return wire.account_body(account)

    # -- invoices ---------------------------------------------------------------------------
    def create_invoice(self, tenant: Tenant, api_root: str, body):
        def create(tx: Transaction) -> tuple[dict, list[dict]]:
            account = found(tx.get(ACCOUNTS, body["account_id"]), lambda: missing("account"))
            return add_invoice(tx, tenant, body, account)

        invoice, items = self.store.transact(tenant.ns, create)
        return wire.invoice_body(invoice, items, api_root), 200

    def get_invoice(self, tenant: Tenant, api_root: str, id_):
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root)

    def add_invoice_item(self, tenant: Tenant, api_root: str, id_, body):
        def add(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: missing("invoice"))
            billing.ensure_accepts_items(invoice)
            subtotal = billing.ensure_within_limits(invoice["item_count"],
                                                    invoice["subtotal_amount"], [body])
            item = new_item(tx, tenant, invoice, body)
            tx.put(items_of(id_), item["id"], item)
            invoice = {**invoice, "subtotal_amount": subtotal,
                       "item_count": invoice["item_count"] + 1}
            tx.put(INVOICES, id_, invoice)

        self.store.transact(tenant.ns, add)
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root), 200

    def _snapshot(self, tenant: Tenant, invoice_id: str) -> tuple[dict, list[dict]]:
        return with_children(self.store, tenant, INVOICES, invoice_id, items_of(invoice_id),
                             lambda: missing("invoice"))
