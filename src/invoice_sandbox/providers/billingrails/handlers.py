"""Billingrails operations: read params -> billing rules -> store -> (body, status).

Every create answers 200 with the wrapped resource, as Billingrails' reference shows; adding
an item, updating and issuing answer 200 with the whole invoice. Each write is one
transaction that checks everything before it draws an id or a number, so a rejected request
leaves the tenant exactly as it was. An unknown ``account_id`` in a body is a 404, like an
unknown id in the path. Every invoice in a response carries the status it has at
``tenant.now`` (``billing.status_at``: ``overdue`` is derived, never stored).
"""

from __future__ import annotations

from ...core.clock import iso_millis
from ...core.tenant import Tenant
from ...store import Store, Transaction
from ..base import found, with_children
from . import billing, wire
from .records import (
    ACCOUNTS, INVOICES, PAYMENTS, add_account, add_invoice, add_payment, items_of, millis,
    missing, new_item, replace_items,
)

BASE_PATH = "/billingrails/v1"
_UPDATABLE = ("collection_method", "payment_method_id")
_OTHER_TARGETS = (("payment_request_id", "payment request"), ("order_id", "order"),
                  ("credit_grant_id", "credit grant"))
"""What else a payment may pay; the sandbox holds none of them, so each is a 404."""


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

    def list_accounts(self, tenant: Tenant, search=None, page=1, per_page=20):
        """Newest first; ``search`` looks in id, name, email and external_id."""
        accounts = [a for a in reversed(self.store.list(tenant.ns, ACCOUNTS))
                    if billing.matches(search, a["id"], a["name"], a["email"],
                                       a.get("external_id"))]
        shown = [wire.account_fields(a) for a in billing.page_of(accounts, page, per_page)]
        return wire.list_body("accounts", shown, page, per_page, len(accounts))

    # -- invoices ---------------------------------------------------------------------------
    def create_invoice(self, tenant: Tenant, api_root: str, body):
        def create(tx: Transaction) -> tuple[dict, list[dict]]:
            account = found(tx.get(ACCOUNTS, body["account_id"]), lambda: missing("account"))
            return add_invoice(tx, tenant, body, account)

        invoice, items = self.store.transact(tenant.ns, create)
        return wire.invoice_body(invoice, items, api_root, tenant.now), 200

    def get_invoice(self, tenant: Tenant, api_root: str, id_):
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root, tenant.now)

    def list_invoices(self, tenant: Tenant, api_root: str, search=None, page=1, per_page=20):
        """Newest first; ``search`` looks in id, number, account_id, currency and the status
        as of now (so ``search=overdue`` finds what the clock made overdue)."""
        def read(tx: Transaction) -> tuple[int, list[dict]]:
            invoices = [i for i in reversed(tx.list(INVOICES))
                        if billing.matches(search, i["id"], i["number"], i["account_id"],
                                           i["currency"], billing.status_at(i, tenant.now))]
            shown = billing.page_of(invoices, page, per_page)
            return len(invoices), [(i, tx.list(items_of(i["id"]))) for i in shown]

        total, shown = self.store.transact(tenant.ns, read)
        fields = [wire.invoice_fields(i, items, api_root, tenant.now) for i, items in shown]
        return wire.list_body("invoices", fields, page, per_page, total)

    def add_invoice_item(self, tenant: Tenant, api_root: str, id_, body):
        def add(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: missing("invoice"))
            billing.transition(invoice, "add_item", tenant.now)
            subtotal = billing.ensure_within_limits(invoice["item_count"],
                                                    invoice["subtotal_amount"], [body])
            item = new_item(tx, tenant, invoice, body)
            tx.put(items_of(id_), item["id"], item)
            invoice = {**invoice, "subtotal_amount": subtotal,
                       "item_count": invoice["item_count"] + 1}
            tx.put(INVOICES, id_, invoice)

        self.store.transact(tenant.ns, add)
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root, tenant.now), 200

    def update_invoice(self, tenant: Tenant, api_root: str, id_, body):
        """PUT is a partial update: fields left out keep their values; ``line_items``, when
        sent, becomes the whole list of items (``records.replace_items``)."""
        def update(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: missing("invoice"))
            row = billing.transition(invoice, "update", tenant.now)
            changed = {k: body[k] for k in _UPDATABLE if k in body}
            if "due_at" in body:
                changed["due_at"] = millis(body["due_at"])
            invoice = billing.apply({**invoice, **changed}, row, iso_millis(tenant.now))
            if "line_items" in body:
                invoice = replace_items(tx, tenant, invoice, body["line_items"])
            tx.put(INVOICES, id_, invoice)

        self.store.transact(tenant.ns, update)
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root, tenant.now), 200

    def issue_invoice(self, tenant: Tenant, api_root: str, id_, body=None):
        """Draft -> issued, ``issued_at`` now; ``due_at`` from the body when given."""
        body = body or {}

        def issue(tx: Transaction) -> None:
            invoice = found(tx.get(INVOICES, id_), lambda: missing("invoice"))
            row = billing.transition(invoice, "issue", tenant.now)
            if body.get("due_at"):
                invoice = {**invoice, "due_at": millis(body["due_at"])}
            tx.put(INVOICES, id_, billing.apply(invoice, row, iso_millis(tenant.now)))

        self.store.transact(tenant.ns, issue)
        return wire.invoice_body(*self._snapshot(tenant, id_), api_root, tenant.now), 200

    # -- payments ---------------------------------------------------------------------------
    def create_payment(self, tenant: Tenant, api_root: str, body):
        """Settles the invoice's outstanding amount; an online payment with only an
        ``integration_id`` waits (pending, with a ``payment_link``) and changes nothing."""
        def pay(tx: Transaction) -> dict:
            for field, noun in _OTHER_TARGETS:
                if body.get(field) is not None:
                    raise missing(noun)
            account = found(tx.get(ACCOUNTS, body["account_id"]), lambda: missing("account"))
            invoice = found(tx.get(INVOICES, body["invoice_id"]), lambda: missing("invoice"))
            billing.ensure_payer(invoice, account["id"])
            row = billing.transition(invoice, "pay", tenant.now)
            if billing.waits_for_link(body):
                return add_payment(tx, tenant, body, invoice, billing.settle(invoice),
                                   "pending")
            amount = billing.settle(invoice)
            paid = {**invoice, "paid_amount": invoice["paid_amount"] + amount}
            tx.put(INVOICES, invoice["id"], billing.apply(paid, row, iso_millis(tenant.now)))
            return add_payment(tx, tenant, body, invoice, amount, "succeeded")

        payment = self.store.transact(tenant.ns, pay)
        return wire.payment_body(payment, api_root), 200

    def get_payment(self, tenant: Tenant, api_root: str, id_):
        payment = found(self.store.get(tenant.ns, PAYMENTS, id_), lambda: missing("payment"))
        return wire.payment_body(payment, api_root)

    def _snapshot(self, tenant: Tenant, invoice_id: str) -> tuple[dict, list[dict]]:
        return with_children(self.store, tenant, INVOICES, invoice_id, items_of(invoice_id),
                             lambda: missing("invoice"))
