"""Hostile input against every write endpoint of every provider and of the control API, in
both flavours: no 5xx and nothing escapes, every answer is in the owning vendor's error shape,
and a rejected request stores nothing.

The corpus is data (``hostile_corpus.py``). Each case runs against a fresh tenant of its own
(``POST /_sandbox/tenants`` with a fixed id and seed 1) in an app shared by the cases of one
flavour. "Stores nothing" is checked through what a client can observe, before and after:

* the tenant's records: Rebilly's invoice list (items and rate-limit headers included), the
  Billingrails account and draft invoice, the line-items list and upcoming invoice;
* its journal: the entries recorded before are unchanged, and at most the rejected request's
  own entry was added (with its status, and no sandbox failure noted);
* for the control API, the tenant's clock and seed (and fault rules, and the sandbox's seed,
  where the case is about them);
* the ids drawn: after the case the tenant creates one record, which must be exactly what the
  same create gives the same-named tenant in another app that saw no rejected request. For
  ``POST /_sandbox/tenants``, the next generated tenant id must not have moved either, and
  the tenant id the rejected body named must still be free.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from tests.conftest import FROZEN, make_app

from . import hostile_corpus as corpus

CASES = corpus.all_cases()
INDEX = {case["id"]: number for number, case in enumerate(CASES)}
PROVIDERS = ("rebilly", "billingrails", "lineitems")
KEY_PREFIX = {"rebilly": "sk_sandbox_", "billingrails": "sk_site_", "lineitems": "sk_sandbox_"}
RATE_HEADERS = ("rate-limit-limit", "x-ratelimit-limit")
MAKE_READS_FAIL = ("control.createFault", "control.setRateLimit")

PROBES = {
    "rebilly": ("/rebilly/invoices", {"customerId": "cus_probe", "websiteId": "web_probe",
                                      "currency": "USD",
                                      "items": [{"type": "debit", "unitPrice": 1}]}),
    "billingrails": ("/billingrails/v1/invoices", {
        "account_id": corpus.BR_ACCOUNT, "currency": "USD",
        "items": [{"name": "Probe", "quantity": 1, "unit_amount": 100}]}),
    "lineitems": (f"/lineitems/invoices/{corpus.LI_UPCOMING}/line-items",
                  {"description": "Probe", "quantity": "1", "unitPrice": "1"}),
}
"""One successful create per provider: its whole answer shows every id and number drawn."""


# -- the apps ----------------------------------------------------------------------------------

class App:
    """One app and its in-process client; ``fresh`` counts generated tenant ids drawn."""

    def __init__(self, flavor: str, **overrides) -> None:
        self.app = make_app(flavor=flavor, **overrides)
        self.client = self.app.test_client(raise_server_exceptions=False)
        self.client.__enter__()
        self.fresh = 0

    def close(self) -> None:
        self.client.__exit__(None, None, None)


class Reference:
    """What fresh same-named tenants give in an app that never saw a hostile request."""

    def __init__(self) -> None:
        self.app: App | None = None
        self.probes: dict = {}
        self.fresh_ids: list = []

    def _client(self):
        if self.app is None:  # it only says which ids come next: no need to validate
            self.app = App("async", validate_responses=False)
        return self.app.client

    def probe(self, subject: "Subject"):
        if subject.key not in self.probes:
            open_tenant(self._client(), subject)
            self.probes[subject.key] = probe(self._client(), subject)
        return self.probes[subject.key]

    def fresh_id(self, number: int) -> dict:
        while len(self.fresh_ids) <= number:
            self.fresh_ids.append(fresh_tenant(self._client()))
        return self.fresh_ids[number]


@pytest.fixture(scope="module")
def sandboxes():
    pool: dict = {"reference": Reference()}
    yield pool
    for value in pool.values():
        app = value.app if isinstance(value, Reference) else value
        if app is not None:
            app.close()


# -- whose state a case touches ------------------------------------------------------------------

@dataclass(frozen=True)
class Subject:
    provider: str
    key: str
    """The tenant's key as the store and the control API know it (``jwt:<sub>`` for JWTs)."""
    headers: dict
    """Valid credentials of the tenant, for reading its state and for the probe."""
    tenant_id: str | None
    """The id it was created with through the control API (None: claimed by a JWT)."""


def subject_of(case: dict) -> Subject:
    number = INDEX[case["id"]]
    owner = corpus.ENDPOINTS[case["ep"]]["owner"]
    provider = owner if owner in PROVIDERS else case.get("subject", "rebilly")
    if "as_jwt" in case:
        sub = f"hj{number}"
        token = corpus.jwt('{"sub": "%s"}' % sub)
        return Subject(provider, f"jwt:{sub}", {"Authorization": f"Bearer {token}"}, None)
    tenant_id = f"h{number}"
    key = KEY_PREFIX[provider] + tenant_id
    header = {"REB-APIKEY": key} if provider == "rebilly" else {"Authorization": f"Bearer {key}"}
    return Subject(provider, key, header, tenant_id)


def open_tenant(client, subject: Subject) -> None:
    if subject.tenant_id is None:  # a JWT's tenant is claimed on first use
        response = client.get("/rebilly/invoices", headers=subject.headers)
    else:
        response = client.post("/_sandbox/tenants", json={
            "id": subject.tenant_id, "seed": 1, "providers": [subject.provider]})
    assert response.status_code in (200, 201), response.text


def probe(client, subject: Subject) -> tuple[int, object]:
    path, body = PROBES[subject.provider]
    response = client.post(path, headers=subject.headers, json=body)
    return response.status_code, _json(response)


def fresh_tenant(client) -> dict:
    response = client.post("/_sandbox/tenants", json={"providers": ["rebilly"], "fixtures": False})
    return {"status": response.status_code, "body": _json(response)}


def _json(response):
    try:
        return response.json()
    except ValueError:
        return response.text[:500]


# -- observable state ------------------------------------------------------------------------------

def _read(client, path: str, **kwargs) -> tuple[int, object]:
    response = client.get(path, **kwargs)
    return response.status_code, _json(response)


def records(client, subject: Subject) -> dict:
    """What a client of the provider can read of the tenant's records."""
    h = subject.headers
    if subject.provider == "rebilly":
        response = client.get("/rebilly/invoices", headers=h, params={"limit": 100})
        return {"invoices": (response.status_code, _json(response)),
                "rate limit": {name: response.headers.get(name) for name in RATE_HEADERS}}
    if subject.provider == "billingrails":
        base = "/billingrails/v1"
        return {"account": _read(client, f"{base}/accounts/{corpus.BR_ACCOUNT}", headers=h),
                "draft": _read(client, f"{base}/invoices/{corpus.BR_DRAFT}", headers=h)}
    return {"list": _read(client, "/lineitems/invoices", headers=h, params={"limit": 100}),
            "upcoming": _read(client, f"/lineitems/invoices/{corpus.LI_UPCOMING}", headers=h)}


def journal(client, subject: Subject) -> list:
    status, body = _read(client, "/_sandbox/journal",
                         params={"provider": subject.provider, "key": subject.key})
    assert status == 200, f"the tenant's journal cannot be read: {status} {str(body)[:300]}"
    return body["entries"]


def settings(client, subject: Subject, case: dict) -> dict:
    """The control API's view of the tenant: its clock (the sandbox's, unless its own), its
    seed; its fault rules when the case is about faults, the sandbox's seed when the case
    addresses the whole sandbox."""
    tenant = {"provider": subject.provider, "key": subject.key}
    seen = {"clock": _read(client, "/_sandbox/clock", params=tenant),
            "seed": _read(client, "/_sandbox/seed", params=tenant)}
    if case["ep"] in ("control.createFault", "control.clearFaults", "control.resetSandbox"):
        seen["faults"] = _read(client, "/_sandbox/faults", params=tenant)
    if case.get("query") == {}:
        seen["sandbox seed"] = _read(client, "/_sandbox/seed")
    return seen


def item_id(state: dict) -> str:
    """The id of the Rebilly draft invoice's fixture item (PUT and DELETE target it)."""
    for invoice in state["invoices"][1]:
        if invoice["id"] == corpus.REBILLY_DRAFT:
            return invoice["items"][0]["id"]
    raise AssertionError("the Rebilly draft invoice is missing")


# -- the request -----------------------------------------------------------------------------------

def new_id(case: dict) -> str:
    """The tenant id a ``POST /_sandbox/tenants`` case asks for (free until it is taken)."""
    return f"n{INDEX[case['id']]}"


def build_request(case: dict, subject: Subject, item: str) -> dict:
    ep = corpus.ENDPOINTS[case["ep"]]
    fills = {"{key}": subject.key, "{item}": item, "{new_id}": new_id(case)}

    def fill(text):
        for placeholder, value in fills.items():
            if isinstance(text, bytes):
                text = text.replace(placeholder.encode(), value.encode())
            else:
                text = text.replace(placeholder, value)
        return text

    path = fill(case.get("path", ep["path"]))
    query = case.get("query", ep.get("query") or {})
    if isinstance(query, str):
        query_string = fill(query)
    else:
        pairs = query.items() if isinstance(query, dict) else query
        query_string = urlencode([(name, fill(value)) for name, value in pairs])
    url = path + ("?" + query_string if query_string else "")

    if "body" in case:
        body = case["body"]
        content = body() if callable(body) else body if isinstance(body, (bytes, type(None))) \
            else corpus.encode(body)
    elif "set" in case:
        body = ep["body"]
        for field, value in case["set"].items():
            body = corpus.with_value(body, field, value)
        content = corpus.encode(body)
    else:
        content = corpus.encode(ep["body"]) if ep["body"] is not None else None
    content = fill(content) if content is not None else None

    headers: list[tuple[str, object]] = []
    if ep["owner"] in PROVIDERS:
        headers += list(subject.headers.items())
    if ep["body"] is not None:
        headers.append(("Content-Type", "application/json"))
    overrides = dict(case.get("headers", {}))
    if "as_jwt" in case:
        overrides.update({"REB-APIKEY": None,
                          "Authorization": "Bearer " + case["as_jwt"](subject.key[4:])})
    for name, value in overrides.items():
        headers = [(n, v) for n, v in headers if n.lower() != name.lower()]
        if value is not None:
            headers.append((name, value))
    headers += case.get("extra", [])
    if case.get("chunked") and content is not None:
        data = content
        content = (data[start:start + 65536] for start in range(0, len(data), 65536))
    return {"method": case.get("method", ep["method"]), "url": url, "headers": headers,
            "content": content}


# -- the vendors' error shapes ---------------------------------------------------------------------

def shape_problems(owner: str, response) -> list[str]:
    """What is wrong with an error answer's shape for its owner (empty: nothing)."""
    status = response.status_code
    media = response.headers.get("content-type", "")
    try:
        body = response.json()
    except ValueError:
        return [f"the error body is not JSON ({media!r}): {response.text[:200]!r}"]
    expected_media = "application/problem+json" if owner == "control" else "application/json"
    problems = [] if media.startswith(expected_media) else [
        f"content type {media!r}, not {expected_media}"]
    if not isinstance(body, dict):
        return problems + [f"the error body is not an object: {str(body)[:200]}"]
    if owner in ("rebilly", "control"):
        for name, kind in (("type", str), ("title", str), ("status", int), ("detail", str)):
            if not isinstance(body.get(name), kind):
                problems.append(f"problem member {name!r} missing or not {kind.__name__}: {body}")
        fields = body.get("invalidFields", [])
    elif owner == "billingrails":
        error = body.get("error")
        if not isinstance(error, dict) or set(body) != {"error"}:
            return problems + [f"not {{'error': {{...}}}}: {str(body)[:300]}"]
        for name in ("type", "code", "message"):
            if not isinstance(error.get(name), str):
                problems.append(f"error.{name} missing or not a string: {error}")
        if status < 500 and error.get("type") != "request_error":
            problems.append(f"error.type {error.get('type')!r} for a {status}")
        body = {"status": status, **body}
        fields = error.get("details", [])
    else:
        if set(body) != {"status", "detail", "errors"} or not isinstance(body["detail"], str):
            return problems + [f"not {{status, detail, errors}}: {str(body)[:300]}"]
        fields = body["errors"]
    if body.get("status") != status:
        problems.append(f"body status {body.get('status')!r} on a {status} answer")
    if not isinstance(fields, list) or not all(
            isinstance(f, dict) and isinstance(f.get("field"), str)
            and isinstance(f.get("message"), str) for f in fields):
        problems.append(f"the field list is not [{{field, message}}]: {str(fields)[:300]}")
    if status == 405 and not response.headers.get("allow"):
        problems.append("a 405 without an Allow header")
    return problems


def named_fields(owner: str, response) -> list[str]:
    body = response.json()
    if owner == "billingrails":
        fields = body["error"].get("details", [])
    elif owner == "lineitems":
        fields = body["errors"]
    else:
        fields = body.get("invalidFields", [])
    return [f["field"] for f in fields]


def allowed_statuses(expect: str, owner: str) -> set[int]:
    return set().union(*(corpus.EXPECT[kind](owner) for kind in expect.split("|")))


def statuses(allowed: set[int]) -> str:
    """``400/422/2xx``: the allowed statuses, briefly."""
    shown = sorted(s for s in allowed if not 200 <= s < 300)
    return "/".join([str(s) for s in shown] + (["2xx"] if allowed & set(range(200, 300)) else []))


def differences(before, after, path: str = "") -> str:
    """Where two JSON-like values differ, briefly (``invoices.1.0.items: 1 -> 2 entries``)."""
    found: list[str] = []

    def walk(a, b, where):
        if len(found) >= 6 or a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(dict.fromkeys([*a, *b])):
                walk(a.get(key, "<absent>"), b.get(key, "<absent>"), f"{where}.{key}")
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
            for index, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}.{index}")
        elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
            found.append(f"{where.lstrip('.')}: {len(a)} -> {len(b)} entries")
        else:
            found.append(f"{where.lstrip('.')}: {str(a)[:120]!s} -> {str(b)[:120]!s}")

    walk(before, after, path)
    return "; ".join(found)


# -- the test --------------------------------------------------------------------------------------

@dataclass
class Before:
    """What a client can see of the case's tenant (and the sandbox) before the request."""

    records: dict
    journal: list
    settings: dict | None


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hostile_input_is_refused_in_the_vendors_shape_and_stores_nothing(
        case, flavor, sandboxes, caplog):
    if flavor not in sandboxes:
        sandboxes[flavor] = App(flavor)
    app = sandboxes[flavor]
    client = app.client
    owner = corpus.ENDPOINTS[case["ep"]]["owner"]
    subject = subject_of(case)
    shared_state_kept = False  # may later cases share this app?
    try:
        open_tenant(client, subject)
        before = Before(records(client, subject), journal(client, subject),
                        settings(client, subject, case) if owner == "control" else None)
        item = item_id(before.records) if subject.provider == "rebilly" else ""
        request = build_request(case, subject, item)
        response, logged = send(client, request, caplog)
        problems = logged + answer_problems(case, owner, response)
        if 200 <= response.status_code < 300:
            problems += accepted_problems(client, subject, case, app, response)
            # An accepted sandbox-wide setting would change what later cases see.
            shared_state_kept = owner != "control" or "?" in request["url"] \
                or case["ep"] == "control.createTenant"
        else:
            problems += unchanged(client, subject, case, request, response, before,
                                  sandboxes["reference"], app)
            shared_state_kept = True
        assert not problems, "\n".join(
            [f"{request['method']} {request['url'][:200]} -> {response.status_code}"] + problems)
    except BaseException:
        if not (shared_state_kept and sandbox_wide_untouched(client, app, sandboxes)):
            sandboxes.pop(flavor).close()  # the cases after this one get a fresh app
        raise
    if not shared_state_kept:
        sandboxes.pop(flavor).close()


def send(client, request: dict, caplog) -> tuple[object, list[str]]:
    """The answer, and what the sandbox logged as its own failures meanwhile."""
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="invoice_sandbox"):
        try:
            response = client.request(**request)
        except Exception as exc:  # noqa: BLE001 - the point is that nothing escapes
            pytest.fail(f"{request['method']} {request['url'][:200]}: {exc!r} escaped")
    logged = [f"the sandbox logged {r.getMessage()[:200]!r} "
              f"{repr(r.exc_info[1]) if r.exc_info else ''}"
              for r in caplog.records if r.name == "invoice_sandbox"]
    return response, logged


def answer_problems(case: dict, owner: str, response) -> list[str]:
    """What is wrong with the answer itself: its status, its shape, its headers."""
    problems = []
    status = response.status_code
    allowed = allowed_statuses(case["expect"], owner)
    if status not in allowed:
        problems.append(f"status {status}, expected {statuses(allowed)}: {response.text[:300]}")
    if status >= 400:
        problems += shape_problems(owner, response)
        if case.get("named") and status in allowed and not problems:
            named = named_fields(owner, response)
            missing = sorted(set(case["named"]) - set(named))
            if missing:
                problems.append(f"fields not named: {missing}; named: {named}")
    if 200 <= status < 300 and case.get("method") == "OPTIONS" \
            and not response.headers.get("allow"):
        problems.append("OPTIONS answered without an Allow header")
    for name, value in response.headers.raw:
        if b"\r" in value or b"\n" in value:
            problems.append(f"response header {name.decode()} carries a line break: "
                            f"{value[:200]!r}")
    return problems


def accepted_problems(client, subject: Subject, case: dict, app: App, response) -> list[str]:
    """An accepted request must leave its tenant readable (fault rules and rate limits are
    accepted precisely to make reads fail: not those)."""
    if case["ep"] == "control.createTenant" and response.json().get("id") != new_id(case):
        app.fresh += 1  # a generated tenant id was drawn, rightly
    if case["ep"] in MAKE_READS_FAIL:
        return []
    unreadable = {name: state for name, state in records(client, subject).items()
                  if isinstance(state, tuple) and state[0] != 200}
    return [f"after the request was accepted the tenant cannot be read: "
            f"{str(unreadable)[:400]}"] if unreadable else []


def unchanged(client, subject: Subject, case: dict, request: dict, response, before: Before,
              reference: Reference, app: App) -> list[str]:
    """What a rejected request changed (empty: nothing)."""
    problems = []
    after_journal = journal(client, subject)
    after_records = records(client, subject)
    if after_records != before.records:
        problems.append(f"records changed: {differences(before.records, after_records)}")
    if after_journal[:len(before.journal)] != before.journal:
        problems.append("journal entries recorded before the request changed")
    added = after_journal[len(before.journal):]
    if len(added) > 1:
        problems.append(f"{len(added)} journal entries added: {str(added)[:600]}")
    for entry in added:
        if entry["status"] != response.status_code or entry["method"] != request["method"]:
            problems.append(f"the request's journal entry says {entry['method']} "
                            f"{entry['status']}")
        if "error" in entry:
            problems.append(f"the journal notes a sandbox failure: {entry['error'][:300]}")
    if before.settings is not None:
        after_settings = settings(client, subject, case)
        if after_settings != before.settings:
            problems.append(f"settings changed: {differences(before.settings, after_settings)}")
    expected, got = reference.probe(subject), probe(client, subject)
    if got != expected:
        problems.append(f"the next create differs from a fresh tenant's (ids or numbers were "
                        f"drawn): {differences(expected, got)}")
    if case["ep"] == "control.createTenant":
        expected_fresh, got_fresh = reference.fresh_id(app.fresh), fresh_tenant(client)
        app.fresh += 1
        if got_fresh != expected_fresh:
            problems.append(f"the next generated tenant id moved: {got_fresh} != "
                            f"{expected_fresh}")
        named = client.post("/_sandbox/tenants", json={
            "id": new_id(case), "providers": ["rebilly"], "fixtures": False})
        if named.status_code != 201:
            problems.append(f"the tenant id the rejected body named was taken: "
                            f"{named.status_code} {named.text[:300]}")
    return problems


def sandbox_wide_untouched(client, app: App, sandboxes) -> bool:
    """The sandbox-wide clock and seed are as configured and generated ids are in step."""
    try:
        clock = client.get("/_sandbox/clock").json()
        seed = client.get("/_sandbox/seed").json()
        in_step = fresh_tenant(client) == sandboxes["reference"].fresh_id(app.fresh)
        app.fresh += 1
    except Exception:  # noqa: BLE001 - any doubt: start over
        return False
    return (clock == {"now": FROZEN, "frozen": True, "setBy": "config"}
            and seed == {"seed": 1, "setBy": "config"} and in_step)
