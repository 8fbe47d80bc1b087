"""Forced responses, scheduled faults and opt-in rate limits, per provider, in vendor shapes."""

import asyncio
import time

import pytest

from invoice_sandbox.control import faults, ratelimit
from invoice_sandbox.store import Namespace

from ..providers.rebilly.conftest import DRAFT, KEY

ITEMS = f"/rebilly/invoices/{DRAFT}/items"
AUTH = {"REB-APIKEY": KEY}
NS = Namespace("rebilly", KEY)
ITEM = {"type": "debit", "unitPrice": 1}


def schedule(app, **rule):
    operations = frozenset(["PostInvoiceItem", "GetInvoice", "GetInvoiceItemCollection"])
    return faults.add_rule(app.sandbox.store, NS, rule, operations)


@pytest.mark.parametrize("status, title", [(404, "Not Found"), (401, "Unauthorized"),
                                           (409, "The request could not be completed due to a conflict with the current state of existing resources.")])
def test_prefer_code_forces_a_documented_status_in_the_vendor_shape(client, status, title):
    response = client.post(ITEMS, headers={**AUTH, "Prefer": f"code={status}"}, json=ITEM)
    assert response.status_code == status
    assert response.json()["status"] == status and response.json()["title"] == title


def test_prefer_code_for_an_undocumented_status_is_refused_naming_the_header(client):
    response = client.get(f"/rebilly/invoices/{DRAFT}", headers={**AUTH, "Prefer": "code=418"})
    assert response.status_code == 422
    problem = response.json()["invalidFields"][0]
    assert problem["field"] == "Prefer" and "200, 401, 404, 422" in problem["message"]


def test_prefer_a_success_code_changes_nothing(client):
    response = client.post(ITEMS, headers={**AUTH, "Prefer": "code=201"}, json=ITEM)
    assert response.status_code == 201


def test_forced_errors_store_nothing(client):
    before = client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).json()
    client.post(ITEMS, headers={**AUTH, "Prefer": "code=409"}, json=ITEM)
    assert client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).json() == before


def test_prefer_works_in_every_providers_error_shape(client):
    billingrails = client.get("/billingrails/v1/invoices/inv_DraftUSD01", headers={
        "Authorization": "Bearer sk_site_invoice_sandbox_demo", "Prefer": "code=404"})
    assert billingrails.status_code == 404 and billingrails.json()["error"]["code"] == "not_found"
    lineitems = client.get("/lineitems/invoices/oQLSmmnn", headers={
        "Authorization": "Bearer sk_sandbox_lineitems_demo", "Prefer": "code=404"})
    assert lineitems.status_code == 404 and lineitems.json()["status"] == 404


def test_a_status_fault_fails_the_next_n_requests_then_stops(client, app):
    schedule(app, operation="PostInvoiceItem", status=503, times=2)
    statuses = [client.post(ITEMS, headers=AUTH, json=ITEM).status_code for _ in range(3)]
    assert statuses == [503, 503, 201]


def test_faults_only_touch_their_operation_and_tenant(client, app):
    schedule(app, operation="PostInvoiceItem", status=500)
    assert client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200
    other = {"REB-APIKEY": "sk_sandbox_someone_else"}
    assert client.post(ITEMS, headers=other, json=ITEM).status_code == 201
    assert client.post(ITEMS, headers=AUTH, json=ITEM).status_code == 500


def test_a_fractional_fault_is_seeded_and_reproducible(app):
    def run(app) -> list[int]:
        with app.test_client() as client:
            client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
            schedule(app, operation="GetInvoice", status=503, fraction=0.5)
            return [client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code
                    for _ in range(20)]

    from tests.conftest import make_app
    first, second = run(make_app()), run(make_app())
    assert first == second and {200, 503} == set(first)


def test_a_delay_fault_delays_the_response(client, app):
    schedule(app, operation="GetInvoice", action="delay", delay_ms=300)
    started = time.monotonic()
    assert client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_drop_fault_breaks_the_connection(client, app):
    schedule(app, operation="GetInvoice", action="drop")
    with pytest.raises(Exception):
        client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    assert client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200


@pytest.mark.parametrize("rule, message", [
    ({"operation": "Nope", "status": 500}, "unknown operation"),
    ({"action": "explode"}, "action must be one of"),
    ({"status": 200}, "status, an integer from 400 to 599"),
    ({"action": "delay"}, "delay_ms"),
    ({"status": 500, "times": 0}, "positive integer"),
    ({"status": 500, "fraction": 2}, "fraction"),
    ({"status": 500, "times": 1, "fraction": 0.5}, "not both"),
])
def test_bad_fault_rules_are_refused_with_a_clear_message(rule, message):
    with pytest.raises(faults.InvalidRule, match=message):
        faults.parse_rule(rule, "r1", frozenset({"GetInvoice"}))


def test_rebilly_rate_limit_sends_its_headers_and_429_with_retry_after(client, app):
    client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    app.sandbox.settings.set_rate_limit(NS, ratelimit.setting(True, limit=2, window_seconds=60))
    first = client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    assert first.headers["x-ratelimit-limit"] == "2" and first.headers["rate-limit-remaining"] == "1"
    client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    refused = client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    assert refused.status_code == 429
    assert refused.json()["status"] == 429
    assert refused.headers["retry-after"] == refused.headers["rate-limit-retry-after"] == "60"
    assert refused.headers["x-ratelimit-retry-after"] == str(1704067260)


def test_billingrails_allows_50_requests_a_minute_when_limits_are_on(client, app):
    auth = {"Authorization": "Bearer sk_site_invoice_sandbox_demo"}
    app.sandbox.settings.set_rate_limit(None, ratelimit.setting(True))
    statuses = [client.get("/billingrails/v1/invoices/inv_DraftUSD01", headers=auth).status_code
                for _ in range(51)]
    assert statuses[:50] == [200] * 50 and statuses[50] == 429
    refused = client.get("/billingrails/v1/invoices/inv_DraftUSD01", headers=auth)
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert refused.headers["retry-after"] == "60"
    app.sandbox.settings.advance_clock(None, __import__("datetime").timedelta(minutes=1))
    assert client.get("/billingrails/v1/invoices/inv_DraftUSD01", headers=auth).status_code == 200


def test_rate_limits_are_off_by_default(client):
    response = client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
    assert "x-ratelimit-limit" not in response.headers
