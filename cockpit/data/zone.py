"""A zone's identity and its working data directory: start an empty zone, the onboarding workbook, history.

The zone's name travels with its data: `zone.toml` in the data directory holds the full name, the short name
and the county. Every page heading, the browser title, the PDF brief, the 汇报稿 and download file names read
it through `identity(directory)` (pages: `cockpit.app.ui.zone()`).

    python -m cockpit.data.zone init DIR --name 全称 --short-name 简称 [--county 县名]
    python -m cockpit.data.zone workbook OUT.xlsx [--data-dir DIR]     # the empty onboarding workbook
    python -m cockpit.data.zone history [--data-dir DIR]               # versions, newest first
    python -m cockpit.data.zone rollback VERSION [--data-dir DIR] [--user NAME]   # every table back to VERSION
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

ZONE_FILE = "zone.toml"


@dataclass(frozen=True)
class Zone:
    name: str  # 全称, e.g. 浙江开化经济开发区
    short_name: str  # 简称, e.g. 开化经开区
    county: str = ""  # 所在县（市、区）, e.g. 开化县


DEFAULT = Zone("经济开发区", "经开区", "")
_CACHE: dict[str, tuple[int, Zone]] = {}


def identity(directory: Path | None = None) -> Zone:
    """The zone whose data are in `directory` (default: the working data directory).

    A directory without `zone.toml` (data written by hand) gets the neutral DEFAULT, never the sample's name.
    """
    if directory is None:
        from cockpit.data.db import data_dir

        directory = data_dir()
    path = Path(directory) / ZONE_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return DEFAULT
    cached = _CACHE.get(str(path))
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8")).get("zone", {})
        zone = Zone(str(raw["name"]), str(raw.get("short_name") or raw["name"]), str(raw.get("county", "")))
    except (OSError, ValueError, KeyError, tomllib.TOMLDecodeError):
        return DEFAULT
    _CACHE[str(path)] = (stamp, zone)
    return zone


def check_name(text: str, what: str) -> str:
    """A zone name as typed: trimmed, 1–40 characters, no control characters."""
    text = (text or "").strip()
    if not text:
        raise ValueError(f"{what}不能为空")
    if len(text) > 40:
        raise ValueError(f"{what}过长（不超过 40 字）")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f"{what}含有控制字符")
    return text


def write_identity(directory: Path, zone: Zone | dict) -> Path:
    """Write `zone.toml` (atomically) and return its path."""
    from cockpit.data.store import atomic_write

    zone = zone if isinstance(zone, Zone) else Zone(**zone)
    lines = ["# 开发区名称：页面标题、浏览器标题、会议简报与汇报稿抬头、下载文件名都读这里", "[zone]"]
    for key, value in asdict(zone).items():
        lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    path = Path(directory) / ZONE_FILE
    atomic_write(path, lambda tmp: Path(tmp).write_text("\n".join(lines) + "\n", encoding="utf-8"))
    return path


def init(directory: Path, zone: Zone, *, user: str = "命令行") -> Path:
    """Start an empty zone in `directory`: every table with its schema and no rows (the indicator catalogue
    filled by the program), `zone.toml`, and one history version "初始" = the empty zone.

    Refuses a directory that already holds tables or a zone (nothing is overwritten).
    """
    from cockpit.data.schema import SPECS
    from cockpit.data.store import DataStore

    directory = Path(directory)
    taken = [p.name for p in directory.glob("*.parquet")] + ([ZONE_FILE] if (directory / ZONE_FILE).exists() else [])
    if taken:
        raise FileExistsError(
            f"目录 {directory} 已有数据（{'、'.join(sorted(taken)[:5])}…），未做任何修改；请换一个空目录"
        )
    zone = Zone(
        check_name(zone.name, "全称"),
        check_name(zone.short_name, "简称"),
        check_name(zone.county, "县名") if zone.county else "",
    )
    directory.mkdir(parents=True, exist_ok=True)
    store = DataStore(directory)
    with store.lock():
        write_identity(directory, zone)
        store.create_zone({t: program_rows(t) for t in SPECS}, user=user, note=f"建立 {zone.name}（空）")
    return directory


def program_rows(table: str):
    """The rows the program supplies for a new zone: the indicator catalogue; no rows elsewhere."""
    from cockpit.data.schema import empty_frame, typed_frame

    if table == "indicators":
        import pandas as pd

        from cockpit.domain.indicators import catalogue_rows

        return typed_frame("indicators", pd.DataFrame(catalogue_rows()))
    return empty_frame(table)


# -- command line ----------------------------------------------------------------------------------


def _data_dir(arg: str | None) -> Path:
    from cockpit.data.db import data_dir

    return Path(arg).resolve() if arg else data_dir()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m cockpit.data.zone", description="开发区数据目录：建立、入驻工作簿、历史、回滚"
    )
    sub = ap.add_subparsers(dest="command", required=True)
    p_init = sub.add_parser("init", help="建立一个空的开发区数据目录")
    p_init.add_argument("directory")
    p_init.add_argument("--name", required=True, help="全称，如：某某经济开发区")
    p_init.add_argument("--short-name", required=True, help="简称，如：某某经开区")
    p_init.add_argument("--county", default="", help="所在县（市、区）")
    p_book = sub.add_parser("workbook", help="写出入驻工作簿（每张表一个工作表）")
    p_book.add_argument("out")
    p_book.add_argument("--data-dir")
    p_hist = sub.add_parser("history", help="列出导入与回滚记录（新的在前）")
    p_hist.add_argument("--data-dir")
    p_back = sub.add_parser("rollback", help="把所有数据表恢复到某个版本（如 初始）")
    p_back.add_argument("version")
    p_back.add_argument("--data-dir")
    p_back.add_argument("--user", default="命令行")
    args = ap.parse_args(argv)

    if args.command == "init":
        try:
            directory = init(Path(args.directory), Zone(args.name, args.short_name, args.county))
        except (FileExistsError, ValueError) as exc:
            print(f"未建立：{exc}", file=sys.stderr)
            return 1
        print(f"已建立「{identity(directory).name}」的数据目录：{directory.resolve()}")
        print("下一步：写出入驻工作簿，填好后导入：")
        print(f"  python -m cockpit.data.zone workbook 入驻工作簿.xlsx --data-dir {args.directory}")
        print(f"  python -m cockpit.data.ingest 入驻工作簿.xlsx --data-dir {args.directory}")
        print(f"启动驾驶舱：COCKPIT_DATA_DIR={args.directory} make run")
        return 0

    directory = _data_dir(getattr(args, "data_dir", None))
    from cockpit.data.db import SAMPLE_DIR
    from cockpit.data.store import DataStore, ensure_working_dir

    ensure_working_dir(directory, SAMPLE_DIR)
    store = DataStore(directory)
    if args.command == "workbook":
        from cockpit.data.templates import onboarding_bytes

        Path(args.out).write_bytes(onboarding_bytes(store.codes()))
        print(f"已写出入驻工作簿：{args.out}（{identity(directory).name}）")
        return 0
    if args.command == "history":
        import pandas as pd

        from cockpit.data.store import history_frame

        pd.set_option("display.unicode.east_asian_width", True)
        frame = history_frame(store).drop(columns="备注")
        print("尚无记录" if frame.empty else frame.to_string(index=False, max_colwidth=36))
        return 0
    if args.command == "rollback":
        try:
            entries = store.rollback_to(args.version, user=args.user)
        except KeyError as exc:
            print(f"未回滚：{exc.args[0]}", file=sys.stderr)
            return 1
        if not entries:
            print(f"数据已是版本 {args.version} 的状态，未做修改")
        else:
            from cockpit.data.schema import SPECS

            tables = "、".join(SPECS[e.table].title for e in entries)
            print(f"已回滚到版本 {args.version}：{tables}（新版本 {entries[0].version}）")
        return 0
    return 2  # pragma: no cover


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    raise SystemExit(main())
