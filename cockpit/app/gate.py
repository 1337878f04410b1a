"""The admin gate in the app: login box, role check, and the refusal admin pages show otherwise."""

from __future__ import annotations

import math

import streamlit as st

from cockpit.app import auth
from cockpit.data.db import data_dir

_ROLE = "_cockpit_admin"


def client_address() -> str:
    """The client the login lockout counts against (`auth.address_key`): the address of this session's
    connection as the server saw it — X-Forwarded-For only from the proxies in $COCKPIT_TRUSTED_PROXIES
    (`cockpit.app.serve`) — or 本机 for this machine."""
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001 - no client context (a script run outside a server session)
        ip = None
    return auth.address_key(ip)


def _lockout() -> auth.Lockout:
    return auth.Lockout(data_dir())


def configured() -> bool:
    return auth.configured_hash() is not None


def is_admin() -> bool:
    return bool(st.session_state.get(_ROLE)) and configured()


def login_box() -> None:
    """Sidebar: log in / out. Without a configured password the admin role does not exist."""
    with st.sidebar:
        if not configured():
            return
        if is_admin():
            st.caption("已以管理员身份登录")
            if st.button("退出管理", key="logout"):
                st.session_state[_ROLE] = False
                st.rerun()
            return
        with st.expander("管理员登录"):
            with st.form("login", clear_on_submit=True, border=False):
                password = st.text_input("密码", type="password", key="admin_password")
                submitted = st.form_submit_button("登录")
            if submitted:
                lockout, address = _lockout(), client_address()
                wait = lockout.locked_for(address)
                if wait == 0 and lockout.attempt(auth.verify(password, auth.configured_hash()), address):
                    st.session_state[_ROLE] = True
                    st.rerun()
                wait = wait or lockout.locked_for(address)
                if wait > 0:
                    st.error(f"密码连续输错次数过多，本地址的管理员登录已暂停，请 {math.ceil(wait / 60)} 分钟后再试。")
                else:
                    st.error("密码不正确")


def require_admin() -> None:
    """Stop the page unless the user is an admin (and a password is configured)."""
    if not configured():
        st.error("管理功能未启用：尚未配置管理员密码（见 README“管理员密码”一节）。")
        st.stop()
    if not is_admin():
        st.error("此页面仅限管理员：请在左侧栏“管理员登录”。")
        st.stop()
