"""Linked sequences (create invoice -> add item -> read -> delete -> read gives 404, ...).

Schemathesis follows the specs' OpenAPI links (plus the links it infers from the schemas);
every scenario runs in its own tenant, so ``use_after_free`` and
``ensure_resource_availability`` judge one coherent history. Link choices use true
randomness inside Schemathesis, so scenarios vary between runs even with the fixed seed.
"""

from __future__ import annotations

import json
from collections import Counter

import hypothesis

from .billing_rules import RULES
from .budget import BUDGET, SEED
from .invariant import invoices_in


def _settings() -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=BUDGET.scenarios,
        stateful_step_count=BUDGET.steps,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )


def _invoice_count(provider: str, content: bytes) -> int:
    if provider not in RULES or not content:
        return 0
    try:
        return sum(1 for _ in invoices_in(json.loads(content), RULES[provider]))
    except ValueError:
        return 0


def test_linked_operation_sequences_honour_the_contract(contract):
    keys, seen = contract.keys, Counter()

    class Scenario(contract.schema.as_state_machine()):
        def setup(self):
            keys.start_scenario()

        def teardown(self):
            keys.end_scenario()

        def after_call(self, response, case):
            super().after_call(response, case)
            if 200 <= response.status_code < 300:
                linked = self.recorder.find_parent(case_id=case.id) is not None
                seen["linked 2xx"] += linked
                seen["invoices"] += _invoice_count(contract.name, response.content)

    hypothesis.seed(SEED)(Scenario).run(settings=_settings())

    assert seen["linked 2xx"] > 0, "no link led to a successful call: are credentials valid?"
    if contract.name in RULES:
        assert seen["invoices"] > 0, "no invoice body reached the billing invariant"
