"""The sample generator is deterministic, the shipped data is its output, and the data hangs together.

Calibration against the 2023 work summary is tested through the named queries in test_calibration.py;
here the generated frames are checked directly with pandas.
"""

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cockpit.gen import sample

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DATA_DATE = date(2024, 9, 30)

KEYS = {
    "sectors": ["sector_code"],
    "areas": ["area_code"],
    "parcels": ["parcel_id"],
    "enterprises": ["ent_id"],
    "enterprise_month": ["ent_id", "year", "month"],
    "county_month": ["year", "month"],
    "projects": ["project_id"],
    "project_month": ["project_id", "year", "month"],
    "bond_events": ["bond_id", "event", "event_date"],
    "land_actions": ["action_id"],
    "hazards": ["hazard_id"],
    "accidents": ["accident_id"],
    "trainings": ["training_id"],
    "risk_assessments": ["park", "assess_date"],
    "targets": ["year", "indicator_id", "scope_kind", "scope_code"],
    "indicators": ["indicator_id"],
    "price_index": ["year", "month"],
}
FOREIGN_KEYS = [  # child table, column, parent table, column
    ("parcels", "area_code", "areas", "area_code"),
    ("enterprises", "sector_code", "sectors", "sector_code"),
    ("enterprises", "area_code", "areas", "area_code"),
    ("enterprises", "parcel_id", "parcels", "parcel_id"),
    ("enterprise_month", "ent_id", "enterprises", "ent_id"),
    ("projects", "sector_code", "sectors", "sector_code"),
    ("projects", "area_code", "areas", "area_code"),
    ("projects", "ent_id", "enterprises", "ent_id"),
    ("project_month", "project_id", "projects", "project_id"),
    ("bond_events", "project_id", "projects", "project_id"),
    ("land_actions", "parcel_id", "parcels", "parcel_id"),
    ("land_actions", "area_code", "areas", "area_code"),
    ("hazards", "ent_id", "enterprises", "ent_id"),
    ("hazards", "area_code", "areas", "area_code"),
    ("accidents", "ent_id", "enterprises", "ent_id"),
    ("accidents", "area_code", "areas", "area_code"),
    ("trainings", "area_code", "areas", "area_code"),
    ("risk_assessments", "park", "areas", "area_name"),
    ("targets", "indicator_id", "indicators", "indicator_id"),
]
SEED_ENTERPRISES = [
    "合成材料",
    "元素新材料",
    "胡涂硅",
    "泰能光电",
    "卡游",
    "源头酒业",
    "渴可速",
    "普康",
    "万亿星",
    "惠多利",
]
SEED_PROJECTS = [
    "集中供热",
    "再生水厂",
    "职工服务中心",
    "泰能光电光伏组件",
    "迈图新材料",
    "亚格盛甲硅烷特气",
    "军用特种涂料",
    "特殊空间作业及巡检机器人",
    "绍兴材华科技着色剂",
    "天瑞机钢结构",
    "渴可速",
    "源头酒业",
    "合成材料",
    "胡涂硅",
    "普康",
    "万亿星",
    "惠多利",
    "卡游产业园",
    "元素新材料",
    "朝阳工业片区开发场地平整",
    "通航智造产业区基础设施",
]
DATE_LIKE = ("plan_start", "plan_produce", "deadline")
STAGES = ["date_idea", "date_talk", "date_sign", "date_start", "date_complete", "date_produce"]


@pytest.fixture(scope="module")
def tables():
    return sample.generate()


def _month_key(df):
    return df["year"] * 12 + df["month"]


def test_generation_is_deterministic_and_shipped_data_is_fresh(tables, tmp_path):
    """Test that two generations give byte-identical parquet files, equal to the shipped data/*.parquet."""
    first = sample.write(tables, tmp_path / "a")
    second = sample.write(sample.generate(), tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), f"{a.name} differs between runs"
    for a in first:
        shipped = DATA_DIR / a.name
        assert shipped.exists(), f"{a.name} missing from data/: run python -m cockpit.gen.sample"
        assert shipped.read_bytes() == a.read_bytes(), f"data/{a.name} is stale: run python -m cockpit.gen.sample"


def test_tables_and_columns_follow_the_declarations(tables):
    """Test that every declared table is generated with exactly its declared columns, in order, and that
    data/README.md shows the table generated from the declarations."""
    from cockpit.data.schema import SPECS, readme_table

    assert set(tables) == set(SPECS) == set(KEYS)
    for name, df in tables.items():
        assert list(df.columns) == SPECS[name].names, name
        assert list(SPECS[name].key) == KEYS[name], name
    assert readme_table() in (DATA_DIR / "README.md").read_text(encoding="utf-8")


def test_parquet_types(tables, tmp_path):
    """Test that dates are stored as DATE, counts as int64, amounts as double, flags as bool."""
    for path in sample.write(tables, tmp_path):
        if path.suffix != ".parquet":
            continue
        schema = pq.read_schema(path)
        for field in schema:
            if field.name.startswith("date_") or field.name.endswith("_date") or field.name in DATE_LIKE:
                assert field.type == pa.date32(), (path.name, field.name)
            elif field.name.endswith(("_wan", "_mu", "_tce", "_t", "_10k_kwh")):
                assert field.type == pa.float64(), (path.name, field.name)
            elif field.name.startswith("is_"):
                assert field.type == pa.bool_(), (path.name, field.name)
            elif field.name in ("year", "month", "employees", "participants", "deaths", "injuries"):
                assert field.type == pa.int64(), (path.name, field.name)


@pytest.mark.parametrize("name", sorted(KEYS))
def test_keys_are_unique_and_complete(tables, name):
    """Test that each table's key is unique and never null."""
    df = tables[name]
    assert len(df) > 0 or name == "price_index"  # optional table: the sample has none
    assert not df[KEYS[name]].isna().any().any()
    assert not df.duplicated(KEYS[name]).any()


@pytest.mark.parametrize("child, col, parent, pcol", FOREIGN_KEYS, ids=lambda v: str(v))
def test_foreign_keys_resolve(tables, child, col, parent, pcol):
    """Test that every non-null reference points at an existing row."""
    values = tables[child][col].dropna()
    missing = set(values) - set(tables[parent][pcol])
    assert not missing, f"{child}.{col} → {parent}.{pcol}: {sorted(missing)[:5]}"


def test_areas_agree_along_references(tables):
    """Test that an enterprise's area is its parcel's, and hazards and land actions sit in their parcel's area."""
    parcel_area = tables["parcels"].set_index("parcel_id")["area_code"]
    ent = tables["enterprises"]
    assert (ent["parcel_id"].map(parcel_area) == ent["area_code"]).all()
    la = tables["land_actions"]
    assert (la["parcel_id"].map(parcel_area) == la["area_code"]).all()
    hz = tables["hazards"]
    assert (hz["ent_id"].map(ent.set_index("ent_id")["area_code"]) == hz["area_code"]).all()
    chem = tables["areas"].query("is_chemical_cluster")
    assert len(chem) == 1
    assert set(tables["risk_assessments"]["park"]) == set(chem["area_name"])


def test_no_negative_amounts(tables):
    """Test that money, land, energy, emissions and head counts are never negative."""
    for name, df in tables.items():
        for col in df.columns:
            if col.endswith(("_wan", "_mu", "_tce", "_t", "_10k_kwh")) or col in (
                "employees",
                "participants",
                "deaths",
                "injuries",
                "score",
            ):
                assert (df[col].dropna() >= 0).all(), f"{name}.{col}"


def test_no_dates_after_the_data_date(tables):
    """Test that only planned dates and deadlines lie after 2024-09-30, and monthly facts run 2021-01 … 2024-09."""
    for name, df in tables.items():
        for col in df.columns:
            if col.startswith("plan_") or col == "deadline":
                continue
            if col.startswith("date_") or col.endswith("_date"):
                values = df[col].dropna()
                assert all(isinstance(v, date) for v in values), f"{name}.{col}"
                assert (values <= DATA_DATE).all(), f"{name}.{col}"
        if {"year", "month"} <= set(df.columns) and name != "targets" and len(df):
            keys = _month_key(df)
            assert keys.min() >= 2021 * 12 + 1 and keys.max() <= 2024 * 12 + 9, name


def test_enterprise_land_shares_add_up_to_the_parcel(tables):
    """Test that the land of the enterprises on a parcel adds up to the parcel, and idle parcels have none."""
    parcels = tables["parcels"].set_index("parcel_id")
    used = tables["enterprises"].groupby("parcel_id")["land_mu"].sum()
    assert ((used - parcels.loc[used.index, "area_mu"]).abs() < 0.005).all()
    assert (parcels.loc[used.index, "land_use"] == "工业").all()
    idle = parcels.index[parcels["land_use"] == "闲置"]
    assert len(idle) >= 10 and not set(idle) & set(used.index)
    assert set(parcels.index[parcels["land_use"] == "工业"]) == set(used.index)
    shared = tables["enterprises"].groupby("parcel_id").size()
    assert (shared >= 2).sum() >= 5, "several parcels are shared by 2–3 enterprises"


def test_enterprises_look_real(tables):
    """Test 18-character credit codes of 开化县, unique names, the firms of the seed, 规上 and 规下 firms."""
    ent = tables["enterprises"]
    assert ent["ent_id"].str.fullmatch(r"91330824[0-9A-HJ-NPQRTUWXY]{10}").all()
    assert not ent["ent_name"].duplicated().any()
    for firm in SEED_ENTERPRISES:
        assert ent["ent_name"].str.contains(firm).any(), firm
    assert 110 <= ent["is_above_scale"].sum() <= 140
    assert (~ent["is_above_scale"] & ent["first_year"].isna()).sum() >= 25
    em = tables["enterprise_month"]
    assert em.loc[em["year"] == 2023, "ent_id"].nunique() >= 110
    assert set(em["ent_id"]) <= set(ent.loc[ent["first_year"].notna(), "ent_id"])


def test_monthly_output_has_spring_festival_dip(tables):
    """Test that February is the weakest month and December the strongest of every full year."""
    em = tables["enterprise_month"]
    zone = em[em["year"] <= 2023].groupby(["year", "month"])["output_wan"].sum().unstack()
    assert (zone.idxmin(axis=1) == 2).all()
    assert (zone.idxmax(axis=1) == 12).all()
    county = tables["county_month"].set_index(["year", "month"])["county_output_wan"]
    assert (county >= em.groupby(["year", "month"])["output_wan"].sum()).all()


def test_largest_decliners_and_poor_mujun_exist(tables):
    """Test that some enterprises shrink and 亩均 spreads widely, so rankings and A/B/C/D classes mean something."""
    em, ent = tables["enterprise_month"], tables["enterprises"].set_index("ent_id")
    by_year = em.groupby(["ent_id", "year"])["output_wan"].sum().unstack()
    growth = (by_year[2023] / by_year[2022] - 1).dropna()
    assert (growth < -0.1).sum() >= 5
    va = em[em["year"] == 2023].groupby("ent_id")["value_added_wan"].sum()
    mujun = va / ent.loc[va.index, "land_mu"]
    assert mujun.quantile(0.1) < 40 < 150 < mujun.quantile(0.9)


def test_project_stages_are_ordered(tables):
    """Test idea ≤ talk ≤ sign ≤ start ≤ complete ≤ produce, and no 投产 for infrastructure or platform projects."""
    pr = tables["projects"]
    for _, row in pr.iterrows():
        reached = [row[c] for c in STAGES if row[c] is not None]
        assert reached == sorted(reached), row["project_name"]
    assert pr.loc[pr["kind"] != "产业", "date_produce"].isna().all()
    assert (pr["is_industrial"] == (pr["kind"] == "产业")).all()
    assert not (pr["is_high_tech"] & ~pr["is_industrial"]).any()
    assert pr.loc[~pr["is_industrial"], "sector_code"].isna().all()


def test_investment_only_while_under_construction(tables):
    """Test that a project invests only from its start month to its completion month, funds a bit below invest."""
    pr = tables["projects"].set_index("project_id")
    pm = tables["project_month"]
    span = pm.groupby("project_id").apply(lambda g: (_month_key(g).min(), _month_key(g).max()))
    for pid, (first, last) in span.items():
        start, complete = pr.loc[pid, "date_start"], pr.loc[pid, "date_complete"]
        assert start is not None and first == start.year * 12 + start.month, pid
        if complete is not None:
            assert last == complete.year * 12 + complete.month, pid
    assert (pm["invest_wan"] > 0).all()
    assert (pm["funds_in_wan"] <= pm["invest_wan"]).all()


def test_projects_of_the_seed(tables):
    """Test that the named projects appear, 11 projects were 在谈 on 2024-01-01, and the 2024 plan's counts hold."""
    pr = tables["projects"]
    for name in SEED_PROJECTS:
        assert pr["project_name"].str.contains(name).any(), name
    d = date(2024, 1, 1)
    talking = pr[
        pr["date_talk"].map(lambda v: v is not None and v <= d) & pr["date_sign"].map(lambda v: v is None or v > d)
    ]
    assert len(talking) == 11
    plan = pr[pr["plan_year"] == 2024]
    reserve = plan[plan["is_reserve"] & ~plan["is_special_bond"]]
    bond_reserve = plan[plan["is_reserve"] & plan["is_special_bond"]]
    assert (len(reserve), round(reserve["total_invest_wan"].sum(), 2)) == (8, 120_000.0)
    assert (len(bond_reserve), round(bond_reserve["total_invest_wan"].sum(), 2)) == (3, 41_000.0)
    assert (plan["kind"] == "平台提升").sum() == 13
    lagging = pr[
        pr["plan_produce"].map(lambda v: v is not None and v < DATA_DATE)
        & pr["date_produce"].isna()
        & (pr["kind"] == "产业")
    ]
    assert len(lagging) >= 1, "some projects lag past their planned 投产"


def test_bond_events_follow_the_pipeline(tables):
    """Test 申报 → 获批 → 到位 → 支出 in time, with cumulative 支出 ≤ 到位 ≤ 获批 per bond."""
    be = tables["bond_events"]
    for bond_id, g in be.groupby("bond_id"):
        first = g.groupby("event")["event_date"].min()
        order = [first[e] for e in ["申报", "获批", "到位", "支出"] if e in first]
        assert order == sorted(order), bond_id
        g = g.sort_values("event_date")
        arrived = g["amount_wan"].where(g["event"] == "到位", 0).cumsum()
        spent = g["amount_wan"].where(g["event"] == "支出", 0).cumsum()
        assert (spent <= arrived + 0.005).all(), bond_id
        approved = g.loc[g["event"] == "获批", "amount_wan"].sum()
        assert arrived.iloc[-1] <= approved + 0.005, bond_id
        assert (g["event"] == "申报").sum() == 1 and (g["event"] == "获批").sum() <= 1
    assert set(be["project_id"]) <= set(tables["projects"].query("is_special_bond")["project_id"])


def test_land_actions_status_matches_dates(tables):
    """Test that 验收 actions have an acceptance date and earlier stages do not, dates in order."""
    la = tables["land_actions"]
    stage_cols = ["date_found", "date_plan", "date_start", "date_accepted"]
    for _, row in la.iterrows():
        reached = ["摸排", "方案", "实施", "验收"].index(row["status"]) + 1
        values = [row[c] for c in stage_cols]
        assert all(v is not None for v in values[:reached]) and all(v is None for v in values[reached:])
        assert values[:reached] == sorted(values[:reached]), row["action_id"]
    assert set(la["method"]) == {"收回", "收购", "企业重组/兼并", "提升改造", "二次招商"}
    after = la.dropna(subset=["mujun_tax_after_wan"])
    assert len(after) >= 5 and (after["mujun_tax_after_wan"] > after["mujun_tax_before_wan"]).mean() >= 0.8


def test_hazards_are_mostly_closed_with_a_few_overdue_major(tables):
    """Test closure above 90 % every year, and at least one overdue 重大隐患 still open on the data date."""
    hz = tables["hazards"]
    assert (hz["deadline"] >= hz["found_date"]).all()
    closed = hz["rectified_date"].notna()
    assert (hz.loc[closed, "rectified_date"] >= hz.loc[closed, "found_date"]).all()
    by_year = closed.groupby(hz["found_date"].map(lambda d: d.year)).mean()
    assert (by_year > 0.9).all()
    overdue_major = hz[~closed & (hz["deadline"] < DATA_DATE) & (hz["level"] == "重大")]
    assert 1 <= len(overdue_major) <= 4
    assert 0.02 <= (hz["level"] == "重大").mean() <= 0.07
    chem_area = tables["areas"].query("is_chemical_cluster")["area_code"].iloc[0]
    assert hz["area_code"].value_counts().idxmax() == chem_area


def test_no_accident_in_2023_and_one_earlier(tables):
    """Test zero accidents in 2023 and a past accident so 'days since the last accident' means something."""
    years = tables["accidents"]["accident_date"].map(lambda d: d.year)
    assert (years == 2023).sum() == 0
    assert (years < 2023).sum() >= 1


def test_risk_grades_match_scores(tables):
    """Test A < 60, B 60–70, C 70–85, D ≥ 85, and the latest assessment still below D."""
    ra = tables["risk_assessments"].sort_values("assess_date")
    assert (ra["grade"] == ra["score"].map(sample.risk_grade)).all()
    assert ra["score"].is_monotonic_increasing
    assert ra["grade"].iloc[-1] == "C"


def test_targets_cite_their_source(tables):
    """Test that targets come from the 2024 plan or are marked as defaults, for 2023 and 2024."""
    tg = tables["targets"]
    assert set(tg["year"]) == {2023, 2024}
    assert set(tg["source"]) == {"2024年工作计划", "示例默认值"}
    zone = tg[tg["scope_kind"] == "全区"]
    assert (zone["scope_code"] == "").all()
    scoped = tg[tg["scope_kind"] != "全区"]  # a few 产业链 / 片区 targets, so filtered views have lights of their own
    assert set(scoped["scope_kind"]) == {"产业链", "片区"} and (scoped["scope_code"] != "").all()
    assert set(scoped.loc[scoped["scope_kind"] == "产业链", "scope_code"]) <= set(tables["sectors"]["chain"])
    assert set(scoped.loc[scoped["scope_kind"] == "片区", "scope_code"]) <= set(tables["areas"]["area_code"])
    assert tg.set_index(["year", "indicator_id"]).loc[(2024, "land_reclaimed"), "target_value"] == 150
