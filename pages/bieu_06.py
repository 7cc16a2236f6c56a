"""Báo cáo Biểu 06 (Biểu số 06/VPCP/KSTT): the 13-column table and the form's .xlsx."""

import streamlit as st

import glue
from analytics import charts
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang

rows = glue.query("report06", f)
glue.metric_cards(glue.kpi_cards(f, ("received_total", "resolved", "on_time_rate", "pending_overdue")))

left, right = st.columns([2, 1], vertical_alignment="bottom")
unit = left.text_input(v.t("r06_unit"), key="r06_unit", placeholder=v.t("r06_unit_placeholder"),
                       help=v.t("r06_unit_help"))
with right:
    glue.download_button(glue.report06_builder(f, unit), name=glue.file_name("bieu-06-vpcp-kstt", v),
                         key="r06_form", label=v.t("r06_download_form"), primary=True)

st.subheader(v.t("r06_title"))
st.caption(v.t("r06_caption"))
total = glue.report06_total(rows)
if not total or not total[0]["received_total"]:
    glue.empty()
else:
    glue.table(glue.report06_table(rows, lg),
               [Col("stt", "stt"), Col("label", "r06_c2"), *glue.REPORT06_COLS],
               title=v.t("r06_title"), key="r06_table", stem="bieu-06-bang", bold_key="bold")
    glue.chart(charts.stacked_resolution(glue.query("totals", f), lang=lg), key="r06_chart")
