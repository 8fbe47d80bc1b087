"""Rebilly's rules as pure functions: exact sums kept beside the items equal a recompute."""

from decimal import Decimal

from hypothesis import given, settings, strategies as st

from invoice_sandbox.providers.rebilly import billing


def item(unit_price: str, quantity: int = 1, discount: str = "0", kind: str = "debit",
         tax: str | None = None) -> dict:
    fields = {"type": kind, "unitPrice": Decimal(unit_price), "quantity": quantity,
              "discountAmount": Decimal(discount)}
    if tax is not None:
        fields["tax"] = {"amount": Decimal(tax)}
    return billing.item_from_request(fields, "USD")


def test_a_tiny_unit_price_next_to_a_large_discount_is_rounded_once_exactly():
    credit = item("-1.09264281614934E-151", 1497, "-641717954297.285", "credit")
    assert credit["price"] == Decimal("641717954297.28")


INVOICE = {"currency": "USD", "paidAmount": Decimal("1.50"), "shippingAmount": Decimal("2")}

amounts = st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False)
items = st.builds(
    lambda price, quantity, discount, kind, tax: item(str(price), quantity, str(discount), kind,
                                                      str(tax)),
    amounts, st.integers(-1000, 1000), amounts, st.sampled_from(["debit", "credit"]), amounts)


@settings(max_examples=60, deadline=None)
@given(st.lists(items, max_size=12), st.data())
def test_adding_replacing_and_removing_items_keeps_totals_equal_to_a_recompute(added, data):
    invoice = billing.with_sums(INVOICE, billing.NO_SUMS)
    kept = []
    for new in added:
        invoice = billing.item_changed(invoice, added=new)
        kept.append(new)
    if kept and data.draw(st.booleans()):
        old = kept.pop(data.draw(st.integers(0, len(kept) - 1)))
        invoice = billing.item_changed(invoice, removed=old)
    if kept:
        index = data.draw(st.integers(0, len(kept) - 1))
        replacement = data.draw(items)
        invoice = billing.item_changed(invoice, added=replacement, removed=kept[index])
        kept[index] = replacement
    recomputed = billing.invoice_totals(kept, "USD", INVOICE["paidAmount"],
                                        INVOICE["shippingAmount"])
    assert {name: invoice[name] for name in recomputed} == recomputed
