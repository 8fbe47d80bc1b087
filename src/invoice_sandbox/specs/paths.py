"""Where the built-in specs and fixtures live: inside the wheel, or at the repository root."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the invoice_sandbox package


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # non-editable install: shipped in the wheel
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name  # source checkout / editable install


def spec_dir() -> Path:
    return _data_dir("openapi")


def fixtures_dir() -> Path:
    return _data_dir("fixtures")
