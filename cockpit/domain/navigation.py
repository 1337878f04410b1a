"""The page registry: every page declared once — script, title, icon, URL path, navigation section, whether it
is in the presentation sequence, whether only admins see it.

`app.py` builds `st.navigation` from it, 演示模式 turns pages in its order, links and warnings find a page's script
by its key, and the tests and the benchmark iterate over it. Adding a page is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

MAIN = ""  # pages shown one by one at the start of the top navigation
TOPICS = "专题"  # a drop-down of the topic pages
ADMIN = "管理"


@dataclass(frozen=True)
class Page:
    key: str  # the URL path (`/industry`) and the name links and warnings use
    script: str  # the page script, one level below pages/ (see DESIGN.md: traps on Streamlit 1.67)
    title: str
    icon: str
    section: str = MAIN
    present: bool = True  # in the 演示模式 下一页 sequence
    admin: bool = False  # registered only for an admin
    scoped: bool = True  # its figures follow the filter bar: an empty scope shows the empty state instead
    steps: tuple[str, ...] = ()  # 演示模式: the screens the page is shown in, one after another (its script marks
    # each part with `present.section(name)`); none: the page is one screen


PAGES: tuple[Page, ...] = (
    Page("overview", "pages/overview/overview.py", "总览", ":material/dashboard:", steps=("主要指标", "分产业链")),
    Page(
        "industry",
        "pages/economy/industry.py",
        "工业经济",
        ":material/factory:",
        steps=("主要指标", "月度走势", "增长来源", "高新技术产业", "企业"),
    ),
    Page("invest", "pages/invest/projects.py", "投资与项目", ":material/construction:"),
    Page(
        "safety",
        "pages/safety/safety.py",
        "安全生产",
        ":material/health_and_safety:",
        steps=("主要指标", "到期未整改", "隐患走势", "隐患构成", "隐患钻取", "事故与培训", "化工集聚区", "减污降碳"),
    ),
    Page("alerts", "pages/alerts/alerts.py", "预警", ":material/notifications_active:", scoped=False),
    Page(
        "mujun",
        "pages/economy/mujun.py",
        "亩均效益",
        ":material/leaderboard:",
        TOPICS,
        steps=("评价结果", "分布", "亩均一张图", "排名", "企业画像", "D类名单"),
    ),
    Page("land", "pages/land/land.py", "低效用地", ":material/landscape:", TOPICS),
    Page(
        "whatif",
        "pages/whatif/whatif.py",
        "目标推演",
        ":material/query_stats:",
        TOPICS,
        steps=("目标测算", "分产业链推演", "敏感性分析", "年度目标表"),
    ),
    Page(
        "enterprise",
        "pages/enterprise/profile.py",
        "企业画像",
        ":material/domain:",
        TOPICS,
        present=False,
        scoped=False,
    ),
    Page(
        "admin",
        "pages/admin/data.py",
        "数据管理",
        ":material/database:",
        ADMIN,
        present=False,
        admin=True,
        scoped=False,
    ),
)
BY_KEY = {p.key: p for p in PAGES}
EMPTY = Page("overview", "pages/overview/empty.py", "总览", ":material/dashboard:", present=False)


def scoped(key: str) -> bool:
    """Whether the page at this URL path follows the filter bar (unknown paths: no)."""
    return key in BY_KEY and BY_KEY[key].scoped


def script(key: str) -> str:
    """The script of the page with this key (URL path)."""
    return BY_KEY[key].script


def viewer_pages() -> list[Page]:
    """The pages every viewer has, in navigation order."""
    return [p for p in PAGES if not p.admin]


def presentation() -> list[Page]:
    """The 演示模式 sequence: the pages in navigation order, those that need no further choice."""
    return [p for p in PAGES if p.present]


def sections(*, admin: bool, empty: bool) -> dict[str, list[Page]]:
    """The navigation's sections (section title → pages) for this user: a zone without monthly statistics yet
    gets one 总览 that says what to do (plus the admin pages)."""
    chosen = [EMPTY] if empty else viewer_pages()
    chosen += [p for p in PAGES if p.admin and admin]
    out: dict[str, list[Page]] = {}
    for p in chosen:
        out.setdefault(p.section, []).append(p)
    return out
