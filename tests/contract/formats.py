"""Generated values for the string formats the billing specs use, registered on import.

* ``date-time``: RFC 3339 as the vendors write it — ``Z`` or an offset; whole seconds,
  milliseconds or microseconds — mostly at billing-plausible instants (1970-2100), a third
  anywhere in years 1-9999 so offset and calendar edge cases stay in reach.
* ``decimal`` (the OpenAPI format registry's name for a decimal in a string): an optional
  ``-``, at most 15 integer and 10 fraction digits, biased to money-like scales, with the
  spellings a parser must normalise ("2.50", "007", "-0"). A spec opts in with
  ``format: decimal`` next to its ``pattern``; the pattern still filters what is generated.
"""

from __future__ import annotations

from datetime import datetime

import schemathesis
from hypothesis import strategies as st

_PLAUSIBLE = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1))
_OFFSET_MINUTES = st.sampled_from([0, 0, 0, 60, 330, -300, -480]) | st.integers(-1439, 1439)


def rfc3339(moment: datetime, offset_minutes: int, fraction_digits: int) -> str:
    """``2024-01-31T23:59:59.123Z``; zero-padded years, which ``strftime`` does not promise."""
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")
    if fraction_digits:
        text += "." + f"{moment.microsecond:06d}"[:fraction_digits]
    if offset_minutes == 0:
        return text + "Z"
    sign, minutes = ("+" if offset_minutes > 0 else "-"), abs(offset_minutes)
    return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


DATE_TIMES = st.builds(
    rfc3339,
    st.one_of(_PLAUSIBLE, _PLAUSIBLE, st.datetimes()),
    _OFFSET_MINUTES,
    st.sampled_from([0, 0, 3, 6]),
)


def _decimal_text(negative: bool, integer: int, fraction: str) -> str:
    return ("-" if negative else "") + str(integer) + (f".{fraction}" if fraction else "")


DECIMALS = st.one_of(
    st.builds(_decimal_text, st.booleans(), st.integers(0, 10**6),
              st.sampled_from(["", "5", "25", "99", "50", "0001"])),
    st.builds(_decimal_text, st.booleans(), st.integers(0, 10**15 - 1),
              st.from_regex(r"\A[0-9]{0,10}\Z")),
    st.sampled_from(["0", "-0", "0.0", "007", "2.50", "999999999999999.9999999999"]),
)


schemathesis.openapi.format("date-time", DATE_TIMES)
schemathesis.openapi.format("decimal", DECIMALS)
