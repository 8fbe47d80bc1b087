"""Records to bytes and back, exactly: the one serialisation every backend uses.

JSON text, with two additions: a ``Decimal`` is written as ``{"$decimal": "<digits>"}`` (its
exact string, so ``Decimal("0.10")`` comes back as ``0.10``), and a dict key that starts with
``$`` gets one more ``$`` in front, so client data such as ``{"$decimal": "1"}`` in a
free-form ``metadata`` object can never be read back as a number. Integers of any size are
JSON integers (exact both ways). ``float`` is refused on write, so a float that slipped into
a handler fails in every backend at once, not only in Redis. Any Python string, a lone
surrogate included, round-trips.

Speed: text is written and read with orjson. orjson refuses what UTF-8 cannot hold (a lone
surrogate) and integers beyond 64 bits, and would read such an integer back as a float; a
record holding either is written by the standard library instead, as ASCII. The two are told
apart by their first byte: orjson's text starts with one space (still plain JSON), so the
exact reader is used for everything else, records written before this change included.
"""

from __future__ import annotations

import json
from decimal import Decimal

import orjson

DECIMAL = "$decimal"
_FAST = b" "


class CodecError(TypeError):
    """A value a record may not contain (see the store's docstring)."""


def encode(record: dict) -> bytes:
    plain = _plain(record)
    try:
        return _FAST + orjson.dumps(plain)
    except orjson.JSONEncodeError:  # a lone surrogate, or an integer beyond 64 bits
        return json.dumps(plain, separators=(",", ":")).encode("ascii")


def encode_numbered(field: str, record: dict) -> tuple[bytes, bytes]:
    """``record`` with ``field`` first, encoded around a number not drawn yet: the encoding of
    ``{field: n, **record}`` is ``head + b"%d" % n + tail``. A backend draws ``n`` and joins the
    parts in one step (a numbered log entry, ``Store.log_append``)."""
    if field[:1] == "$":
        raise ValueError(f"a numbered field may not start with '$': {field!r}")
    data = encode({field: 0, **{key: value for key, value in record.items() if key != field}})
    name = orjson.dumps(field) if data[:1] == _FAST else json.dumps(field).encode("ascii")
    head = (_FAST if data[:1] == _FAST else b"") + b"{" + name + b":"
    if not data.startswith(head + b"0"):  # pragma: no cover - the encoders above never differ
        raise CodecError(f"cannot number {field!r} in {data[:40]!r}")
    return head, data[len(head) + 1:]


def decode(data: bytes | str) -> dict:
    if data[:1] in (_FAST, " "):
        return _restore_tree(orjson.loads(data))
    return json.loads(data, object_hook=_restore)


def _plain(value):
    """The record as JSON-ready values: Decimals tagged, ``$`` keys escaped, floats refused.
    Exact types take the fast branches; anything else (a subclass, a refused value) the
    general one."""
    cls = value.__class__
    if cls is dict:
        return _plain_dict(value)
    if cls is list or cls is tuple:
        return [item if item.__class__ in _SCALARS else _plain(item) for item in value]
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CodecError(f"a record may not hold the non-finite Decimal {value}")
        return {DECIMAL: str(value)}
    if isinstance(value, dict):
        return _plain_dict(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    raise CodecError(f"a record may not hold a {type(value).__name__} ({value!r})")


_SCALARS = frozenset({str, int, bool, type(None)})


def _plain_dict(value: dict) -> dict:
    out = {}
    for key, item in value.items():
        if key.__class__ is not str and not isinstance(key, str):
            raise CodecError(f"record keys must be str, not {type(key).__name__}")
        if key[:1] == "$":
            key = "$" + key
        out[key] = item if item.__class__ in _SCALARS else _plain(item)
    return out


def _restore(obj: dict):
    if len(obj) == 1 and DECIMAL in obj:
        return Decimal(obj[DECIMAL])
    if any(key.startswith("$") for key in obj):
        return {key[1:] if key.startswith("$") else key: value for key, value in obj.items()}
    return obj


def _restore_tree(value):
    """``_restore`` applied bottom-up to a whole tree parsed by orjson (exact dicts and lists),
    which is what ``object_hook`` does for the standard library's parser."""
    if value.__class__ is dict:
        if len(value) == 1 and DECIMAL in value:
            return Decimal(value[DECIMAL])
        out = {}
        for key, item in value.items():
            if key[:1] == "$":
                key = key[1:]
            out[key] = _restore_tree(item) if item.__class__ in _TREES else item
        return out
    return [_restore_tree(item) if item.__class__ in _TREES else item for item in value]


_TREES = frozenset({dict, list})
