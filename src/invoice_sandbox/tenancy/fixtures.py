"""Fixture documents: the seed data a provider's tenants start with.

A provider's fixture folder holds ``*.yaml``/``*.yml``/``*.json`` files; each is a mapping
with ``keys`` (the API keys it seeds), ``default`` (also seed every key no file lists) and
``data`` (handed to the provider's ``seed_tenant``). Files are read and checked at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import FixtureFileError
from ..specs import parse_yaml


@dataclass(frozen=True)
class FixtureDocument:
    source: str
    keys: tuple[str, ...]
    default: bool
    data: dict


def load_fixture_documents(folder: Path) -> list[FixtureDocument]:
    """Every fixture file in ``folder``, by name; a missing folder has none."""
    if not folder.is_dir():
        return []
    return [_document(path) for path in sorted(folder.iterdir())
            if path.suffix in (".yaml", ".yml", ".json")]


def _document(path: Path) -> FixtureDocument:
    try:
        raw = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = str(exc).replace("\n", " ")
        raise FixtureFileError(f"fixture file {path} cannot be read: {reason}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("data") or {}, dict):
        raise FixtureFileError(f"fixture file {path}: must be a mapping with keys/default/data")
    return FixtureDocument(
        source=str(path),
        keys=tuple(str(k) for k in raw.get("keys") or ()),
        default=bool(raw.get("default", False)),
        data=raw.get("data") or {},
    )
