import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.locale.workdays import (
    CalendarError,
    CalendarOverrides,
    WorkCalendar,
    add_working_days,
    calendar_with,
    default_calendar,
    holiday_name,
    is_working_day,
    load_overrides,
    parse_overrides,
    working_days_between,
)

D = date.fromisoformat


def test_tet_2026_week_is_off_and_next_working_day_is_monday_23():
    # Tết Bính Ngọ: 17/02/2026 (Tuesday). Days off Mon 16 – Fri 20, weekends around.
    for day in ("2026-02-14", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18",
                "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22"):
        assert not is_working_day(D(day)), day
    assert is_working_day(D("2026-02-13"))
    assert is_working_day(D("2026-02-23"))
    assert holiday_name(D("2026-02-17")) == "Tết Nguyên Đán"
    assert add_working_days(D("2026-02-13"), 1) == D("2026-02-23")
    assert add_working_days(D("2026-02-12"), 2) == D("2026-02-23")
    assert add_working_days(D("2026-02-23"), -1) == D("2026-02-13")
    assert working_days_between(D("2026-02-13"), D("2026-02-23")) == 1
    assert working_days_between(D("2026-02-10"), D("2026-02-25")) == 6  # 11,12,13,23,24,25


def test_tet_2025_week():
    # Tết Ất Tỵ 29/01/2025: Mon 27 – Fri 31 off.
    assert [is_working_day(D("2025-01-24")), is_working_day(D("2025-01-27")),
            is_working_day(D("2025-01-31")), is_working_day(D("2025-02-03"))] == [True, False, False, True]
    assert add_working_days(D("2025-01-24"), 1) == D("2025-02-03")


def test_30_4_and_1_5_in_2025_with_make_up_saturday():
    # 30/4 Wed and 1/5 Thu are holidays, Fri 2/5 given off, Saturday 26/4 worked.
    assert is_working_day(D("2025-04-26"))          # make-up Saturday
    assert not is_working_day(D("2025-04-27"))      # Sunday
    assert is_working_day(D("2025-04-29"))
    assert not is_working_day(D("2025-04-30"))
    assert not is_working_day(D("2025-05-01"))
    assert not is_working_day(D("2025-05-02"))
    assert is_working_day(D("2025-05-05"))
    assert add_working_days(D("2025-04-25"), 1) == D("2025-04-26")
    assert add_working_days(D("2025-04-29"), 1) == D("2025-05-05")
    assert working_days_between(D("2025-04-25"), D("2025-05-05")) == 4  # 26, 28, 29, 5/5


def test_without_overrides_the_make_up_saturday_is_a_weekend():
    bare = WorkCalendar()
    assert not bare.is_working_day(D("2025-04-26"))
    assert add_working_days(D("2025-04-25"), 1, bare) == D("2025-04-28")
    # The library already knows the day off 2/5/2025.
    assert not bare.is_working_day(D("2025-05-02"))


def test_30_4_and_1_5_in_2026_and_hung_kings_observed():
    # Giỗ Tổ 26/4/2026 is a Sunday, observed Monday 27/4; 30/4 Thu, 1/5 Fri.
    assert not is_working_day(D("2026-04-27"))
    assert is_working_day(D("2026-04-28"))
    assert is_working_day(D("2026-04-29"))
    assert add_working_days(D("2026-04-29"), 1) == D("2026-05-04")
    assert add_working_days(D("2026-04-24"), 1) == D("2026-04-28")
    assert working_days_between(D("2026-04-24"), D("2026-05-04")) == 3  # 28, 29, 4/5


def test_zero_and_negative_counts():
    sunday = D("2026-03-08")
    assert add_working_days(sunday, 0) == sunday
    assert working_days_between(D("2026-03-10"), D("2026-03-10")) == 0
    assert working_days_between(D("2026-03-13"), D("2026-03-09")) == -4  # (9, 13] = 10,11,12,13
    assert working_days_between(D("2026-03-13"), D("2026-03-14")) == 0  # Saturday
    assert default_calendar().next_working_day(D("2026-03-14")) == D("2026-03-16")
    assert default_calendar().next_working_day(D("2026-03-16")) == D("2026-03-16")


def test_office_overrides_add_a_day_off_and_a_working_saturday():
    cal = calendar_with({"days_off": ["2026-03-13"], "working_days": [{"date": "2026-03-21", "note": "Làm bù"}]})
    assert not cal.is_working_day(D("2026-03-13"))
    assert cal.is_working_day(D("2026-03-21"))
    assert cal.is_holiday(D("2026-03-13"))
    assert cal.add_working_days(D("2026-03-12"), 1) == D("2026-03-16")
    assert cal.add_working_days(D("2026-03-20"), 1) == D("2026-03-21")
    # The shipped overrides still apply.
    assert cal.is_working_day(D("2025-04-26"))


def test_office_override_can_cancel_a_shipped_one():
    cal = calendar_with({"days_off": ["2025-04-26"]})
    assert not cal.is_working_day(D("2025-04-26"))


def test_days_off_in_year_lists_holidays_and_make_up_days():
    rows = dict(default_calendar().days_off_in(2025))
    assert rows[D("2025-04-30")] == "Ngày Chiến thắng"
    assert rows[D("2025-04-26")].startswith("Ngày làm bù")
    assert D("2025-05-02") in rows


@pytest.mark.parametrize(
    "data, message",
    [
        ({"days_off": ["2026-02-30"]}, "Ngày không hợp lệ"),
        ({"holidays": []}, "Khóa không hợp lệ"),
        ({"days_off": "2026-01-02"}, "phải là một danh sách"),
        ({"days_off": ["2026-01-02"], "working_days": ["2026-01-02"]}, "vừa là ngày nghỉ"),
    ],
)
def test_bad_overrides_are_refused_with_a_message(data, message):
    with pytest.raises(CalendarError, match=message):
        parse_overrides(data)


def test_load_overrides_file(tmp_path):
    path = tmp_path / "cal.json"
    path.write_text(json.dumps({"_comment": "x", "working_days": [{"date": "2030-01-05", "note": "n"}]}))
    overrides = load_overrides(path)
    assert overrides.working_days == frozenset({D("2030-01-05")})
    assert overrides.notes[D("2030-01-05")] == "n"
    assert load_overrides(tmp_path / "missing.json") == CalendarOverrides()
    path.write_text("{not json")
    with pytest.raises(CalendarError, match="không phải JSON"):
        load_overrides(path)
    assert parse_overrides(overrides.to_json()) == overrides


def test_shipped_overrides_file_is_valid():
    overrides = load_overrides()
    assert D("2025-04-26") in overrides.working_days
    assert all(d.weekday() == 5 for d in overrides.working_days)
    assert all(d.weekday() < 5 for d in overrides.days_off)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D("2024-01-01"), max_value=D("2027-12-31")), st.integers(min_value=0, max_value=40))
def test_add_and_between_are_inverse(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n > 0:
        assert is_working_day(end)
        # No working day is skipped: the day before `end` is still n-1 away.
        assert working_days_between(start, end - timedelta(days=1)) == n - 1
