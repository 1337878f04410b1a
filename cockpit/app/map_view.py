"""亩均一张图 on a page (Streamlit glue): the mode switch, the map or the 片区 view, the notes, and a click on a
parcel opening its enterprise's profile (a click on a 片区 in the 片区 view narrows the filter bar to it).

    map_view.show(key="mj_map", mode="亩均分类", year=2023)     # on 亩均效益 / 低效用地
    map_view.show(key="ent_map", areas=["HGQ"], highlight="HGQ-003", modes=False)   # the profile's parcel
"""

from __future__ import annotations

import streamlit as st

from cockpit.app import filters, links, mujun_cache, ui
from cockpit.data import config
from cockpit.data.dimensions import Scope
from cockpit.domain import memo, mujun
from cockpit.domain.markup import plain
from cockpit.report import charts, landmap

TOOLTIP = {
    "ent_names": "企业",
    "parcel_id": "地块",
    "area_name": "片区",
    "area_mu": "面积（亩）",
    "tax_per_mu": "亩均税收（万元/亩）",
    "cls_label": "亩均分类",
    "state": "整治状态",
}


def _evaluation(year: int | None):
    """(parcel ids → their units of the 亩均 evaluation of `year`, class order, rated enterprises per 片区) — no
    units when no year is evaluated."""
    import pandas as pd

    cfg = mujun.load_config()
    if year is None:
        none = pd.DataFrame(columns=["unit_id", "cls_label", "tax_per_mu"])
        return (lambda parcel_ids: none), [cfg.label(c) for c in mujun.CLASSES], None
    prepared = mujun_cache.evaluated(cfg).year(year)
    return prepared.units_of, prepared.class_order, prepared.rated_by_area


def evaluation_year() -> tuple[int | None, str]:
    """The 亩均 evaluation year for the filter bar's year (the last complete year), and its note."""
    f = filters.current()
    periods = ui.q("data_periods")
    return mujun.evaluation_year(f.year, dict(zip(periods["year"].astype(int), periods["last_month"].astype(int))))


def _narrow_to_area(key: str) -> None:
    """Callback of a click in the 片区 view: set the filter bar's 片区 to the clicked one."""
    event = st.session_state.get(key) or {}
    chosen = (event.get("selection") or {}).get("area_pick") or []
    if chosen and chosen[0].get("area_code"):
        st.session_state["area"] = [chosen[0]["area_code"]]


def show(
    *,
    key: str,
    mode: str = "亩均分类",
    year: int | None = None,
    areas: list[str] | None = None,
    highlight: str | None = None,
    modes: bool = True,
    height: int = 520,
) -> None:
    """Draw the map for the filter bar (or only `areas`), coloured as the chosen mode; `year` = the 亩均
    evaluation year (default: the filter bar's). A click on a parcel opens its largest enterprise's profile."""
    f = filters.current()
    p = f.params() if areas is None else {**f.params(), "scope": Scope.of(areas=areas)}
    if year is None:
        year, _ = evaluation_year()
    if modes:
        # the default only for a new control: a choice kept while its tab was closed (ui.tabs) is in Session State
        default = None if f"{key}_mode" in st.session_state else mode
        mode = st.segmented_control("着色", list(landmap.MODES), default=default, key=f"{key}_mode") or mode
    parcels = ui.q("parcel_map", p, limit=charts.MAX_ROWS)
    units_of, order, rated = _evaluation(year)
    if parcels.empty:
        _area_view(key, p, mode, rated, height)
        return
    shown = memo.call(landmap.features, parcels, units_of(parcels["parcel_id"]), mode)
    total, with_shape = int(parcels["parcels_in_scope"].iloc[0]), int(parcels["with_boundary"].iloc[0])
    if shown.empty:
        st.info(
            "范围内的地块都没有边界数据，无法绘制地图；可在“数据管理”导入地块表的“地块边界（GeoJSON）”列或 .geojson 文件。"
        )
        return
    colors = landmap.legend(mode, order)
    colors = {
        k: v
        for k, v in colors.items()
        if k in set(shown["category"]) or k not in (landmap.NO_ENTERPRISE, landmap.OUT_OF_SCOPE, landmap.NOT_RATED)
    }
    end = f"{f.year}年{max(f.month, 2)}月末"  # short: the title must fit a phone
    what = {
        "亩均分类": f"{year}年亩均分类" if year else "尚无完整年度的亩均评价",
        "整治状态": f"{end}整治状态",
        "闲置地块": f"{end}闲置地块",
    }[mode]
    base = config.map_config()
    projection, tiles = (
        (None, None) if not base.tile_url else landmap.tiles(memo.call(landmap.extent, shown), base.tile_url, height)
    )
    event = ui.chart(
        charts.parcel_map,
        shown,
        category="category",
        colors=colors,
        tooltip=TOOLTIP,
        outlines=memo.call(landmap.outlines, parcels[["area_name", "boundary_geojson"]]),  # keyed by what it reads
        projection=projection,
        tiles=tiles,
        highlight=highlight,
        height=height,
        key=key,
        on_select="rerun",
        title=f"地块 {len(shown):,} 个 · {what}",
    )
    notes = [
        f"图中地块 {len(shown):,} 个"
        + (f"，另有 {total - with_shape:,} 个无边界数据未绘制" if with_shape < total else "")
        + "；虚线为片区范围（其地块的外包多边形）。"
    ]
    if highlight:
        notes.append(f"黑框为本企业的地块（{plain(highlight)}）。")
    if (~parcels["in_scope"]).any():
        notes.append("灰色地块上的企业不在当前产业链、行业或高新筛选范围内。")
    notes.append(
        "悬停查看企业、面积、亩均税收和分类；点击地块打开企业画像。"
        + (
            f"底图：{plain(base.tile_attribution) or '配置的瓦片服务'}。"
            if base.tile_url
            else "无底图：坐标为经纬度（WGS84）。"
        )
    )
    st.caption("".join(notes))
    _open_clicked(event, shown)


def _open_clicked(event, shown) -> None:
    chosen = ((event or {}).get("selection") or {}).get("parcel_pick") or []
    parcel = chosen[0].get("parcel_id") if chosen and isinstance(chosen[0], dict) else None
    if not parcel:
        return
    match = shown.loc[shown["parcel_id"] == parcel, "ent_id"]
    if len(match) and match.iloc[0]:
        links.open_profile(match.iloc[0])
    else:
        st.toast(f"地块 {plain(parcel)} 上没有企业（闲置或整治中）。", icon=":material/info:")


def _area_view(key: str, p: dict, mode: str, rated, height: int) -> None:
    """More parcels than a chart may draw: the 片区 as rectangles; a click narrows the filter to one. `rated`:
    rated enterprises and D 类 per 片区 (zone-wide, mujun.rated_by_area), shown in the 亩均分类 mode."""
    areas = ui.q("parcel_map_areas", p)
    counts = rated if mode == "亩均分类" else None
    view = memo.call(landmap.area_view, areas, counts, mode)
    n = int(areas["parcels"].sum()) if len(areas) else 0
    if view.empty:
        st.info("范围内的地块都没有边界数据，无法绘制地图。")
        return
    ui.chart(
        charts.area_map,
        view,
        title=f"范围内地块 {n:,} 个，超过 {charts.MAX_ROWS:,} 个：按片区显示",
        share_title=landmap.SHARE_TITLE[mode],
        height=height,
        key=f"{key}_areas",
        on_select=lambda: _narrow_to_area(f"{key}_areas"),
    )
    st.caption(
        f"地块超过 {charts.MAX_ROWS:,} 个时按片区汇总显示（矩形为片区地块的外包范围，颜色为{landmap.SHARE_TITLE[mode]}）；"
        "点击片区或在筛选栏选择片区后显示其地块。"
    )
