"""The watched inbox: stable files are imported, then moved with their report."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import pytest

from analytics.access import audit
from analytics.cli.main import main
from analytics.ingest.inbox import Inbox, InboxBusy, is_candidate
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests import golden as g
from tests.conftest import build_file_db

DOSSIER_HEADER = ["Mã hồ sơ", "Mã TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp", "Ngày tiếp nhận",
                  "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái", "Chủ hồ sơ"]
STEP_HEADER = ["Mã hồ sơ", "Bước", "Tên bước", "Người xử lý", "Đơn vị xử lý", "Ngày bắt đầu", "Hạn xử lý",
               "Ngày kết thúc"]


def _write(path: Path, header: list[str], rows: list[list[str]], age: float = 60) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    _age(path, age)
    return path


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _dossiers(path: Path, *codes: str, age: float = 60) -> Path:
    return _write(path, DOSSIER_HEADER, [
        [c, "P1", "Chứng thực", g.XA, "Trực tiếp", "10/03/2026 08:00", "12/03/2026", "", "4",
         "Nguyễn Văn Công Dân"] for c in codes], age)


def _steps(path: Path, *codes: str, age: float = 60) -> Path:
    return _write(path, STEP_HEADER, [
        [c, "1", "Tiếp nhận", g.DUNG, g.XA, "10/03/2026 08:00", "10/03/2026 17:00", "10/03/2026 09:00"]
        for c in codes], age)


class FakeTime:
    """A clock the test moves; sleeping moves it and can run a side effect."""

    def __init__(self) -> None:
        self.now = time.time()
        self.during_sleep = None

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        if self.during_sleep:
            self.during_sleep()


@pytest.fixture
def setup(tmp_path):
    db = tmp_path / "data" / "office.duckdb"
    build_file_db(db, **g.ROWS)
    folder = tmp_path / "data" / "inbox"
    folder.mkdir()
    fake = FakeTime()
    inbox = Inbox(db, folder, settle=5, clock=fake.clock, sleep=fake.sleep)
    return db, folder, inbox, fake


def _codes(db: Path) -> set[str]:
    return {r[0] for r in AnalyticsStore(db).reader().execute("select code from dossiers").fetchall()}


def test_candidates_skip_hidden_lock_and_partial_files(tmp_path):
    for name in ("ho-so.xlsx", "ho-so.CSV", "~$ho-so.xlsx", ".ho-so.csv", "ho-so.csv.part",
                 "ho-so.xlsx.crdownload", "notes.txt", "ho-so.csv.tmp"):
        (tmp_path / name).write_text("x")
    assert sorted(p.name for p in tmp_path.iterdir() if is_candidate(p)) == ["ho-so.CSV", "ho-so.xlsx"]


def test_a_file_is_taken_only_after_it_stayed_still(setup):
    db, folder, inbox, fake = setup
    path = _dossiers(folder / "ho-so.csv", "X1", age=0)  # just written
    ready, waiting = inbox.observe()
    assert ready == [] and waiting == [path]  # first look: never taken
    fake.now += 10
    ready, _ = inbox.observe()
    assert ready == [path]  # unchanged for 10 s, not modified for 10 s
    # A file that changed between the looks is not taken.
    with path.open("a", encoding="utf-8") as fh:
        fh.write("X2,P1,Chứng thực,x,Trực tiếp,10/03/2026,12/03/2026,,4,\n")
    fake.now += 10
    ready, waiting = inbox.observe()
    assert ready == [] and waiting == [path]


def test_a_half_copied_file_is_left_for_the_next_round(setup):
    db, folder, inbox, fake = setup
    path = _dossiers(folder / "ho-so.csv", "X1", "X2")
    full = path.read_bytes()
    path.write_bytes(full[: len(full) // 2])
    _age(path, 60)
    # The copy goes on while the inbox waits between its two looks.
    fake.during_sleep = lambda: path.write_bytes(full)
    result = inbox.run_once()
    assert result.imported == [] and result.waiting == ["ho-so.csv"]
    assert path.exists() and "X1" not in _codes(db)
    fake.during_sleep = None
    _age(path, 60)
    result = inbox.run_once()
    assert [name for name, _ in result.imported] == ["ho-so.csv"]
    assert {"X1", "X2"} <= _codes(db)


def test_imported_files_move_with_their_report_and_are_audited(setup):
    db, folder, inbox, fake = setup
    _dossiers(folder / "ho-so.csv", "X1", "X2")
    result = inbox.run_once()
    assert result.imported == [("ho-so.csv", 1)] and result.failed == []
    assert not (folder / "ho-so.csv").exists()
    [moved] = [p for p in (folder / "imported").iterdir() if p.suffix == ".csv"]
    assert moved.name.endswith("-ho-so.csv")
    report = json.loads(moved.with_name(moved.name + ".json").read_text(encoding="utf-8"))
    assert report["import_id"] == 1 and report["tables"]["dossiers"]["accepted"] == 2
    # The citizen column was dropped, and only its name is in the report.
    assert report["dropped_columns"] == ["Chủ hồ sơ"]
    assert "Nguyễn Văn Công Dân" not in moved.with_name(moved.name + ".txt").read_text(encoding="utf-8")
    assert "Đã nhập lần số 1" in moved.with_name(moved.name + ".txt").read_text(encoding="utf-8")
    entry = audit.entries(OpsStore.beside(db), action=audit.IMPORT)[0]
    assert entry.actor == "inbox" and entry.target == "ho-so.csv" and entry.detail["import_id"] == 1


def test_a_json_export_is_taken_like_the_other_types(setup):
    db, folder, inbox, fake = setup
    path = folder / "dong-bo.json"
    path.write_text(json.dumps([
        {"MaHoSo": "J1", "MaTTHC": "P1", "NgayTiepNhan": "20260310080000", "NgayHenTra": "20260312170000",
         "TrangThaiHoSo": 4, "KenhThucHien": 2, "DonViXuLy": g.XA, "ChuHoSo": "Nguyễn Văn Công Dân"}],
        ensure_ascii=False), encoding="utf-8")
    _age(path, 60)
    assert is_candidate(path)
    result = inbox.run_once()
    assert result.imported == [("dong-bo.json", 1)] and result.failed == []
    assert "J1" in _codes(db)
    # Its report sits beside it in imported/, and is not taken as an export.
    assert [p.name.endswith("-dong-bo.json.json") for p in (folder / "imported").iterdir()
            if p.name.endswith(".json.json")] == [True]
    assert inbox.run_once().imported == []


def test_dossiers_and_steps_dropped_together_are_one_import(setup):
    db, folder, inbox, fake = setup
    # The steps file arrived first; the dossiers it refers to are in the other file.
    _steps(folder / "qua-trinh.csv", "X1", "X2", age=120)
    _dossiers(folder / "ho-so.csv", "X1", "X2", age=60)
    result = inbox.run_once()
    assert sorted(result.imported) == [("ho-so.csv", 1), ("qua-trinh.csv", 1)]
    con = AnalyticsStore(db).reader()
    assert con.execute("select count(*) from steps where dossier_code in ('X1', 'X2')").fetchone()[0] == 2


def test_a_bad_file_fails_alone_and_the_good_one_is_imported(setup):
    db, folder, inbox, fake = setup
    bad = folder / "hong.xlsx"
    bad.write_bytes(b"this is not a workbook")
    _age(bad, 60)
    _dossiers(folder / "ho-so.csv", "X1")
    result = inbox.run_once()
    assert [name for name, _ in result.imported] == ["ho-so.csv"]
    assert [name for name, _ in result.failed] == ["hong.xlsx"]
    [failed] = [p for p in (folder / "failed").iterdir() if p.suffix == ".xlsx"]
    error = json.loads(failed.with_name(failed.name + ".json").read_text(encoding="utf-8"))
    assert error["file"] == "hong.xlsx" and error["error"]
    assert "Không nhập được hong.xlsx" in failed.with_name(failed.name + ".txt").read_text(encoding="utf-8")
    assert "X1" in _codes(db)
    failures = audit.entries(OpsStore.beside(db), action=audit.IMPORT_FAILED)
    assert [e.target for e in failures] == ["hong.xlsx"]


def test_same_name_twice_keeps_both(setup):
    db, folder, inbox, fake = setup
    _dossiers(folder / "ho-so.csv", "X1")
    inbox.run_once()
    _dossiers(folder / "ho-so.csv", "X2")
    inbox.run_once()
    moved = sorted(p.name for p in (folder / "imported").iterdir() if p.suffix == ".csv")
    assert len(moved) == 2 and all(name.endswith("ho-so.csv") for name in moved)
    assert {"X1", "X2"} <= _codes(db)


def test_one_inbox_process_per_folder(setup):
    db, folder, inbox, fake = setup
    other = Inbox(db, folder, settle=0, clock=fake.clock, sleep=fake.sleep)
    seen = []

    def try_other():
        try:
            other.run_once()
        except InboxBusy as exc:
            seen.append(str(exc))

    fake.during_sleep = try_other
    inbox.run_once()
    assert seen and "đang được một tiến trình inbox khác" in seen[0]


def test_run_forever_until_stopped(setup):
    db, folder, inbox, fake = setup
    _dossiers(folder / "ho-so.csv", "X1")
    stops = iter([False, False, True])  # two rounds: the first look, then the import
    reports = []
    inbox.run_forever(5, should_stop=lambda: next(stops), report=reports.append)
    assert "X1" in _codes(db)
    assert [r.imported for r in reports] == [[("ho-so.csv", 1)]]


def test_cli_inbox_once(tmp_path, capsys):
    db = tmp_path / "office.duckdb"
    build_file_db(db, **g.ROWS)
    folder = tmp_path / "inbox"
    folder.mkdir()
    _dossiers(folder / "ho-so.csv", "X1")
    assert main(["inbox", "--db", str(db), "--dir", str(folder), "--once", "--settle", "0"]) == 0
    assert "Đã nhập: ho-so.csv (lần nhập số 1)" in capsys.readouterr().out
    (folder / "hong.csv").write_text("không phải tệp xuất\n", encoding="utf-8")
    _age(folder / "hong.csv", 60)
    assert main(["inbox", "--db", str(db), "--dir", str(folder), "--once", "--settle", "0"]) == 1
    assert "Không nhập được: hong.csv" in capsys.readouterr().out
    assert main(["inbox", "--db", str(db), "--dir", str(folder), "--once", "--settle", "0"]) == 0
    assert "Không có tệp mới" in capsys.readouterr().out
