"""Fault rules and rate limits through the control API."""

from .conftest import DRAFT, REBILLY, REBILLY_KEY, assert_problem

AUTH = {"REB-APIKEY": REBILLY_KEY}
ITEMS = f"/rebilly/invoices/{DRAFT}/items"


def test_a_scheduled_fault_is_listed_applied_and_used_up(control):
    rule = {"operation": "PostInvoiceItem", "status": 503, "times": 1}
    created = control.post("/_sandbox/faults", params=REBILLY, json=rule)
    assert created.status_code == 201
    assert created.json() == {"id": "fault_1", "operation": "PostInvoiceItem", "action": "status",
                              "status": 503, "delay_ms": 0, "times": 1, "fraction": None}
    assert control.get("/_sandbox/faults", params=REBILLY).json()["faults"] == [created.json()]
    assert control.post(ITEMS, headers=AUTH, json={"type": "debit", "unitPrice": 1}).status_code == 503
    assert control.get("/_sandbox/faults", params=REBILLY).json()["faults"] == []


def test_pending_faults_can_be_cleared(control):
    for _ in range(2):
        control.post("/_sandbox/faults", params=REBILLY, json={"status": 500, "times": 5})
    assert control.delete("/_sandbox/faults", params=REBILLY).json() == {"cleared": 2}
    assert control.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200


def test_a_fault_for_an_unknown_operation_is_refused_naming_the_rule(control):
    response = control.post("/_sandbox/faults", params=REBILLY,
                            json={"operation": "DeleteEverything", "status": 500})
    problem = assert_problem(response, 422, "rule")
    assert "unknown operation" in problem["invalidFields"][0]["message"]


def test_a_fault_for_an_unknown_tenant_is_404(control):
    response = control.post("/_sandbox/faults", params={"provider": "rebilly", "key": "nope"},
                            json={"status": 500})
    assert_problem(response, 404)


def test_an_out_of_range_fault_status_is_422(control):
    assert_problem(control.post("/_sandbox/faults", params=REBILLY, json={"status": 200}), 422)


def test_rate_limits_switch_on_for_one_tenant(control):
    setting = control.put("/_sandbox/rate-limits", params=REBILLY,
                          json={"enabled": True, "limit": 1, "window_seconds": 60})
    assert setting.json() == {"enabled": True, "limit": 1, "window_seconds": 60}
    assert control.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200
    assert control.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 429
    other = {"REB-APIKEY": "sk_sandbox_not_limited"}
    assert control.get(f"/rebilly/invoices/{DRAFT}", headers=other).status_code == 200
    control.put("/_sandbox/rate-limits", params=REBILLY, json={"enabled": False})
    assert control.get(f"/rebilly/invoices/{DRAFT}", headers=AUTH).status_code == 200
