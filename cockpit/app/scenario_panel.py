"""目标推演's saved-scenario controls: save (asking before overwriting), rename, delete — admins only.

Loading a scenario stays open to every viewer (the page's 载入情景 box). The actions run as widget callbacks, so
the data are changed before the fragment redraws and the 载入情景 list and the comparison table show the result
at once; what happened is kept for that redraw in the session (`_FLASH`). Every callback checks the admin role
again. Scenario names come from users: they are shown with `plain()` wherever Streamlit reads Markdown.
"""

from __future__ import annotations

import streamlit as st

from cockpit.app import gate
from cockpit.domain import scenarios
from cockpit.domain.markup import plain

NAME_KEY = "whatif_save_name"
PENDING = "whatif_scenario_pending"  # the save waiting for 覆盖保存: name, version shown, growth, year
_FLASH = "whatif_scenario_flash"
PICK_KEY = "whatif_manage_pick"
RENAME_KEY = "whatif_rename_to"
CONFIRM_KEY = "whatif_delete_confirm"


def _flash(kind: str, text: str) -> None:
    st.session_state[_FLASH] = (kind, text)


def _allowed() -> bool:
    if gate.is_admin():
        return True
    _flash("error", "保存、改名或删除情景需管理员登录。")
    return False


def _save(directory, growth: dict[str, float], year: int) -> None:
    st.session_state.pop(PENDING, None)
    name = (st.session_state.get(NAME_KEY) or "").strip()
    if not _allowed():
        return
    problem = scenarios.check_name(name)
    if problem:
        _flash("error", plain(problem))
        return
    try:
        version = scenarios.save_custom(directory, name, growth, year)
    except scenarios.Exists as exists:
        st.session_state[PENDING] = {
            "name": name,
            "version": exists.version,
            "saved": exists.saved_at,
            "growth": dict(growth),
            "year": year,
        }
        return
    st.session_state[NAME_KEY] = ""
    _flash("success", f"已保存情景：{plain(name)}（第 {version} 版）")


def _overwrite(directory) -> None:
    pending = st.session_state.get(PENDING)
    if not pending or not _allowed():
        return
    try:
        version = scenarios.save_custom(
            directory, pending["name"], pending["growth"], pending["year"], replace=pending["version"]
        )
    except scenarios.Exists as exists:  # saved again by someone else since the question: ask again
        st.session_state[PENDING] = {**pending, "version": exists.version, "saved": exists.saved_at}
        _flash("warning", "该情景刚被其他人再次保存，请重新确认是否覆盖。")
        return
    st.session_state.pop(PENDING, None)
    st.session_state[NAME_KEY] = ""
    _flash("success", f"已覆盖保存情景：{plain(pending['name'])}（第 {version} 版，旧版本保留在历史中）")


def _cancel() -> None:
    st.session_state.pop(PENDING, None)


def _rename(directory) -> None:
    old, new = st.session_state.get(PICK_KEY), (st.session_state.get(RENAME_KEY) or "").strip()
    if not old or not _allowed():
        return
    try:
        scenarios.rename_custom(directory, old, new)
    except ValueError as err:
        _flash("error", plain(err))
        return
    st.session_state[RENAME_KEY] = ""
    st.session_state[PICK_KEY] = new
    _flash("success", f"已把情景 {plain(old)} 改名为 {plain(new)}")


def _delete(directory) -> None:
    name = st.session_state.get(PICK_KEY)
    if not name or not st.session_state.get(CONFIRM_KEY) or not _allowed():
        return
    st.session_state[CONFIRM_KEY] = False
    if scenarios.delete_custom(directory, name):
        st.session_state.pop(PICK_KEY, None)
        _flash("success", f"已删除情景：{plain(name)}（含全部历史版本）")
    else:
        _flash("error", f"情景 {plain(name)} 已不存在（可能已被他人删除）。")


def render(directory, growth: dict[str, float], year: int, custom: dict[str, dict]) -> None:
    """The save box (admins), the overwrite question, rename / delete (admins), and the last action's result."""
    kind, text = st.session_state.pop(_FLASH, (None, None))
    if not gate.is_admin():
        st.caption("保存、改名或删除情景需管理员登录（左侧栏“管理员登录”）；已保存的情景任何人都可载入和对比。")
        return
    keep = scenarios.keep_versions()
    with st.form("whatif_save", border=False):
        name_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        name_col.text_input(
            "把当前假设保存为情景", max_chars=scenarios.MAX_NAME, key=NAME_KEY, placeholder="如：新材料加速"
        )
        button_col.form_submit_button("保存情景", on_click=_save, args=(directory, growth, year), key="whatif_save")
    pending = st.session_state.get(PENDING)
    if pending:
        st.warning(
            f"已有同名情景“{plain(pending['name'])}”（{pending['saved']} 保存）。覆盖吗？"
            f"被覆盖的版本保留在历史中（每个情景保留最近 {keep} 个版本）。"
        )
        with st.container(horizontal=True, gap="small"):
            st.button("覆盖保存", type="primary", on_click=_overwrite, args=(directory,), key="whatif_overwrite")
            st.button("取消", on_click=_cancel, key="whatif_overwrite_cancel")
    if text:
        getattr(st, kind)(text)
    if not custom:
        return
    if st.session_state.get(PICK_KEY) not in custom:
        st.session_state.pop(PICK_KEY, None)
    with st.expander("管理已保存的情景（改名、删除）"):
        picked = st.selectbox("情景", list(custom), key=PICK_KEY)
        st.caption(
            f"最近保存于 {custom[picked]['saved']}（第 {custom[picked]['version']} 版），"
            f"保留 {custom[picked]['versions']} 个版本；每个情景保留最近 {keep} 个版本"
            "（config/rules.toml [scenarios] keep_versions）。"
        )
        new_col, rename_col = st.columns([3, 1], vertical_alignment="bottom")
        new_col.text_input("新名称", max_chars=scenarios.MAX_NAME, key=RENAME_KEY)
        rename_col.button("改名", on_click=_rename, args=(directory,), key="whatif_rename")
        confirm = st.checkbox(f"确认删除“{plain(picked)}”及其全部历史版本", key=CONFIRM_KEY)
        st.button("删除情景", on_click=_delete, args=(directory,), disabled=not confirm, key="whatif_delete")
