"""低效用地整治 arithmetic: method × status summary, 亩均税收 uplift, the candidate floor (pure)."""

from __future__ import annotations

import pandas as pd

from cockpit.domain.format import is_blank as _missing

METHODS = ("收回", "收购", "企业重组/兼并", "提升改造", "二次招商")
STATUSES = ("摸排", "方案", "实施", "验收")
DEFAULT_FLOOR_WAN = 5.0


def uplift(before, after) -> float | None:
    """亩均税收 after ÷ before (倍); None when either is missing or before is not positive."""
    if _missing(before) or _missing(after) or before <= 0:
        return None
    return after / before


def method_status_summary(actions: pd.DataFrame) -> pd.DataFrame:
    """Actions (columns method, status, area_mu) → one row per method and status that occurs:
    method, status, action_count, area_mu, in the order of METHODS and STATUSES (unknown ones last)."""
    cols = ["method", "status", "action_count", "area_mu"]
    if actions.empty:
        return pd.DataFrame(columns=cols)
    g = actions.groupby(["method", "status"], as_index=False).agg(
        action_count=("area_mu", "size"), area_mu=("area_mu", "sum")
    )
    order_m = {m: i for i, m in enumerate(METHODS)}
    order_s = {s: i for i, s in enumerate(STATUSES)}
    g["_m"] = g["method"].map(lambda m: order_m.get(m, len(METHODS)))
    g["_s"] = g["status"].map(lambda s: order_s.get(s, len(STATUSES)))
    return g.sort_values(["_m", "_s", "method", "status"])[cols].reset_index(drop=True)


def status_totals(actions: pd.DataFrame) -> dict[str, tuple[int, float]]:
    """Status → (number of actions, 亩), for every status in STATUSES (zero when none)."""
    out = {}
    for s in STATUSES:
        rows = actions[actions["status"] == s]
        out[s] = (len(rows), float(rows["area_mu"].sum()))
    return out


def load_floor(path=None) -> float:
    """亩均税收 floor (万元/亩) for the candidate pool, from the [land] section of the rules file."""

    from cockpit.data.config import rules_section

    raw = {"land": rules_section("land", path)}
    return float(raw.get("land", {}).get("mujun_tax_floor_wan", DEFAULT_FLOOR_WAN))


def present_order(values, order) -> list[str]:
    """The distinct `values` in the order of `order` (unknown ones after, alphabetically)."""
    seen = set(values)
    return [v for v in order if v in seen] + sorted(seen - set(order))


def with_uplift(actions: pd.DataFrame) -> pd.DataFrame:
    """Add `uplift` (亩均税收 after ÷ before, 倍) to `land_actions_status` rows."""
    out = actions.copy()
    out["uplift"] = [uplift(b, a) for b, a in zip(out["mujun_tax_before_wan"], out["mujun_tax_after_wan"])]
    return out


def scope_text(period: str, codes, area_names: dict[str, str]) -> str:
    """'2024年1—9月 · 片区：华埠片区（本页只受片区筛选影响）'."""
    where = "片区：" + "、".join(area_names.get(c, c) for c in codes) if codes else "全部片区"
    return f"{period} · {where}（本页只受片区筛选影响）"


POOL_COLUMNS = [
    "ent_id",
    "ent_name",
    "sector_name",
    "area_name",
    "parcel_id",
    "land_mu",
    "mujun_tax_wan_per_mu",
    "mujun_class",
    "mujun_score",
    "reason",
]


def candidate_pool(d_class: pd.DataFrame, below_floor: pd.DataFrame, areas=()) -> pd.DataFrame:
    """Next year's 整治 pool: 亩均 D 类 enterprises whose parcel has no 整治 action yet, together with
    enterprises below the 亩均税收 floor (query `land_candidates`), one row per enterprise.

    `d_class`: `mujun.d_class_list` rows (with action_id when parcel actions were given);
    `areas`: 片区 codes to keep (empty = all). `reason` says why each is in the pool.
    """
    d = d_class
    if "action_id" in d:
        d = d[d["action_id"].isna()]
    if areas:
        d = d[d["area_code"].isin(list(areas))]
    d = d.rename(columns={"tax_per_mu": "mujun_tax_wan_per_mu", "score": "mujun_score"})
    d = d.assign(mujun_class="D", in_d=True)
    low = below_floor.assign(below=True)
    keys = ["ent_id", "ent_name", "sector_name", "area_name", "parcel_id", "land_mu"]
    merged = pd.merge(
        d[keys + ["mujun_tax_wan_per_mu", "mujun_class", "mujun_score", "in_d"]],
        low[keys + ["mujun_tax_wan_per_mu", "below"]],
        on=keys,
        how="outer",
        suffixes=("_d", ""),
    )
    merged["mujun_tax_wan_per_mu"] = merged["mujun_tax_wan_per_mu"].fillna(merged["mujun_tax_wan_per_mu_d"])
    in_d = merged["in_d"].eq(True)
    below = merged["below"].eq(True)
    merged["reason"] = [
        "D 类且低于门槛" if a and b else ("亩均评价 D 类" if a else "亩均税收低于门槛") for a, b in zip(in_d, below)
    ]
    out = merged.sort_values(["mujun_tax_wan_per_mu", "ent_id"])
    return out[POOL_COLUMNS].reset_index(drop=True)
