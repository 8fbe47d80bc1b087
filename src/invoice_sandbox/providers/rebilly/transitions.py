"""Rebilly's lifecycle operations: upsert, issue, void, abandon, reissue, recalculate, apply a
transaction, and the minimal transactions resource a payment needs. Thin, like handlers.py:
read params -> lifecycle rules (``lifecycle.py``, given ``tenant.now``) -> store -> body.

Each write is one ``store.transact`` whose checks all run before its first write or id draw,
so a refused transition stores nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from ...core.money import round_currency, to_decimal, total
from ...core.tenant import Tenant
from ...errors import FieldError, InvalidRequest, NotEmulated
from ...store import Store, Transaction
from ..base import found
from . import billing, lifecycle, wire
from .records import (
    INVOICES, TRANSACTIONS, allocations_of, instant, invoice_missing, items_of, new_invoice, new_transaction,
    payment_for, save_invoice, transaction_missing, updated_invoice,
)


class LifecycleHandlers:
    store: Store

    # -- upsert -----------------------------------------------------------------------------
    def put_invoice(self, tenant: Tenant, api_root: str, id_, body):
        def upsert(tx: Transaction):
            old = tx.get(INVOICES, id_)
            if old is None:
                invoice, items = new_invoice(tx, tenant, body, id=id_)
                save_invoice(tx, invoice, items)
                return invoice, items, True
            invoice, items = updated_invoice(tx, tenant, old, body)
            tx.put(INVOICES, id_, invoice)
            return invoice, items, False

        invoice, items, created = self.store.transact(tenant.ns, upsert)
        body = wire.invoice_body(invoice, items, api_root, tenant.now)
        if created:
            return body, 201, {"Location": f"{api_root}/invoices/{id_}"}
        return body, 200

    # -- transitions ------------------------------------------------------------------------
    def post_invoice_issuance(self, tenant: Tenant, api_root: str, id_, body=None):
        issued, due = instant(body or {}, "issuedTime"), instant(body or {}, "dueTime")
        return self._transition(tenant, api_root, id_,
                                lambda invoice, _: lifecycle.issue(invoice, tenant.now,
                                                                   issued, due))

    def post_invoice_void(self, tenant: Tenant, api_root: str, id_):
        return self._transition(tenant, api_root, id_,
                                lambda invoice, _: lifecycle.apply("void", invoice, tenant.now))

    def post_invoice_abandonment(self, tenant: Tenant, api_root: str, id_):
        return self._transition(
            tenant, api_root, id_,
            lambda invoice, _: lifecycle.apply("abandon", invoice, tenant.now))

    def post_invoice_reissuance(self, tenant: Tenant, api_root: str, id_, body=None):
        due = instant(body or {}, "dueTime")
        return self._transition(tenant, api_root, id_,
                                lambda invoice, _: lifecycle.reissue(invoice, tenant.now, due))

    def post_invoice_recalculation(self, tenant: Tenant, api_root: str, id_):
        def recalculate(invoice: dict, items: list[dict]) -> dict:
            checked = lifecycle.apply("recalculate", invoice, tenant.now)
            return billing.recalculated(checked, items)

        return self._transition(tenant, api_root, id_, recalculate)

    def _transition(self, tenant: Tenant, api_root: str, id_,
                    change: Callable[[dict, list[dict]], dict]):
        """201 with the changed invoice and its ``Location``, as the reference documents."""
        def run(tx: Transaction):
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            items = tx.list(items_of(id_))
            changed = change(invoice, items)
            tx.put(INVOICES, id_, changed)
            return changed, items

        invoice, items = self.store.transact(tenant.ns, run)
        return (wire.invoice_body(invoice, items, api_root, tenant.now), 201,
                {"Location": f"{api_root}/invoices/{id_}"})

    # -- payments ---------------------------------------------------------------------------
    def post_invoice_transaction(self, tenant: Tenant, api_root: str, id_, body):
        def apply_payment(tx: Transaction):
            invoice = found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            lifecycle.transition("pay", invoice, tenant.now)
            transaction = payment_for(tx, body["transactionId"])
            asked = body.get("amount")
            if asked is not None:
                asked = round_currency(to_decimal(asked), invoice["currency"])
            paid = self._pay(tx, tenant, invoice, transaction, asked)
            return paid, tx.list(items_of(id_))

        invoice, items = self.store.transact(tenant.ns, apply_payment)
        return wire.invoice_body(invoice, items, api_root, tenant.now), 200

    @staticmethod
    def _pay(tx: Transaction, tenant: Tenant, invoice: dict, transaction: dict,
             asked) -> dict:
        """Apply (part of) ``transaction`` to ``invoice``; both are stored."""
        paid, amount = lifecycle.pay(invoice, tenant.now, transaction, asked)
        invoice_ids = transaction["invoiceIds"]
        used = {**transaction,
                "unusedAmount": total((transaction["unusedAmount"], amount.copy_negate())),
                "invoiceIds": invoice_ids + [paid["id"]] * (paid["id"] not in invoice_ids),
                "updatedTime": paid["updatedTime"]}
        allocated = tx.get(allocations_of(paid["id"]), used["id"]) or {
            "id": used["id"], "invoiceId": paid["id"], "transactionId": used["id"],
            "amount": Decimal(0), "currency": paid["currency"]}
        allocated = {**allocated, "amount": total((allocated["amount"], amount))}
        tx.put(INVOICES, paid["id"], paid)
        tx.put(TRANSACTIONS, used["id"], used)
        tx.put(allocations_of(paid["id"]), used["id"], allocated)
        transaction.update(used)
        return paid

    def post_transaction(self, tenant: Tenant, api_root: str, body):
        if body["type"] != "sale":
            raise NotEmulated(f"POST /transactions of type {body['type']}")
        if not body.get("isProcessedOutside"):
            raise NotEmulated("POST /transactions through a payment gateway "
                              "(isProcessedOutside not true)")

        def record(tx: Transaction) -> dict:
            invoices = [self._payable(tx, tenant, i, body["currency"])
                        for i in dict.fromkeys(body.get("invoiceIds") or ())]
            transaction = new_transaction(tx, tenant, body)
            tx.put(TRANSACTIONS, transaction["id"], transaction)
            for invoice in invoices:  # in order, while the transaction has money unused
                if transaction["unusedAmount"] > 0:
                    self._pay(tx, tenant, invoice, transaction, None)
            return transaction

        transaction = self.store.transact(tenant.ns, record)
        headers = {"Location": f"{api_root}/transactions/{transaction['id']}"}
        return wire.transaction_body(transaction, api_root), 201, headers

    @staticmethod
    def _payable(tx: Transaction, tenant: Tenant, invoice_id: str, currency: str) -> dict:
        """An invoice named in a new transaction's ``invoiceIds``: it exists, is in the
        transaction's currency and takes a payment now, or the transaction is refused (422)
        before an id is drawn or anything stored."""
        invoice = tx.get(INVOICES, invoice_id)
        if invoice is None or invoice["currency"] != currency:
            problem = "was not found" if invoice is None else f"is not in {currency}"
            raise InvalidRequest([FieldError("invoiceIds",
                                             f"Invoice with ID {invoice_id} {problem}.")])
        lifecycle.transition("pay", invoice, tenant.now)
        if invoice["amountDue"] <= 0:
            raise InvalidRequest([FieldError("invoiceIds",
                                             f"Invoice with ID {invoice_id} has no amount due.")])
        return invoice

    def get_invoice_transaction_allocation_collection(self, tenant: Tenant, api_root: str, id_,
                                                       limit=100, offset=0):
        def read(tx: Transaction) -> list[dict]:
            found(tx.get(INVOICES, id_), lambda: invoice_missing(id_))
            return tx.list(allocations_of(id_))

        allocations = self.store.transact(tenant.ns, read)
        headers = {"Pagination-Total": str(len(allocations)), "Pagination-Limit": str(limit),
                   "Pagination-Offset": str(offset)}
        return ([wire.allocation_body(a, api_root) for a in allocations[offset:offset + limit]],
                200, headers)

    def get_transaction(self, tenant: Tenant, api_root: str, id_):
        transaction = found(self.store.get(tenant.ns, TRANSACTIONS, id_),
                            lambda: transaction_missing(id_))
        return wire.transaction_body(transaction, api_root)
