"""Misbehaving on purpose: ``Prefer: code=NNN`` and scheduled fault rules.

* ``Prefer: code=404`` (Prism's vocabulary) answers that status, in the vendor's error shape,
  for statuses the operation documents; a 2xx code lets the request through unchanged.
* A fault rule, scheduled through the control API, makes the next ``times`` requests (or a
  seeded ``fraction`` of them) to an operation of one tenant fail with a status, wait
  ``delay_ms`` first, or lose their connection. Rules live in the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass

from . import errors
from .security import UNAUTHORIZED
from .store import Namespace, Store

FAULTS = "_faults"
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
    fraction: float | None = None


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
                     delay if action == "delay" else 0, times, fraction)


def add_rule(store: Store, ns: Namespace, rule: FaultRule) -> dict:
    record = asdict(rule)
    store.put(ns, FAULTS, rule.id, record)
    return record


def take_fault(store: Store, ns: Namespace, operation: str, seed: int) -> FaultRule | None:
    """The first rule that fires for this request, consuming one of its ``times``."""
    with store.atomic(ns):
        for record in store.list(ns, FAULTS):
            if record["operation"] not in (None, operation):
                continue
            if record["fraction"] is not None:
                draw = store.next_number(ns, f"{FAULTS}:{record['id']}")
                if _uniform(seed, record["id"], draw) >= record["fraction"]:
                    continue
            if record["times"] is not None:
                if record["times"] <= 1:
                    store.delete(ns, FAULTS, record["id"])
                else:
                    store.put(ns, FAULTS, record["id"], {**record, "times": record["times"] - 1})
            return FaultRule(**record)
    return None


def _uniform(seed: int, rule_id: str, draw: int) -> float:
    digest = hashlib.blake2b(f"{seed}:{rule_id}:{draw}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def preferred_status(prefer: str | None) -> int | None:
    """The ``code=NNN`` preference of a ``Prefer`` header, if any."""
    match = _PREFER_CODE.search(prefer or "")
    return int(match.group(1)) if match else None


def error_for(status: int) -> errors.SandboxError:
    """A sandbox error that the vendor's renderer turns into that status, with the text the
    vendor would send; nothing in the body says it was forced, as nothing would."""
    simple = {
        401: (errors.Unauthorized, UNAUTHORIZED),
        405: (errors.MethodNotAllowed, "Method not allowed for this resource."),
        409: (errors.Conflict, "The request conflicts with the resource's current state."),
        413: (errors.PayloadTooLarge, "Request body is too large."),
        415: (errors.UnsupportedMediaType, "Request body must be application/json."),
        429: (errors.TooManyRequests, "Too many requests. Please try again later."),
    }
    if status in simple:
        kind, text = simple[status]
        return kind(text)
    if status == 404:
        return errors.NotFound("The requested resource was not found.",
                               resource="resource", resource_id="")
    if status == 400:
        return errors.MalformedBody("The request could not be understood.")
    if status == 422:
        return errors.InvalidRequest([errors.FieldError("body", "Invalid value.")])
    if status >= 500:
        return errors.ServerFault(status)
    error = errors.SandboxError("The request could not be completed.")
    error.status = status
    return error
