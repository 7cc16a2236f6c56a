from datetime import date, timedelta

import pytest

from analytics.indicators.periods import (
    PRESET_KEYS,
    match_preset,
    month_label,
    preset_by_key,
    presets,
    previous_period,
    quarter_label,
    same_period_last_year,
)


def spans(today):
    return {p.key: (p.date_from, p.date_to) for p in presets(today)}


def test_calendar_presets_mid_year():
    s = spans(date(2026, 8, 20))
    assert s["this_month"] == (date(2026, 8, 1), date(2026, 8, 31))
    assert s["last_month"] == (date(2026, 7, 1), date(2026, 7, 31))
    assert s["this_quarter"] == (date(2026, 7, 1), date(2026, 9, 30))
    assert s["last_quarter"] == (date(2026, 4, 1), date(2026, 6, 30))
    assert s["first_half"] == (date(2026, 1, 1), date(2026, 6, 30))
    assert s["nine_months"] == (date(2026, 1, 1), date(2026, 9, 30))
    assert s["this_year"] == (date(2026, 1, 1), date(2026, 12, 31))
    assert s["last_year"] == (date(2025, 1, 1), date(2025, 12, 31))


def test_report_presets_mid_year():
    s = spans(date(2026, 8, 20))
    assert s["report_this_month"] == (date(2026, 7, 15), date(2026, 8, 14))
    assert s["report_last_month"] == (date(2026, 6, 15), date(2026, 7, 14))
    assert s["report_this_quarter"] == (date(2026, 6, 15), date(2026, 9, 14))
    assert s["report_last_quarter"] == (date(2026, 3, 15), date(2026, 6, 14))
    assert s["report_first_half"] == (date(2025, 12, 15), date(2026, 6, 14))
    assert s["report_nine_months"] == (date(2025, 12, 15), date(2026, 9, 14))
    assert s["report_year"] == (date(2025, 12, 15), date(2026, 12, 14))


def test_january_reaches_into_the_previous_year():
    s = spans(date(2026, 1, 5))
    assert s["last_month"] == (date(2025, 12, 1), date(2025, 12, 31))
    assert s["last_quarter"] == (date(2025, 10, 1), date(2025, 12, 31))
    assert s["report_this_month"] == (date(2025, 12, 15), date(2026, 1, 14))
    assert s["report_last_month"] == (date(2025, 11, 15), date(2025, 12, 14))
    assert s["report_this_quarter"] == (date(2025, 12, 15), date(2026, 3, 14))
    assert s["report_last_quarter"] == (date(2025, 9, 15), date(2025, 12, 14))


def test_february_in_a_leap_year():
    s = spans(date(2024, 2, 29))
    assert s["this_month"] == (date(2024, 2, 1), date(2024, 2, 29))
    assert s["report_this_month"] == (date(2024, 1, 15), date(2024, 2, 14))
    assert s["report_last_month"] == (date(2023, 12, 15), date(2024, 1, 14))
    s = spans(date(2024, 3, 31))
    assert s["last_month"] == (date(2024, 2, 1), date(2024, 2, 29))
    assert s["report_this_month"] == (date(2024, 2, 15), date(2024, 3, 14))
    assert spans(date(2023, 3, 1))["last_month"] == (date(2023, 2, 1), date(2023, 2, 28))


def test_report_periods_in_december_and_q4():
    s = spans(date(2025, 12, 31))
    assert s["report_this_month"] == (date(2025, 11, 15), date(2025, 12, 14))
    assert s["report_this_quarter"] == (date(2025, 9, 15), date(2025, 12, 14))
    assert s["report_last_quarter"] == (date(2025, 6, 15), date(2025, 9, 14))
    assert s["report_year"] == (date(2024, 12, 15), date(2025, 12, 14))


def test_every_preset_is_a_valid_range_for_every_day_of_a_leap_year():
    day = date(2024, 1, 1)
    while day.year == 2024:
        for preset in presets(day):
            assert preset.date_from <= preset.date_to, (day, preset)
            assert preset.group in ("calendar", "report")
        day += timedelta(days=1)


def test_preset_keys_and_lookup():
    assert PRESET_KEYS[:2] == ("this_month", "last_month")
    assert len(PRESET_KEYS) == 15 and len(set(PRESET_KEYS)) == 15
    p = preset_by_key("report_last_quarter", date(2026, 5, 2))
    assert (p.date_from, p.date_to) == (date(2025, 12, 15), date(2026, 3, 14))
    assert p.label() == "Kỳ báo cáo quý trước"
    assert p.label("en") == "Reporting period: last quarter"
    with pytest.raises(KeyError):
        preset_by_key("next_decade", date(2026, 5, 2))


def test_match_preset():
    today = date(2026, 5, 2)
    assert match_preset(date(2026, 4, 1), date(2026, 6, 30), today) == "this_quarter"
    assert match_preset(date(2026, 4, 15), date(2026, 5, 14), today) == "report_this_month"
    assert match_preset(date(2026, 4, 2), date(2026, 6, 30), today) is None


def test_previous_period_of_whole_months_is_whole_months():
    assert previous_period(date(2026, 7, 1), date(2026, 9, 30)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert previous_period(date(2026, 1, 1), date(2026, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 31))
    assert previous_period(date(2024, 3, 1), date(2024, 3, 31)) == (date(2024, 2, 1), date(2024, 2, 29))


def test_previous_period_of_reporting_months():
    assert previous_period(date(2025, 12, 15), date(2026, 3, 14)) == (date(2025, 9, 15), date(2025, 12, 14))
    assert previous_period(date(2026, 2, 15), date(2026, 3, 14)) == (date(2026, 1, 15), date(2026, 2, 14))


def test_previous_period_of_other_ranges_counts_days():
    assert previous_period(date(2026, 3, 10), date(2026, 3, 19)) == (date(2026, 2, 28), date(2026, 3, 9))
    assert previous_period(date(2026, 1, 1), date(2026, 1, 1)) == (date(2025, 12, 31), date(2025, 12, 31))
    assert previous_period(date(2024, 3, 1), date(2024, 3, 10)) == (date(2024, 2, 20), date(2024, 2, 29))


def test_same_period_last_year():
    assert same_period_last_year(date(2026, 7, 1), date(2026, 9, 30)) == (date(2025, 7, 1), date(2025, 9, 30))
    assert same_period_last_year(date(2024, 2, 29), date(2024, 3, 10)) == (date(2023, 2, 28), date(2023, 3, 10))
    assert same_period_last_year(date(2024, 2, 1), date(2024, 2, 29)) == (date(2023, 2, 1), date(2023, 2, 28))
    # a whole month keeps being a whole month
    assert same_period_last_year(date(2025, 2, 1), date(2025, 2, 28)) == (date(2024, 2, 1), date(2024, 2, 29))
    assert same_period_last_year(date(2025, 12, 15), date(2026, 3, 14)) == (date(2024, 12, 15), date(2025, 3, 14))


def test_quarter_and_month_labels():
    assert quarter_label(date(2026, 8, 1)) == "Quý III/2026"
    assert quarter_label(date(2026, 8, 1), "en") == "Q3 2026"
    assert quarter_label(date(2027, 1, 1)) == "Quý I/2027"
    assert quarter_label(date(2026, 12, 31)) == "Quý IV/2026"
    assert month_label(date(2026, 7, 1)) == "Tháng 07/2026"
    assert month_label(date(2026, 7, 1), "en") == "Jul 2026"
