"""Đúng hạn / trễ hạn: on-time rate ranked by agency and field, the monthly
trend, and a drill-down from an agency to its late dossiers."""

import streamlit as st

import ui
from analytics.indicators.ranking import rank_by_rate
from analytics.indicators.summaries import late_summary, name_late_causes
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang
DRILL = ui.K_DRILL_AGENCY  # kept in the URL by ui.state
CHART = "dh_agency_chart"
LATE_DOSSIER_COLS = [
    ui.Col("code", "code"), ui.Col("procedure_name", "procedure_name"), ui.Col("agency", "agency"),
    ui.Col("received_at", "received_at", "datetime"), ui.Col("due_at", "due_at", "datetime"),
    ui.Col("finished_at", "finished_at", "datetime"), ui.Col("days_late", "days_late", "int"),
    ui.Col("late_stage", "late_stage", "stage"), ui.Col("late_handler", "late_handler"),
    ui.Col("status", "status", "status"),
]
TREND_COLS = [
    ui.Col("period_start", "month", "month"), ui.Col("received_new", "received_new", "int"),
    ui.Col("online", "online", "int"), ui.Col("online_share", "online_share", "rate"),
    ui.Col("resolved", "resolved", "int"), ui.Col("early", "early", "int"), ui.Col("on_time", "on_time", "int"),
    ui.Col("late", "late", "int"), ui.Col("on_time_rate", "on_time_rate", "rate"),
]

totals = ui.query("totals", f)
ui.metric_cards(ui.kpi_cards(f, ("resolved", "on_time_rate", "late", "pending_overdue")))

if not (totals["resolved"] or totals["pending"]):
    ui.empty()
    st.stop()

by_agency = ui.query("by_agency", f)
by_field = ui.query("by_field", f)
agencies = [r["agency"] for r in by_agency]


def pick_agency() -> None:
    """A click on a bar picks the agency of the drill-down below."""
    name = ui.picked_label(st.session_state.get(CHART), agencies)
    if name:
        st.session_state[DRILL] = name


RANK_COLS = [ui.Col("resolved", "resolved", "int"), ui.Col("early", "early", "int"),
             ui.Col("on_time", "on_time", "int"), ui.Col("late", "late", "int"),
             ui.Col("on_time_rate", "on_time_rate", "rate"), ui.Col("late_rate", "late_rate", "rate"),
             ui.Col("pending_overdue", "col_pending_overdue", "int")]

st.caption(v.t("dh_click_hint", top=ui.CHART_TOP))
ui.chart(ui.figure("ranked_bars", by_agency, "on_time_rate", "agency", average=totals["on_time_rate"],
                              lang=lg, top=ui.CHART_TOP, volume_key="resolved",
                              title=v.t("chart_ranked_by_agency", indicator=v.t("on_time_rate"))),
         key=CHART, on_select=pick_agency, selection_mode="points")
# The chart's order: ranked by rate from ranking.MIN_VOLUME resolved up.
ui.table(rank_by_rate(by_agency, "on_time_rate", "resolved", ("agency",), worse_high=False),
         [ui.Col("agency", "agency"), ui.Col("level", "level"), *RANK_COLS],
         title=v.t("chart_ranked_by_agency", indicator=v.t("on_time_rate")),
         key="dh_by_agency", stem="dung-han-theo-co-quan")

st.subheader(v.t("dh_drill_title"))
if f.agency and st.session_state.get(DRILL) is None:
    st.session_state[DRILL] = f.agency
if st.session_state.get(DRILL) not in agencies:
    st.session_state[DRILL] = None
st.selectbox(v.t("dh_drill_pick"), agencies, index=None, key=DRILL,
             placeholder=v.t("dh_drill_placeholder"))
drill = st.session_state.get(DRILL)
if drill:
    late = name_late_causes(ui.query_frame("late_dossiers", f, agency=drill), lg)
    summary = late_summary(late)
    c1, c2, c3 = st.columns(3)
    c1.metric(v.t("late_dossiers"), fmt.number(summary["dossiers"], lg))
    c2.metric(v.t("dh_avg_days_late"), fmt.number(summary["avg_days"], lg, 1))
    c3.metric(v.t("dh_max_days_late"), fmt.number(summary["max_days"], lg))
    ui.table(late, LATE_DOSSIER_COLS,
             title=v.t("dh_drill_file_title", agency=drill), key="dh_late_list",
             stem="ho-so-tre-han", extra_lines=[f"{v.t('agency')}: {drill}"], extra_scope=[drill],
             empty_text=v.t_md("dh_no_late", agency=drill))

ui.chart(ui.figure("ranked_bars", by_field, "on_time_rate", "field", average=totals["on_time_rate"],
                              lang=lg, top=ui.CHART_TOP, volume_key="resolved",
                              title=v.t("chart_ranked_by_field", indicator=v.t("on_time_rate"))),
         key="dh_field_chart")
ui.table(rank_by_rate(by_field, "on_time_rate", "resolved", ("field",), worse_high=False),
         [ui.Col("field", "field"), *RANK_COLS],
         title=v.t("chart_ranked_by_field", indicator=v.t("on_time_rate")),
         key="dh_by_field", stem="dung-han-theo-linh-vuc")

trend = ui.query("trend", f, grain="month")
ui.chart(ui.figure("kpi_trend", trend, lang=lg), key="dh_trend")
ui.table(trend, TREND_COLS, title=v.t("dh_trend_title"), key="dh_trend_table",
         stem="dung-han-theo-thang")
