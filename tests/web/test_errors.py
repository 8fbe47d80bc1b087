"""The one error handler: a bug is logged with its traceback, answered in the vendor's 500
shape and marked in the journal; nothing of ours turns into a client's 4xx."""

import logging

import pytest

from invoice_sandbox.providers.rebilly.handlers import RebillyHandlers
from invoice_sandbox.web.errors import as_sandbox_error
from invoice_sandbox import errors

from ..conftest import make_app
from ..providers.rebilly.conftest import DRAFT, KEY

AUTH = {"REB-APIKEY": KEY}


@pytest.mark.parametrize("flavor", ["async", "flask"])
def test_a_handler_bug_is_logged_answered_as_a_vendor_500_and_journalled(flavor, monkeypatch,
                                                                        caplog):
    def broken(self, tenant, api_root, id_):
        return 1 / 0

    monkeypatch.setattr(RebillyHandlers, "get_invoice", broken)
    app = make_app(flavor=flavor)
    with caplog.at_level(logging.ERROR, logger="invoice_sandbox"), \
            app.test_client(raise_server_exceptions=False) as client:
        response = client.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH)
        journal = client.get("/_sandbox/journal", params={"provider": "rebilly", "key": KEY})
    assert response.status_code == 500
    assert response.json()["title"] == "Internal Server Error"
    [record] = [r for r in caplog.records if r.name == "invoice_sandbox"]
    assert record.exc_info[0] is ZeroDivisionError and f"/rebilly/invoices/{DRAFT}" in record.message
    [entry] = journal.json()["entries"]
    assert entry["status"] == 500 and entry["error"].startswith("ZeroDivisionError")


def test_only_the_frameworks_own_problems_become_client_errors():
    assert isinstance(as_sandbox_error(KeyError("x")), errors.InternalError)
    assert isinstance(as_sandbox_error(ValueError("x")), errors.InternalError)
    assert as_sandbox_error(errors.Conflict("c")).status == 409
