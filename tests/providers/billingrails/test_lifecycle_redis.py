"""The lifecycle on the Redis store: same answers as in memory (item order after an update,
a payment's amounts, overdue from the clock), since the transitions are read-modify-writes."""

import pytest

from invoice_sandbox.testing.redis_server import RedisServer, redis_server_binary
from tests.conftest import make_app

from .conftest import DAY, DRAFT, KEY, advance_clock, get_invoice, issue, pay, update


@pytest.fixture(scope="module")
def redis_url():
    binary = redis_server_binary()
    if binary is None:
        pytest.skip("redis-server is not installed")
    with RedisServer(binary=binary) as server:
        yield server.url


def test_update_issue_pay_and_overdue_agree_with_the_memory_store(redis_url):
    answers = []
    for store in (None, redis_url):
        with make_app(store=store, providers=("billingrails",)).test_client() as client:
            auth = {"Authorization": f"Bearer {KEY}"}
            client.post("/_sandbox/reset")
            kept = get_invoice(client, auth).json()["invoice"]["items"][0]["id"]
            updated = update(client, auth, line_items=[
                {"name": "Seats", "quantity": 3, "unit_amount": 1999},
                {"id": kept, "quantity": 2}]).json()
            issued = issue(client, auth).json()
            advance_clock(client, 31 * DAY)
            overdue = get_invoice(client, auth).json()["invoice"]["status"]
            paid = pay(client, auth, DRAFT).json()
            answers.append((updated, issued, overdue, paid,
                            get_invoice(client, auth).json()))
    assert answers[0] == answers[1]
    updated, _, overdue, paid, final = answers[1]
    assert [i["id"] for i in updated["invoice"]["items"]][0] == kept
    assert overdue == "overdue" and paid["payment"]["amount"] == 2000 + 5997
    assert final["invoice"]["status"] == "paid"
