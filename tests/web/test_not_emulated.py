"""Every route a vendor documents and the sandbox does not emulate answers 501, in the vendor's
error shape, naming the route: never a 404 a client would read as "no such invoice"."""

from __future__ import annotations

import pytest

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.providers import registry
from invoice_sandbox.specs import load_spec, not_emulated, paths
from invoice_sandbox.web.errors import allowed_methods

from ..contract.credentials import TenantKeys, credential_for

CASES = []
for _module in registry.PROVIDER_MODULES:
    _name = _module.rsplit(".", 1)[-1]
    _spec = load_spec(paths.spec_dir() / f"{_name}.yaml")
    for _template, _item in _spec["paths"].items():
        for _method, _operation in _item.items():
            if isinstance(_operation, dict) and (
                    _operation.get("operationId") in not_emulated(_spec)):
                CASES.append(pytest.param(_name, _method.upper(), _template,
                                          id=f"{_name} {_method.upper()} {_template}"))


@pytest.mark.skipif(not CASES, reason="every documented route is emulated")
@pytest.mark.parametrize("flavor", ["async", "flask"])
@pytest.mark.parametrize(("provider", "method", "template"), CASES)
def test_a_documented_route_not_emulated_answers_501_in_the_vendor_shape(
        provider, method, template, flavor):
    app = create_app(SandboxConfig(providers=(provider,), seed=1, flavor=flavor,
                                   validate_responses=True))
    spec = app.sandbox.specs[provider]
    base = app.sandbox.providers[provider].base_path
    path = base + template.replace("{", "").replace("}", "")
    credential = credential_for(spec)
    headers = credential.headers(TenantKeys(app.sandbox.tenancies[provider]).new_key())
    with app.test_client() as client:
        answer = client.request(method, path, headers=headers,
                                json={} if method in ("POST", "PUT", "PATCH") else None)
        assert answer.status_code == 501, answer.text
        assert f"{method} {template}" in answer.text
        assert method in allowed_methods(spec, base, path)
