import json
from datetime import datetime, timezone

from connexion.jsonifier import Jsonifier

from invoice_sandbox.web.jsonify import FastJsonifier

fast, reference = FastJsonifier(), Jsonifier()


def test_bodies_read_back_the_same_as_connexions_writer_would_write_them():
    body = {"id": "in_1", "amount": 12.5, "n": 3, "items": [{"é": "中"}], "none": None}
    assert json.loads(fast.dumps(body)) == json.loads(reference.dumps(body))
    assert fast.dumps(body).endswith("\n") and fast.dumps_bytes(body).endswith(b"\n")


def test_what_orjson_cannot_write_falls_back_to_connexions_writer():
    for body in ({"text": "a\ud800"}, {"n": 2**70}, {1: "int key"}):
        assert fast.dumps(body) == reference.dumps(body)


def test_datetimes_are_written_as_connexion_writes_them():
    body = {"at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)}
    assert fast.dumps(body) == reference.dumps(body)
