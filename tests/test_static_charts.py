"""The report's chart pictures (Altair + vl-convert) on the hand-counted office
of tests/golden.py (March 2026): Vietnamese number formats, Vietnamese text,
caused and inherited lateness apart."""

from __future__ import annotations

import dataclasses
import io
import re

import altair as alt
import pytest
from PIL import Image

from analytics.indicators.filters import Filters
from analytics.reports import static_charts as sc
from analytics.reports.meeting_pack import collect_pack
from tests import golden as g

MARCH = Filters(*g.MARCH)


@pytest.fixture(scope="module")
def pack(golden_engine):
    return collect_pack(golden_engine, MARCH)


def svg_text(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)]


def test_rates_are_written_the_vietnamese_way(pack):
    texts = svg_text(sc.to_svg(sc.trend_chart(pack)))
    # March: 4 of 6 on time; January 100%, February 0% (golden.py).
    assert "66,7%" in texts and "100,0%" in texts
    assert not any(re.fullmatch(r"\d+\.\d%", t) for t in texts)  # no "66.7%"
    assert "Tháng 03/2026" in texts


def test_thousands_use_a_dot():
    chart = alt.Chart(alt.Data(values=[{"n": 12535}])).mark_text().encode(text=alt.Text("n:Q", format=",d"))
    assert "12.535" in svg_text(sc.to_svg(chart))


def test_stage_chart_shows_caused_and_inherited_apart(pack):
    spec = sc.stage_chart(pack).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))] if "datasets" in spec else spec["data"]["values"]
    by = {(v["stage"], v["kind"]): v["steps"] for v in values}
    assert by[("Thẩm định", "Số lần gây trễ hạn")] == 2
    assert by[("Phê duyệt", "Số lần gây trễ hạn")] == 0
    assert by[("Phê duyệt", "Trễ do bước trước")] == 1  # D17's Phê duyệt passed on Cường's delay
    texts = svg_text(sc.to_svg(sc.stage_chart(pack)))
    assert "Trễ do bước trước" in texts and "Thẩm định" in texts  # diacritics kept as text


def test_pictures_are_png(pack):
    pictures = sc.report_pictures(pack)
    assert [p.key for p in pictures] == ["trend", "agency", "stage", "online"]
    for picture in pictures:
        assert picture.png.startswith(sc.PNG_MAGIC)
        image = Image.open(io.BytesIO(picture.png))
        assert image.format == "PNG" and image.size[0] >= sc.WIDTH


def test_a_chart_with_nothing_to_draw_is_left_out(pack):
    empty = dataclasses.replace(pack, by_agency=[], by_stage=[])
    assert sc.agency_chart(empty) is None and sc.stage_chart(empty) is None
    assert [p.key for p in sc.report_pictures(empty)] == ["trend", "online"]


def test_control_characters_in_names_are_drawn_without_them(pack):
    """A NUL in an imported name made vl-convert abort the process (the
    dashboard's server): names are drawn as plain text."""
    hostile = "UBND xã\x1b[31m Hòa\x00 An"
    rows = [{**r, "agency": hostile} for r in pack.by_agency[:1]]
    stages = [{**r, "stage": "Thẩm\x00 định"} for r in pack.by_stage[:1]]
    odd = dataclasses.replace(pack, by_agency=rows, by_stage=stages)
    texts = svg_text(sc.to_svg(sc.agency_chart(odd)))
    assert "UBND xã[31m Hòa An" in texts
    assert sc.to_png(sc.stage_chart(odd)).startswith(sc.PNG_MAGIC)
