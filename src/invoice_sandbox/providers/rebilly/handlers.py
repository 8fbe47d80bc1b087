"""Rebilly operations: read params -> billing rules -> store -> (body, status, headers)."""

from __future__ import annotations

from decimal import Decimal

from ...clock import iso_seconds
from ...errors import NotFound
from ...provider import Services
from ...store import Namespace
from . import billing, wire
from .query import apply_filter, apply_sort, page

INVOICES = "invoices"
BASE_PATH = "/rebilly"
MAX_INVOICE_PAGE = 100
"""Rebilly treats invoice-list limits over 100 as 100."""


class RebillyHandlers:
    def __init__(self, services: Services) -> None:
        self.s = services

    # -- invoices ---------------------------------------------------------------------------
    def get_invoice_collection(self, token_info, limit=100, offset=0, filter_=None, sort=None):
        invoices = self.s.store.list(token_info["ns"], INVOICES)
        invoices = apply_sort(apply_filter(invoices, filter_), sort)
        limit = min(limit, MAX_INVOICE_PAGE)
        selected = [wire.invoice_body(i, self._root()) for i in page(invoices, limit, offset)]
        headers = {"Pagination-Total": str(len(invoices)), "Pagination-Limit": str(limit),
                   "Pagination-Offset": str(offset)}
        return selected, 200, headers

    def post_invoice(self, body, token_info):
        ns = token_info["ns"]
        invoice = new_invoice(self.s, ns, body)
        self.s.store.put(ns, INVOICES, invoice["id"], invoice)
        root = self._root()
        headers = {"Location": f"{root}/invoices/{invoice['id']}"}
        return wire.invoice_body(invoice, root), 201, headers

    def get_invoice(self, id_, token_info):
        return wire.invoice_body(self._invoice(token_info["ns"], id_), self._root())

    # -- items ------------------------------------------------------------------------------
    def get_invoice_item_collection(self, id_, token_info, limit=100, offset=0):
        invoice = self._invoice(token_info["ns"], id_)
        root = self._root()
        return [wire.item_body(i, root) for i in page(invoice["items"], limit, offset)]

    def post_invoice_item(self, id_, body, token_info):
        ns = token_info["ns"]
        with self.s.store.atomic(ns):
            invoice = self._invoice(ns, id_)
            billing.ensure_items_editable(invoice)
            item = new_item(self.s, ns, invoice, body)
            invoice["items"].append(item)
            self._save(ns, invoice)
        root = self._root()
        headers = {"Location": f"{root}/invoices/{id_}/items/{item['id']}"}
        return wire.item_body(item, root), 201, headers

    def get_invoice_item(self, id_, item_id, token_info):
        invoice = self._invoice(token_info["ns"], id_)
        return wire.item_body(_find_item(invoice, item_id), self._root())

    def put_invoice_item(self, id_, item_id, body, token_info):
        ns = token_info["ns"]
        with self.s.store.atomic(ns):
            invoice = self._invoice(ns, id_)
            old = _find_item(invoice, item_id)
            billing.ensure_items_editable(invoice)
            item = billing.item_from_request(body, invoice["currency"])
            item.update(id=old["id"], invoiceId=invoice["id"], createdTime=old["createdTime"],
                        updatedTime=self._now())
            invoice["items"] = [item if i["id"] == item_id else i for i in invoice["items"]]
            self._save(ns, invoice)
        return wire.item_body(item, self._root()), 200

    def delete_invoice_item(self, id_, item_id, token_info):
        ns = token_info["ns"]
        with self.s.store.atomic(ns):
            invoice = self._invoice(ns, id_)
            _find_item(invoice, item_id)
            billing.ensure_items_editable(invoice)
            invoice["items"] = [i for i in invoice["items"] if i["id"] != item_id]
            self._save(ns, invoice)
        return None, 204

    # -- helpers ----------------------------------------------------------------------------
    def _invoice(self, ns: Namespace, invoice_id: str) -> dict:
        invoice = self.s.store.get(ns, INVOICES, invoice_id)
        if invoice is None:
            raise NotFound(f"Invoice with ID {invoice_id} was not found.",
                           resource="invoice", resource_id=invoice_id)
        return invoice

    def _save(self, ns: Namespace, invoice: dict) -> None:
        invoice["updatedTime"] = self._now()
        self.s.store.put(ns, INVOICES, invoice["id"], billing.with_totals(invoice))

    def _now(self) -> str:
        return iso_seconds(self.s.clock.now())

    def _root(self) -> str:
        return self.s.api_root(BASE_PATH)


def _find_item(invoice: dict, item_id: str) -> dict:
    for item in invoice["items"]:
        if item["id"] == item_id:
            return item
    raise NotFound(f"Invoice item with ID {item_id} was not found.",
                   resource="invoice item", resource_id=item_id)


def new_item(services: Services, ns: Namespace, invoice: dict, fields: dict) -> dict:
    now = services.clock.now()
    number = services.store.next_number(ns, "ids")
    item = billing.item_from_request(fields, invoice["currency"])
    stamp = iso_seconds(now)
    return {"id": "ii_" + services.ids.ulid(f"{ns.provider}:{ns.tenant}", number, now),
            "invoiceId": invoice["id"], **item, "createdTime": stamp, "updatedTime": stamp}


def new_invoice(services: Services, ns: Namespace, fields: dict, **overrides) -> dict:
    """A stored invoice from create fields (API or fixture), items and totals included."""
    now = services.clock.now()
    stamp = iso_seconds(now)
    invoice_id = overrides.pop("id", None) or "in_" + services.ids.ulid(
        f"{ns.provider}:{ns.tenant}", services.store.next_number(ns, "ids"), now)
    invoice = {
        "id": invoice_id,
        "invoiceNumber": services.store.next_number(ns, f"invoiceNumber:{fields['customerId']}"),
        "customerId": fields["customerId"],
        "websiteId": fields["websiteId"],
        "organizationId": None,
        "currency": fields["currency"],
        "status": "draft",
        "notes": fields.get("notes"),
        "paidAmount": Decimal(0),
        "shippingAmount": Decimal(0),
        "items": [],
        "dueTime": fields.get("dueTime"),
        "issuedTime": None,
        "paidTime": None,
        "voidedTime": None,
        "createdTime": stamp,
        "updatedTime": stamp,
        **overrides,
    }
    invoice["items"] = [new_item(services, ns, invoice, item) for item in fields.get("items") or ()]
    return billing.with_totals(invoice)
