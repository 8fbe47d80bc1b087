"""Rebilly operations: read params -> billing rules -> store -> (body, status, headers).

Every write is one ``store.transact``: the invoice and the item it changes are written
together or not at all, and every check runs before an id is drawn.
"""

from __future__ import annotations

from ...core.clock import iso_seconds
from ...core.tenant import Tenant
from ...store import Store, Transaction
from ..base import found, with_children
from . import billing, lifecycle, wire
from .transitions import LifecycleHandlers
from .records import (
    INVOICES, apply_filter, apply_sort, invoice_missing, item_missing, items_of, new_invoice,
    new_item, page, save_invoice,
)

BASE_PATH = "/rebilly"
MAX_INVOICE_PAGE = 100
"""Rebilly treats invoice-list limits over 100 as 100."""


class RebillyHandlers(LifecycleHandlers):
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- invoices ---------------------------------------------------------------------------
    def get_invoice_collection(self, tenant: Tenant, api_root: str, limit=100, offset=0,
                               filter_=None, sort=None):
        invoices = [lifecycle.as_of(i, tenant.now) for i in self.store.list(tenant.ns, INVOICES)]
        invoices = apply_sort(apply_filter(invoices, filter_), sort)
        limit = min(limit, MAX_INVOICE_PAGE)
        selected = [wire.invoice_body(*self._snapshot(tenant, i["id"]), api_root, tenant.now)
                    for i in page(invoices, limit, offset)]
        headers = {"Pagination-Total": str(len(invoices)), "Pagination-Limit": str(limit),
                   "Pagination-Offset": str(offset)}
        return selected, 200, headers

    def post_invoice(self, tenant: Tenant, api_root: str, body):
        def create(tx: Transaction):
            invoice, items = new_invoice(tx, tenant, body)
            save_invoice(tx, invoice, items)
            return invoice, items

        invoice, items = self.store.transact(tenant.ns, create)
        headers = {"Location": f"{api_root}/invoices/{invoice['id']}"}
        return wire.invoice_body(invoice, items, api_root, tenant.now), 201, headers

    def get_invoice(self, tenant: Tenant, api_root: str, id_):
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root, tenant.now)

    # -- items ------------------------------------------------------------------------------
    def get_invoice_item_collection(self, tenant: Tenant, api_root: str, id_, limit=100,
                                    offset=0):
        found(self.store.get(tenant.ns, INVOICES, id_), lambda: invoice_missing(id_))
        items = self.store.list(tenant.ns, items_of(id_), offset, limit)
        return [wire.item_body(i, api_root) for i in items]

    def post_invoice_item(self, tenant: Tenant, api_root: str, id_, body):
        def add(tx: Transaction) -> dict:
            invoice = self._editable(tx, id_)
            item = new_item(tx, tenant, invoice, body)
            tx.put(items_of(id_), item["id"], item)
            self._save(tx, tenant, billing.item_changed(invoice, added=item))
            return item

        item = self.store.transact(tenant.ns, add)
        headers = {"Location": f"{api_root}/invoices/{id_}/items/{item['id']}"}
        return wire.item_body(item, api_root), 201, headers

    def get_invoice_item(self, tenant: Tenant, api_root: str, id_, item_id):
        found(self.store.get(tenant.ns, INVOICES, id_), lambda: invoice_missing(id_))
        item = found(self.store.get(tenant.ns, items_of(id_), item_id),
                     lambda: item_missing(item_id))
        return wire.item_body(item, api_root)

    def put_invoice_item(self, tenant: Tenant, api_root: str, id_, item_id, body):
        def replace(tx: Transaction) -> dict:
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            old = found(tx.get(items_of(id_), item_id), lambda: item_missing(item_id))
            billing.ensure_items_editable(invoice)
            item = billing.item_from_request(body, invoice["currency"])
            item = {"id": old["id"], "invoiceId": id_, **item, "createdTime": old["createdTime"],
                    "updatedTime": iso_seconds(tenant.now)}
            tx.put(items_of(id_), item_id, item)
            self._save(tx, tenant, billing.item_changed(invoice, added=item, removed=old))
            return item

        return wire.item_body(self.store.transact(tenant.ns, replace), api_root), 200

    def delete_invoice_item(self, tenant: Tenant, id_, item_id):
        def remove(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            old = found(tx.get(items_of(id_), item_id), lambda: item_missing(item_id))
            billing.ensure_items_editable(invoice)
            tx.delete(items_of(id_), item_id)
            self._save(tx, tenant, billing.item_changed(invoice, removed=old))

        self.store.transact(tenant.ns, remove)
        return None, 204

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _editable(tx: Transaction, invoice_id: str) -> dict:
        invoice = found(tx.get(INVOICES, invoice_id), lambda: invoice_missing(invoice_id))
        billing.ensure_items_editable(invoice)
        return invoice

    @staticmethod
    def _save(tx: Transaction, tenant: Tenant, invoice: dict) -> None:
        tx.put(INVOICES, invoice["id"], {**invoice, "updatedTime": iso_seconds(tenant.now)})

    def _snapshot(self, tenant: Tenant, invoice_id: str) -> tuple[dict, list[dict]]:
        return with_children(self.store, tenant, INVOICES, invoice_id, items_of(invoice_id),
                             lambda: invoice_missing(invoice_id))
