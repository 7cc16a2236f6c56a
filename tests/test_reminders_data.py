"""The hand-made office the reminder tests share, and checks of it.

Reminder day: Wednesday 29/04/2026. 30/4 (Thu) and 1/5 (Fri) are holidays,
2–3/5 a weekend, so with N = 1 working day "near due" reaches Monday 04/05.
The last import happened on 28/04/2026 (the data date).

Hand-derived expectations (N = 1):

    code  holder (agency)           due (binding)     state     why
    H13   Nguyễn Văn An (A)         01/04 dossier     overdue   28 days late
    H01   Nguyễn Văn An (A)         24/04 step        overdue   step due before dossier due 27/04
    H05   Phạm Thị Dung (TNMT)      28/04 dossier     overdue   liên thông, received by A
    H12   Hoàng Văn Em (A)          15/04 dossier     overdue   Em has no contact
    H10   no handler (B)            10/04 dossier     overdue   no steps at all
    H04   Trần Thị Bình (A)         29/04 dossier     near due  due today
    H09   Lê Văn Cường (B)          30/04 dossier     near due  due on a holiday
    H02   Trần Thị Bình (A)         04/05 dossier     near due  1 working day left
    H11   Nguyễn Văn An (A)         04/05 step        near due  Em's old step 1 is open but step 2 started
    left out: H03 (due 05/05), H06 (finished), H07 (status 5), H08 (status 3), H14 (status 1)
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.reminders.contacts import add_contact
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore

AS_OF = date(2026, 4, 29)
DATA_DATE = date(2026, 4, 28)
A = "UBND phường Bến Thành"
B = "UBND phường Đa Kao"
TNMT = "Phòng Tài nguyên và Môi trường"

AN = "Nguyễn Văn An"
BINH = "Trần Thị Bình"
CUONG = "Lê Văn Cường"
DUNG = "Phạm Thị Dung"
EM = "Hoàng Văn Em"
HOA = "Đặng Thị Hoa"      # leader of A
GIANG = "Võ Văn Giang"    # leader of B
HUY = "Bùi Quang Huy"     # leader of TNMT

PROCEDURES = [
    ("P1", "Đăng ký khai sinh", "Hộ tịch"),
    ("P2", "Chứng thực bản sao từ bản chính", "Chứng thực"),
    ("P3", "Cấp giấy chứng nhận quyền sử dụng đất", "Đất đai"),
]


def d(text: str) -> datetime:
    return datetime.fromisoformat(text)


# code, procedure, agency, received, due, finished, status, inter_agency
DOSSIERS = [
    ("H01", "P1", A, "2026-04-20 08:00", "2026-04-27 17:00", None, 4, False),
    ("H02", "P2", A, "2026-04-27 09:00", "2026-05-04 17:00", None, 4, False),
    ("H03", "P1", A, "2026-04-27 09:30", "2026-05-05 17:00", None, 4, False),
    ("H04", "P1", A, "2026-04-22 10:00", "2026-04-29 17:00", None, 2, False),
    ("H05", "P3", A, "2026-04-01 08:00", "2026-04-28 17:00", None, 4, True),
    ("H06", "P1", A, "2026-04-20 08:00", "2026-04-27 17:00", "2026-04-28 15:00", 9, False),
    ("H07", "P1", A, "2026-04-01 08:00", "2026-04-20 17:00", None, 5, False),
    ("H08", "P1", A, "2026-04-01 08:00", "2026-04-20 17:00", None, 3, False),
    ("H09", "P2", B, "2026-04-24 08:00", "2026-04-30 17:00", None, 4, False),
    ("H10", "P2", B, "2026-04-01 08:00", "2026-04-10 17:00", None, 4, False),
    ("H11", "P3", A, "2026-04-15 08:00", "2026-05-06 17:00", None, 4, False),
    ("H12", "P1", A, "2026-04-08 08:00", "2026-04-15 17:00", None, 4, False),
    ("H13", "P1", A, "2026-03-20 08:00", "2026-04-01 17:00", None, 4, False),
    ("H14", "P1", A, "2026-04-28 08:00", "2026-04-10 17:00", None, 1, False),
]

# dossier, step_no, step_name, handler, agency, started, due, finished
STEPS = [
    ("H01", 1, "Tiếp nhận", AN, A, "2026-04-20 08:00", "2026-04-20 17:00", "2026-04-20 09:00"),
    ("H01", 2, "Thẩm định", AN, A, "2026-04-20 09:00", "2026-04-24 17:00", None),
    ("H02", 1, "Thẩm định", BINH, A, "2026-04-27 09:00", "2026-05-04 17:00", None),
    ("H03", 1, "Thẩm định", AN, A, "2026-04-27 09:30", "2026-05-05 17:00", None),
    ("H04", 1, "Thẩm định", BINH, A, "2026-04-22 10:00", "2026-04-29 17:00", None),
    ("H05", 1, "Tiếp nhận", AN, A, "2026-04-01 08:00", "2026-04-01 17:00", "2026-04-01 10:00"),
    ("H05", 2, "Thẩm định", DUNG, TNMT, "2026-04-02 08:00", "2026-04-28 17:00", None),
    ("H06", 1, "Thẩm định", AN, A, "2026-04-20 08:00", "2026-04-27 17:00", "2026-04-28 15:00"),
    ("H07", 1, "Thẩm định", AN, A, "2026-04-01 08:00", "2026-04-20 17:00", None),
    ("H08", 1, "Thẩm định", AN, A, "2026-04-01 08:00", "2026-04-20 17:00", None),
    ("H09", 1, "Thẩm định", CUONG, B, "2026-04-24 08:00", "2026-04-30 17:00", None),
    ("H11", 1, "Tiếp nhận", EM, A, "2026-04-15 08:00", "2026-04-15 17:00", None),
    ("H11", 2, "Thẩm định", AN, A, "2026-04-22 08:00", "2026-05-04 17:00", None),
    ("H12", 1, "Thẩm định", EM, A, "2026-04-08 08:00", "2026-04-15 17:00", None),
    ("H13", 1, "Trình lãnh đạo", AN, A, "2026-03-20 08:00", "2026-04-10 17:00", None),
    ("H14", 1, "Thẩm định", AN, A, "2026-04-28 08:00", "2026-04-10 17:00", None),
]

CONTACTS = [
    dict(name=AN, agency=A, phone="0912 345 678", email="an@example.vn", role="Cán bộ"),
    dict(name=BINH, agency=A, phone="+84 98 765 4321", email="binh@example.vn", role="Cán bộ"),
    dict(name=CUONG, agency=B, phone="0901234567", role="Cán bộ"),
    dict(name=DUNG, agency=TNMT, email="dung@example.vn", role="Cán bộ"),
    dict(name=HOA, agency=A, email="hoa@example.vn", role="Lãnh đạo"),
    dict(name=GIANG, agency=B, email="giang@example.vn", role="Lãnh đạo"),
    dict(name=HUY, agency=TNMT, email="huy@example.vn", phone="0356789012", role="Lãnh đạo"),
]


def build_db(path: Path, dossiers=DOSSIERS, steps=STEPS) -> AnalyticsStore:
    """The analytics database of the office, written like the importer does."""
    store = AnalyticsStore(path)
    with store.write() as con:
        for name, level in ((A, "Xã"), (B, "Xã"), (TNMT, "Huyện")):
            con.execute("insert into agencies (name, level, parent) values (?, ?, null)", [name, level])
        for code, name, fld in PROCEDURES:
            con.execute("insert into procedures (code, name, field) values (?, ?, ?)", [code, name, fld])
        for code, proc, agency, received, due, finished, status, inter in dossiers:
            con.execute(
                "insert into dossiers (code, procedure_code, agency, channel, received_at, due_at,"
                " finished_at, status, inter_agency) values (?, ?, ?, 'online', ?, ?, ?, ?, ?)",
                [code, proc, agency, d(received), d(due), d(finished) if finished else None, status, inter],
            )
        for code, no, name, handler, agency, started, due, finished in steps:
            con.execute(
                "insert into steps (dossier_code, step_no, step_name, handler, agency, started_at, due_at,"
                " finished_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                [code, no, name, handler, agency, d(started), d(due), d(finished) if finished else None],
            )
    return store


def build_contacts(ops: OpsStore) -> dict[str, int]:
    """The office's contacts; returns name → contact id."""
    return {c["name"]: add_contact(ops, **c).id for c in CONTACTS}


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):
    """The office built once per test process; each test gets a copy."""
    folder = tmp_path_factory.mktemp("office")
    store = build_db(folder / "motcua.duckdb")
    ops = OpsStore.beside(store.path)
    ids = build_contacts(ops)
    with ops.connect() as con:
        con.execute("pragma wal_checkpoint(truncate)")
    store.close()
    return folder, ids


@pytest.fixture
def office(tmp_path, office_template):
    """(store, ops, ids) of the hand-made office, a fresh copy for each test."""
    folder, ids = office_template
    for name in ("motcua.duckdb", "ops.sqlite"):
        shutil.copyfile(folder / name, tmp_path / name)
    store = AnalyticsStore(tmp_path / "motcua.duckdb")
    yield store, OpsStore.beside(store.path), dict(ids)
    store.close()


def test_the_fixture_office_has_its_data_date_and_rows(office):
    store, ops, ids = office
    con = store.reader()
    assert con.execute("select value from meta where key = 'data_date'").fetchone()[0] == DATA_DATE.isoformat()
    assert con.execute("select count(*) from dossiers").fetchone()[0] == len(DOSSIERS)
    assert con.execute("select count(*) from steps").fetchone()[0] == len(STEPS)
    assert len(ids) == len(CONTACTS)
    assert ops.path == store.path.parent / "ops.sqlite"
