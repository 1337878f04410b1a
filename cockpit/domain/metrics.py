"""Pure arithmetic of the indicators: 同比, 完成率, 时序进度, status lights, 拉动, 贡献率.

Every function takes plain numbers (None for missing) and returns plain numbers; no pandas, no I/O.
"""

from __future__ import annotations

from enum import Enum

from cockpit.data.config import GradeRule, StatusRule
from cockpit.domain.format import is_blank as _missing


def yoy(current, previous) -> float | None:
    """同比 in percent: (current / previous − 1) × 100; None when previous is missing or zero."""
    if _missing(current) or _missing(previous) or previous == 0:
        return None
    return (current / previous - 1.0) * 100.0


def share(part, whole) -> float | None:
    """占比 in percent; None when the whole is missing or zero."""
    if _missing(part) or _missing(whole) or whole == 0:
        return None
    return part / whole * 100.0


def schedule_progress(month: int) -> float:
    """时序进度 in percent for data through month m: m / 12 × 100."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份必须在 1—12 之间，收到 {month}")
    return month / 12.0 * 100.0


def completion(value, target) -> float | None:
    """完成率 in percent: value / target × 100; None without a positive target."""
    if _missing(value) or _missing(target) or target <= 0:
        return None
    return value / target * 100.0


class Status(str, Enum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


STATUS_CN = {Status.GREEN: "正常", Status.YELLOW: "预警", Status.RED: "滞后"}


def status(value, target, month: int, *, cumulative: bool, higher_is_better: bool, rule: StatusRule) -> Status | None:
    """Red/yellow/green light for an indicator against its annual target.

    - Cumulative, higher is better (产值, 投资, 亩): 完成率 against 时序进度; green when not behind,
      yellow when behind by at most `rule.yellow_points` 个百分点, red beyond.
    - Lower is better (事故, 未整改隐患): green when value ≤ target, else red.
    - Level, higher is better (得分, 占比): the same banding with 100 % as the bar.
    """
    if _missing(value) or _missing(target):
        return None
    if not higher_is_better:
        return Status.GREEN if value <= target else Status.RED
    rate = completion(value, target)
    if rate is None:
        return None
    bar = schedule_progress(month) if cumulative else 100.0
    gap = rate - bar
    if gap >= 0:
        return Status.GREEN
    return Status.YELLOW if gap >= -rule.yellow_points else Status.RED


def pull(delta_part, total_previous) -> float | None:
    """拉动 in 个百分点: Δpart / last year's total × 100."""
    if _missing(delta_part) or _missing(total_previous) or total_previous == 0:
        return None
    return delta_part / total_previous * 100.0


def contribution(delta_part, delta_total) -> float | None:
    """贡献率 in percent: Δpart / Δtotal × 100; None when the total did not change."""
    if _missing(delta_part) or _missing(delta_total) or delta_total == 0:
        return None
    return delta_part / delta_total * 100.0


def risk_grade(score, rule: GradeRule) -> str | None:
    """化工园区安全风险等级 from its score: A < B ≤ … ; D (lowest risk) at or above `rule.d`."""
    if _missing(score):
        return None
    if score >= rule.d:
        return "D"
    if score >= rule.c:
        return "C"
    if score >= rule.b:
        return "B"
    return "A"
