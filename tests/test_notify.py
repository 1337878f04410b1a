"""Delivery of the warning digest against real receivers started here: an HTTP server that checks 钉钉's 加签,
timestamp window and JSON as DingTalk does, and an SMTP server (aiosmtpd) that requires STARTTLS with a self-signed
certificate made by openssl. Dedupe across runs, retry after a 500, the outbox keeping what failed, dry runs."""

import base64
import datetime as dt
import email
import hashlib
import hmac
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import ROOT

from cockpit.data.db import SAMPLE_DIR
from cockpit.data.store import ensure_working_dir
from cockpit.report import notify
from cockpit.report.notify_senders import RateLimit, SmtpSettings, signed_url

TODAY = dt.date(2024, 10, 25)  # data through September are on time: no freshness warnings
SECRET = "SEC0123456789abcdef"
BASE = "http://cockpit.test"


class DingTalk:
    """A 钉钉 custom robot: POST /robot/send?access_token=…&timestamp=…&sign=…, JSON markdown body.

    Answers {"errcode": 0} when the signature is HMAC-SHA256(secret, "timestamp\\nsecret") in Base64, the timestamp
    within an hour of now and the JSON a markdown message; errcode 310000 otherwise; HTTP 500 for the first
    `fail_first` requests."""

    def __init__(self, secret: str = SECRET, fail_first: int = 0):
        self.secret, self.fail_first = secret, fail_first
        self.received: list[dict] = []
        self.rejected: list[str] = []
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                outer.requests += 1
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if outer.requests <= outer.fail_first:
                    return self._answer(500, {"errmsg": "server busy"})
                problem = outer.check(self.path, self.headers.get("Content-Type", ""), body)
                if problem:
                    outer.rejected.append(problem)
                    return self._answer(200, {"errcode": 310000, "errmsg": problem})
                outer.received.append(json.loads(body))
                self._answer(200, {"errcode": 0, "errmsg": "ok"})

            def _answer(self, code, payload):
                data = json.dumps(payload).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=tok"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def check(self, path: str, content_type: str, body: bytes) -> str:
        query = parse_qs(urlsplit(path).query)
        if query.get("access_token") != ["tok"]:
            return "access_token"
        try:
            ts = int(query["timestamp"][0])
            sign = query["sign"][0]
        except (KeyError, ValueError):
            return "missing timestamp or sign"
        if abs(time.time() * 1000 - ts) > 3600 * 1000:
            return "timestamp outside the hour"
        want = base64.b64encode(
            hmac.new(self.secret.encode(), f"{ts}\n{self.secret}".encode(), hashlib.sha256).digest()
        ).decode()
        if sign != want:
            return "sign not match"
        if not content_type.startswith("application/json"):
            return "content type"
        try:
            msg = json.loads(body.decode("utf-8"))
        except ValueError:
            return "not json"
        md = msg.get("markdown", {})
        if msg.get("msgtype") != "markdown" or not isinstance(md.get("title"), str) or not md.get("text"):
            return "not a markdown message"
        return ""

    def close(self):
        self.server.shutdown()


@pytest.fixture()
def robot():
    server = DingTalk()
    yield server
    server.close()


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A working copy of the sample data (the state database is made per test in `state`)."""
    directory = tmp_path_factory.mktemp("notify-data")
    ensure_working_dir(directory, SAMPLE_DIR)
    return directory


@pytest.fixture()
def data(work, tmp_path):
    """The sample data with a fresh state database: a copy of the parquet files, no state.sqlite."""
    import shutil

    directory = tmp_path / "data"
    shutil.copytree(work, directory, ignore=shutil.ignore_patterns("state.sqlite*"))
    return directory


def settings(webhook: str = "", secret: str = SECRET, emails=(), smtp=None, **kw) -> notify.Settings:
    group = notify.Group(
        "管委会领导", min_severity="较重", dingtalk_webhook=webhook, dingtalk_secret=secret, emails=tuple(emails)
    )
    return notify.Settings(groups=(group,), base_url=BASE, smtp=smtp, backoff_seconds=0.01, **kw)


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def run(directory, s, today=TODAY, **kw):
    sleeps = Sleeps()
    report = notify.run(directory, s, today=today, sleep=sleeps, log=lambda *_: None, **kw)
    return report, sleeps


def test_dingtalk_digest_is_signed_and_received(data, robot):
    """Test one run: one signed markdown message for the group (its warnings of 较重 and above, 3—5 headline figures,
    links into the app), accepted by the robot; the outbox row is sent."""
    report, _ = run(data, settings(robot.url))
    assert (report.delivered, report.failed) == (1, 0) and not robot.rejected
    [msg] = robot.received
    title, text = msg["markdown"]["title"], msg["markdown"]["text"]
    assert title.startswith("【预警日报】开化经开区 2024年1—9月：严重 7 条，较重 16 条")
    assert "截至2024年1—9月数据，管委会领导：新增 23 条" in text
    assert text.count("\n- ") >= 3 + 23 and "规上工业产值 103.93 亿元，同比 +6.7%（同口径）" in text
    assert f"[定位]({BASE}/safety?year=2024&month=1%E2%80%949%E6%9C%88&hazard=YH20240365)" in text
    assert f"({BASE}/alerts)" in text and "【一般" not in text
    box = notify.outbox(data)
    assert box[["channel", "status", "attempts"]].values.tolist() == [["dingtalk", "sent", 1]]


def test_a_timestamp_older_than_an_hour_is_refused_by_the_robot(robot):
    """Test that the receiver really checks the window: the right signature on a timestamp 61 minutes old fails."""
    import urllib.request

    old = int(time.time() * 1000) - 61 * 60 * 1000
    body = json.dumps({"msgtype": "markdown", "markdown": {"title": "t", "text": "x"}}).encode()
    req = urllib.request.Request(
        signed_url(robot.url, SECRET, old), data=body, headers={"Content-Type": "application/json"}
    )
    assert json.loads(urllib.request.urlopen(req).read())["errcode"] == 310000
    assert robot.rejected == ["timestamp outside the hour"]


def test_the_same_warning_is_not_sent_twice_a_day(data, robot):
    """Test dedupe: a second run the same day sends nothing; the next day the still-open warnings go out again."""
    first, _ = run(data, settings(robot.url))
    second, _ = run(data, settings(robot.url))
    assert (first.delivered, len(second.digests), len(robot.received)) == (1, 0, 1)
    third, _ = run(data, settings(robot.url), today=TODAY + dt.timedelta(days=1))
    assert third.delivered == 1 and len(robot.received) == 2
    text = robot.received[1]["markdown"]["text"]
    assert "新增 0 条，仍未办结 23 条" in text


def test_a_500_is_retried_with_backoff(data):
    """Test that the robot answering HTTP 500 first is retried after the backoff and the digest then delivered,
    each attempt in the delivery log."""
    robot = DingTalk(fail_first=1)
    try:
        report, sleeps = run(data, settings(robot.url))
    finally:
        robot.close()
    assert (report.delivered, robot.requests, len(robot.received)) == (1, 2, 1)
    assert sleeps == [0.01]
    from cockpit.domain.alerts_state import connect

    with connect(data, notify.DDL) as con:
        log = [(r["attempt"], r["ok"], r["detail"]) for r in con.execute("select * from alert_delivery_log")]
    assert log == [(1, 0, "钉钉接口返回 HTTP 500"), (2, 1, "钉钉已接收")]


def test_a_failed_digest_stays_in_the_outbox_until_delivered(data):
    """Test a robot refusing the signature (wrong secret): three attempts with backoff 1×, 2×, then the digest stays
    pending with the error; the next run, with the right secret, delivers that same digest and queues no other."""
    robot = DingTalk(secret="SECother")
    try:
        report, sleeps = run(data, settings(robot.url))
        assert (report.delivered, report.failed, sleeps) == (0, 1, [0.01, 0.02])
        box = notify.outbox(data)
        assert box[["status", "attempts"]].values.tolist() == [["pending", 3]]
        assert "310000" in box["last_error"].iloc[0]
        robot.secret = SECRET
        later = dt.datetime.now() + dt.timedelta(seconds=1)
        while dt.datetime.now() < later:  # the retry is due backoff × 2^retries = 0.08 s later
            time.sleep(0.05)
        report, _ = run(data, settings(robot.url))
    finally:
        robot.close()
    assert (report.delivered, len(report.digests), len(robot.received)) == (1, 0, 1)
    assert notify.outbox(data)[["status", "attempts"]].values.tolist() == [["sent", 4]]


def test_dry_run_sends_and_records_nothing(data, robot):
    """Test that --dry-run builds the digest but neither sends it nor leaves any state behind."""
    report, _ = run(data, settings(robot.url), dry_run=True)
    assert len(report.digests) == 1 and not robot.received
    assert not (data / "state.sqlite").exists()


def test_rate_limit_keeps_twenty_a_minute():
    """Test the robot limit: the 21st send within a minute waits until the first is a minute old."""
    clock = [0.0]
    waits = []
    limit = RateLimit(20, 60.0)
    for _ in range(21):
        limit.wait(clock=lambda: clock[0], sleep=lambda s: (waits.append(s), clock.__setitem__(0, clock[0] + s)))
        clock[0] += 1.0
    assert waits == [40.0]


# ---------------------------------------------------------------------------------------- email
@pytest.fixture(scope="module")
def smtp_server(tmp_path_factory):
    """aiosmtpd on localhost requiring STARTTLS (self-signed certificate from openssl) and a login."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
    from browser import free_port

    folder = tmp_path_factory.mktemp("smtp-tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Inbox:
        def __init__(self):
            self.mails = []

        async def handle_DATA(self, server, session, envelope):
            self.mails.append(
                {
                    "tls": session.ssl is not None,
                    "from": envelope.mail_from,
                    "to": envelope.rcpt_tos,
                    "data": envelope.content,
                }
            )
            return "250 OK"

    def login(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"cockpit", b"pw")
        return AuthResult(success=ok)

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=login,
        auth_require_tls=True,
    )
    controller.start()
    yield (
        inbox,
        SmtpSettings(
            host="127.0.0.1", port=port, username="cockpit", password="pw", sender="cockpit@kh.test", cafile=str(cert)
        ),
    )
    controller.stop()


def test_monthly_email_over_starttls_carries_the_pdf_brief(data, smtp_server):
    """Test the monthly run by email: STARTTLS with the certificate checked, login, the digest as text and the
    month's PDF brief attached."""
    inbox, smtp = smtp_server
    before = len(inbox.mails)
    report, _ = run(data, settings(emails=["leader@kh.test"], smtp=smtp), monthly=True)
    assert (report.delivered, report.failed) == (1, 0)
    [mail] = inbox.mails[before:]
    assert mail["tls"] and mail["to"] == ["leader@kh.test"] and mail["from"] == "cockpit@kh.test"
    msg = email.message_from_bytes(mail["data"], policy=email.policy.default)
    assert str(msg["Subject"]).startswith("【预警月报】开化经开区 2024年1—9月")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "主要指标" in body and f"{BASE}/alerts" in body and "附件：本月会议简报（PDF）" in body
    [pdf] = [p for p in msg.iter_attachments()]
    assert pdf.get_filename() == "开化经开区会议简报_2024年1—9月.pdf"
    assert pdf.get_content().startswith(b"%PDF")


def test_email_without_starttls_is_refused(data, smtp_server):
    """Test that the server really requires STARTTLS: a sender configured without it fails and keeps the digest."""
    from dataclasses import replace

    inbox, smtp = smtp_server
    before = len(inbox.mails)
    report, _ = run(data, settings(emails=["leader@kh.test"], smtp=replace(smtp, starttls=False)))
    assert (report.delivered, report.failed, len(inbox.mails)) == (0, 1, before)
    assert notify.outbox(data)["status"].tolist() == ["pending"]


# ---------------------------------------------------------------------------------------- settings, CLI
def test_settings_refuse_a_group_without_a_channel():
    """Test that a group with neither webhook nor email, or email without an SMTP server, is refused in Chinese."""
    with pytest.raises(notify.SettingsError, match="既没有钉钉"):
        notify.parse_settings({"group": [{"name": "甲"}]})
    with pytest.raises(notify.SettingsError, match="没有 \\[notify.smtp\\]"):
        notify.parse_settings({"group": [{"name": "甲", "emails": ["a@b.c"]}]})


def test_cli_dry_run_prints_the_digest(data, tmp_path):
    """Test `python -m cockpit.report.notify --dry-run` with the settings file named by the environment."""
    config = tmp_path / "notify.toml"
    config.write_text(
        f'[notify]\nbase_url = "{BASE}"\n[[notify.group]]\nname = "安全生产科"\n'
        'offices = ["安全生产科"]\ndingtalk_webhook = "http://127.0.0.1:9/robot/send?access_token=x"\n'
        'dingtalk_secret = "SECx"\n',
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-m", "cockpit.report.notify", "--dry-run", "--today", "2024-10-25", "--data-dir", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "COCKPIT_NOTIFY_CONFIG": str(config)},
    )
    assert out.returncode == 0, out.stderr
    assert "===== 安全生产科 · dingtalk · 【预警日报】" in out.stdout
    assert "重大隐患（危化品" in out.stdout and "送达 0，未送达 0" in out.stdout
    assert not (data / "state.sqlite").exists()


def test_the_digest_names_who_is_responsible(data, robot):
    """Test that an item names the responsible people recorded in the data, and once 交办 the office, person and
    due date it was given (the next day's reminder)."""
    from cockpit.domain import alerts_state

    run(data, settings(robot.url))
    first = robot.received[0]["markdown"]["text"]
    assert "（责任单位：项目推进科，责任人：王晨，包联领导：周晨）" in first
    key = "hazard_major_overdue|YH20240380"
    alerts_state.assign(
        data,
        key,
        office="安全生产科",
        person="王科长",
        due=dt.date(2024, 11, 1),
        note="",
        actor="管理员",
        expected="待处理",
    )
    run(data, settings(robot.url), today=TODAY + dt.timedelta(days=1))
    line = next(x for x in robot.received[1]["markdown"]["text"].splitlines() if "YH20240380" in x)
    assert "【严重·处理中】" in line and "（承办：安全生产科 王科长，期限 2024-11-01）" in line
