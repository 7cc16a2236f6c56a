"""Tổng quan: how are we doing (KPI cards with their changes) and who is
worst (agencies ranked by late rate, fairly: analytics.indicators.ranking),
both above the fold; then the monthly trend, the Biểu 06 line, and the
meeting pack (deck and Word report draft) for the current filters."""

import streamlit as st

import ui
from analytics.indicators.ranking import MIN_VOLUME
from analytics.indicators.summaries import comparison_filters, kpi_rows, one_comparison
from analytics.locale import fmt
from analytics.reports.report06 import report06_total

v = ui.view()
f, lg = v.filters, v.lang
# Bars of the overview's ranking: enough to name the worst, short enough to
# sit under the cards on a 768-px-high screen (Đúng hạn has every agency).
OVERVIEW_TOP = 5

totals = ui.totals(f)
cards = ui.kpi_cards(f)
# Cards and the ranking side by side on a desktop (both above the fold of a
# 1366×768 screen); stacked, cards first, on a phone.
left, right = st.columns([3, 2], gap="medium")
with left:
    ui.metric_cards(cards)
with right:
    if not totals["received_total"]:
        ui.empty()
    elif totals["resolved"]:
        unit_late_rate = totals["late"] / totals["resolved"]
        ui.chart(ui.figure("ranked_bars", ui.query("by_agency", f), "late_rate", "agency",
                           average=unit_late_rate, lang=lg, top=OVERVIEW_TOP, volume_key="resolved",
                           title=v.t("ov_worst_title", top=OVERVIEW_TOP)),
                 key="ov_rank")
        st.caption(v.t("ov_worst_note", min=fmt.number(MIN_VOLUME, lg)))
        st.page_link("pages/dung_han.py", label=v.t("ov_worst_link"), icon=":material/arrow_forward:")

for key in ("channel_unknown", "no_due_date"):  # the cards' definitions change where data are missing
    if totals.get(key):
        st.caption(v.t(f"note_{key}", count=fmt.number(totals[key], lg)))

if totals["received_total"]:
    ui.chart(ui.figure("kpi_trend", ui.query("trend", f, grain="month"), lang=lg), key="ov_trend")

    st.subheader(v.t("ov_report06_line"))
    ui.table(report06_total(ui.query("report06", f)), ui.REPORT06_COLS,
             title=v.t("ov_report06_line"), key="ov_r06", stem="bieu-06-tong-hop")

# A year's previous period is the same period last year: one comparison, once.
single = one_comparison(comparison_filters(f, v.data_date))
# A phone shows the indicator, this period and the change.
compare_cols = [ui.Col("indicator", "ov_indicator", phone=True), ui.Col("current", "ov_current", phone=True),
                ui.Col("previous", "previous_period"),
                ui.Col("delta_previous", "ov_change_previous", phone=True)]
if not single:
    compare_cols += [ui.Col("last_year", "same_period_last_year"),
                     ui.Col("delta_last_year", "ov_change_last_year")]
title = v.t("ov_compare_table_one" if single else "ov_compare_table")
st.subheader(title)
ui.table(kpi_rows(cards, lg), compare_cols, title=title, key="ov_kpis", stem="tong-quan-chi-so")

# The meeting pack for the filters on screen: a leader or a meeting organiser
# gets it from here, not only from the Biểu 06 page (issue 12).
ui.meeting_pack(ui.office_unit_name(), key="ov_pack")
