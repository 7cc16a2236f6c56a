"""Báo cáo Biểu 06 (Biểu số 06/VPCP/KSTT): the 13-column table and the form's .xlsx."""

from dataclasses import replace

import streamlit as st

import ui
from analytics.reports.report06 import report06_notes, report06_table, report06_total

v = ui.view()
f, lg = v.filters, v.lang

# On a phone: the field, received (3), resolved (7), late (10) and overdue (13).
PHONE_COLUMNS = {"r06_c3", "r06_c7", "r06_c10", "r06_c13"}
COLS = [ui.Col("stt", "stt"), ui.Col("label", "r06_c2", phone=True),
        *(replace(c, phone=c.label in PHONE_COLUMNS) for c in ui.REPORT06_COLS)]

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
    # A static table, its cells wrapping, so all 13 columns of the form fit a
    # 1366 px screen as on paper.
    ui.table(report06_table(rows, lg), COLS, title=v.t("r06_title"), key="r06_table",
             stem="bieu-06-bang", bold_key="bold", static=True)
    for note in report06_notes(rows, lg):
        st.caption(note)
    ui.chart(ui.figure("stacked_resolution", ui.query("totals", f), lang=lg), key="r06_chart")
