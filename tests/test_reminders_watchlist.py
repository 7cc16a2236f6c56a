from datetime import date

import pytest

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.reminders.contacts import ContactBook
from analytics.reminders.watchlist import (
    HELD_ELSEWHERE,
    OTHER_AGENCY,
    agency_summary,
    build_watchlist,
    handler_summary,
    near_due_cutoff,
    watchlist_records,
)
from tests.test_reminders_data import (  # noqa: F401 - pytest fixtures, requested by name
    AN,
    AS_OF,
    BINH,
    CUONG,
    DATA_DATE,
    DUNG,
    EM,
    GIANG,
    HOA,
    HUY,
    TNMT,
    A,
    B,
    build_db,
    office,
    office_template,
)


def codes(watchlist):
    return [i.code for i in watchlist.items]


def test_near_due_and_overdue_as_of_the_day_before_30_4(office):
    store, _, _ = office
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=1)
    assert wl.cutoff == date(2026, 5, 4)  # 30/4, 1/5 holidays, 2–3/5 weekend
    assert wl.data_date == DATA_DATE
    overdue = [i.code for i in wl.items if i.overdue]
    near = [i.code for i in wl.items if not i.overdue]
    # Ordered: overdue by due date, then near due by due date.
    assert overdue == ["H13", "H10", "H12", "H01", "H05"]
    assert near == ["H04", "H09", "H02", "H11"]
    assert (wl.overdue, wl.near_due) == (5, 4)


def test_item_details(office):
    store, _, _ = office
    items = {i.code: i for i in build_watchlist(store, as_of=AS_OF).items}
    h01 = items["H01"]
    assert (h01.handler, h01.agency, h01.deadline_kind, h01.due_date, h01.days_late) == (
        AN, A, "step", date(2026, 4, 24), 5)
    assert h01.procedure_name == "Đăng ký khai sinh"
    h13 = items["H13"]
    assert (h13.deadline_kind, h13.due_date, h13.days_late) == ("dossier", date(2026, 4, 1), 28)
    assert items["H02"].days_left == 1
    assert items["H04"].days_left == 0 and items["H04"].due_date == AS_OF
    h05 = items["H05"]
    assert (h05.handler, h05.agency, h05.dossier_agency, h05.inter_agency) == (DUNG, TNMT, A, True)
    assert items["H10"].handler is None and items["H10"].step_no is None
    # Em's step 1 of H11 is open in the export, but step 2 has started: An holds it.
    assert items["H11"].handler == AN and items["H11"].step_no == 2


def test_zero_days_means_due_today_only(office):
    store, _, _ = office
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=0)
    assert wl.cutoff == AS_OF
    assert [i.code for i in wl.items if not i.overdue] == ["H04"]


def test_two_working_days_reach_tuesday(office):
    store, _, _ = office
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=2)
    assert wl.cutoff == date(2026, 5, 5)
    assert "H03" in [i.code for i in wl.items if not i.overdue]


def test_finished_waiting_refused_and_new_dossiers_are_never_listed(office):
    store, _, _ = office
    listed = set(codes(build_watchlist(store, as_of=AS_OF, near_due_days=5)))
    assert not listed & {"H06", "H07", "H08", "H14"}


def test_a_dossier_finished_after_the_import_stays_listed_until_the_next_import(tmp_path):
    # The database is the only truth: the digest says its date instead.
    store = build_db(tmp_path / "a.duckdb")
    assert "H01" in codes(build_watchlist(store, as_of=AS_OF))
    with store.write() as con:
        con.execute("update dossiers set finished_at = timestamp '2026-04-29 08:00', status = 9 where code = 'H01'")
    wl = build_watchlist(store, as_of=AS_OF)
    assert "H01" not in codes(wl)
    assert wl.data_date == date(2026, 4, 29)


def test_scope_is_applied_in_sql_on_holding_or_receiving_agency(office):
    store, _, _ = office
    assert codes(build_watchlist(store, as_of=AS_OF, scope={B})) == ["H10", "H09"]
    assert codes(build_watchlist(store, as_of=AS_OF, scope={TNMT})) == ["H05"]
    assert set(codes(build_watchlist(store, as_of=AS_OF, scope={A}))) == {
        "H13", "H12", "H01", "H05", "H04", "H02", "H11"}
    assert codes(build_watchlist(store, as_of=AS_OF, scope=set())) == []


def test_a_step_held_outside_the_scope_shows_no_holder_and_no_handler(office):
    # H05 is received by A and held by TNMT (Dung). TNMT sees its step whole;
    # A sees its dossier as held by another agency, never TNMT nor Dung.
    store, _, _ = office
    tnmt = build_watchlist(store, as_of=AS_OF, scope={TNMT}).items
    assert [(i.handler, i.agency, i.step_name, i.held_elsewhere) for i in tnmt] == [
        (DUNG, TNMT, "Thẩm định", False)]
    own = build_watchlist(store, as_of=AS_OF, scope={A})
    h05 = [i for i in own.items if i.code == "H05"]
    assert [(i.handler, i.agency, i.dossier_agency, i.step_no, i.step_name, i.step_due, i.held_elsewhere)
            for i in h05] == [(None, OTHER_AGENCY, A, None, None, None, True)]
    assert (h05[0].due_date, h05[0].deadline_kind, h05[0].state) == (date(2026, 4, 28), "dossier", "overdue")
    shown = {str(v) for r in watchlist_records(own) for v in r.values()} \
        | {str(v) for r in handler_summary(own) + agency_summary(own) for v in r.values()}
    assert not {TNMT, DUNG} & shown
    assert [r["handler_label"] for r in watchlist_records(own) if r["code"] == "H05"] == [HELD_ELSEWHERE]
    assert any(r["handler"] == HELD_ELSEWHERE and r["agency"] == OTHER_AGENCY for r in handler_summary(own))
    # Whole jurisdiction (the schedule, admins): unchanged.
    every = [i for i in build_watchlist(store, as_of=AS_OF).items if i.code == "H05"]
    assert [(i.handler, i.agency, i.held_elsewhere) for i in every] == [(DUNG, TNMT, False)]


def test_no_scope_ever_sees_another_agencys_holder_or_handler(office):
    store, _, _ = office
    everything = build_watchlist(store, as_of=AS_OF).items
    agencies = {i.agency for i in everything} | {i.dossier_agency for i in everything}
    for agency in agencies:
        items = build_watchlist(store, as_of=AS_OF, scope={agency}).items
        own = {i.handler for i in everything if i.agency == agency}
        for item in items:
            assert item.agency == agency or (item.held_elsewhere and item.agency == OTHER_AGENCY), item
            assert item.handler is None or item.handler in own, item


def test_inter_agency_and_agency_filters(office):
    store, _, _ = office
    assert codes(build_watchlist(store, as_of=AS_OF, inter_agency=True)) == ["H05"]
    assert "H05" not in codes(build_watchlist(store, as_of=AS_OF, inter_agency=False))
    assert codes(build_watchlist(store, as_of=AS_OF, agency=TNMT)) == ["H05"]
    wl = build_watchlist(store, as_of=AS_OF)
    assert codes(wl.filter(inter_agency=True)) == ["H05"]
    assert codes(wl.filter(agencies=[B])) == ["H10", "H09"]
    assert codes(wl.filter(handler="nguyen van an")) == ["H13", "H01", "H11"]


def test_grouped_by_handler_with_totals_and_codes(office):
    store, _, _ = office
    rows = handler_summary(build_watchlist(store, as_of=AS_OF))
    by = {(r["handler"], r["agency"]): r for r in rows}
    assert by[(AN, A)] == {"handler": AN, "agency": A, "overdue": 2, "near_due": 1, "total": 3,
                           "codes": "H13, H01, H11"}
    assert by[(BINH, A)]["codes"] == "H04, H02" and by[(BINH, A)]["near_due"] == 2
    assert by[("Chưa có người xử lý", B)]["codes"] == "H10"
    assert by[(EM, A)]["overdue"] == 1
    assert rows[0]["handler"] == AN  # most overdue first


def test_grouped_by_agency_with_leaders(office):
    store, ops, _ = office
    wl = build_watchlist(store, as_of=AS_OF)
    rows = agency_summary(wl, ContactBook.load(ops).leader_names())
    by = {r["agency"]: r for r in rows}
    # By holding agency: H05 is held by TNMT.
    assert by[A] == {"agency": A, "leaders": HOA, "overdue": 3, "near_due": 3, "total": 6, "handlers": 3,
                     "codes": "H13, H12, H01, H04, H02, H11"}
    assert by[B]["leaders"] == GIANG and by[B]["codes"] == "H10, H09"
    assert by[TNMT]["leaders"] == HUY and by[TNMT]["codes"] == "H05"
    groups = {g.agency: g for g in wl.by_agency()}
    assert [h.label for h in groups[B].handlers] == ["Chưa có người xử lý", CUONG]


def test_records_for_the_page(office):
    store, _, _ = office
    records = watchlist_records(build_watchlist(store, as_of=AS_OF))
    assert records[0]["code"] == "H13" and records[0]["state_label"] == "Quá hạn"
    assert {r["handler_label"] for r in records if r["handler"] is None} == {"Chưa có người xử lý"}


def test_tet_2026_near_due_spans_the_holiday_week(tmp_path):
    dossiers = [
        ("T1", "P1", A, "2026-02-05 08:00", "2026-02-13 17:00", None, 4, False),  # due today
        ("T2", "P1", A, "2026-02-05 08:00", "2026-02-18 17:00", None, 4, False),  # in Tết
        ("T3", "P1", A, "2026-02-05 08:00", "2026-02-23 17:00", None, 4, False),  # first day back
        ("T4", "P1", A, "2026-02-05 08:00", "2026-02-24 17:00", None, 4, False),  # two working days
        ("T5", "P1", A, "2026-02-05 08:00", "2026-02-12 17:00", None, 4, False),  # overdue
    ]
    steps = [(c, 1, "Thẩm định", AN, A, "2026-02-05 08:00", due, None) for c, _, _, _, due, *_ in dossiers]
    store = build_db(tmp_path / "tet.duckdb", dossiers, steps)
    wl = build_watchlist(store, as_of=date(2026, 2, 13), near_due_days=1)
    assert wl.cutoff == date(2026, 2, 23)
    assert [(i.code, i.state, i.days_left, i.days_late) for i in wl.items] == [
        ("T5", "overdue", 0, 1),
        ("T1", "near_due", 0, 0),
        ("T2", "near_due", 0, 0),
        ("T3", "near_due", 1, 0),
    ]
    # N = 0 on the Friday before Tết: only what is due that day.
    assert [i.code for i in build_watchlist(store, as_of=date(2026, 2, 13), near_due_days=0).items] == ["T5", "T1"]


def test_negative_days_refused():
    with pytest.raises(ValueError):
        near_due_cutoff(AS_OF, -1)


def test_dossiers_with_no_due_date_are_never_overdue_but_their_steps_bind(tmp_path):
    """A real export may give no due date (docs/INDICATORS.md): such a dossier
    is not listed on its own, and a dated step of it still binds."""
    from analytics.store.database import AnalyticsStore

    store = AnalyticsStore(tmp_path / "nodue.duckdb")
    with store.write() as con:
        con.execute("insert into agencies (name, level, parent) values (?, 'Xã', null)", [A])
        con.execute("insert into procedures (code, name, field) values ('P1', 'Đăng ký khai sinh', 'Hộ tịch')")
        for code in ("N1", "N2"):
            con.execute(
                "insert into dossiers (code, procedure_code, agency, channel, received_at, due_at, status)"
                " values (?, 'P1', ?, null, timestamp '2026-04-01 08:00', null, 4)", [code, A])
        # N2's current step is overdue by its own date.
        con.execute(
            "insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at)"
            " values ('N2', 1, 'Thẩm định', ?, ?, timestamp '2026-04-01 08:00', timestamp '2026-04-20 17:00')",
            [AN, A])
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=3)
    assert codes(wl) == ["N2"]
    (item,) = wl.items
    assert (item.deadline_kind, item.due_date, item.dossier_due, item.overdue) == (
        "step", date(2026, 4, 20), None, True)


def test_overdue_splits_into_the_overviews_count_and_steps_past_their_deadline(office):
    """On 25/04 (hand count): H13 (due 01/04), H10 (10/04) and H12 (15/04) are
    past their own due date; H01's dossier is due 27/04 but its step 2 was due
    24/04: overdue here, not in the overview. The overview's "đang giải quyết
    quá hạn" for a period ending 25/04 is the first number."""
    store, _, _ = office
    day = date(2026, 4, 25)
    wl = build_watchlist(store, as_of=day, near_due_days=1)
    assert sorted(i.code for i in wl.items if i.overdue) == ["H01", "H10", "H12", "H13"]
    assert wl.overdue == 4
    assert wl.overdue_split == (3, 1)
    totals = Engine(store.reader()).totals(Filters(date(2026, 1, 1), day))
    assert totals["pending_overdue"] == wl.overdue_split[0] == 3


def test_overdue_split_when_every_dossier_is_past_its_own_date(office):
    store, _, _ = office
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=1)
    # 29/04: H01's dossier (due 27/04) is now overdue too.
    assert wl.overdue_split == (5, 0)
