"""A non-editable install carries the specs and fixtures and works from any directory."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("invoice_sandbox-*.whl"))


def test_wheel_ships_every_spec_and_fixture(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for spec in (ROOT / "openapi").glob("*.yaml"):
        assert f"invoice_sandbox/_data/openapi/{spec.name}" in names
    for fixture in (ROOT / "fixtures").rglob("*.yaml"):
        relative = fixture.relative_to(ROOT / "fixtures").as_posix()
        assert f"invoice_sandbox/_data/fixtures/{relative}" in names


def test_installed_wheel_serves_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    script = (
        "import invoice_sandbox, invoice_sandbox.specs.paths as r;"
        "app = invoice_sandbox.create_app();"
        "print(invoice_sandbox.__file__); print(r.spec_dir()); print(sorted(app.sandbox.providers))"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(target)}, check=True)
    module, spec_dir, providers = result.stdout.splitlines()
    assert module.startswith(str(target)) and spec_dir.startswith(str(target))
    assert "rebilly" in providers
