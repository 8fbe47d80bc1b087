"""Fixtures for the contract suite: one in-process sandbox and schema per registered provider."""

from __future__ import annotations

import pytest

from invoice_sandbox.providers.registry import providers as registered_providers

PROVIDERS = registered_providers()

from .harness import Contract, contract_app, load_contract


@pytest.fixture(params=sorted(PROVIDERS))
def provider_name(request) -> str:
    """Every registered provider: a new one is covered without editing this suite."""
    return request.param


@pytest.fixture
def contract(provider_name) -> Contract:
    return load_contract(contract_app(provider_name), provider_name)


@pytest.fixture
def contract_schema(contract):
    return contract.schema
