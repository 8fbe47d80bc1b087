"""One error shape for every failure, including the ones Connexion raises before handlers."""

import pytest

from invoice_sandbox.errors import (Conflict, FieldError, InvalidRequest, MalformedBody,
                                    NotFound, SandboxError)
from invoice_sandbox.providers.lineitems.errors import render_error

from .conftest import ROOT, UPCOMING

URL = f"{ROOT}/invoices/{UPCOMING}/line-items"


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "detail", "errors"} and body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_malformed_json_is_400_naming_the_body(client, auth):
    body = assert_error_shape(client.post(URL, headers={**auth, "Content-Type":
                                                        "application/json"},
                                          content=b'{"quantity": '), 400)
    assert body["errors"][0]["field"] == "body"
    assert body["detail"].startswith("Request body is not valid JSON")


@pytest.mark.parametrize("raw", [b"[]", b'"1"', b"null", b'{"quantity": NaN}'])
def test_a_body_that_is_not_a_json_object_is_400(client, auth, raw):
    response = client.post(URL, headers={**auth, "Content-Type": "application/json"},
                           content=raw)
    assert_error_shape(response, 400)


def test_non_json_content_type_is_415(client, auth):
    response = client.post(URL, headers={**auth, "Content-Type": "text/plain"}, content=b"1")
    assert_error_shape(response, 415)


def test_oversized_body_is_413(client, auth):
    payload = b'{"description": "' + b"x" * 1_100_000 + b'"}'
    response = client.post(URL, headers={**auth, "Content-Type": "application/json"},
                           content=payload)
    assert_error_shape(response, 413)


def test_undocumented_method_is_405(client, auth):
    assert_error_shape(client.delete(f"{ROOT}/invoices/{UPCOMING}", headers=auth), 405)


def test_unknown_route_is_404(client, auth):
    assert_error_shape(client.get(f"{ROOT}/customers", headers=auth), 404)


@pytest.mark.parametrize("error, status", [
    (InvalidRequest([FieldError("quantity", "bad")]), 400),
    (MalformedBody("Request body is not valid JSON."), 400),
    (Conflict("Invoice x is paid."), 422),
    (NotFound("Invoice x not found."), 404),
    (SandboxError("boom"), 500),
])
def test_renderer_maps_every_error_type_to_one_shape(error, status):
    body, code, headers = render_error(error)
    assert code == status == body["status"] and headers == {}
    assert set(body) == {"status", "detail", "errors"}


def test_renderer_shortens_messages_that_quote_huge_values():
    error = InvalidRequest([FieldError("description", "'" + "x" * 5000 + "' is too long")])
    body, _, _ = render_error(error)
    assert len(body["errors"][0]["message"]) <= 203
