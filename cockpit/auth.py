"""Admin gate: a salted PBKDF2 password hash, constant-time comparison, a lockout after failures.

The hash comes from $COCKPIT_ADMIN_PASSWORD_HASH or `.streamlit/secrets.toml` ([admin] password_hash).
Make one with:  python -m cockpit.auth   (asks for the password twice, prints the line to paste)
While no hash is configured, admin features refuse to work.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass, field

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


@dataclass
class Lockout:
    """After `max_failures` wrong passwords within `window` seconds, refuse all logins for `duration`.

    Process-wide (not per browser session), so opening new sessions does not reset it.
    """

    max_failures: int = 5
    window: float = 900.0
    duration: float = 300.0
    _failures: list[float] = field(default_factory=list)
    _locked_until: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked_for(self, now: float | None = None) -> float:
        now = time.time() if now is None else now
        return max(0.0, self._locked_until - now)

    def attempt(self, ok: bool, now: float | None = None) -> bool:
        """Record an attempt; returns whether it is accepted (correct and not locked)."""
        now = time.time() if now is None else now
        with self._lock:
            if self._locked_until > now:
                return False
            if ok:
                self._failures.clear()
                return True
            self._failures = [t for t in self._failures if now - t < self.window] + [now]
            if len(self._failures) >= self.max_failures:
                self._locked_until = now + self.duration
                self._failures.clear()
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
    print("把下面一行写入 .streamlit/secrets.toml 的 [admin] 段（或设为环境变量 "
          f"{ENV}）：\npassword_hash = \"{line}\"")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
