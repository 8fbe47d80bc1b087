from tests.control.conftest import DRAFT, REBILLY, REBILLY_KEY, assert_problem, create_invoice

AUTH = {"REB-APIKEY": REBILLY_KEY}


def test_the_clock_starts_as_configured(control):
    assert control.get("/_sandbox/clock").json() == {
        "now": "2024-01-01T00:00:00Z", "frozen": True, "setBy": "config"}


def test_freezing_and_advancing_the_global_clock_moves_timestamps(control):
    control.put("/_sandbox/clock", json={"now": "2025-03-01T10:00:00Z"})
    advanced = control.post("/_sandbox/clock/advance", json={"seconds": 90.5}).json()
    assert advanced == {"now": "2025-03-01T10:01:30.500000Z", "frozen": True, "setBy": "global"}
    assert create_invoice(control).json()["createdTime"] == "2025-03-01T10:01:30Z"


def test_a_tenant_clock_wins_over_the_global_one_for_that_tenant_only(control):
    control.put("/_sandbox/clock", params=REBILLY, json={"now": "2030-01-01T00:00:00Z"})
    assert create_invoice(control).json()["createdTime"] == "2030-01-01T00:00:00Z"
    other = create_invoice(control, "sk_sandbox_other").json()
    assert other["createdTime"] == "2024-01-01T00:00:00Z"
    restored = control.delete("/_sandbox/clock", params=REBILLY).json()
    assert restored == {"now": "2024-01-01T00:00:00Z", "frozen": True, "setBy": "config"}


def test_an_unfrozen_clock_runs_on_from_its_reading(control):
    running = control.put("/_sandbox/clock",
                          json={"now": "2026-01-01T00:00:00Z", "frozen": False}).json()
    assert running["frozen"] is False and running["now"].startswith("2026-01-01T00:00:0")
    refrozen = control.put("/_sandbox/clock", json={}).json()
    assert refrozen["frozen"] is True and refrozen["now"].startswith("2026-01-01T00:00:0")


def test_clock_misuse_is_a_clear_422(control):
    assert_problem(control.put("/_sandbox/clock", json={"now": "soon"}), 422, "now")
    before_year_one = {"now": "0001-01-01T00:00:00+01:00"}
    assert_problem(control.put("/_sandbox/clock", json=before_year_one), 422, "now")
    assert_problem(control.post("/_sandbox/clock/advance", json={"seconds": "1"}), 422, "seconds")
    back = {"seconds": -32_000_000_000}  # about 1014 years: twice leaves the calendar
    assert control.post("/_sandbox/clock/advance", json=back).json()["now"].startswith("1009-")
    assert_problem(control.post("/_sandbox/clock/advance", json=back), 422, "seconds")
    assert_problem(control.post("/_sandbox/clock/advance", json={}), 422, "seconds")


def test_the_id_seed_changes_the_ids_generated_next(control):
    first = create_invoice(control, "sk_sandbox_a").json()["id"]
    answer = control.put("/_sandbox/seed", json={"seed": 99}).json()
    assert answer == {"seed": 99, "setBy": "global"}
    assert create_invoice(control, "sk_sandbox_b").json()["id"] != first


def test_a_tenant_seed_applies_to_that_tenant(control):
    answer = control.put("/_sandbox/seed", params=REBILLY, json={"seed": 5}).json()
    assert answer == {"seed": 5, "setBy": "tenant"}
    assert control.get("/_sandbox/seed").json() == {"seed": 1, "setBy": "config"}
    item = control.post(f"/rebilly/invoices/{DRAFT}/items", headers=AUTH,
                        json={"type": "debit", "unitPrice": 1}).json()
    control.put("/_sandbox/seed", params=REBILLY, json={"seed": 1})
    again = control.post(f"/rebilly/invoices/{DRAFT}/items", headers=AUTH,
                         json={"type": "debit", "unitPrice": 1}).json()
    assert item["id"] != again["id"]


def test_a_seed_must_be_a_non_negative_integer(control):
    assert_problem(control.put("/_sandbox/seed", json={"seed": -1}), 422, "seed")
    assert_problem(control.put("/_sandbox/seed", json={"seed": 1.5}), 422, "seed")
