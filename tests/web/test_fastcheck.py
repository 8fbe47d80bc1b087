import pytest
from jsonschema import Draft4Validator

from invoice_sandbox.web.fastcheck import fast_check

TIME = {"type": "string", "format": "date-time"}


def full(schema, value) -> bool:
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).is_valid(value)


@pytest.mark.parametrize("value", [
    "2024-01-01T00:00:00Z", "2023-12-31T23:59:60Z", "0000-01-01T00:00:00Z",
    "2024-02-30T00:00:00Z", "2024-01-01T00:00:00Z\n", 5,
])
def test_the_fast_path_never_accepts_what_jsonschema_refuses(value):
    if fast_check(TIME)(value):
        assert full(TIME, value)


def test_formats_are_judged_by_jsonschemas_own_checkers():
    # jsonschema-rs's own date-time check takes leap seconds; jsonschema's refuses them
    assert fast_check(TIME)("2023-12-31T23:59:60Z") is False
    assert fast_check(TIME)("2024-01-01T00:00:00Z") is True


@pytest.mark.parametrize("schema, value", [
    ({"type": "string", "pattern": "^[a-z]+$"}, "abc\n"),
    ({"type": "string", "nullable": True}, None),
    ({"type": "integer", "maximum": 10}, 2**80),
])
def test_where_the_fast_answer_is_no_the_full_validator_decides(schema, value):
    assert fast_check(schema)(value) is False  # stricter: falls through to jsonschema


def test_a_schema_with_multiple_of_has_no_fast_path():
    # jsonschema-rs accepts 19.99 as a multiple of 0.01; jsonschema (floats) does not
    assert fast_check({"type": "number", "multipleOf": 0.01}) is None
    assert fast_check({"properties": {"a": {"multipleOf": 2}}}) is None


def test_a_schema_it_cannot_compile_has_no_fast_path():
    assert fast_check({"$ref": "#/components/schemas/Missing"}) is None


def test_a_recursive_schema_is_walked_once():
    tree = {"type": "object", "properties": {}}
    tree["properties"]["child"] = tree  # what resolving a self-referencing $ref gives
    check = fast_check(tree)  # returns (jsonschema-rs cannot take a cyclic dict: no fast path)
    assert check is None or check({"child": {}}) in (True, False)
