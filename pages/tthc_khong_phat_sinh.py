"""TTHC không phát sinh hồ sơ: procedures with no dossier for three years, the
list to propose for cutting, and how many procedures had dossiers."""

import streamlit as st

import ui
from analytics.indicators.summaries import count_by
from analytics.locale import fmt

v = ui.view()
f, lg = v.filters, v.lang

usage = ui.query("procedure_usage", f)
unused = ui.query("procedures_without_dossiers", f)
c1, c2, c3 = st.columns(3)
c1.metric(v.t("with_dossiers"),
          v.t("pk_ratio", used=fmt.number(usage["with_dossiers"], lg),
              total=fmt.number(usage["in_force"], lg)), border=True,
          help=v.t("pk_ratio_help"))
c2.metric(v.t("without_dossiers"), fmt.number(usage["without_dossiers"], lg), border=True,
          help=v.t("pk_without_help"))
c3.metric(v.t("pk_three_years"), fmt.number(len(unused), lg), border=True,
          help=v.t("pk_three_years_help", date=fmt.date(f.date_to, lg)))
if usage["in_force"] and not usage["with_dossiers"]:
    # "0/281 had dossiers" beside a three-year list read as a contradiction:
    # say the period is empty and which window the list looks at.
    ui.empty(v.t("pk_period_empty", date=fmt.date(f.date_to, lg)))
else:
    st.markdown(v.t("pk_sentence", used=fmt.number(usage["with_dossiers"], lg),
                    total=fmt.number(usage["in_force"], lg)))

st.subheader(v.t("pk_list_title"))
if not usage["in_force"]:
    ui.empty(v.t("pk_no_catalog"))
    st.stop()
if unused:
    st.caption(v.t("pk_list_note", date=fmt.date(f.date_to, lg)))
    # The bars count procedures (the axis says so), not dossiers.
    ui.chart(ui.figure("ranked_bars", count_by(unused, "field", "procedure_count"), "procedure_count",
                       "field", lang=lg, highlight_late=False, title=v.t("pk_by_field")),
             key="pk_by_field")
ui.table(unused, [
    ui.Col("procedure_code", "procedure_code"), ui.Col("procedure_name", "procedure_name"),
    ui.Col("field", "field"), ui.Col("level", "level"), ui.Col("online_level", "online_level"),
    ui.Col("published_on", "published_on", "date"), ui.Col("last_received", "last_received", "date"),
    ui.Col("years_without", "years_without", "number1"),
], title=v.t("pk_file_title"), key="pk_list", stem="de-xuat-cat-giam-tthc",
         empty_text=v.t("pk_none", date=fmt.date(f.date_to, lg)), download_label=v.t("pk_download"))
