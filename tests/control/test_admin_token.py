import pytest

from tests.conftest import make_app
from tests.control.conftest import assert_problem


@pytest.fixture
def guarded():
    with make_app(admin_token="s3cret").test_client() as client:
        yield client


def test_with_an_admin_token_the_control_api_requires_it(guarded):
    problem = assert_problem(guarded.get("/_sandbox/clock"), 401)
    assert "admin token" in problem["detail"]
    wrong = guarded.get("/_sandbox/clock", headers={"Authorization": "Bearer nope"})
    assert_problem(wrong, 401)
    right = guarded.get("/_sandbox/clock", headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200


def test_the_admin_token_does_not_touch_provider_requests(guarded):
    response = guarded.get("/rebilly/invoices", headers={"REB-APIKEY": "sk_sandbox_x"})
    assert response.status_code == 200


def test_without_an_admin_token_the_control_api_is_open(control):
    assert control.get("/_sandbox/clock").status_code == 200
