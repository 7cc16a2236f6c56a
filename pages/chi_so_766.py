"""Chỉ số 766: the office's score as far as its data can tell, group by group;
what cannot be computed and why; the dossiers behind every lost point; and
what fixing N of them would gain."""

import streamlit as st

import ui
from analytics.indicators import index766
from analytics.indicators.registry import CONVENTION_PORTAL766, CONVENTIONS
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang

st.caption(v.t("i766_caption"))
left, right = st.columns([3, 2])
conventions = list(CONVENTIONS)
counting = left.radio(v.t("i766_counting"), conventions, index=conventions.index(CONVENTION_PORTAL766),
                      format_func=lambda k: v.t(CONVENTIONS[k].label_key), horizontal=True, key="i766_counting")
split = right.toggle(v.t("i766_payment_split"), key="i766_split", help=v.t("i766_note_payment_split"))

index = ui.query("index_766", f, counting=counting, payment_split=split)
total = index["total"]


def _pts(x: float | None) -> str:
    return fmt.number(x, lg, 2)


# The total against 100, with the maximum the data can tell beside it.
c1, c2, c3 = st.columns(3)
c1.metric(v.t("i766_total") + " (" + v.t("i766_total_of") + ")", _pts(total["points"]), border=True)
c2.metric(v.t("i766_reachable"), fmt.number(total["reachable"], lg), border=True)
c3.metric(v.t("i766_lost"), _pts(total["lost"]), border=True)
unscored = v.t("i766_pack_unscored", n=fmt.number(100 - total["reachable"], lg))
st.caption(v.t("convention_" + counting) + " · " + unscored)

# Six group cards.
for start in range(0, len(total["groups"]), 3):
    for col, group in zip(st.columns(3), total["groups"][start:start + 3], strict=False):
        with col.container(border=True):
            value = (v.t("i766_points_of", points=_pts(group["points"]), maximum=fmt.number(group["maximum"], lg))
                     if group["reachable"] else v.t("i766_unscored"))
            st.metric(v.t(f"i766_g_{group['group']}"), value)
            st.caption(v.t(f"i766_status_{group['status']}") + (
                " · " + v.t("i766_reachable") + ": " + fmt.number(group["reachable"], lg)
                if group["reachable"] else ""))

rows = index766.criteria_rows(total, lg)
ui.chart(ui.figure("index766_bars", rows, lang=lg), key="i766_bars")
ui.table(rows, [
    ui.Col("criterion_name", "i766_col_criterion"), ui.Col("group_name", "i766_col_group"),
    ui.Col("numerator", "i766_col_numerator", "int"), ui.Col("denominator", "i766_col_denominator", "int"),
    ui.Col("ratio", "i766_col_ratio", "rate"), ui.Col("points", "i766_col_points", "number1"),
    ui.Col("maximum", "i766_col_maximum", "int"), ui.Col("status_name", "i766_col_status"),
    ui.Col("why", "i766_col_why"),
], title=v.t("i766_criteria_title"), key="i766_criteria", stem="chi-so-766",
    extra_lines=[v.t("convention_" + counting)])

trend = ui.query("index_766_trend", f, counting=counting, payment_split=split)
ui.chart(ui.figure("index766_trend", trend, lang=lg), key="i766_trend")

GROUP_COLS = [ui.Col(f"g_{g.key}", g.label_key, "number1") for g in index766.GROUPS]
UNIT_COLS = [ui.Col("points", "i766_col_points", "number1"), ui.Col("reachable", "i766_col_reachable", "int"),
             ui.Col("lost", "i766_col_lost", "number1"), *GROUP_COLS]
st.subheader(v.t("i766_agencies_title"))
ui.table(index766.unit_rows(index["by_agency"], lg), [ui.Col("agency", "agency"), ui.Col("level", "level"),
                                                      *UNIT_COLS],
         title=v.t("i766_agencies_title"), key="i766_agencies", stem="chi-so-766-theo-don-vi")
ui.table(index766.unit_rows(index["by_level"], lg), [ui.Col("level", "level"), *UNIT_COLS],
         title=v.t("i766_levels_title"), key="i766_levels", stem="chi-so-766-theo-cap")

# What costs points: the dossiers behind a sub-criterion, and what fixing N would gain.
st.subheader(v.t("i766_losses_title"))
by_code = {r["criterion"]: r for r in rows}
losing = [c for c in index766.LOSS_CRITERIA
          if c in by_code and by_code[c]["points"] is not None
          and by_code[c]["maximum"] and by_code[c]["denominator"] > by_code[c]["numerator"]]
if not losing:
    ui.empty(v.t("i766_losses_none"))
    st.stop()
picked = st.selectbox(v.t("i766_losses_pick"), losing, format_func=lambda c: by_code[c]["criterion_name"],
                      key="i766_pick")
row = by_code[picked]
st.caption(row["why"])
losses = ui.query("index_766_losses", f, criterion=picked, counting=counting)
ui.table(losses, [
    ui.Col("code", "code"), ui.Col("procedure_code", "procedure_code"), ui.Col("procedure_name", "procedure_name"),
    ui.Col("agency", "agency"), ui.Col("channel", "channel", "channel"),
    ui.Col("received_on", "i766_col_received_on", "date"), ui.Col("due_on", "i766_col_due_on", "date"),
    ui.Col("finished_on", "i766_col_finished_on", "date"), ui.Col("status", "status", "status"),
    ui.Col("supplement_count", "i766_col_supplements", "int"), ui.Col("satisfaction", "i766_col_rating", "int"),
], title=row["criterion_name"], key="i766_losses", stem="chi-so-766-mat-diem",
    extra_lines=[v.t("convention_" + counting)], empty_text=v.t("i766_losses_none"))
ui.table(index766.loss_procedures(losses), [
    ui.Col("procedure_code", "procedure_code"), ui.Col("procedure_name", "procedure_name"),
    ui.Col("dossiers", "i766_col_dossiers", "int"),
], title=v.t("i766_losses_procedures"), key="i766_loss_procs", stem="chi-so-766-mat-diem-theo-tthc")

st.subheader(v.t("i766_simulation_title"))
missing = row["denominator"] - row["numerator"]
n = int(st.number_input(v.t("i766_simulation_n"), min_value=0, max_value=missing, value=min(missing, 10),
                        step=1, key="i766_sim_n"))
gain = index766.simulate(row, n)
st.success(v.t("i766_simulation_result", n=fmt.number(n, lg), gain=_pts(gain), criterion=row["criterion_name"],
               total=_pts(total["points"] + gain)))
