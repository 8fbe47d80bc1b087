"""Credentials for the contract suite come from each spec and each provider's tenancy."""

from __future__ import annotations

import re
from types import SimpleNamespace

from .credentials import Credential, TenantKeys, credential_for

API_KEY_FIRST = {
    "security": [{"SecretApiKey": []}, {"JWT": []}],
    "components": {"securitySchemes": {
        "SecretApiKey": {"type": "apiKey", "in": "header", "name": "REB-APIKEY"},
        "JWT": {"type": "http", "scheme": "bearer"},
    }},
}
BEARER_ONLY = {
    "security": [{"BearerAuth": []}],
    "components": {"securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}}},
}


def _tenancy(keys: tuple[str, ...], pattern: str):
    provider = SimpleNamespace(name="demo", sandbox_key=re.compile(pattern))
    return SimpleNamespace(builtin_keys=keys, provider=provider)


def test_api_key_header_scheme_puts_the_key_in_its_header():
    assert credential_for(API_KEY_FIRST).headers("k") == {"REB-APIKEY": "k"}


def test_bearer_scheme_puts_the_key_in_authorization():
    assert credential_for(BEARER_ONLY) == Credential("Authorization", "Bearer ")
    assert credential_for(BEARER_ONLY).headers("k") == {"Authorization": "Bearer k"}


def test_each_stateless_case_gets_a_new_valid_tenant_key():
    keys = TenantKeys(_tenancy(("sk_sandbox_demo",), r"sk_sandbox_[A-Za-z0-9_-]+"))
    issued = [keys.for_case() for _ in range(3)]
    assert len(set(issued)) == 3 and all(keys.pattern.fullmatch(key) for key in issued)


def test_a_scenario_keeps_one_tenant_until_it_ends():
    keys = TenantKeys(_tenancy(("sk_sandbox_demo",), r"sk_sandbox_[A-Za-z0-9_-]+"))
    keys.start_scenario()
    first, second = keys.for_case(), keys.for_case()
    keys.end_scenario()
    assert first == second != keys.for_case()


def test_without_a_pattern_for_new_keys_the_builtin_key_is_shared():
    keys = TenantKeys(_tenancy(("demo-key",), r"sk_[a-z]+"))
    assert not keys.fresh and keys.for_case() == keys.for_case() == "demo-key"
