"""OpenAPI specs: loaded and checked once at start-up, and what the sandbox reads from them."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPISpecValidatorError
from jsonschema.exceptions import ValidationError
from referencing.exceptions import Unresolvable

from ..errors import SpecError


def load_spec(path: Path) -> dict:
    """Parse and validate a spec; raise ``SpecError`` with one clear message if it is broken."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(f"cannot read spec {path}: {exc.strerror}") from None
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(f"spec {path} is not valid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(spec, dict):
        raise SpecError(f"spec {path} is not an OpenAPI document (expected a mapping)")
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
    return spec


def documented_statuses(spec: dict) -> dict[str, frozenset[int]]:
    """operationId -> the response statuses its spec documents."""
    statuses = {}
    for item in (spec.get("paths") or {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                codes = {int(c) for c in operation.get("responses", {}) if str(c).isdigit()}
                statuses[operation["operationId"]] = frozenset(codes)
    return statuses
