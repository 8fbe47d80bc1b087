"""OpenAPI specs: loaded and checked once at start-up, and what the sandbox reads from them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from ..errors import SpecError
from .known import VALID_SPEC_DIGESTS

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML has it (ten times faster than the pure-Python one, same values:
the constructor and resolver are the same safe ones)."""


def parse_yaml(text: str):
    """``yaml.safe_load``, with libyaml when available: specs and fixtures are read at start-up."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def spec_digest(text: str) -> str:
    """The sha256 of a spec's text, as ``known.VALID_SPEC_DIGESTS`` lists them."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_spec(path: Path, *, known_valid: frozenset[str] = VALID_SPEC_DIGESTS) -> dict:
    """Parse and validate a spec; raise ``SpecError`` with one clear message if it is broken.
    A text whose digest is in ``known_valid`` (the built-in specs, exactly as shipped) was
    validated already, by the tests, and is only parsed: validation is the most expensive
    step of a start-up. Pass ``known_valid=frozenset()`` to validate whatever the text."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read spec {path}: {exc.strerror}") from None
    try:
        spec = parse_yaml(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"spec {path} is not valid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(spec, dict):
        raise SpecError(f"spec {path} is not an OpenAPI document (expected a mapping)")
    if spec_digest(text) not in known_valid:
        validate_spec(spec, path)
    return spec


def validate_spec(spec: dict, path: Path) -> None:
    """Raise ``SpecError`` with one clear line unless ``spec`` is valid OpenAPI."""
    from jsonschema.exceptions import ValidationError  # noqa: PLC0415 - only when validating
    from openapi_spec_validator import validate  # noqa: PLC0415
    from openapi_spec_validator.validation.exceptions import (  # noqa: PLC0415
        OpenAPISpecValidatorError,
    )
    from referencing.exceptions import Unresolvable  # noqa: PLC0415

    try:
        validate(spec)
    except ValidationError as exc:
        where = "/".join(str(p) for p in exc.path) or "(root)"
        reason = str(exc.message).splitlines()[0]
        raise SpecError(f"spec {path} is not valid OpenAPI at {where}: {reason}") from None
    except Unresolvable as exc:
        raise SpecError(f"spec {path} has a $ref that leads nowhere: {exc.ref!r}") from None
    except OpenAPISpecValidatorError as exc:
        reason = str(exc).splitlines()[0]
        raise SpecError(f"spec {path} is not valid OpenAPI: {reason}") from None


NOT_EMULATED = "x-sandbox-not-emulated"
"""Marks an operation the vendor documents and the sandbox does not emulate (answered 501)."""


def not_emulated(spec: dict) -> frozenset[str]:
    """operationIds marked ``x-sandbox-not-emulated: true``: they need no handler."""
    return frozenset(
        operation["operationId"]
        for item in (spec.get("paths") or {}).values() for operation in item.values()
        if isinstance(operation, dict) and operation.get(NOT_EMULATED)
        and "operationId" in operation
    )


def documented_statuses(spec: dict) -> dict[str, frozenset[int]]:
    """operationId -> the response statuses its spec documents."""
    statuses = {}
    for item in (spec.get("paths") or {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                codes = {int(c) for c in operation.get("responses", {}) if str(c).isdigit()}
                statuses[operation["operationId"]] = frozenset(codes)
    return statuses


def fixture_checker(spec: dict, schemas: dict[str, dict]):
    """A function listing what is wrong with fixture ``data`` (``[(field, message)]``):
    each ``data[key]`` must be a list of entries valid against ``schemas[key]``, an OpenAPI
    schema that may ``$ref`` the spec's components. Fixtures are held to the same rules as
    the requests that could have made the same records."""
    from connexion.json_schema import Draft4RequestValidator  # noqa: PLC0415 - at start-up

    components = spec.get("components") or {}
    validators = {key: Draft4RequestValidator({**schema, "components": components})
                  for key, schema in schemas.items()}

    def problems(data: dict) -> list[tuple[str, str]]:
        found = []
        for key, validator in validators.items():
            entries = data.get(key)
            if entries is None:
                continue
            if not isinstance(entries, list):
                found.append((f"data.{key}", "must be a list"))
                continue
            for index, entry in enumerate(entries):
                for error in sorted(validator.iter_errors(entry), key=lambda e: list(e.path))[:5]:
                    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}"
                                    for p in error.absolute_path)
                    found.append((f"data.{key}[{index}]{where}", error.message[:200]))
        return found

    return problems
