"""Quản trị: accounts (add, disable, enable, reset password, role and agency)
and the audit log. Administrators only: hidden from the others' navigation by
dashboard.py and refused here too. Layout only: the work is done by
analytics.access.auth and analytics.access.audit, exactly as by ``python -m analytics users``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

import ui
from analytics.access import audit
from analytics.access.auth import AGENCY_OFFICER, ROLES, AuthError
from analytics.locale import clock, fmt
from analytics.locale.safe_text import md_escape

ui.require("users")

v = ui.view()
lg = v.lang
me = ui.current_user()
accounts = ui.accounts()


def _local(iso: str | None):
    return datetime.fromisoformat(iso).astimezone(clock.OFFICE_TZ).replace(tzinfo=None) if iso else None


def _state(user) -> str:
    if user.disabled:
        return v.t("adm_state_disabled")
    if user.locked_until and _local(user.locked_until) > clock.office_now().replace(tzinfo=None):
        return v.t("adm_state_locked", until=fmt.datetime(_local(user.locked_until), lg))
    return v.t("adm_state_active")


USER_COLS = (
    ui.Col("username", "auth_username"), ui.Col("display_name", "adm_display_name"), ui.Col("role", "adm_role"),
    ui.Col("agency", "adm_agency"), ui.Col("email", "adm_email"), ui.Col("status", "adm_status"),
    ui.Col("last_sign_in", "adm_last_sign_in", "datetime"),
)
AUDIT_COLS = (
    ui.Col("at", "adm_time", "datetime"), ui.Col("actor", "adm_actor"), ui.Col("action", "adm_action"),
    ui.Col("target", "adm_target"), ui.Col("detail", "adm_detail"),
)

users_tab, audit_tab = st.tabs([v.t("adm_users_tab"), v.t("adm_audit_tab")])

with users_tab:
    users = accounts.list()
    ui.table([{"username": u.username, "display_name": u.display_name, "role": v.t(f"role_{u.role}"),
               "agency": u.agency or v.t("all"), "email": u.email or "", "status": _state(u),
               "last_sign_in": _local(u.last_sign_in_at)} for u in users],
             USER_COLS, title=v.t("adm_users_title"), key="adm_users", stem="tai-khoan")

    agencies = [a["name"] for a in ui.facts(None).get("agencies", [])]
    with st.form("adm_add", clear_on_submit=True):
        st.markdown(f"**{v.t('adm_add_title')}**")
        c1, c2 = st.columns(2)
        username = c1.text_input(v.t("auth_username"), key="adm_new_username")
        display = c2.text_input(v.t("adm_display_name"), key="adm_new_name")
        role = c1.selectbox(v.t("adm_role"), ROLES, format_func=lambda r: v.t(f"role_{r}"), key="adm_new_role")
        agency = c2.selectbox(v.t("adm_agency"), ["", *agencies], key="adm_new_agency",
                              format_func=lambda a: a or "—", help=v.t("adm_agency_help"))
        email = c1.text_input(v.t("adm_email"), key="adm_new_email")
        password = c2.text_input(v.t("auth_password"), type="password", key="adm_new_password",
                                 autocomplete="new-password")
        sso_only = st.checkbox(v.t("adm_oidc_only"), key="adm_new_sso")
        if st.form_submit_button(v.t("adm_add_button"), type="primary"):
            try:
                added = accounts.add(username, display_name=display or username, role=role,
                                     agency=agency or None, email=email or None,
                                     password=None if sso_only else password, actor=me.username)
                st.success(v.t_md("adm_added", user=added.username), icon=":material/check_circle:")
            except AuthError as exc:
                st.error(md_escape(exc), icon=":material/error:")

    if users:
        st.markdown(f"**{v.t('adm_change_title')}**")
        names = [u.username for u in users]
        picked = st.selectbox(v.t("adm_pick_user"), names, key="adm_pick")
        target = accounts.get(picked)
        c1, c2, c3 = st.columns(3)
        if target.disabled:
            if c1.button(v.t("adm_enable"), key="adm_enable", icon=":material/lock_open:"):
                accounts.set_disabled(picked, False, actor=me.username)
                st.rerun()
        elif c1.button(v.t("adm_disable"), key="adm_disable", icon=":material/lock:",
                       disabled=picked == me.username, help=v.t("adm_self_disable")):
            accounts.set_disabled(picked, True, actor=me.username)
            st.rerun()
        new_password = c2.text_input(v.t("adm_new_password"), type="password", key="adm_reset_password",
                                     autocomplete="new-password")
        if c3.button(v.t("adm_reset"), key="adm_reset", disabled=not new_password):
            try:
                accounts.set_password(picked, new_password, actor=me.username)
                st.success(v.t_md("adm_done", user=picked), icon=":material/check_circle:")
            except AuthError as exc:
                st.error(md_escape(exc), icon=":material/error:")
        c1, c2 = st.columns(2)
        new_role = c1.selectbox(v.t("adm_role"), ROLES, index=ROLES.index(target.role),
                                format_func=lambda r: v.t(f"role_{r}"), key="adm_change_role")
        options = ["", *agencies]
        new_agency = c2.selectbox(v.t("adm_agency"), options, key="adm_change_agency",
                                  index=options.index(target.agency) if target.agency in options else 0,
                                  format_func=lambda a: a or "—")
        if st.button(v.t("adm_save_role"), key="adm_save_role",
                     disabled=(new_role, new_agency or None) == (target.role, target.agency)):
            try:
                accounts.update(picked, actor=me.username, role=new_role,
                                agency=new_agency or (None if new_role != AGENCY_OFFICER else target.agency))
                st.rerun()
            except AuthError as exc:
                st.error(md_escape(exc), icon=":material/error:")

with audit_tab:
    c1, c2 = st.columns(2)
    since = c1.date_input(v.t("adm_since"), value=clock.office_today() - timedelta(days=30), format="DD/MM/YYYY",
                          key="adm_since")
    action = c2.selectbox(v.t("adm_action"), ["", *audit.ACTIONS], key="adm_action",
                          format_func=lambda a: audit.ACTION_LABELS.get(a, a) if a else v.t("all"))
    since_at = datetime.combine(since, datetime.min.time(), tzinfo=clock.OFFICE_TZ) if since else None
    entries = audit.entries(accounts.ops, since=since_at, action=action or None, limit=5000)
    ui.table([{"at": _local(e.at), "actor": e.actor, "action": e.label, "target": e.target or "",
               "detail": ", ".join(f"{k}={val}" for k, val in e.detail.items() if val not in (None, "", []))}
              for e in entries],
             AUDIT_COLS, title=v.t("adm_audit_title"), key="adm_audit", stem="nhat-ky",
             empty_text=v.t("adm_audit_empty"))
