"""Quản trị: accounts (add, disable, enable, reset password, role and agency),
the units' lineage of 1/7/2025 (an editable table, issue 14) and the audit
log. Administrators only: hidden from the others' navigation by dashboard.py
and refused here too. Layout only: the work is done by analytics.access.auth,
analytics.access.unit_changes and analytics.access.audit, exactly as by
``python -m analytics users`` and ``agencies``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

import ui
from analytics.access import audit, unit_changes
from analytics.access.auth import AGENCY_OFFICER, ROLES, AuthError
from analytics.locale import clock, fmt
from analytics.locale.safe_text import md_escape
from analytics.store import units

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
    ui.Col("target", "adm_target"), ui.Col("unit_id", "adm_unit_id"), ui.Col("detail", "adm_detail"),
)

users_tab, units_tab, audit_tab = st.tabs([v.t("adm_users_tab"), v.t("adm_units_tab"), v.t("adm_audit_tab")])

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

with units_tab:
    st.caption(v.t_md("adm_office_name", office=ui.office_unit_name() or fmt.MISSING))
    st.markdown(f"**{v.t('adm_units_title')}**", help=v.t("adm_units_help"))
    store = ui.store()
    links = units.lineage(store.reader()) if store.exists() else []
    # One row per old unit: its first successor (the one that takes its dossiers).
    firsts = {}
    for link in links:
        firsts.setdefault(link["name"], link)
    rows = [{"name": r["name"], "level": r["level"] or "", "successor": r["successor"],
             "since": r["effective_on"], "source": v.t(f"adm_unit_source_{r['source']}"),
             "confirmed": bool(r["confirmed"]), "note": r["note"] or ""} for r in firsts.values()]
    if rows:
        choices = sorted({a["name"] for a in ui.facts(None).get("agencies", [])} | {r["successor"] for r in rows})
        edited = st.data_editor(
            rows, key="adm_units_editor", hide_index=True, use_container_width=True,
            disabled=("name", "level", "since", "source", "note"),
            column_config={
                "name": st.column_config.TextColumn(v.t("adm_unit_old")),
                "level": st.column_config.TextColumn(v.t("adm_unit_level")),
                "successor": st.column_config.SelectboxColumn(v.t("adm_unit_successor"), options=choices,
                                                              required=True),
                "since": st.column_config.DateColumn(v.t("adm_unit_since"), format="DD/MM/YYYY"),
                "source": st.column_config.TextColumn(v.t("adm_unit_source")),
                "confirmed": st.column_config.CheckboxColumn(v.t("adm_unit_confirmed")),
                "note": st.column_config.TextColumn(v.t("adm_unit_note")),
            })
        changed = [(before, after) for before, after in zip(rows, edited, strict=True) if before != after]
        if st.button(v.t("adm_units_save"), key="adm_units_save", type="primary", disabled=not changed):
            try:
                for before, after in changed:
                    if after["successor"] != before["successor"]:
                        unit_changes.set_successors(store, after["name"], [after["successor"]], after["since"],
                                                    ops=accounts.ops, actor=me.username)
                    elif after["confirmed"] and not before["confirmed"]:
                        unit_changes.confirm(store, after["name"], ops=accounts.ops, actor=me.username)
                    elif not after["confirmed"]:  # unticked: the unit has no successor any more
                        unit_changes.set_successors(store, after["name"], [], ops=accounts.ops, actor=me.username)
                st.success(v.t("adm_units_saved", count=fmt.number(len(changed), lg)), icon=":material/check_circle:")
                st.rerun()
            except unit_changes.UnitError as exc:
                st.error(md_escape(exc), icon=":material/error:")
    else:
        st.info(v.t("adm_units_empty"), icon=":material/info:")
    with st.form("adm_units_propose"):
        st.markdown(f"**{v.t('adm_units_propose_title')}**")
        province = st.text_input(v.t("adm_units_province"), key="adm_units_province")
        if st.form_submit_button(v.t("adm_units_propose"), disabled=not store.exists()):
            try:
                counts = unit_changes.propose(store, province, ops=accounts.ops, actor=me.username)
                st.success(v.t("adm_units_proposed", **{k: fmt.number(n, lg) for k, n in counts.items()}),
                           icon=":material/check_circle:")
            except unit_changes.UnitError as exc:
                st.error(md_escape(exc), icon=":material/error:")

with audit_tab:
    c1, c2 = st.columns(2)
    since = c1.date_input(v.t("adm_since"), value=clock.office_today() - timedelta(days=30), format="DD/MM/YYYY",
                          key="adm_since")
    action = c2.selectbox(v.t("adm_action"), ["", *audit.ACTIONS], key="adm_action",
                          format_func=lambda a: audit.ACTION_LABELS.get(a, a) if a else v.t("all"))
    since_at = datetime.combine(since, datetime.min.time(), tzinfo=clock.OFFICE_TZ) if since else None
    entries = audit.entries(accounts.ops, since=since_at, action=action or None, limit=5000)
    # The unit an entry concerns, by id (an identifier, not a quantity: no thousands separator).
    ui.table([{"at": _local(e.at), "actor": e.actor, "action": e.label, "target": e.target or "",
               "unit_id": str(e.unit_id) if e.unit_id is not None else "",
               "detail": ", ".join(f"{k}={val}" for k, val in e.detail.items() if val not in (None, "", []))}
              for e in entries],
             AUDIT_COLS, title=v.t("adm_audit_title"), key="adm_audit", stem="nhat-ky",
             empty_text=v.t("adm_audit_empty"))
