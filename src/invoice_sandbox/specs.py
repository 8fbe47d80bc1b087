"""Loading and checking OpenAPI specs, once, at start-up."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPISpecValidatorError
from jsonschema.exceptions import ValidationError


class SpecError(Exception):
    """A spec that cannot be served; the message says which file and why, in one line."""


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
    except OpenAPISpecValidatorError as exc:
        reason = str(exc).splitlines()[0]
        raise SpecError(f"spec {path} is not valid OpenAPI: {reason}") from None
    return spec
