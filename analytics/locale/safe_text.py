"""Data is never markup: the two primitives that keep imported text inert.

Names of agencies, procedures, fields and handlers come from the export
files, so a file can carry ``[link](http://evil)``, ``**bold**`` or
``=HYPERLINK("http://x","y")``. Where such text is rendered as Markdown it is
escaped with :func:`md_escape`; where it is written to a CSV file each cell
goes through :func:`csv_cell`. (Workbooks are written with text cells, see
``analytics.reports.excel``, ``analytics.reports.report06`` and ``analytics.reports.deck``; docx runs
are always literal text.) Text written into Office XML or to a terminal goes
through :func:`plain_text` first: a control character in a name would stop
the deck and the Word report from being built, and would drive the terminal.
"""

from __future__ import annotations

import re
import string
from typing import Any

# CommonMark lets a backslash escape any ASCII punctuation character and then
# renders the character itself. Escaping all of them, not a hand-picked few,
# also covers what Streamlit adds to Markdown: ``:red[...]`` colour and
# ``:material/...:`` icon directives (the colon), LaTeX (``$``), GFM
# autolinks (``www.`` / ``http://`` / ``a@b.c`` need a bare ``.`` or ``:``),
# raw HTML (``<``), entities (``&``), tables (``|``) and strikethrough (``~``).
_MD_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
_WHITESPACE = re.compile(r"\s+")
# C0 controls but tab and line breaks, DEL, C1 controls (U+009B is a terminal's
# CSI), the non-characters XML 1.0 forbids, and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# OWASP "CSV Injection": a cell starting with one of these is read as a
# formula by Excel, LibreOffice or Google Sheets.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def md_escape(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text, on one line.

    Every ASCII punctuation character gets a backslash, so nothing in the
    text can open a link, emphasis, code, heading, list, HTML tag, LaTeX or a
    Streamlit directive; runs of whitespace (line breaks included) become one
    space, so the text cannot start a new block. Only for text that a
    Markdown renderer shows (``st.markdown``, ``st.caption``, ``st.info``...):
    elsewhere the backslashes would be visible.
    """
    text = _WHITESPACE.sub(" ", "" if value is None else str(value))
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_values(values: dict[str, Any]) -> dict[str, str]:
    """Each value escaped with :func:`md_escape`, for filling a label template
    that a Markdown renderer shows (the template's own Markdown is kept)."""
    return {key: md_escape(value) for key, value in values.items()}


def csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet opens as text, as OWASP recommends.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading single quote, which spreadsheets read as "this is text" and
    do not show. Numbers, dates and missing values are returned unchanged.
    Write the file with every field quoted (``csv.QUOTE_ALL``), so a separator
    inside a value never starts a new cell that begins with ``=``.
    """
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def plain_text(value: Any) -> str:
    """``value`` as text without control characters (tab and line breaks kept).

    XML 1.0 cannot hold most of them (python-docx and python-pptx refuse a
    string with one), and on a terminal an escape sequence in a name would
    recolour, move or clear what is printed.
    """
    return _CONTROL.sub("", "" if value is None else str(value))
