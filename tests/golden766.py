"""A small hand-counted office for Chỉ số 766 (issue 15).

Period under test: March 2026. Every figure the tests expect is counted here
by hand, sub-criterion by sub-criterion, not by running the engine. Two
agencies; three procedures with the catalogue attributes the index reads.
"""

from datetime import date, datetime

XA = "UBND xã Tân Lập"
HUYEN = "Phòng Tài nguyên và Môi trường huyện Tân Lập"

AGENCIES = [(XA, "Xã", "UBND huyện Tân Lập"), (HUYEN, "Huyện", "UBND huyện Tân Lập")]

PROCEDURES = [
    # code, name, field, level, online level, paper result, fee-bearing, eligible for toàn trình
    ("Q1", "Chứng thực bản sao từ bản chính", "Chứng thực", "Xã", "Toàn trình", False, True, True),
    ("Q2", "Đăng ký khai sinh", "Hộ tịch", "Xã", "Toàn trình", True, False, True),
    ("Q3", "Giao đất, cho thuê đất", "Đất đai", "Huyện", "Một phần", True, True, False),
]


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


DOSSIER_COLUMNS = (
    "code", "procedure_code", "agency", "channel", "received_at", "due_at", "finished_at", "status",
    "result_attached", "paid_online", "payment_gateway", "digitised", "satisfaction",
    "supplement_count", "supplement_requested_at", "supplement_completed_at",
    "data_reused", "citizen_store", "vneid",
)
DOSSIERS = [
    # E01 on time, online, paid on Cổng DVCQG, digitised, reused, from the citizen's store, VNeID.
    ("E01", "Q1", XA, "online", dt("2026-03-02 08:00"), dt("2026-03-04 17:00"), dt("2026-03-03 10:00"), 10,
     False, True, 1, True, 100, 0, None, None, True, True, True),
    # E02 late by the dates (09/03 > 06/03), direct, fee not paid online, rated 20 (a dislike).
    ("E02", "Q1", XA, "direct", dt("2026-03-05 09:00"), dt("2026-03-06 17:00"), dt("2026-03-09 10:00"), 10,
     False, False, 0, False, 20, 0, None, None, False, False, False),
    # E03 two supplement requests: finished 09/03 by its due date 10/03 (Biểu 06: on time),
    # but more than one request is late for the portal. Electronic result.
    ("E03", "Q2", XA, "online", dt("2026-03-02 08:00"), dt("2026-03-10 17:00"), dt("2026-03-09 10:00"), 10,
     True, False, 0, True, None, 2, dt("2026-03-03 08:00"), dt("2026-03-04 08:00"), False, False, True),
    # E04 one supplement request, 04/03 -> 07/03 (3 days): finished 12/03 after due 10/03
    # (Biểu 06: late); the portal's end is 12/03 - 3 days = 09/03: on time. No e-result.
    ("E04", "Q2", XA, "direct", dt("2026-03-02 08:00"), dt("2026-03-10 17:00"), dt("2026-03-12 10:00"), 10,
     False, False, 0, True, 80, 1, dt("2026-03-04 08:00"), dt("2026-03-07 08:00"), True, False, False),
    # E05 withdrawn (7), closed 06/03 before its due date 20/03: on time in both conventions.
    ("E05", "Q3", HUYEN, "direct", dt("2026-03-03 08:00"), dt("2026-03-20 17:00"), dt("2026-03-06 10:00"), 7,
     False, False, 0, False, None, 0, None, None, False, False, False),
    # E06 paid through the province's gateway (DuocThanhToanTrucTuyen = 2), e-result, rated 90.
    ("E06", "Q3", HUYEN, "online", dt("2026-03-09 08:00"), dt("2026-03-31 17:00"), dt("2026-03-31 10:00"), 10,
     True, True, 2, True, 90, 0, None, None, True, True, True),
    # E07 waiting for the citizen (5), asked on 18/03, after its due date 17/03: Biểu 06 counts
    # it within time (status 5), the portal's clock stopped on 18/03: overdue.
    ("E07", "Q3", HUYEN, "direct", dt("2026-03-10 08:00"), dt("2026-03-17 17:00"), None, 5,
     False, False, 0, False, None, 1, dt("2026-03-18 08:00"), None, False, False, False),
    # E08 carried over from February, pending within (due 15/04): in Tiến độ and 5.4 only.
    ("E08", "Q3", HUYEN, "direct", dt("2026-02-20 08:00"), dt("2026-04-15 17:00"), None, 4,
     False, False, 0, False, None, 0, None, None, False, False, False),
    # E09 not accepted (3): left out of everything.
    ("E09", "Q1", XA, "online", dt("2026-03-11 08:00"), dt("2026-03-12 17:00"), dt("2026-03-11 09:00"), 3,
     False, False, 0, False, None, 0, None, None, False, False, False),
]
MARCH = (date(2026, 3, 1), date(2026, 3, 31))

# Hand counts, March, the portal's convention (population E01–E08: 8; new E01–E07: 7).
EXPECTED = {
    # on time: E01, E04 (pause), E05 (withdrawn in time), E06, E08 (pending within) = 5/8;
    # no threshold: 0.625 x 20.
    "2.1": (5, 8, 12.5),
    # eligible Q1, Q2: E01–E04; online and toàn trình: E01, E03 = 2/4 x 12.
    "dvc": (2, 4, 6.0),
    # online (paper-result procedures need the e-result): E01, E03, E06 = 3/7; tracked, maximum 0.
    "3.3": (3, 7, 0.0),
    # fee-bearing Q1, Q3: E01, E02, E05, E06, E07; paid online E01 (1), E06 (2) = 2/5 x 10.
    "3.6": (2, 5, 4.0),
    # completed (9, 10) of paper-result Q2, Q3: E03, E04, E06; e-result E03, E06 = 2/3 x 6.
    "4.1": (2, 3, 4.0),
    # digitised and (no paper result or an e-result): E01, E03, E06 = 3/7; 0.4286 / 0.8 x 4.
    "4.2": (3, 7, 2.14),
    # reused: E01, E04, E06 = 3/7; 0.4286 / 0.8 x 2.
    "4.3": (3, 7, 1.07),
    # citizen's store: E01, E06 = 2/7 x 4.
    "4.4": (2, 7, 1.14),
    # VNeID: E01, E03, E06 = 3/7 x 2.
    "4.5b": (3, 7, 0.86),
    # late or overdue (E02, E03, E07) or disliked (E02): 3 of 8; 5/8 = 0.625 / 0.9 x 6.
    "5.4": (5, 8, 4.17),
}
# Groups: progress 12.5; online 6; payment 4; satisfaction 4.17;
# digitisation 4 + 2.14 + 1.07 + 1.14 + 0.86 = 9.21. Total 35.88.
# Reachable: 20 + 12 + 10 + 6 + (6 + 4 + 2 + 4 + 2) = 66.
EXPECTED_GROUPS = {"public": 0, "progress": 12.5, "online": 6.0, "payment": 4.0,
                   "satisfaction": 4.17, "digitisation": 9.21}
EXPECTED_TOTAL = 35.88
EXPECTED_REACHABLE = 66
# Biểu 06's convention: E03 on time (09/03), E04 late (12/03), E07 within (status 5): 6/8.
EXPECTED_BIEU06_2_1 = (6, 8, 15.0)
# By agency, the portal's convention: the commune E01 ✓ E02 ✗ E03 ✗ E04 ✓ = 2/4;
# the district E05 ✓ E06 ✓ E07 ✗ E08 ✓ = 3/4.
EXPECTED_AGENCY_2_1 = {XA: (2, 4, 10.0), HUYEN: (3, 4, 15.0)}
# Payment split (2 + 2 + 6): 3.5b procedures Q1, Q3 both with an online payment = 2/2 >= 80%: 2;
# 3.6: 2/5 x 6 = 2.4; 3.5 needs the national database.
EXPECTED_SPLIT = {"3.5b": (2, 2, 2.0), "3.6": (2, 5, 2.4)}


def fill(con, with_766_sources: bool = True) -> None:
    """The office into an empty analytics database (derived tables not built).

    with_766_sources False: as from an export with none of the optional
    columns the index reads (every one of them null).
    """
    for row in AGENCIES:
        con.execute("insert into agencies (name, level, parent) values (?, ?, ?)", list(row))
    for code, name, field, level, online, paper, fee, eligible in PROCEDURES:
        extra = (paper, fee, eligible) if with_766_sources else (None, None, None)
        con.execute("insert into procedures (code, name, field, level, online_level, paper_result, fee_bearing, "
                    "fully_online_eligible) values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [code, name, field, level, online if with_766_sources else None, *extra])
    names = {p[0]: (p[1], p[2]) for p in PROCEDURES}
    for row in DOSSIERS:
        values = dict(zip(DOSSIER_COLUMNS, row, strict=True))
        if not with_766_sources:
            for key in DOSSIER_COLUMNS[8:]:
                values[key] = None
        values["procedure_name"], values["field"] = names[values["procedure_code"]]
        cols = list(values)
        con.execute(f"insert into dossiers ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                    list(values.values()))
