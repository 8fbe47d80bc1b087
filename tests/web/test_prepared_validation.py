from invoice_sandbox.web.prepared_validation import _KEEP

AUTH = {"REB-APIKEY": "sk_sandbox_prepared"}
ITEMS = "/rebilly/invoices/in_0YVF9605RKC62BP14NE2R7V2XT/items"
CHARSETS = ["utf-8", "UTF-8", "utf8", "UTF8", "u8", "utf", "utf_8", "U8", "Utf-8", "uTf-8",
            "utF-8", "UTf-8", "UtF-8", "uTF-8", "utf-8 ", "UTF_8", "Utf8", "uTf8", "utF8", "UTf8"]


def test_every_charset_variant_is_validated_the_same_beyond_the_kept_validators(client):
    assert len(CHARSETS) > _KEEP
    for charset in CHARSETS:
        headers = {**AUTH, "Content-Type": f"application/json; charset={charset}"}
        good = client.post(ITEMS, content=b'{"type":"debit","unitPrice":1,"quantity":1}',
                           headers=headers)
        bad = client.post(ITEMS, content=b'{"type":"debit","unitPrice":"x","quantity":1}',
                          headers=headers)
        assert (good.status_code, bad.status_code) == (201, 422), charset
