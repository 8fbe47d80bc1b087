"""The spec states the same grammar the code enforces; the fixtures load and stay valid."""

import pytest
import yaml

from invoice_sandbox.core.clock import parse_instant
from invoice_sandbox.core.tenant import Namespace, Tenant
from invoice_sandbox.errors import InvalidFixture
from invoice_sandbox.providers.lineitems import PROVIDER, billing
from invoice_sandbox.providers.lineitems.records import describe_tenant, seed_tenant
from invoice_sandbox.providers.registry import providers as registered_providers
from invoice_sandbox.specs import load_spec
from invoice_sandbox.specs.paths import fixtures_dir, spec_dir
from invoice_sandbox.store import MemoryStore

PROVIDERS = registered_providers()

SPEC = load_spec(spec_dir() / "lineitems.yaml")
SCHEMAS = SPEC["components"]["schemas"]


def test_provider_is_registered_under_its_base_path():
    assert PROVIDERS["lineitems"] is PROVIDER and PROVIDER.base_path == "/lineitems"


def test_spec_decimal_patterns_are_the_ones_billing_enforces():
    assert SCHEMAS["DecimalString"]["pattern"] == billing.DECIMAL_PATTERN
    assert SCHEMAS["QuantityString"]["pattern"] == billing.QUANTITY_PATTERN


def test_spec_links_lead_from_a_new_line_item_and_the_list_to_the_invoice():
    paths = SPEC["paths"]
    post = paths["/invoices/{id}/line-items"]["post"]["responses"]["200"]["links"]
    listed = paths["/invoices"]["get"]["responses"]["200"]["links"]
    assert post["GetInvoiceAfterLineItem"]["operationId"] == "GetInvoice"
    assert listed["GetFirstListedInvoice"]["parameters"] == {"id": "$response.body#/items/0/id"}


@pytest.mark.parametrize("status", ["400", "401", "404", "413", "415", "422"])
def test_every_error_of_the_line_item_post_is_documented(status):
    responses = SPEC["paths"]["/invoices/{id}/line-items"]["post"]["responses"]
    assert status in responses


TENANT = Tenant(Namespace("lineitems", "t"), parse_instant("2024-01-01T00:00:00Z"), 1)


def _seed(store: MemoryStore, data: dict) -> None:
    store.transact(TENANT.ns, lambda tx: seed_tenant(tx, TENANT, data))


def test_fixture_seeds_four_invoices_and_names_the_upcoming_one():
    store = MemoryStore()
    fixture = fixtures_dir() / "lineitems" / "default.yaml"
    _seed(store, yaml.safe_load(fixture.read_text())["data"])
    assert len(store.list(TENANT.ns, "invoices")) == 4
    assert describe_tenant(store, TENANT) == "upcoming invoice oQLSmmnn"


@pytest.mark.parametrize("bad", [{"unitPrice": 19.99}, {"unitPrice": "1e3"}, {"quantity": "-1"}])
def test_fixture_amounts_must_be_decimal_strings_in_the_api_grammar(bad):
    invoice = {"id": "BadFixtr", "accountId": "a", "billingPeriodStart": "2024-01-01T00:00:00Z",
               "billingPeriodEnd": "2024-01-31T23:59:59Z",
               "lineItems": [{"description": "x", "quantity": "1", "unitPrice": "1", **bad}]}
    store = MemoryStore()
    with pytest.raises(InvalidFixture, match="BadFixtr"):
        _seed(store, {"invoices": [invoice]})
    assert store.list(TENANT.ns, "invoices") == []


def test_the_default_fixture_gives_paid_and_void_invoices_consistent_timestamps():
    store = MemoryStore()
    fixture = fixtures_dir() / "lineitems" / "default.yaml"
    _seed(store, yaml.safe_load(fixture.read_text())["data"])
    paid = store.get(TENANT.ns, "invoices", "ZVzWRFnt")
    assert (paid["issueDate"], paid["dueDate"], paid["paidDate"]) == (
        "2023-12-23T09:12:05.104233Z", "2024-01-22T00:00:00Z", "2024-01-05T14:02:17.300120Z")
    assert paid["amountRemaining"] == 0
    void = store.get(TENANT.ns, "invoices", "jqsKFrxO")
    assert void["issueDate"] and void["dueDate"] and "paidDate" not in void


@pytest.mark.parametrize("status", ["scheduled", "issued", "overdue", "paid", "void"])
def test_a_fixture_in_an_issued_status_gets_issue_and_due_dates_by_default(status):
    store = MemoryStore()
    _seed(store, {"invoices": [{
        "id": "Seeded01", "accountId": "a", "status": status,
        "billingPeriodStart": "2023-12-01T00:00:00Z", "billingPeriodEnd": "2023-12-31T23:59:59Z",
        "lineItems": [{"description": "x", "quantity": "2", "unitPrice": "5"}]}]})
    invoice = store.get(TENANT.ns, "invoices", "Seeded01")
    assert (invoice["issueDate"], invoice["dueDate"]) == (
        "2024-01-01T00:00:00Z", "2024-01-31T00:00:00Z")
    if status == "paid":  # paid in full when the fixture names no amount, on its last update
        assert (invoice["amountPaid"], invoice["amountRemaining"]) == (10, 0)
        assert invoice["paidDate"] == "2024-01-01T00:00:00Z"
    else:
        assert "paidDate" not in invoice


@pytest.mark.parametrize("operation", ["IssueInvoice", "MarkInvoiceAsPaid", "VoidInvoice"])
def test_create_links_to_issue_pay_and_void_for_the_stateful_phase(operation):
    links = SPEC["paths"]["/invoices"]["post"]["responses"]["200"]["links"]
    assert operation in {link["operationId"] for link in links.values()}


def test_the_invoice_lookup_is_documented_but_not_emulated():
    assert SPEC["paths"]["/invoice-lookup"]["get"]["x-sandbox-not-emulated"] is True
