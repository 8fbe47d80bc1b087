from decimal import Decimal

from invoice_sandbox.store import codec


def test_records_in_the_standard_library_form_still_read_exactly():
    # what every backend wrote before orjson, and what it still writes for bigints/surrogates
    old = b'{"amount":{"$decimal":"0.10"},"n":%d,"meta":{"$$decimal":"1"}}' % 2**70
    assert codec.decode(old) == {"amount": Decimal("0.10"), "n": 2**70,
                                 "meta": {"$decimal": "1"}}


def test_a_record_orjson_cannot_hold_exactly_is_written_by_the_exact_writer():
    for record in ({"n": 2**64}, {"text": "a\ud800"}):
        data = codec.encode(record)
        assert not data.startswith(b" ") and codec.decode(data) == record


def test_an_ordinary_record_takes_the_fast_form_and_round_trips():
    record = {"amount": Decimal("-0.000"), "items": [{"$x": [1, None, True]}]}
    data = codec.encode(record)
    assert data.startswith(b" ")
    assert codec.decode(data) == record and str(codec.decode(data)["amount"]) == "-0.000"
