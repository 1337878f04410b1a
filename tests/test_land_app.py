"""AppTest of the 低效用地 page on the shipped data."""

import invest_fixture
from tabs import each_tab

PAGE = "pages/land/land.py"


def open_page(year: int, month: int):
    return invest_fixture.open_page(PAGE, year, month)


def test_land_page_2024_against_the_target():
    """Test that 2024 1—9月 shows 108.8 亩 with 完成率 72.5 % of the 150 亩 target."""
    at = open_page(2024, 9)
    assert {x.label: x.value for x in at.metric}["低效工业用地整治"] == "108.8 亩"
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # as shown: Markdown escapes removed
    assert "完成率 72.5%" in captions and "150.0 亩" in captions


def test_land_page_tables_parcels_candidates_vacant():
    """Test that the parcel, candidate and vacant-plot tables are filled (13 vacant plots, 9 available)."""
    at = open_page(2024, 9)
    frames = [df.value for tab in each_tab(at) for df in at.dataframe]  # one table a tab
    cols = [set(f.columns) for f in frames]
    parcels = frames[next(i for i, c in enumerate(cols) if "mujun_tax_before_wan" in c)]
    assert len(parcels) == 35
    pool = frames[next(i for i, c in enumerate(cols) if "reason" in c)]
    assert len(pool) > 0 and set(pool["reason"]) <= {"亩均评价 D 类", "亩均税收低于门槛", "D 类且低于门槛"}
    vacant = frames[next(i for i, c in enumerate(cols) if "is_available" in c)]
    assert len(vacant) == 13 and int(vacant["is_available"].sum()) == 9
