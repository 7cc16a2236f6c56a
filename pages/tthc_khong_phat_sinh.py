"""TTHC không phát sinh hồ sơ: procedures with no dossier for three years, the
list to propose for cutting, and how many procedures had dossiers."""

import streamlit as st

import glue
from glue import Col

v = glue.view()
f, lg = v.filters, v.lang

usage = glue.query("procedure_usage", f)
unused = glue.query("procedures_without_dossiers", f)
c1, c2, c3 = st.columns(3)
c1.metric(v.t("with_dossiers"),
          v.t("pk_ratio", used=glue.fmt.number(usage["with_dossiers"], lg),
              total=glue.fmt.number(usage["in_force"], lg)), border=True,
          help=v.t("pk_ratio_help"))
c2.metric(v.t("without_dossiers"), glue.fmt.number(usage["without_dossiers"], lg), border=True,
          help=v.t("pk_without_help"))
c3.metric(v.t("pk_three_years"), glue.fmt.number(len(unused), lg), border=True,
          help=v.t("pk_three_years_help", date=glue.fmt.date(f.date_to, lg)))
st.markdown(v.t("pk_sentence", used=glue.fmt.number(usage["with_dossiers"], lg),
                total=glue.fmt.number(usage["in_force"], lg)))

st.subheader(v.t("pk_list_title"))
if not usage["in_force"]:
    glue.empty(v.t("pk_no_catalog"))
    st.stop()
if unused:
    st.caption(v.t("pk_list_note", date=glue.fmt.date(f.date_to, lg)))
    glue.chart(glue.figure("ranked_bars", glue.count_by(unused, "field"), "count", "field", lang=lg,
                                  highlight_late=False, title=v.t("pk_by_field")),
               key="pk_by_field")
glue.table(unused, [
    Col("procedure_code", "procedure_code"), Col("procedure_name", "procedure_name"),
    Col("field", "field"), Col("level", "level"), Col("online_level", "online_level"),
    Col("published_on", "published_on", "date"), Col("last_received", "last_received", "date"),
    Col("years_without", "years_without", "number1"),
], title=v.t("pk_file_title"), key="pk_list", stem="de-xuat-cat-giam-tthc",
    empty_text=v.t("pk_none"), download_label=v.t("pk_download"))
