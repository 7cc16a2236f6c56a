"""The meeting deck on the hand-counted office of tests/golden.py (March 2026).

Hand counts used below (see tests/golden.py and tests/test_engine.py):
comparable months with dossiers are January (D12 early: on time 100%, online
1/1), February (D07 late: 0%, online D06 D07 of D03 D05 D06 D07 = 2/4) and
March (4/6 on time, online 3/7).
"""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.chart.plot import BarPlot, LinePlot

from analytics.cli.main import main
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.locale import fmt
from analytics.reminders.settings import update_settings
from analytics.reports import deck, findings
from analytics.reports.meeting_pack import collect_pack
from analytics.reports.report06 import label_rows
from analytics.store.ops import OpsStore
from tests import golden as g
from tests.conftest import build_file_db

MARCH = Filters(*g.MARCH)
EMPTY = Filters(date(2020, 1, 1), date(2020, 1, 31))


@pytest.fixture(scope="module")
def engine(golden_engine) -> Engine:
    return golden_engine


@pytest.fixture(scope="module")
def prs(engine):
    return Presentation(io.BytesIO(deck.build_deck(engine, MARCH, unit_name="UBND huyện Ninh Hòa")))


def titles(presentation) -> list[str]:
    return [s.shapes.title.text_frame.text for s in presentation.slides]


def chart_of(slide):
    charts = [s for s in slide.shapes if s.has_chart]
    assert len(charts) == 1, "one native PowerPoint chart per chart slide"
    return charts[0].chart


def finding_of(slide) -> str:
    return next(s for s in slide.shapes if s.name == deck.FINDING_SHAPE).text_frame.text


def table_of(slide):
    tables = [s for s in slide.shapes if s.has_table]
    assert len(tables) == 1
    return tables[0].table


def cells_of(table, first_row: int = 0) -> list[list[str]]:
    return [[c.text_frame.text for c in row.cells] for row in list(table.rows)[first_row:]]


def by_title(presentation, title: str):
    return next(s for s in presentation.slides if s.shapes.title.text_frame.text == title)


def test_slides_and_titles(prs):
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    assert titles(prs) == [
        "KẾT QUẢ GIẢI QUYẾT\vTHỦ TỤC HÀNH CHÍNH",
        "Tổng hợp kết quả giải quyết hồ sơ",
        "Tỷ lệ giải quyết đúng hạn qua các kỳ",
        "Tỷ lệ trễ hạn theo cơ quan, đơn vị",
        "Số bước xử lý trễ hạn theo giai đoạn",
        "Người thụ lý có nhiều bước trễ hạn nhất",
        "Tỷ lệ hồ sơ trực tuyến so với chỉ tiêu 50%",
        "Chỉ số 766",
        "Phụ lục",
        "Thủ tục hành chính không phát sinh hồ sơ trong 3 năm",
        "Biểu số 06/VPCP/KSTT: kết quả giải quyết TTHC",
    ]


def test_title_slide_names_unit_period_and_data_date(prs):
    text = " | ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "UBND HUYỆN NINH HÒA" in text
    assert "Tháng 03/2026 (01/03/2026 – 31/03/2026)" in text
    assert "Số liệu đến ngày 31/03/2026" in text


def test_kpi_table_against_previous_and_last_year(prs):
    table = table_of(prs.slides[1])
    cells = cells_of(table)
    assert cells[0] == ["Chỉ tiêu", "Tháng 03/2026", "Tháng 02/2026", "Thay đổi", "Tháng 03/2025", "Thay đổi"]
    rows = {r[0]: r[1:] for r in cells[1:]}
    # February: D03 D05 D06 D07 received, D07 resolved late; March 2025: nothing.
    assert rows["Tổng số hồ sơ nhận giải quyết"] == ["10", "4", "+6", "0", "+10"]
    assert rows["Đã giải quyết"] == ["6", "1", "+5", "0", "+6"]
    assert rows["Tỷ lệ giải quyết đúng hạn"] == ["66,7%", "0,0%", "+66,7 điểm", "–", "–"]
    assert rows["Tỷ lệ hồ sơ trực tuyến"] == ["42,9%", "50,0%", "-7,1 điểm", "–", "–"]
    assert rows["Đang giải quyết quá hạn"] == ["2", "0", "+2", "0", "+2"]
    assert finding_of(prs.slides[1]) == (
        "Tháng 03/2026 tiếp nhận 10 hồ sơ, tăng 6 hồ sơ (150,0%) so với tháng 02/2026; "
        "đã giải quyết 6 hồ sơ, đúng hạn 66,7%; còn 2 hồ sơ đang giải quyết quá hạn.")


def test_trend_chart_is_native_with_the_engine_rates(prs, engine):
    chart = chart_of(prs.slides[2])
    plot = chart.plots[0]
    assert isinstance(plot, LinePlot)
    assert list(plot.categories) == ["Tháng 01/2026", "Tháng 02/2026", "Tháng 03/2026"]
    months = [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)), g.MARCH]
    engine_rates = tuple(engine.totals(MARCH.with_period(*m))["on_time_rate"] for m in months)
    assert plot.series[0].values == engine_rates == (1.0, 0.0, 4 / 6)
    assert finding_of(prs.slides[2]) == (
        "Tỷ lệ đúng hạn tháng 03/2026 đạt 66,7%, tăng 66,7 điểm so với tháng 02/2026; "
        "Phòng Tài nguyên và Môi trường có tỷ lệ trễ hạn cao nhất (100,0%).")


def test_agency_chart(prs, engine):
    plot = chart_of(prs.slides[3]).plots[0]
    assert isinstance(plot, BarPlot)
    assert list(plot.categories) == [g.TNMT, g.PHUONG, g.XA]
    assert plot.series[0].values == (1.0, 0.0, 0.0)
    rates = {r["agency"]: r["late_rate"] for r in engine.by_agency(MARCH)}
    assert plot.series[0].values == tuple(rates[a] for a in plot.categories)
    assert finding_of(prs.slides[3]) == findings.agency_finding(engine.by_agency(MARCH))


def test_stage_chart(prs, engine):
    plot = chart_of(prs.slides[4]).plots[0]
    # Caused lateness ranks the stages; D17's Phê duyệt only inherited its
    # delay (golden.py), so it is shown apart, in the second series.
    assert list(plot.categories) == ["Thẩm định", "Trả kết quả", "Phê duyệt", "Tiếp nhận"]
    caused, inherited = plot.series
    assert (caused.name, inherited.name) == ("Số lần gây trễ hạn", "Trễ do bước trước")
    assert caused.values == (2, 1, 0, 0)
    assert caused.values == tuple(r["late"] for r in engine.by_stage(MARCH))
    assert inherited.values == tuple(r["inherited_late"] for r in engine.by_stage(MARCH))
    assert sum(inherited.values) >= 1 and inherited.values[2] >= 1
    assert finding_of(prs.slides[4]).startswith("Giai đoạn Thẩm định có nhiều bước trễ hạn nhất: 2 lần")


def test_handler_chart_two_series(prs, engine):
    plot = chart_of(prs.slides[5]).plots[0]
    # Each caused one late step (Bình's second late step was inherited): by name.
    assert list(plot.categories) == [f"{g.CUONG}\n{g.XA}", f"{g.AN}\n{g.TNMT}", f"{g.BINH}\n{g.TNMT}"]
    late, dossiers, inherited = plot.series
    assert (late.name, dossiers.name, inherited.name) == (
        "Số lần gây trễ hạn", "Số hồ sơ trễ hạn", "Trễ do bước trước")
    assert late.values == (1, 1, 1)
    assert dossiers.values == (1, 1, 1)
    rows = [r for r in engine.by_handler(MARCH) if r["late"]]
    assert late.values == tuple(r["late"] for r in rows)
    assert dossiers.values == tuple(r["late_dossiers"] for r in rows)
    assert inherited.values == tuple(r["inherited_late"] for r in rows)
    assert inherited.values[2] == 1  # Bình's second late step, passed on to him


def test_online_chart_bars_with_a_target_line(prs):
    chart = chart_of(prs.slides[6])
    bars, line = chart.plots
    assert isinstance(bars, BarPlot) and isinstance(line, LinePlot)
    assert bars.series[0].values == (1.0, 0.5, 3 / 7)
    assert line.series[0].name == "Chỉ tiêu 50%"
    assert line.series[0].values == (0.5, 0.5, 0.5)
    assert finding_of(prs.slides[6]) == (
        "Tỷ lệ hồ sơ trực tuyến tháng 03/2026 đạt 42,9%, thấp hơn chỉ tiêu 50% 7,1 điểm; "
        "giảm 7,1 điểm so với tháng 02/2026.")


def test_story_first_then_the_appendix(prs):
    names = titles(prs)
    appendix = names.index("Phụ lục")
    # Every story slide (a finding over a chart or the KPI table) comes before
    # the divider; the long tables come after it and nowhere else.
    for slide in list(prs.slides)[1:appendix]:
        assert any(s.name == deck.FINDING_SHAPE for s in slide.shapes)
    long_tables = [i for i, n in enumerate(names) if n.startswith(("Thủ tục hành chính không", "Biểu số 06"))]
    assert long_tables and min(long_tables) > appendix
    assert not any(s.has_chart for slide in list(prs.slides)[appendix:] for s in slide.shapes)
    divider = " ".join(s.text_frame.text for s in prs.slides[appendix].shapes if s.has_text_frame)
    assert "Biểu số 06/VPCP/KSTT" in divider and "không phát sinh hồ sơ" in divider


def test_unused_procedures_table(prs):
    slide = prs.slides[9]
    assert cells_of(table_of(slide), 1) == [
        ["1", "P9", "Chứng thực hợp đồng thế chấp", "Chứng thực", "Chưa có"],
        ["2", "P7", "Đăng ký giám hộ", "Hộ tịch", "01/06/2022"],
        ["3", "P4", "Thẩm định phương án khai thác", "Đất đai", "Chưa có"],
    ]
    assert finding_of(slide).startswith("3 thủ tục hành chính còn hiệu lực không phát sinh hồ sơ "
                                        "từ 01/04/2023 đến 31/03/2026")


def test_report06_table_matches_report06(prs, engine):
    table = table_of(prs.slides[10])
    assert cells_of(table)[2] == [f"({i})" for i in range(1, 14)]
    body = cells_of(table, 3)
    assert body == deck.report06_cells(label_rows(engine.report06(MARCH)))
    assert body[-1] == ["", "Tổng cộng", "10", "3", "4", "3", "6", "2", "2", "2", "4", "2", "2"]
    assert [r[1] for r in body] == ["Cấp huyện (trước 01/07/2025)", "Đất đai", "Cấp xã", "Chứng thực", "Hộ tịch",
                                    "Tổng cộng"]


def test_long_tables_split_across_slides(engine):
    pack = collect_pack(engine, MARCH)
    many = [{"procedure_code": f"M{i:03d}", "procedure_name": f"Thủ tục số {i}", "field": "Hộ tịch",
             "last_received": None} for i in range(1, 61)]
    long_pack = dataclasses.replace(pack, procedures_without_dossiers=many, report06=pack.report06 * 12)
    prs = Presentation(io.BytesIO(deck.write_deck(long_pack)))
    unused = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Thủ tục hành chính không")]
    assert len(unused) > 1
    assert [s.shapes.title.text_frame.text for s in unused][-1] == (
        f"Thủ tục hành chính không phát sinh hồ sơ trong 3 năm ({len(unused)}/{len(unused)})")
    rows = [r for s in unused for r in cells_of(table_of(s), 1)]
    assert [r[1] for r in rows] == [p["procedure_code"] for p in many]
    assert [r[0] for r in rows] == [str(i) for i in range(1, 61)]
    forms = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Biểu số 06")]
    assert len(forms) > 1
    names = titles(prs)  # 7 + 5 table slides, all after the divider
    assert names.index("Phụ lục") < names.index(unused[0].shapes.title.text_frame.text)
    assert [r for s in forms for r in cells_of(table_of(s), 3)] == deck.report06_cells(long_pack.report06)
    for s in forms:  # every part repeats the header rows
        assert cells_of(table_of(s))[2][0] == "(1)"
        assert table_of(s)._tbl.xpath("sum(.//a:tr/@h)") < deck.SLIDE_HEIGHT


def test_paginate_fits_budgets():
    assert deck.paginate([], 10, 10) == [(0, 0)]
    assert deck.paginate([3, 3, 3, 3, 3], 7, 10) == [(0, 2), (2, 5)]
    assert deck.paginate([20, 1], 10, 10) == [(0, 1), (1, 2)]  # a row too tall still gets a page


def test_empty_period_says_so(engine):
    prs = Presentation(io.BytesIO(deck.build_deck(engine, EMPTY)))
    assert len(prs.slides) == 2
    assert titles(prs)[1] == "Không có hồ sơ trong kỳ"
    text = " ".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert "Không có hồ sơ trong tháng 01/2020 (01/01/2020 – 31/01/2020)" in text
    assert not any(s.has_chart for slide in prs.slides for s in slide.shapes)


def test_agency_filter_narrows_and_is_named(engine):
    f = dataclasses.replace(MARCH, agency=g.TNMT)
    prs = Presentation(io.BytesIO(deck.build_deck(engine, f)))
    title_text = " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert f"Cơ quan/đơn vị: {g.TNMT}" in title_text
    assert "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG" in title_text  # the unit defaults to the agency
    assert list(chart_of(prs.slides[3]).plots[0].categories) == [g.TNMT]
    assert cells_of(table_of(prs.slides[1]))[1][1] == fmt.number(engine.totals(f)["received_total"])


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "office.duckdb"
    build_file_db(path, **g.ROWS)
    return str(path)


def test_cli_writes_the_deck(db, tmp_path, capsys):
    out = tmp_path / "hop.pptx"
    code = main(["deck", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out),
                 "--unit", "UBND huyện Ninh Hòa", "--agency", "tai nguyen"])
    assert code == 0
    assert f"Đã ghi {out}" in capsys.readouterr().out
    prs = Presentation(str(out))
    assert len(prs.slides) == 11  # title, 6 story slides, Chỉ số 766, "Phụ lục", 2 appendix tables
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("extra, code, message", [
    (["--out", "hop.txt"], 2, "phải có đuôi .pptx"),
    (["--out", "hop.pptx", "--agency", "không có"], 2, "Không tìm thấy đơn vị"),
])
def test_cli_errors(db, tmp_path, capsys, extra, code, message):
    extra = [str(tmp_path / e) if e.startswith("hop.") else e for e in extra]
    assert main(["deck", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31", *extra]) == code
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("hop.*"))


def test_dashboard_offers_the_pack_on_the_report_page_and_the_overview(db, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MOTCUA_DB", db)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=120)
    at.query_params.update({"ky": "custom", "tu": "2026-03-01", "den": "2026-03-31"})
    at.run()
    at.switch_page("pages/bieu_06.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.download_button]
    assert "Tải bộ trình chiếu (.pptx)" in labels
    assert "Tải dự thảo báo cáo (.docx)" in labels
    # The overview offers it too (issue 12): a leader needs not find Biểu 06 first.
    at.switch_page("pages/tong_quan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [b.label for b in at.download_button]
    assert "Tải bộ trình chiếu (.pptx)" in labels and "Tải dự thảo báo cáo (.docx)" in labels
    assert "Tài liệu cho cuộc họp" in [h.value for h in at.subheader]


@pytest.mark.parametrize("text, direction, colour", [
    ("+1,2 điểm", 1, "good"), ("-7,1 điểm", 1, "bad"), ("+2", -1, "bad"), ("-3", -1, "good"),
    ("0,0 điểm", 1, "text"), ("+6", 0, "text"), ("–", 1, "text"),
])
def test_change_colour_follows_the_shown_sign(text, direction, colour):
    assert deck.change_colour(text, direction) == colour


def test_kpi_changes_are_coloured_by_direction(prs):
    table = table_of(prs.slides[1])
    rows = {row.cells[0].text_frame.text: row.cells for row in list(table.rows)[1:]}

    def colour(label: str) -> str:
        return str(rows[label][3].text_frame.paragraphs[0].runs[0].font.color.rgb)

    assert colour("Tiếp nhận trực tuyến") == deck.COLOURS["good"]  # +1 online dossier
    assert colour("Giải quyết quá hạn") == deck.COLOURS["bad"]  # +1 late
    assert colour("Tỷ lệ hồ sơ trực tuyến") == deck.COLOURS["bad"]  # -7,1 điểm
    assert colour("Tổng số hồ sơ nhận giải quyết") == deck.COLOURS["text"]  # neither good nor bad


def test_cli_unit_defaults_to_the_office_name_in_the_settings(db, tmp_path):
    out = tmp_path / "hop.pptx"
    assert main(["deck", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out)]) == 0
    first = " ".join(s.text_frame.text for s in Presentation(str(out)).slides[0].shapes if s.has_text_frame)
    assert "UBND HUYỆN AN PHƯỚC" not in first  # nothing set yet, and no operational store made for it
    update_settings(OpsStore.beside(db), actor="cli:test", office_name="UBND huyện An Phước")
    assert main(["deck", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31", "--out", str(out)]) == 0
    title = " ".join(s.text_frame.text for s in Presentation(str(out)).slides[0].shapes if s.has_text_frame)
    assert "UBND HUYỆN AN PHƯỚC" in title


def test_index766_slide_has_the_groups_and_the_biggest_losses(prs):
    # The last story slide, before the "Phụ lục" divider.
    slide = prs.slides[titles(prs).index("Phụ lục") - 1]
    cells = cells_of(table_of(slide))
    assert cells[0] == ["Nhóm", "Điểm", "Trạng thái"]
    assert [row[0] for row in cells[1:]] == ["Công khai, minh bạch", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
                                             "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ"]
    assert cells[1][1:] == ["Không tính được", "Cần CSDL quốc gia"]
    text = " | ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    # The golden office (tests/golden.py): March, the portal's counting: 2.1 is the only
    # computed sub-criterion with points, and it loses some.
    assert "Ba nguồn mất điểm lớn nhất" in text and "2.1 Hồ sơ xử lý trước hạn, đúng hạn: mất" in text
