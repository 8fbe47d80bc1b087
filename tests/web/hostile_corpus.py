"""The bad-input corpus of ``test_hostile_input.py``: plain data, one small dict per case.

A case names an endpoint (``ENDPOINTS``) and says what is hostile about the request:

    id        the pytest id (unique)
    ep        the endpoint it is sent to
    expect    what the answer must be (``EXPECT``): "malformed", "invalid", "too_large", ...
    body      the body: bytes, a callable giving bytes (big bodies are built when sent), or a
              JSON value (``Raw("1e309")`` inside it is written verbatim); default: the
              endpoint's valid body
    set       {dotted.path: value} written into the endpoint's valid body instead
    headers   headers replacing the defaults (a None value drops the header)
    extra     (name, value) header pairs sent on top (a second Content-Type)
    method    another method; path / query: another path template / query
    as_jwt    the request authenticates with the Rebilly Bearer JWT this function of the
              tenant's subject gives, instead of the tenant's key
    named     fields the error must name
    chunked   the body is sent chunked (no Content-Length)
    subject   the provider whose tenant a control-API case addresses (default: rebilly)

Every case is run against a fresh tenant; the test checks the answer's status and shape and
that the tenant (and the sandbox) is exactly as it was unless the request was accepted.
Placeholders in paths, queries and bodies: ``{key}`` the tenant's key, ``{item}`` the id of
the Rebilly draft invoice's fixture item, ``{new_id}`` a tenant id nobody uses yet.
"""

from __future__ import annotations

import base64
import copy
import json
from functools import lru_cache

import yaml

from invoice_sandbox.specs import paths

REBILLY_DRAFT = "in_0YVF9605RKC62BP14NE2R7V2XT"
BR_DRAFT = "inv_DraftUSD01"
BR_ACCOUNT = "acc_DemoAcme01"
LI_UPCOMING = "oQLSmmnn"

DEEP = 10_000
ONE_MB = 1_000_000  # a string this long still fits the 1 MiB body limit
TENANT_Q = {"provider": "rebilly", "key": "{key}"}


class Raw:
    """JSON text written verbatim where it stands in a body (``1e309``, ``NaN``, ``-0``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:20]!r})"


# -- endpoints: every write operation of every provider and of the control API ------------------

ENDPOINTS = {
    # Rebilly
    "rebilly.PostInvoice": dict(
        owner="rebilly", method="POST", path="/rebilly/invoices", spec="rebilly",
        schema="InvoiceCreate",
        body={"customerId": "cus_probe", "websiteId": "web_probe", "currency": "USD",
              "notes": "n", "dueTime": "2024-02-01T00:00:00Z",
              "items": [{"type": "debit", "unitPrice": 1.5, "quantity": 2}]}),
    "rebilly.PostInvoiceItem": dict(
        owner="rebilly", method="POST", path=f"/rebilly/invoices/{REBILLY_DRAFT}/items",
        spec="rebilly", schema="InvoiceItemWrite",
        body={"type": "debit", "unitPrice": 10.1, "quantity": 3, "description": "Seats",
              "productId": "prod_1", "planId": "plan_1", "subscriptionId": "sub_1",
              "discountAmount": 0.5, "periodStartTime": "2024-01-01T00:00:00Z",
              "periodEndTime": "2024-02-01T00:00:00Z", "periodNumber": 1,
              "tax": {"amount": 0.25, "rate": 0.07, "description": "VAT",
                      "jurisdictions": {"country": "US", "state": "NY"}}}),
    "rebilly.PutInvoiceItem": dict(
        owner="rebilly", method="PUT", path=f"/rebilly/invoices/{REBILLY_DRAFT}/items/{{item}}",
        spec="rebilly", schema="InvoiceItemWrite",
        body={"type": "credit", "unitPrice": 2, "quantity": 1, "description": "Refund"}),
    "rebilly.DeleteInvoiceItem": dict(
        owner="rebilly", method="DELETE",
        path=f"/rebilly/invoices/{REBILLY_DRAFT}/items/{{item}}", body=None),
    # Billingrails
    "billingrails.CreateAccount": dict(
        owner="billingrails", method="POST", path="/billingrails/v1/accounts",
        spec="billingrails", schema="AccountCreate",
        body={"name": "John Doe", "email": "john@example.com", "type": "individual",
              "country": "US", "default_currency": "USD", "external_id": "ext-1",
              "timezone": "UTC", "billing_address": {"line1": "1 Main St", "city": "NYC"},
              "invoice_settings": {"net_term_days": 14, "number_prefix": "ACME"},
              "metadata": {"k": "v"}}),
    "billingrails.CreateInvoice": dict(
        owner="billingrails", method="POST", path="/billingrails/v1/invoices",
        spec="billingrails", schema="InvoiceCreate",
        body={"account_id": BR_ACCOUNT, "currency": "USD", "collection_method": "manual",
              "due_at": "2024-02-01T00:00:00Z", "billing_start": "2024-01-01T00:00:00Z",
              "billing_end": "2024-01-31T00:00:00Z",
              "items": [{"name": "Seat", "quantity": 3, "unit_amount": 1999}]}),
    "billingrails.AddInvoiceItem": dict(
        owner="billingrails", method="POST", path=f"/billingrails/v1/invoices/{BR_DRAFT}/items",
        spec="billingrails", schema="InvoiceItemCreate",
        body={"entity_id": "fee_1", "name": "Setup", "description": "One-off", "quantity": 1,
              "unit_amount": 2503}),
    # line items
    "lineitems.CreateInvoiceLineItem": dict(
        owner="lineitems", method="POST", path=f"/lineitems/invoices/{LI_UPCOMING}/line-items",
        spec="lineitems", schema="LineItemCreate",
        body={"description": "Usage", "quantity": "3", "unitPrice": "0.1"}),
    # the control API, addressing the case's Rebilly tenant where it can
    "control.createFault": dict(
        owner="control", method="POST", path="/_sandbox/faults", query=TENANT_Q,
        spec="control", schema="FaultRequest",
        body={"operation": "GetInvoice", "action": "status", "status": 503, "times": 1}),
    "control.createTenant": dict(
        owner="control", method="POST", path="/_sandbox/tenants", spec="control",
        schema="TenantRequest",
        body={"id": "{new_id}", "providers": ["rebilly"], "fixtures": True,
              "clock": "2024-01-01T00:00:00Z", "seed": 1}),
    "control.loadFixtures": dict(
        owner="control", method="POST", path="/_sandbox/fixtures", query=TENANT_Q,
        spec="control", schema=("/fixtures", "post"),
        body={"data": {"invoices": [{"id": "in_loaded", "customerId": "cus_probe",
                                     "websiteId": "web_1", "currency": "EUR",
                                     "status": "unpaid",
                                     "items": [{"type": "debit", "unitPrice": 5}]}]}}),
    "control.setClock": dict(
        owner="control", method="PUT", path="/_sandbox/clock", query=TENANT_Q, spec="control",
        schema=("/clock", "put"), body={"now": "2025-01-01T00:00:00Z", "frozen": True}),
    "control.advanceClock": dict(
        owner="control", method="POST", path="/_sandbox/clock/advance", query=TENANT_Q,
        spec="control", schema=("/clock/advance", "post"), body={"seconds": 60}),
    "control.setSeed": dict(
        owner="control", method="PUT", path="/_sandbox/seed", query=TENANT_Q, spec="control",
        schema=("/seed", "put"), body={"seed": 5}),
    "control.setRateLimit": dict(
        owner="control", method="PUT", path="/_sandbox/rate-limits", query=TENANT_Q,
        spec="control", schema="RateLimit",
        body={"enabled": True, "limit": 10, "window_seconds": 60}),
    "control.resetSandbox": dict(
        owner="control", method="POST", path="/_sandbox/reset", query=TENANT_Q, body=None),
    "control.clearJournal": dict(
        owner="control", method="DELETE", path="/_sandbox/journal", query=TENANT_Q, body=None),
    "control.restoreClock": dict(
        owner="control", method="DELETE", path="/_sandbox/clock", query=TENANT_Q, body=None),
    "control.clearFaults": dict(
        owner="control", method="DELETE", path="/_sandbox/faults", query=TENANT_Q, body=None),
}
BODY_ENDPOINTS = [name for name, ep in ENDPOINTS.items() if ep["body"] is not None]

# -- what an answer may be, by owner -------------------------------------------------------------
_INVALID = {"rebilly": {422}, "billingrails": {400}, "lineitems": {400}, "control": {422}}
_2XX = set(range(200, 300))
EXPECT = {
    "malformed": lambda o: {400},                      # not JSON / not text / bad literal
    "invalid": lambda o: _INVALID[o],                  # JSON the schema refuses
    "rejected": lambda o: {400} | _INVALID[o],         # either of the two
    "too_large": lambda o: {413},
    "media": lambda o: {415},
    "unauthorized": lambda o: {401},
    "bad_path": lambda o: {404, 405} | _INVALID[o],    # no such resource or route, a bad id
    "no_route": lambda o: {404, 405},
    "headers_too_large": lambda o: {400, 431},
    "method": lambda o: {405},
    "options": lambda o: {200, 204, 405},
    "accepted": lambda o: _2XX,
    "media_or_accepted": lambda o: {415} | _2XX,
    "parsed_or_refused": lambda o: {400, 415} | _INVALID[o] | _2XX,
    "auth_or_accepted": lambda o: {401} | _2XX,
    "not_found": lambda o: {404},
    "conflict": lambda o: {409},
    "forced": lambda o: {409} if o != "lineitems" else {422},  # what Prefer: code= asked
    "any": lambda o: {400, 401, 404, 405, 409, 413, 415, 422, 431} | _2XX,
}
"""Every kind allows client errors only: a 5xx is never an acceptable answer. A case may
name several kinds, ``"unauthorized|headers_too_large"``: any of their statuses will do."""


# -- reading field types from the specs ----------------------------------------------------------

@lru_cache(maxsize=None)
def spec(name: str) -> dict:
    return yaml.safe_load((paths.spec_dir() / f"{name}.yaml").read_text(encoding="utf-8"))


def resolve(doc: dict, schema: dict) -> dict:
    """A schema with its ``$ref`` followed and its ``allOf`` merged (one level is enough)."""
    while "$ref" in schema:
        node = doc
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = {**node, **{k: v for k, v in schema.items() if k != "$ref"}}
    if "allOf" in schema:
        merged = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            part = resolve(doc, part)
            merged = {**part, **merged, "properties": {**part.get("properties", {}),
                                                       **merged.get("properties", {})}}
        schema = merged
    return schema


def body_schema(ep: dict) -> dict:
    doc = spec(ep["spec"])
    if isinstance(ep["schema"], tuple):
        path, method = ep["schema"]
        media = doc["paths"][path][method]["requestBody"]["content"]["application/json"]
        return resolve(doc, media["schema"])
    return resolve(doc, {"$ref": f"#/components/schemas/{ep['schema']}"})


def body_fields(name: str) -> list[tuple[str, dict]]:
    """(dotted path, schema) of every field of the endpoint's body, one level of nesting
    included (``tax.rate``, ``items.0.quantity``), each present in its valid body."""
    ep = ENDPOINTS[name]
    doc = spec(ep["spec"])
    found = []

    def walk(schema: dict, value, prefix: str, depth: int) -> None:
        for field, sub in (schema.get("properties") or {}).items():
            sub = resolve(doc, sub)
            found.append((prefix + field, sub))
            inner = value.get(field) if isinstance(value, dict) else None
            if depth == 0 and sub.get("type") == "object" and isinstance(inner, dict):
                walk(sub, inner, f"{prefix}{field}.", 1)
            elif depth == 0 and sub.get("type") == "array" and isinstance(inner, list) and inner:
                items = resolve(doc, sub["items"])
                if "properties" not in items:  # a list of strings: its first one
                    found.append((f"{prefix}{field}.0", items))
                elif sub["items"].get("$ref", "").rsplit("/", 1)[-1] not in covered:
                    walk(items, inner[0], f"{prefix}{field}.0.", 1)

    covered = {e["schema"] for e in ENDPOINTS.values()
               if e.get("spec") == ep["spec"] and e is not ep}
    walk(body_schema(ep), ep["body"], "", 0)
    return found


def with_value(body, dotted: str, value):
    """A copy of ``body`` with the field at ``dotted`` (``items.0.name``) set to ``value``."""
    body = copy.deepcopy(body)
    *parents, last = dotted.split(".")
    node = body
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


def encode(value) -> bytes:
    """JSON text of ``value``; ``Raw`` parts are written verbatim, lone surrogates escaped."""
    raws: list[str] = []

    def mark(item):
        if isinstance(item, Raw):
            raws.append(item.text)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(item, dict):
            return {k: mark(v) for k, v in item.items()}
        if isinstance(item, list):
            return [mark(v) for v in item]
        return item

    text = json.dumps(mark(value))  # ensure_ascii: "\ud800" stays an escape
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{index}\x00"), raw)
    return text.encode()


# -- building blocks ------------------------------------------------------------------------------

def nested(depth: int, kind: str = "array", leaf: str = "1") -> Raw:
    if kind == "array":
        return Raw("[" * depth + leaf + "]" * depth)
    return Raw('{"a":' * depth + leaf + "}" * depth)


def big_body(name: str, size: int) -> bytes:
    """The endpoint's valid body padded with one long string field to ``size`` bytes."""
    base = encode({**ENDPOINTS[name]["body"], "padding": ""})
    return base.replace(b'"padding": ""', b'"padding": "' + b"x" * (size - len(base)) + b'"')


def b64(data: bytes | str) -> str:
    data = data.encode() if isinstance(data, str) else data
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(payload: bytes | str, *, header: str = '{"alg":"HS256","typ":"JWT"}',
        signature: str = "c2ln") -> str:
    """A JWT whose payload is exactly this JSON text (so it can hold NaN or 1e309)."""
    return f"{b64(header)}.{b64(payload)}.{signature}"


def wrong_type(schema: dict):
    """A value of the other type: number for string, string for number, array for object..."""
    kind = schema.get("type")
    if kind == "string":
        return 12345
    if kind in ("number", "integer"):
        return "1"
    if kind == "boolean":
        return "true"
    if kind == "object":
        return []
    if kind == "array":
        return {}
    return None


def _case(cases: list, ep: str, tag: str, expect: str, **spec) -> None:
    cases.append({"id": f"{ep}-{tag}", "ep": ep, "expect": expect, **spec})


# -- the corpus -----------------------------------------------------------------------------------

FULL_TRANSPORT = ("rebilly.PostInvoiceItem", "lineitems.CreateInvoiceLineItem")
"""These get every transport case (one per error status family: Rebilly answers 422 for
invalid data, line items 400); every other body endpoint gets the core ones: the body
validator is shared, what differs is the endpoint's schema, journal and error shape."""
CORE_TRANSPORT = ("truncated-json", "empty-body", "2MB-body", "NaN-anywhere", "PROPFIND")
OPTIONAL_BODY = ("whitespace-body", "json-null-body", "no-content-type")
"""Extra cases for the one body that may be left out (``POST /_sandbox/tenants``)."""


def transport_cases() -> list[dict]:
    """Malformed, truncated, empty, oddly typed and oversized bodies, on every body endpoint."""
    cases: list[dict] = []
    for ep in BODY_ENDPOINTS:
        body = ENDPOINTS[ep]["body"]
        valid = encode(body)
        first = next(iter(body))
        optional_body = ep == "control.createTenant"  # the only body that may be left out
        empty = "accepted" if optional_body else "rejected"
        wanted = None if ep in FULL_TRANSPORT else CORE_TRANSPORT + (
            OPTIONAL_BODY if optional_body else ())

        def add(tag, expect, **spec):
            if wanted is None or tag in wanted:
                _case(cases, ep, tag, expect, **spec)

        add("truncated-json", "malformed", body=valid[: len(valid) // 2])
        add("single-quoted-json", "malformed", body=valid.replace(b'"', b"'"))
        add("trailing-garbage", "malformed", body=valid + b" x")
        add("invalid-utf8", "malformed", body=valid[:-1] + b', "z": "\xff\xfe"}')
        add("utf8-bom", "parsed_or_refused", body=b"\xef\xbb\xbf" + valid)
        add("empty-body", empty, body=b"")
        add("whitespace-body", "malformed|accepted" if optional_body else "rejected",
            body=b" \r\n\t ")
        add("json-null-body", "invalid|accepted" if optional_body else "invalid", body=b"null")
        add("array-for-object-body", "invalid", body=b"[]")
        add("number-for-object-body", "invalid", body=b"1e5")
        add("no-content-type", "media_or_accepted", headers={"Content-Type": None})
        add("text-plain", "media", headers={"Content-Type": "text/plain"})
        add("form-urlencoded", "media",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        add("upper-case-content-type", "accepted", headers={"Content-Type": "APPLICATION/JSON"})
        add("charset-latin-1", "parsed_or_refused",
            headers={"Content-Type": "application/json; charset=latin-1"})
        add("charset-utf-16", "parsed_or_refused",
            headers={"Content-Type": "application/json; charset=utf-16"})
        add("bogus-charset", "parsed_or_refused",
            headers={"Content-Type": "application/json; charset=no-such-codec"})
        add("two-content-types", "parsed_or_refused", extra=[("Content-Type", "text/plain")])
        add("2MB-body", "too_large", body=lambda ep=ep: big_body(ep, 2 * 1024 * 1024))
        add("2MB-body-chunked", "too_large", chunked=True,
            body=lambda ep=ep: big_body(ep, 2 * 1024 * 1024))
        add("valid-body-chunked", "accepted", chunked=True)
        add("nested-10000-arrays", "malformed", body=nested(DEEP).text.encode())
        add("nested-10000-objects", "malformed", body=nested(DEEP, "object").text.encode())
        add("nested-10000-in-a-field", "malformed", body=encode({**body, first: nested(DEEP)}))
        add("nested-900-in-a-field", "rejected", body=encode({**body, first: nested(900)}))
        add("NaN-anywhere", "malformed", body=encode({**body, "z": Raw("NaN")}))
        add("Infinity-anywhere", "malformed", body=encode({**body, "z": [Raw("Infinity")]}))
        add("1e309-anywhere", "malformed", body=encode({**body, "z": Raw("-1e309")}))
        add("10^5000-anywhere", "malformed", body=encode({**body, "z": Raw("1" + "0" * 5000)}))
        add("duplicate-keys", "any",
            body=valid[:-1] + b", " + json.dumps(first).encode() + b": [null]}")
        add("PATCH", "method", method="PATCH")
        add("PROPFIND", "method", method="PROPFIND")
    _case(cases, "rebilly.PostInvoiceItem", "10MB-body", "too_large",
          body=lambda: big_body("rebilly.PostInvoiceItem", 10 * 1024 * 1024))
    _case(cases, "control.loadFixtures", "10MB-body-chunked", "too_large", chunked=True,
          body=lambda: big_body("control.loadFixtures", 10 * 1024 * 1024))
    return cases


def field_cases() -> list[dict]:
    """Wrong types both ways and null: all top-level fields at once (each must be named in
    the answer), and all fields of each nested object at once; a NUL in every string field
    and -0 in every number, at once. Each string field, ids and nested ones included, alone:
    a lone surrogate; each number: 10^400 and, for integers, a fraction. One 1 MB string per
    schema."""
    cases: list[dict] = []
    schemas_done = set()
    for ep in BODY_ENDPOINTS:
        fields = body_fields(ep)
        top = [(f, s) for f, s in fields if "." not in f]
        swapped = {f: wrong_type(s) for f, s in top if wrong_type(s) is not None}
        _case(cases, ep, "every-field-the-other-type", "invalid", set=swapped, named=list(swapped))
        nulls = [f for f, s in top if not s.get("nullable")]
        _case(cases, ep, "every-field-null", "invalid", set=dict.fromkeys(nulls), named=nulls)
        strings = [f for f, s in fields if s.get("type") == "string"]
        _case(cases, ep, "every-string-with-a-NUL", "any", set=dict.fromkeys(strings, "x\x00y"))
        numbers = [f for f, s in top if s.get("type") in ("number", "integer")]
        if numbers:
            _case(cases, ep, "every-number-minus-0", "any", set=dict.fromkeys(numbers, Raw("-0")))
        schema_key = (ENDPOINTS[ep]["spec"], ENDPOINTS[ep]["schema"])
        if schema_key in schemas_done:
            continue  # another endpoint takes the same body: its fields are covered there
        schemas_done.add(schema_key)
        containers: dict[str, dict] = {}
        for field, schema in fields:
            if "." in field and wrong_type(schema) is not None:
                containers.setdefault(field.rsplit(".", 1)[0], {})[field] = wrong_type(schema)
        for container, wrong in containers.items():
            _case(cases, ep, f"{container}-every-field-the-other-type", "invalid", set=wrong,
                  named=list(wrong))
        long_done = False
        for field, schema in fields:
            nested_field = "." in field

            def add(tag, expect, field=field, **spec):
                _case(cases, ep, f"{field}-{tag}", expect, **spec)

            if schema.get("type") == "string":
                add("lone-surrogate", "malformed", set={field: "x\ud800y"})
                if not long_done and not nested_field:
                    long_done = True
                    add("1MB-string", "any", set={field: "x" * ONE_MB})
            if schema.get("type") in ("number", "integer") and not nested_field:
                add("10^400", "any", set={field: Raw("1" + "0" * 400)})
                if schema["type"] == "integer":
                    add("fraction", "invalid", set={field: 1.5}, named=[field])
    return cases


def free_form_cases() -> list[dict]:
    """Free-form objects (Rebilly ``tax``, Billingrails ``metadata``, and a Rebilly ``tax``
    inside fixture ``data``): deep nesting, numbers out of range, odd keys and long strings
    are kept as sent, or refused."""
    cases: list[dict] = []
    every = ("nested-10000-arrays", "nested-900-objects", "NaN", "10^400", "1.5e308", "-0",
             "lone-surrogate-key", "1MB-string", "10000-keys")
    spots = [("rebilly.PostInvoiceItem", "tax.extra",
              every + ("nested-10000-objects", "5e-324", "NUL-key")),
             ("billingrails.CreateAccount", "metadata.extra", every),
             ("control.loadFixtures", "data.invoices.0.items.0.tax", every),
             ("rebilly.PutInvoiceItem", "tax", ("nested-900-objects", "10^400"))]
    for ep, field, tags in spots:
        values = {
            "nested-10000-arrays": ("malformed", nested(DEEP)),
            "nested-10000-objects": ("malformed", nested(DEEP, "object")),
            "nested-900-arrays": ("any", nested(900)),
            "nested-900-objects": ("any", nested(900, "object")),
            "NaN": ("malformed", {"n": Raw("NaN")}),
            "10^400": ("any", {"n": Raw("1" + "0" * 400)}),
            "1.5e308": ("any", {"n": Raw("1.5e308"), "m": Raw("-1.5e308")}),
            "5e-324": ("any", {"n": Raw("5e-324")}),
            "-0": ("any", {"n": Raw("-0"), "m": Raw("-0.0")}),
            "lone-surrogate-key": ("malformed", {"\udc00": 1}),
            "NUL-key": ("any", {"\x00": "\x00"}),
            "1MB-string": ("any", {"s": "x" * ONE_MB}),
            "10000-keys": ("any", {f"k{i}": i for i in range(10_000)}),
        }
        for tag in tags:
            expect, value = values[tag]
            _case(cases, ep, f"{field}-{tag}", expect, set={field: value})
    return cases


def fixture_cases() -> list[dict]:
    """Fixture data a provider cannot load: refused (422), and nothing of it kept."""
    cases: list[dict] = []
    ep = "control.loadFixtures"
    good = ENDPOINTS[ep]["body"]["data"]["invoices"][0]
    bad = {
        "invoices-string": {"invoices": "x"},
        "invoice-number": {"invoices": [1]},
        "invoice-null": {"invoices": [None]},
        "invoice-missing-fields": {"invoices": [{"id": "in_x"}]},
        "second-invoice-bad": {"invoices": [good, {**good, "id": "in_2", "currency": 5}]},
        "item-price-string": {"invoices": [{**good, "items": [{"type": "debit",
                                                                "unitPrice": "abc"}]}]},
        "item-price-10^400": {"invoices": [{**good, "items": [
            {"type": "debit", "unitPrice": Raw("1" + "0" * 400)}]}]},
        "item-quantity-fraction": {"invoices": [{**good, "items": [
            {"type": "debit", "unitPrice": 1, "quantity": 0.5}]}]},
        "items-object": {"invoices": [{**good, "items": {"a": 1}}]},
        "status-unknown": {"invoices": [{**good, "status": "exploded"}]},
        "notes-object": {"invoices": [{**good, "notes": {"n": 1}}]},
        "notes-10^400": {"invoices": [{**good, "notes": Raw("1" + "0" * 400)}]},
        "customer-id-array": {"invoices": [{**good, "customerId": ["c"]}]},
        "currency-lone-surrogate": {"invoices": [{**good, "currency": "\ud800SD"}]},
        "id-10kB": {"invoices": [{**good, "id": "in_" + "x" * 10_000}]},
        "id-traversal": {"invoices": [{**good, "id": "../../_sandbox"}]},
    }
    for tag, data in bad.items():
        _case(cases, ep, f"data-{tag}", "any" if tag.startswith("id-") else "rejected",
              body={"data": data})
    account = {"id": "acc_ok", "name": "a", "email": "a@b.c"}
    li_invoice = {"id": "liX", "accountId": "a", "status": "draft", "currency": "USD",
                  "billingPeriodStart": "2024-01-01T00:00:00Z",
                  "billingPeriodEnd": "2024-01-31T00:00:00Z"}
    for provider, tag, data in [
        ("billingrails", "unknown-account", {"invoices": [
            {"id": "inv_x", "account_id": "acc_missing", "currency": "USD"}]}),
        ("billingrails", "account-missing-fields", {"accounts": [{"id": "acc_x"}]}),
        ("billingrails", "item-quantity-string", {"accounts": [account], "invoices": [
            {"id": "inv_x", "account_id": "acc_ok", "currency": "USD",
             "items": [{"name": "x", "quantity": "many", "unit_amount": 1}]}]}),
        ("billingrails", "status-unknown", {"accounts": [account], "invoices": [
            {"id": "inv_x", "account_id": "acc_ok", "currency": "USD", "status": "exploded"}]}),
        ("lineitems", "invoice-missing-fields", {"invoices": [{"id": "liX", "currency": "USD"}]}),
        ("lineitems", "line-quantity-exponent", {"invoices": [{**li_invoice, "lineItems": [
            {"description": "x", "quantity": "1e3", "unitPrice": "1"}]}]}),
        ("lineitems", "status-unknown", {"invoices": [{**li_invoice, "status": "exploded"}]}),
    ]:
        _case(cases, ep, f"{provider}-{tag}", "rejected", body={"data": data},
              query={"provider": provider, "key": "{key}"}, subject=provider)
    return cases


def path_cases() -> list[dict]:
    """Traversal, encoded slashes, newlines, NULs, bad UTF-8 and 10 kB segments in path ids."""
    cases: list[dict] = []
    hostile_ids = {
        "dotdot-encoded-slash": "..%2F..%2F_sandbox%2Freset",
        "dotdot-percent-encoded": "%2e%2e",
        "encoded-slash": "in_x%2Fitems",
        "newline": "in_x%0ASet-Cookie:%20a=b",
        "NUL": "in_x%00",
        "invalid-utf8-surrogate": "x%ED%A0%80y",
        "10kB": "i" * 10_240,
    }
    few = ("dotdot-encoded-slash", "NUL", "10kB")
    targets = [("rebilly.PostInvoiceItem", REBILLY_DRAFT, None),
               ("rebilly.PutInvoiceItem", REBILLY_DRAFT, few),
               ("rebilly.PutInvoiceItem", "{item}", None),
               ("rebilly.DeleteInvoiceItem", REBILLY_DRAFT, few),
               ("rebilly.DeleteInvoiceItem", "{item}", few),
               ("billingrails.AddInvoiceItem", BR_DRAFT, None),
               ("lineitems.CreateInvoiceLineItem", LI_UPCOMING, None)]
    for ep, segment, tags in targets:
        slot = "item" if segment == "{item}" else "invoice"
        for tag, hostile in hostile_ids.items():
            if tags is not None and tag not in tags:
                continue
            path = ENDPOINTS[ep]["path"].replace(segment, hostile, 1)
            _case(cases, ep, f"{slot}-id-{tag}", "bad_path", path=path)
    for ep in ("rebilly.PostInvoice", "billingrails.CreateAccount", "control.setClock"):
        path = ENDPOINTS[ep]["path"]
        root, rest = path.rsplit("/", 1)
        _case(cases, ep, "double-slash", "no_route", path=f"{root}//{rest}")
        _case(cases, ep, "trailing-slash", "no_route|accepted", path=path + "/")
    for ep in ("rebilly.PostInvoiceItem", "billingrails.AddInvoiceItem",
               "lineitems.CreateInvoiceLineItem"):
        path = ENDPOINTS[ep]["path"]
        _case(cases, ep, "double-slash-before-id", "no_route", path=path.replace("invoices/",
                                                                                "invoices//"))
    org = f"/rebilly/organizations/{{org}}/invoices/{REBILLY_DRAFT}/items"
    for tag, hostile in [("dotdot", "..%2F..%2F_sandbox"), ("10kB", "o" * 10_240),
                         ("newline", "org%0A"), ("empty", "")]:
        _case(cases, "rebilly.PostInvoiceItem", f"organization-{tag}", "any",
              path=org.replace("{org}", hostile))
    return cases


def query_cases() -> list[dict]:
    """The control API's tenant address (``provider``, ``key``) gone wrong: refused with 422
    (one of the two missing) or 404 (no such tenant), and nothing changed."""
    cases: list[dict] = []
    bad = {
        "key-missing": ({"provider": "rebilly"}, "invalid"),
        "provider-missing": ({"key": "{key}"}, "invalid"),
        "provider-unknown": ({"provider": "stripe", "key": "{key}"}, "bad_path"),
        "provider-dotdot": ({"provider": "../rebilly", "key": "{key}"}, "bad_path"),
        "key-unknown-shape": ({"provider": "rebilly", "key": "../{key}"}, "bad_path"),
        "key-10kB": ({"provider": "rebilly", "key": "sk_sandbox_" + "k" * 10_240}, "bad_path"),
        "key-NUL": ({"provider": "rebilly", "key": "{key}\x00"}, "bad_path"),
        "key-newline": ({"provider": "rebilly", "key": "{key}\n"}, "bad_path"),
        "key-empty": ({"provider": "rebilly", "key": ""}, "invalid"),
        "key-invalid-utf8": ("provider=rebilly&key=%ED%A0%80", "bad_path"),
        "provider-twice": ([("provider", "rebilly"), ("provider", "lineitems"), ("key", "{key}")],
                           "any"),
    }
    few = ("key-missing", "provider-unknown", "key-invalid-utf8")
    for ep in ("control.createFault", "control.loadFixtures", "control.setClock",
               "control.advanceClock", "control.setSeed", "control.setRateLimit",
               "control.resetSandbox", "control.clearJournal", "control.restoreClock",
               "control.clearFaults"):
        every = ep == "control.resetSandbox"  # the one that forgets everything it addresses
        for tag, (query, expect) in bad.items():
            if not every and tag not in few:
                continue
            if ep == "control.clearJournal" and tag in ("key-missing", "provider-missing"):
                expect = "any"  # documented: one provider's, or one key's, journals
            _case(cases, ep, f"query-{tag}", expect, query=query)
    return cases


def global_cases() -> list[dict]:
    """Sandbox-wide settings (no tenant address) refused without changing anything."""
    cases: list[dict] = []
    for ep, bodies in [("control.setSeed", [{"seed": -1}, {"seed": Raw("1" + "0" * 400)},
                                             {"seed": "1"}, {"seed": None}, {"seed": 1.5}]),
                       ("control.setClock", [{"now": "tomorrow"},
                                             {"now": "9999-12-31T23:59:59-23:59"},
                                             {"frozen": "no"}, {"now": "x\ud800"}]),
                       ("control.advanceClock", [{"seconds": 32000000001},
                                                 {"seconds": Raw("NaN")},
                                                 {"seconds": Raw("1e309")}, {"seconds": "60"}]),
                       ("control.setRateLimit", [{"enabled": "yes"},
                                                 {"enabled": True, "limit": 0},
                                                 {"enabled": True,
                                                  "window_seconds": Raw("1" + "0" * 400)}])]:
        for index, body in enumerate(bodies):
            _case(cases, ep, f"global-{index}", "rejected", query={}, body=body)
    _case(cases, "control.resetSandbox", "global-with-malformed-body", "any", query={},
          body=b"{", headers={"Content-Type": "application/json"})
    return cases


def semantic_cases() -> list[dict]:
    """Values of the right type the sandbox must still refuse, or survive."""
    cases: list[dict] = []
    add = lambda ep, tag, expect, **s: _case(cases, ep, tag, expect, **s)  # noqa: E731
    add("control.setClock", "now-year-9999-offset", "rejected",
        body={"now": "9999-12-31T23:59:59-23:59"})
    add("control.setClock", "now-year-1-offset", "rejected",
        body={"now": "0001-01-01T00:00:00+23:59"})
    add("control.setClock", "running-from-year-9999", "rejected",
        body={"now": "9999-12-31T23:59:59Z", "frozen": False})
    add("control.setClock", "now-leap-second", "rejected", body={"now": "2016-12-31T23:59:60Z"})
    add("control.createTenant", "clock-year-9999-offset", "rejected",
        body={"id": "{new_id}", "clock": "9999-12-31T23:59:59-23:59"})
    add("control.createTenant", "id-10kB", "invalid", body={"id": "t" * 10_240})
    add("control.createTenant", "providers-duplicate", "invalid",
        body={"id": "{new_id}", "providers": ["rebilly", "rebilly"]})
    add("control.createTenant", "providers-unknown", "invalid",
        body={"id": "{new_id}", "providers": ["rebilly", "../x"]})
    add("control.createFault", "operation-unknown", "rejected", body={"operation": "x\x00"})
    add("control.createFault", "status-fault-times-10^400", "any",
        body={"status": 503, "times": Raw("1" + "0" * 400)})
    add("control.createFault", "status-fault-fraction-1e-400", "rejected",
        body={"status": 503, "fraction": Raw("1e-400")})
    add("control.createFault", "fraction-and-times", "rejected",
        body={"status": 503, "times": 1, "fraction": 0.5})
    add("control.setSeed", "seed-2^63", "invalid", body={"seed": 2**63})
    add("rebilly.PostInvoiceItem", "unit-price-over-bound", "invalid",
        body={"type": "debit", "unitPrice": 1e12 + 1}, named=["unitPrice"])
    add("rebilly.PostInvoiceItem", "tax-amount-over-bound", "invalid",
        body={"type": "debit", "unitPrice": 1, "tax": {"amount": 1e13}}, named=["tax.amount"])
    add("rebilly.PostInvoiceItem", "tax-rate-1.7e308", "any",
        body={"type": "debit", "unitPrice": 1, "tax": {"rate": 1.7e308, "amount": 1}})
    add("rebilly.PostInvoice", "items-1001", "invalid",
        body={**ENDPOINTS["rebilly.PostInvoice"]["body"],
              "items": [{"type": "debit", "unitPrice": 1}] * 1001}, named=["items"])
    add("rebilly.PostInvoice", "second-item-invalid", "invalid",
        body={**ENDPOINTS["rebilly.PostInvoice"]["body"],
              "items": [{"type": "debit", "unitPrice": 1}, {"type": "debit", "unitPrice": "x"}]},
        named=["items.1.unitPrice"])
    add("billingrails.CreateInvoice", "unknown-account", "not_found",
        body={**ENDPOINTS["billingrails.CreateInvoice"]["body"], "account_id": "acc_x\x00"})
    add("billingrails.CreateInvoice", "items-26", "invalid",
        body={**ENDPOINTS["billingrails.CreateInvoice"]["body"],
              "items": [{"name": "n", "quantity": 1, "unit_amount": 1}] * 26}, named=["items"])
    add("billingrails.CreateAccount", "duplicate-external-id", "conflict",
        body={"name": "n", "email": "a@b.c", "external_id": "acme-001"})
    add("billingrails.CreateAccount", "metadata-51-keys", "invalid",
        body={"name": "n", "email": "a@b.c", "metadata": {f"k{i}": i for i in range(51)}},
        named=["metadata"])
    add("lineitems.CreateInvoiceLineItem", "decimal-28-digits", "invalid",
        body={"description": "d", "quantity": "1", "unitPrice": "9" * 28}, named=["unitPrice"])
    add("lineitems.CreateInvoiceLineItem", "arabic-digits", "invalid",
        body={"description": "d", "quantity": "\u0661", "unitPrice": "1"}, named=["quantity"])
    add("lineitems.CreateInvoiceLineItem", "description-1001", "invalid",
        body={"description": "d" * 1001, "quantity": "1", "unitPrice": "1"}, named=["description"])
    return cases


def header_cases() -> list[dict]:
    """Oversized and odd headers, bad credentials, and the unusual methods left over."""
    cases: list[dict] = []
    auth = {"rebilly.PostInvoiceItem": "REB-APIKEY", "billingrails.AddInvoiceItem": "Authorization",
            "lineitems.CreateInvoiceLineItem": "Authorization"}
    few = ("64kB-junk-header", "64kB-prefer", "8kB-key-of-sandbox-shape", "8kB-key",
           "key-invalid-utf8", "no-credentials", "basic-auth", "TRACE", "OPTIONS",
           "query-invalid-utf8-and-NUL", "prefer-a-documented-error")
    for ep, name in auth.items():
        bearer = "Bearer " if name == "Authorization" else ""
        prefix = "sk_site_" if ep.startswith("billingrails") else "sk_sandbox_"
        every = ep.startswith("rebilly")  # the others get the few
        forced = {"rebilly": 409, "billingrails": 409, "lineitems": 422}[ep.split(".")[0]]
        for tag, expect, spec in [
            ("64kB-junk-header", "any", {"extra": [("X-Junk", "j" * 65_536)]}),
            ("64kB-content-type", "parsed_or_refused|headers_too_large",
             {"headers": {"Content-Type": "application/json; x=" + "y" * 65_536}}),
            ("64kB-prefer", "invalid|headers_too_large",
             {"extra": [("Prefer", "code=" + "4" * 65_536)]}),
            ("prefer-code-500", "invalid", {"extra": [("Prefer", "code=500")]}),
            ("8kB-key-of-sandbox-shape", "any", {"headers": {name: bearer + prefix + "k" * 8192}}),
            ("8kB-key", "unauthorized", {"headers": {name: bearer + "k" * 8192}}),
            ("64kB-key", "unauthorized|headers_too_large",
             {"headers": {name: bearer + "k" * 65_536}}),
            ("key-invalid-utf8", "unauthorized",
             {"headers": {name: (bearer + prefix).encode() + b"\xed\xa0\x80"}}),
            ("key-NUL", "unauthorized", {"headers": {name: bearer + prefix + "a\x00b"}}),
            ("no-credentials", "unauthorized", {"headers": {name: None}}),
            ("basic-auth", "unauthorized",
             {"headers": {"Authorization": "Basic dXNlcjpwYXNz", "REB-APIKEY": None}}),
            ("TRACE", "method", {"method": "TRACE"}),
            ("OPTIONS", "options", {"method": "OPTIONS"}),
            ("query-invalid-utf8-and-NUL", "any", {"query": "x=%ED%A0%80&y=%00&z=%zz"}),
            ("query-10kB", "any", {"query": {"q": "q" * 10_240}}),
            ("prefer-a-documented-error", "forced", {"extra": [("Prefer", f"code={forced}")]}),
            ("content-encoding-gzip-not-gzipped", "any",
             {"extra": [("Content-Encoding", "gzip")]}),
            ("content-length-lies", "any", {"headers": {"Content-Length": "5"}}),
        ]:
            if every or tag in few:
                _case(cases, ep, tag, expect, **spec)
    for ep in ("control.setClock", "control.resetSandbox", "rebilly.DeleteInvoiceItem"):
        add = lambda tag, expect, **s: _case(cases, ep, tag, expect, **s)  # noqa: E731
        add("TRACE", "method", method="TRACE")
        add("OPTIONS", "options", method="OPTIONS")
        if ENDPOINTS[ep]["body"] is None:  # body endpoints get these with the transport cases
            add("PATCH", "method", method="PATCH")
            add("PROPFIND", "method", method="PROPFIND")
        add("64kB-junk-header", "any", extra=[("X-Junk", "j" * 65_536)])
        add("malformed-body-where-none-is-read", "any", body=b'{"a": ',
            headers={"Content-Type": "application/json"})
    _case(cases, "control.setSeed", "admin-bearer-garbage", "any",
          extra=[("Authorization", "Bearer \x00")])
    return cases


def jwt_cases() -> list[dict]:
    """Rebilly's Bearer JWTs: odd ``exp`` values, bad base64, wrong segment counts, huge ones.

    ``as_jwt`` is a function of the subject the case's tenant is known by (``jwt:<sub>``)."""
    cases: list[dict] = []
    ep = "rebilly.PostInvoiceItem"

    def add(tag: str, expect: str, token) -> None:
        _case(cases, ep, f"jwt-{tag}", expect, as_jwt=token)

    def claims(text: str):
        return lambda sub: jwt('{"sub": "%s"%s}' % (sub, text))

    for tag, exp, expect in [("1e20", "1e20", "auth_or_accepted"),
                             ("-1e20", "-1e20", "unauthorized"),
                             ("1e309", "1e309", "unauthorized"),
                             ("10^400", "1" + "0" * 400, "auth_or_accepted"),
                             ("string-10^400", '"10^400"', "unauthorized"),
                             ("NaN", "NaN", "unauthorized"),
                             ("Infinity", "Infinity", "unauthorized"),
                             ("string", '"tomorrow"', "unauthorized"),
                             ("array", "[9999999999]", "unauthorized"),
                             ("object", '{"t": 9999999999}', "unauthorized"),
                             ("true", "true", "unauthorized"),
                             ("null", "null", "unauthorized"),
                             ("past", "1", "unauthorized"),
                             ("10^5000", "1" + "0" * 5000, "unauthorized")]:
        add(f"exp-{tag}", expect, claims(', "exp": ' + exp))
    add("nbf-NaN", "unauthorized", claims(', "nbf": NaN'))
    add("payload-nested-900", "auth_or_accepted", claims(', "x": ' + nested(900).text))
    add("payload-nested-10000", "unauthorized", claims(', "x": ' + nested(DEEP).text))
    add("sub-10^400", "auth_or_accepted", lambda sub: jwt('{"sub": %s}' % ("1" + "0" * 400)))
    add("bad-base64", "unauthorized", lambda sub: f"{b64('{}')}.!!!*.sig")
    add("payload-not-json", "unauthorized", lambda sub: jwt("not json"))
    add("payload-invalid-utf8", "unauthorized", lambda sub: jwt(b'{"sub": "\xff"}'))
    add("payload-array", "unauthorized", lambda sub: jwt("[1, 2]"))
    add("header-not-json", "unauthorized",
        lambda sub: jwt('{"sub": "%s"}' % sub, header="nope"))
    add("sub-array", "unauthorized", lambda sub: jwt('{"sub": ["a"]}'))
    add("sub-lone-surrogate", "any", lambda sub: jwt('{"sub": "x\\ud800"}'))
    add("sub-NUL", "any", lambda sub: jwt('{"sub": "x\\u0000"}'))
    add("two-segments", "unauthorized", lambda sub: jwt('{"sub": "%s"}' % sub).rsplit(".", 1)[0])
    add("four-segments", "unauthorized", lambda sub: jwt('{"sub": "%s"}' % sub) + ".x")
    add("empty-segments", "unauthorized", lambda sub: "..")
    add("huge-1MB", "any", claims(', "pad": "' + "p" * ONE_MB + '"'))
    add("huge-segment-count", "unauthorized|headers_too_large", lambda sub: "a." * 50_000 + "a")
    return cases


def all_cases() -> list[dict]:
    cases = (transport_cases() + field_cases() + free_form_cases() + fixture_cases()
             + path_cases() + query_cases() + global_cases() + semantic_cases()
             + header_cases() + jwt_cases())
    ids = [c["id"] for c in cases]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, duplicates
    return cases
