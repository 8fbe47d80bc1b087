"""Clock, id seed and rate-limit settings kept in the store: tenant over global over config."""

from datetime import datetime, timedelta, timezone

import pytest

from invoice_sandbox.core.clock import parse_instant
from invoice_sandbox.core.tenant import Namespace
from invoice_sandbox.store import MemoryStore
from invoice_sandbox.tenancy import ClockSetting, Settings

START = parse_instant("2024-01-01T00:00:00Z")
A = Namespace("rebilly", "sk_sandbox_a")
B = Namespace("rebilly", "sk_sandbox_b")


class FixedSystem:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant


@pytest.fixture
def settings() -> Settings:
    return Settings(MemoryStore(), ClockSetting(frozen_at=START), start_seed=1)


def test_the_clock_answers_the_configured_start_until_set(settings):
    assert settings.now_for(None) == START
    assert settings.clock_for(A) == (ClockSetting(frozen_at=START), "config")


def test_a_tenant_setting_applies_to_that_tenant_only(settings):
    settings.set_clock(A, parse_instant("2030-01-01T00:00:00Z"))
    assert settings.now_for(A).year == 2030
    assert settings.now_for(B) == START
    assert settings.clock_for(A)[1] == "tenant"


def test_a_global_setting_applies_to_tenants_without_their_own(settings):
    settings.advance_clock(None, timedelta(hours=1))
    settings.set_clock(A, parse_instant("2030-01-01T00:00:00Z"))
    assert settings.now_for(B) == START + timedelta(hours=1) and settings.now_for(A).year == 2030
    settings.restore_clock(A)
    assert settings.now_for(A) == START + timedelta(hours=1)


def test_a_tenant_resolved_once_carries_its_clock_reading_and_seed(settings):
    settings.set_seed(A, 7)
    tenant = settings.tenant(A, settings.record(A), settings.record(None))
    assert tenant.now == START and tenant.seed == 7 and tenant.ns == A


def test_a_running_clock_follows_the_system_clock_from_its_reading():
    system = FixedSystem(datetime(2020, 1, 1, tzinfo=timezone.utc))
    settings = Settings(MemoryStore(), ClockSetting(), 1, system_now=system.now)
    settings.set_clock(None, START, frozen=False)
    system.instant += timedelta(seconds=5)
    assert settings.now_for(None) == START + timedelta(seconds=5)
    settings.advance_clock(None, timedelta(seconds=10))
    assert settings.now_for(None) == START + timedelta(seconds=15)


def test_moves_out_of_the_calendar_are_refused_and_change_nothing(settings):
    with pytest.raises(ValueError):
        settings.advance_clock(None, timedelta(days=-800_000))
    with pytest.raises(ValueError):
        settings.advance_clock(None, timedelta(days=999_999_999))
    assert settings.now_for(None) == START


def test_settings_live_in_the_store_so_a_reset_restores_the_start(settings):
    settings.set_clock(None, parse_instant("2030-01-01T00:00:00Z"))
    settings.store.reset()
    assert settings.now_for(None) == START


def test_the_id_seed_is_per_tenant_then_global_then_configured(settings):
    assert settings.seed_for(A) == (1, "config")
    settings.set_seed(None, 2)
    settings.set_seed(A, 3)
    assert settings.seed_for(B) == (2, "global") and settings.seed_for(A) == (3, "tenant")


def test_the_start_seed_is_drawn_once_per_sandbox_not_per_process():
    store = MemoryStore()
    first = Settings(store, ClockSetting(), start_seed=11)
    second = Settings(store, ClockSetting(), start_seed=22)
    assert first.ensure_start_seed(11, replace=False) == 11
    assert second.ensure_start_seed(22, replace=False) == 11
    assert second.seed_for(None) == (11, "config")
    assert second.ensure_start_seed(33, replace=True) == 33
