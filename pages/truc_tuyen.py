"""Trực tuyến: online share by field, agency and quarter against the 50% target;
fully online procedures that still receive mostly paper."""

import streamlit as st

import glue
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang

totals = glue.query("totals", f)
paper = glue.query("fully_online_paper_heavy", f)
glue.metric_cards(glue.kpi_cards(f, ("received_new", "online", "online_share")), per_row=3)

if not totals["received_new"]:
    glue.empty()
    st.stop()

SHARE_COLS = [Col("received_new", "received_new", "int"), Col("online", "online", "int"),
              Col("online_share", "online_share", "rate")]

quarters = glue.query("trend", f, grain="quarter")
glue.chart(glue.figure("online_trend", quarters, lang=lg), key="tt_trend")

by_field = glue.query("by_field", f)
glue.chart(glue.figure("online_share_bars", by_field, "field", lang=lg, top=glue.CHART_TOP), key="tt_field")
glue.table(by_field, [Col("field", "field"), *SHARE_COLS],
           title=v.t("chart_online_share_by", dimension=v.t("tt_dim_field")),
           key="tt_by_field", stem="truc-tuyen-theo-linh-vuc")

by_agency = glue.query("by_agency", f)
glue.chart(glue.figure("online_share_bars", by_agency, "agency", lang=lg, top=glue.CHART_TOP), key="tt_agency")
glue.table(by_agency, [Col("agency", "agency"), Col("level", "level"), *SHARE_COLS],
           title=v.t("chart_online_share_by", dimension=v.t("tt_dim_agency")),
           key="tt_by_agency", stem="truc-tuyen-theo-co-quan")

st.subheader(v.t("tt_paper_heavy_title"))
st.metric(v.t("tt_paper_heavy_count"), glue.fmt.number(len(paper), lg))
st.caption(v.t("tt_paper_heavy_note"))
glue.table(paper, [Col("procedure_code", "procedure_code"), Col("procedure_name", "procedure_name"),
                   Col("field", "field"), *SHARE_COLS],
           title=v.t("tt_paper_heavy_title"), key="tt_paper", stem="toan-trinh-con-nop-giay",
           empty_text=v.t("tt_paper_heavy_none"))
