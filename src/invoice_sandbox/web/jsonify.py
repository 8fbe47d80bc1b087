"""The app's JSON writer: Connexion's ``Jsonifier`` contract, written by orjson.

Bodies reach it already in the vendor's wire format (each provider's ``wire.py`` turns money
into that vendor's numbers or strings), so orjson only has to write plain JSON, several times
faster than the standard library. What orjson cannot write (a lone surrogate, an integer
beyond 64 bits, a type it does not know) falls back to Connexion's own writer, so no body is
written differently in kind, only faster.
"""

from __future__ import annotations

import orjson
from connexion.jsonifier import Jsonifier

_OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATETIME \
    | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


class FastJsonifier(Jsonifier):
    """``dumps`` as Connexion's (a trailing newline; datetimes and the rest as its encoder
    writes them), with ``dumps_bytes`` for the async flavour's response path."""

    def dumps(self, data, **kwargs) -> str:
        if kwargs:
            return super().dumps(data, **kwargs)
        return self.dumps_bytes(data).decode("utf-8")

    def dumps_bytes(self, data) -> bytes:
        try:
            return orjson.dumps(data, option=_OPTIONS)
        except (orjson.JSONEncodeError, TypeError):
            return super().dumps(data).encode("utf-8", "surrogatepass")
