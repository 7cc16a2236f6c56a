"""What pages draw: tables with their Excel downloads, charts, KPI cards, notes.

Every download goes through the audit log (:func:`ui.gate.audited`); every
table on screen is the first :data:`MAX_SCREEN_ROWS` rows of the one written
to Excel; every chart comes from :mod:`analytics.reports.charts`.
"""

from __future__ import annotations

import copy
import hashlib
import pickle
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
import streamlit as st
from plotly.basedatatypes import BaseFigure, convert_to_base64  # the step plotly's to_dict runs on its copy

from analytics.indicators import periods
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import BIEU06_COLUMNS, CONVENTION_BIEU06, indicator
from analytics.indicators.summaries import KPIS, Kpi, comparison_filters, kpis, one_comparison
from analytics.locale import fmt
from analytics.locale.labels import LABELS, channel_name, stage_name, status_name
from analytics.locale.labels import t as _t
from analytics.locale.safe_text import md_escape
from analytics.reports import charts
from analytics.reports.deck import PPTX_MIME, build_deck
from analytics.reports.docreport import DOCX_MIME, build_report_docx
from analytics.reports.excel import ColumnSpec, download_name, scope_values, sheet_title, table_to_xlsx
from analytics.reports.report06 import build_report06_xlsx
from ui import table_wire
from ui.data import CACHE_TTL, compared_totals, office_unit_name, store
from ui.frame import view
from ui.gate import audited
from ui.state import View, context_lines, lang, period_text, t

# The Stylers of screen_styler are sent by ui.table_wire (made once per table).
table_wire.install()

# Rows drawn in a table on screen; the Excel file always has every row.
MAX_SCREEN_ROWS = 500
# Bars in a ranked chart (the worst first); the table under it has every row.
CHART_TOP = 15
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------
# Tables and Excel downloads
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A table column: engine key, label key and how to show it.

    kind: text | int | rate | number1 | date | datetime | channel | status | stage (a step name,
    in English where the catalogue has it) |
    month | quarter (a period start shown as "Tháng 07/2026" / "Quý III/2026")
    phone: a key column, kept in the compact table a phone shows (when no
    column of a table is marked, its first :data:`PHONE_COLS` are).
    """

    key: str
    label: str | None = None
    kind: str = "text"
    phone: bool = False

    def header(self, lg: str) -> str:
        return _t(self.label or self.key, lg)


_NUMERIC = {"int", "rate", "number1"}
# A phone (390 px, ~360 px of table) shows this many columns of a table by
# default: a name and two numbers fit without scrolling sideways.
PHONE_COLS = 3
# Rows of a phone's compact table: a static table (its cells wrap, so names
# are not cut) is as long as its rows; the Excel file has every row.
PHONE_ROWS = 30
# A number column's width on screen: its values are short; the header, cut
# to fit, is shown whole in the column's tooltip.
NUMBER_PX = 84
_EXCEL_KINDS = {"int": "int", "rate": "percent", "number1": "float", "date": "date",
                "datetime": "datetime"}

# Biểu 06's number columns (3)..(13); headers carry the form's column numbers, as on paper.
REPORT06_COLS = [Col(name, f"r06_c{indicator(name).bieu06_column}", "int") for name in BIEU06_COLUMNS]


def _formatter(kind: str, lg: str) -> Callable[[Any], str]:
    return {
        "int": partial(fmt.number, lang=lg),
        "number1": partial(fmt.number, lang=lg, decimals=1),
        "rate": partial(fmt.percent, lang=lg),
        "date": partial(fmt.date, lang=lg),
        "datetime": partial(fmt.datetime, lang=lg),
    }.get(kind, lambda x: fmt.MISSING if x is None or x != x else str(x))


def shape_table(df: pd.DataFrame, cols: Sequence[Col], lg: str) -> pd.DataFrame:
    """The columns of ``cols`` in order (engine keys kept), codes replaced by
    their display names. Numbers and dates keep their types, for sorting on
    screen and for number formats in Excel."""
    out: dict[str, Any] = {}
    for c in cols:
        if c.key in df.columns:
            s = df[c.key]
        else:
            s = pd.Series([None] * len(df), index=df.index, dtype=object)
        if c.kind == "channel":
            s = s.map(lambda x: channel_name(x, lg) if isinstance(x, str) else x)
        elif c.kind == "status":
            s = s.map(lambda x: status_name(x, lg) if x is not None and x == x else None)
        elif c.kind == "stage":
            s = s.map(lambda x: stage_name(x, lg) if isinstance(x, str) else x)
        elif c.kind == "month":
            s = s.map(lambda d: periods.month_label(d, lg) if d is not None and d == d else None)
        elif c.kind == "quarter":
            s = s.map(lambda d: periods.quarter_label(d, lg) if d is not None and d == d else None)
        elif c.kind in ("date", "datetime"):
            s = pd.to_datetime(s, errors="coerce")
        elif c.kind in _NUMERIC:
            s = pd.to_numeric(s, errors="coerce")
        out[c.key] = s
    # One frame from the columns (inserting them one by one copied the frame each time).
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def headers(cols: Sequence[Col], lg: str) -> dict[str, str]:
    """Column headers by key, made unique (two labels may read the same)."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for c in cols:
        name, n = c.header(lg), 1
        while name in seen:
            n += 1
            name = f"{c.header(lg)} ({n})"
        seen.add(name)
        out[c.key] = name
    return out


def styled(df: pd.DataFrame, cols: Sequence[Col], lg: str, bold_rows: Sequence[bool] | None = None):
    """The table for the screen: headers in ``lg``, Vietnamese (or English)
    number and date formats, optional bold rows (subtotals)."""
    shown = df.rename(columns=headers(cols, lg))
    names = headers(cols, lg)
    formats = {names[c.key]: _formatter(c.kind, lg) for c in cols
               if c.kind in _NUMERIC or c.kind in ("date", "datetime")}
    style = shown.style.format(formats, na_rep=fmt.MISSING)
    if bold_rows is not None:
        flags = list(bold_rows)[: len(shown)]
        style = style.apply(
            lambda row: ["font-weight: bold" if flags[row.name] else "" for _ in row], axis=1)
    return style


# The strftime patterns of fmt.date and fmt.datetime.
_DATE_PATTERNS = {"date": "%d/%m/%Y", "datetime": "%d/%m/%Y %H:%M"}


def _plain(x: Any) -> Any:
    """What a Styler shows for a column without a formatter (pandas'
    default: floats with 6 decimals, everything else as it is)."""
    if pd.api.types.is_float(x) or pd.api.types.is_complex(x):
        return f"{x:.6f}"
    if pd.api.types.is_integer(x):
        return str(x)
    return x


def _cell_texts(values: list[Any], show: Callable[[Any], Any]) -> list[str]:
    # pd.isna(x) is True: exactly Styler's na_rep test (a list is not missing).
    return [fmt.MISSING if pd.isna(x) is True else str(show(x)) for x in values]


def display_cells(df: pd.DataFrame, cols: Sequence[Col], lg: str) -> dict[str, list[str]]:
    """The text of every cell of a shaped table, column by column (keys of
    ``cols`` that ``df`` has): see :func:`display_texts`."""
    out: dict[str, list[str]] = {}
    for c in cols:
        if c.key not in df.columns:
            continue
        column = df[c.key]
        if c.kind in _DATE_PATTERNS and pd.api.types.is_datetime64_any_dtype(column):
            # One vectorised strftime instead of a Timestamp per cell: the
            # pattern of fmt.date / fmt.datetime (datetime64 holds years
            # 1677-2262, so %Y always has four digits, as in fmt).
            texts = column.dt.strftime(_DATE_PATTERNS[c.kind]).astype(object)
            out[c.key] = texts.where(column.notna(), fmt.MISSING).tolist()
            continue
        if c.kind in _NUMBER_TEXT and isinstance(column.dtype, np.dtype) and column.dtype.kind in "if":
            out[c.key] = _number_texts(column.tolist(), *_NUMBER_TEXT[c.kind], lg)
            continue
        if c.kind not in _NUMERIC and c.kind not in _DATE_PATTERNS and column.dtype == "str":
            # A string column shows its strings as they are, a missing one as fmt's mark (_plain).
            out[c.key] = [x if isinstance(x, str) else fmt.MISSING for x in column.tolist()]
            continue
        kind_formats = c.kind in _NUMERIC or c.kind in ("date", "datetime")
        out[c.key] = _cell_texts(column.tolist(), _formatter(c.kind, lg) if kind_formats else _plain)
    return out


# The number kinds as fmt.number / fmt.percent write them: (decimals, scale, suffix).
_NUMBER_TEXT = {"int": (0, 1.0, ""), "number1": (1, 1.0, ""), "rate": (1, 100.0, "%")}


def _number_texts(values: list[Any], decimals: int, scale: float, suffix: str, lg: str) -> list[str]:
    """fmt.number (``scale`` 1) or fmt.percent (``scale`` 100) of every
    value of a numpy int or float column, without a function call and a
    missing-value check per cell: such a column holds only numbers and NaN.
    The steps are fmt's own (float, scale, grouping, no "-0", the
    Vietnamese separators swapped in one pass); tests/ui/test_table_format.py
    compares them."""
    spec = f",.{decimals}f"
    swap = lg == "vi"
    out = []
    for x in values:
        if x != x:  # NaN: what pd.isna sees in a float column
            out.append(fmt.MISSING)
            continue
        text = format(float(x) * scale, spec)
        if text[0] == "-" and float(text.replace(",", "")) == 0:
            text = text[1:]
        out.append((text.translate(_VI_SEPARATORS) if swap else text) + suffix)
    return out


# fmt._grouped's three replaces for Vietnamese, in one pass: "," <-> ".".
_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _text_frame(cells: dict[str, list[str]], index: pd.Index, cols: Sequence[Col]) -> pd.DataFrame:
    return pd.DataFrame(cells, index=index, columns=[c.key for c in cols if c.key in cells])


def display_texts(df: pd.DataFrame, cols: Sequence[Col], lg: str) -> pd.DataFrame:
    """Every cell of a shaped table as the screen shows it: the strings
    :func:`styled` produces ("1.234", "12,5%", "03/07/2026 08:05", "–"),
    made in one pass over plain Python values instead of through the
    Styler's per-cell HTML rendering (which was ~40 % of a list page's run)."""
    return _text_frame(display_cells(df, cols, lg), df.index, cols)


def screen_styler(df: pd.DataFrame, cols: Sequence[Col], lg: str,
                  bold_rows: Sequence[bool] | None = None, cells: dict[str, list[str]] | None = None):
    """The Styler :func:`styled` would give, for ``st.dataframe``/``st.table`` only.

    Streamlit sends a Styler as its data (kept numeric and datetime, so a
    click on a header sorts numbers as numbers) plus the display text of
    every cell and the CSS of the bold rows, which it takes from the
    Styler's ``_compute``/``_translate``. Those two are answered here from
    :func:`display_texts` instead of pandas rendering every cell as HTML, and
    the Styler carries the text frame itself, which :mod:`ui.table_wire`
    sends without Streamlit parsing a dict per cell; the message Streamlit
    sends is the same (tests/ui/test_table_format.py compares them). Do not
    call ``to_html`` on it: use :func:`styled`.

    ``cells``: ``display_cells(df, cols, lg)`` when the caller has it (the
    phone's table is the first rows of some of the screen's columns, and a
    cell's text depends only on its value and its column's kind). The
    Styler keeps only frames with the headers as column names (the data and
    its text), made directly with them: a prepared table is cached, and
    every frame it keeps is some hundred objects Python's collector walks.
    """
    names = headers(cols, lg)
    # set_axis, not rename: the same frame, without rename's per-label mapping.
    shown = df.set_axis([names.get(c, c) for c in df.columns], axis=1)
    style = shown.style
    if cells is None:
        cells = display_cells(df, cols, lg)  # once per table: prepared_table caches the Styler
    keys = [c.key for c in cols if c.key in cells]
    # Every cell is a string: said, not inferred (the same str columns; an
    # empty table keeps what inference gives it).
    shown_texts = pd.DataFrame({names[k]: cells[k] for k in keys}, index=df.index, columns=[names[k] for k in keys],
                               dtype="str" if len(df) else None)
    selectors: list[str] = []
    if bold_rows is not None:
        flags = list(bold_rows)[: len(shown)]
        selectors = [f"row{r}_col{c}" for r, bold in enumerate(flags) if bold for c in range(shown.shape[1])]

    def translate(*args: Any, **kwargs: Any) -> dict[str, Any]:
        # Streamlit's own path (ui.table_wire sends the text frame instead).
        body = []
        for r, (raw_row, text_row) in enumerate(zip(shown.itertuples(index=False, name=None),
                                                      shown_texts.itertuples(index=False, name=None), strict=True)):
            # A cell whose text is its own string value needs no entry
            # (Streamlit starts from the data as strings).
            body.append([{"id": f"row{r}_col{c}", "display_value": text}
                         for c, (raw, text) in enumerate(zip(raw_row, text_row, strict=True))
                         if not (isinstance(raw, str) and raw == text)])
        cellstyle = [{"props": [("font-weight", "bold")], "selectors": selectors}] if selectors else []
        return {"body": body, "cellstyle": cellstyle, "table_styles": []}

    style._compute = lambda: style
    style._translate = translate
    if list(shown_texts.columns) == list(shown.columns):
        table_wire.attach(style, shown_texts, selectors)
    return style


def excel_columns(cols: Sequence[Col], lg: str) -> dict[str, ColumnSpec]:
    """The ``columns`` argument of ``analytics.reports.excel.table_to_xlsx``."""
    names = headers(cols, lg)
    return {c.key: ColumnSpec(header=names[c.key], kind=_EXCEL_KINDS.get(c.kind, "text")) for c in cols}


def xlsx_builder(df: pd.DataFrame, cols: Sequence[Col], *, title: str,
                 subtitle_lines: Sequence[str], lg: str, sheet_name: str | None = None
                 ) -> Callable[[], bytes]:
    """A no-argument callable that writes the table as .xlsx when called.

    Streamlit runs it on another thread when the download button is clicked,
    so it touches no Streamlit API and holds only plain data.
    """
    columns = excel_columns(cols, lg)
    lines = list(subtitle_lines)
    sheet = sheet_name or sheet_title(title)

    def build() -> bytes:
        return table_to_xlsx(df, title=title, subtitle_lines=lines, columns=columns,
                             sheet_name=sheet, lang=lg)

    return build


def report06_builder(f: Filters, unit_name: str | None, counting: str = CONVENTION_BIEU06) -> Callable[[], bytes]:
    """The official Biểu 06 workbook, built only when the button is clicked
    (on Streamlit's thread: the builder holds the store, not Streamlit state),
    counted by the convention ``counting`` (registry.CONVENTIONS)."""
    st_ = store()
    unit = (unit_name or "").strip() or None

    def build() -> bytes:
        return build_report06_xlsx(Engine(st_.reader()), f, unit, counting=counting)

    return build


def file_name(stem: str, v: View, *, ext: str = "xlsx", extra_scope: Sequence[str] = ()) -> str:
    """"tong-quan_2026-01-01_2026-12-31.xlsx": ASCII, sortable, no spaces; the
    filters (and ``extra_scope``, a drill-down's choice) in the name when set,
    so downloads of two scopes never overwrite each other
    (``analytics.reports.excel.download_name``)."""
    return download_name(stem, v.filters.date_from, v.filters.date_to,
                         scope=[*scope_values(v.filters), *extra_scope], ext=ext)


def download_button(build: Callable[[], bytes], *, name: str, key: str, label: str | None = None,
                    disabled: bool = False, primary: bool = False) -> None:
    """An .xlsx download built only when clicked, without a rerun, and written
    to the audit log."""
    st.download_button(
        label or t("ui_download_xlsx"), data=audited(build, name), file_name=name, mime=XLSX_MIME,
        key=key, on_click="ignore", icon=":material/download:", disabled=disabled,
        type="primary" if primary else "secondary",
    )


def unit_input(key: str, column: Any = None) -> str:
    """The "Đơn vị báo cáo" text box, filled with the office's name from the
    settings (:func:`ui.data.office_unit_name`) until the user types another;
    returns the stripped text."""
    if key not in st.session_state:
        st.session_state[key] = office_unit_name()
    box = column if column is not None else st
    value = box.text_input(t("r06_unit"), key=key, placeholder=t("r06_unit_placeholder"),
                           help=t("r06_unit_help"))
    return (value or "").strip()


def meeting_pack(unit_name: str | None, *, key: str) -> None:
    """The meeting pack's download area: the deck (.pptx) and the Word report
    draft (.docx) for the current period and filters, each built only when
    its button is clicked (on Streamlit's thread: the builders hold the store
    and plain values, not Streamlit state), audited, named by scope and period."""
    v = view()
    f = v.filters
    pack_store, unit = store(), (unit_name or "").strip() or None
    st.subheader(t("pack_title"))
    st.caption(t("pack_caption"))
    deck_col, report_col = st.columns(2)
    deck_name = file_name("hop-ket-qua-giai-quyet-tthc", v, ext="pptx")
    report_name = file_name("bao-cao-ket-qua-giai-quyet-tthc", v, ext="docx")
    deck_col.download_button(
        t("pack_deck"), data=audited(lambda: build_deck(Engine(pack_store.reader()), f, unit), deck_name),
        file_name=deck_name, mime=PPTX_MIME, key=f"{key}_deck", on_click="ignore",
        icon=":material/slideshow:")
    report_col.download_button(
        t("pack_report"),
        data=audited(lambda: build_report_docx(Engine(pack_store.reader()), f, unit), report_name),
        file_name=report_name, mime=DOCX_MIME, key=f"{key}_report", on_click="ignore",
        icon=":material/description:")


def wide_screen(key: str) -> Any:
    """A container shown only on a screen wider than 640 px (ui/style.css)."""
    return st.container(key=f"wide_{key}")


def phone_screen(key: str) -> Any:
    """A container shown only on a screen up to 640 px wide, a phone (ui/style.css).

    With :func:`wide_screen`, a table or chart is drawn twice, each version
    for its screen; both are sent, the browser shows one."""
    return st.container(key=f"narrow_{key}")


def phone_columns(cols: Sequence[Col]) -> list[Col]:
    """The columns a phone shows: those marked ``phone``, else the first :data:`PHONE_COLS`."""
    marked = [c for c in cols if c.phone]
    return marked or list(cols[:PHONE_COLS])


def column_config(cols: Sequence[Col], lg: str) -> dict[str, Any]:
    """Widths for ``st.dataframe``: number columns narrow (their full header in
    the tooltip), so the key columns of a wide table fit a 1366 px screen."""
    names = headers(cols, lg)
    return {names[c.key]: st.column_config.Column(width=NUMBER_PX, help=names[c.key])
            for c in cols if c.kind in _NUMERIC}


@dataclass(frozen=True)
class PreparedTable:
    """A table ready to draw: ``shaped`` (every row, for Excel), the
    screen's Styler (first :data:`MAX_SCREEN_ROWS` rows) and the phone's
    (its key columns, first rows), made once per content. Shared: never changed."""

    shaped: pd.DataFrame
    screen: Any
    phone: Any


@st.cache_resource(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _prepared_table(digest: str, _rows: Any, _cols: tuple[Col, ...], lg: str, bold_key: str | None,
                    static: bool) -> PreparedTable:
    df = _rows if isinstance(_rows, pd.DataFrame) else pd.DataFrame.from_records(_rows)
    shaped = shape_table(df, _cols, lg)
    screen = shaped.head(MAX_SCREEN_ROWS)
    bold = df[bold_key].tolist() if bold_key and bold_key in df.columns else None
    cells = display_cells(screen, _cols, lg)
    narrow = phone_columns(_cols)
    phone = None
    if len(narrow) < len(_cols):
        rows = len(screen) if static else PHONE_ROWS
        # The phone's cells are some of the screen's: their text is cut from
        # the screen's, not made again (into a frame of its own, so its
        # Arrow bytes are those of a frame made for it, not of a slice).
        phone = screen_styler(screen[[c.key for c in narrow]].head(rows), narrow, lg,
                              bold[:rows] if bold else None,
                              cells={c.key: cells[c.key][:rows] for c in narrow if c.key in cells})
    return PreparedTable(shaped, screen_styler(screen, _cols, lg, bold, cells=cells), phone)


def prepared_table(rows: pd.DataFrame | list[dict[str, Any]], cols: Sequence[Col], lg: str, *,
                   bold_key: str | None = None, static: bool = False) -> PreparedTable:
    """The shaped table and its Stylers for ``rows``, cached by a digest of
    the rows themselves, the columns, the language and the bold rows: a
    table of another scope, period, data version or language is another
    entry. Shaping, formatting every cell and the Stylers were half of a
    list page's run, repeated on every run."""
    cols = tuple(cols)
    # By keyword: Streamlit reads a positional argument's name from the signature on every call.
    return _prepared_table(digest=arguments_digest(rows, cols, lg, bold_key, static), _rows=rows, _cols=cols, lg=lg,
                           bold_key=bold_key, static=static)


def table(data: pd.DataFrame | list[dict[str, Any]], cols: Sequence[Col], *, title: str,
          key: str, stem: str, extra_lines: Sequence[str] = (), height: int | None = None,
          empty_text: str | None = None, bold_key: str | None = None,
          download_label: str | None = None, download: bool = True,
          rows_visible: int | None = None, extra_scope: Sequence[str] = (),
          static: bool = False) -> pd.DataFrame:
    """A table on screen (first :data:`MAX_SCREEN_ROWS` rows) and its Excel download.

    A table with more columns than its :func:`phone_columns` is drawn twice:
    whole, and as a static table of the key columns (first
    :data:`PHONE_ROWS` rows, all for a form); ui/style.css shows the second
    (:func:`phone_screen`) under 640 px and the first above. The download
    has every column and row.

    Args:
        data: engine rows (or their DataFrame).
        cols: the columns to show, in order.
        title: the indicator name: the Excel title row and sheet name.
        key: a key unique on the page (widget keys derive from it).
        stem: the file name stem (ASCII).
        extra_lines: more subtitle lines for the Excel file.
        bold_key: a boolean column of ``data`` marking rows shown in bold.
        extra_scope: what the table is limited to beyond the filters (a
            drill-down's agency or handler), put in the file name.
        static: a static table (``st.table``) whose cells wrap, for a form
            whose every column must show at once (Biểu 06).

    Returns:
        The table as written to Excel (engine keys as column names).
    """
    v = view()
    lg = v.lang
    rows_in = data if isinstance(data, pd.DataFrame) else list(data)
    if not len(rows_in):
        empty(empty_text)
        return pd.DataFrame(rows_in)
    prepared = prepared_table(rows_in, cols, lg, bold_key=bold_key, static=static)
    shaped, screen = prepared.shaped, prepared.screen
    if v.print_mode:
        # A static table wraps its columns and prints whole; the interactive
        # grid would be cut at the page edge.
        st.table(screen, hide_index=True)
    else:
        if height is None and rows_visible:
            height = 38 + 35 * min(len(screen.data), rows_visible)  # header + rows, no inner scroll
        # A table with a phone copy shows this one on wide screens only.
        with wide_screen(f"tbl_{key}") if prepared.phone is not None else st.container():
            if static:
                st.table(screen, hide_index=True)
            else:
                # The grid draws a missing number or date itself ("None" by
                # default), not with the Styler's text: give it fmt's mark for
                # missing values, as every other place shows them.
                st.dataframe(screen, hide_index=True, width="stretch",
                             height=height if height is not None else "auto", key=f"tbl_{key}",
                             column_config=column_config(cols, lg), placeholder=fmt.MISSING)
        if prepared.phone is not None:
            # Static, so its few columns share the width and wrap their text.
            # A form (static) keeps every row: its totals are at the bottom.
            rows = len(screen.data) if static else PHONE_ROWS
            with phone_screen(f"tbl_{key}"):
                st.table(prepared.phone, hide_index=True)
                if len(shaped) > rows:
                    st.caption(t("ui_rows_truncated", shown=fmt.number(rows, lg),
                                 total=fmt.number(len(shaped), lg)))
    if len(shaped) > MAX_SCREEN_ROWS:
        st.caption(t("ui_rows_truncated", shown=fmt.number(MAX_SCREEN_ROWS, lg),
                     total=fmt.number(len(shaped), lg)))
    if download:
        build = xlsx_builder(shaped, cols, title=title, subtitle_lines=context_lines(v, *extra_lines), lg=lg)
        download_button(build, name=file_name(stem, v, extra_scope=extra_scope), key=f"dl_{key}",
                        label=download_label)
    return shaped


# --------------------------------------------------------------------------
# Cards and notes
# --------------------------------------------------------------------------


def totals(f: Filters) -> dict[str, Any]:
    """``Engine.totals(f)``, from the KPI cards' one query of the three
    periods (:func:`ui.data.compared_totals`): a page that shows both asks once."""
    return compared_totals(f, view().data_date)["current"]


def kpi_cards(f: Filters, keys: Sequence[str] | None = None) -> list[Kpi]:
    """The cards of ``keys`` (all of :data:`analytics.indicators.summaries.KPIS`
    by default) for the filters, against both comparison periods."""
    compared = compared_totals(f, view().data_date)
    return kpis(compared["current"], compared["previous"], compared["last_year"], lang(), keys or KPIS)


def metric_cards(cards: Sequence[Kpi], *, key: str = "kpis") -> None:
    """KPI cards: value, change vs the previous period (the delta), and a
    caption with the change vs the same period last year; a note under the
    cards names both comparison periods. When both are the same dates (a
    year) the card shows that one change once. A change that rounds to zero
    has no arrow and no colour. A received figure shows Biểu 06's split.

    The cards wrap in one flexible row (style.css, ``st-key-kpi_``): four
    across a desktop page, three in the overview's left column, two on a
    phone, with no lone full-width card at the end of a row.
    """
    lg = lang()
    v = view()
    compare = comparison_filters(v.filters, v.data_date)
    single = one_comparison(compare)
    with st.container(key=key, horizontal=True, wrap=True, gap="small"):
        for card in cards:
            with st.container(border=True, key=f"kpi_{key}_{card.key}"):
                st.metric(card.label, card.text, delta=card.delta_previous,
                          delta_color="off" if card.unchanged else card.delta_color,
                          delta_arrow="off" if card.unchanged else "auto",
                          help=_t(f"help_{card.key}", lg) if f"help_{card.key}" in LABELS else None)
                if card.detail:
                    st.caption(card.detail)
                if not single:
                    st.caption(_t("ui_vs_last_year", lg, delta=card.delta_last_year or fmt.MISSING))
    if single:
        st.caption(_t("ui_compare_note_one", lg, period=period_text(compare["previous"], lg)))
    else:
        st.caption(_t("ui_compare_note", lg, previous=period_text(compare["previous"], lg),
                      last_year=period_text(compare["last_year"], lg)))


def text_card(label: str, value: str | None, detail: str | None = None) -> None:
    """A card like a metric for a name (a stage, a person): the metric's big
    font would cut a long name. ``value`` and ``detail`` are shown as plain
    text (they hold names from the data), ``label`` may use Markdown."""
    with st.container(border=True):
        st.caption(label)
        st.markdown(f"**{md_escape(value or fmt.MISSING)}**")
        if detail:
            st.caption(md_escape(detail))


def empty(text: str | None = None) -> None:
    """The message for an empty period: never an empty axis or an error."""
    st.info(text or t("no_data"), icon=":material/info:")


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


CHART_BUILDERS = frozenset({"kpi_trend", "ranked_bars", "late_heatmap", "handler_bars",
                            "online_share_bars", "online_trend", "stacked_resolution",
                            "index766_bars", "index766_trend"})


class _Drawn(BaseFigure):
    """A built figure as ``st.plotly_chart`` reads it: its ``to_dict()``, made once.

    ``st.plotly_chart`` calls ``to_dict()`` on every figure it draws, a deep
    copy of the figure and its whole template (thousands of small dicts),
    on every run, also for a cached figure. This stands in for one with
    that dictionary made once; Streamlit reads only ``to_dict()`` of a
    figure (and sends the same JSON). Never changed: the print layout is
    made from a copy (:func:`chart`).

    It is also what the figure cache keeps instead of the plotly figure: a
    figure object is ~1 700 small objects (its graph objects, validators'
    state, its template), its dictionary ~200, and Python's full
    collections walk every object the caches keep.
    """

    def __init__(self, spec: dict[str, Any]):  # no BaseFigure.__init__: nothing to validate again
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        return self._spec


def own_spec(fig: BaseFigure) -> dict[str, Any]:
    """``fig.to_dict()`` of a figure nobody else holds and nobody uses
    afterwards, without the deep copy of every trace and of the template:
    plotly's ``to_dict`` is a deep copy of the figure's own data and layout
    dicts, then ``convert_to_base64`` over the copy; this hands over those
    dicts themselves, converted in place (tests/ui/test_table_format.py
    compares it with ``to_dict`` for every chart builder). The figure must
    not be used after."""
    if fig.frames:  # no builder makes frames: plotly's own path for them
        return fig.to_dict()
    # The template (charts._use_template: the registered template's JSON,
    # lists and values, no arrays) is ~97 % of the nodes the conversion
    # walks, 0.66 ms a figure: only the builder's own parts can hold arrays.
    # The layout is converted without it, in a shallow copy whose top-level
    # replacements are put back.
    layout = {key: value for key, value in fig._layout.items() if key != "template"}
    convert_to_base64({"data": fig._data, "layout": layout})
    fig._layout.update(layout)
    return {"data": fig._data, "layout": fig._layout}


@st.cache_resource(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _figure(builder: str, digest: str, _args: tuple, _kwargs: tuple) -> _Drawn:
    # The built figure is this call's own and dropped here: its dicts are kept, not a copy.
    return _Drawn(own_spec(getattr(charts, builder)(*_args, **dict(_kwargs))))


def arguments_digest(*values: Any) -> str:
    """A digest of a chart's arguments (engine rows, labels, options).

    Streamlit's own hashing walks the rows value by value in Python; a
    pickle of plain rows is one C call, and equal bytes mean equal
    arguments, so a figure is reused only for exactly its own data.
    """
    return hashlib.blake2b(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL), digest_size=20).hexdigest()


def figure(builder: str, *args: Any, **kwargs: Any) -> Any:
    """``analytics.reports.charts.<builder>(*args, **kwargs)``, cached by its arguments.

    A figure costs 1-4 ms of CPU to build (plain dicts handed to plotly
    once) and its ``to_dict()`` about 1 ms more; a rerun with the same data
    (a drill-down click, the print switch, coming back to a page) reuses
    both. What is kept and returned is the figure's dictionary (a
    :class:`_Drawn`, what ``st.plotly_chart`` reads), shared and never
    changed: ``chart`` copies it for the print layout.
    """
    if builder not in CHART_BUILDERS:
        raise ValueError(f"unknown chart builder {builder!r}")
    options = tuple(sorted(kwargs.items()))
    return _figure(builder=builder, digest=arguments_digest(builder, args, options), _args=args, _kwargs=options)


def _drawn(fig: BaseFigure) -> _Drawn:
    # A page's figure comes from figure() as a _Drawn already; any other is
    # drawn from its own to_dict().
    return fig if isinstance(fig, _Drawn) else _Drawn(fig.to_dict())


def chart(fig: Any, *, key: str | None = None, on_select: Any = "ignore",
          selection_mode: Any = "points") -> Any:
    """Draw a Plotly figure; the print view gets the A4 print layout."""
    if view().print_mode:
        # apply_print_layout changes the dictionary it reads: a copy of a cached one.
        fig = charts.apply_print_layout(_Drawn(copy.deepcopy(fig.to_dict())) if isinstance(fig, _Drawn) else fig)
    else:
        fig = _drawn(fig)
    config = charts.chart_config(filename=(key or "bieu-do").replace("_", "-"))
    kwargs: dict[str, Any] = {"config": config, "theme": None, "width": "stretch"}
    if key is not None:
        kwargs["key"] = key
    if on_select != "ignore":
        kwargs.update(on_select=on_select, selection_mode=selection_mode)
    return st.plotly_chart(fig, **kwargs)


def selected_points(event: Any) -> list[dict[str, Any]]:
    """Points of a Plotly selection event (empty when nothing is selected).

    Streamlit's event is a dict that also allows attribute access; both are
    accepted.
    """
    def part(obj: Any, name: str) -> Any:
        if obj is None:
            return None
        if isinstance(obj, dict):
            return obj.get(name)
        return getattr(obj, name, None)

    points = part(part(event, "selection"), "points")
    return [p for p in (points or []) if isinstance(p, dict)]


def picked_label(event: Any, options: Sequence[str]) -> str | None:
    """The category of the first selected Plotly point that is one of ``options``."""
    wanted = set(options)
    for point in selected_points(event):
        candidates = [point.get("y"), point.get("x"), point.get("label")]
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)):
            candidates = list(custom) + candidates
        elif custom is not None:
            candidates.insert(0, custom)
        for value in candidates:
            if isinstance(value, str) and value in wanted:
                return value
    return None
