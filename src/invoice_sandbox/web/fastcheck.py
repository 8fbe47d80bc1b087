"""A compiled yes/no answer for the common case: is this request valid?

jsonschema (the validator Connexion and the sandbox's error messages are built on) costs tens
of microseconds per body; jsonschema-rs answers "valid" in under one. The fast answer is
only ever trusted when it is *yes*; *no* (or anything it cannot judge) falls through to
jsonschema, which finds the errors, or finds none and lets the request through. So the fast
validator may be stricter than jsonschema, never more lenient. Where it is known to be more
lenient it is not used or not trusted:

* formats: jsonschema-rs calls jsonschema's own format checkers (``date-time``, ``email``, ...)
  instead of its own, so the two agree on every format jsonschema checks;
* ``multipleOf`` on floats: the two round differently, so a schema using it has no fast path;
* OpenAPI's ``nullable``: jsonschema-rs ignores it and refuses ``null``, stricter, so a null
  simply takes the full path.
"""

from __future__ import annotations

import typing as t

import jsonschema_rs
from jsonschema import Draft4Validator

_CHECKER = Draft4Validator.FORMAT_CHECKER
_FORMATS = {name: (lambda fmt: lambda value: _CHECKER.conforms(value, fmt))(name)
            for name in _CHECKER.checkers}
_NOT_TRUSTED = frozenset({"multipleOf"})


def fast_check(schema: t.Any) -> t.Callable[[t.Any], bool] | None:
    """``valid(instance) -> bool`` (True only when jsonschema would also accept it), or None
    when this schema has no fast path."""
    if _uses(schema, _NOT_TRUSTED):
        return None
    try:
        compiled = jsonschema_rs.Draft4Validator(schema, validate_formats=True,
                                                 formats=_FORMATS)
    except Exception:  # a schema it cannot compile (an unresolved $ref, ...): full path
        return None

    def valid(instance: t.Any) -> bool:
        try:
            return compiled.is_valid(instance)
        except Exception:  # a value it cannot read (an integer beyond 64 bits, ...)
            return False

    return valid


def _uses(schema: t.Any, keywords: frozenset[str]) -> bool:
    """Whether any node of the schema has one of ``keywords`` (a resolved spec may be cyclic:
    a recursive schema refers back to itself, so each node is visited once)."""
    stack, seen = [schema], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            if keywords & node.keys():
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False
