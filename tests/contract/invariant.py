"""The billing invariant as a Schemathesis check: every invoice body agrees with its items.

Importing this module registers ``invoice_totals_match_items`` with Schemathesis, so every
run in this process applies it next to the built-in checks. The CLI can load it as a hook
module too: ``SCHEMATHESIS_HOOKS=tests.contract.invariant schemathesis run ...`` (from the
repository root).

The provider is the first segment of the schema's base path (``/rebilly``,
``/billingrails/v1``), which is also its name in the registry. A provider without rules in
``billing_rules.RULES`` fails the check: a new vendor is not done until its money rules are
restated there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import schemathesis

from .billing_rules import RULES, BillingRules


def provider_of(case) -> str:
    return case.operation.schema.base_path.strip("/").split("/", 1)[0]


def invoices_in(body: object, rules: BillingRules, where: str = "body") -> Iterator[tuple[str, dict]]:
    """(location, invoice) for every invoice body anywhere in a JSON document."""
    if isinstance(body, dict):
        if rules.is_invoice(body):
            yield where, body
        for key, value in body.items():
            yield from invoices_in(value, rules, f"{where}.{key}")
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from invoices_in(value, rules, f"{where}[{index}]")


def totals_problems(provider: str, content: bytes) -> list[str]:
    """Every disagreement between an invoice's totals and its items in a response body."""
    rules = RULES.get(provider)
    if rules is None:
        return [f"no billing rules for {provider!r}: restate its money rules in "
                "tests/contract/billing_rules.py"]
    try:
        body = json.loads(content, parse_float=Decimal)
    except ValueError:
        return []  # not JSON: content_type_conformance and response_schema_conformance judge it
    return [f"{where}: {problem}" for where, invoice in invoices_in(body, rules)
            for problem in rules.mismatches(invoice)]


@schemathesis.check
def invoice_totals_match_items(ctx, response, case) -> bool | None:
    """Fails when any invoice in a 2xx body has totals other than its items add up to."""
    if not 200 <= response.status_code < 300 or not response.content:
        return None
    provider = provider_of(case)
    problems = totals_problems(provider, response.content)
    if problems:
        raise AssertionError(
            f"Invoice totals disagree with the items under {provider}'s money rules:\n  "
            + "\n  ".join(problems)
        )
    return True
