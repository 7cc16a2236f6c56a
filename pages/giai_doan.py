"""Trễ hạn theo giai đoạn: late rate by stage and agency, the most late stage."""

import streamlit as st

import ui
from analytics.indicators.summaries import stage_summary
from analytics.locale import fmt
from analytics.locale.labels import name_stages, stage_name

v = ui.view()
f, lg = v.filters, v.lang

by_stage = ui.query("by_stage", f)
summary = stage_summary(by_stage)
c1, c2, c3, c4 = st.columns(4)
c1.metric(v.t("steps"), fmt.number(summary["steps"], lg), border=True)
c2.metric(v.t("late_steps"), fmt.number(summary["late"], lg), border=True)
c3.metric(v.t("late_rate"), fmt.percent(summary["late_rate"], lg), border=True)
with c4:
    ui.text_card(v.t("gd_top_stage"), stage_name(summary["top_stage"], lg) if summary["top_stage"] else None,
                 v.t("gd_top_stage_count", count=fmt.number(summary["top_late"], lg))
                 if summary["top_stage"] else None)

if not ui.query("has_steps"):
    ui.empty(v.t("note_no_steps"))
elif not summary["steps"]:
    ui.empty(v.t("gd_no_steps"))
else:
    stage_agency = ui.query("stage_agency", f)
    named = name_stages(stage_agency, lg)
    with ui.wide_screen("gd_heatmap"):
        ui.chart(ui.figure("late_heatmap", named, lang=lg), key="gd_heatmap")
    # On a phone, fewer agencies and stages in larger cells; the table has all.
    with ui.phone_screen("gd_heatmap"):
        ui.chart(ui.figure("late_heatmap", named, lang=lg, phone=True), key="gd_heatmap_phone")
    # A phone shows the stage, the agency and their late steps and rate.
    ui.table(stage_agency, [ui.Col("stage", "stage", "stage", phone=True), ui.Col("agency", "agency", phone=True),
                            ui.Col("steps", "steps", "int"), ui.Col("late", "late_steps", "int", phone=True),
                            ui.Col("late_rate", "late_rate", "rate", phone=True)],
             title=v.t("chart_late_heatmap"), key="gd_stage_agency", stem="tre-han-giai-doan-co-quan")

    ui.chart(ui.figure("ranked_bars", name_stages(by_stage, lg), "late", "stage", lang=lg, title=v.t("gd_by_stage")),
             key="gd_stage_bars")
    ui.table(by_stage, [ui.Col("stage", "stage", "stage", phone=True), ui.Col("steps", "steps", "int"),
                        ui.Col("late", "late_steps", "int", phone=True),
                        ui.Col("late_rate", "late_rate", "rate", phone=True)],
             title=v.t("gd_by_stage"), key="gd_by_stage", stem="tre-han-theo-giai-doan")
