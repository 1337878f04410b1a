"""Where a digest goes: one small interface, `Sender.send(message) -> Result`, and its two adapters.

- `DingTalkSender`: a 钉钉 custom group robot (自定义机器人) webhook, markdown message, signed (加签):
  sign = URL-encode(Base64(HMAC-SHA256(key = secret, message = f"{timestamp}\\n{secret}"))), timestamp in ms, appended
  to the webhook as `&timestamp=…&sign=…`; DingTalk rejects a timestamp more than an hour off. A robot takes at most
  20 messages a minute (`RateLimit`), so each run sends one merged message per group.
- `EmailSender`: SMTP with STARTTLS (certificate and host name checked), optional login, the PDF brief attached on
  the monthly run.

Next adapter (not built): 浙政钉 工作通知 (the provincial government DingTalk, 专有钉钉 open platform: an app's
access token, then 工作通知 to a list of employee codes). Its limits shape the adapter: the same content is
delivered to a person once a day (identical messages are dropped, so the digest's date belongs in its text), and an
app may send a person at most 100 messages a day; the merged daily digest stays far below both. It would be
`ZwdingSender(app_key, app_secret, tenant_id, agent_id, employee_codes)` implementing the same `send`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol


@dataclass(frozen=True)
class Message:
    """One digest for one channel of one recipient group."""

    group: str
    title: str
    body: str  # markdown (钉钉) or plain text (email)
    attachments: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str


class Sender(Protocol):
    channel: str

    def send(self, message: Message) -> Result: ...


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """加签: Base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded as the webhook wants it."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(webhook: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook with `timestamp` and `sign` appended (no signature without a secret)."""
    if not secret:
        return webhook
    ts = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    sep = "&" if urllib.parse.urlsplit(webhook).query else "?"
    return f"{webhook}{sep}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"


@dataclass
class RateLimit:
    """At most `count` sends in any `seconds` window (a DingTalk robot: 20 a minute); `wait` sleeps as needed."""

    count: int = 20
    seconds: float = 60.0
    sent: deque = field(default_factory=deque)

    def wait(self, clock=time.monotonic, sleep=time.sleep) -> None:
        now = clock()
        while self.sent and now - self.sent[0] >= self.seconds:
            self.sent.popleft()
        if len(self.sent) >= self.count:
            sleep(self.seconds - (now - self.sent[0]))
            self.sent.popleft()
        self.sent.append(clock())


_LIMITS: dict[str, RateLimit] = {}


class DingTalkSender:
    channel = "dingtalk"

    def __init__(self, webhook: str, secret: str = "", timeout: float = 10.0):
        self.webhook, self.secret, self.timeout = webhook, secret, timeout
        self.limit = _LIMITS.setdefault(webhook, RateLimit())

    def send(self, message: Message) -> Result:
        payload = {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.body}}
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.limit.wait()
        request = urllib.request.Request(
            signed_url(self.webhook, self.secret),
            data=data,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as exc:
            return Result(False, f"钉钉接口返回 HTTP {exc.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return Result(False, f"无法连接钉钉接口：{getattr(exc, 'reason', exc)}")
        except json.JSONDecodeError:
            return Result(False, "钉钉接口返回的不是 JSON")
        if answer.get("errcode", 0) != 0:
            return Result(False, f"钉钉拒绝：errcode {answer.get('errcode')} {answer.get('errmsg', '')}".strip())
        return Result(True, "钉钉已接收")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    username: str = ""
    password: str = ""
    sender: str = ""
    starttls: bool = True
    cafile: str = ""  # a CA bundle for a server whose certificate the system does not trust
    timeout: float = 20.0


class EmailSender:
    channel = "email"

    def __init__(self, smtp: SmtpSettings, recipients: list[str]):
        self.smtp, self.recipients = smtp, list(recipients)

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = self.smtp.sender or self.smtp.username
        mail["To"] = ", ".join(self.recipients)
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(domain="cockpit.local")
        mail.set_content(message.body, charset="utf-8")
        for name, data in message.attachments:
            mail.add_attachment(
                data, maintype="application", subtype="pdf" if name.endswith(".pdf") else "octet-stream", filename=name
            )
        return mail

    def send(self, message: Message) -> Result:
        s = self.smtp
        try:
            with smtplib.SMTP(s.host, s.port, timeout=s.timeout) as client:
                client.ehlo()
                if s.starttls:
                    context = ssl.create_default_context(cafile=s.cafile or None)
                    client.starttls(context=context)
                    client.ehlo()
                if s.username:
                    client.login(s.username, s.password)
                refused = client.send_message(self.compose(message))
        except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
            return Result(False, f"邮件发送失败：{type(exc).__name__} {exc}")
        if refused:
            return Result(False, f"以下收件人被拒收：{', '.join(refused)}")
        return Result(True, f"邮件已发送给 {len(self.recipients)} 人")
