"""Trễ hạn theo giai đoạn: late rate by stage and agency, the most late stage."""

import streamlit as st

import glue
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang

by_stage = glue.query("by_stage", f)
summary = glue.stage_summary(by_stage)
c1, c2, c3, c4 = st.columns(4)
c1.metric(v.t("steps"), glue.fmt.number(summary["steps"], lg), border=True)
c2.metric(v.t("late_steps"), glue.fmt.number(summary["late"], lg), border=True)
c3.metric(v.t("late_rate"), glue.fmt.percent(summary["late_rate"], lg), border=True)
with c4:
    glue.text_card(v.t("gd_top_stage"), summary["top_stage"],
                   v.t("gd_top_stage_count", count=glue.fmt.number(summary["top_late"], lg))
                   if summary["top_stage"] else None)

if not summary["steps"]:
    glue.empty(v.t("gd_no_steps"))
else:
    stage_agency = glue.query("stage_agency", f)
    glue.chart(glue.figure("late_heatmap", stage_agency, lang=lg), key="gd_heatmap")
    glue.table(stage_agency, [Col("stage", "stage"), Col("agency", "agency"),
                              Col("steps", "steps", "int"), Col("late", "late_steps", "int"),
                              Col("late_rate", "late_rate", "rate")],
               title=v.t("chart_late_heatmap"), key="gd_stage_agency", stem="tre-han-giai-doan-co-quan")

    glue.chart(glue.figure("ranked_bars", by_stage, "late", "stage", lang=lg, title=v.t("gd_by_stage")),
               key="gd_stage_bars")
    glue.table(by_stage, [Col("stage", "stage"), Col("steps", "steps", "int"),
                          Col("late", "late_steps", "int"), Col("late_rate", "late_rate", "rate")],
               title=v.t("gd_by_stage"), key="gd_by_stage", stem="tre-han-theo-giai-doan")
