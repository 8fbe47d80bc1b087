"""Shared fixtures: a sandbox app per test, with response validation on, in both flavours."""

from __future__ import annotations

import pytest

from invoice_sandbox import SandboxConfig, create_app

FROZEN = "2024-01-01T00:00:00Z"


def make_app(**overrides):
    """A sandbox with a fixed seed and frozen clock that validates its own responses."""
    options = {"seed": 1, "clock": FROZEN, "validate_responses": True, **overrides}
    return create_app(SandboxConfig(**options))


@pytest.fixture(params=["async", "flask"])
def flavor(request) -> str:
    return request.param


@pytest.fixture
def app(flavor):
    return make_app(flavor=flavor)


@pytest.fixture
def client(app):
    """An HTTP client (httpx API) talking to the app in-process."""
    with app.test_client() as test_client:
        yield test_client
