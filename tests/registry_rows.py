"""Query rows made from indicator values, so the registry's own evaluation can be run on hand-written numbers.

`fake_run({"output": (80.0, 75.0), …}, targets={"output": 100.0}, year=2024)` returns a `run(name, params)` that
answers each indicator's named query with rows holding exactly those values (display units: 亿元, %, 个 …) for
the year and the year before; every table is covered from 2000, so a given previous value is compared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cockpit.domain.indicators import REGISTRY

TABLES = (
    "enterprise_month",
    "county_month",
    "project_month",
    "hazards",
    "accidents",
    "trainings",
    "land_actions",
    "bond_events",
    "risk_assessments",
)


def fake_run(
    values: dict[str, tuple],
    *,
    targets: dict[str, float] | None = None,
    year: int = 2024,
    covered_from: int = 2000,
    registry=REGISTRY,
):
    rows: dict[str, dict] = {}
    # ratios last: a ratio of columns other indicators set (高新占比 = 高新增加值 ÷ 增加值) is computed from them
    for iid, pair in sorted(values.items(), key=lambda kv: registry[kv[0]].source.ratio is not None):
        ind = registry[iid]
        src = ind.source
        for y, v in ((year, pair[0]), (year - 1, pair[1] if len(pair) > 1 else None)):
            key = (y, src.where)
            row = rows.setdefault(src.query, {}).setdefault(key, {"year": y, **dict(src.where)})
            if src.ratio:
                if src.ratio[0] not in row and src.ratio[1] not in row:
                    row[src.ratio[0]] = None if v is None else v / ind.factor
                    row[src.ratio[1]] = None if v is None else 1.0
            else:
                row[src.column] = None if v is None else v / ind.factor
        if src.previous and len(pair) > 1:
            rows[src.query][(year, src.where)][src.previous] = pair[1]
            rows[src.query].pop((year - 1, src.where), None)
    start = dt.date(covered_from, 1, 1)
    fixed = {
        "data_coverage": pd.DataFrame({"table_name": list(TABLES), "kind": "monthly", "first_date": start}),
        "targets_of_year": pd.DataFrame(
            [
                {
                    "year": year,
                    "indicator_id": k,
                    "scope_kind": "全区",
                    "scope_code": "",
                    "target_value": v,
                    "source": "测试",
                }
                for k, v in (targets or {}).items()
            ],
            columns=["year", "indicator_id", "scope_kind", "scope_code", "target_value", "source"],
        ),
        "areas": pd.DataFrame({"area_code": [], "area_name": []}),
        "price_deflator": pd.DataFrame({"ytd_deflator": [None], "ytd_basis": [None], "month_deflator": [None]}),
    }

    def run(name: str, params: dict) -> pd.DataFrame:
        if name in fixed:
            return fixed[name]
        return pd.DataFrame(list(rows.get(name, {}).values()) or [{"year": year}])

    return run
