"""Billingrails operations: read params -> billing rules -> store -> (body, status).

Every create answers 200 with the wrapped resource, as Billingrails' reference shows; adding
an item answers 200 with the whole invoice. Each write checks everything before it draws an
id or a number, so a rejected request leaves the tenant exactly as it was. An unknown
``account_id`` in a create body is a 404, like an unknown id in the path.
"""

from __future__ import annotations

from ...errors import NotFound
from ...provider import Services
from ...store import Namespace
from . import billing, records, wire
from .errors import StateError
from .records import ACCOUNTS, INVOICES

BASE_PATH = "/billingrails/v1"


class BillingrailsHandlers:
    def __init__(self, services: Services) -> None:
        self.s = services

    # -- accounts ---------------------------------------------------------------------------
    def create_account(self, body, token_info):
        ns = token_info["ns"]
        with self.s.store.atomic(ns):
            self._ensure_unique_external_id(ns, body.get("external_id"))
            account = records.new_account(self.s, ns, body, self.s.clock.now())
            self.s.store.put(ns, ACCOUNTS, account["id"], account)
        return wire.account_body(account), 200

    def get_account(self, id_, token_info):
        return wire.account_body(self._find(token_info["ns"], ACCOUNTS, id_))

    # -- invoices ---------------------------------------------------------------------------
    def create_invoice(self, body, token_info):
        ns = token_info["ns"]
        billing.ensure_within_limits([], billing.requested_items(body))
        with self.s.store.atomic(ns):
            account = self._find(ns, ACCOUNTS, body["account_id"])
            invoice = records.new_invoice(self.s, ns, body, account, self.s.clock.now())
            self.s.store.put(ns, INVOICES, invoice["id"], invoice)
        return wire.invoice_body(invoice, self._root()), 200

    def get_invoice(self, id_, token_info):
        return wire.invoice_body(self._find(token_info["ns"], INVOICES, id_), self._root())

    def add_invoice_item(self, id_, body, token_info):
        ns = token_info["ns"]
        with self.s.store.atomic(ns):
            invoice = self._find(ns, INVOICES, id_)
            billing.ensure_accepts_items(invoice)
            billing.ensure_within_limits(invoice["items"], [body])
            invoice["items"].append(records.new_item(self.s, ns, invoice, body))
            self.s.store.put(ns, INVOICES, invoice["id"], invoice)
        return wire.invoice_body(invoice, self._root()), 200

    # -- helpers ----------------------------------------------------------------------------
    def _find(self, ns: Namespace, kind: str, record_id: str) -> dict:
        record = self.s.store.get(ns, kind, record_id)
        if record is None:
            noun = kind.rstrip("s")
            raise NotFound(f"The requested {noun} doesn't exist.",
                           resource=noun, resource_id=record_id)
        return record

    def _ensure_unique_external_id(self, ns: Namespace, external_id: str | None) -> None:
        if external_id is None:
            return
        if any(a["external_id"] == external_id for a in self.s.store.list(ns, ACCOUNTS)):
            raise StateError("external_id",
                             f"An account with external_id {external_id} already exists.")

    def _root(self) -> str:
        return self.s.api_root(BASE_PATH)
