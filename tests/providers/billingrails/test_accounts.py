"""Accounts: created with Billingrails' defaults and read back unchanged."""

from .conftest import ROOT, create_account, create_invoice


def test_created_account_reads_back_with_documented_defaults(client, auth):
    created = create_account(client, auth)
    assert created.status_code == 200
    account = created.json()["account"]
    assert account["object"] == "account" and account["id"].startswith("acc_")
    assert (account["type"], account["timezone"]) == ("individual", "UTC")
    assert account["invoice_settings"] == {"grace_period_days": 0, "net_term_days": 30,
                                           "number_prefix": "INV"}
    assert account["created_at"] == "2024-01-01T00:00:00.000Z"
    fetched = client.get(f"{ROOT}/accounts/{account['id']}", headers=auth)
    assert fetched.status_code == 200 and fetched.json() == created.json()


def test_account_keeps_every_field_it_was_given(client, auth):
    fields = {"type": "organization", "country": "NG", "default_currency": "NGN",
              "external_id": "test_account", "timezone": "Africa/Lagos",
              "billing_address": {"line1": "1 Marina", "city": "Lagos", "country": "NG"},
              "shipping_address": None, "metadata": {"tier": "gold"},
              "invoice_settings": {"net_term_days": 14, "number_prefix": "BILL"}}
    account = create_account(client, auth, **fields).json()["account"]
    assert {k: account[k] for k in fields if k != "invoice_settings"} == {
        k: v for k, v in fields.items() if k != "invoice_settings"}
    assert account["invoice_settings"] == {"grace_period_days": 0, "net_term_days": 14,
                                           "number_prefix": "BILL"}


def test_net_term_days_set_the_default_due_date(client, auth):
    account = create_account(client, auth, invoice_settings={"net_term_days": 7}).json()
    invoice = create_invoice(client, auth, account_id=account["account"]["id"]).json()
    assert invoice["invoice"]["due_at"] == "2024-01-08T00:00:00.000Z"


def test_early_years_are_zero_padded_and_unrepresentable_instants_kept_as_sent(client, auth):
    early = create_invoice(client, auth, due_at="0300-02-05T14:27:26+01:00").json()["invoice"]
    assert early["due_at"] == "0300-02-05T13:27:26.000Z"
    # Valid RFC 3339, but before 0001-01-01 in UTC: Python cannot hold it, so it is echoed.
    edge = create_invoice(client, auth, due_at="0001-01-01T00:00:00+01:00").json()["invoice"]
    assert edge["due_at"] == "0001-01-01T00:00:00+01:00"
