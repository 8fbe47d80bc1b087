"""Misbehaving on purpose: ``Prefer: code=NNN`` and scheduled fault rules.

* ``Prefer: code=404`` (Prism's vocabulary) answers that status, in the vendor's error shape,
  for statuses the operation documents; a 2xx code lets the request through unchanged.
* A fault rule, scheduled through the control API, makes the next ``times`` requests (or a
  seeded ``fraction`` of them) to an operation of one tenant fail with a status, wait
  ``delay_ms`` first, or lose their connection.

A tenant's rules are one record (kind ``FAULTS``), changed in transactions, so workers share
them and a rule's ``times`` is consumed exactly once across workers; its draw counter (for
``fraction``) lives in the rule and goes with it. The tenant's settings count its rules, so a
tenant without rules costs no lookup per request.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Callable

from .. import errors
from ..core.tenant import Namespace
from ..store import Store, Transaction
from ..tenancy.settings import META, SETTINGS

UNAUTHORIZED = "Unauthorized access. Invalid credentials used."
FAULTS = "_faults"
RULES = "rules"
MAX_RULES = 100
"""Fault rules a tenant may hold at once: each request of the tenant scans them."""
ACTIONS = ("status", "delay", "drop")
MAX_DELAY_MS = 60_000
_PREFER_CODE = re.compile(r"(?:^|[,;\s])code\s*=\s*\"?(\d{3})\"?", re.IGNORECASE)


class InvalidRule(ValueError):
    """A fault rule the sandbox cannot apply; the message says what to change."""


@dataclass(frozen=True)
class FaultRule:
    id: str
    operation: str | None
    """An operationId of the provider's spec; None matches every operation."""
    action: str
    status: int | None = None
    delay_ms: int = 0
    times: int | None = None
    """How many matching requests it still applies to; None with a fraction means unlimited."""
    fraction: Decimal | None = None
    """Stored exactly (records hold no float); compared with a uniform draw in [0, 1)."""


def parse_rule(data: dict, rule_id: str, operations: frozenset[str]) -> FaultRule:
    """Validate a rule from the control API; raise InvalidRule on misuse."""
    action = data.get("action", "status")
    operation = data.get("operation")
    if action not in ACTIONS:
        raise InvalidRule(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if operation is not None and operation not in operations:
        raise InvalidRule(f"unknown operation {operation!r}; known: {', '.join(sorted(operations))}")
    status = data.get("status")
    if action == "status" and not (isinstance(status, int) and 400 <= status <= 599):
        raise InvalidRule("a status fault needs status, an integer from 400 to 599")
    delay = data.get("delay_ms", 0)
    if action == "delay" and not (isinstance(delay, int) and 0 < delay <= MAX_DELAY_MS):
        raise InvalidRule(f"a delay fault needs delay_ms from 1 to {MAX_DELAY_MS}")
    times, fraction = data.get("times"), data.get("fraction")
    if times is not None and fraction is not None:
        raise InvalidRule("give times or fraction, not both")
    if fraction is not None and not (isinstance(fraction, (int, float)) and 0 < fraction <= 1):
        raise InvalidRule("fraction must be greater than 0 and at most 1")
    if times is None and fraction is None:
        times = 1
    if times is not None and not (isinstance(times, int) and times >= 1):
        raise InvalidRule("times must be a positive integer")
    return FaultRule(rule_id, operation, action, status if action == "status" else None,
                     delay if action == "delay" else 0, times,
                     None if fraction is None else Decimal(str(fraction)))


def add_rule(store: Store, ns: Namespace, data: dict, operations: frozenset[str]) -> dict:
    """Validate and store a rule from the control API (``InvalidRule`` on misuse); its id
    comes from the tenant's rule record, so a refused rule changes nothing."""
    def add(tx: Transaction) -> dict:
        record = tx.get(FAULTS, RULES) or {"rules": [], "next": 1}
        if len(record["rules"]) >= MAX_RULES:
            raise InvalidRule(f"a tenant holds at most {MAX_RULES} fault rules; clear some first")
        rule = asdict(parse_rule(data, f"fault_{record['next']}", operations))
        _save(tx, {"rules": [*record["rules"], {**rule, "draws": 0}], "next": record["next"] + 1})
        return public(rule)

    return store.transact(ns, add)


def list_rules(store: Store, ns: Namespace) -> list[dict]:
    return [public(rule) for rule in (store.get(ns, FAULTS, RULES) or {"rules": []})["rules"]]


def public(rule: dict) -> dict:
    """A stored rule as the control API shows it (its draw counter is internal)."""
    shown = {k: v for k, v in rule.items() if k != "draws"}
    if shown["fraction"] is not None:
        shown["fraction"] = float(shown["fraction"])
    return shown


def clear_rules(store: Store, ns: Namespace) -> int:
    """Remove every rule of the tenant; how many there were."""
    def clear(tx: Transaction) -> int:
        record = tx.get(FAULTS, RULES) or {"rules": [], "next": 1}
        _save(tx, {**record, "rules": []})
        return len(record["rules"])

    return store.transact(ns, clear)


def take_fault(store: Store, ns: Namespace, operation: str, seed: int) -> FaultRule | None:
    """The first rule that fires for this request, consuming one of its ``times``."""
    def take(tx: Transaction) -> FaultRule | None:
        record = tx.get(FAULTS, RULES)
        if record is None:
            return None
        rules = [dict(rule) for rule in record["rules"]]
        fired = _first_firing(rules, operation, seed)
        if fired is not None and fired["times"] is not None:
            fired["times"] -= 1
        kept = [rule for rule in rules if rule["times"] is None or rule["times"] > 0]
        if kept != record["rules"]:
            _save(tx, {**record, "rules": kept})
        return None if fired is None else FaultRule(**public(fired))

    return store.transact(ns, take)


def _first_firing(rules: list[dict], operation: str, seed: int) -> dict | None:
    for rule in rules:
        if rule["operation"] not in (None, operation):
            continue
        if rule["fraction"] is not None:
            rule["draws"] += 1
            if _uniform(seed, rule["id"], rule["draws"]) >= rule["fraction"]:
                continue
        return rule
    return None


def _save(tx: Transaction, record: dict) -> None:
    """The rule record, and the rule count in the tenant's settings when it changed."""
    tx.put(FAULTS, RULES, record)
    settings = tx.get(META, SETTINGS) or {}
    if settings.get("faults") != len(record["rules"]):
        tx.put(META, SETTINGS, {**settings, "faults": len(record["rules"])})


def _uniform(seed: int, rule_id: str, draw: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{rule_id}:{draw}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def preferred_status(prefer: str | None) -> int | None:
    """The ``code=NNN`` preference of a ``Prefer`` header, if any."""
    match = _PREFER_CODE.search(prefer or "")
    return int(match.group(1)) if match else None


def _candidates() -> list[errors.SandboxError]:
    """One error of each kind, with the text the vendor would send for it."""
    return [
        errors.Unauthorized(UNAUTHORIZED),
        errors.NotFound("The requested resource was not found.", resource="resource"),
        errors.MethodNotAllowed("Method not allowed for this resource."),
        errors.Conflict("The request conflicts with the resource's current state."),
        errors.MalformedBody("The request could not be understood."),
        errors.InvalidRequest([errors.FieldError("body", "Invalid value.")]),
        errors.PayloadTooLarge("Request body is too large."),
        errors.UnsupportedMediaType("Request body must be application/json."),
        errors.TooManyRequests("Too many requests. Please try again later."),
    ]


def error_for(status: int, render: Callable[[errors.SandboxError], tuple] | None = None
              ) -> errors.SandboxError:
    """A sandbox error that the vendor's renderer turns into that status, with the text the
    vendor would send; nothing in the body says it was forced, as nothing would. Vendors map
    kinds to statuses differently (a state conflict is 409 for one, 422 for another), so the
    kind is the first one ``render`` answers with ``status``."""
    if status >= 500:
        return errors.ServerFault(status)
    for error in _candidates():
        rendered = render(error)[1] if render is not None else error.status
        if rendered == status:
            return error
    error = errors.SandboxError("The request could not be completed.")
    error.status = status
    return error
