"""The format strategies generate values the formats' own grammars accept."""

from __future__ import annotations

import re

from hypothesis import given, settings
from rfc3339_validator import validate_rfc3339

from .formats import DATE_TIMES, DECIMALS

DECIMAL_GRAMMAR = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,10})?")


@settings(max_examples=300, derandomize=True, database=None)
@given(DATE_TIMES)
def test_generated_date_times_are_rfc3339(text):
    assert validate_rfc3339(text)


@settings(max_examples=300, derandomize=True, database=None)
@given(DECIMALS)
def test_generated_decimals_fit_the_bounded_decimal_grammar(text):
    assert DECIMAL_GRAMMAR.fullmatch(text)
