"""Admin gate: a salted PBKDF2 password hash, constant-time comparison, a lockout per client address.

The hash comes from $COCKPIT_ADMIN_PASSWORD_HASH or `.streamlit/secrets.toml` ([admin] password_hash).
Make one with:  python -m cockpit.app.auth   (asks for the password twice, prints the line to paste)
While no hash is configured, admin features refuse to work.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from cockpit.data import opstate

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 200_000
ENV = "COCKPIT_ADMIN_PASSWORD_HASH"


def make_hash(password: str, *, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """'pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>'."""
    if not password:
        raise ValueError("密码不能为空")
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), iterations)
    return f"{ALGORITHM}${iterations}${salt}${digest.hex()}"


def verify(password: str, stored: str) -> bool:
    """Constant-time check of a password against a stored hash; malformed hashes never match."""
    try:
        algorithm, iterations, salt, expected = stored.split("$")
        if algorithm != ALGORITHM:
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)


LOCAL = "本机"  # this machine (loopback), or no address known
LOCKOUT_DDL = """
create table if not exists auth_failures (subject text not null, at real not null);
create index if not exists auth_failures_subject on auth_failures (subject, at);
create table if not exists auth_locks (subject text primary key, until real not null);
create table if not exists auth_known (account text not null, address text not null, at real not null,
                                       primary key (account, address))
"""


@dataclass(frozen=True)
class LockoutRule:
    """`max_failures` wrong passwords within `window` seconds lock for `duration` seconds."""

    max_failures: int = 5
    window: float = 900.0
    duration: float = 300.0


def lockout_rule() -> LockoutRule:
    """config/rules.toml [login]: max_failures, window_minutes, lock_minutes (defaults 5, 15, 5)."""
    from cockpit.data.config import rules_section

    raw = rules_section("login")
    return LockoutRule(
        max_failures=max(1, int(raw.get("max_failures", 5))),
        window=60.0 * float(raw.get("window_minutes", 15)),
        duration=60.0 * float(raw.get("lock_minutes", 5)),
    )


def address_key(ip: str | None) -> str:
    """The client a failure is counted against: the IPv4 address (also when written IPv4-mapped), the /64
    network of an IPv6 address (one household or office rotates addresses inside it), LOCAL for none."""
    if not ip:
        return LOCAL
    try:
        address = ipaddress.ip_address(str(ip).strip().strip("[]"))
    except ValueError:
        return str(ip)[:64]
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return LOCAL
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class Lockout:
    """Wrong passwords counted per client address — and per account when there are accounts — in the data
    directory's state database (`cockpit.data.opstate`), so a restart keeps a lock and every server process on the
    same directory shares it.

    A lock on one address never stops another address: a viewer guessing from their own machine cannot lock the
    admin out of theirs. An account key (when `account` is given) adds a lock over all addresses for an account
    under attack from many addresses, except for addresses that have logged into that account before.
    """

    def __init__(self, directory: Path, rule: LockoutRule | None = None) -> None:
        self.directory = Path(directory)
        self.rule = rule or lockout_rule()

    @staticmethod
    def _subjects(con, address: str, account: str | None) -> list[str]:
        subjects = [f"address:{address}"]
        if (
            account is not None
            and not con.execute(
                "select 1 from auth_known where account = ? and address = ?", (account, address)
            ).fetchone()
        ):
            subjects.append(f"account:{account}")
        return subjects

    @staticmethod
    def _wait(con, subjects: list[str], now: float) -> float:
        marks = ",".join("?" * len(subjects))
        until = con.execute(f"select max(until) from auth_locks where subject in ({marks})", subjects).fetchone()[0]
        return max(0.0, (until or 0.0) - now)

    def locked_for(self, address: str, account: str | None = None, now: float | None = None) -> float:
        """Seconds until `address` (and `account`) may try again; 0 when not locked."""
        now = time.time() if now is None else now
        with opstate.connect(self.directory) as con:
            opstate.ensure(con, LOCKOUT_DDL)
            return self._wait(con, self._subjects(con, address, account), now)

    def attempt(self, ok: bool, address: str, account: str | None = None, now: float | None = None) -> bool:
        """Record one login attempt (`ok` = the password was right); whether it is accepted (right and not
        locked). One transaction: concurrent attempts are counted one after the other."""
        now = time.time() if now is None else now
        rule = self.rule
        with opstate.connect(self.directory) as con:
            opstate.ensure(con, LOCKOUT_DDL)
            con.execute("delete from auth_locks where until <= ?", (now,))
            con.execute("delete from auth_failures where at <= ?", (now - rule.window,))
            subjects = self._subjects(con, address, account)
            if self._wait(con, subjects, now) > 0:
                return False
            if ok:
                con.executemany("delete from auth_failures where subject = ?", [(s,) for s in subjects])
                if account is not None:
                    con.execute("insert or replace into auth_known values (?, ?, ?)", (account, address, now))
                return True
            for subject in subjects:
                con.execute("insert into auth_failures values (?, ?)", (subject, now))
                failures = con.execute("select count(*) from auth_failures where subject = ?", (subject,)).fetchone()[0]
                if failures >= rule.max_failures:
                    con.execute("insert or replace into auth_locks values (?, ?)", (subject, now + rule.duration))
                    con.execute("delete from auth_failures where subject = ?", (subject,))
            return False


def configured_hash(secrets_mapping=None) -> str | None:
    """The admin password hash from the environment or Streamlit secrets (None when not set)."""
    value = os.environ.get(ENV)
    if value:
        return value
    try:
        if secrets_mapping is None:
            import streamlit as st

            secrets_mapping = st.secrets
        return secrets_mapping["admin"]["password_hash"] or None
    except Exception:  # no secrets file, no [admin] section
        return None


def main() -> int:
    first = getpass.getpass("管理员密码：")
    if first != getpass.getpass("再输入一次："):
        print("两次输入不一致")
        return 1
    line = make_hash(first)
    print(f'把下面一行写入 .streamlit/secrets.toml 的 [admin] 段（或设为环境变量 {ENV}）：\npassword_hash = "{line}"')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
