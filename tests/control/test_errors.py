import pytest

from tests.control.conftest import assert_problem


def test_unknown_control_routes_and_methods_are_problems(client):
    assert_problem(client.get("/_sandbox/nothing"), 404)
    assert_problem(client.delete("/_sandbox/seed"), 405)


@pytest.mark.parametrize("content", [b"{", b"[1, NaN]", b"\xff"])
def test_a_malformed_body_is_a_400(control, content):
    response = control.post("/_sandbox/tenants", content=content,
                            headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "body")


def test_the_control_spec_is_served(control):
    spec = control.get("/_sandbox/openapi.json").json()
    assert spec["info"]["title"] == "invoice-sandbox control API"
    assert "/tenants" in spec["paths"]
