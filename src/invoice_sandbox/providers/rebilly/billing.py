"""Rebilly's invoice arithmetic and lifecycle rules: pure functions, no I/O, no clock.

* An item's ``price`` is ``unitPrice x quantity - discountAmount``, rounded half-up to the
  invoice currency's minor unit. Credits keep a positive price and subtract on the invoice.
* The invoice's ``subtotalAmount`` is the signed sum of items' gross amounts
  (``unitPrice x quantity``, each rounded like its price), ``discountAmount`` the signed sum of
  what each item's discount took off its rounded gross, ``taxAmount`` the signed sum of their
  ``tax.amount`` (each rounded); ``amount = subtotal - discount + tax + shipping`` and
  ``amountDue = amount - paidAmount``. So ``subtotal - discount`` is exactly the signed sum of
  the item prices a client sees: three items of 0.005 (each priced 0.01) make 0.03.

The invoice keeps these signed sums (``sums``) beside its items, so a write adds or takes away
one item's contribution instead of re-reading every item; the result is the same as a
recompute from the items (``invoice_totals``), which the tests check.
"""

from __future__ import annotations

from decimal import Decimal

from ...core.money import exact_numbers, mul, round_currency, to_decimal, total
from ...errors import Conflict

STATUSES = frozenset({
    "draft", "quotation", "unpaid", "paid", "past-due", "partially-paid", "abandoned", "voided",
    "disputed", "refunded", "partially-refunded",
})
"""Every status Rebilly documents for an invoice (fixtures may seed any of them)."""
EDITABLE_STATUSES = frozenset({"draft", "quotation", "unpaid", "past-due"})
"""Statuses in which items may be added, changed or removed (an assumption: see fidelity.md)."""

ITEM_FIELDS = (
    "type", "description", "unitPrice", "quantity", "productId", "planId", "subscriptionId",
    "discountAmount", "periodStartTime", "periodEndTime", "periodNumber", "tax",
)
_MONEY_FIELDS = ("unitPrice", "discountAmount")
SUM_NAMES = ("gross", "discount", "tax")
NO_SUMS = {name: Decimal(0) for name in SUM_NAMES}


def ensure_items_editable(invoice: dict) -> None:
    if invoice["status"] not in EDITABLE_STATUSES:
        raise Conflict(
            f"Invoice items cannot be changed while the invoice is {invoice['status']}."
        )


def item_from_request(fields: dict, currency: str) -> dict:
    """The stored form of an item's writable fields: Decimals for money, defaults filled."""
    item = {name: fields[name] for name in ITEM_FIELDS if name in fields}
    for name in _MONEY_FIELDS:
        if name in item:
            item[name] = to_decimal(item[name])
    item.setdefault("quantity", 1)
    item.setdefault("discountAmount", Decimal(0))
    if "tax" in item:
        item["tax"] = exact_numbers(item["tax"])
    item["price"] = item_price(item, currency)
    return item


def gross(item: dict) -> Decimal:
    """``unitPrice x quantity``, exact. Every operation here goes through ``money``'s exact
    context (or ``copy_negate``): Python's default context keeps 28 digits and would round a
    tiny ``unitPrice`` next to a large discount before the one rounding that is meant."""
    return mul(item["unitPrice"], Decimal(item["quantity"]))


def item_price(item: dict, currency: str) -> Decimal:
    return round_currency(total((gross(item), item["discountAmount"].copy_negate())), currency)


def contribution(item: dict, currency: str) -> dict:
    """What one item adds to the invoice's sums (credits subtract), in the currency's minor
    unit, so that the sums of the invoice agree with the item prices it shows."""
    rounded = round_currency(gross(item), currency)
    tax = round_currency(to_decimal((item.get("tax") or {}).get("amount", 0)), currency)
    amounts = {"gross": rounded,
               "discount": total((rounded, item_price(item, currency).copy_negate())),
               "tax": tax}
    if item["type"] == "credit":
        return {name: value.copy_negate() for name, value in amounts.items()}
    return amounts


def combined(sums: dict, added: dict | None = None, removed: dict | None = None) -> dict:
    """``sums`` plus one contribution and minus another, exactly."""
    return {name: total((sums[name], (added or NO_SUMS)[name],
                         (removed or NO_SUMS)[name].copy_negate()))
            for name in SUM_NAMES}


def totals(sums: dict, currency: str, paid: Decimal, shipping: Decimal) -> dict:
    """Every amount of an invoice from its exact sums."""
    subtotal = round_currency(sums["gross"], currency)
    discount = round_currency(sums["discount"], currency)
    tax = round_currency(sums["tax"], currency)
    amount = total((subtotal, discount.copy_negate(), tax, shipping))
    return {
        "subtotalAmount": subtotal,
        "discountAmount": discount,
        "taxAmount": tax,
        "shippingAmount": shipping,
        "amount": amount,
        "amountDue": total((amount, paid.copy_negate())),
        "paidAmount": paid,
    }


def sums_of(items: list[dict], currency: str) -> dict:
    """The invoice sums of all ``items``, from nothing."""
    sums = NO_SUMS
    for item in items:
        sums = combined(sums, added=contribution(item, currency))
    return sums


def invoice_totals(items: list[dict], currency: str, paid: Decimal, shipping: Decimal) -> dict:
    """Every amount of an invoice, recomputed from all its items."""
    return totals(sums_of(items, currency), currency, paid, shipping)


def with_sums(invoice: dict, sums: dict) -> dict:
    """The invoice holding ``sums`` and the amounts they give."""
    amounts = totals(sums, invoice["currency"], invoice["paidAmount"], invoice["shippingAmount"])
    return {**invoice, "sums": sums, **amounts}


def item_changed(invoice: dict, added: dict | None = None, removed: dict | None = None) -> dict:
    """The invoice after one item was added, removed, or (both) replaced."""
    currency = invoice["currency"]
    sums = combined(invoice["sums"], added and contribution(added, currency),
                    removed and contribution(removed, currency))
    return with_sums(invoice, sums)


def recalculated(invoice: dict, items: list[dict]) -> dict:
    """The invoice with its sums and amounts recomputed from all its items."""
    return with_sums(invoice, sums_of(items, invoice["currency"]))


def repriced(item: dict, currency: str) -> dict:
    """An item's ``price`` rounded for another currency (a draft's currency changed)."""
    return {**item, "price": item_price(item, currency)}
