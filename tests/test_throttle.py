"""Login throttling slows attackers down without keeping the owner out, counted atomically and by the
case-folded email; parallel bursts get exactly the free tries."""

import threading
from datetime import timedelta

from assess.core import accounts
from assess.core.limits import Counter, Throttle, Window, wait_words
from assess.store import limits
from assess.web.database import get_db
from tests.conftest import ADMIN, PASSWORD, add_user, soup

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def attempt(app, email, password, environ, client=None):
    return (client or app.test_client()).post(
        "/login", data={"email": email, "password": password}, environ_base=environ
    )


def test_the_owner_gets_in_while_an_attacker_keeps_failing(app):
    for _ in range(60):
        attempt(app, ADMIN[0], "wrong guess", ATTACKER)
    assert attempt(app, ADMIN[0], "wrong guess", ATTACKER).status_code == 429
    assert attempt(app, ADMIN[0], ADMIN[1], ATTACKER).status_code == 429  # the attacker is slowed, right or not
    assert attempt(app, ADMIN[0], ADMIN[1], OWNER).status_code == 302  # the owner is not


def test_the_delay_grows_and_is_capped(app, monkeypatch):
    now = accounts.utcnow()
    rule = accounts.LOGIN_PER_CLIENT
    counter = Counter("k", rule.free, now, now)
    assert rule.wait(counter, now) == timedelta(seconds=30)
    assert rule.wait(Counter("k", rule.free + 3, now, now), now) == timedelta(seconds=240)
    assert rule.wait(Counter("k", 10**9, now, now), now) == rule.max_delay
    assert rule.wait(Counter("k", 10**9, now, now), now + rule.forget_after + timedelta(seconds=1)) == timedelta(0)
    assert rule.wait(Counter("k", rule.free - 1, now, now), now) == timedelta(0)


def test_after_the_wait_the_right_password_works_again(app, monkeypatch):
    for _ in range(accounts.LOGIN_PER_CLIENT.free):
        assert attempt(app, ADMIN[0], "wrong", ATTACKER).status_code == 400
    assert attempt(app, ADMIN[0], ADMIN[1], ATTACKER).status_code == 429
    later = accounts.utcnow() + timedelta(seconds=31)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert attempt(app, ADMIN[0], ADMIN[1], ATTACKER).status_code == 302


def test_a_non_ascii_capital_in_the_email_is_throttled_like_the_lower_case(app, monkeypatch):
    frozen = accounts.utcnow()  # the wait told is then exactly the first delay, however slow the run
    monkeypatch.setattr(accounts, "utcnow", lambda: frozen)
    add_user(app, "müller@example.com")
    for spelling in (
        "MÜLLER@example.com",
        "Müller@Example.com",
        "müller@example.com ",
        "MÜLLER@EXAMPLE.COM",
        "müller@example.com",
    ):
        assert attempt(app, spelling, "wrong", ATTACKER).status_code == 400
    response = attempt(app, "MÜLLER@example.com", "wrong", ATTACKER)
    assert response.status_code == 429
    assert "Too many failed attempts: wait 30 seconds before trying again." in soup(response).text


def test_a_parallel_burst_gets_exactly_the_free_tries(app):
    """30 wrong passwords at once from one client: each is counted before its password is checked."""
    statuses = []
    start = threading.Barrier(30)

    def guess():
        client = app.test_client()
        start.wait()
        statuses.append(attempt(app, ADMIN[0], "wrong guess", ATTACKER, client).status_code)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [400] * accounts.LOGIN_PER_CLIENT.free + [429] * (30 - accounts.LOGIN_PER_CLIENT.free)


def test_many_addresses_failing_on_one_account_hold_back_only_themselves(app):
    """A spread-out attack: each address that failed on the account waits once the account has many
    failures; an address that never failed on it is let through."""
    for i in range(accounts.LOGIN_PER_ACCOUNT.free):
        assert attempt(app, ADMIN[0], "wrong", {"REMOTE_ADDR": f"192.0.2.{i}"}).status_code == 400
    assert attempt(app, ADMIN[0], ADMIN[1], {"REMOTE_ADDR": "192.0.2.1"}).status_code == 429
    assert attempt(app, ADMIN[0], ADMIN[1], OWNER).status_code == 302


def test_one_address_spraying_many_accounts_is_slowed(app):
    for i in range(accounts.LOGIN_PER_ADDRESS.free):
        assert attempt(app, f"guess{i}@example.com", "wrong", ATTACKER).status_code == 400
    assert attempt(app, "another@example.com", "wrong", ATTACKER).status_code == 429
    assert attempt(app, "another@example.com", "wrong", OWNER).status_code == 400


def test_a_right_password_takes_back_its_count(app):
    for i in range(100):
        add_user(app, f"room{i}@example.com")
    for i in range(100):  # a room behind one address, everyone right: nothing accumulates
        assert attempt(app, f"room{i}@example.com", PASSWORD, ATTACKER).status_code == 302
    with app.app_context():
        counters = limits.get_counters(get_db(), [f"login-address {ATTACKER['REMOTE_ADDR']}"])
    assert [c.count for c in counters.values()] == [0]


def test_window_counts_from_its_first_event():
    now = accounts.utcnow()
    rule = Window(3, timedelta(minutes=10))
    assert rule.wait(Counter("k", 2, now, now), now) == timedelta(0)
    assert rule.wait(Counter("k", 3, now, now), now + timedelta(minutes=4)) == timedelta(minutes=6)
    assert rule.current(Counter("k", 3, now, now), now + timedelta(minutes=10)) == 0


def test_wait_words():
    assert wait_words(timedelta(seconds=1)) == "1 second"
    assert wait_words(timedelta(seconds=30)) == "30 seconds"
    assert wait_words(timedelta(minutes=15)) == "15 minutes"
    assert Throttle(1, timedelta(seconds=1), timedelta(seconds=2), timedelta(days=1)).wait(
        None, accounts.utcnow()
    ) == timedelta(0)
