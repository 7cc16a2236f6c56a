"""Báo cáo Biểu 06 (Biểu số 06/VPCP/KSTT): the 13-column table and the form's .xlsx."""

from dataclasses import replace

import streamlit as st

import ui
from analytics.indicators.registry import CONVENTION_BIEU06, CONVENTIONS
from analytics.reports.report06 import report06_notes, report06_table, report06_total

v = ui.view()
f, lg = v.filters, v.lang

# On a phone: the field, received (3), resolved (7), late (10) and overdue (13).
PHONE_COLUMNS = {"r06_c3", "r06_c7", "r06_c10", "r06_c13"}
COLS = [ui.Col("stt", "stt"), ui.Col("label", "r06_c2", phone=True),
        *(replace(c, phone=c.label in PHONE_COLUMNS) for c in ui.REPORT06_COLS)]

ui.metric_cards(ui.kpi_cards(f, ("received_total", "resolved", "on_time_rate", "pending_overdue")))

# The form's counting by default; the 766 portal's (supplement time stops
# the clock) as an option, as ``report06 --counting`` has it. The table, both
# downloads and the note under the table follow the choice; the cards above
# it are the product's usual counting, as on every other page.
# The first option is the default (no index given: a shared link may have
# set the choice, ui.state.url_drill, and Streamlit refuses both).
conventions = [CONVENTION_BIEU06, *(c for c in CONVENTIONS if c != CONVENTION_BIEU06)]
counting = st.radio(v.t("r06_counting"), conventions,
                    format_func=lambda k: v.t(CONVENTIONS[k].label_key), horizontal=True, key=ui.K_R06_COUNTING,
                    help=v.t("r06_counting_help"))
counting_note = v.t(CONVENTIONS[counting].label_key)

rows = ui.query("report06", f, counting=counting)

left, right = st.columns([2, 1], vertical_alignment="bottom")
unit = ui.unit_input("r06_unit", left)
with right:
    ui.download_button(ui.report06_builder(f, unit, counting), name=ui.file_name("bieu-06-vpcp-kstt", v),
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
             stem="bieu-06-bang", bold_key="bold", static=True, extra_lines=[counting_note])
    st.caption(counting_note + (" — " + v.t("r06_note_portal_counting") if counting != CONVENTION_BIEU06 else ""))
    for note in report06_notes(rows, lg):
        st.caption(note)
    ui.chart(ui.figure("stacked_resolution", ui.totals(f), lang=lg), key="r06_chart")
