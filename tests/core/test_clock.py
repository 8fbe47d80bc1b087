from datetime import datetime, timezone

import pytest

from invoice_sandbox.core.clock import iso_micros, iso_millis, iso_seconds, parse_instant

INSTANT = datetime(2024, 1, 24, 16, 37, 44, 958601, tzinfo=timezone.utc)


@pytest.mark.parametrize("text", ["2024-01-01T02:00:00+02:00", "2024-01-01T00:00:00", "2024-01-01T00:00:00z"])
def test_instants_are_normalised_to_utc(text):
    assert parse_instant(text) == datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_vendor_timestamp_formats():
    assert iso_seconds(INSTANT) == "2024-01-24T16:37:44Z"
    assert iso_millis(INSTANT) == "2024-01-24T16:37:44.958Z"
    assert iso_micros(INSTANT) == "2024-01-24T16:37:44.958601Z"
    assert iso_micros(INSTANT.replace(microsecond=0)) == "2024-01-24T16:37:44Z"
