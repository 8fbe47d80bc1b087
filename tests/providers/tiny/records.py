"""Stored invoices (lines inline: tiny invoices stay tiny), fixtures and the banner line."""

from invoice_sandbox.providers.base import fixture_entry, seeded_chars

from . import billing

INVOICES = "invoices"


def add_invoice(tx, tenant, lines: list[int], invoice_id: str | None = None) -> dict:
    invoice = {"id": invoice_id or seeded_chars(tx, tenant, "ti_", 8), "lines": lines,
               "total": billing.total(lines)}
    tx.put(INVOICES, invoice["id"], invoice)
    return invoice


def seed_tenant(tx, tenant, data: dict) -> None:
    for fields in data.get("invoices") or ():
        with fixture_entry("invoice", fields):
            add_invoice(tx, tenant, [int(amount) for amount in fields["lines"]], fields["id"])


def describe_tenant(store, tenant) -> str:
    return f"{store.count(tenant.ns, INVOICES)} invoices"
