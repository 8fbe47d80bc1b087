"""Records to bytes and back, exactly: the one serialisation every backend uses.

JSON text, with two additions: a ``Decimal`` is written as ``{"$decimal": "<digits>"}`` (its
exact string, so ``Decimal("0.10")`` comes back as ``0.10``), and a dict key that starts with
``$`` gets one more ``$`` in front, so client data such as ``{"$decimal": "1"}`` in a
free-form ``metadata`` object can never be read back as a number. Integers of any size are
JSON integers (exact both ways). ``float`` is refused on write, so a float that slipped into
a handler fails in every backend at once, not only in Redis. Text is escaped to ASCII, so any
Python string, a lone surrogate included, round-trips.
"""

from __future__ import annotations

import json
from decimal import Decimal

DECIMAL = "$decimal"


class CodecError(TypeError):
    """A value a record may not contain (see the store's docstring)."""


def encode(record: dict) -> bytes:
    return json.dumps(_plain(record), separators=(",", ":")).encode("ascii")


def decode(data: bytes | str) -> dict:
    return json.loads(data, object_hook=_restore)


def _plain(value):
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CodecError(f"a record may not hold the non-finite Decimal {value}")
        return {DECIMAL: str(value)}
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CodecError(f"record keys must be str, not {type(key).__name__}")
            out["$" + key if key.startswith("$") else key] = _plain(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    raise CodecError(f"a record may not hold a {type(value).__name__} ({value!r})")


def _restore(obj: dict):
    if len(obj) == 1 and DECIMAL in obj:
        return Decimal(obj[DECIMAL])
    if any(key.startswith("$") for key in obj):
        return {key[1:] if key.startswith("$") else key: value for key, value in obj.items()}
    return obj
