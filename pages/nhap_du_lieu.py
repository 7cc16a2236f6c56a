"""Nhập dữ liệu: upload exports, check the plan (mapping, dropped citizen
columns, rejected rows), then confirm. The import runs through the same
importer as ``python -m analytics import`` and swaps the database in
atomically, so people viewing the dashboard never see it half-written.

Administrators only (hidden from the others' navigation, refused here).
"""

import streamlit as st

import glue
import signin
from analytics.ingest.file_limits import MAX_FILE_MB
from analytics.ingest.importer import ImportFailed, apply_import, plan_import

glue.require("import")
v = glue.view()
lg = v.lang
state = st.session_state
state.setdefault("imp_round", 0)


def on_bar(bar):
    """The importer's progress on ``bar``; its messages name the uploaded files,
    and the bar's text is Markdown."""
    return lambda message, fraction: bar.progress(fraction, text=glue.md_escape(message))


st.markdown(v.t("imp_intro"))
report = state.get("imp_report")
if report is not None:
    st.success(v.t("imp_done", n=glue.fmt.number(report.tables["dossiers"]["accepted"], lg),
                   changed=glue.fmt.number(report.tables["dossiers"].get("changed", 0), lg),
                   import_id=report.import_id), icon=":material/check_circle:")
    glue.table(glue.import_counts(report.tables, lg, with_changed=True), glue.IMPORT_COUNT_COLS_DONE,
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
        st.error(v.t("imp_too_large", name=f.name, size=glue.fmt.number(round(f.size / 2**20), lg), mb=MAX_FILE_MB),
                 icon=":material/error:")
    st.stop()

state.pop("imp_report", None)
signature = tuple((f.name, f.size, f.file_id) for f in files)
if state.get("imp_signature") != signature:
    state["imp_signature"] = signature
    state.pop("imp_plan", None)
    state.pop("imp_error", None)
    folder = glue.save_uploads(files)
    bar = st.progress(0.0, text=v.t("imp_reading"))
    try:
        state["imp_plan"] = plan_import(glue.upload_paths(folder), glue.db_path(), progress=on_bar(bar))
    except ImportFailed as exc:
        state["imp_error"] = str(exc)
    bar.empty()

if state.get("imp_error"):
    st.error(v.t_md("imp_failed", message=state["imp_error"]), icon=":material/error:")
    st.stop()

plan = state["imp_plan"]
st.subheader(v.t("imp_check_title"))
glue.table(glue.import_counts(plan.counts(), lg), glue.IMPORT_COUNT_COLS,
           title=v.t("imp_check_title"), key="imp_counts", stem="kiem-tra-nhap", download=False)
if plan.dropped_columns:
    st.warning(v.t_md("imp_dropped", columns=", ".join(plan.dropped_columns)), icon=":material/shield:")
if plan.ignored_columns:
    st.info(v.t_md("imp_ignored", columns=", ".join(plan.ignored_columns)))
if plan.skipped_sheets:
    st.info(v.t_md("imp_skipped", sheets=", ".join(plan.skipped_sheets)))

with st.expander(v.t("imp_mapping_title")):
    glue.table(glue.import_mapping(plan.sheets, lg), glue.IMPORT_MAPPING_COLS,
               title=v.t("imp_mapping_title"), key="imp_mapping", stem="anh-xa-cot", download=False)

st.subheader(v.t("imp_preview_title"))
glue.table(plan.dossiers.head(glue.PREVIEW_ROWS), glue.IMPORT_PREVIEW_COLS, title=v.t("imp_preview_title"),
           key="imp_preview", stem="xem-truoc", download=False, empty_text=v.t("imp_no_dossiers"))

st.subheader(v.t("imp_rejects_title"))
glue.table(plan.rejects, glue.REJECT_COLS, title=v.t("imp_rejects_title"), key="imp_rejects",
           stem="dong-bi-loai", empty_text=v.t("imp_no_rejects"))

accepted = sum(c["accepted"] for c in plan.counts().values())
if st.button(v.t("imp_confirm"), type="primary", disabled=accepted == 0, key="imp_confirm",
             icon=":material/database_upload:"):
    bar = st.progress(0.0, text=v.t("imp_writing"))
    try:
        state["imp_report"] = apply_import(plan, glue.db_path(), progress=on_bar(bar))
    except ImportFailed as exc:
        bar.empty()
        signin.audit_import(None, plan, error=str(exc))
        st.error(v.t_md("imp_failed", message=str(exc)), icon=":material/error:")
        st.stop()
    signin.audit_import(state["imp_report"], plan)
    glue.discard_uploads()
    for key in ("imp_plan", "imp_signature", "imp_error"):
        state.pop(key, None)
    state["imp_round"] += 1  # a fresh, empty uploader
    st.rerun()
