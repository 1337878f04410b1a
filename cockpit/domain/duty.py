"""Who is responsible: the labels of the responsibility columns and the one sentence every surface uses.

Projects carry 责任单位 / 责任人 / 包联领导 (`duty_unit`, `duty_person`, `liaison_leader`), hazards 整改责任人 /
监管科室 (`rectify_person`, `supervise_office`); all optional. The 滞后项目 and 到期未整改 tables, the PDF's
需关注事项, the warnings and the digest say who is responsible with `text`.
"""

from __future__ import annotations

from cockpit.domain.format import is_blank

PROJECT = {"duty_unit": "责任单位", "duty_person": "责任人", "liaison_leader": "包联领导"}
HAZARD = {"supervise_office": "监管科室", "rectify_person": "整改责任人"}
LABELS = {**PROJECT, **HAZARD}


def text(row) -> str:
    """'责任单位：项目推进科，责任人：李勇' from a row (dict, Series or namedtuple) with any of the columns;
    columns left empty are skipped; '' when none is filled."""
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    parts = [
        f"{label}：{str(get(col)).strip()}"
        for col, label in LABELS.items()
        if not is_blank(get(col)) and str(get(col)).strip()
    ]
    return "，".join(parts)


def suffix(row) -> str:
    """`text` in full-width brackets after an item ('（责任单位：…）'), or '' when nobody is recorded."""
    t = text(row)
    return f"（{t}）" if t else ""
