"""Provincial-scale data: the same tables and columns as the sample (data/README.md), many more rows.

    python -m cockpit.gen.scale --enterprises 200000 --out var/scale
    COCKPIT_DATA_DIR=var/scale streamlit run app.py

Vectorised with numpy and written chunk by chunk (the 12 M-row `enterprise_month` never sits in memory
as one DataFrame). Deterministic for a given seed and size. Keys are unique and every foreign key
resolves (enterprise → sector, area, parcel; enterprise_month / hazards / accidents → enterprise; projects →
sector, area; project_month / bond_events → project; land_actions → parcel), so every page runs on it.
The calibration to the 开化 work summary does not apply: the figures are plausible in shape only.
The 60 months run 2019-10 through 2024-09, ending on the sample's data date.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cockpit.gen import sample

SEED = 20240930
MONTHS = 60
LAST = (2024, 9)  # the data date's month, as in the sample
ENTS_PER_AREA = 2000  # one 片区 per 2,000 enterprises (100 at 200,000)
CHUNK = 20_000  # enterprises per enterprise_month row group
HAZARDS_PER_ENT_MONTH = 0.25
DATA_END = np.datetime64("2024-09-30")
SAMPLE_ENTERPRISES = 166  # the sample's size: targets scale with enterprises / this


def month_list(n: int = MONTHS) -> list[tuple[int, int]]:
    """The n months ending with LAST, oldest first."""
    last = LAST[0] * 12 + LAST[1] - 1
    return [(i // 12, i % 12 + 1) for i in range(last - n + 1, last + 1)]


def _table(name: str, columns: dict) -> pa.Table:
    """A pyarrow table with exactly the sample's schema for `name` (dates from datetime64[D], NaT → null; columns
    not given are null)."""
    schema = sample.arrow_schema(name)
    rows = len(next(iter(columns.values())))
    arrays = []
    for field in schema:  # a declared column the generator does not make (a later optional one) stays empty
        values = columns.get(field.name)
        arrays.append(
            pa.nulls(rows, field.type) if values is None else pa.array(values, type=field.type, from_pandas=True)
        )
    return pa.Table.from_arrays(arrays, schema=schema)


def _write(table: pa.Table, out: Path, name: str) -> Path:
    path = out / f"{name}.parquet"
    pq.write_table(table, path, compression="zstd")
    return path


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _days(rng, start: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """start + a random number of days in [lo, hi]."""
    return start + rng.integers(lo, hi + 1, len(start)).astype("timedelta64[D]")


def _month_start(year, month) -> np.ndarray:
    return (np.asarray(year - 1970) * 12 + np.asarray(month) - 1).astype("datetime64[M]").astype("datetime64[D]")


def _not_after_data_date(d: np.ndarray) -> np.ndarray:
    return np.where(d <= DATA_END, d, np.datetime64("NaT"))


# --------------------------------------------------------------------------------------------------
# dimensions
# --------------------------------------------------------------------------------------------------


def build_areas(n_areas: int) -> dict:
    """The sample's five areas (the 化工集聚区 first, so the risk assessments keep their park) plus more."""
    base = sample.build_areas()
    extra = max(0, n_areas - len(base))
    codes = list(base["area_code"]) + [f"P{i:03d}" for i in range(1, extra + 1)]
    names = list(base["area_name"]) + [f"第{i:03d}号片区" for i in range(1, extra + 1)]
    parks = list(base["park"]) + [f"第{(i - 1) // 4 + 1:02d}号开发区" for i in range(1, extra + 1)]
    chem = list(base["is_chemical_cluster"]) + [False] * extra
    return dict(area_code=codes, area_name=names, park=parks, is_chemical_cluster=chem)


def build_enterprises(rng, n: int, area_codes: list[str]) -> tuple[dict, dict]:
    """Enterprises with one parcel each (every 20th parcel shared by two), plus 2 % idle parcels."""
    sectors = sample.build_sectors()
    codes = list(sectors["sector_code"])
    weights = np.where(sectors["chain"] == "其他", 0.5, 1.0)  # fewer firms outside the 主导产业链
    sector = np.array(codes, dtype=object)[rng.choice(len(codes), n, p=weights / weights.sum())]
    ht_default = dict(zip(sectors["sector_code"], sectors["is_high_tech"]))
    high_tech = np.array([ht_default[s] for s in sector]) & (rng.random(n) < 0.85)
    area_idx = rng.integers(0, len(area_codes), n)
    area = np.array(area_codes, dtype=object)[area_idx]

    # parcels: enterprise i sits on parcel owner[i]; every 20th enterprise shares its neighbour's parcel
    owner = np.arange(n)
    shared = np.arange(n) % 20 == 19
    owner[shared] -= 1
    area[shared] = area[owner[shared]]
    uniq, parcel_of = np.unique(owner, return_inverse=True)
    n_idle = max(1, n // 50)
    n_parcels = len(uniq) + n_idle
    parcel_ids = np.array([f"{area_codes[0][:1]}D{i:07d}" for i in range(1, n_parcels + 1)], dtype=object)
    parcel_area = np.concatenate(
        [area[uniq], np.array(area_codes, dtype=object)[rng.integers(0, len(area_codes), n_idle)]]
    )
    parcel_mu = np.round(rng.lognormal(3.0, 0.8, n_parcels) + 3, 2)
    # land of an enterprise: its parcel, halved when shared by two
    sharers = np.bincount(parcel_of, minlength=len(uniq))
    land = np.round(parcel_mu[parcel_of] / sharers[parcel_of], 2)
    parcels = dict(
        parcel_id=parcel_ids,
        area_code=parcel_area,
        area_mu=parcel_mu,
        x=np.round(rng.uniform(0, 500, n_parcels), 1),
        y=np.round(rng.uniform(0, 500, n_parcels), 1),
        land_use=np.where(np.arange(n_parcels) < len(uniq), "工业", "闲置").astype(object),
    )
    parcels["boundary_geojson"] = parcel_squares(parcel_area, parcel_mu, area_codes)

    above = rng.random(n) < 0.95
    first_year = np.where(above, rng.integers(1995, 2025, n), None)
    ent_ids = np.array([f"91330{i:012d}X" for i in range(1, n + 1)], dtype=object)
    names = np.array([f"浙江示范{i:06d}制造有限公司" for i in range(1, n + 1)], dtype=object)
    ents = dict(
        ent_id=ent_ids,
        ent_name=names,
        sector_code=sector,
        area_code=area,
        parcel_id=parcel_ids[parcel_of],
        land_mu=land,
        is_above_scale=above,
        is_high_tech=high_tech,
        first_year=first_year,
    )
    return ents, parcels


def parcel_squares(parcel_area: np.ndarray, parcel_mu: np.ndarray, area_codes: list[str]) -> np.ndarray:
    """A square boundary per parcel (GeoJSON text, area = its 亩), without drawing from the random stream:
    each 片区 on a grid over Zhejiang (about 0.4° apart), its parcels in rows inside it."""
    side = np.sqrt(parcel_mu * (10_000 / 15))  # metres
    codes = {c: i for i, c in enumerate(area_codes)}
    area_no = np.array([codes[a] for a in parcel_area])
    rank = np.zeros(len(parcel_area), dtype=np.int64)  # position of each parcel in its 片区
    order = np.argsort(area_no, kind="stable")
    starts = np.searchsorted(area_no[order], np.arange(len(area_codes)))
    rank[order] = np.arange(len(order)) - starts[area_no[order]]
    per_row = int(np.ceil(np.sqrt(max(1, np.bincount(area_no).max()))))
    pitch = float(side.max()) + 20.0
    lat_c = 27.4 + 0.4 * (area_no // 10) + 0.0005
    lon_c = 118.3 + 0.4 * (area_no % 10) + 0.0005
    m_lat = 110_800.0
    m_lon = 111_320.0 * np.cos(np.radians(lat_c))
    lon0 = lon_c + (rank % per_row) * pitch / m_lon
    lat0 = lat_c + (rank // per_row) * pitch / m_lat
    lon1, lat1 = lon0 + side / m_lon, lat0 + side / m_lat
    return np.array(
        [
            f'{{"type":"Polygon","coordinates":[[[{a:.7f},{b:.7f}],[{c:.7f},{b:.7f}],[{c:.7f},{d:.7f}],'
            f"[{a:.7f},{d:.7f}],[{a:.7f},{b:.7f}]]]}}"
            for a, b, c, d in zip(lon0, lat0, lon1, lat1)
        ],
        dtype=object,
    )


# --------------------------------------------------------------------------------------------------
# enterprise_month (chunked) and county_month
# --------------------------------------------------------------------------------------------------


def write_enterprise_month(rng, ents: dict, out: Path) -> tuple[Path, np.ndarray, int]:
    """Write enterprise_month chunk by chunk; return the path, monthly output totals and the row count."""
    months = month_list()
    years = np.array([y for y, _ in months])
    mons = np.array([m for _, m in months])
    season = sample.OUTPUT_SEASON[mons - 1]
    growth = 1.07 ** ((np.arange(MONTHS) - MONTHS) / 12)
    above = np.flatnonzero(ents["is_above_scale"])
    # 规上 firms report from max(first_year, start) on; 5 % of them stop a random month before the end
    start_year = np.maximum(np.array(ents["first_year"][above], dtype=float), years[0])
    first_idx = np.searchsorted(years * 12 + mons, start_year * 12 + 1, side="left")
    first_idx = np.where(start_year <= years[0], 0, first_idx)
    stops = rng.random(len(above)) < 0.05
    last_idx = np.where(stops, rng.integers(MONTHS // 2, MONTHS, len(above)), MONTHS)
    last_idx = np.maximum(last_idx, first_idx + 1)
    level = rng.lognormal(np.log(600.0), 1.1, len(above))  # 万元 per month

    totals = np.zeros(MONTHS)
    rows = 0
    path = out / "enterprise_month.parquet"
    schema = sample.arrow_schema("enterprise_month")
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for lo in range(0, len(above), CHUNK):
            sl = slice(lo, lo + CHUNK)
            f, l_, lev = first_idx[sl], last_idx[sl], level[sl]
            counts = l_ - f
            ent = np.repeat(np.arange(len(lev)), counts)
            starts = np.repeat(f, counts)
            offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            t = starts + offs
            n = len(t)
            out_wan = np.round(lev[ent] * season[t] * growth[t] * rng.lognormal(0, 0.12, n), 2)
            va = np.round(out_wan * rng.uniform(0.12, 0.25, n), 2)
            ids = ents["ent_id"][above[sl]][ent]
            cols = dict(
                ent_id=ids,
                year=years[t],
                month=mons[t],
                output_wan=out_wan,
                value_added_wan=va,
                revenue_wan=np.round(out_wan * rng.uniform(0.95, 1.08, n), 2),
                tax_wan=np.round(out_wan * rng.uniform(0.01, 0.06, n), 2),
                energy_tce=np.round(out_wan * rng.uniform(0.05, 0.4, n), 2),
                emission_t=np.round(out_wan * rng.uniform(0.002, 0.02, n), 3),
                power_10k_kwh=np.round(out_wan * rng.uniform(0.02, 0.1, n), 2),
                employees=np.maximum(1, (lev[ent] / 15 * rng.uniform(0.95, 1.05, n)).astype(np.int64)),
                rd_wan=np.round(out_wan * rng.uniform(0.0, 0.05, n), 2),
            )
            writer.write_table(_table("enterprise_month", cols))
            totals += np.bincount(t, weights=out_wan, minlength=MONTHS)
            rows += n
    return path, totals, rows


def build_county_month(totals: np.ndarray) -> dict:
    months = month_list()
    return dict(year=[y for y, _ in months], month=[m for _, m in months], county_output_wan=np.round(totals / 0.9, 2))


# --------------------------------------------------------------------------------------------------
# projects, project_month, bond_events
# --------------------------------------------------------------------------------------------------


def build_projects(rng, n_projects: int, ents: dict, area_codes: list[str]) -> dict:
    kinds = rng.choice(np.array(["产业", "基础设施", "平台提升"], dtype=object), n_projects, p=[0.75, 0.17, 0.08])
    industrial = kinds == "产业"
    host = rng.integers(0, len(ents["ent_id"]), n_projects)
    sector = np.where(industrial, ents["sector_code"][host], None)
    area = np.where(
        industrial,
        ents["area_code"][host],
        np.array(area_codes, dtype=object)[rng.integers(0, len(area_codes), n_projects)],
    )
    high_tech = industrial & (rng.random(n_projects) < 0.6)
    bond = ~industrial & (rng.random(n_projects) < 0.25)
    # idea dates spread from 2019-01 to 2024-06; each later stage follows with some probability
    idea = np.datetime64("2019-01-01") + rng.integers(0, 2008, n_projects).astype("timedelta64[D]")
    talk = np.where(industrial, _days(rng, idea, 20, 120), np.datetime64("NaT"))
    sign = np.where(industrial & (rng.random(n_projects) < 0.85), _days(rng, talk, 30, 200), np.datetime64("NaT"))
    start_from = np.where(industrial, sign, idea)
    start = np.where(rng.random(n_projects) < 0.9, _days(rng, start_from, 30, 180), np.datetime64("NaT"))
    complete = _days(rng, start, 180, 900)
    produce = np.where(industrial, _days(rng, complete, 20, 120), np.datetime64("NaT"))
    plan_start = _days(rng, start_from, 20, 150)
    plan_produce = _days(rng, plan_start, 200, 900)
    start, complete, produce = (_not_after_data_date(d) for d in (start, complete, produce))
    sign, talk = _not_after_data_date(sign), _not_after_data_date(talk)
    complete = np.where(np.isnat(start), np.datetime64("NaT"), complete)
    produce = np.where(np.isnat(complete), np.datetime64("NaT"), produce)
    reserve = np.isnat(start) & (rng.random(n_projects) < 0.5)
    plan_year = np.where(np.isnat(plan_start), 2024, plan_start.astype("datetime64[Y]").astype(int) + 1970)
    plan_year = np.minimum(plan_year, 2024)
    total = np.round(rng.lognormal(np.log(8000), 0.9, n_projects), 2)
    ids = _ids("XM", n_projects, 7)
    names = np.array([f"示范项目{i:07d}" for i in range(1, n_projects + 1)], dtype=object)
    note = np.where(industrial, "", kinds + "类项目").astype(object)
    return dict(
        project_id=ids,
        project_name=names,
        kind=kinds,
        sector_code=sector,
        area_code=area,
        is_industrial=industrial,
        is_high_tech=high_tech,
        is_special_bond=bond,
        is_reserve=reserve,
        plan_year=plan_year,
        total_invest_wan=total,
        date_idea=idea,
        date_talk=talk,
        date_sign=sign,
        date_start=start,
        date_complete=complete,
        date_produce=produce,
        plan_start=plan_start,
        plan_produce=plan_produce,
        note=note,
        **_duties(kinds, start, total, bond),
        ent_id=np.where(industrial, ents["ent_id"][host], None).astype(object),
    )


def _duties(kinds, start, total, bond) -> dict:
    """责任单位 / 责任人 / 包联领导 as the sample assigns them, without drawing from the random stream."""
    units = np.array([sample.project_office(k, not np.isnat(s)) for k, s in zip(kinds, start)], dtype=object)
    person = np.array(
        [
            f"{sample.SURNAMES[i % len(sample.SURNAMES)]}{sample.GIVEN[i % len(sample.GIVEN)]}"
            for i in range(len(kinds))
        ],
        dtype=object,
    )
    leader = np.where((total >= sample.MAJOR_PROJECT_WAN) | bond, "示范领导", None).astype(object)
    return dict(duty_unit=units, duty_person=person, liaison_leader=leader)


def build_project_month(rng, projects: dict) -> dict:
    """Monthly investment from the start month through completion (or the data date)."""
    start = projects["date_start"]
    end = np.where(np.isnat(projects["date_complete"]), DATA_END, projects["date_complete"])
    has = ~np.isnat(start)
    idx = np.flatnonzero(has)
    m0 = start[idx].astype("datetime64[M]").astype(int)
    m1 = end[idx].astype("datetime64[M]").astype(int)
    counts = m1 - m0 + 1
    p = np.repeat(idx, counts)
    m = np.repeat(m0, counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    per_month = projects["total_invest_wan"][p] / np.repeat(counts, counts)
    invest = np.round(per_month * rng.uniform(0.6, 1.4, len(p)) * sample.INVEST_SEASON[m % 12], 2)
    return dict(
        project_id=projects["project_id"][p],
        year=m // 12 + 1970,
        month=m % 12 + 1,
        invest_wan=invest,
        plan_wan=np.round(per_month, 2),
        funds_in_wan=np.round(invest * rng.uniform(0.8, 1.1, len(p)), 2),
    )


def build_bond_events(rng, projects: dict) -> dict:
    """申报 → 获批 → 到位 → 支出 for each 专项债 project (dates not after the data date)."""
    idx = np.flatnonzero(projects["is_special_bond"])
    n = len(idx)
    ask = _days(rng, projects["date_idea"][idx], 30, 200)
    ok = _days(rng, ask, 30, 120)
    arrive = _days(rng, ok, 20, 90)
    spend = _days(rng, arrive, 20, 200)
    amount = np.round(projects["total_invest_wan"][idx] * rng.uniform(0.3, 0.6, n), 2)
    events, dates, amounts, rows = [], [], [], []
    for ev, d, a in (
        ("申报", ask, amount),
        ("获批", ok, amount),
        ("到位", arrive, np.round(amount * 0.8, 2)),
        ("支出", spend, np.round(amount * 0.6, 2)),
    ):
        keep = d <= DATA_END
        rows.append(idx[keep])
        events.append(np.full(keep.sum(), ev, dtype=object))
        dates.append(d[keep])
        amounts.append(a[keep])
    p = np.concatenate(rows)
    year = np.concatenate(dates).astype("datetime64[Y]").astype(int) + 1970
    bond_year = np.repeat(ask.astype("datetime64[Y]").astype(int) + 1971, 1)
    by_project = dict(zip(idx, bond_year))
    bid = np.array([f"ZXZ-{by_project[i]}-{i:07d}" for i in p], dtype=object)
    del year
    return dict(
        bond_id=bid,
        project_id=projects["project_id"][p],
        bond_year=np.array([by_project[i] for i in p]),
        event=np.concatenate(events),
        event_date=np.concatenate(dates),
        amount_wan=np.concatenate(amounts),
    )


# --------------------------------------------------------------------------------------------------
# land actions, hazards, accidents, trainings
# --------------------------------------------------------------------------------------------------


def build_land_actions(rng, parcels: dict, ents: dict) -> dict:
    n_parcels = len(parcels["parcel_id"])
    n = max(5, n_parcels // 100)
    pick = rng.choice(n_parcels, n, replace=False)
    plan_year = rng.integers(2020, 2025, n)
    found = _month_start(plan_year - 1, rng.integers(9, 13, n)) + rng.integers(0, 28, n).astype("timedelta64[D]")
    plan = _days(rng, found, 20, 90)
    start = _days(rng, plan, 30, 120)
    accepted = _days(rng, start, 90, 300)
    plan = _not_after_data_date(plan)
    start = np.where(np.isnat(plan), np.datetime64("NaT"), _not_after_data_date(start))
    accepted = np.where(np.isnat(start), np.datetime64("NaT"), _not_after_data_date(accepted))
    status = np.where(
        ~np.isnat(accepted), "验收", np.where(~np.isnat(start), "实施", np.where(~np.isnat(plan), "方案", "摸排"))
    ).astype(object)
    methods = np.array(["收回", "收购", "企业重组/兼并", "提升改造", "二次招商"], dtype=object)
    before = np.round(rng.uniform(1, 8, n), 2)
    after = np.where(
        ~np.isnat(accepted) & (accepted < np.datetime64("2023-09-30")),
        np.round(before * rng.uniform(2, 6, n), 2),
        np.nan,
    )
    return dict(
        action_id=np.array([f"DX{y}-{i:06d}" for i, y in enumerate(plan_year, 1)], dtype=object),
        parcel_id=parcels["parcel_id"][pick],
        area_code=parcels["area_code"][pick],
        plan_year=plan_year,
        method=methods[rng.integers(0, len(methods), n)],
        status=status,
        area_mu=parcels["area_mu"][pick],
        date_found=found,
        date_plan=plan,
        date_start=start,
        date_accepted=accepted,
        ent_before=np.full(n, "原用地企业", dtype=object),
        mujun_tax_before_wan=before,
        new_use=np.full(n, "提升改造后企业", dtype=object),
        mujun_tax_after_wan=after,
    )


def build_hazards(rng, ents: dict) -> dict:
    n_ent = len(ents["ent_id"])
    n = int(n_ent * MONTHS * HAZARDS_PER_ENT_MONTH)
    who = rng.integers(0, n_ent, n)
    first = np.datetime64(f"{month_list()[0][0]}-{month_list()[0][1]:02d}-01")
    found = np.sort(first + rng.integers(0, int((DATA_END - first).astype(int)) + 1, n).astype("timedelta64[D]"))
    major = rng.random(n) < 0.02
    deadline = found + np.where(major, rng.integers(30, 120, n), rng.integers(3, 30, n)).astype("timedelta64[D]")
    fixed = found + (rng.gamma(2.0, 6.0, n) * np.where(major, 4, 1)).astype(int).astype("timedelta64[D]")
    fixed = np.where(rng.random(n) < 0.97, _not_after_data_date(fixed), np.datetime64("NaT"))
    cats = np.array(sample.HAZARD_CATEGORIES, dtype=object)
    srcs = np.array(sample.HAZARD_SOURCES[0], dtype=object)
    cat = cats[rng.integers(0, len(cats), n)]
    text = {c: np.array(sample.HAZARD_TEXT.get(c, ["其他隐患"]), dtype=object) for c in sample.HAZARD_CATEGORIES}
    desc = np.empty(n, dtype=object)
    for c, options in text.items():
        sel = cat == c
        desc[sel] = options[rng.integers(0, len(options), sel.sum())]
    year = found.astype("datetime64[Y]").astype(int) + 1970
    # ids numbered within each year, like the sample's YH20210001
    order_in_year = np.arange(n) - np.searchsorted(year, year, side="left")
    ids = np.array([f"YH{y}{k + 1:07d}" for y, k in zip(year, order_in_year)], dtype=object)
    return dict(
        hazard_id=ids,
        ent_id=ents["ent_id"][who],
        area_code=ents["area_code"][who],
        level=np.where(major, "重大", "一般").astype(object),
        category=cat,
        source=srcs[rng.integers(0, len(srcs), n)],
        found_date=found,
        deadline=deadline,
        rectified_date=fixed,
        description=desc,
        rectify_person=np.array([f"安全员{w % 997:03d}" for w in who], dtype=object),
        supervise_office=np.where(cat == "厂中厂", "规划建设科", "安全生产科").astype(object),
    )


def build_accidents(rng, ents: dict) -> dict:
    n = max(1, len(ents["ent_id"]) // 200)
    who = rng.integers(0, len(ents["ent_id"]), n)
    first = np.datetime64("2019-10-01")
    when = np.sort(first + rng.integers(0, int((DATA_END - first).astype(int)) + 1, n).astype("timedelta64[D]"))
    kinds = np.array(["机械伤害", "物体打击", "高处坠落", "触电", "灼烫", "中毒和窒息"], dtype=object)
    return dict(
        accident_id=_ids("SG", n, 6),
        accident_date=when,
        ent_id=ents["ent_id"][who],
        area_code=ents["area_code"][who],
        kind=kinds[rng.integers(0, len(kinds), n)],
        deaths=(rng.random(n) < 0.05).astype(np.int64),
        injuries=rng.integers(0, 3, n),
        loss_wan=np.round(rng.lognormal(1.5, 1.0, n), 2),
    )


def build_trainings(rng, area_codes: list[str]) -> dict:
    per_area = 50  # about one a week per 片区 over the five years
    n = per_area * len(area_codes)
    first = np.datetime64("2019-10-01")
    when = np.sort(first + rng.integers(0, int((DATA_END - first).astype(int)) + 1, n).astype("timedelta64[D]"))
    drill = rng.random(n) < 0.2
    topics = np.array(sample.TRAINING_TOPICS, dtype=object)
    drills = np.array(sample.DRILL_TOPICS, dtype=object)
    topic = np.where(drill, drills[rng.integers(0, len(drills), n)], topics[rng.integers(0, len(topics), n)])
    return dict(
        training_id=_ids("PX", n, 7),
        training_date=when,
        kind=np.where(drill, "演练", "培训").astype(object),
        topic=topic,
        area_code=np.array(area_codes, dtype=object)[rng.integers(0, len(area_codes), n)],
        participants=rng.integers(20, 400, n),
    )


def build_targets(factor: float) -> dict:
    """The sample's targets, money and 个 targets of the whole zone scaled by the size factor."""
    t = sample.build_targets()
    ind = sample.build_indicators().set_index("indicator_id")["unit"]
    unit = t["indicator_id"].map(ind)
    money, count = unit.isin(["亿元", "万元"]), unit == "个"
    t.loc[money, "target_value"] = (t.loc[money, "target_value"] * factor).round(2)
    t.loc[count, "target_value"] = (t.loc[count, "target_value"] * factor).round(0)
    return {c: t[c].to_numpy() for c in t.columns}


# --------------------------------------------------------------------------------------------------


def generate(enterprises: int, out: Path, seed: int = SEED, log=print) -> dict[str, int]:
    """Write every table into `out`; return rows per table."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    factor = enterprises / SAMPLE_ENTERPRISES
    rows: dict[str, int] = {}
    t0 = time.time()

    def put(name: str, cols) -> None:
        table = cols if isinstance(cols, pa.Table) else _table(name, cols)
        _write(table, out, name)
        rows[name] = table.num_rows
        log(f"{name:<18} {table.num_rows:>11,} rows  {time.time() - t0:6.1f} s")

    put(
        "sectors",
        pa.Table.from_pandas(
            sample.build_sectors(), schema=sample.arrow_schema("sectors"), preserve_index=False
        ).replace_schema_metadata(None),
    )
    areas = build_areas(max(5, enterprises // ENTS_PER_AREA))
    put("areas", areas)
    ents, parcels = build_enterprises(rng, enterprises, areas["area_code"])
    put("parcels", parcels)
    put("enterprises", ents)
    _, totals, n_em = write_enterprise_month(rng, ents, out)
    rows["enterprise_month"] = n_em
    log(f"{'enterprise_month':<18} {n_em:>11,} rows  {time.time() - t0:6.1f} s")
    put("county_month", build_county_month(totals))
    projects = build_projects(rng, max(20, enterprises), ents, areas["area_code"])
    put("projects", projects)
    put("project_month", build_project_month(rng, projects))
    put("bond_events", build_bond_events(rng, projects))
    put("land_actions", build_land_actions(rng, parcels, ents))
    put("hazards", build_hazards(rng, ents))
    put("accidents", build_accidents(rng, ents))
    put("trainings", build_trainings(rng, areas["area_code"]))
    for name, df in (
        ("risk_assessments", sample.build_risk_assessments()),
        ("indicators", sample.build_indicators()),
        ("price_index", sample.generate_empty("price_index")),
    ):
        put(
            name,
            pa.Table.from_pandas(df, schema=sample.arrow_schema(name), preserve_index=False).replace_schema_metadata(
                None
            ),
        )
    put("targets", build_targets(factor))
    # the zone's identity (a directory with its own tables is never overwritten by the sample)
    from cockpit.data.zone import write_identity

    write_identity(
        out, {"name": f"省级规模测试区（{enterprises:,} 家企业，合成数据）", "short_name": "规模测试区", "county": ""}
    )
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Write a provincial-scale dataset (same schema as data/).")
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--out", default="var/scale")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.enterprises, Path(args.out), args.seed)


if __name__ == "__main__":
    main()
