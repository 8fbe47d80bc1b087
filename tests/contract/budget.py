"""How much the contract suite generates: fixed seed, small bounded counts; deep on request.

The default keeps CI within a few minutes for every provider and both phases; the counts are
per operation (stateless) or per provider (stateful scenarios). ``SANDBOX_DEEP=1`` multiplies
the search for a long local run; ``SANDBOX_CONTRACT_SEED`` picks another reproducible seed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    fuzz_examples: int
    """Hypothesis examples per operation in the fuzzing phase (coverage and examples phases
    are finite and run in full regardless)."""
    scenarios: int
    """Stateful scenarios (Hypothesis examples of the state machine) per provider."""
    steps: int
    """At most this many calls per stateful scenario."""


DEEP = os.environ.get("SANDBOX_DEEP", "").strip() not in ("", "0")
SEED = int(os.environ.get("SANDBOX_CONTRACT_SEED", "20240101"))
BUDGET = Budget(fuzz_examples=1000, scenarios=400, steps=20) if DEEP else Budget(
    fuzz_examples=40, scenarios=60, steps=12
)
