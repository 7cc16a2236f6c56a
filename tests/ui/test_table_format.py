"""The fast table path (ui.widgets.screen_styler) sends Streamlit exactly what
the pandas Styler path (ui.widgets.styled) sent: the same display text for
every cell, the same CSS for bold rows, the same data; and its cache of
formatted text is keyed by content, columns and language, so it never shows
one scope's or one language's table for another; the figure cache likewise."""

from __future__ import annotations

import gc
import io
import math
from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pytest
from python_calamine import CalamineWorkbook
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from analytics.locale import fmt
from ui import table_wire, widgets
from ui.widgets import Col

COLS = [
    Col("agency", "agency"), Col("level", "level"), Col("channel", "channel", "channel"),
    Col("received_at", "received_at", "datetime"), Col("due", "due_at", "date"),
    Col("received_total", "received_total", "int"), Col("avg_days", "dh_avg_days_late", "number1"),
    Col("on_time_rate", "on_time_rate", "rate"), Col("delta", "ov_change_previous", "int"),
    Col("period_start", "month", "month"), Col("raw_number", "code"),
]
ROWS = [
    {"agency": "Sở Tư pháp", "level": "tỉnh", "channel": "online", "received_at": datetime(2026, 7, 3, 8, 5),
     "due": date(2026, 7, 10), "received_total": 1234567, "avg_days": 1234.56, "on_time_rate": 0.9763,
     "delta": -1234, "period_start": date(2026, 7, 1), "raw_number": 2.5},
    {"agency": None, "level": float("nan"), "channel": "postal", "received_at": None, "due": None,
     "received_total": None, "avg_days": float("nan"), "on_time_rate": None, "delta": 0,
     "period_start": None, "raw_number": 7},
    {"agency": "UBND xã <b>A</b> & B", "level": "xã", "channel": None, "received_at": datetime(2026, 12, 31, 23, 59),
     "due": date(2026, 1, 2), "received_total": 0, "avg_days": -0.04, "on_time_rate": 1.0,
     "delta": 9_876_543_210, "period_start": date(2026, 12, 1), "raw_number": None},
    {"agency": "Sở Y tế", "level": "tỉnh", "channel": "direct", "received_at": datetime(2025, 1, 1),
     "due": date(2025, 2, 28), "received_total": 5, "avg_days": 0.05, "on_time_rate": 0.0005,
     "delta": 3, "period_start": date(2025, 1, 1), "raw_number": "text"},
]


def _sent(styler) -> tuple[pd.DataFrame, str, pd.DataFrame]:
    """(display text, CSS, data) as Streamlit marshals a Styler for the browser."""
    styler.set_uuid("t")
    proto = ArrowData()
    marshall_styler(proto, styler, "t")
    display = pa.ipc.open_stream(proto.styler.display_values).read_pandas()
    return display, proto.styler.styles, styler.data


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("bold", [None, [True, False, True, False], [False] * 4])
def test_fast_path_sends_the_styler_paths_exact_strings(lang, bold):
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, lang)
    old_text, old_css, old_data = _sent(widgets.styled(df, COLS, lang, bold))
    new_text, new_css, new_data = _sent(widgets.screen_styler(df, COLS, lang, bold))
    pd.testing.assert_frame_equal(new_text, old_text)
    assert new_css == old_css
    pd.testing.assert_frame_equal(new_data, old_data)
    if bold and any(bold):
        assert "font-weight: bold" in new_css


def test_dates_in_the_vectorised_path_are_fmts_strings():
    """Date and datetime columns are formatted in one strftime; every cell
    equals fmt.date / fmt.datetime of it, midnight, seconds and NaT included."""
    stamps = [datetime(2026, 7, 3, 8, 5, 59), datetime(2026, 1, 1), None, datetime(1999, 12, 31, 23, 59),
              datetime(2100, 2, 28, 0, 1)]
    cols = [Col("at", "received_at", "datetime"), Col("day", "due_at", "date")]
    df = widgets.shape_table(pd.DataFrame({"at": stamps, "day": stamps}), cols, "vi")
    texts = widgets.display_texts(df, cols, "vi")
    assert texts["at"].tolist() == [fmt.datetime(x) for x in stamps]
    assert texts["day"].tolist() == [fmt.date(x) for x in stamps]
    assert texts["at"].tolist()[:3] == ["03/07/2026 08:05", "01/01/2026 00:00", fmt.MISSING]


def test_display_texts_are_the_fmt_strings():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    texts = widgets.display_texts(df, COLS, "vi")
    assert list(texts["received_total"]) == ["1.234.567", fmt.MISSING, "0", "5"]
    assert list(texts["avg_days"]) == ["1.234,6", fmt.MISSING, "0,0", "0,1"]
    assert list(texts["on_time_rate"]) == ["97,6%", fmt.MISSING, "100,0%", "0,1%"]
    assert list(texts["delta"]) == ["-1.234", "0", "9.876.543.210", "3"]
    assert list(texts["received_at"]) == ["03/07/2026 08:05", fmt.MISSING, "31/12/2026 23:59", "01/01/2025 00:00"]
    assert list(texts["due"]) == ["10/07/2026", fmt.MISSING, "02/01/2026", "28/02/2025"]
    assert texts["agency"].tolist() == ["Sở Tư pháp", fmt.MISSING, "UBND xã <b>A</b> & B", "Sở Y tế"]
    for key, kind in (("received_total", "int"), ("on_time_rate", "rate"), ("avg_days", "number1")):
        fn = {"int": fmt.number, "rate": fmt.percent,
              "number1": lambda x, lang: fmt.number(x, lang, 1)}[kind]
        expected = [fn(None if isinstance(x, float) and math.isnan(x) else x, lang="vi") for x in df[key]]
        assert texts[key].tolist() == expected
    en = widgets.display_texts(df, COLS, "en")
    assert list(en["received_total"]) == ["1,234,567", fmt.MISSING, "0", "5"]
    assert list(en["on_time_rate"])[0] == "97.6%"


def test_display_texts_follow_their_rows_language_and_column_kind():
    """Two scopes' tables of the same shape, and one table in both languages:
    each call gets its own rows' text (prepared_table caches the result by
    content, tested below)."""
    cols = [Col("agency", "agency"), Col("received_total", "received_total", "int"),
            Col("on_time_rate", "on_time_rate", "rate")]
    scope_a = widgets.shape_table(pd.DataFrame([{"agency": "Sở Tư pháp", "received_total": 1500,
                                                 "on_time_rate": 0.5}]), cols, "vi")
    scope_b = widgets.shape_table(pd.DataFrame([{"agency": "Sở Y tế", "received_total": 2500,
                                                 "on_time_rate": 0.25}]), cols, "vi")
    first_a = widgets.display_texts(scope_a, cols, "vi")
    got_b = widgets.display_texts(scope_b, cols, "vi")
    got_a_en = widgets.display_texts(scope_a, cols, "en")
    again_a = widgets.display_texts(scope_a, cols, "vi")
    assert first_a.iloc[0].tolist() == ["Sở Tư pháp", "1.500", "50,0%"]
    assert got_b.iloc[0].tolist() == ["Sở Y tế", "2.500", "25,0%"]
    assert got_a_en.iloc[0].tolist() == ["Sở Tư pháp", "1,500", "50.0%"]
    assert again_a.iloc[0].tolist() == first_a.iloc[0].tolist()
    # Same values, another column kind: that kind's text.
    as_number = widgets.display_texts(scope_a, [cols[0], cols[1], Col("on_time_rate", "on_time_rate", "int")], "vi")
    assert as_number.iloc[0].tolist() == ["Sở Tư pháp", "1.500", "0"]


def test_figure_cache_never_crosses_data_or_languages():
    """The figure cache is keyed by a digest of the builder's arguments:
    another scope's rows or the other language build their own figure; the
    same arguments reuse it."""
    widgets._figure.clear()
    scope_a = [{"period_start": date(2026, 1, 1), "received_new": 10, "online": 5, "online_share": 0.5,
                "resolved": 8, "on_time_rate": 0.75}]
    scope_b = [dict(scope_a[0], on_time_rate=0.25)]
    a_vi = widgets.figure("kpi_trend", scope_a, lang="vi")
    assert widgets.figure("kpi_trend", scope_a, lang="vi") is a_vi
    b_vi = widgets.figure("kpi_trend", scope_b, lang="vi")
    a_en = widgets.figure("kpi_trend", scope_a, lang="en")
    assert b_vi is not a_vi and a_en is not a_vi
    assert list(a_vi.to_dict()["data"][0]["y"]) == [0.75] and list(b_vi.to_dict()["data"][0]["y"]) == [0.25]
    assert a_vi.to_dict()["layout"]["separators"] == ",." and a_en.to_dict()["layout"]["separators"] == ".,"
    assert widgets.arguments_digest(scope_a) != widgets.arguments_digest(scope_b)


def test_the_figure_cache_keeps_the_figures_dictionary_and_prints_from_a_copy(monkeypatch):
    """widgets.figure keeps and returns the built figure's dictionary (what
    st.plotly_chart sends), not the plotly object; the print view's figure
    made from it is the one made from the built figure, and the cached
    dictionary is left as it was."""
    import copy

    from analytics.reports import charts
    from ui.state import View

    widgets._figure.clear()
    rows = [{"period_start": date(2026, m, 1), "received_new": 10 * m, "online": 4 * m, "online_share": 0.4,
             "resolved": 9 * m, "on_time_rate": 0.9, "late": m, "late_rate": 0.1} for m in range(1, 5)]
    cached = widgets.figure("kpi_trend", rows, lang="vi")
    built = charts.kpi_trend(rows, lang="vi")
    assert type(cached) is widgets._Drawn
    assert cached.to_dict() == built.to_dict()
    before = copy.deepcopy(cached.to_dict())

    drawn: list = []
    monkeypatch.setattr(widgets, "view", lambda: View(lang="vi", filters=None, preset="this_year", data_date=None,
                                                      as_of=None, print_mode=True))
    monkeypatch.setattr(widgets.st, "plotly_chart", lambda fig, **kwargs: drawn.append(fig))
    widgets.chart(cached, key="trend")
    assert drawn[0].to_dict() == charts.apply_print_layout(built).to_dict()
    assert drawn[0].to_dict() != before
    assert cached.to_dict() == before


def test_missing_numbers_and_dates_are_the_missing_mark_on_screen_and_blank_in_excel():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    texts = widgets.display_texts(df, COLS, "vi")
    for key in ("received_at", "due", "received_total", "avg_days", "on_time_rate", "period_start"):
        assert texts.loc[1, key] == fmt.MISSING, key
    assert "None" not in texts.to_numpy().ravel().tolist()
    data = widgets.xlsx_builder(df, COLS, title="Bảng", subtitle_lines=[], lg="vi")()
    rows = CalamineWorkbook.from_object(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = next(i for i, r in enumerate(rows) if widgets.headers(COLS, "vi")["received_total"] in r)
    missing = rows[header + 2]    # ROWS[1], below the first data row
    names = list(widgets.headers(COLS, "vi").values())
    for key in ("received_at", "due", "received_total", "avg_days", "on_time_rate"):
        cell = missing[names.index(widgets.headers(COLS, "vi")[key])]
        assert cell == "", (key, cell)
    assert "None" not in [str(c) for c in missing]


def _two_charts() -> None:
    """The same figure through st.plotly_chart and through the stand-in ui.chart draws."""
    from datetime import date

    import streamlit as st

    from analytics.reports import charts
    from ui import widgets

    rows = [{"period_start": date(2026, m, 1), "received_new": 10 * m, "resolved": 9 * m, "late": m,
             "on_time_rate": 0.9, "late_rate": 0.1} for m in range(1, 7)]
    fig = charts.kpi_trend(rows, lang="vi")
    st.plotly_chart(fig, theme=None, width="stretch", key="figure")
    st.plotly_chart(widgets._drawn(fig), theme=None, width="stretch", key="drawn")
    st.plotly_chart(widgets._drawn(widgets._drawn(fig)), theme=None, width="stretch", key="again")  # kept as it is


def test_a_drawn_figure_sends_the_same_chart():
    """ui.chart hands st.plotly_chart the figure's dictionary made once
    (widgets._Drawn): the chart sent is the one the figure itself gives."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_two_charts)
    at.run()
    assert not at.exception
    protos = [e.proto for e in at.get("plotly_chart")]
    assert len(protos) == 3
    assert protos[0].spec == protos[1].spec == protos[2].spec
    assert '"template"' in protos[0].spec and "2026" in protos[0].spec


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_prepared_table_sends_what_the_styler_path_sent(lang):
    """ui.table draws the Stylers of prepared_table (cached per content):
    the screen's and the phone's send the display text, CSS and data of the
    pandas Styler path, bold rows included; Excel gets the shaped table."""
    widgets._prepared_table.clear()
    rows = [dict(r, bold=i % 2 == 0) for i, r in enumerate(ROWS)]
    prepared = widgets.prepared_table(rows, COLS, lang, bold_key="bold")
    shaped = widgets.shape_table(pd.DataFrame(rows), COLS, lang)
    pd.testing.assert_frame_equal(prepared.shaped, shaped)
    bold = [True, False, True, False]
    for got, cols in ((prepared.screen, COLS), (prepared.phone, widgets.phone_columns(COLS))):
        old_text, old_css, old_data = _sent(widgets.styled(shaped[[c.key for c in cols]], cols, lang, bold))
        new_text, new_css, new_data = _sent(got)
        pd.testing.assert_frame_equal(new_text, old_text)
        assert new_css == old_css and "font-weight: bold" in new_css
        pd.testing.assert_frame_equal(new_data, old_data)


def test_prepared_tables_never_cross_scopes_languages_or_bold_rows():
    widgets._prepared_table.clear()
    cols = (Col("agency", "agency"), Col("received_total", "received_total", "int"))
    scope_a = [{"agency": "Sở Tư pháp", "received_total": 1500, "total_row": False}]
    scope_b = [{"agency": "Sở Y tế", "received_total": 2500, "total_row": True}]
    a_vi = widgets.prepared_table(scope_a, cols, "vi")
    assert widgets.prepared_table([dict(scope_a[0])], cols, "vi") is a_vi  # equal rows: one entry
    b_vi = widgets.prepared_table(scope_b, cols, "vi")
    a_en = widgets.prepared_table(scope_a, cols, "en")
    b_bold = widgets.prepared_table(scope_b, cols, "vi", bold_key="total_row")
    frame_b = widgets.prepared_table(pd.DataFrame(scope_b), cols, "vi")
    assert _sent(a_vi.screen)[0].iloc[0].tolist() == ["Sở Tư pháp", "1.500"]
    assert _sent(b_vi.screen)[0].iloc[0].tolist() == ["Sở Y tế", "2.500"]
    assert _sent(a_en.screen)[0].iloc[0].tolist() == ["Sở Tư pháp", "1,500"]
    assert "bold" not in _sent(b_vi.screen)[1] and "font-weight: bold" in _sent(b_bold.screen)[1]
    assert _sent(frame_b.screen)[0].iloc[0].tolist() == ["Sở Y tế", "2.500"]
    assert len({id(p) for p in (a_vi, b_vi, a_en, b_bold, frame_b)}) == 5


def _streamlit_sent(styler) -> ArrowData:
    """The ArrowData Streamlit's own functions make for a Styler (no ui.table_wire)."""
    proto = ArrowData()
    table_wire._streamlit_marshall_styler(proto, styler, "t")
    proto.data = table_wire._streamlit_arrow_bytes(styler.data)
    return proto


def _wire_sent(styler) -> ArrowData:
    """The ArrowData as st.dataframe/st.table make it with ui.table_wire installed."""
    proto = ArrowData()
    table_wire.marshall_styler(proto, styler, "t")
    proto.data = table_wire.convert_pandas_df_to_arrow_bytes(styler.data)
    return proto


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("bold", [None, [True, False, True, False]])
def test_the_wire_sends_streamlits_own_bytes(lang, bold):
    """ui.table_wire sends, for a Styler of screen_styler, the very bytes
    Streamlit's own marshalling makes from it (uuid, CSS, display text,
    data), the first time and from its memory after."""
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, lang)
    styler = widgets.screen_styler(df, COLS, lang, bold)
    own = _streamlit_sent(styler)
    first, again = _wire_sent(styler), _wire_sent(styler)
    assert first.SerializeToString() == own.SerializeToString()
    assert again.SerializeToString() == own.SerializeToString()
    assert own.styler.display_values and own.data
    if bold:
        assert "font-weight: bold" in first.styler.styles
    shown = pa.ipc.open_stream(first.styler.display_values).read_pandas()
    assert shown.iloc[0].tolist()[5] == ("1.234.567" if lang == "vi" else "1,234,567")


def test_the_wire_makes_a_tables_message_once_and_forgets_it_with_the_table():
    # Without the mixed column of ROWS: Streamlit logs the failed first
    # conversion of that one with its traceback, which would keep the frame.
    cols = COLS[:-1]
    df = widgets.shape_table(pd.DataFrame(ROWS), cols, "vi")
    styler = widgets.screen_styler(df, cols, "vi")
    calls = []
    real = table_wire._streamlit_arrow_bytes
    try:
        table_wire._streamlit_arrow_bytes = lambda frame, **kw: calls.append(id(frame)) or real(frame, **kw)
        for _ in range(3):
            _wire_sent(styler)
        assert len(calls) == 2  # the display text and the data, once each
        # A frame nobody registered (any other st.dataframe) is converted every time.
        other = pd.DataFrame({"a": [1, 2]})
        table_wire.convert_pandas_df_to_arrow_bytes(other)
        table_wire.convert_pandas_df_to_arrow_bytes(other)
        assert len(calls) == 4
    finally:
        table_wire._streamlit_arrow_bytes = real
    key = id(styler.data)
    assert key in table_wire._DATA
    del styler, df
    gc.collect()
    assert key not in table_wire._DATA


def test_a_styler_without_its_text_goes_through_streamlit_unchanged():
    df = widgets.shape_table(pd.DataFrame(ROWS), COLS, "vi")
    plain = widgets.styled(df, COLS, "vi", None)
    plain.set_uuid("t")
    mine, own = ArrowData(), ArrowData()
    table_wire.marshall_styler(mine, plain, "t")
    table_wire._streamlit_marshall_styler(own, plain, "t")
    assert mine.SerializeToString() == own.SerializeToString()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_phones_text_cut_from_the_screens_is_the_text_made_for_it(lang):
    """prepared_table cuts the phone's display text from the screen's (its
    first rows of the key columns) instead of making it again: the message
    is byte for byte the one a phone Styler made on its own sends, for a
    table longer than the phone's rows, with bold rows."""
    widgets._prepared_table.clear()
    rows = [dict(ROWS[i % len(ROWS)], received_total=i * 1001, bold=i % 3 == 0)
            for i in range(widgets.PHONE_ROWS + 7)]
    cols = [*COLS[:2], Col("received_total", "received_total", "int", phone=True),
            Col("on_time_rate", "on_time_rate", "rate", phone=True), *COLS[2:5]]
    prepared = widgets.prepared_table(rows, cols, lang, bold_key="bold")
    narrow = widgets.phone_columns(cols)
    assert [c.key for c in narrow] == ["received_total", "on_time_rate"]
    screen = widgets.shape_table(pd.DataFrame(rows), cols, lang)
    bold = [r["bold"] for r in rows][: widgets.PHONE_ROWS]
    own = widgets.screen_styler(screen[[c.key for c in narrow]].head(widgets.PHONE_ROWS), narrow, lang, bold)
    own.set_uuid(prepared.phone.uuid)  # a Styler's uuid is random: the same for the comparison
    assert _wire_sent(prepared.phone).SerializeToString() == _wire_sent(own).SerializeToString()
    assert _streamlit_sent(prepared.phone).SerializeToString() == _streamlit_sent(own).SerializeToString()
    assert len(prepared.phone.data) == widgets.PHONE_ROWS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_built_figures_own_dicts_are_its_to_dict(lang):
    """The figure cache keeps a built figure's own dicts (converted as
    plotly's to_dict converts its copy) instead of a deep copy: for every
    chart builder and case of tests/test_charts_speed.py, the same
    dictionary and the same JSON as to_dict of the same figure."""
    import plotly.io as pio

    from analytics.reports import charts
    from tests.test_charts_speed import CASES

    for name, build in CASES:
        want = build(charts, lang).to_dict()
        got = widgets.own_spec(build(charts, lang))
        assert got == want, name
        assert pio.to_json(got, validate=False) == pio.to_json(want, validate=False), name


def test_own_spec_converts_arrays_outside_the_template_as_to_dict_does():
    """own_spec leaves the template unwalked (it holds no arrays); arrays in
    the traces and anywhere else in the layout are converted as plotly's
    to_dict converts them."""
    import numpy as np

    from analytics.reports import charts

    def build():
        fig = charts._figure([{"type": "bar", "x": np.arange(5), "y": np.array([1.5, 2, 3, 4, 5])}],
                             {"title": {"text": "t"}})
        fig.update_layout(xaxis={"tickvals": np.arange(5)},
                          shapes=[{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1}])
        return fig

    want = build().to_dict()
    got = widgets.own_spec(build())
    assert got == want
    assert isinstance(got["data"][0]["x"], dict) and "bdata" in got["data"][0]["x"]
    assert isinstance(got["layout"]["xaxis"]["tickvals"], dict)
    assert got["layout"]["template"] == want["layout"]["template"]


NUMBERS = [0, 1, -1, 7, 999, 1000, 1234567, -1234567, 9_876_543_210, 2**53 + 1, 0.0, -0.0, 0.04, -0.04, 0.05,
           -0.05, 0.449, 0.45, 1234.5678, -1234.56, 1e15, 0.0005, -0.0004, 0.9763, 1.0, 12.345, float("nan"),
           float("inf"), float("-inf")]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["int", "number1", "rate"])
def test_number_columns_are_written_as_fmt_writes_each_cell(kind, lang):
    """The text of a numpy int or float column is made in one loop with
    fmt's steps inlined: the same strings as fmt.number / fmt.percent of
    each cell (negative zero, rounding, large numbers, NaN, infinities); a
    column of another dtype goes cell by cell through fmt as before."""
    col = [Col("x", "code", kind)]
    floats = pd.DataFrame({"x": pd.Series(NUMBERS, dtype="float64")})
    ints = pd.DataFrame({"x": pd.Series([n for n in NUMBERS if isinstance(n, int)], dtype="int64")})
    nullable = pd.DataFrame({"x": pd.array([1, None, 1234567], dtype="Int64")})
    objects = pd.DataFrame({"x": pd.Series([1, None, 2.5, -0.001], dtype=object)})
    show = widgets._formatter(kind, lang)
    for frame in (floats, ints, nullable, objects):
        want = [fmt.MISSING if pd.isna(x) is True else str(show(x)) for x in frame["x"].tolist()]
        assert widgets.display_cells(frame, col, lang)["x"] == want
    assert "-" not in "".join(widgets.display_cells(floats, col, lang)["x"][10:12])  # -0.0, -0.04 read 0


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_string_columns_show_their_strings_and_the_missing_mark(lang):
    """A pandas str column's text is its strings, a missing value fmt's
    mark: what the cell-by-cell path (_plain) gives, for text kinds."""
    frame = pd.DataFrame({"a": pd.Series(["Sở Y tế", None, "", "<b>x</b>", "1.5"], dtype="str"),
                          "b": pd.Series(["online", None, "postal", "direct", None], dtype="str")})
    assert frame["a"].dtype == "str"
    cols = [Col("a", "agency"), Col("b", "channel", "text")]
    cells = widgets.display_cells(frame, cols, lang)
    for c in cols:
        assert cells[c.key] == [fmt.MISSING if pd.isna(x) is True else str(widgets._plain(x))
                                for x in frame[c.key].tolist()]
    assert cells["a"][1] == fmt.MISSING and cells["a"][2] == ""
