"""Every operation of every provider, fuzzed against its own spec with every check.

Runs Schemathesis' examples, coverage and fuzzing phases per operation: positive and negative
data, missing parameters and undeclared methods. Each case is a fresh tenant.
"""

from __future__ import annotations

import schemathesis

schema = schemathesis.pytest.from_fixture("contract_schema")


@schema.parametrize()
def test_operation_honours_its_contract(case):
    case.call_and_validate()
