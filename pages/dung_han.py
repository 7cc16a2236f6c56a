"""Đúng hạn / trễ hạn: on-time rate ranked by agency and field, the monthly
trend, and a drill-down from an agency to its late dossiers."""

import streamlit as st

import glue
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang
DRILL = "dh_drill_agency"
CHART = "dh_agency_chart"

totals = glue.query("totals", f)
glue.metric_cards(glue.kpi_cards(f, ("resolved", "on_time_rate", "late", "pending_overdue")))

if not (totals["resolved"] or totals["pending"]):
    glue.empty()
    st.stop()

by_agency = glue.query("by_agency", f)
by_field = glue.query("by_field", f)
agencies = [r["agency"] for r in by_agency]


def pick_agency() -> None:
    """A click on a bar picks the agency of the drill-down below."""
    name = glue.picked_label(st.session_state.get(CHART), agencies)
    if name:
        st.session_state[DRILL] = name


RANK_COLS = [Col("resolved", "resolved", "int"), Col("early", "early", "int"),
             Col("on_time", "on_time", "int"), Col("late", "late", "int"),
             Col("on_time_rate", "on_time_rate", "rate"), Col("late_rate", "late_rate", "rate"),
             Col("pending_overdue", "col_pending_overdue", "int")]

st.caption(v.t("dh_click_hint", top=glue.CHART_TOP))
glue.chart(glue.figure("ranked_bars", by_agency, "on_time_rate", "agency", average=totals["on_time_rate"],
                              lang=lg, top=glue.CHART_TOP,
                              title=v.t("chart_ranked_by_agency", indicator=v.t("on_time_rate"))),
           key=CHART, on_select=pick_agency, selection_mode="points")
glue.table(by_agency, [Col("agency", "agency"), Col("level", "level"), *RANK_COLS],
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
    late = glue.frame("late_dossiers", f, agency=drill)
    summary = glue.late_summary(late)
    c1, c2, c3 = st.columns(3)
    c1.metric(v.t("late_dossiers"), glue.fmt.number(summary["dossiers"], lg))
    c2.metric(v.t("dh_avg_days_late"), glue.fmt.number(summary["avg_days"], lg, 1))
    c3.metric(v.t("dh_max_days_late"), glue.fmt.number(summary["max_days"], lg))
    glue.table(late, glue.LATE_DOSSIER_COLS,
               title=v.t("dh_drill_file_title", agency=drill), key="dh_late_list",
               stem="ho-so-tre-han", extra_lines=[f"{v.t('agency')}: {drill}"],
               empty_text=v.t_md("dh_no_late", agency=drill))

glue.chart(glue.figure("ranked_bars", by_field, "on_time_rate", "field", average=totals["on_time_rate"],
                              lang=lg, top=glue.CHART_TOP,
                              title=v.t("chart_ranked_by_field", indicator=v.t("on_time_rate"))),
           key="dh_field_chart")
glue.table(by_field, [Col("field", "field"), *RANK_COLS],
           title=v.t("chart_ranked_by_field", indicator=v.t("on_time_rate")),
           key="dh_by_field", stem="dung-han-theo-linh-vuc")

trend = glue.query("trend", f, grain="month")
glue.chart(glue.figure("kpi_trend", trend, lang=lg), key="dh_trend")
glue.table(trend, glue.TREND_COLS, title=v.t("dh_trend_title"), key="dh_trend_table",
           stem="dung-han-theo-thang")
