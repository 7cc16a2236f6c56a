import datetime as dt
import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analytics.locale import fmt


def test_number_vietnamese_and_english():
    assert fmt.number(1234567) == "1.234.567"
    assert fmt.number(1234567, "en") == "1,234,567"
    assert fmt.number(1234.5, decimals=1) == "1.234,5"
    assert fmt.number(1234.5, "en", decimals=1) == "1,234.5"
    assert fmt.number(0) == "0"
    assert fmt.number(-1234) == "-1.234"
    assert fmt.number(999.96, decimals=1) == "1.000,0"


def test_missing_values_show_a_dash():
    for missing in (None, float("nan"), pd.NA, pd.NaT):
        assert fmt.number(missing) == "–"
        assert fmt.percent(missing) == "–"
        assert fmt.points(missing) == "–"
        assert fmt.signed_number(missing) == "–"
        assert fmt.date(missing) == "–"
        assert fmt.datetime(missing) == "–"


def test_percent():
    assert fmt.percent(0.9763) == "97,6%"
    assert fmt.percent(0.9763, "en") == "97.6%"
    assert fmt.percent(1) == "100,0%"
    assert fmt.percent(0.5, decimals=0) == "50%"
    assert fmt.percent(0.123456, decimals=2) == "12,35%"


def test_points_take_a_difference_of_fractions():
    assert fmt.points(0.012) == "+1,2 điểm"
    assert fmt.points(0.012, "en") == "+1.2 pts"
    assert fmt.points(-0.0345) == "-3,5 điểm"
    assert fmt.points(0.0) == "0,0 điểm"
    assert fmt.points(-0.0001) == "0,0 điểm"  # rounds to zero: no sign, no "-0,0"


def test_signed_number():
    assert fmt.signed_number(1234) == "+1.234"
    assert fmt.signed_number(-12) == "-12"
    assert fmt.signed_number(0) == "0"
    assert fmt.signed_number(2.5, "en", decimals=1) == "+2.5"
    assert fmt.signed_number(0.04, decimals=1) == "0,0"


def test_dates_are_day_first_in_both_languages():
    d = dt.date(2026, 11, 26)
    assert fmt.date(d) == "26/11/2026"
    assert fmt.date(d, "en") == "26/11/2026"
    assert fmt.date(dt.datetime(2026, 3, 4, 17, 30)) == "04/03/2026"
    assert fmt.date(pd.Timestamp("2026-03-04 10:00")) == "04/03/2026"
    assert fmt.date("2026-03-04") == "04/03/2026"


def test_datetime():
    assert fmt.datetime(dt.datetime(2026, 11, 26, 8, 5)) == "26/11/2026 08:05"
    assert fmt.datetime(pd.Timestamp("2026-11-26 17:45:59")) == "26/11/2026 17:45"
    assert fmt.datetime(dt.date(2026, 11, 26)) == "26/11/2026"
    assert fmt.datetime("2026-11-26 08:05:00") == "26/11/2026 08:05"


def test_period():
    assert fmt.period(dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == "01/07/2026 – 30/09/2026"
    assert fmt.period(dt.date(2026, 7, 1), None) == "01/07/2026 – –"


def _parse_vi(text):
    return float(text.replace(".", "").replace(",", "."))


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_vi_integers_round_trip_and_group_by_three(n):
    text = fmt.number(n)
    assert _parse_vi(text) == n
    digits = text.lstrip("-").split(".")
    assert all(len(g) == 3 for g in digits[1:]) and 1 <= len(digits[0]) <= 3


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3))
def test_vi_is_en_with_separators_swapped(x, decimals):
    vi, en = fmt.number(x, "vi", decimals), fmt.number(x, "en", decimals)
    assert vi == en.translate(str.maketrans({",": ".", ".": ","}))
    assert math.isclose(_parse_vi(vi), round(x, decimals), abs_tol=10**-decimals)
    assert vi.count(",") == (1 if decimals else 0)


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_points_sign_matches_the_rounded_change(delta):
    text = fmt.points(delta)
    shown = _parse_vi(text.split()[0].lstrip("+"))
    assert text.endswith(" điểm")
    assert text.startswith("+") == (shown > 0)
    assert text.startswith("-") == (shown < 0)
