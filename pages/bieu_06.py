"""Báo cáo Biểu 06 (Biểu số 06/VPCP/KSTT): the 13-column table and the form's .xlsx."""

import streamlit as st

import ui
from analytics.reports.report06 import report06_notes, report06_table, report06_total

v = ui.view()
f, lg = v.filters, v.lang

rows = ui.query("report06", f)
ui.metric_cards(ui.kpi_cards(f, ("received_total", "resolved", "on_time_rate", "pending_overdue")))

left, right = st.columns([2, 1], vertical_alignment="bottom")
unit = ui.unit_input("r06_unit", left)
with right:
    ui.download_button(ui.report06_builder(f, unit), name=ui.file_name("bieu-06-vpcp-kstt", v),
                       key="r06_form", label=v.t("r06_download_form"), primary=True)

ui.meeting_pack(unit, key="pack")

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
