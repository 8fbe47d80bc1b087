import pytest

from invoice_sandbox import SandboxConfig, create_app
from invoice_sandbox.specs import paths as resources
from invoice_sandbox.providers.registry import providers as registered_providers

PROVIDERS = registered_providers()
from invoice_sandbox.specs import SpecError, load_spec, spec_digest
from invoice_sandbox.specs.known import VALID_SPEC_DIGESTS

BUILT_IN = sorted(PROVIDERS) + ["control"]


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_spec_is_valid_openapi_3_0(name):
    spec = load_spec(resources.spec_dir() / f"{name}.yaml", known_valid=frozenset())
    assert spec["openapi"].startswith("3.0.")


def test_the_known_valid_digests_are_exactly_the_built_in_specs():
    """``load_spec`` skips validating a listed text; the test above validates each in full."""
    digests = {name: spec_digest((resources.spec_dir() / f"{name}.yaml").read_text("utf-8"))
               for name in BUILT_IN}
    unlisted = {name: digest for name, digest in digests.items()
                if digest not in VALID_SPEC_DIGESTS}
    assert not unlisted, f"update src/invoice_sandbox/specs/known.py: {unlisted}"
    assert VALID_SPEC_DIGESTS == set(digests.values()), "stale digests in specs/known.py"


def test_a_known_valid_text_is_parsed_without_validation(tmp_path, monkeypatch):
    import invoice_sandbox.specs as specs

    path = tmp_path / "rebilly.yaml"
    path.write_text("openapi: 3.0.3\npaths: {}\n")  # not valid OpenAPI: no info
    checked = []
    monkeypatch.setattr(specs, "validate_spec", lambda spec, where: checked.append(where))
    assert load_spec(path, known_valid=frozenset({spec_digest(path.read_text())}))["paths"] == {}
    assert checked == []
    load_spec(path)
    assert checked == [path]


@pytest.mark.parametrize("text, fragment", [
    ("openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n", "is not valid OpenAPI"),
    ("openapi: [unclosed\n", "is not valid YAML"),
    ("- just a list\n", "not an OpenAPI document"),
])
def test_a_broken_spec_fails_with_one_clear_line(tmp_path, text, fragment):
    path = tmp_path / "rebilly.yaml"
    path.write_text(text)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    message = str(raised.value)
    assert fragment in message and str(path) in message and "\n" not in message


def test_a_user_spec_folder_is_checked_at_start_up(tmp_path):
    (tmp_path / "rebilly.yaml").write_text("openapi: 3.0.3\npaths: {}\n")
    with pytest.raises(SpecError, match="rebilly.yaml"):
        create_app(SandboxConfig(providers=("rebilly",), spec_dir=tmp_path))


def test_each_provider_serves_its_spec_and_swagger_ui(client):
    for provider in PROVIDERS.values():
        spec = client.get(f"{provider.base_path}/openapi.json")
        assert spec.status_code == 200 and spec.json()["openapi"].startswith("3.0.")
        assert client.get(f"{provider.base_path}/ui/").status_code == 200
