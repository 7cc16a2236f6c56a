"""Đúng hạn / trễ hạn: late rate ranked by agency and field (chart and table in
the same order), the monthly trend, and a drill-down from an agency to its
late dossiers in the cards' two groups: resolved late, pending overdue."""

import streamlit as st

import ui
from analytics.indicators.ranking import MIN_VOLUME, rank_by_rate
from analytics.indicators.summaries import late_groups, late_summary, name_late_causes
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang
DRILL = ui.K_DRILL_AGENCY  # kept in the URL by ui.state
CHART = "dh_agency_chart"
# Key columns first (code, days late, where and who), so they show without
# sideways scrolling, and alone on a phone; the drill-down's agency is in the
# title, not a column.
RESOLVED_LATE_COLS = [
    ui.Col("code", "code", phone=True), ui.Col("days_late", "days_late", "int", phone=True),
    ui.Col("late_stage", "late_stage", "stage", phone=True), ui.Col("late_handler", "late_handler", phone=True),
    ui.Col("finished_at", "finished_at", "datetime"), ui.Col("due_at", "due_at", "datetime"),
    ui.Col("procedure_name", "procedure_name"), ui.Col("received_at", "received_at", "datetime"),
    ui.Col("status", "status", "status"),
]
PENDING_OVERDUE_COLS = [
    ui.Col("code", "code", phone=True), ui.Col("days_late", "days_late", "int", phone=True),
    ui.Col("late_stage", "late_stage", "stage", phone=True), ui.Col("late_handler", "late_handler", phone=True),
    ui.Col("state", "dh_state"), ui.Col("due_at", "due_at", "datetime"),
    ui.Col("procedure_name", "procedure_name"), ui.Col("received_at", "received_at", "datetime"),
]
TREND_COLS = [
    ui.Col("period_start", "month", "month"), ui.Col("received_new", "received_new", "int"),
    ui.Col("online", "online", "int"), ui.Col("online_share", "online_share", "rate"),
    ui.Col("resolved", "resolved", "int"), ui.Col("early", "early", "int"), ui.Col("on_time", "on_time", "int"),
    ui.Col("late", "late", "int"), ui.Col("on_time_rate", "on_time_rate", "rate"),
]

totals = ui.totals(f)
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


# Late rate first: the bars show it, and the table is in the chart's order.
RANK_COLS = [ui.Col("late_rate", "late_rate", "rate"), ui.Col("resolved", "resolved", "int"),
             ui.Col("late", "kpi_late", "int"), ui.Col("pending_overdue", "col_pending_overdue", "int"),
             ui.Col("on_time_rate", "on_time_rate", "rate"), ui.Col("early", "early", "int"),
             ui.Col("on_time", "on_time", "int")]
# The whole unit's late rate, the same late / resolved as each row's.
unit_late_rate = totals["late"] / totals["resolved"] if totals["resolved"] else None
AGENCY_TITLE = v.t("chart_ranked_by_agency", indicator=v.t("late_rate"))
FIELD_TITLE = v.t("chart_ranked_by_field", indicator=v.t("late_rate"))

st.caption(v.t("dh_click_hint", top=ui.CHART_TOP, min=MIN_VOLUME))
# On-time rates of 97 % and 99.8 % look equal on a 0–100 % axis; their late
# rates (3 % and 0.2 %) do not.
ui.chart(ui.figure("ranked_bars", by_agency, "late_rate", "agency", average=unit_late_rate,
                   lang=lg, top=ui.CHART_TOP, volume_key="resolved", title=AGENCY_TITLE),
         key=CHART, on_select=pick_agency, selection_mode="points")
# The chart's order (charts.ranked_bars ranks with the same function).
ui.table(rank_by_rate(by_agency, "late_rate", "resolved", ("agency",)),
         [ui.Col("agency", "agency"), *RANK_COLS, ui.Col("level", "level")],
         title=AGENCY_TITLE, key="dh_by_agency", stem="dung-han-theo-co-quan")

st.subheader(v.t("dh_drill_title"))
if f.agency and st.session_state.get(DRILL) is None:
    st.session_state[DRILL] = f.agency
if st.session_state.get(DRILL) not in agencies:
    st.session_state[DRILL] = None
st.selectbox(v.t("dh_drill_pick"), agencies, index=None, key=DRILL,
             placeholder=v.t("dh_drill_placeholder"))
drill = st.session_state.get(DRILL)
if drill:
    resolved_late, pending_overdue = late_groups(
        name_late_causes(ui.query_frame("late_dossiers", f, agency=drill), lg), lg)
    summary = late_summary(resolved_late)
    # The first two are the agency's row of the table above (and the cards' definitions).
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(v.t("kpi_late"), fmt.number(len(resolved_late), lg), border=True)
    c2.metric(v.t("kpi_pending_overdue"), fmt.number(len(pending_overdue), lg), border=True)
    c3.metric(v.t("dh_avg_days_late"), fmt.number(summary["avg_days"], lg, 1), border=True)
    c4.metric(v.t("dh_max_days_late"), fmt.number(summary["max_days"], lg), border=True)
    extra = [f"{v.t('agency')}: {drill}"]
    st.markdown(f"**{v.t('dh_resolved_late_title', count=fmt.number(len(resolved_late), lg))}**")
    ui.table(resolved_late, RESOLVED_LATE_COLS, title=v.t("dh_resolved_file_title", agency=drill),
             key="dh_late_list", stem="ho-so-giai-quyet-qua-han", extra_lines=extra, extra_scope=[drill],
             empty_text=v.t_md("dh_no_resolved_late", agency=drill))
    pending_title = v.t("dh_pending_overdue_title", date=fmt.date(v.as_of, lg),
                        count=fmt.number(len(pending_overdue), lg))
    st.markdown(f"**{pending_title}**")
    ui.table(pending_overdue, PENDING_OVERDUE_COLS, title=v.t("dh_pending_file_title", agency=drill),
             key="dh_overdue_list", stem="ho-so-dang-giai-quyet-qua-han", extra_lines=extra, extra_scope=[drill],
             empty_text=v.t_md("dh_no_pending_overdue", agency=drill))

ui.chart(ui.figure("ranked_bars", by_field, "late_rate", "field", average=unit_late_rate,
                   lang=lg, top=ui.CHART_TOP, volume_key="resolved", title=FIELD_TITLE),
         key="dh_field_chart")
ui.table(rank_by_rate(by_field, "late_rate", "resolved", ("field",)), [ui.Col("field", "field"), *RANK_COLS],
         title=FIELD_TITLE, key="dh_by_field", stem="dung-han-theo-linh-vuc")

trend = ui.query("trend", f, grain="month")
ui.chart(ui.figure("kpi_trend", trend, lang=lg), key="dh_trend")
ui.table(trend, TREND_COLS, title=v.t("dh_trend_title"), key="dh_trend_table",
         stem="dung-han-theo-thang")
