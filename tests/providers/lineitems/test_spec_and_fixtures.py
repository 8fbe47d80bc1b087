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
