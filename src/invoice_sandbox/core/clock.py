"""Time as the sandbox speaks it: the system clock, RFC 3339 parsing, and each vendor's format.

Which instant a request sees (frozen, offset, per tenant) is a setting kept in the store
(``tenancy/settings.py``); this module stays pure."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def parse_instant(text: str) -> datetime:
    """Parse an RFC 3339 date-time; a naive value is taken as UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def _whole_seconds(utc: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS`` (formatted field by field: ``strftime`` is several times slower,
    and glibc's ``%Y`` gives "300" for the year 300)."""
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
            f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}")


@lru_cache(maxsize=256)
def iso_seconds(instant: datetime) -> str:
    """2024-01-01T00:00:00Z (Rebilly)."""
    return _whole_seconds(instant.astimezone(timezone.utc)) + "Z"


@lru_cache(maxsize=256)
def iso_millis(instant: datetime) -> str:
    """2024-01-01T00:00:00.000Z (Billingrails)."""
    utc = instant.astimezone(timezone.utc)
    return _whole_seconds(utc) + f".{utc.microsecond // 1000:03d}Z"


@lru_cache(maxsize=256)
def iso_micros(instant: datetime) -> str:
    """2024-01-24T16:37:44.958601Z, or ...:00Z on a whole second (the line-items API)."""
    utc = instant.astimezone(timezone.utc)
    if utc.microsecond:
        return _whole_seconds(utc) + f".{utc.microsecond:06d}Z"
    return _whole_seconds(utc) + "Z"
