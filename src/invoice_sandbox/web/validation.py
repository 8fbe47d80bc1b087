"""Request validators plugged into Connexion's ``validator_map``.

Connexion's defaults stop at the first error, rebuild a JSON-schema validator on every
request, accept ``NaN``/``Infinity`` literals and read bodies of any size. These subclasses
keep Connexion's contract (the spec is still the only source of rules) but:

* report *every* failing field as ``FieldError(field, message)`` in one ``InvalidRequest``;
* compile each schema's validator once and reuse it;
* reject malformed JSON, non-UTF-8 bytes, non-finite numbers and oversized bodies up front;
* answer the common case, a valid request, with a compiled validator (``fast_check``).
"""

from __future__ import annotations

import json
import re
import typing as t

from connexion.exceptions import ProblemException
from connexion.json_schema import Draft4RequestValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError

from .fastcheck import fast_check
from starlette.datastructures import Headers

from ..config import MAX_BODY_BYTES
from ..errors import FieldError, InvalidRequest, MalformedBody, PayloadTooLarge
from .state import request_state


def _reject_constant(name: str) -> t.NoReturn:
    raise ValueError(f"{name} is not a valid JSON number")


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
"""A ``\\uD800``-``\\uDFFF`` escape: half of a surrogate pair, or a lone one."""


def _ensure_text(body: t.Any) -> None:
    """Refuse a lone surrogate escape (``"x\\ud800y"``): JSON lets it through, but it is no
    character, so it could be neither stored as text nor put into a URL."""
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise MalformedBody("Request body is not valid JSON text: a \\u escape stands for "
                            "half of a surrogate pair, not a character.") from None


MAX_DEPTH = 100
"""Nesting levels a body may have: deeper JSON is refused before anything walks it."""


def _ensure_shallow(body: t.Any) -> None:
    """Refuse a body nested deeper than ``MAX_DEPTH`` (checked without recursion)."""
    level = [body]
    for depth in range(MAX_DEPTH + 1):
        level = [child for node in level if isinstance(node, (dict, list))
                 for child in (node.values() if isinstance(node, dict) else node)
                 if isinstance(child, (dict, list))]
        if not level:
            return
    raise MalformedBody(f"Request body is nested deeper than {MAX_DEPTH} levels.")


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent; one beyond a double's range (``1e309``)
    would become infinity, which no vendor stores and JSON cannot carry back."""
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


_BODY_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def _parse_json(text: str) -> t.Any:
    """``json.loads(text, ...)`` with the body rules, through one decoder built once."""
    if text.startswith("\ufeff"):  # as json.loads refuses it
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    return _BODY_DECODER.decode(text)


def field_path(error: ValidationError) -> str:
    """Dotted path of the offending field; ``required`` errors name the missing property."""
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        parts.append(missing)
    elif error.validator == "additionalProperties" and "'" in error.message:
        parts.append(error.message.split("'")[1])
    return ".".join(parts) or "body"


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return "This field is required."
    if error.validator == "additionalProperties":
        return "This field is not allowed."
    return error.message


def collect_errors(validator: Draft4Validator, instance: t.Any) -> list[FieldError]:
    """Every error, one per field, in a stable order (by field path)."""
    seen: dict[str, FieldError] = {}
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        path = field_path(error)
        seen.setdefault(path, FieldError(path, _message(error)))
    return sorted(seen.values(), key=lambda e: e.field)


def make_body_validator(max_bytes: int = MAX_BODY_BYTES) -> type[JSONRequestBodyValidator]:
    """A JSON body validator class with its own compiled-schema cache and size limit."""
    compiled: dict[int, tuple[dict, Draft4Validator, t.Callable | None]] = {}

    class SandboxJSONBodyValidator(JSONRequestBodyValidator):
        @property
        def _compiled(self) -> tuple[dict, Draft4Validator, t.Callable | None]:
            # Connexion hands over the same schema object on every request (it lives in the
            # loaded spec), so identity is a safe cache key; the stored reference keeps it so.
            entry = compiled.get(id(self._schema))
            if entry is None or entry[0] is not self._schema:
                validator = Draft4RequestValidator(
                    self._schema, format_checker=Draft4Validator.FORMAT_CHECKER
                )
                entry = compiled[id(self._schema)] = (self._schema, validator,
                                                      fast_check(self._schema))
            return entry

        @property
        def _validator(self) -> Draft4Validator:
            return self._compiled[1]

        async def wrap_receive(self, receive, *, scope):
            """Every body sent is read, size-limited, parsed, validated and replayed."""
            headers = Headers(scope=scope)
            length = headers.get("content-length", "").strip()
            if length and not length.isdigit():
                raise MalformedBody(f"Content-Length {length[:40]!r} is not a number of bytes.")
            chunked = "chunked" in headers.get("transfer-encoding", "").lower()
            if not chunked and not int(length or 0):
                if self._required and self._schema.get("default") is None:
                    raise InvalidRequest([FieldError("body", "A JSON request body is required.")])
                return await super().wrap_receive(receive, scope=scope)
            # Read and check every body here, chunked or not: Connexion's version takes a
            # chunked body for a missing one, and never compares the length it was told.
            messages: list = []

            async def stream():
                more_body = True
                while more_body:
                    message = await receive()
                    messages.append(message)
                    more_body = message.get("more_body", False)
                    yield message.get("body", b"")

            body = await self._parse(stream(), scope=scope)
            received = sum(len(m.get("body", b"")) for m in messages if m["type"] == "http.request")
            if length and int(length) != received:
                raise MalformedBody(f"Content-Length says {length} bytes; the body has {received}.")
            if not (body is None and self._nullable):
                self._validate(body)
            state = request_state(scope)
            state.body, state.body_read = body, True
            return self._insert_messages(receive, messages=messages), _with_length(scope, received)

        async def _parse(self, stream, scope) -> t.Any:
            for name, value in scope.get("headers", ()):
                if name == b"content-length" and value.isdigit() and int(value) > max_bytes:
                    raise PayloadTooLarge(f"Request body exceeds {max_bytes} bytes.")
            chunks, size = [], 0
            async for chunk in stream:
                size += len(chunk)
                if size > max_bytes:
                    raise PayloadTooLarge(f"Request body exceeds {max_bytes} bytes.")
                chunks.append(chunk)
            raw = b"".join(chunks)
            if not raw.strip():
                return None
            try:
                body = _parse_json(raw.decode(self._encoding))
                if _SURROGATE_ESCAPE.search(raw):
                    _ensure_text(body)
                _ensure_shallow(body)
                return body
            except (UnicodeDecodeError, LookupError):
                raise MalformedBody("Request body is not valid UTF-8 text.")
            except ValueError as exc:
                raise MalformedBody(f"Request body is not valid JSON: {exc}")
            except RecursionError:
                raise MalformedBody("Request body is nested too deeply.")

        def _validate(self, body: t.Any) -> None:
            if body is None:  # empty or only white space
                if self._required:
                    raise InvalidRequest([FieldError("body", "A JSON request body is required.")])
                return
            _schema, validator, fast = self._compiled
            if fast is not None and fast(body):
                return
            errors = collect_errors(validator, body)
            if errors:
                raise InvalidRequest(errors)

    return SandboxJSONBodyValidator


def _with_length(scope, length: int) -> dict:
    """The scope with the Content-Length of the body read (a chunked body had none, and a
    WSGI app behind a2wsgi would read nothing without it)."""
    headers = [(name, value) for name, value in scope["headers"]
               if name not in (b"content-length", b"transfer-encoding")]
    return {**scope, "headers": [*headers, (b"content-length", str(length).encode())]}


def make_parameter_validator() -> type[ParameterValidator]:
    """A parameter validator class with its own compiled-schema cache."""
    compiled: dict[int, tuple[dict, Draft4Validator, t.Callable | None]] = {}

    def schema_validator(param: dict) -> tuple[dict, Draft4Validator, t.Callable | None]:
        entry = compiled.get(id(param))
        if entry is None or entry[0] is not param:
            schema = param.get("schema", param)
            entry = compiled[id(param)] = (param, Draft4Validator(
                schema, format_checker=Draft4Validator.FORMAT_CHECKER), fast_check(schema))
        return entry

    class SandboxParameterValidator(ParameterValidator):
        """Validates every path/query/header parameter and reports all failures at once."""

        def validate_parameter(self, parameter_type, value, param, param_name=None):
            if value is None:
                return f"Missing {parameter_type} parameter" if param.get("required") else None
            if is_nullable(param) and is_null(value):
                return None
            _param, validator, fast = schema_validator(param)
            if fast is not None and fast(value):
                return None
            error = next(iter(validator.iter_errors(value)), None)
            return error.message if error else None

        def validate_request(self, request) -> None:
            errors: list[FieldError] = []
            checks = (
                ("query", self.validate_query_parameter),
                ("path", self.validate_path_parameter),
                ("header", self.validate_header_parameter),
            )
            for location, check in checks:
                for param in self.parameters.get(location, []):
                    try:
                        error = check(param, request)
                    except ProblemException as exc:  # Connexion's type coercion refused it
                        error = exc.detail or exc.title or "Invalid value."
                    if error:
                        errors.append(FieldError(param["name"], _parameter_message(error)))
            if errors:
                raise InvalidRequest(errors)
            if self.parameters.get("path"):  # converted once: the handler's arguments reuse them
                request_state(request.scope).path_params = request.path_params

    return SandboxParameterValidator


def _parameter_message(error: str) -> str:
    first = error.splitlines()[0]
    return first[:300]
