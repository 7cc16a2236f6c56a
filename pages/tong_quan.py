"""Tổng quan: KPI cards with their changes, the monthly trend, the Biểu 06 line."""

import streamlit as st

import glue
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang

totals = glue.query("totals", f)
cards = glue.kpi_cards(f)
glue.metric_cards(cards)

if not totals["received_total"]:
    glue.empty()
else:
    glue.chart(glue.figure("kpi_trend", glue.query("trend", f, grain="month"), lang=lg), key="ov_trend")

    st.subheader(v.t("ov_report06_line"))
    glue.table(glue.report06_total(glue.query("report06", f)), glue.REPORT06_COLS,
               title=v.t("ov_report06_line"), key="ov_r06", stem="bieu-06-tong-hop")

st.subheader(v.t("ov_compare_table"))
glue.table(glue.kpi_rows(cards, lg), [
    Col("indicator", "ov_indicator"), Col("current", "ov_current"),
    Col("previous", "previous_period"), Col("delta_previous", "ov_change_previous"),
    Col("last_year", "same_period_last_year"), Col("delta_last_year", "ov_change_last_year"),
], title=v.t("ov_compare_table"), key="ov_kpis", stem="tong-quan-chi-so")
