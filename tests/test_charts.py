from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.reports import charts
from analytics.reports.charts import PALETTE

NO_DATA = "Không có hồ sơ trong kỳ"


def title_text(fig):
    return fig.layout.title.text.replace("<br>", " ")


def messages(fig):
    return [a.text for a in fig.layout.annotations]


def dashed_lines(fig):
    return [s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash"]


BY_AGENCY = [
    {"agency": "UBND xã Ninh Đa", "resolved": 200, "late": 10, "late_rate": 0.05, "on_time_rate": 0.95,
     "received_new": 300, "online": 60, "online_share": 0.2},
    {"agency": "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa", "resolved": 1000, "late": 5, "late_rate": 0.005,
     "on_time_rate": 0.995, "received_new": 1200, "online": 720, "online_share": 0.6},
    {"agency": "Phòng Tư pháp", "resolved": 50, "late": 1, "late_rate": 0.02, "on_time_rate": 0.98,
     "received_new": 40, "online": 20, "online_share": 0.5},
    {"agency": "UBND xã Ninh Xuân", "resolved": 0, "late": 0, "late_rate": None, "on_time_rate": None,
     "received_new": 0, "online": 0, "online_share": None},
]
TREND = [
    {"period_start": date(2026, 2, 1), "received_new": 1000, "online": 550, "online_share": 0.55, "resolved": 900,
     "early": 800, "on_time": 90, "late": 10, "on_time_rate": 10 / 9 * 0.89, "late_rate": 10 / 900},
    {"period_start": date(2026, 1, 1), "received_new": 1234, "online": 600, "online_share": 600 / 1234,
     "resolved": 1200, "early": 1100, "on_time": 72, "late": 28, "on_time_rate": 0.9766666, "late_rate": 28 / 1200},
    {"period_start": date(2026, 3, 1), "received_new": 0, "online": 0, "online_share": None, "resolved": 0,
     "early": 0, "on_time": 0, "late": 0, "on_time_rate": None, "late_rate": None},
]
STAGE_AGENCY = [
    {"stage": "Tiếp nhận", "agency": "UBND xã Ninh Đa", "steps": 100, "late": 1, "late_rate": 0.01},
    {"stage": "Thẩm định", "agency": "UBND xã Ninh Đa", "steps": 80, "late": 8, "late_rate": 0.1},
    {"stage": "Thẩm định", "agency": "Phòng Tư pháp", "steps": 20, "late": 5, "late_rate": 0.25},
    {"stage": "Trả kết quả", "agency": "Phòng Tư pháp", "steps": 1200, "late": 12, "late_rate": 0.01},
]
HANDLERS = [
    {"handler": "Nguyễn Văn An", "agency": "UBND xã Ninh Đa",
     "steps": 300, "late": 7, "late_dossiers": 5, "late_rate": 7 / 300},
    {"handler": "Trần Thị Bình", "agency": "Phòng Tư pháp",
     "steps": 1500, "late": 12, "late_dossiers": 9, "late_rate": 0.008},
    {"handler": "Nguyễn Văn An", "agency": "Phòng Tư pháp",
     "steps": 10, "late": 1, "late_dossiers": 1, "late_rate": 0.1},
    {"handler": "Lê Văn Cường", "agency": "Phòng Tư pháp",
     "steps": 40, "late": 0, "late_dossiers": 0, "late_rate": 0.0},
]
QUARTERS = [
    {"period_start": date(2026, 7, 1), "received_new": 2000, "online": 1100, "online_share": 0.55},
    {"period_start": date(2026, 4, 1), "received_new": 1000, "online": 420, "online_share": 0.42},
]


# --- common layout ------------------------------------------------------------------


def all_figures(lang="vi"):
    return [
        charts.kpi_trend(TREND, lang),
        charts.ranked_bars(BY_AGENCY, "on_time_rate", "agency", average=0.985, lang=lang),
        charts.late_heatmap(STAGE_AGENCY, lang),
        charts.handler_bars(HANDLERS, lang),
        charts.online_share_bars(BY_AGENCY, "agency", lang),
        charts.online_trend(QUARTERS, lang),
        charts.stacked_resolution({"early": 800, "on_time": 90, "late": 10}, lang),
        charts.empty_figure(lang),
    ]


@pytest.mark.parametrize("lang, separators", [("vi", ",."), ("en", ".,")])
def test_every_figure_is_responsive_readable_and_serialisable(lang, separators):
    for fig in all_figures(lang):
        assert isinstance(fig, go.Figure)
        assert fig.layout.width is None  # fills the container: phone and projector
        assert fig.layout.separators == separators
        assert fig.layout.font.size >= 14
        assert fig.layout.legend.orientation == "h"
        assert fig.layout.xaxis.fixedrange and fig.layout.yaxis.fixedrange
        if fig.layout.title.text:
            assert fig.layout.margin.t >= 20 + 20 * fig.layout.title.text.count("<br>")
        fig.to_json()


def test_titles_are_wrapped_for_a_phone():
    fig = charts.kpi_trend(TREND)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2 and all(len(line) <= charts.TITLE_WRAP for line in lines)
    assert title_text(fig) == "Tỷ lệ đúng hạn và tỷ lệ hồ sơ trực tuyến theo tháng"
    assert title_text(charts.kpi_trend(TREND, title="Xu hướng")) == "Xu hướng"


# --- empty input --------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda rows: charts.kpi_trend(rows),
        lambda rows: charts.ranked_bars(rows, "on_time_rate", "agency", average=0.9),
        lambda rows: charts.late_heatmap(rows),
        lambda rows: charts.handler_bars(rows),
        lambda rows: charts.online_share_bars(rows, "field"),
        lambda rows: charts.online_trend(rows),
        lambda rows: charts.stacked_resolution(rows),
    ],
)
@pytest.mark.parametrize("rows", [[], None, pd.DataFrame()])
def test_empty_input_shows_the_message_not_an_empty_axis(build, rows):
    fig = build(rows if not isinstance(rows, pd.DataFrame) else rows.copy())
    assert messages(fig) == [NO_DATA]
    assert len(fig.data) == 0
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


def test_rows_without_any_value_are_empty_too():
    no_values = [dict(r, on_time_rate=None, online_share=None) for r in TREND]
    assert messages(charts.kpi_trend(no_values)) == [NO_DATA]
    assert messages(charts.ranked_bars(BY_AGENCY[3:], "on_time_rate", "agency")) == [NO_DATA]
    assert messages(charts.online_trend([dict(QUARTERS[0], online_share=None)])) == [NO_DATA]
    assert messages(charts.late_heatmap([dict(STAGE_AGENCY[0], steps=0, late=0)])) == [NO_DATA]
    assert messages(charts.stacked_resolution({"early": 0, "on_time": 0, "late": 0})) == [NO_DATA]


def test_empty_figure_in_english_and_with_a_custom_message():
    assert messages(charts.empty_figure("en")) == ["No dossiers in the period"]
    assert messages(charts.empty_figure(message="Chọn kỳ số liệu")) == ["Chọn kỳ số liệu"]


# --- kpi_trend --------------------------------------------------------------------------


def test_kpi_trend_lines_follow_the_months_in_order():
    fig = charts.kpi_trend(TREND)
    on_time, online = fig.data
    assert [tr.type for tr in fig.data] == ["scatter", "scatter"]
    assert on_time.name == "Tỷ lệ đúng hạn" and online.name == "Tỷ lệ hồ sơ trực tuyến"
    assert list(on_time.x) == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert list(on_time.y) == [0.9766666, TREND[0]["on_time_rate"], None]  # a gap, not a zero
    assert list(online.y) == [600 / 1234, 0.55, None]
    assert on_time.line.color == PALETTE["on_time"] and online.line.color == PALETTE["online"]
    assert tuple(on_time.customdata[0]) == ("Tháng 01/2026", "97,7%", "1.200")
    assert tuple(online.customdata[0]) == ("Tháng 01/2026", "48,6%", "1.234")
    assert "Đã giải quyết: %{customdata[2]}" in on_time.hovertemplate
    assert fig.layout.yaxis.tickformat == ".2~%" and fig.layout.yaxis.title.text == "Tỷ lệ"
    assert fig.layout.xaxis.title.text == "Tháng"


def test_kpi_trend_accepts_a_dataframe_with_nan():
    fig = charts.kpi_trend(pd.DataFrame(TREND))
    assert fig.data[0].y[-1] is None


def test_kpi_trend_in_english():
    fig = charts.kpi_trend(TREND, "en")
    assert fig.data[0].name == "On-time rate"
    assert tuple(fig.data[1].customdata[0]) == ("Jan 2026", "48.6%", "1,234")


# --- ranked_bars ---------------------------------------------------------------------------


def test_ranked_bars_worst_first_with_average_line_and_late_colour():
    fig = charts.ranked_bars(BY_AGENCY, "on_time_rate", "agency", average=0.985)
    (bar,) = fig.data
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["UBND xã Ninh Đa", "Phòng Tư pháp", "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa"]
    assert list(bar.x) == [0.95, 0.98, 0.995]
    assert list(bar.marker.color) == [PALETTE["late"], PALETTE["late"], PALETTE["good"]]
    assert list(bar.text) == ["95,0%", "98,0%", "99,5%"]
    assert fig.layout.yaxis.autorange == "reversed"  # first row on top
    # A long name wraps onto lines, never cut ("…"); the full name stays the category.
    assert list(fig.layout.yaxis.ticktext)[2] == "Văn phòng Đăng ký đất<br>đai chi nhánh Ninh Hòa"
    assert bar.customdata[2][0] == "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa"
    assert "<br>Đã giải quyết: 1.000" in bar.customdata[2][2]
    (line,) = dashed_lines(fig)
    assert (line.x0, line.x1) == (0.985, 0.985) and line.line.color == PALETTE["average"]
    assert "Bình quân: 98,5%" in messages(fig)
    assert fig.layout.xaxis.title.text == "Tỷ lệ đúng hạn"
    assert title_text(fig) == "Tỷ lệ đúng hạn theo cơ quan/đơn vị"


def test_rate_axes_print_the_decimals_their_ticks_need():
    """A 0–4 % axis steps by 0,5 %: whole-percent labels read "1% 1% 2% 2%".
    Every rate axis keeps up to two decimals and drops trailing zeros
    (d3's "~"), so each tick reads differently ("0,5%", "1%")."""
    late = [{"agency": "A", "late_rate": 0.026, "resolved": 116},
            {"agency": "B", "late_rate": 0.004, "resolved": 1889}]
    small = charts.ranked_bars(late, "late_rate", "agency", average=0.006, volume_key="resolved")
    trend = charts.kpi_trend([{"period_start": date(2026, 7, 1), "on_time_rate": 0.97, "online_share": 0.5}])
    for axis in (small.layout.xaxis, trend.layout.yaxis):
        assert axis.tickformat == charts.RATE_TICKS == ".2~%"
    assert small.layout.separators == ",."  # "0,5%" in Vietnamese


def test_ranked_bars_of_a_late_measure_rank_highest_first_in_the_late_colour():
    by_field = [
        {"field": "Hộ tịch", "late": 3, "resolved": 100},
        {"field": "Đất đai", "late": 40, "resolved": 90},
        {"field": "Chứng thực", "late": 3, "resolved": 500},
    ]
    fig = charts.ranked_bars(by_field, "late", "field", lang="vi")
    (bar,) = fig.data
    assert list(bar.y) == ["Đất đai", "Chứng thực", "Hộ tịch"]
    assert list(bar.x) == [40, 3, 3]
    assert set(bar.marker.color) == {PALETTE["late"]}
    assert list(bar.text) == ["40", "3", "3"]
    assert dashed_lines(fig) == []
    assert fig.layout.xaxis.range[1] > 40


def test_ranked_bars_options():
    fig = charts.ranked_bars(BY_AGENCY, "on_time_rate", "agency", average=0.985, lang="en", highlight_late=False, top=2)
    (bar,) = fig.data
    assert list(bar.y) == ["UBND xã Ninh Đa", "Phòng Tư pháp"]
    assert set(bar.marker.color) == {PALETTE["neutral"]}
    assert fig.layout.xaxis.title.text == "On-time rate"
    assert "Average: 98.5%" in messages(fig)


def test_ranked_bars_with_a_volume_do_not_let_two_dossiers_top_the_field_chart():
    """Issue 12: "Quản lý công sản 50 % from 2 dossiers must not top the field chart"."""
    by_field = [
        {"field": "Quản lý công sản", "on_time_rate": 0.5, "resolved": 2},
        {"field": "Đất đai", "on_time_rate": 0.9, "resolved": 400},
        {"field": "Hộ tịch", "on_time_rate": 0.99, "resolved": 1200},
        {"field": "Chứng thực", "on_time_rate": 0.97, "resolved": 20},
    ]
    fig = charts.ranked_bars(by_field, "on_time_rate", "field", average=0.95, volume_key="resolved")
    (bar,) = fig.data
    # Ranked worst first from 20 resolved up; the small field follows, in grey.
    assert list(bar.y) == ["Đất đai", "Chứng thực", "Hộ tịch", "Quản lý công sản"]
    assert list(bar.marker.color) == [PALETTE["late"], PALETTE["good"], PALETTE["good"], PALETTE["unranked"]]
    # The volume beside the rate.
    assert list(bar.text)[:2] == ["90,0% · 400", "97,0% · 20"]
    assert bar.text[3] == "50,0% · 2 (chưa xếp hạng: ít đã giải quyết)"
    # top keeps the worst ranked ones.
    fig = charts.ranked_bars(by_field, "on_time_rate", "field", volume_key="resolved", top=1)
    assert list(fig.data[0].y) == ["Đất đai"]



def test_ranked_late_rates_keep_room_for_their_text_in_a_narrow_column():
    """The overview's top five sit in a side column whose plot is about 100 px
    wide at 1366 px: "3,3% · 1.462" outside the longest bar was cut at the
    figure's edge. The right margin now holds every bar's text there."""
    by_agency = [
        {"agency": "Sở Xây dựng", "late_rate": 0.033, "resolved": 1462},
        {"agency": "Sở Nông nghiệp và Môi trường", "late_rate": 0.027, "resolved": 2105},
        {"agency": "Chi nhánh Văn phòng đăng ký đất đai", "late_rate": 0.017, "resolved": 6957},
        {"agency": "Sở Văn hóa, Thể thao và Du lịch", "late_rate": 0.009, "resolved": 576},
    ]
    fig = charts.ranked_bars(by_agency, "late_rate", "agency", average=0.007, volume_key="resolved", top=5)
    (bar,) = fig.data
    right = fig.layout.margin.r
    upper = fig.layout.xaxis.range[1]
    assert bar.cliponaxis is False  # the text may leave the plot, into the margin
    for value, text in zip(bar.x, bar.text, strict=True):
        room = (1 - value / upper) * charts._NARROW_PLOT_PX + right
        assert len(text) * charts._TEXT_PX_PER_CHAR <= room, text
    assert right > 16
    # Without texts written outside the bars the house margin stays.
    plain = charts.ranked_bars(by_agency, "late_rate", "agency", average=0.007)
    assert plain.layout.margin.r == 16

# --- late_heatmap -----------------------------------------------------------------------------


def test_late_heatmap_values_counts_and_the_most_late_stage():
    fig = charts.late_heatmap(STAGE_AGENCY)
    (heat,) = fig.data
    assert heat.type == "heatmap"
    # stages by late steps: Thẩm định 13, Trả kết quả 12, Tiếp nhận 1
    assert list(heat.x) == ["Thẩm định", "Trả kết quả", "Tiếp nhận"]
    assert list(heat.y) == ["Phòng Tư pháp", "UBND xã Ninh Đa"]  # 17 late steps before 9
    assert [list(row) for row in heat.z] == [[0.25, 0.01, None], [0.1, None, 0.01]]
    assert [list(row) for row in heat.text] == [["25,0%", "1,0%", ""], ["10,0%", "", "1,0%"]]
    assert list(heat.customdata[0][1]) == ["Phòng Tư pháp", "Trả kết quả", "1,0%", "12", "1.200"]
    assert "Số lần trễ hạn: %{customdata[3]}" in heat.hovertemplate
    assert heat.colorscale[-1][1] == PALETTE["late"]
    assert list(fig.layout.xaxis.ticktext)[0] == "<b>Thẩm<br>định</b>"
    (frame,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (frame.x0, frame.x1) == (-0.5, 0.5) and frame.line.color == PALETTE["late"]
    assert fig.layout.title.subtitle.text == "Trễ nhiều nhất: Thẩm định (13 lần)"
    assert title_text(fig) == "Tỷ lệ trễ hạn theo giai đoạn và cơ quan/đơn vị"


def test_late_heatmap_cell_counts_stage_order_and_no_late_steps():
    fig = charts.late_heatmap(STAGE_AGENCY, cell_counts=True, stage_order=["Trả kết quả", "Tiếp nhận"])
    assert list(fig.data[0].x) == ["Trả kết quả", "Tiếp nhận", "Thẩm định"]
    assert fig.data[0].text[0][0] == "1,0%<br>12/1.200"
    (frame,) = [s for s in fig.layout.shapes if s.type == "rect"]
    assert (frame.x0, frame.x1) == (1.5, 2.5)  # Thẩm định is still the most late
    calm = charts.late_heatmap([dict(r, late=0, late_rate=0.0) for r in STAGE_AGENCY])
    assert len(calm.data[0].x) == 3 and len(calm.data[0].y) == 2  # nothing late: everything shown
    assert {cell for row in calm.data[0].text for cell in row} == {""}
    assert [s for s in calm.layout.shapes if s.type == "rect"] == []
    assert not calm.layout.title.subtitle.text
    assert not any("<b>" in tick for tick in calm.layout.xaxis.ticktext)


def test_late_heatmap_leaves_out_what_is_never_late_and_keeps_the_top_agencies():
    rows = STAGE_AGENCY + [
        {"stage": "Phê duyệt", "agency": "UBND xã Ninh Đa", "steps": 50, "late": 0, "late_rate": 0.0},
        {"stage": "Thẩm định", "agency": "UBND xã Ninh Xuân", "steps": 70, "late": 0, "late_rate": 0.0},
    ]
    fig = charts.late_heatmap(rows)
    assert "Phê duyệt" not in fig.data[0].x and "UBND xã Ninh Xuân" not in fig.data[0].y
    everything = charts.late_heatmap(rows, only_late=False)
    assert list(everything.data[0].x) == ["Thẩm định", "Trả kết quả", "Tiếp nhận", "Phê duyệt"]
    assert list(everything.data[0].y) == ["Phòng Tư pháp", "UBND xã Ninh Đa", "UBND xã Ninh Xuân"]
    assert list(charts.late_heatmap(rows, top=1).data[0].y) == ["Phòng Tư pháp"]


def test_late_heatmap_on_a_phone_keeps_the_most_late_stages_and_agencies_in_readable_text():
    # 12 agencies late at Thẩm định (the most late first), one agency late only
    # at a fifth stage, which a phone leaves out (with its agency: no blank row).
    rows = [{"stage": "Thẩm định", "agency": f"Phòng số {i:02d} của Ủy ban nhân dân huyện Ninh Hòa",
             "steps": 100, "late": 20 - i, "late_rate": (20 - i) / 100} for i in range(12)]
    rows += [{"stage": stage, "agency": "Phòng số 00 của Ủy ban nhân dân huyện Ninh Hòa", "steps": 100,
              "late": late, "late_rate": late / 100}
             for stage, late in (("Tiếp nhận", 9), ("Phê duyệt", 8), ("Trả kết quả", 7))]
    rows.append({"stage": "Xác định nghĩa vụ tài chính", "agency": "Chi cục Thuế khu vực", "steps": 100,
                 "late": 1, "late_rate": 0.01})
    wide, phone = charts.late_heatmap(rows), charts.late_heatmap(rows, phone=True)
    assert len(wide.data[0].x) == 5 and len(wide.data[0].y) == 13
    assert list(phone.data[0].x) == ["Thẩm định", "Tiếp nhận", "Phê duyệt", "Trả kết quả"]
    assert list(phone.data[0].y) == [f"Phòng số {i:02d} của Ủy ban nhân dân huyện Ninh Hòa" for i in range(8)]
    # Names on up to four lines of 14 characters, whole; no text under 11 px.
    assert phone.layout.yaxis.ticktext[0] == "Phòng số 00<br>của Ủy ban<br>nhân dân huyện<br>Ninh Hòa"
    assert min(phone.data[0].textfont.size, phone.layout.xaxis.tickfont.size,
               phone.layout.yaxis.tickfont.size) >= 11


# --- handler_bars ---------------------------------------------------------------------------------


def test_handler_bars_late_steps_and_late_dossiers():
    fig = charts.handler_bars(HANDLERS)
    steps, dossiers = fig.data
    assert [tr.type for tr in fig.data] == ["bar", "bar"]
    assert steps.name == "Số lần trễ hạn" and dossiers.name == "Số hồ sơ trễ hạn"
    assert steps.marker.color == PALETTE["late"]
    assert dossiers.marker.color == PALETTE["late_dark"]
    # a name at two agencies is told apart; Lê Văn Cường (no late step) is left out
    assert list(steps.y) == ["Trần Thị Bình", "Nguyễn Văn An · UBND xã Ninh Đa", "Nguyễn Văn An · Phòng Tư pháp"]
    assert list(steps.x) == [12, 7, 1]
    assert list(dossiers.x) == [9, 5, 1]
    assert list(steps.customdata[0]) == ["Trần Thị Bình", "Phòng Tư pháp", "1.500", "12", "9", "0,8%"]
    assert fig.layout.barmode == "group"


def test_handler_bars_top_and_no_late_message():
    assert list(charts.handler_bars(HANDLERS, top=1).data[0].y) == ["Trần Thị Bình"]
    calm = charts.handler_bars([dict(h, late=0, late_dossiers=0) for h in HANDLERS])
    assert messages(calm) == ["Không có bước xử lý trễ hạn trong kỳ"]


# --- online -------------------------------------------------------------------------------------


def test_online_share_bars_with_the_target_line():
    fig = charts.online_share_bars(BY_AGENCY, "agency")
    (bar,) = fig.data
    assert list(bar.y) == ["UBND xã Ninh Đa", "Phòng Tư pháp", "Văn phòng Đăng ký đất đai chi nhánh Ninh Hòa"]
    assert list(bar.x) == [0.2, 0.5, 0.6]
    assert bar.marker.color == PALETTE["online"]
    assert list(bar.customdata[2][2:]) == ["720", "1.200"]
    (target,) = dashed_lines(fig)
    assert (target.x0, target.x1) == (0.5, 0.5) and target.line.color == PALETTE["target"]
    assert "Chỉ tiêu: 50%" in messages(fig)
    assert title_text(fig) == "Tỷ lệ hồ sơ trực tuyến theo cơ quan/đơn vị"
    fields = charts.online_share_bars([{"field": "Hộ tịch", "online_share": 0.7}], "field", target=0.6)
    assert title_text(fields) == "Tỷ lệ hồ sơ trực tuyến theo lĩnh vực"
    assert dashed_lines(fields)[0].x0 == 0.6


def test_online_trend_per_quarter():
    fig = charts.online_trend(QUARTERS)
    (bar,) = fig.data
    assert list(bar.x) == ["Quý II/2026", "Quý III/2026"]
    assert list(bar.y) == [0.42, 0.55]
    assert bar.marker.color == PALETTE["online"]
    assert list(bar.text) == ["42,0%", "55,0%"]
    assert list(fig.layout.xaxis.ticktext) == ["II<br>2026", "III<br>2026"]
    (target,) = dashed_lines(fig)
    assert (target.y0, target.y1) == (0.5, 0.5)
    assert "Chỉ tiêu: 50%" in messages(fig)
    assert list(charts.online_trend(QUARTERS, "en").data[0].x) == ["Q2 2026", "Q3 2026"]


# --- stacked_resolution -------------------------------------------------------------------------------


def test_stacked_resolution():
    fig = charts.stacked_resolution({"early": 800, "on_time": 190, "late": 10, "resolved": 1000})
    assert [tr.name for tr in fig.data] == ["Trước hạn", "Đúng hạn", "Quá hạn"]
    assert [tr.x[0] for tr in fig.data] == [800, 190, 10]
    assert [tr.marker.color for tr in fig.data] == [PALETTE["early"], PALETTE["on_time"], PALETTE["late"]]
    assert [tr.text[0] for tr in fig.data] == ["80,0%", "19,0%", ""]  # a 1% sliver: hover only
    assert list(fig.data[2].customdata[0]) == ["Quá hạn", "10", "1,0%"]
    assert fig.layout.barmode == "stack"


# --- print ------------------------------------------------------------------------------------------------


def test_apply_print_layout_returns_a_larger_white_copy():
    fig = charts.late_heatmap(STAGE_AGENCY)
    printed = charts.apply_print_layout(fig, width=1040, height=700)
    assert printed is not fig
    assert printed.layout.font.size == charts.PRINT_FONT_SIZE > fig.layout.font.size
    assert printed.layout.paper_bgcolor == "white"
    assert (printed.layout.width, printed.layout.height) == (1040, 700)
    assert printed.layout.title.text == "Tỷ lệ trễ hạn theo giai đoạn và cơ quan/đơn vị"  # one line on A4
    assert fig.layout.width is None and fig.layout.font.size == charts.FONT_SIZE  # original untouched
    assert printed.layout.title.y == pytest.approx(1 - (8 + 0.45 * (charts.PRINT_FONT_SIZE + 4)) / 700)
    bars = charts.apply_print_layout(charts.ranked_bars(BY_AGENCY, "late", "agency"))
    assert bars.layout.width is None and bars.data[0].textfont.size == charts.PRINT_FONT_SIZE - 2


def test_chart_config_has_no_logo_and_png_export():
    config = charts.chart_config(filename="tre-han")
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["filename"] == "tre-han"


def test_long_agency_names_wrap_instead_of_being_cut():
    """A phone showed "Phòng Tài nguyên và Môi…": names wrap onto up to three
    lines, and only a name longer than that ends in "…"."""
    rows = [{"agency": "Phòng Tài nguyên và Môi trường", "late_rate": 0.025, "resolved": 1890},
            {"agency": "UBND xã Xuân Sơn", "late_rate": 0.01, "resolved": 199},
            {"agency": "Ban quản lý " + "dự án đầu tư xây dựng khu vực " * 3, "late_rate": 0.005, "resolved": 50}]
    fig = charts.ranked_bars(rows, "late_rate", "agency", volume_key="resolved")
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks[0] == "Phòng Tài nguyên và Môi<br>trường"
    assert ticks[1] == "UBND xã Xuân Sơn"
    assert ticks[2].count("<br>") == 2 and ticks[2].endswith("…")
    # Room right of the longest bar for its "2,5% · 1.890" label.
    assert fig.layout.xaxis.range[1] >= 0.025 * 1.6


def test_late_rate_bars_are_red_only_above_the_average():
    rows = [{"agency": "A", "late_rate": 0.025, "resolved": 500},
            {"agency": "B", "late_rate": 0.003, "resolved": 500}]
    fig = charts.ranked_bars(rows, "late_rate", "agency", average=0.005, volume_key="resolved")
    assert list(fig.data[0].marker.color) == [PALETTE["late"], PALETTE["good"]]
