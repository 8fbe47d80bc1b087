"""Clock and id seed settings kept in the store: tenant over global over start-up config."""

from datetime import datetime, timedelta, timezone

import pytest

from invoice_sandbox.clock import parse_instant
from invoice_sandbox.ids import ALPHANUMERIC
from invoice_sandbox.state import (ClockSetting, StoreClock, StoreIdSource, current_tenant,
                                   tenant_context)
from invoice_sandbox.store import MemoryStore, Namespace

START = parse_instant("2024-01-01T00:00:00Z")
A = Namespace("rebilly", "sk_sandbox_a")
B = Namespace("rebilly", "sk_sandbox_b")


class FixedSystem:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


@pytest.fixture
def clock() -> StoreClock:
    return StoreClock(MemoryStore(), ClockSetting(frozen_at=START))


def test_the_clock_answers_the_configured_start_until_set(clock):
    assert clock.now() == START
    assert clock.setting_for(A) == (ClockSetting(frozen_at=START), "config")


def test_a_tenant_setting_applies_inside_that_tenant_only(clock):
    clock.set(parse_instant("2030-01-01T00:00:00Z"), ns=A)
    with tenant_context(A):
        assert clock.now().year == 2030
    with tenant_context(B):
        assert clock.now() == START
    assert current_tenant() is None


def test_a_global_setting_applies_to_tenants_without_their_own(clock):
    clock.advance(timedelta(hours=1))
    clock.set(parse_instant("2030-01-01T00:00:00Z"), ns=A)
    assert clock.now_for(B) == START + timedelta(hours=1) and clock.now_for(A).year == 2030
    clock.restore(A)
    assert clock.now_for(A) == START + timedelta(hours=1)


def test_a_running_clock_follows_the_system_clock_from_its_reading():
    system = FixedSystem(datetime(2020, 1, 1, tzinfo=timezone.utc))
    clock = StoreClock(MemoryStore(), ClockSetting(), system)
    clock.set(START, frozen=False)
    system.instant += timedelta(seconds=5)
    assert clock.now() == START + timedelta(seconds=5)
    clock.advance(timedelta(seconds=10))
    assert clock.now() == START + timedelta(seconds=15)


def test_moves_out_of_the_calendar_are_refused_and_change_nothing(clock):
    with pytest.raises(ValueError):
        clock.advance(timedelta(days=-800_000))
    with pytest.raises(ValueError):
        clock.advance(timedelta(days=999_999_999))
    assert clock.now() == START


def test_settings_live_in_the_store_so_a_reset_restores_the_start(clock):
    clock.set(parse_instant("2030-01-01T00:00:00Z"))
    clock.store.reset()
    assert clock.now() == START


def test_the_id_seed_is_per_tenant_then_global_then_configured():
    ids = StoreIdSource(MemoryStore(), 1)
    assert ids.seed == 1 and ids.seed_for(A) == (1, "config")
    ids.set_seed(2)
    ids.set_seed(3, A)
    assert ids.seed == 2 and ids.seed_for(B) == (2, "global")
    with tenant_context(A):
        assert ids.seed == 3
        in_a = ids.chars("ns", 1, ALPHANUMERIC, 10)
    assert in_a != ids.chars("ns", 1, ALPHANUMERIC, 10)
