"""The daily digest of warnings to 钉钉 groups and email, kept in an outbox until delivered.

    python -m cockpit.report.notify [--dry-run] [--monthly] [--today YYYY-MM-DD] [--data-dir DIR]

Each run evaluates the rules for the latest data month (`cockpit.domain.alerts`), records them in the 督办 state
(`cockpit.domain.alerts_state`), then builds ONE digest per recipient group and channel: the group's warnings that are new or
still open (待处理 / 处理中) and were not sent to it today, 3—5 headline figures and a link to the 预警 page; on
`--monthly` the email carries the month's PDF brief. A digest is written to the outbox (`alert_outbox`) together with
the dedupe rows (`alert_sent`: warning × group × channel × day) in one transaction, then delivered: each attempt is
logged (`alert_delivery_log`), a failure is retried with exponential backoff, and what still fails stays in the
outbox for the next run. Exit code 1 when something is left undelivered.

Recipients, webhooks, secrets and the SMTP server come from `.streamlit/secrets.toml` ([notify], see
`.streamlit/secrets.toml.example`) or the TOML file named by $COCKPIT_NOTIFY_CONFIG; never from the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cockpit.data.config import ROOT
from cockpit.domain import alerts, alerts_state, alerts_view
from cockpit.domain import format as fmt
from cockpit.report.notify_senders import DingTalkSender, EmailSender, Message, Result, Sender, SmtpSettings

SECRETS = ROOT / ".streamlit" / "secrets.toml"
ENV = "COCKPIT_NOTIFY_CONFIG"
MAX_ITEMS = 30  # warnings listed in one message (the rest counted, with the link)
HEADLINE = ("output", "value_added", "fai", "industrial_invest", "major_hazards_open")
STALE_CLAIM_SECONDS = 600  # a digest claimed by a run that died is taken again after this long

DDL = """
create table if not exists alert_outbox (
    id integer primary key autoincrement,
    group_name text not null,
    channel text not null,
    day text not null,
    created_at text not null,
    title text not null,
    body text not null,
    keys text not null,
    attachment_name text,
    attachment blob,
    status text not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at text not null,
    claimed_at text,
    sent_at text,
    last_error text not null default ''
);
create index if not exists alert_outbox_pending on alert_outbox (status, next_attempt_at);
create table if not exists alert_sent (
    key text not null,
    group_name text not null,
    channel text not null,
    day text not null,
    outbox_id integer not null,
    primary key (key, group_name, channel, day)
);
create table if not exists alert_delivery_log (
    id integer primary key autoincrement,
    outbox_id integer not null,
    at text not null,
    attempt integer not null,
    ok integer not null,
    detail text not null
)
"""


class SettingsError(ValueError):
    pass


# ---------------------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class Group:
    name: str
    offices: tuple[str, ...] = ()  # empty = every office
    min_severity: str = ""  # '' = every level
    dingtalk_webhook: str = ""
    dingtalk_secret: str = ""
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    groups: tuple[Group, ...]
    base_url: str = "http://localhost:8501"
    smtp: SmtpSettings | None = None
    retries: int = 3  # attempts per digest and run
    backoff_seconds: float = 2.0  # wait before attempt n+1: backoff × 2^(n−1)
    timeout_seconds: float = 10.0


def load_settings(path: Path | None = None) -> Settings:
    """[notify] of $COCKPIT_NOTIFY_CONFIG or .streamlit/secrets.toml."""
    path = Path(path or os.environ.get(ENV) or SECRETS)
    if not path.exists():
        raise SettingsError(
            f"没有推送配置：请在 {SECRETS} 中填写 [notify]（见 secrets.toml.example），或用环境变量 {ENV} 指定配置文件"
        )
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("notify")
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"推送配置 {path.name} 格式有误：{exc}") from None
    if not raw:
        raise SettingsError(f"{path} 中没有 [notify] 段")
    return parse_settings(raw)


def parse_settings(raw: dict) -> Settings:
    smtp = raw.get("smtp")
    groups = []
    for i, g in enumerate(raw.get("group", []), start=1):
        name = str(g.get("name", "")).strip()
        if not name:
            raise SettingsError(f"[[notify.group]] 第 {i} 组缺少 name")
        group = Group(
            name,
            tuple(g.get("offices", [])),
            str(g.get("min_severity", "")),
            str(g.get("dingtalk_webhook", "")),
            str(g.get("dingtalk_secret", "")),
            tuple(g.get("emails", [])),
        )
        if not group.dingtalk_webhook and not group.emails:
            raise SettingsError(f"推送组“{name}”既没有钉钉 webhook 也没有邮箱")
        if group.emails and not smtp:
            raise SettingsError(f"推送组“{name}”有邮箱，但没有 [notify.smtp] 发件服务器")
        groups.append(group)
    if not groups:
        raise SettingsError("[notify] 中没有任何推送组（[[notify.group]]）")
    return Settings(
        groups=tuple(groups),
        base_url=str(raw.get("base_url", "http://localhost:8501")).rstrip("/"),
        smtp=None
        if not smtp
        else SmtpSettings(
            host=str(smtp["host"]),
            port=int(smtp.get("port", 587)),
            username=str(smtp.get("username", "")),
            password=str(smtp.get("password", os.environ.get("COCKPIT_SMTP_PASSWORD", ""))),
            sender=str(smtp.get("sender", "")),
            starttls=bool(smtp.get("starttls", True)),
            cafile=str(smtp.get("cafile", "")),
            timeout=float(smtp.get("timeout_seconds", 20)),
        ),
        retries=int(raw.get("retries", 3)),
        backoff_seconds=float(raw.get("backoff_seconds", 2.0)),
        timeout_seconds=float(raw.get("timeout_seconds", 10.0)),
    )


def senders(group: Group, settings: Settings) -> list[Sender]:
    out: list[Sender] = []
    if group.dingtalk_webhook:
        out.append(DingTalkSender(group.dingtalk_webhook, group.dingtalk_secret, settings.timeout_seconds))
    if group.emails and settings.smtp:
        out.append(EmailSender(settings.smtp, list(group.emails)))
    return out


# ---------------------------------------------------------------------------------------- digest
@dataclass
class Digest:
    group: str
    title: str
    markdown: str
    text: str
    keys: list[str]
    attachment: tuple[str, bytes] | None = None

    def message(self, channel: str) -> Message:
        body = self.markdown if channel == "dingtalk" else self.text
        return Message(self.group, self.title, body, (self.attachment,) if self.attachment else ())


def for_group(frame: pd.DataFrame, group: Group, config: alerts.Config) -> pd.DataFrame:
    """The group's open warnings (its offices, at least its severity), worst first."""
    live = alerts_state.open_items(frame)
    if group.offices:
        live = live[live["office"].isin(group.offices) | live["assignee_office"].isin(group.offices)]
    if group.min_severity:
        live = live[[config.rank(s) <= config.rank(group.min_severity) for s in live["severity"]]]
    return alerts_view.ordered(live, config)


def _md(text: str) -> str:
    """Imported text (names, descriptions) with markdown's special characters made harmless."""
    return "".join("\\" + ch if ch in "\\`*_[]#>|~" else ch for ch in str(text))


def headline(figures: list[alerts.IndicatorFigure]) -> list[str]:
    """3—5 headline figures: value, 同比, 完成率 against 时序进度."""
    by_id = {f.indicator_id: f for f in figures}
    lines = []
    for key in HEADLINE:
        f = by_id.get(key)
        if f is None:
            continue
        parts = [f"{f.name} {f.value_text}"]
        if f.change is not None:
            parts.append(
                {
                    "pct": f"同比 {fmt.pct(f.change, signed=True)}",
                    "points": f"同比 {fmt.pp(f.change)}",
                    "diff": f"比上年同期 {f.change:+,.0f} {f.unit}",
                }[f.change_mode]
                + (f"（{f.basis}）" if f.basis else "")
            )
        if f.completion is not None:
            parts.append(
                f"完成率 {fmt.pct(f.completion)}"
                + (f"（时序进度 {fmt.pct(f.progress)}）" if f.progress is not None else "")
            )
        lines.append("，".join(parts))
    return lines


def build(
    group: Group,
    chosen: pd.DataFrame,
    *,
    zone: str,
    period: alerts.Period,
    figures: list[str],
    base_url: str,
    since: str | None,
    monthly: bool,
    config: alerts.Config,
) -> Digest:
    """One group's digest as 钉钉 markdown and as plain text (same content)."""
    new = chosen["first_seen"] > since if since else pd.Series(True, index=chosen.index)
    counts = (
        "，".join(
            f"{s} {int((chosen['severity'] == s).sum())} 条" for s in config.levels if (chosen["severity"] == s).any()
        )
        or "无"
    )
    kind = "月报" if monthly else "日报"
    title = f"【预警{kind}】{zone} {period.label}：{counts}"
    link = f"{base_url}/alerts"
    md = [
        f"### {_md(zone)} 预警{kind}（{period.today:%Y-%m-%d}）",
        f"截至{period.label}数据，{_md(group.name)}：新增 {int(new.sum())} 条，仍未办结 {int((~new).sum())} 条（{counts}）。",
        "",
    ]
    text = [
        f"{zone} 预警{kind}（{period.today:%Y-%m-%d}）",
        f"截至{period.label}数据，{group.name}：新增 {int(new.sum())} 条，仍未办结 {int((~new).sum())} 条（{counts}）。",
        "",
    ]
    if figures:
        md += ["**主要指标**", *[f"- {_md(x)}" for x in figures], ""]
        text += ["主要指标", *[f"  · {x}" for x in figures], ""]
    if len(chosen):
        md.append("**预警**")
        text.append("预警")
    for (_, r), is_new in list(zip(chosen.iterrows(), new))[:MAX_ITEMS]:
        tag = "新" if is_new else ("重开" if r["reopened"] else r["status"])
        if r["assignee_office"]:  # 交办 already: to whom and by when; else who is responsible in the data
            who = f"承办：{r['assignee_office']} {r['assignee']}".rstrip()
        else:
            who = r["duty"] or r["office"]
        due = f"，期限 {r['due_date']}" if r["due_date"] else ""
        md.append(
            f"- 【{r['severity']}·{tag}】{_md(r['subject'])}：{_md(r['figure'])}（{_md(who)}{due}）"
            f" [定位]({base_url}{r['link']})"
        )
        text.append(
            f"  · 【{r['severity']}·{tag}】{r['subject']}：{r['figure']}（{who}{due}）\n    {base_url}{r['link']}"
        )
    if len(chosen) > MAX_ITEMS:
        md.append(f"- 另有 {len(chosen) - MAX_ITEMS} 条，见驾驶舱预警页")
        text.append(f"  · 另有 {len(chosen) - MAX_ITEMS} 条，见驾驶舱预警页")
    if not len(chosen):
        md.append("今日没有需要推送的新预警或未办结预警。")
        text.append("今日没有需要推送的新预警或未办结预警。")
    md += ["", f"[打开驾驶舱预警页，交办与办结]({link})"]
    text += ["", f"驾驶舱预警页（交办与办结）：{link}"]
    if monthly:
        text.append("附件：本月会议简报（PDF）。")
    return Digest(group.name, title, "\n".join(md), "\n".join(text), list(chosen["key"]))


# ---------------------------------------------------------------------------------------- outbox
def _connect(directory: Path):
    return alerts_state.connect(directory, DDL)


def unsent(directory: Path, keys: list[str], group: str, channel: str, day: str) -> list[str]:
    """The keys not yet sent (or queued) to `group` over `channel` on `day`."""
    with _connect(directory) as con:
        done = {
            r["key"]
            for r in con.execute(
                "select key from alert_sent where group_name = ? and channel = ? and day = ?", (group, channel, day)
            )
        }
    return [k for k in keys if k not in done]


def last_digest(directory: Path, group: str) -> str | None:
    with _connect(directory) as con:
        row = con.execute("select max(created_at) as at from alert_outbox where group_name = ?", (group,)).fetchone()
    return row["at"] if row else None


def enqueue(directory: Path, digest: Digest, channel: str, day: str, now: str) -> int | None:
    """Put a digest in the outbox and mark its warnings sent for the day, in one transaction; None when another
    run queued them meanwhile (then nothing is added)."""
    with _connect(directory) as con:
        taken = (
            con.execute(
                f"select count(*) from alert_sent where group_name = ? and channel = ? and day = ? and key in "
                f"({', '.join('?' * len(digest.keys))})",
                (digest.group, channel, day, *digest.keys),
            ).fetchone()[0]
            if digest.keys
            else 0
        )
        if not digest.keys and digest.attachment:  # a monthly brief without warnings: once a day as well
            taken = con.execute(
                "select count(*) from alert_outbox where group_name = ? and channel = ? and day = ? "
                "and attachment_name is not null",
                (digest.group, channel, day),
            ).fetchone()[0]
        if taken:
            return None
        name, data = digest.attachment or (None, None)
        message = digest.message(channel)
        cur = con.execute(
            "insert into alert_outbox (group_name, channel, day, created_at, title, body, keys, attachment_name, "
            "attachment, next_attempt_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                digest.group,
                channel,
                day,
                now,
                message.title,
                message.body,
                json.dumps(digest.keys),
                name,
                data if channel == "email" else None,
                now,
            ),
        )
        con.executemany(
            "insert into alert_sent (key, group_name, channel, day, outbox_id) values (?, ?, ?, ?, ?)",
            [(k, digest.group, channel, day, cur.lastrowid) for k in digest.keys],
        )
        return cur.lastrowid


def claim(directory: Path, now: dt.datetime) -> list[dict]:
    """Take the pending digests that are due (and those a dead run left claimed) for delivery."""
    stale = (now - dt.timedelta(seconds=STALE_CLAIM_SECONDS)).isoformat(timespec="seconds")
    stamp = now.isoformat(timespec="seconds")
    with _connect(directory) as con:
        rows = [
            dict(r)
            for r in con.execute(
                "select * from alert_outbox where (status = 'pending' and next_attempt_at <= ?) "
                "or (status = 'sending' and claimed_at < ?) order by id",
                (stamp, stale),
            )
        ]
        con.executemany(
            "update alert_outbox set status = 'sending', claimed_at = ? where id = ?", [(stamp, r["id"]) for r in rows]
        )
    return rows


def _log(directory: Path, outbox_id: int, attempt: int, result: Result) -> None:
    with _connect(directory) as con:
        con.execute(
            "insert into alert_delivery_log (outbox_id, at, attempt, ok, detail) values (?, ?, ?, ?, ?)",
            (outbox_id, dt.datetime.now().isoformat(timespec="seconds"), attempt, int(result.ok), result.detail),
        )


def deliver(directory: Path, row: dict, sender: Sender, settings: Settings, sleep=time.sleep, log=print) -> bool:
    """Send one outbox digest, retrying with exponential backoff; record the outcome (kept pending on failure)."""
    message = Message(
        row["group_name"],
        row["title"],
        row["body"],
        ((row["attachment_name"], row["attachment"]),) if row["attachment"] else (),
    )
    result = Result(False, "未尝试")
    for attempt in range(1, settings.retries + 1):
        result = sender.send(message)
        _log(directory, row["id"], row["attempts"] + attempt, result)
        log(
            f"{'成功' if result.ok else '失败'}：{row['group_name']} · {sender.channel} · 第 {row['attempts'] + attempt} 次"
            f" · {result.detail}"
        )
        if result.ok:
            break
        if attempt < settings.retries:
            sleep(settings.backoff_seconds * 2 ** (attempt - 1))
    now = dt.datetime.now()
    with _connect(directory) as con:
        if result.ok:
            con.execute(
                "update alert_outbox set status = 'sent', sent_at = ?, attempts = attempts + ?, "
                "last_error = '' where id = ?",
                (now.isoformat(timespec="seconds"), attempt, row["id"]),
            )
        else:
            later = now + dt.timedelta(seconds=settings.backoff_seconds * 2**settings.retries)
            con.execute(
                "update alert_outbox set status = 'pending', attempts = attempts + ?, next_attempt_at = ?, "
                "last_error = ? where id = ?",
                (attempt, later.isoformat(timespec="seconds"), result.detail, row["id"]),
            )
    return result.ok


def outbox(directory: Path) -> pd.DataFrame:
    """Every digest with its status (for tests and the operator)."""
    with _connect(directory) as con:
        rows = con.execute(
            "select id, group_name, channel, day, created_at, title, status, attempts, sent_at, "
            "last_error from alert_outbox order by id"
        )
        return pd.DataFrame([dict(r) for r in rows])


# ---------------------------------------------------------------------------------------- the run
@dataclass
class Report:
    period: alerts.Period
    raised: int
    digests: list[tuple[str, str, Digest]] = field(default_factory=list)  # (group, channel, digest)
    delivered: int = 0
    failed: int = 0


def monthly_pdf(run, period: alerts.Period, rules, zone) -> tuple[str, bytes]:
    """The month's 会议简报 (全区) as a PDF attachment."""
    from cockpit.domain.selection import Filters
    from cockpit.report import brief

    f = Filters(period.year, period.month)
    data = brief.pdf_bytes(
        brief.collect(run, f, rules, "全区（全部产业链、全部片区）", today=period.today, zone=zone.name)
    )
    return f"{zone.short_name}会议简报_{period.label}.pdf", data


def run(
    directory: Path,
    settings: Settings,
    *,
    today: dt.date | None = None,
    monthly: bool = False,
    dry_run: bool = False,
    config: alerts.Config | None = None,
    sleep=time.sleep,
    log=print,
) -> Report:
    """Evaluate, record, build each group's digest, queue and deliver (see the module docstring).

    `dry_run`: everything on a throwaway copy of the state database, nothing sent."""
    from cockpit.data.config import load_rules
    from cockpit.data.db import Database
    from cockpit.data.zone import identity

    directory = Path(directory)
    if dry_run:
        scratch = Path(tempfile.mkdtemp(prefix="cockpit-notify-dry-"))
        for suffix in ("", "-wal", "-shm"):
            src = alerts_state.state_dir(directory) / f"state.sqlite{suffix}"
            if src.exists():
                shutil.copy2(src, scratch / src.name)
        store = scratch
    else:
        store = directory
    db = Database(directory)
    rules, config = load_rules(), config or alerts.load_config()
    period = alerts.latest_period(db.run, today)
    found = alerts.evaluate(db.run, period=period, config=config, rules=rules)
    alerts_state.sync(store, found, period, stamp=f"{db.data_version()}:notify")
    frame = alerts_state.items(store)
    figures = headline(alerts.indicator_figures(db.run, period, rules))
    zone = identity(directory)
    wants_pdf = monthly and any(g.emails for g in settings.groups)
    attachment = monthly_pdf(db.run, period, rules, zone) if wants_pdf else None
    day, now = period.today.isoformat(), dt.datetime.now().isoformat(timespec="seconds")
    report = Report(period, len(found))
    for group in settings.groups:
        mine = for_group(frame, group, config)
        since = last_digest(store, group.name)
        for sender in senders(group, settings):
            keys = unsent(store, list(mine["key"]), group.name, sender.channel, day)
            if not keys and not (monthly and sender.channel == "email"):
                log(f"跳过：{group.name} · {sender.channel} · 今日没有未推送的预警")
                continue
            digest = build(
                group,
                mine[mine["key"].isin(keys)],
                zone=zone.short_name,
                period=period,
                figures=figures,
                base_url=settings.base_url,
                since=since,
                monthly=monthly,
                config=config,
            )
            if sender.channel == "email" and attachment:
                digest.attachment = attachment
            report.digests.append((group.name, sender.channel, digest))
            if dry_run:
                log(f"===== {group.name} · {sender.channel} · {digest.title}\n{digest.message(sender.channel).body}")
                continue
            enqueue(store, digest, sender.channel, day, now)
    if dry_run:
        shutil.rmtree(store, ignore_errors=True)
        return report
    by_route = {(g.name, s.channel): s for g in settings.groups for s in senders(g, settings)}
    for row in claim(store, dt.datetime.now()):
        sender = by_route.get((row["group_name"], row["channel"]))
        if sender is None:  # the group or channel was removed from the settings: leave it pending
            with _connect(store) as con:
                con.execute(
                    "update alert_outbox set status = 'pending', last_error = ? where id = ?",
                    ("推送组或渠道已不在配置中", row["id"]),
                )
            report.failed += 1
            continue
        if deliver(store, row, sender, settings, sleep=sleep, log=log):
            report.delivered += 1
        else:
            report.failed += 1
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="推送预警日报（钉钉群机器人 / 邮件）")
    ap.add_argument("--dry-run", action="store_true", help="只生成并打印消息，不发送、不记录")
    ap.add_argument("--monthly", action="store_true", help="月报：邮件附本月会议简报 PDF")
    ap.add_argument("--today", type=dt.date.fromisoformat, help="按哪一天计算（默认今天，YYYY-MM-DD）")
    ap.add_argument("--data-dir", type=Path, help="数据目录（默认 $COCKPIT_DATA_DIR 或 var/data）")
    args = ap.parse_args(argv)
    from cockpit.data.db import SAMPLE_DIR, data_dir
    from cockpit.data.store import ensure_working_dir

    directory = args.data_dir or data_dir()
    ensure_working_dir(directory, SAMPLE_DIR)
    try:
        settings = load_settings()
        report = run(
            directory,
            settings,
            today=args.today,
            monthly=args.monthly,
            dry_run=args.dry_run,
            log=lambda s: print(s, flush=True),
        )
    except (SettingsError, alerts.ConfigError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(
        f"截至{report.period.label}数据：预警 {report.raised} 条；消息 {len(report.digests)} 条，"
        f"送达 {report.delivered}，未送达 {report.failed}（留在待发送队列，下次运行重试）"
    )
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
