"""Money is Decimal from request to response; this module is the one place that rounds.

Each provider serialises explicitly (double, integer minor units, decimal strings), so
nothing here knows about wire formats except the minor-unit conversion they share.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

# Enough precision that no product or sum of accepted inputs is ever rounded implicitly: a
# double spans about 1e-340 (the last digit of 5e-324) to 1e308, and Rebilly's amounts reach
# 1e12 x 1e9, so a sum of 1.5e21 and 4e-139 needs some 360 digits to stay exact.
EXACT = Context(prec=400, rounding=ROUND_HALF_UP)

# ISO 4217 minor units for the currencies whose exponent is not 2 (others default to 2).
_MINOR_UNITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0,
    "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}


def minor_units(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def to_decimal(value: object) -> Decimal:
    """Parse a JSON number or decimal string at the boundary, never via float arithmetic."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation(f"not a number: {value!r}")
    return Decimal(str(value))


def mul(a: Decimal, b: Decimal) -> Decimal:
    """Exact product (400 significant digits, far beyond any accepted input)."""
    return EXACT.multiply(a, b)


def total(values) -> Decimal:
    """Exact sum of an iterable of Decimals."""
    result = Decimal(0)
    for value in values:
        result = EXACT.add(result, value)
    return result


def round_to(value: Decimal, places: int) -> Decimal:
    """Round half up (commercial rounding) to a number of decimal places."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT)


def round_currency(value: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor unit."""
    return round_to(value, minor_units(currency))


def plain(value: Decimal) -> str:
    """A decimal string without exponent and without trailing zeros ("2.50" -> "2.5")."""
    if value == 0:
        return "0"
    text = format(value.normalize(EXACT), "f")
    return text


def exact_numbers(value):
    """Client JSON with every float replaced by the Decimal it was written as.

    Free-form objects (Rebilly's ``tax``, Billingrails' ``metadata``) reach handlers with
    JSON numbers parsed as floats; ``repr`` gives back the shortest text that parses to the
    same double, so nothing is lost and no float is ever stored.
    """
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {key: exact_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [exact_numbers(item) for item in value]
    return value


def json_numbers(value):
    """The reverse for output: every Decimal as a JSON number (int when whole, else double)."""
    if isinstance(value, Decimal):
        whole = int(value) if value == value.to_integral_value() else None
        return whole if whole is not None else float(value)
    if isinstance(value, dict):
        return {key: json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_numbers(item) for item in value]
    return value
