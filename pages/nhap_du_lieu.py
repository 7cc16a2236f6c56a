"""Nhập dữ liệu: upload exports, check the plan (mapping, dropped citizen
columns, rejected rows), then confirm. The import runs through the same
importer as ``python -m analytics import`` and swaps the database in
atomically, so people viewing the dashboard never see it half-written.

Administrators only (hidden from the others' navigation, refused here).
"""

import streamlit as st

import ui
from analytics.ingest.file_limits import MAX_FILE_MB
from analytics.ingest.importer import ImportFailed, apply_import, plan_import
from analytics.ingest.summary import import_counts, import_mapping
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
REJECT_COLS = [ui.Col("file", "imp_file"), ui.Col("sheet", "imp_sheet"), ui.Col("row", "imp_row", "int"),
               ui.Col("column", "imp_column"), ui.Col("reason", "imp_reason"), ui.Col("value", "imp_value")]


def on_bar(bar):
    """The importer's progress on ``bar``; its messages name the uploaded files,
    and the bar's text is Markdown."""
    return lambda message, fraction: bar.progress(fraction, text=md_escape(message))


st.markdown(v.t("imp_intro"))
report = state.get("imp_report")
if report is not None:
    st.success(v.t("imp_done", n=fmt.number(report.tables["dossiers"]["accepted"], lg),
                   changed=fmt.number(report.tables["dossiers"].get("changed", 0), lg),
                   import_id=report.import_id), icon=":material/check_circle:")
    ui.table(import_counts(report.tables, lg, with_changed=True), COUNT_COLS_DONE,
             title=v.t("imp_result_title"), key="imp_done_counts", stem="ket-qua-nhap", download=False)

files = st.file_uploader(v.t("imp_upload"), type=["xlsx", "csv"], accept_multiple_files=True,
                         help=v.t("imp_upload_help"), key=f"imp_files_{state['imp_round']}")
st.caption(v.t("imp_size_limit", mb=MAX_FILE_MB))
if not files:
    st.caption(v.t("imp_waiting"))
    st.stop()
# Streamlit refuses a file over server.maxUploadSize in the browser, in
# English; this says it in the user's language should the two ever differ.
too_large = [f for f in files if f.size > MAX_FILE_MB * 2**20]
if too_large:
    for f in too_large:
        st.error(v.t("imp_too_large", name=f.name, size=fmt.number(round(f.size / 2**20), lg), mb=MAX_FILE_MB),
                 icon=":material/error:")
    st.stop()

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
    st.stop()

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
        state["imp_report"] = apply_import(plan, ui.db_path(), progress=on_bar(bar))
    except ImportFailed as exc:
        bar.empty()
        ui.audit_import(None, plan, error=str(exc))
        st.error(v.t_md("imp_failed", message=str(exc)), icon=":material/error:")
        st.stop()
    ui.audit_import(state["imp_report"], plan)
    ui.discard_uploads()
    for key in ("imp_plan", "imp_signature", "imp_error"):
        state.pop(key, None)
    state["imp_round"] += 1  # a fresh, empty uploader
    st.rerun()
