"""The request journal middleware: every provider request recorded under its tenant."""

from invoice_sandbox.control import faults, journal
from invoice_sandbox.store import Namespace

from ..conftest import make_app
from ..providers.rebilly.conftest import DRAFT, KEY

AUTH = {"REB-APIKEY": KEY}
NS = Namespace("rebilly", KEY)


def recorded(app, ns=NS) -> list[dict]:
    return app.sandbox.store.log_read(ns, journal.JOURNAL)


def test_a_request_is_recorded_with_operation_status_body_and_sandbox_time(app, client):
    client.post(f"/rebilly/invoices/{DRAFT}/items?expand=x", headers=AUTH,
                json={"type": "debit", "unitPrice": 2.5})
    [entry] = recorded(app)
    assert entry["method"] == "POST" and entry["path"] == f"/rebilly/invoices/{DRAFT}/items"
    assert entry["query"] == "expand=x" and entry["operationId"] == "PostInvoiceItem"
    assert entry["status"] == 201 and entry["time"] == "2024-01-01T00:00:00Z"
    assert journal.parsed_body(entry) == {"type": "debit", "unitPrice": 2.5}


def test_the_path_is_the_one_the_client_used(app, client):
    client.get(f"/rebilly/organizations/org_1/invoices/{DRAFT}", headers=AUTH)
    assert recorded(app)[0]["path"] == f"/rebilly/organizations/org_1/invoices/{DRAFT}"


def viewed(client, provider, key) -> list[dict]:
    params = {"provider": provider, "key": key}
    return client.get("/_sandbox/journal", params=params).json()["entries"]


def test_a_rejected_credential_is_recorded_under_that_credential(app, client):
    client.post("/rebilly/invoices", headers={"REB-APIKEY": "wrong"}, json={"currency": "USD"})
    client.get("/billingrails/v1/invoices/x", headers={"Authorization": "Bearer nope"})
    client.get("/lineitems/invoices")
    [rejected] = viewed(client, "rebilly", "wrong")
    assert rejected["status"] == 401 and rejected["body"] == {"currency": "USD"}
    assert viewed(client, "billingrails", "nope")[0]["status"] == 401
    assert [e["status"] for e in client.get("/_sandbox/journal").json()["entries"]
            if e["provider"] == "lineitems" and e["key"] == ""] == [401]


def test_refused_keys_share_one_bounded_log_and_make_no_tenant(app, client, monkeypatch):
    monkeypatch.setattr(journal, "KEEP", 5)
    for n in range(20):
        client.get("/billingrails/v1/invoices/x", headers={"Authorization": f"Bearer bad{n}"})
    store = app.sandbox.store
    assert store.log_namespaces(journal.JOURNAL) == []
    assert len(store.log_read(Namespace("_sandbox", ""), journal.refused_log("billingrails"))) == 5
    assert client.delete("/_sandbox/journal", params={"provider": "billingrails",
                                                      "key": "bad19"}).json() == {"cleared": 1}


def test_a_body_refused_before_it_is_read_is_kept_as_text(app, client):
    client.post(f"/rebilly/invoices/{DRAFT}/items", headers={**AUTH, "Content-Type": "text/plain"},
                content=b"hello")
    [entry] = recorded(app)
    assert entry["status"] == 415 and journal.parsed_body(entry) == "hello"


def test_docs_specs_and_the_control_api_are_not_recorded(app, client):
    client.get("/rebilly/openapi.json")
    client.get("/_sandbox/journal")
    assert app.sandbox.store.log_namespaces(journal.JOURNAL) == []


def test_only_the_newest_entries_are_kept(app, client, monkeypatch):
    monkeypatch.setattr(journal, "KEEP", 2)
    for path in ("/invoices", f"/invoices/{DRAFT}", f"/invoices/{DRAFT}/items"):
        client.get(f"/rebilly{path}", headers=AUTH)
    assert [e["operationId"] for e in recorded(app)] == ["GetInvoice", "GetInvoiceItemCollection"]


def test_a_dropped_connection_is_recorded_without_a_status():
    app = make_app()
    faults.add_rule(app.sandbox.store, NS, {"action": "drop"}, frozenset())
    with app.test_client(raise_server_exceptions=False) as client:
        try:
            client.get("/rebilly/invoices", headers=AUTH)
        except Exception:  # noqa: BLE001 - how the client reports the cut is not the point
            pass
    assert recorded(app)[0]["status"] is None


def test_a_body_nested_too_deeply_is_a_400_and_journalled_as_text(app, client):
    headers = {**AUTH, "Content-Type": "application/json"}
    response = client.post("/rebilly/invoices", headers=headers, content=b"[" * 100_000)
    assert response.status_code == 400
    assert journal.parsed_body(recorded(app)[0]).startswith("[[[")
