"""The 总览's heavy computation in plain pandas: the baseline the DuckDB queries are measured against.

Covers the four named queries of the 总览 that scan the monthly facts (industry_kpis, output_trend,
output_by_chain, investment_kpis) with the same filter semantics; the frames are loaded once beforehand
(the best case for pandas: no file reading inside the timed part). `overview` returns the same numbers
as `overview_duckdb` (tests/test_bench.py checks that on the shipped data).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cockpit.data.dimensions import DIMENSIONS, EVERYTHING, scope_from
from cockpit.data.schema import SPECS

QUERIES = ("industry_kpis", "output_trend", "output_by_chain", "investment_kpis")
# the filter dimensions' key columns found on a table itself (产业链 comes from the sectors; a dimension of the
# enterprise register that projects lack comes from the project's owner, as in queries/macros/keys.sql)
_KEYS = {t: [d.column for d in DIMENSIONS if d.column in SPECS[t].names] for t in ("enterprises", "projects")}
_OWNER_KEYS = [c for c in _KEYS["enterprises"] if c not in _KEYS["projects"]]
COLUMNS = {
    "enterprise_month": ["ent_id", "year", "month", "output_wan", "value_added_wan", "revenue_wan"],
    "enterprises": ["ent_id", "land_mu", *_KEYS["enterprises"]],
    "sectors": ["sector_code", "chain"],
    "project_month": ["project_id", "year", "month", "invest_wan"],
    "projects": ["project_id", "ent_id", "is_industrial", *_KEYS["projects"]],
    "county_month": ["year", "month", "county_output_wan"],
}


def load(directory: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_parquet(Path(directory) / f"{t}.parquet", columns=c) for t, c in COLUMNS.items()}


def _scope(df: pd.DataFrame, p: dict) -> pd.Series:
    """The rows in the filter scope of `p`, each dimension by its key column (cockpit.data.dimensions)."""
    keep = pd.Series(True, index=df.index)
    for d, value in (scope_from(p) or EVERYTHING).items():
        if value:
            keep &= df[d.column].fillna(False).astype(bool) if d.flag else df[d.column].isin(value)
    return keep


def overview(frames: dict[str, pd.DataFrame], p: dict) -> dict[str, pd.DataFrame]:
    year, month = p["year"], p["month"]
    ents = frames["enterprises"].merge(frames["sectors"], on="sector_code")
    ents = ents[_scope(ents, p)]
    em = frames["enterprise_month"]
    two = em[em["year"].isin([year, year - 1])]
    facts = two[two["month"] <= month].merge(ents, on="ent_id")

    # industry_kpis (当月 = month m, or 1—2月 together when m ≤ 2)
    month_rows = facts if month <= 2 else facts[facts["month"] == month]
    g = facts.groupby("year")
    sums = pd.DataFrame(
        {
            "output_wan": g["output_wan"].sum(),
            "value_added_wan": g["value_added_wan"].sum(),
            "high_tech_va_wan": facts[facts["is_high_tech"]].groupby("year")["value_added_wan"].sum(),
            "revenue_wan": g["revenue_wan"].sum(),
            "output_month_wan": month_rows.groupby("year")["output_wan"].sum(),
            "value_added_month_wan": month_rows.groupby("year")["value_added_wan"].sum(),
            "enterprise_count": g["ent_id"].nunique(),
            "land_mu": facts.drop_duplicates(["year", "ent_id"]).groupby("year")["land_mu"].sum(),
        }
    )
    county = frames["county_month"]
    county = county[county["year"].isin([year, year - 1]) & (county["month"] <= month)]
    sums["high_tech_va_wan"] = sums["high_tech_va_wan"].fillna(0)  # 0 in a year with data, null without
    kpis = pd.DataFrame({"year": [year, year - 1]}).merge(sums, left_on="year", right_index=True, how="left")
    kpis["enterprise_count"] = kpis["enterprise_count"].fillna(0)
    kpis["mujun_va_wan_per_mu"] = kpis["value_added_wan"] / kpis["land_mu"].where(kpis["land_mu"] != 0)
    kpis = kpis.merge(county.groupby("year")["county_output_wan"].sum(), left_on="year", right_index=True, how="left")
    pairs = _comparable(facts, month_rows, year)
    for col, value in pairs.items():
        kpis[col] = [value if y == year else None for y in kpis["year"]]
    kpis["comparable_count"] = kpis["comparable_count"].astype("Int64")  # a count: null on last year's row

    # output_trend
    trend_rows = em[((em["year"] == year) & (em["month"] <= month)) | (em["year"] == year - 1)]
    trend = (
        trend_rows.merge(ents[["ent_id"]], on="ent_id")
        .groupby(["year", "month"], as_index=False)[["output_wan", "value_added_wan"]]
        .sum()
        .sort_values(["year", "month"])
    )
    trend["output_ytd_wan"] = trend.groupby("year")["output_wan"].cumsum()
    trend["value_added_ytd_wan"] = trend.groupby("year")["value_added_wan"].cumsum()

    # output_by_chain
    by_chain = facts.pivot_table(index="chain", columns="year", values="output_wan", aggfunc="sum", fill_value=0)
    by_chain = pd.DataFrame(
        {"chain": by_chain.index, "output_wan": by_chain.get(year, 0), "output_ly_wan": by_chain.get(year - 1, 0)}
    )
    by_chain = by_chain.reset_index(drop=True)
    both = _both_years(facts, year)
    cmp = (
        facts[facts["ent_id"].isin(both)]
        .pivot_table(index="chain", columns="year", values="output_wan", aggfunc="sum", fill_value=0)
        .reindex(by_chain["chain"])
        .fillna(0)
    )
    by_chain["output_cmp_wan"] = cmp.get(year, 0).to_numpy() if len(cmp) else 0.0
    by_chain["output_cmp_ly_wan"] = cmp.get(year - 1, 0).to_numpy() if len(cmp) else 0.0
    by_chain = by_chain.sort_values(["output_wan", "chain"], ascending=[False, True]).reset_index(drop=True)

    # investment_kpis
    projects = frames["projects"].merge(frames["sectors"], on="sector_code", how="left")
    if _OWNER_KEYS:
        owners = frames["enterprises"][["ent_id", *_OWNER_KEYS]]
        projects = projects.merge(owners, on="ent_id", how="left")
    projects = projects[_scope(projects, p)]
    pm = frames["project_month"]
    done = pm[pm["year"].isin([year, year - 1]) & (pm["month"] <= month)].merge(projects, on="project_id")
    g = done.groupby("year")
    inv = pd.DataFrame(
        {
            "fai_wan": g["invest_wan"].sum(),
            "industrial_invest_wan": done[done["is_industrial"]].groupby("year")["invest_wan"].sum(),
            "high_tech_invest_wan": done[done["is_high_tech"]].groupby("year")["invest_wan"].sum(),
            "project_count": done[done["invest_wan"] > 0].groupby("year")["project_id"].nunique(),
        }
    )
    inv[["industrial_invest_wan", "high_tech_invest_wan"]] = inv[
        ["industrial_invest_wan", "high_tech_invest_wan"]
    ].fillna(0)
    invest = pd.DataFrame({"year": [year, year - 1]}).merge(inv, left_on="year", right_index=True, how="left")
    invest["project_count"] = invest["project_count"].fillna(0)
    return {
        "industry_kpis": kpis,
        "output_trend": trend.reset_index(drop=True),
        "output_by_chain": by_chain,
        "investment_kpis": invest,
    }


def _both_years(facts: pd.DataFrame, year: int) -> pd.Index:
    """The enterprises with rows in 1—m月 of both years (同口径)."""
    present = facts.groupby(["ent_id", "year"]).size().unstack("year")
    if year not in present or year - 1 not in present:
        return pd.Index([])
    return present.index[present[year].notna() & present[year - 1].notna()]


def _comparable(facts: pd.DataFrame, month_rows: pd.DataFrame, year: int) -> dict:
    """industry_kpis' 同口径 columns: the same enterprises' 1—m月 and 当月 sums in both years."""
    both = _both_years(facts, year)
    same = facts[facts["ent_id"].isin(both)]
    ytd = same.groupby("year")[["output_wan", "value_added_wan"]].sum()
    hitech = same[same["is_high_tech"].astype(bool)].groupby("year")["value_added_wan"].sum()
    month = (
        month_rows[month_rows["ent_id"].isin(both)]
        .groupby(["ent_id", "year"])[["output_wan", "value_added_wan"]]
        .sum(min_count=1)
        .unstack("year")
    )
    out = {"comparable_count": len(both)}
    for col, stem in (("output_wan", "output"), ("value_added_wan", "value_added")):
        out[f"{stem}_cmp_wan"] = ytd[col].get(year) if len(both) else None
        out[f"{stem}_cmp_ly_wan"] = ytd[col].get(year - 1) if len(both) else None
        paired = month[col].dropna() if len(month) and year in month[col] and year - 1 in month[col] else None
        out[f"{stem}_month_cmp_wan"] = paired[year].sum() if paired is not None and len(paired) else None
        out[f"{stem}_month_cmp_ly_wan"] = paired[year - 1].sum() if paired is not None and len(paired) else None
    out["high_tech_va_cmp_wan"] = float(hitech.get(year, 0.0)) if len(both) else None
    out["high_tech_va_cmp_ly_wan"] = float(hitech.get(year - 1, 0.0)) if len(both) else None
    return out


def overview_duckdb(db, p: dict) -> dict[str, pd.DataFrame]:
    return {name: db.run(name, p) for name in QUERIES}
