"""The demo office: determinism, schema, invariants, the trends it must show, the sample export."""

from __future__ import annotations

import csv
import importlib.util
import json
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from analytics.demo import names
from analytics.demo.generator import build_demo, generate_frames, iter_frames, shift_years, year_bounds
from analytics.locale.workdays import default_calendar
from analytics.store.database import schema_sql

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
AS_OF = date(2026, 3, 31)          # a Tuesday
SMALL = dict(years=2, dossiers_per_year=3000)
# Year k of the small run covers (BOUNDS[k], BOUNDS[k + 1]].
BOUNDS = [date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)]
OPEN = {2, 4, 5, 6}
TABLES = ("agencies", "procedures", "dossiers", "steps")
CITIZEN_HEADERS = ("Chủ hồ sơ", "Số CCCD", "Địa chỉ", "Số điện thoại", "Email")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate_frames(AS_OF, **SMALL)


@pytest.fixture(scope="module")
def counted(frames) -> pd.DataFrame:
    """Dossiers that count (status 1 and 3 aside), with received/finished year index."""
    d = frames["dossiers"]
    d = d[~d["status"].isin([1, 3])].copy()
    d["received_year"] = _year_index(d["received_at"])
    d["finished_year"] = _year_index(d["finished_at"])
    return d


def _year_index(ts: pd.Series) -> pd.Series:
    day = ts.dt.normalize()
    out = pd.Series(np.nan, index=ts.index)
    for k in range(len(BOUNDS) - 1):
        out[(day > pd.Timestamp(BOUNDS[k])) & (day <= pd.Timestamp(BOUNDS[k + 1]))] = k
    return out


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- determinism and shape -------------------------------------------------------------
def test_same_seed_gives_the_same_frames_and_another_seed_does_not(frames):
    again = generate_frames(AS_OF, **SMALL)
    for table in TABLES:
        assert frames[table].equals(again[table]), table
    other = generate_frames(AS_OF, seed=7, **SMALL)
    assert not frames["dossiers"]["code"].equals(other["dossiers"]["code"])


def test_year_bounds_step_back_whole_years_and_29_february_falls_back():
    assert year_bounds(AS_OF, 2) == BOUNDS
    assert shift_years(date(2024, 2, 29), -1) == date(2023, 2, 28)


def test_frames_have_exactly_the_schema_columns_and_insert_into_it(frames):
    con = duckdb.connect()
    con.execute(schema_sql())
    for table in TABLES:
        columns = [r[0] for r in con.execute(
            "select name from pragma_table_info($t) order by cid", {"t": table}).fetchall()]
        # import_id and the agencies' unit_id are given by the store at the write.
        columns = [c for c in columns if c not in ("import_id", "unit_id")]
        assert list(frames[table].columns) == columns, table
        con.register("frame", frames[table])
        # Positional insert: the column order matches the table's, not only the names.
        con.execute(f"insert into {table} ({', '.join(columns)}) select * from frame")
        con.unregister("frame")
        assert con.execute(f"select count(*) from {table}").fetchall()[0][0] == len(frames[table])
    con.close()


def test_volume_per_year_and_steps_per_dossier(frames, counted):
    d = frames["dossiers"]
    assert len(d) == 6000
    assert _year_index(d["received_at"]).value_counts().sort_index().tolist() == [3000, 3000]
    steps_per = frames["steps"].groupby("dossier_code").size()
    finished = d.loc[d["status"].isin([9, 10]), "code"]
    assert steps_per.reindex(finished).between(3, 5).all()
    assert set(steps_per.reindex(finished)) == {3, 4, 5}


def test_fixed_steps_per_dossier_for_the_benchmark():
    f = generate_frames(AS_OF, years=1, dossiers_per_year=400, steps_per_dossier=4)
    d = f["dossiers"]
    per = f["steps"].groupby("dossier_code").size()
    assert (per.reindex(d.loc[d["status"].isin([9, 10]), "code"]) == 4).all()
    with pytest.raises(ValueError):
        generate_frames(AS_OF, years=1, dossiers_per_year=10, steps_per_dossier=6)


def test_chunks_concatenate_to_unique_codes_and_carry_the_catalogue_once():
    chunks = list(iter_frames(AS_OF, years=2, dossiers_per_year=900, chunk_size=250))
    assert len(chunks) >= 8
    assert "procedures" in chunks[0] and all("procedures" not in c for c in chunks[1:])
    codes = pd.concat([c["dossiers"]["code"] for c in chunks])
    assert len(codes) == 1800 and codes.is_unique
    steps = pd.concat([c["steps"] for c in chunks])
    assert steps["dossier_code"].isin(codes).all()


# -- the office --------------------------------------------------------------------------
def test_a_province_section_in_the_two_tier_structure(frames):
    a = frames["agencies"]
    assert a["name"].is_unique
    past = a[a["valid_to"].notna()]
    today = a[a["valid_to"].isna()]
    assert set(past["valid_to"]) == {date(2025, 6, 30)}
    # Until 30/6/2025: the district, its offices and 20 communes (four of
    # which gave their names to new communes: NAMESAKES, split at the write).
    district = "UBND huyện An Phước"
    assert a.loc[a["name"] == district, "level"].tolist() == ["Huyện"]
    old_communes = [name for name, _ in names.COMMUNES]
    assert len(old_communes) == 20 and set(old_communes) <= set(a.loc[a["level"] == "Xã", "name"])
    assert {"xã", "phường", "thị trấn"} <= set(pd.Series(old_communes).str.extract(r"UBND (xã|phường|thị trấn) ")[0])
    offices = a[(a["level"] == "Huyện") & (a["parent"] == district)]
    assert len(offices) >= 10
    assert {"Phòng Tài nguyên và Môi trường", "Phòng Tư pháp", "Phòng Kinh tế - Hạ tầng",
            "Phòng Lao động - Thương binh và Xã hội", "Phòng Giáo dục và Đào tạo", "Phòng Tài chính - Kế hoạch",
            "Phòng Nội vụ", "Phòng Văn hóa và Thông tin", "Phòng Y tế"} <= set(offices["name"])
    assert offices["name"].str.startswith("Chi nhánh Văn phòng đăng ký đất đai").any()
    # From 1/7/2025: six communes and wards, the province's departments and branches; no district.
    communes_now = today[today["level"] == "Xã"]
    assert set(communes_now["name"]) == set(names.NEW_COMMUNES)
    assert (communes_now["parent"] == names.PROVINCE_AGENCY).all()
    assert "Huyện" not in set(today["level"])
    assert {names.SERVICE_CENTRE, "Sở Tư pháp tỉnh Bình Sơn", "Chi nhánh Văn phòng đăng ký đất đai khu vực An Phước"
            } <= set(today.loc[today["level"] == "Tỉnh", "name"])
    assert set(a.loc[a["kind"] == "vertical", "name"]) == {*names.PARTNERS.values(), *names.PROVINCE_PARTNERS.values()}
    # Every old unit that ended has its successors among today's units.
    assert set(names.LINEAGE) == set(past["name"])
    assert {n for new in names.LINEAGE.values() for n in new} <= set(today["name"])


def test_dossiers_move_to_the_new_units_on_1_july_2025(frames):
    d, a = frames["dossiers"], frames["agencies"]
    ended = set(a.loc[a["valid_to"].notna(), "name"])
    after = d["received_at"] >= pd.Timestamp(2025, 7, 1)
    assert not d.loc[after, "agency"].astype(str).isin(ended).any()
    assert d.loc[~after, "agency"].astype(str).isin(ended).mean() > 0.5
    # The split commune's area: both successors receive from 1/7/2025.
    tan_lap = d.loc[after & d["code"].str.startswith("000.45."), "agency"].astype(str)
    assert set(tan_lap) == {"UBND xã Bình Thạnh", "UBND xã Long Hưng"}


def test_catalogue_of_several_hundred_procedures(frames):
    p = frames["procedures"]
    assert 250 <= len(p) <= 600
    assert p["code"].is_unique
    assert p["code"].str.fullmatch(r"[12]\.\d{6}\.000\.00\.00\.H\d{2}").all()
    assert set(p["level"]) == {"Xã", "Huyện"}
    assert set(p["online_level"]) == {"Toàn trình", "Một phần", "Không"}
    assert (~p["in_force"]).sum() >= 5
    assert p["published_on"].notna().all() and (p["published_on"] <= pd.Timestamp(AS_OF)).all()
    assert {"Chứng thực", "Hộ tịch", "Đất đai", "Thành lập và hoạt động của hộ kinh doanh", "Xây dựng",
            "Bảo trợ xã hội", "Người có công", "Giáo dục và Đào tạo", "Y tế", "Văn hóa", "Tôn giáo",
            "Thi đua, khen thưởng"} <= set(p["field"])


def test_fields_dominating_communes_and_offices(frames):
    d = frames["dossiers"]
    level = d["agency"].astype(str).map(dict(zip(frames["agencies"]["name"], frames["agencies"]["level"], strict=True)))
    commune_fields = d.loc[level == "Xã", "field"].astype(str).value_counts(normalize=True)
    assert commune_fields[["Chứng thực", "Hộ tịch"]].sum() > 0.7
    office_fields = d.loc[level == "Huyện", "field"].astype(str).value_counts()
    assert office_fields.index[0] == "Đất đai"


def test_dossiers_follow_their_catalogue_entry(frames):
    d, p = frames["dossiers"], frames["procedures"].set_index("code")
    proc = p.loc[d["procedure_code"].astype(str)]
    assert (proc["name"].to_numpy() == d["procedure_name"].astype(str).to_numpy()).all()
    assert (proc["field"].to_numpy() == d["field"].astype(str).to_numpy()).all()
    # Nothing is received under a procedure before it was published.
    assert (d["received_at"].dt.normalize().to_numpy() >= proc["published_on"].to_numpy()).all()
    level = d["agency"].astype(str).map(dict(zip(frames["agencies"]["name"], frames["agencies"]["level"], strict=True)))
    # From 1/7/2025 the province's departments do the district's procedures.
    after = (d["received_at"] >= pd.Timestamp(2025, 7, 1)).to_numpy()
    expected = np.where(after, proc["level"].map({"Huyện": "Tỉnh", "Xã": "Xã"}).to_numpy(), proc["level"].to_numpy())
    assert (expected == level.to_numpy()).all()


# -- invariants ------------------------------------------------------------------------
def test_codes_unique_and_references_resolve(frames):
    d, s, a = frames["dossiers"], frames["steps"], frames["agencies"]
    assert d["code"].is_unique
    assert not s.duplicated(["dossier_code", "step_no"]).any()
    assert s["dossier_code"].isin(d["code"]).all()
    assert d["agency"].astype(str).isin(a["name"]).all()
    assert s["agency"].astype(str).isin(a["name"]).all()
    assert d["procedure_code"].astype(str).isin(frames["procedures"]["code"]).all()
    assert set(d["channel"].astype(str)) == {"online", "direct", "postal"}
    # Each handler belongs to one agency on either side of 1/7/2025 (the
    # handlers moved with the work to the new units).
    after = s["dossier_code"].map(d.set_index("code")["received_at"]) >= pd.Timestamp(2025, 7, 1)
    before = s[~after].groupby("handler", observed=True)["agency"].nunique()
    assert (before[before > 0] == 1).all()
    # ...except that the split commune's staff serve both its successors.
    split = set(names.LINEAGE["UBND xã Tân Lập"])
    since = s[after].astype({"agency": str}).groupby("handler", observed=True)["agency"].agg(set)
    assert all(len(units) == 1 or units == split for units in since)
    # Steps are numbered 1..n without gaps.
    per = s.groupby("dossier_code")["step_no"].agg(["min", "max", "count"])
    assert (per["min"] == 1).all() and (per["max"] == per["count"]).all()


def test_timestamps_are_consistent(frames):
    d, s = frames["dossiers"], frames["steps"]

    def day(col):
        return d[col].dt.normalize()

    assert (d["due_at"] >= d["received_at"]).all()
    done = d["finished_at"].notna()
    assert (d.loc[done, "finished_at"] >= d.loc[done, "received_at"]).all()
    assert (day("finished_at")[done] >= day("received_at")[done]).all()
    back = d["returned_at"].notna()
    assert (d.loc[back, "returned_at"] >= d.loc[back, "finished_at"]).all()
    # Nothing after the as-of date except due dates.
    end = pd.Timestamp(AS_OF) + pd.Timedelta(days=1)
    for frame, cols in ((d, ["received_at", "finished_at", "returned_at"]), (s, ["started_at", "finished_at"])):
        for col in cols:
            assert (frame[col].dropna() < end).all(), col
    assert (d["due_at"] >= end).any()
    # Steps run one after another inside the dossier's time and deadline.
    m = s.merge(d, left_on="dossier_code", right_on="code", suffixes=("", "_d"))
    assert (m["started_at"] >= m["received_at"]).all()
    fin = m["finished_at"].notna()
    assert (m.loc[fin, "finished_at"] >= m.loc[fin, "started_at"]).all()
    closed = fin & m["finished_at_d"].notna()
    assert (m.loc[closed, "finished_at"] <= m.loc[closed, "finished_at_d"]).all()
    # A step's deadline is its start plus its allowance (the step deadline a
    # one-stop system sets when the step is received): on a dossier finished
    # on time every step started in time, so each is due within the dossier's
    # time and finished by its own deadline (a withdrawn or stopped dossier,
    # status 7/8, ends in whichever step it was).
    on_time = (closed & m["status"].isin([9, 10])
               & (m["finished_at_d"].dt.normalize() <= m["due_at_d"].dt.normalize()))
    assert on_time.any()
    assert (m.loc[on_time, "due_at"] <= m.loc[on_time, "due_at_d"]).all()
    assert (m.loc[on_time, "finished_at"] <= m.loc[on_time, "due_at"]).all()
    assert (m["allowance_days"] >= 0).all()
    # Not the artefact of issue 12: the last step of a late dossier is not due
    # on the dossier's due date (it starts late and has its own allowance).
    late_d = closed & (m["finished_at_d"].dt.normalize() > m["due_at_d"].dt.normalize())
    last_step = m["step_no"] == m.groupby("dossier_code")["step_no"].transform("max")
    assert (m.loc[late_d & last_step, "due_at"] != m.loc[late_d & last_step, "due_at_d"]).mean() > 0.9
    ordered = s.sort_values(["dossier_code", "step_no"])
    prev_end = ordered.groupby("dossier_code")["finished_at"].shift()
    later = ordered["step_no"] > 1
    assert (ordered.loc[later, "started_at"] == prev_end[later]).all()


def test_received_in_office_hours_on_working_days(frames):
    r = frames["dossiers"]["received_at"]
    minutes = r.dt.hour * 60 + r.dt.minute
    morning = minutes.between(7 * 60 + 30, 11 * 60 + 30)
    afternoon = minutes.between(13 * 60 + 30, 17 * 60)
    assert (morning | afternoon).all()
    cal = default_calendar()
    assert all(cal.is_working_day(x) for x in set(r.dt.date))
    assert (r.dt.weekday < 5).mean() > 0.99   # only announced make-up Saturdays beside weekdays


def test_statuses_agree_with_dates_and_steps(frames):
    d, s = frames["dossiers"], frames["steps"]
    st = d["status"]
    assert set(st) == set(range(1, 11))
    fin, ret = d["finished_at"].notna(), d["returned_at"].notna()
    assert (fin == st.isin([7, 8, 9, 10])).all()
    assert (ret == (st == 10)).all()
    assert not d.loc[st.isin([1, 3]), "code"].isin(s["dossier_code"]).any()
    ordered = s.sort_values(["dossier_code", "step_no"])
    per = pd.DataFrame({
        "last_finished": ordered.drop_duplicates("dossier_code", keep="last").set_index("dossier_code")["finished_at"],
        "unfinished": ordered["finished_at"].isna().groupby(ordered["dossier_code"]).sum(),
    })
    open_codes = d.loc[st.isin(OPEN), "code"]
    assert (per.loc[open_codes, "unfinished"] == 1).all()
    assert per.loc[open_codes, "last_finished"].isna().all()
    closed = d[st.isin([7, 8, 9, 10])].set_index("code")
    assert (per.loc[closed.index, "unfinished"] == 0).all()
    assert (per.loc[closed.index, "last_finished"] == closed["finished_at"]).all()


def test_open_dossiers_on_the_as_of_date(frames):
    d = frames["dossiers"]
    open_ = d[d["status"].isin(OPEN)]
    due_day = open_["due_at"].dt.normalize()
    overdue = open_[(due_day < pd.Timestamp(AS_OF)) & (open_["status"] != 5)]
    within = open_[due_day >= pd.Timestamp(AS_OF)]
    assert len(overdue) >= 3
    assert len(within) >= 10
    assert (d["status"] == 5).sum() >= 3


# -- the story the indicators must tell -----------------------------------------------------
def test_online_share_rises_past_half(counted):
    share = counted.groupby("received_year")["channel"].apply(lambda c: (c == "online").mean())
    assert share[0] < 0.3
    assert share[1] > 0.5 and share[1] > share[0]
    postal = (counted["channel"] == "postal").mean()
    assert 0 < postal < 0.03


def test_late_rate_falls_from_several_percent_to_under_one(counted):
    done = counted[counted["finished_at"].notna()]
    late = done["finished_at"].dt.normalize() > done["due_at"].dt.normalize()
    rate = late.groupby(done["finished_year"]).mean()
    assert rate[0] > 0.03
    assert rate[1] < 0.01


def test_some_handlers_are_markedly_late(frames):
    s = frames["steps"]
    s = s[s["finished_at"].notna()]
    late = s["finished_at"].dt.normalize() > s["due_at"].dt.normalize()
    by = late.groupby(s["handler"].astype(str)).agg(["mean", "count"])
    busy = by[by["count"] >= 50]
    assert (busy["mean"] > 5 * busy["mean"].median()).sum() >= 3


def test_procedures_without_dossiers_for_three_years(frames, counted):
    p = frames["procedures"]
    three_years_ago = pd.Timestamp(shift_years(AS_OF, -3))
    eligible = p[p["in_force"] & (p["published_on"] <= three_years_ago)]
    recent = counted.loc[counted["received_at"] > three_years_ago, "procedure_code"].astype(str)
    idle = eligible[~eligible["code"].isin(recent)]
    assert len(idle) >= 10
    assert len(idle) < len(eligible) / 2


def test_dormant_procedures_stop_more_than_three_years_before_as_of():
    f = generate_frames(AS_OF, years=5, dossiers_per_year=2000)
    d = f["dossiers"][~f["dossiers"]["status"].isin([1, 3])]
    p = f["procedures"]
    last = d.groupby(d["procedure_code"].astype(str))["received_at"].max()
    three_years_ago = pd.Timestamp(shift_years(AS_OF, -3))
    in_force = set(p.loc[p["in_force"], "code"])
    dormant = last[(last <= three_years_ago) & last.index.isin(in_force)]
    assert len(dormant) >= 2
    never = in_force - set(last.index)
    assert len(never) >= 10


def test_inter_agency_dossiers_have_a_step_at_a_second_agency(frames):
    d, s = frames["dossiers"], frames["steps"]
    m = s.merge(d[["code", "agency", "inter_agency"]], left_on="dossier_code", right_on="code",
                suffixes=("", "_dossier"))
    elsewhere = m["agency"].astype(str) != m["agency_dossier"].astype(str)
    assert elsewhere.sum() >= 100
    assert m.loc[elsewhere, "inter_agency"].all()
    inter_done = d.loc[d["inter_agency"] & d["status"].isin([9, 10]), "code"]
    assert m.loc[elsewhere, "dossier_code"].drop_duplicates().isin(d.loc[d["inter_agency"], "code"]).all()
    assert inter_done.isin(m.loc[elsewhere, "dossier_code"]).all()
    assert 0.03 < d["inter_agency"].mean() < 0.3


def test_optional_flags_are_filled_sometimes(frames):
    d = frames["dossiers"]
    assert 0.03 < d["satisfaction"].notna().mean() < 0.3
    assert d["satisfaction"].dropna().between(1, 5).all()
    assert d.loc[d["status"].isin(OPEN), "result_attached"].eq(False).all()
    assert d["paid_online"].isna().any() and d["paid_online"].eq(True).any()


def test_catalogue_has_the_766_attributes(frames):
    p = frames["procedures"]
    for col in ("paper_result", "fee_bearing", "fully_online_eligible"):
        assert p[col].notna().all(), col
    assert 0.6 < p["paper_result"].mean() < 0.95
    assert p["fee_bearing"].eq(p["field"].isin(names.FEE_FIELDS)).all()
    # Every toàn trình procedure is eligible, no offline one is.
    assert p.loc[p["online_level"] == "Toàn trình", "fully_online_eligible"].all()
    assert not p.loc[p["online_level"] == "Không", "fully_online_eligible"].any()
    assert p.loc[p["online_level"] == "Một phần", "fully_online_eligible"].any()


def test_payment_gateway_only_for_online_dossiers_of_fee_bearing_procedures(frames):
    d = frames["dossiers"].merge(frames["procedures"][["code", "fee_bearing"]],
                                 left_on="procedure_code", right_on="code", suffixes=("", "_proc"))
    fee_online = d["fee_bearing"].astype(bool) & d["channel"].eq("online")
    assert d.loc[fee_online, "payment_gateway"].notna().all()
    assert d.loc[~fee_online, "payment_gateway"].isna().all()
    gateway = d.loc[fee_online, "payment_gateway"]
    assert set(gateway.unique()) == {0, 1, 2}
    # 1 and 2 are paid online, 0 is not: it agrees with paid_online.
    assert (gateway > 0).eq(d.loc[fee_online, "paid_online"].astype(bool)).all()


def test_supplement_requests_on_a_few_dossiers_with_dates_in_order(frames):
    d = frames["dossiers"]
    counted = d[~d["status"].isin([1, 3])]
    asked = counted["supplement_count"] > 0
    assert d["supplement_count"].notna().all()
    assert 0.02 < asked.mean() < 0.1
    assert counted.loc[asked, "supplement_count"].between(1, 3).all()
    assert counted["supplement_requested_at"].notna().eq(asked).all()
    a = counted[asked]
    assert (a["supplement_requested_at"] > a["received_at"]).all()
    done = a["supplement_completed_at"].notna()
    assert done.mean() > 0.8
    assert (a.loc[done, "supplement_completed_at"] >= a.loc[done, "supplement_requested_at"]).all()
    fin = done & a["finished_at"].notna()
    assert (a.loc[fin, "supplement_completed_at"] <= a.loc[fin, "finished_at"]).all()
    # Waiting for the supplement (status 5): asked, not yet answered.
    waiting = d[d["status"] == 5]
    assert len(waiting) > 0
    assert waiting["supplement_requested_at"].notna().all()
    assert waiting["supplement_completed_at"].isna().all()


def test_digitisation_sources_are_known_and_improve_over_the_years(counted):
    for col in ("data_reused", "citizen_store", "vneid", "digitised"):
        assert counted[col].notna().all(), col
    # VNeID accounts concern online submissions only.
    assert not counted.loc[counted["channel"] != "online", "vneid"].any()
    assert counted.loc[counted["channel"] == "online", "vneid"].mean() > 0.4
    first, last = (counted[counted["received_year"] == k] for k in (0, 1))
    for col in ("digitised", "data_reused", "citizen_store"):
        assert last[col].mean() > first[col].mean() + 0.05, col
    assert 0.3 < first["digitised"].mean() < 0.75
    assert 0.7 < last["digitised"].mean() < 0.95


# -- build_demo ------------------------------------------------------------------------------
def test_build_demo_writes_a_fresh_database_and_rebuilds_atomically(tmp_path):
    db = tmp_path / "demo.duckdb"
    counts = build_demo(db, as_of=AS_OF, years=1, dossiers_per_year=1500)
    expected = generate_frames(AS_OF, years=1, dossiers_per_year=1500)
    assert {t: counts[t] for t in TABLES} == {t: len(expected[t]) for t in TABLES}
    assert counts["as_of"] == "2026-03-31"

    def read() -> tuple[dict, list, dict]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES}
            log = con.execute("select import_id, source, dossiers_accepted, steps_accepted from import_log").fetchall()
            meta = dict(con.execute("select key, value from meta").fetchall())
        finally:
            con.close()
        return rows, log, meta

    rows, log, meta = read()
    # The old namesakes of new communes are split at the write: one agency more each.
    assert rows == {t: counts[t] + (len(names.NAMESAKES) if t == "agencies" else 0) for t in TABLES}
    assert log == [(1, "demo", counts["dossiers"], counts["steps"])]
    assert meta["data_date"] <= "2026-03-31"
    # A second build replaces everything: same counts, one log row, a new data version.
    build_demo(db, as_of=AS_OF, years=1, dossiers_per_year=1500)
    rows2, log2, meta2 = read()
    assert rows2 == rows
    assert [r[1] for r in log2] == ["demo"]
    assert int(meta2["data_version"]) == int(meta["data_version"]) + 1


# -- the sample export ----------------------------------------------------------------------
def test_sample_workbook_looks_like_a_one_stop_export():
    wb = CalamineWorkbook.from_path(str(SAMPLE_DIR / "mot-cua-export-mau.xlsx"))
    assert wb.sheet_names == ["Danh sách hồ sơ", "Quá trình xử lý", "Danh mục TTHC", "Danh mục đơn vị", "Ghi chú"]
    rows = wb.get_sheet_by_name("Danh sách hồ sơ").to_python()
    assert rows[0][0] == "DANH SÁCH HỒ SƠ TIẾP NHẬN"
    assert rows[1][0].startswith("Từ ngày ")
    header = rows[3]
    assert header[:3] == ["STT", "Mã hồ sơ", "Mã TTHC"]
    for col in CITIZEN_HEADERS + ("Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái", "Liên thông", "Đã gắn kết quả"):
        assert col in header
    data = rows[4:]
    assert 200 <= len(data) <= 500
    col = {h: i for i, h in enumerate(header)}
    # Both kinds of date appear: text in one column, Excel date cells in another.
    assert all(isinstance(r[col["Ngày tiếp nhận"]], str) for r in data)
    assert all(hasattr(r[col["Ngày hẹn trả"]], "year") for r in data)
    assert {r[col["Kênh nộp"]] for r in data} <= {"Trực tuyến", "Trực tiếp", "Bưu chính công ích"}
    assert {r[col["Liên thông"]] for r in data} == {"Có", "Không"}
    assert {r[col["Đã gắn kết quả"]] for r in data} == {"x", ""}
    # Applicant values are obviously invented.
    assert all(r[col["Chủ hồ sơ"]].startswith("Người nộp mẫu ") for r in data)
    assert all(str(r[col["Số CCCD"]]).startswith("000000") for r in data)
    assert all(r[col["Email"]].endswith("@example.com") for r in data)
    steps = wb.get_sheet_by_name("Quá trình xử lý").to_python()
    assert steps[1] == ["Mã hồ sơ", "Bước", "Tên bước", "Người xử lý", "Đơn vị xử lý", "Ngày bắt đầu", "Hạn xử lý",
                        "Ngày kết thúc"]
    catalog = wb.get_sheet_by_name("Danh mục TTHC").to_python()
    assert {r[6] for r in catalog[1:]} == {"Còn hiệu lực", "Đã bãi bỏ"}


def test_sample_csv_has_a_bom_and_dossier_columns(tmp_path):
    raw = (SAMPLE_DIR / "ho-so-mau.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][1] == "Mã hồ sơ" and "Số CCCD" in rows[0]
    assert len(rows) - 1 == 50


def test_committed_sample_is_what_the_script_writes(tmp_path):
    make_sample = _load_script("make_sample")
    result = make_sample.write_sample(tmp_path)
    for name in (make_sample.XLSX_NAME, make_sample.CSV_NAME):
        assert (tmp_path / name).read_bytes() == (SAMPLE_DIR / name).read_bytes(), name
    assert result["dossiers"] == len(make_sample.sample_frames()["dossiers"])


def test_sample_imports_back_to_the_generated_rows(tmp_path, capsys):
    from analytics.cli.main import main

    db = tmp_path / "sample.duckdb"
    assert main(["import", str(SAMPLE_DIR / "mot-cua-export-mau.xlsx"), "--db", str(db), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert sorted(summary["dropped_columns"]) == sorted(CITIZEN_HEADERS)
    assert all(summary["tables"][t]["rejected"] == 0 for t in TABLES)
    expected = _load_script("make_sample").sample_frames()
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("select code, status, channel, received_at, finished_at from dossiers order by code").df()
    con.close()
    want = expected["dossiers"].sort_values("code")[["code", "status", "channel", "received_at", "finished_at"]]
    assert got["code"].tolist() == want["code"].tolist()
    assert got["status"].tolist() == want["status"].tolist()
    assert got["channel"].tolist() == want["channel"].astype(str).tolist()
    assert (got["received_at"].to_numpy() == want["received_at"].to_numpy()).all()


# -- contacts for the reminders ---------------------------------------------------------------
def test_demo_contacts_let_a_newcomer_preview_reminders_and_reach_no_one(tmp_path, capsys):
    from analytics.cli.main import main
    from analytics.demo.contacts import DEMO_NOTE, PHONE_PATTERN
    from analytics.reminders.contacts import list_contacts
    from analytics.store.ops import OpsStore

    db = tmp_path / "demo.duckdb"
    counts = build_demo(db, as_of=AS_OF, years=1, dossiers_per_year=1500)
    contacts = list_contacts(OpsStore.beside(db))
    assert counts["contacts_added"] == len(contacts) > 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        # Today's units only (issue 14): the old ones ended on 30/6/2025.
        staff = set(con.execute("select distinct handler, agency from steps where agency in "
                                "(select name from agencies where valid_to is null)").fetchall())
        agencies = {r[0] for r in con.execute("select name from agencies where valid_to is null").fetchall()}
    finally:
        con.close()
    handlers = {(c.name, c.agency) for c in contacts if c.role == "handler"}
    assert handlers == staff  # every handler of today's units, with their agency
    assert not any(c.agency in names.LINEAGE for c in contacts)
    assert {a for c in contacts if c.role == "leader" for a in c.leads} == agencies  # a leader for each
    for c in contacts:
        assert PHONE_PATTERN.match(c.phone), c.phone  # 0500 xxx xxx: a prefix no network holds
        domain = c.email.rsplit("@", 1)[1]
        assert domain.endswith(".invalid") or domain.split(".")[-2:-1] == ["example"], c.email
        assert c.note == DEMO_NOTE
    assert len({c.phone for c in contacts}) == len({c.email for c in contacts}) == len(contacts)

    capsys.readouterr()
    assert main(["remind", "preview", "--db", str(db), "--as-of", AS_OF.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "Không có bản tin nào" not in out
    assert out.count("=== ") >= 2 and "(Lãnh đạo, " in out and "(Cán bộ, " in out


def test_rebuilding_the_demo_keeps_the_contacts_an_office_entered(tmp_path):
    from analytics.reminders.contacts import add_contact, list_contacts
    from analytics.store.ops import OpsStore

    db = tmp_path / "demo.duckdb"
    ops = OpsStore.beside(db)
    add_contact(ops, name="Trần Văn Thật", agency="UBND xã Thật", phone="0912 345 678", role="Cán bộ")
    counts = build_demo(db, as_of=AS_OF, years=1, dossiers_per_year=300)
    assert (counts["contacts_added"], counts["contacts_kept"]) == (0, 1)
    assert [(c.name, c.phone, c.note) for c in list_contacts(ops)] == [("Trần Văn Thật", "0912345678", None)]
    # A demo rebuilt over its own contacts neither doubles nor rewrites them.
    other = tmp_path / "again" / "demo.duckdb"
    build_demo(other, as_of=AS_OF, years=1, dossiers_per_year=300)
    first = list_contacts(OpsStore.beside(other))
    counts = build_demo(other, as_of=AS_OF, years=1, dossiers_per_year=300)
    assert (counts["contacts_added"], counts["contacts_kept"]) == (0, len(first))
    assert list_contacts(OpsStore.beside(other)) == first
