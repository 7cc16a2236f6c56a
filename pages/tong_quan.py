"""Tổng quan: KPI cards with their changes, the monthly trend, the Biểu 06 line,
and the meeting pack (deck and Word report draft) for the current filters."""

import streamlit as st

import ui
from analytics.indicators.summaries import kpi_rows
from analytics.locale import fmt
from analytics.reports.report06 import report06_total

v = ui.view()
f, lg = v.filters, v.lang

totals = ui.query("totals", f)
cards = ui.kpi_cards(f)
ui.metric_cards(cards)
for key in ("channel_unknown", "no_due_date"):  # the cards' definitions change where data are missing
    if totals.get(key):
        st.caption(v.t(f"note_{key}", count=fmt.number(totals[key], lg)))

if not totals["received_total"]:
    ui.empty()
else:
    ui.chart(ui.figure("kpi_trend", ui.query("trend", f, grain="month"), lang=lg), key="ov_trend")

    st.subheader(v.t("ov_report06_line"))
    ui.table(report06_total(ui.query("report06", f)), ui.REPORT06_COLS,
             title=v.t("ov_report06_line"), key="ov_r06", stem="bieu-06-tong-hop")

st.subheader(v.t("ov_compare_table"))
ui.table(kpi_rows(cards, lg), [
    ui.Col("indicator", "ov_indicator"), ui.Col("current", "ov_current"),
    ui.Col("previous", "previous_period"), ui.Col("delta_previous", "ov_change_previous"),
    ui.Col("last_year", "same_period_last_year"), ui.Col("delta_last_year", "ov_change_last_year"),
], title=v.t("ov_compare_table"), key="ov_kpis", stem="tong-quan-chi-so")

# The meeting pack for the filters on screen: a leader or a meeting organiser
# gets it from here, not only from the Biểu 06 page (issue 12).
ui.meeting_pack(ui.office_unit_name(), key="ov_pack")
