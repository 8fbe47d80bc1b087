"""Configuring the plugin for a whole suite: override its session fixture in a conftest.py."""

import pytest

from invoice_sandbox import SandboxConfig


@pytest.fixture(scope="session")
def invoice_sandbox_config():
    # The sandbox also checks its own answers against the vendors' specs (slower; optional).
    return SandboxConfig(validate_responses=True)
