"""Pure rules: an invoice's total is the sum of its lines' amounts (integers)."""


def total(amounts: list[int]) -> int:
    return sum(amounts)
