"""The login lockout: per client address, persisted in the data directory's state database."""

import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT

from cockpit.app import auth

RULE = auth.LockoutRule(max_failures=3, window=60, duration=100)


def test_lockout_after_failures_and_reset_on_success(tmp_path):
    """Test that max_failures wrong passwords within the window lock the address for `duration`, that even the
    right password is refused meanwhile, and that a success resets the count."""
    lock = auth.Lockout(tmp_path, RULE)
    assert not lock.attempt(False, "192.0.2.1", now=0) and not lock.attempt(False, "192.0.2.1", now=1)
    assert lock.attempt(True, "192.0.2.1", now=2)  # success resets the count
    for t in (3, 4):
        lock.attempt(False, "192.0.2.1", now=t)
    assert lock.locked_for("192.0.2.1", now=5) == 0  # two failures since the success
    lock.attempt(False, "192.0.2.1", now=5)
    assert lock.locked_for("192.0.2.1", now=6) == pytest.approx(99)
    assert not lock.attempt(True, "192.0.2.1", now=50)  # the right password, still locked
    assert lock.attempt(True, "192.0.2.1", now=106)


def test_failures_outside_the_window_do_not_count(tmp_path):
    """Test that failures older than the window are forgotten."""
    lock = auth.Lockout(tmp_path, RULE)
    for t in (0, 30, 61, 62):  # at 62 only 61 and 62 (and 30) are inside the 60 s window → 3 → locked
        lock.attempt(False, "192.0.2.1", now=t)
    assert lock.locked_for("192.0.2.1", now=63) > 0
    lock2 = auth.Lockout(tmp_path / "b", RULE)
    for t in (0, 61, 122):  # never more than one inside a window
        lock2.attempt(False, "192.0.2.1", now=t)
    assert lock2.locked_for("192.0.2.1", now=123) == 0


def test_one_address_cannot_lock_out_another(tmp_path):
    """Test the per-address rule: a viewer's failures lock only the viewer's address; the admin on another
    address logs in, and this machine (本机) is an address of its own."""
    lock = auth.Lockout(tmp_path, RULE)
    for t in range(10):
        lock.attempt(False, "198.51.100.7", now=t)
    assert lock.locked_for("198.51.100.7", now=10) > 0
    assert lock.locked_for("192.0.2.1", now=10) == 0 and lock.attempt(True, "192.0.2.1", now=10)
    assert lock.locked_for(auth.LOCAL, now=10) == 0 and lock.attempt(True, auth.LOCAL, now=10)


def test_lock_survives_a_new_process(tmp_path):
    """Test that a lock written by one process (a server before its restart) holds in another: the state is
    in state.sqlite of the data directory, not in memory."""
    code = (
        "import sys; from cockpit.app import auth; lock = auth.Lockout(sys.argv[1], auth.LockoutRule());"
        "[lock.attempt(False, '203.0.113.5') for _ in range(5)]"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, check=True, timeout=60)
    lock = auth.Lockout(tmp_path, auth.LockoutRule())
    assert lock.locked_for("203.0.113.5") > 200  # locked for (about) 5 minutes
    assert not lock.attempt(True, "203.0.113.5")
    assert lock.attempt(True, "203.0.113.6")
    with sqlite3.connect(tmp_path / "state.sqlite") as con:
        assert con.execute("select subject from auth_locks").fetchall() == [("address:203.0.113.5",)]


@pytest.mark.parametrize(
    "ip, key",
    [
        (None, auth.LOCAL),
        ("", auth.LOCAL),
        ("127.0.0.1", auth.LOCAL),
        ("::1", auth.LOCAL),
        ("192.0.2.2", "192.0.2.2"),
        ("::ffff:192.0.2.2", "192.0.2.2"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("[2001:db8::1]", "2001:db8::/64"),
        ("not-an-ip", "not-an-ip"),
    ],
)
def test_address_key(ip, key):
    """Test the client key: IPv4 as is (also IPv4-mapped), an IPv6 client by its /64, loopback = 本机."""
    assert auth.address_key(ip) == key


def test_account_lock_spares_addresses_that_logged_in_before(tmp_path):
    """Test the account rule (for when accounts exist): failures on one account from many addresses lock that
    account for new addresses, but not for an address that has logged into it before."""
    lock = auth.Lockout(tmp_path, RULE)
    assert lock.attempt(True, "192.0.2.1", account="admin", now=0)  # the admin's usual machine
    for i, t in enumerate((1, 2, 3)):
        lock.attempt(False, f"198.51.100.{i}", account="admin", now=t)  # three attackers, one failure each
    assert lock.locked_for("198.51.100.9", account="admin", now=4) > 0  # a new address: account locked
    assert lock.locked_for("198.51.100.9", now=4) == 0  # that address itself is not
    assert lock.attempt(True, "192.0.2.1", account="admin", now=4)  # the admin's machine logs in


def test_rule_from_the_rules_file(tmp_path, monkeypatch):
    """Test that [login] of the rules file sets the rule (defaults 5 failures / 15 min → 5 min)."""
    assert auth.lockout_rule() == auth.LockoutRule(5, 900.0, 300.0)
    rules = tmp_path / "rules.toml"
    rules.write_text("[login]\nmax_failures = 3\nwindow_minutes = 1\nlock_minutes = 2\n", encoding="utf-8")
    monkeypatch.setenv("COCKPIT_RULES", str(rules))
    assert auth.lockout_rule() == auth.LockoutRule(3, 60.0, 120.0)
