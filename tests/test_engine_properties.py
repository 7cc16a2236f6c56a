"""Identities that must hold for any data and any period."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.store.database import refresh_derived, schema_sql
from tests.conftest import fill

BASE = date(2026, 1, 1)
AGENCIES = ["UBND xã A", "UBND xã Bình", "Phòng Tư pháp"]

dossier = st.tuples(
    st.integers(0, 90),                 # received offset
    st.one_of(st.none(), st.integers(0, 25)),  # due after received (days); none: no due date
    st.one_of(st.none(), st.integers(0, 40)),  # finished after received (days)
    st.sampled_from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    st.sampled_from(["online", "direct", "postal", None]),  # None: the file had no channel
    st.sampled_from(AGENCIES),
    st.sampled_from(["Hộ tịch", "Chứng thực", "Đất đai"]),
)


def _at(offset: int, hour: int) -> datetime:
    return datetime.combine(BASE + timedelta(days=offset), datetime.min.time()) + timedelta(hours=hour)


# A dossier's steps: (due, finished) in days after the dossier was received,
# the agency, the handler.
steps_of_dossier = st.lists(st.tuples(
    st.integers(0, 25),
    st.one_of(st.none(), st.integers(0, 40)),
    st.sampled_from(AGENCIES),
    st.sampled_from(["Nguyễn Văn An", "Trần Thị Bình"]),
), max_size=3)
STAGES = ("Tiếp nhận", "Thẩm định", "Trả kết quả")


def _engine(rows, steps=()) -> Engine:
    con = duckdb.connect()
    con.execute(schema_sql())
    dossiers = []
    for i, (rec, due, fin, status, channel, agency, field) in enumerate(rows):
        finished = _at(rec + fin, 15) if fin is not None else None
        due_at = _at(rec + due, 17) if due is not None else None
        dossiers.append((f"H{i}", "P", field, agency, channel, _at(rec, 8), due_at, finished, status))
    step_rows = [
        (f"H{i}", no, STAGES[no - 1], handler, agency, _at(rows[i][0], 8), _at(rows[i][0] + due, 17),
         _at(rows[i][0] + fin, 15) if fin is not None else None)
        for i, of_dossier in enumerate(steps)
        for no, (due, fin, agency, handler) in enumerate(of_dossier, start=1)
    ]
    fill(con, agencies=[(a, "Xã" if "xã" in a else "Huyện", None) for a in AGENCIES], dossiers=dossiers,
         steps=step_rows)
    refresh_derived(con)
    return Engine(con)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(dossier, max_size=40), st.integers(0, 100), st.integers(0, 60))
def test_identities_hold(rows, start, length):
    engine = _engine(rows)
    f = Filters(BASE + timedelta(days=start), BASE + timedelta(days=start + length))
    t = engine.totals(f)
    assert t["received_total"] == t["carried_over"] + t["received_new"]
    assert t["received_total"] == t["resolved"] + t["pending"]
    assert t["resolved"] == t["early"] + t["on_time"] + t["late"]
    assert t["pending"] == t["pending_within"] + t["pending_overdue"]
    assert t["received_new"] == t["online"] + t["direct_postal"] + t["channel_unknown"]
    known = t["online"] + t["direct_postal"]
    assert t["online_share"] == (t["online"] / known if known else None)
    assert t["no_due_date"] <= t["received_total"]
    for rate in ("on_time_rate", "online_share", "progress_766"):
        assert t[rate] is None or 0.0 <= t[rate] <= 1.0

    # The breakdowns add up to the totals, and so does Biểu 06's total row.
    for rows_by in (engine.by_agency(f), engine.by_field(f)):
        for key in ("resolved", "late", "received_total", "pending"):
            assert sum(r[key] for r in rows_by) == t[key]
    total_row = engine.report06(f)[-1]
    assert total_row["row_kind"] == "total"
    for key in ("received_total", "online", "carried_over", "resolved", "late", "pending_overdue"):
        assert total_row[key] == t[key]

    assert engine.overview(f) == (t, engine.by_agency(f), engine.by_field(f))

    # Monthly trend buckets add up to the period's new and resolved counts.
    trend = engine.trend(f)
    assert sum(r["received_new"] for r in trend) == t["received_new"]
    assert sum(r["resolved"] for r in trend) == t["resolved"]

    # The late list holds exactly the late and the pending-overdue dossiers,
    # never one without a due date.
    late_list = engine.late_dossiers(f)
    assert len(late_list) == t["late"] + t["pending_overdue"]
    assert all(r["due_at"] is not None for r in late_list)
    for rows_by in (engine.by_agency(f), engine.by_field(f)):
        for key in ("channel_unknown", "no_due_date", "due_computed", "rescheduled"):
            assert sum(r[key] for r in rows_by) == t[key]
        for r in rows_by:
            assert r["received_new"] >= r["online"] + r["channel_unknown"]


@settings(max_examples=30, deadline=None)
@given(st.lists(dossier, min_size=1, max_size=30), st.integers(0, 100), st.integers(0, 60))
def test_scope_never_leaks(rows, start, length):
    engine = _engine(rows)
    scope = frozenset({AGENCIES[0]})
    f = Filters(BASE + timedelta(days=start), BASE + timedelta(days=start + length), scope=scope)
    assert {r["agency"] for r in engine.by_agency(f)} <= scope
    assert {r["agency"] for r in engine.late_dossiers(f)} <= scope
    only = engine.totals(Filters(f.date_from, f.date_to, agency=AGENCIES[0]))
    assert engine.totals(f) == only


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(dossier, steps_of_dossier), max_size=25), st.integers(0, 100), st.integers(0, 60))
def test_late_lists_hold_every_late_step(pairs, start, length):
    """The late lists read only the facts late or open (facts.sql); they must
    still show every late step the step counts count, and name the first one."""
    rows, steps = [p[0] for p in pairs], [p[1] for p in pairs]
    engine = _engine(rows, steps)
    f = Filters(BASE + timedelta(days=start), BASE + timedelta(days=start + length))
    as_of = engine.as_of(f)
    late = sum(r["late"] for r in engine.by_stage(f))
    assert len(engine.late_steps(f)) == late == sum(r["late"] for r in engine.by_handler(f))

    first_late: dict[str, str | None] = {}
    for i, of_dossier in enumerate(steps):
        rec = rows[i][0]
        first_late[f"H{i}"] = next(
            (STAGES[no - 1] for no, (due, fin, _, _) in enumerate(of_dossier, start=1)
             if (fin is not None and fin > due) or (fin is None and BASE + timedelta(days=rec + due) < as_of)),
            None)
    listed = engine.late_dossiers(f)
    assert len(listed) == engine.totals(f)["late"] + engine.totals(f)["pending_overdue"]
    assert {r["code"]: r["late_stage"] for r in listed} == {r["code"]: first_late[r["code"]] for r in listed}
