"""Người thụ lý: handlers by the late steps they caused (the chart), ranked by
late rate beside their volume (the table), and one handler's late steps."""

import streamlit as st

import ui
from analytics.indicators.ranking import rank_by_rate
from analytics.indicators.summaries import (
    handler_bar_labels,
    handler_key,
    handler_summary,
    late_summary,
    split_handler_key,
)
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang
PICK = ui.K_DRILL_HANDLER  # kept in the URL by ui.state
CHART = "ntl_chart"
LATE_STEP_COLS = [
    ui.Col("code", "code", phone=True), ui.Col("procedure_name", "procedure_name"),
    ui.Col("stage", "stage", "stage", phone=True),
    ui.Col("agency", "agency"), ui.Col("due_at", "due_at", "datetime"),
    ui.Col("finished_at", "finished_at", "datetime"), ui.Col("days_late", "days_late", "int", phone=True),
    ui.Col("caused_days", "caused_days", "int"),
]

rows = ui.query("by_handler", f)
if not ui.query("has_steps"):
    st.caption(v.t("note_handlers_from_dossiers"))
summary = handler_summary(rows)
c1, c2, c3, c4 = st.columns(4)
c1.metric(v.t("ntl_handlers"), fmt.number(summary["handlers"], lg), border=True)
c2.metric(v.t("ntl_late_handlers"), fmt.number(summary["late_handlers"], lg), border=True)
c3.metric(v.t("late_steps"), fmt.number(summary["late_steps"], lg), border=True)
top = summary["top"]
with c4:
    ui.text_card(v.t("ntl_top_handler"), top["handler"] if top else None,
                 v.t("ntl_top_detail", late=fmt.number(top["late"], lg), agency=top["agency"])
                 if top else None)

if not rows:
    ui.empty(v.t("gd_no_steps"))
    st.stop()

late_rows = [r for r in rows if r["late"]]
keys = [handler_key(r) for r in late_rows]
names = {handler_key(r): f"{r['handler']} – {r['agency']}" for r in late_rows}
bar_labels = handler_bar_labels(rows)


def pick_handler() -> None:
    """A click on a handler's bar picks the handler below."""
    label = ui.picked_label(st.session_state.get(CHART), list(bar_labels))
    if label:
        st.session_state[PICK] = bar_labels[label]


if late_rows:
    st.caption(v.t("ntl_click_hint"))
    ui.chart(ui.figure("handler_bars", rows, lang=lg), key=CHART, on_select=pick_handler,
             selection_mode="points")
else:
    ui.empty(v.t("no_late_steps"))
# Ranked by late rate from ranking.MIN_VOLUME steps up, the others after.
ui.table(rank_by_rate(rows, "late_rate", "steps", ("handler", "agency")),
         [ui.Col("handler", "handler", phone=True), ui.Col("agency", "agency"), ui.Col("steps", "steps", "int"),
          ui.Col("late", "late_steps", "int", phone=True), ui.Col("inherited_late", "inherited_late", "int"),
          ui.Col("late_dossiers", "late_dossiers", "int"), ui.Col("late_rate", "late_rate", "rate", phone=True)],
         title=v.t("ntl_table_title"), key="ntl_table", stem="nguoi-thu-ly")

st.subheader(v.t("ntl_pick_title"))
if st.session_state.get(PICK) not in keys:
    st.session_state[PICK] = None
st.selectbox(v.t("ntl_pick"), keys, index=None, key=PICK, format_func=names.get,
             placeholder=v.t("ntl_pick_placeholder"))
picked = st.session_state.get(PICK)
if picked:
    handler, agency = split_handler_key(picked)
    steps = ui.query_frame("late_steps", f, handler=handler, agency=agency)
    s = late_summary(steps)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(v.t("late_steps"), fmt.number(len(steps), lg))
    c2.metric(v.t("late_dossiers"), fmt.number(s["dossiers"], lg))
    c3.metric(v.t("dh_avg_days_late"), fmt.number(s["avg_days"], lg, 1))
    c4.metric(v.t("dh_max_days_late"), fmt.number(s["max_days"], lg))
    ui.table(steps, LATE_STEP_COLS, title=v.t("ntl_file_title", handler=handler),
             key="ntl_steps", stem="ho-so-tre-han-nguoi-thu-ly",
             extra_lines=[f"{v.t('handler')}: {handler} ({agency})"], extra_scope=[handler, agency])
