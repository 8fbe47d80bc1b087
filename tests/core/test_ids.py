from datetime import datetime, timezone

from invoice_sandbox.core.ids import ALPHANUMERIC, CROCKFORD, IdSource

INSTANT = datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_ids_are_a_pure_function_of_seed_namespace_and_number():
    assert IdSource(1).chars("a", 1, ALPHANUMERIC, 10) == IdSource(1).chars("a", 1, ALPHANUMERIC, 10)
    assert IdSource(1).chars("a", 1, ALPHANUMERIC, 10) != IdSource(2).chars("a", 1, ALPHANUMERIC, 10)
    assert IdSource(1).chars("a", 1, ALPHANUMERIC, 10) != IdSource(1).chars("b", 1, ALPHANUMERIC, 10)
    assert IdSource(1).chars("a", 1, ALPHANUMERIC, 10) != IdSource(1).chars("a", 2, ALPHANUMERIC, 10)


def test_ulids_are_26_crockford_characters_led_by_the_time():
    ulid = IdSource(1).ulid("ns", 1, INSTANT)
    assert len(ulid) == 26 and set(ulid) <= set(CROCKFORD)
    assert ulid[:10] == IdSource(2).ulid("ns", 1, INSTANT)[:10]
    assert ulid[:10] < IdSource(1).ulid("ns", 1, datetime(2025, 1, 1, tzinfo=timezone.utc))[:10]


def test_ids_do_not_collide_across_many_numbers():
    source = IdSource(7)
    ids = {source.chars("ns", n, ALPHANUMERIC, 10) for n in range(20_000)}
    assert len(ids) == 20_000
