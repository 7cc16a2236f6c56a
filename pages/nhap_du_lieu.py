"""Nhập dữ liệu: upload exports, check the plan (the layout detected and
what each column means, dropped citizen columns, skipped and rejected rows),
correct a column's meaning if needed, then confirm. The import runs through
the same importer as ``python -m analytics import`` and swaps the database
in atomically, so people viewing the dashboard never see it half-written.
A confirmed layout is remembered: a later file with the same header is read
with it in one step, and the page names the layout used.

Two more tabs: attaching procedures filed under a name to their catalogue
code (as ``procedure-attach``), and, for those allowed to, merging two
names of one agency (as ``agencies merge``). Both are audited.

Administrators only (hidden from the others' navigation, refused here).
"""

from pathlib import Path

import streamlit as st

import ui
from analytics.access.agency_merge import AgencyMergeError
from analytics.access.auth import MERGE_AGENCIES, AuthError
from analytics.ingest.file_limits import MAX_FILE_MB
from analytics.ingest.importer import (
    DROP_SUFFIXES,
    ImportFailed,
    apply_import,
    plan_import,
    save_profile,
)
from analytics.ingest.summary import (
    correctable_headers,
    current_choice,
    import_counts,
    import_mapping,
    layout_rows,
    meaning_choices,
    meaning_label,
    skipped_rows_text,
)
from analytics.locale import fmt
from analytics.locale.safe_text import md_escape

ui.require("import")
v = ui.view()
lg = v.lang
state = st.session_state
state.setdefault("imp_round", 0)

PREVIEW_ROWS = 200
COUNT_COLS = [ui.Col("table", "imp_table"), ui.Col("accepted", "imp_accepted", "int"),
              ui.Col("rejected", "imp_rejected", "int")]
COUNT_COLS_DONE = [*COUNT_COLS, ui.Col("changed", "imp_changed", "int")]
MAPPING_COLS = [ui.Col("file", "imp_file"), ui.Col("sheet", "imp_sheet"), ui.Col("table", "imp_table"),
                ui.Col("header_row", "imp_header_row", "int"), ui.Col("source", "imp_source"),
                ui.Col("target", "imp_target")]
PREVIEW_COLS = [
    ui.Col("code", "code"), ui.Col("procedure_code", "procedure_code"), ui.Col("procedure_name", "procedure_name"),
    ui.Col("field", "field"), ui.Col("agency", "agency"), ui.Col("channel", "channel", "channel"),
    ui.Col("received_at", "received_at", "datetime"), ui.Col("due_at", "due_at", "datetime"),
    ui.Col("finished_at", "finished_at", "datetime"), ui.Col("status", "status", "status"),
]
LAYOUT_COLS = [ui.Col("header", "imp_header"), ui.Col("meaning", "imp_meaning")]
ATTACH_COLS = [ui.Col("name", "imp_attach_name"), ui.Col("key", "imp_attach_key"),
               ui.Col("dossiers", "imp_attach_dossiers", "int")]
UNIT_COLS = [ui.Col("name", "imp_agency_name"), ui.Col("spellings", "imp_agency_spellings")]
REJECT_COLS = [ui.Col("file", "imp_file"), ui.Col("sheet", "imp_sheet"), ui.Col("row", "imp_row", "int"),
               ui.Col("column", "imp_column"), ui.Col("reason", "imp_reason"), ui.Col("value", "imp_value")]


def on_bar(bar):
    """The importer's progress on ``bar``; its messages name the uploaded files,
    and the bar's text is Markdown."""
    return lambda message, fraction: bar.progress(fraction, text=md_escape(message))


def where(sheet) -> str:
    return (v.t("imp_where_sheet", file=Path(sheet.file).name, sheet=sheet.sheet) if sheet.sheet
            else v.t("imp_where_file", file=Path(sheet.file).name))


def show_layout(plan) -> None:
    """Per sheet: the layout used (a saved one, named) or detected (each
    column's meaning, correctable before confirming), and the rows skipped."""
    st.subheader(v.t("imp_layout_title"))
    for i, sheet in enumerate(plan.sheets):
        rows = ", ".join(str(r) for r in sheet.header_rows)
        if sheet.profile:
            st.info(v.t_md("imp_layout_profile", where=where(sheet), name=sheet.profile, rows=rows),
                    icon=":material/bookmark:")
        else:
            st.info(v.t_md("imp_layout_new", where=where(sheet), system=v.t(f"imp_system_{sheet.system}"),
                           rows=rows), icon=":material/auto_awesome:")
        skipped = skipped_rows_text(sheet.skipped, lg)
        if skipped:
            st.caption(v.t_md("imp_skipped_rows", items=skipped))
        if sheet.profile:
            continue
        ui.table(layout_rows(sheet, lg), LAYOUT_COLS, title=v.t("imp_layout_title"), key=f"imp_layout_{i}",
                 stem="bo-cuc", download=False)
        headers = correctable_headers(sheet)
        if not headers:
            continue
        # Not a form: the meaning must follow the column chosen, which a form
        # would only send on submit.
        with st.container(border=True):
            st.markdown(f"**{v.t('imp_fix_title')}**")
            c1, c2 = st.columns(2)
            header = c1.selectbox(v.t("imp_fix_column"), headers, key=f"imp_fix_header_{i}")
            # A newly chosen column (or sheet) starts at the meaning it has now.
            if state.get(f"imp_fix_for_{i}") != (sheet.signature, header):
                state[f"imp_fix_for_{i}"] = (sheet.signature, header)
                state[f"imp_fix_meaning_{i}"] = current_choice(sheet, header)
            meaning = c2.selectbox(v.t("imp_fix_meaning"), meaning_choices(sheet.table), key=f"imp_fix_meaning_{i}",
                                   format_func=lambda m, table=sheet.table: meaning_label(table, m, lg))
            if sheet.dropped_columns:
                st.caption(v.t("imp_fix_citizen"))
            if st.button(v.t("imp_fix_apply"), icon=":material/edit:", key=f"imp_fix_apply_{i}"):
                correct(sheet, header, meaning)


def correct(sheet, header: str, meaning: str) -> None:
    """Keep the layout with the officer's correction, then check the files again with it."""
    try:
        save_profile(ui.db_path(), sheet, {header: meaning})
        state["imp_plan"] = plan_import(ui.saved_upload_paths(), ui.db_path())
    except ImportFailed as exc:
        state["imp_error"] = str(exc)
    state["imp_fixed"] = True
    st.rerun()


def import_tab() -> None:
    report = state.get("imp_report")
    if report is not None:
        st.success(v.t("imp_done", n=fmt.number(report.tables["dossiers"]["accepted"], lg),
                       changed=fmt.number(report.tables["dossiers"].get("changed", 0), lg),
                       import_id=report.import_id), icon=":material/check_circle:")
        ui.table(import_counts(report.tables, lg, with_changed=True), COUNT_COLS_DONE,
                 title=v.t("imp_result_title"), key="imp_done_counts", stem="ket-qua-nhap", download=False)

    files = st.file_uploader(v.t("imp_upload"), type=[suffix.lstrip(".") for suffix in DROP_SUFFIXES],
                             accept_multiple_files=True, help=v.t("imp_upload_help"),
                             key=f"imp_files_{state['imp_round']}")
    st.caption(v.t("imp_size_limit", mb=MAX_FILE_MB))
    if not files:
        st.caption(v.t("imp_waiting"))
        return
    # Streamlit refuses a file over server.maxUploadSize in the browser, in
    # English; this says it in the user's language should the two ever differ.
    too_large = [f for f in files if f.size > MAX_FILE_MB * 2**20]
    if too_large:
        for f in too_large:
            st.error(v.t("imp_too_large", name=f.name, size=fmt.number(round(f.size / 2**20), lg), mb=MAX_FILE_MB),
                     icon=":material/error:")
        return

    state.pop("imp_report", None)
    signature = tuple((f.name, f.size, f.file_id) for f in files)
    if state.get("imp_signature") != signature:
        state["imp_signature"] = signature
        state.pop("imp_plan", None)
        state.pop("imp_error", None)
        folder = ui.save_uploads(files)
        bar = st.progress(0.0, text=v.t("imp_reading"))
        try:
            state["imp_plan"] = plan_import(ui.upload_paths(folder), ui.db_path(), progress=on_bar(bar))
        except ImportFailed as exc:
            state["imp_error"] = str(exc)
        bar.empty()

    if state.get("imp_error"):
        st.error(v.t_md("imp_failed", message=state["imp_error"]), icon=":material/error:")
        return

    plan = state["imp_plan"]
    st.subheader(v.t("imp_check_title"))
    ui.table(import_counts(plan.counts(), lg), COUNT_COLS,
             title=v.t("imp_check_title"), key="imp_counts", stem="kiem-tra-nhap", download=False)
    if plan.dropped_columns:
        st.warning(v.t_md("imp_dropped", columns=", ".join(plan.dropped_columns)), icon=":material/shield:")
    if plan.ignored_columns:
        st.info(v.t_md("imp_ignored", columns=", ".join(plan.ignored_columns)))
    if plan.skipped_sheets:
        st.info(v.t_md("imp_skipped", sheets=", ".join(plan.skipped_sheets)))
    if state.pop("imp_fixed", False):
        st.success(v.t("imp_fix_done"), icon=":material/check_circle:")
    show_layout(plan)

    with st.expander(v.t("imp_mapping_title")):
        ui.table(import_mapping(plan.sheets, lg), MAPPING_COLS,
                 title=v.t("imp_mapping_title"), key="imp_mapping", stem="anh-xa-cot", download=False)

    st.subheader(v.t("imp_preview_title"))
    ui.table(plan.dossiers.head(PREVIEW_ROWS), PREVIEW_COLS, title=v.t("imp_preview_title"),
             key="imp_preview", stem="xem-truoc", download=False, empty_text=v.t("imp_no_dossiers"))

    st.subheader(v.t("imp_rejects_title"))
    ui.table(plan.rejects, REJECT_COLS, title=v.t("imp_rejects_title"), key="imp_rejects",
             stem="dong-bi-loai", empty_text=v.t("imp_no_rejects"))

    accepted = sum(c["accepted"] for c in plan.counts().values())
    if st.button(v.t("imp_confirm"), type="primary", disabled=accepted == 0, key="imp_confirm",
                 icon=":material/database_upload:"):
        bar = st.progress(0.0, text=v.t("imp_writing"))
        try:
            # The officer has seen the layout: it is remembered for the next file.
            state["imp_report"] = apply_import(plan, ui.db_path(), progress=on_bar(bar), remember_layout=True)
        except ImportFailed as exc:
            bar.empty()
            ui.audit_import(None, plan, error=str(exc))
            st.error(v.t_md("imp_failed", message=str(exc)), icon=":material/error:")
            return
        ui.audit_import(state["imp_report"], plan)
        ui.discard_uploads()
        for key in ("imp_plan", "imp_signature", "imp_error"):
            state.pop(key, None)
        state["imp_round"] += 1  # a fresh, empty uploader
        st.rerun()


def attach_tab() -> None:
    st.markdown(v.t("imp_attach_intro"))
    if state.get("imp_attach_msg"):
        st.success(state.pop("imp_attach_msg"), icon=":material/check_circle:")
    try:
        placeholders, catalogue = ui.attachable_procedures()
    except ImportFailed as exc:
        st.error(v.t_md("imp_failed", message=str(exc)), icon=":material/error:")
        return
    if not placeholders:
        st.info(v.t("imp_attach_none"))
        return
    ui.table(placeholders, ATTACH_COLS, title=v.t("imp_attach_table"), key="imp_attach_list",
             stem="thu-tuc-cho-gan-ma", download=False)
    if not catalogue:
        st.info(v.t("imp_attach_no_catalogue"))
        return
    names = {p["key"]: p["name"] for p in placeholders}
    codes = {c["code"]: c["name"] for c in catalogue}
    with st.form(key="imp_attach"):
        c1, c2 = st.columns(2)
        key = c1.selectbox(v.t("imp_attach_name"), list(names), format_func=names.get, key="imp_attach_key")
        code = c2.selectbox(v.t("imp_attach_code"), list(codes), key="imp_attach_code",
                            format_func=lambda c: f"{c} – {codes[c]}" if codes[c] else c)
        if st.form_submit_button(v.t("imp_attach_button"), icon=":material/link:"):
            try:
                count = ui.attach_procedure_name(names[key], code)
            except (ImportFailed, AuthError) as exc:
                st.error(v.t_md("imp_failed", message=str(exc)), icon=":material/error:")
                return
            # st.success renders Markdown: the names come from imported files.
            state["imp_attach_msg"] = v.t_md("imp_attach_done", name=names[key], code=code,
                                             n=fmt.number(count, lg))
            st.rerun()


def merge_tab() -> None:
    st.markdown(v.t("imp_merge_intro"))
    if state.get("imp_merge_msg"):
        st.success(state.pop("imp_merge_msg"), icon=":material/check_circle:")
    units = ui.units()
    ui.table([{"name": u["name"], "spellings": "; ".join(u["spellings"])} for u in units], UNIT_COLS,
             title=v.t("imp_agency_units"), key="imp_units", stem="don-vi", download=False,
             empty_text=v.t("imp_merge_too_few"))
    if len(units) < 2:
        return
    names = [u["name"] for u in units]
    with st.form(key="imp_merge"):
        c1, c2 = st.columns(2)
        source = c1.selectbox(v.t("imp_merge_source"), names, key="imp_merge_source")
        target = c2.selectbox(v.t("imp_merge_target"), names, index=1, key="imp_merge_target")
        sure = st.checkbox(v.t("imp_merge_confirm"), key="imp_merge_sure")
        if st.form_submit_button(v.t("imp_merge_button"), icon=":material/merge:"):
            if not sure:
                st.warning(v.t("imp_merge_confirm"), icon=":material/warning:")
                return
            try:
                result = ui.merge_agencies(source, target)
            except (AgencyMergeError, AuthError) as exc:
                st.error(v.t_md("imp_merge_failed", message=str(exc)), icon=":material/error:")
                return
            state["imp_merge_msg"] = v.t_md(
                "imp_merge_done", source=source, target=target, dossiers=fmt.number(result.dossiers, lg),
                users=fmt.number(result.users, lg), contacts=fmt.number(result.contacts, lg))
            st.rerun()


st.markdown(v.t("imp_intro"))
user = ui.current_user()
# Merging rewrites every agency's data and users' scopes: only for those allowed
# (ui.merge_agencies checks again); the others do not see the tab at all.
can_merge = user is not None and user.can(MERGE_AGENCIES)
tabs = st.tabs([v.t("imp_tab_import"), v.t("imp_tab_attach"), *([v.t("imp_tab_merge")] if can_merge else [])])
with tabs[0]:
    import_tab()
with tabs[1]:
    attach_tab()
if can_merge:
    with tabs[2]:
        merge_tab()
