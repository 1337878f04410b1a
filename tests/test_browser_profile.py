"""Real browser: one click from the 工业经济 ranking, the hazard register and the 亩均 map to the 企业画像, and back
to the same view with the filters kept; the map draws the parcels it states; a project opens its detail."""

import re
from urllib.parse import parse_qs, quote, urlsplit

from browser import metric_values, wait_for_app

from cockpit.data.db import DEFAULT_DATA_DIR, Database
from cockpit.data.dimensions import EVERYTHING

ROW_1 = 35 + 17  # the first data row of a st.dataframe: below the 35 px header, in the middle of the row


def query(page) -> dict:
    return {k: v for k, v in parse_qs(urlsplit(page.url).query).items()}


def open_page(page, app_url: str, path: str) -> None:
    page.goto(app_url)  # a fresh server answers a first deep link with "Page not found" (see tests/browser.py)
    wait_for_app(page)
    page.goto(f"{app_url}{path}")
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0


def click_first_row(page, key: str) -> None:
    grid = page.locator(f".st-key-{key} [data-testid=stDataFrame]")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 150, box["y"] + ROW_1)


def arrive(page, path: str) -> None:
    page.wait_for_function("(p) => location.pathname.endsWith('/' + p)", arg=path, timeout=60_000)
    wait_for_app(page, 60_000)
    assert page.locator("[data-testid=stException]").count() == 0


def profile_name(page) -> str:
    heading = page.locator("h2").filter(has_text="企业画像 · ").first
    heading.wait_for(timeout=30_000)
    return heading.inner_text().split("企业画像 · ", 1)[1].strip()


def go_back(page, title: str, path: str) -> None:
    page.get_by_role("link", name=f"返回{title}").click()
    arrive(page, path)


def test_ranking_row_opens_the_profile_and_back_keeps_the_filters(page, app_url):
    """Test 工业经济 (2023, 新材料) → click the first 下拉最多 row → its profile (filters in the URL) → 返回 → the same
    filters and card value."""
    open_page(page, app_url, f"/industry?year=2023&month={quote('1—12月')}&chain={quote('新材料')}")
    card = "规上工业产值（1—12月累计）"
    before = metric_values(page)[card]
    db = Database(DEFAULT_DATA_DIR)
    first = db.run(
        "industry_enterprise_rank",
        {
            "year": 2023,
            "month": 12,
            "chains": ["新材料"],
            "sectors": [],
            "areas": [],
            "high_tech_only": False,
            "measure": "output",
            "kind": "decline",
            "n": 10,
            "search": "",
        },
    ).iloc[0]
    click_first_row(page, "ind_enterprises")
    arrive(page, "enterprise")
    q = query(page)
    assert q["id"] == [first["ent_id"]] and q["from"] == ["industry"]
    assert q["chain"] == ["新材料"] and q["year"] == ["2023"]
    assert profile_name(page) == first["ent_name"]
    assert (
        page.locator("[data-testid=stCaptionContainer]")
        .filter(has_text=f"统一社会信用代码 {first['ent_id']}")
        .filter(has_text="期间 2023年1—12月")
        .count()
        == 1
    )
    go_back(page, "工业经济", "industry")
    q = query(page)
    assert q["chain"] == ["新材料"] and q["year"] == ["2023"] and "id" not in q
    assert metric_values(page)[card] == before


def test_hazard_register_row_opens_the_profile_and_back(page, app_url):
    """Test 安全生产 (2024 1—9月, 新材料) → click the first 到期未整改 hazard → its enterprise's profile, whose 到期未整改
    count includes it → 返回 → the same filters and card value."""
    open_page(page, app_url, f"/safety?year=2024&month={quote('1—9月')}&chain={quote('新材料')}")
    before = metric_values(page)
    db = Database(DEFAULT_DATA_DIR)
    first = db.run(
        "hazard_register",
        {
            "year": 2024,
            "month": 9,
            "chains": ["新材料"],
            "sectors": [],
            "areas": [],
            "high_tech_only": False,
            "category": "",
            "ent_id": "",
            "status": "到期未整改",
            "limit": 1,
        },
    ).iloc[0]
    click_first_row(page, "safety_overdue")
    arrive(page, "enterprise")
    assert query(page)["id"] == [first["ent_id"]] and query(page)["from"] == ["safety"]
    assert profile_name(page) == first["ent_name"]
    assert int(metric_values(page)["到期未整改"].split()[0]) >= 1
    go_back(page, "安全生产", "safety")
    q = query(page)
    assert q["chain"] == ["新材料"] and "year" not in q and "month" not in q  # the latest period: the defaults
    assert metric_values(page) == before


def test_map_draws_its_parcels_hover_and_click_opens_the_profile(page, app_url):
    """Test that the 亩均一张图 draws as many parcel shapes as its title states (every bundled parcel), a hover
    shows enterprise, 亩 and 亩均税收, and a click on 合成材料's parcel opens its profile; 返回 keeps the year."""
    open_page(page, app_url, "/mujun?year=2023")
    before = metric_values(page)["参评企业"]
    chart = page.locator(".st-key-mj_map")
    chart.scroll_into_view_if_needed()
    shapes = chart.locator("g.parcels_marks path")
    shapes.first.wait_for(timeout=30_000)
    stated = int(re.search(r"地块 ([\d,]+) 个", chart.locator("svg.marks").text_content()).group(1).replace(",", ""))
    parcels = Database(DEFAULT_DATA_DIR).run(
        "parcel_map", {"year": 2023, "month": 12, "scope": EVERYTHING, "limit": 5000}
    )
    assert shapes.count() == stated == len(parcels) == 165
    ents = Database(DEFAULT_DATA_DIR).run("enterprise_find", {"search": "合成材料", "limit": 1}).iloc[0]
    profile = Database(DEFAULT_DATA_DIR).run("enterprise_profile", {"ent_id": ents["ent_id"]}).iloc[0]
    target = shapes.filter(has=page.locator(f"xpath=self::*[contains(@aria-label, '地块: {profile['parcel_id']};')]"))
    assert target.count() == 1
    target.hover()
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible", timeout=10_000)
    for words in (ents["ent_name"], "面积（亩）", "亩均税收（万元/亩）", "亩均分类"):
        assert words in tip.inner_text()
    target.click()
    arrive(page, "enterprise")
    assert query(page)["id"] == [ents["ent_id"]] and query(page)["from"] == ["mujun"]
    assert profile_name(page) == ents["ent_name"]
    go_back(page, "亩均效益", "mujun")
    assert query(page)["year"] == ["2023"]
    assert metric_values(page)["参评企业"] == before


def test_profile_project_opens_the_project_detail(page, app_url):
    """Test that a click on a project in a profile opens 投资与项目 on 项目查询 with that project chosen."""
    db = Database(DEFAULT_DATA_DIR)
    ent = db.run("enterprise_find", {"search": "元素新材料", "limit": 1}).iloc[0]
    project = db.run("enterprise_projects", {"ent_id": ent["ent_id"], "year": 2024, "month": 9}).iloc[0]
    open_page(page, app_url, f"/enterprise?id={ent['ent_id']}")
    click_first_row(page, "ent_projects")
    arrive(page, "invest")
    assert query(page)["project"] == [project["project_id"]]
    page.get_by_text(project["project_name"]).first.wait_for(timeout=30_000)
    assert "当前阶段" in metric_values(page)


def test_map_draws_the_configured_base_map_tiles(chromium, tmp_path):
    """Test that with [map] tile_url set, the map draws the tiles of a tile server (here one on localhost that
    answers every /z/x/y.png) under the parcels, still with every parcel, and names the source under it."""
    import io
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from browser import free_port, streamlit_server
    from PIL import Image

    from cockpit.data.config import DEFAULT_RULES

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 224)).save(buffer, "PNG")
    png, asked = buffer.getvalue(), []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    rules = tmp_path / "rules.toml"
    url = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    rules.write_text(
        DEFAULT_RULES.read_text(encoding="utf-8")
        .replace('tile_url = ""', f'tile_url = "{url}"')
        .replace('tile_attribution = ""', 'tile_attribution = "测试瓦片"'),
        encoding="utf-8",
    )
    try:
        with streamlit_server(env={"COCKPIT_RULES": str(rules)}) as base:
            page = chromium.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            open_page(page, base, "/mujun?year=2023")
            chart = page.locator(".st-key-mj_map")
            chart.scroll_into_view_if_needed()
            chart.locator("g.parcels_marks path").first.wait_for(timeout=30_000)
            images = chart.locator("svg.marks image")
            assert images.count() >= 4
            assert all(
                re.search(
                    rf"127\.0\.0\.1:{server.server_port}/\d+/\d+/\d+\.png", images.nth(i).get_attribute("href") or ""
                )
                for i in range(images.count())
            )
            for _ in range(100):  # the browser fetches the tiles as the SVG images load
                if len(asked) >= 4:
                    break
                page.wait_for_timeout(100)
            assert len(asked) >= 4 and all(re.fullmatch(r"/\d+/\d+/\d+\.png", p) for p in asked)
            assert chart.locator("g.parcels_marks path").count() == 165
            assert page.get_by_text("底图：测试瓦片").count() == 1
            page.close()
    finally:
        server.shutdown()
