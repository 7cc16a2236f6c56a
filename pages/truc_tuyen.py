"""Trực tuyến: online share by field, agency and quarter against the 50% target;
fully online procedures that still receive mostly paper."""

import streamlit as st

import ui
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang

totals = ui.totals(f)
paper = ui.query("fully_online_paper_heavy", f)
ui.metric_cards(ui.kpi_cards(f, ("received_new", "online", "online_share")))
if totals.get("channel_unknown"):
    st.caption(v.t("note_channel_unknown", count=fmt.number(totals["channel_unknown"], lg)))

if not totals["received_new"]:
    ui.empty()
    st.stop()

# A phone shows the name, the dossiers received and the online share.
SHARE_COLS = [ui.Col("received_new", "received_new", "int", phone=True), ui.Col("online", "online", "int"),
              ui.Col("online_share", "online_share", "rate", phone=True)]

quarters = ui.query("trend", f, grain="quarter")
ui.chart(ui.figure("online_trend", quarters, lang=lg), key="tt_trend")

by_field = ui.query("by_field", f)
ui.chart(ui.figure("online_share_bars", by_field, "field", lang=lg, top=ui.CHART_TOP), key="tt_field")
ui.table(by_field, [ui.Col("field", "field", phone=True), *SHARE_COLS],
         title=v.t("chart_online_share_by", dimension=v.t("tt_dim_field")),
         key="tt_by_field", stem="truc-tuyen-theo-linh-vuc")

by_agency = ui.query("by_agency", f)
ui.chart(ui.figure("online_share_bars", by_agency, "agency", lang=lg, top=ui.CHART_TOP), key="tt_agency")
ui.table(by_agency, [ui.Col("agency", "agency", phone=True), ui.Col("level", "level"), *SHARE_COLS],
         title=v.t("chart_online_share_by", dimension=v.t("tt_dim_agency")),
         key="tt_by_agency", stem="truc-tuyen-theo-co-quan")

st.subheader(v.t("tt_paper_heavy_title"))
st.metric(v.t("tt_paper_heavy_count"), fmt.number(len(paper), lg))
st.caption(v.t("tt_paper_heavy_note"))
ui.table(paper, [ui.Col("procedure_code", "procedure_code"), ui.Col("procedure_name", "procedure_name", phone=True),
                 ui.Col("field", "field"), *SHARE_COLS],
         title=v.t("tt_paper_heavy_title"), key="tt_paper", stem="toan-trinh-con-nop-giay",
         empty_text=v.t("tt_paper_heavy_none"))
