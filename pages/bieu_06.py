"""Báo cáo Biểu 06 (Biểu số 06/VPCP/KSTT): the 13-column table and the form's .xlsx."""

import streamlit as st

import ui
from analytics.indicators.engine import Engine
from analytics.reports.deck import PPTX_MIME, build_deck
from analytics.reports.docreport import DOCX_MIME, build_report_docx
from analytics.reports.report06 import report06_notes, report06_table, report06_total

v = ui.view()
f, lg = v.filters, v.lang

rows = ui.query("report06", f)
ui.metric_cards(ui.kpi_cards(f, ("received_total", "resolved", "on_time_rate", "pending_overdue")))

left, right = st.columns([2, 1], vertical_alignment="bottom")
unit = left.text_input(v.t("r06_unit"), key="r06_unit", placeholder=v.t("r06_unit_placeholder"),
                       help=v.t("r06_unit_help"))
with right:
    ui.download_button(ui.report06_builder(f, unit), name=ui.file_name("bieu-06-vpcp-kstt", v),
                       key="r06_form", label=v.t("r06_download_form"), primary=True)

# The meeting pack: built only when a button is clicked (on Streamlit's thread, so the
# builders hold the store, not Streamlit state).
st.subheader(v.t("pack_title"))
st.caption(v.t("pack_caption"))
pack_store, pack_unit = ui.store(), unit.strip() or None
deck_col, report_col = st.columns(2)
deck_col.download_button(
    v.t("pack_deck"), data=ui.audited(lambda: build_deck(Engine(pack_store.reader()), f, pack_unit),
                                      "hop-ket-qua-giai-quyet-tthc.pptx"),
    file_name=ui.file_name("hop-ket-qua-giai-quyet-tthc", v).removesuffix(".xlsx") + ".pptx",
    mime=PPTX_MIME, key="pack_deck", on_click="ignore", icon=":material/slideshow:")
report_col.download_button(
    v.t("pack_report"), data=ui.audited(lambda: build_report_docx(Engine(pack_store.reader()), f, pack_unit),
                                        "bao-cao-ket-qua-giai-quyet-tthc.docx"),
    file_name=ui.file_name("bao-cao-ket-qua-giai-quyet-tthc", v).removesuffix(".xlsx") + ".docx",
    mime=DOCX_MIME, key="pack_report", on_click="ignore", icon=":material/description:")

st.subheader(v.t("r06_title"))
st.caption(v.t("r06_caption"))
total = report06_total(rows)
if not total or not total[0]["received_total"]:
    ui.empty()
else:
    ui.table(report06_table(rows, lg),
             [ui.Col("stt", "stt"), ui.Col("label", "r06_c2"), *ui.REPORT06_COLS],
             title=v.t("r06_title"), key="r06_table", stem="bieu-06-bang", bold_key="bold",
             rows_visible=40)
    for note in report06_notes(rows, lg):
        st.caption(note)
    ui.chart(ui.figure("stacked_resolution", ui.query("totals", f), lang=lg), key="r06_chart")
