"""The indicator registry is the one place for each indicator's facts: the
engine's numbers are all in it, and charts, Excel, Biểu 06 and the meeting
pack say what it says."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.indicators import registry
from analytics.indicators.engine import REPORT06_NOTE_KEYS, Engine
from analytics.indicators.filters import Filters
from analytics.indicators.registry import BIEU06_COLUMNS, INDICATORS
from analytics.locale.labels import LABELS, LANGS, t
from analytics.reports import charts, excel, meeting_pack, report06
from tests import golden as g
from tests.conftest import fill, finish

ROWS = list(INDICATORS.values())
NAMES = list(INDICATORS)


@pytest.fixture
def engine(memory_con) -> Engine:
    fill(memory_con, **g.ROWS)
    finish(memory_con)
    return Engine(memory_con)


def _numeric_keys(rows) -> set[str]:
    return {k for r in rows for k, v in r.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and k != "grouping_id"}


def test_every_number_the_engine_returns_is_registered(engine):
    f = Filters(*g.MARCH)
    totals, by_agency, by_field = engine.overview(f)
    rows = [totals, *by_agency, *by_field, *engine.by_stage(f), *engine.by_handler(f),
            *engine.stage_agency(f), *engine.trend(f), *engine.report06(f)]
    assert by_agency and by_field  # the golden office has rows to look at
    numbers = _numeric_keys(rows)
    # Keys that are sometimes None must still be seen as numbers somewhere.
    assert {"on_time_rate", "late_rate", "received_total", "steps"} <= numbers
    assert numbers - INDICATORS.keys() == set()
    # Every key of the totals (numbers or None) is an indicator.
    assert set(totals) <= INDICATORS.keys()


def test_bieu06_columns_are_3_to_13_in_the_order_of_the_form():
    assert [INDICATORS[name].bieu06_column for name in BIEU06_COLUMNS] == list(range(3, 14))
    assert len(set(BIEU06_COLUMNS)) == 11
    assert {r.name for r in ROWS if r.bieu06_column} == set(BIEU06_COLUMNS)
    # Biểu 06 counts dossiers: no rate in the form.
    assert all(INDICATORS[name].kind == "count" for name in BIEU06_COLUMNS)


def test_rows_are_consistent():
    for row in ROWS:
        assert row.kind in ("count", "rate", "days"), row
        assert (row.unit is None) == (row.kind != "count"), row
        assert row.direction == {True: -1, False: 1, None: 0}[row.higher_is_worse]
        assert registry.indicator(row.name) is row
    with pytest.raises(KeyError, match="no_such"):
        registry.indicator("no_such")


@pytest.mark.parametrize("lang", LANGS)
def test_every_indicator_has_a_label_in_both_languages(lang):
    for row in ROWS:
        assert set(LABELS[row.label_key]) == set(LANGS), row.name
        assert t(row.label_key, lang).strip(), (row.name, lang)


def test_is_rate_and_higher_is_worse_read_the_rows():
    assert registry.is_rate("progress_766") and not registry.is_rate("late")
    assert registry.higher_is_worse("late_rate") and not registry.higher_is_worse("on_time_rate")
    assert not registry.higher_is_worse("received_total")
    # An engine rate not registered yet is still a rate by its name.
    assert registry.is_rate("something_share") and not registry.higher_is_worse("something_share")


def test_excel_formats_registered_rates_as_percent_and_nothing_else():
    frame = pd.DataFrame({name: [0.5, 0.25] for name in NAMES})
    sheet = load_workbook(io.BytesIO(excel.table_to_xlsx(frame, title="x", subtitle_lines=[]))).active
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == t(NAMES[0]))
    formats = {name: sheet.cell(header_row + 1, i).number_format for i, name in enumerate(NAMES, start=1)}
    for row in ROWS:
        assert (formats[row.name] == excel.NUM_FORMATS["percent"]) == row.is_rate, row.name
        assert (excel.infer_kind(frame[row.name], row.name) == "percent") == row.is_rate, row.name


@pytest.mark.parametrize("name", NAMES)
def test_charts_format_and_rank_as_the_registry_says(name):
    row = INDICATORS[name]
    value = 0.5 if row.is_rate else 1234
    assert charts._value_text(name, value, "vi") == ("50,0%" if row.is_rate else "1.234")
    bars = charts.ranked_bars([{"agency": "Ít", name: 0.1}, {"agency": "Nhiều", name: 0.4}], name, "agency")
    worst_first = list(bars.data[0].y)[0]
    assert worst_first == ("Nhiều" if row.higher_is_worse else "Ít")
    assert bars.layout.xaxis.tickformat == (charts.RATE_TICKS if row.is_rate else ",d")


def test_report06_reads_its_columns_from_the_registry(engine):
    assert report06.NUMBER_COLUMNS == BIEU06_COLUMNS
    assert set(report06.HEADERS_VI) == {"stt", "field", *BIEU06_COLUMNS}
    # Each row also carries the counts its footnotes need (report06_notes).
    assert all(set(r) == {"row_kind", "level", "field", *BIEU06_COLUMNS, *REPORT06_NOTE_KEYS}
               for r in engine.report06(Filters(*g.MARCH)))
    frame = report06.report06_frame(engine.report06(Filters(*g.MARCH)), "en")
    numbered = list(frame.columns)[3:]
    assert [c.split(" ")[0] for c in numbered] == [f"({INDICATORS[k].bieu06_column})" for k in BIEU06_COLUMNS]
    assert frame.iloc[-1][t("field", "en")] == "Total"


def test_meeting_pack_kpis_follow_the_registry():
    for key in meeting_pack.KPI_KEYS:
        row = INDICATORS[key]
        assert meeting_pack.kpi_value(key, 0.5).endswith("%") == row.is_rate, key
        assert meeting_pack.kpi_change(key, 0.5, 0.25).endswith("điểm") == row.is_rate, key
        assert meeting_pack.kpi_label(key, "en").strip(), key
