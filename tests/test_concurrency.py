"""Safe writes under load: readers in threads and in another process keep
querying while imports and writes run; no error, no torn result.

Every write adds exactly K dossiers and K steps (all status 10, so the
derived fact tables grow by K too) and bumps ``data_version`` by one. A
committed state is therefore fully described by its data version v:
dossiers = steps = fact rows = N0 + (v - 1) * K. Each reader observation reads
all of these in one query and must be one of those states; two queries on the
same cursor must see the same state; and each reader's versions never go
backwards.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.ingest.importer import import_files
from analytics.store.database import AnalyticsStore
from tests.conftest import build_file_db

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "UBND xã Hòa An"
N0 = 40  # dossiers in the first state
K = 25  # dossiers (and steps) added by each write
WRITES = 8  # in-process writes, alternating the importer and raw inserts
CLI_IMPORTS = 2  # imports by `python -m analytics import` in a subprocess
READER_THREADS = 4

OBSERVE_SQL = """
select
    (select try_cast(value as integer) from meta where key = 'data_version') as version,
    (select count(*) from dossiers) as dossiers,
    (select count(*) from steps) as steps,
    (select count(*) from fact_dossiers) as fact_dossiers,
    (select count(*) from fact_steps) as fact_steps
"""

CHILD_READER = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from analytics.store.database import AnalyticsStore
    store = AnalyticsStore(sys.argv[2])
    sql = sys.argv[3]
    stop_file = sys.argv[4]
    import os
    out = []
    errors = []
    while not os.path.exists(stop_file):
        try:
            cur = store.reader()
            out.append(list(cur.execute(sql).fetchone()))
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.002)
    print(json.dumps({"observations": out, "errors": errors}))
    """
)


def _rows(start: int, count: int) -> tuple[list[tuple], list[tuple]]:
    day = datetime(2026, 1, 5, 8, 0)
    dossiers, steps = [], []
    for i in range(start, start + count):
        received = day + timedelta(hours=i)
        code = f"HS-{i:06d}"
        dossiers.append((code, "P1", "Chứng thực", AGENCY, "online", received,
                         received + timedelta(days=2), received + timedelta(days=1), 10))
        steps.append((code, 1, "Tiếp nhận", "Nguyễn Văn An", AGENCY, received,
                      received + timedelta(days=1), received + timedelta(hours=5)))
    return dossiers, steps


def _export(folder: Path, start: int, count: int) -> list[Path]:
    """Two CSV files as one-stop software exports them: dossiers, then steps."""
    dossiers, steps = _rows(start, count)
    fmt = "%d/%m/%Y %H:%M"
    d_path = folder / f"ho-so-{start}.csv"
    with d_path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã hồ sơ", "Mã TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Kênh nộp",
                    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Trạng thái"])
        for code, proc, field, agency, _, rec, due, fin, status in dossiers:
            w.writerow([code, proc, field, agency, "Trực tuyến", rec.strftime(fmt), due.strftime(fmt),
                        fin.strftime(fmt), status])
    s_path = folder / f"qua-trinh-{start}.csv"
    with s_path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Mã hồ sơ", "Bước", "Tên bước", "Người xử lý", "Đơn vị xử lý", "Ngày bắt đầu",
                    "Hạn xử lý", "Ngày kết thúc"])
        for code, no, name, handler, agency, start_at, due, fin in steps:
            w.writerow([code, no, name, handler, agency, start_at.strftime(fmt), due.strftime(fmt),
                        fin.strftime(fmt)])
    return [d_path, s_path]


def _committed(version: int) -> tuple[int, int, int, int, int]:
    n = N0 + (version - 1) * K
    return (version, n, n, n, n)


def test_readers_never_see_an_error_or_a_torn_state(tmp_path):
    db = tmp_path / "office.duckdb"
    dossiers, steps = _rows(0, N0)
    build_file_db(
        db,
        agencies=[(AGENCY, "Xã", None)],
        procedures=[("P1", "Chứng thực bản sao", "Chứng thực", "Xã", "Toàn trình", date(2020, 1, 1), True)],
        dossiers=dossiers,
        steps=steps,
    )
    store = AnalyticsStore(db)  # shared by the reader threads, as in the dashboard
    assert tuple(store.reader().execute(OBSERVE_SQL).fetchone()) == _committed(1)

    stop = threading.Event()
    errors: list[str] = []
    observations: list[list[tuple]] = [[] for _ in range(READER_THREADS)]
    year = Filters(date(2026, 1, 1), date(2026, 12, 31))

    def read_loop(slot: int) -> None:
        while not stop.is_set():
            try:
                cur = store.reader()
                first = tuple(cur.execute(OBSERVE_SQL).fetchone())
                # The engine on the same cursor sees the same state.
                totals = Engine(cur).totals(year)
                second = tuple(cur.execute(OBSERVE_SQL).fetchone())
                if first != second:
                    errors.append(f"cursor moved between queries: {first} -> {second}")
                if totals["received_new"] != first[1]:
                    errors.append(f"engine saw {totals['received_new']} dossiers in state {first}")
                observations[slot].append(first)
            except Exception as exc:  # noqa: BLE001 - every error is a failure, collected
                errors.append(f"reader {slot}: {exc!r}")

    stop_file = tmp_path / "stop"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_READER, str(ROOT), str(db), OBSERVE_SQL, str(stop_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    threads = [threading.Thread(target=read_loop, args=(i,), daemon=True) for i in range(READER_THREADS)]
    for t in threads:
        t.start()

    version = 1
    next_code = N0
    exports = tmp_path / "exports"
    exports.mkdir()
    try:
        for i in range(WRITES + CLI_IMPORTS):
            if i % 5 == 4 and i // 5 < CLI_IMPORTS:
                # Another process imports through the command line.
                files = _export(exports, next_code, K)
                done = subprocess.run(
                    [sys.executable, "-m", "analytics", "import", *map(str, files), "--db", str(db),
                     "--format", "json"],
                    cwd=ROOT, capture_output=True, text=True, timeout=120,
                )
                assert done.returncode == 0, done.stderr
                assert json.loads(done.stdout)["tables"]["dossiers"]["accepted"] == K
            elif i % 2 == 0:
                report = import_files(_export(exports, next_code, K), db)
                assert report.tables["dossiers"]["changed"] == K
                assert report.tables["steps"]["changed"] == K
            else:
                new_dossiers, new_steps = _rows(next_code, K)
                with AnalyticsStore(db).write() as con:
                    from tests.conftest import fill

                    fill(con, dossiers=new_dossiers, steps=new_steps)
            next_code += K
            version += 1
            time.sleep(0.05)  # let every reader see this state at least sometimes
    finally:
        time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        stop_file.touch()
        out, err = child.communicate(timeout=120)

    assert not errors, errors[:5]
    assert child.returncode == 0, err
    child_result = json.loads(out)
    assert child_result["errors"] == []

    committed = {_committed(v) for v in range(1, version + 1)}
    assert tuple(store.reader().execute(OBSERVE_SQL).fetchone()) == _committed(version)
    seen: set[tuple] = set()
    for series in [*observations, [tuple(o) for o in child_result["observations"]]]:
        assert series, "a reader made no observation at all"
        assert set(series) <= committed, sorted(set(series) - committed)[:3]
        versions = [o[0] for o in series]
        assert versions == sorted(versions), "a reader went back to an older state"
        seen |= set(series)
    # The readers really ran during the writes: they saw intermediate states.
    assert len(seen) >= 4, sorted(seen)


def test_reader_opening_a_version_that_newer_writes_just_pruned(tmp_path, monkeypatch):
    """The reader reads the link, then newer writes replace and prune that
    version before it opens it (a slow reader on a busy server): it must open
    the newest state instead of failing."""
    import analytics.store.database as store_module

    db = tmp_path / "office.duckdb"
    build_file_db(db, agencies=[(AGENCY, "Xã", None)])
    store = AnalyticsStore(db)
    real_connect = store_module.duckdb.connect
    raced: list[str] = []

    def connect_after_a_race(path=":memory:", *args, **kwargs):  # a write connects with no path, then attaches
        if kwargs.get("read_only") and not raced:
            raced.append(path)
            n = 0
            while Path(path).exists():  # as many writes as it takes to prune it
                n += 1
                with AnalyticsStore(db).write() as con:
                    con.execute("insert into agencies (name, level, parent) values ($name, 'Xã', null)",
                                {"name": f"Xã số {n}"})
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(store_module.duckdb, "connect", connect_after_a_race)
    count = store.reader().execute("select count(*) from agencies").fetchone()[0]
    assert raced and count == 1 + AnalyticsStore(db).keep_versions


def test_two_imports_planned_on_the_same_state_the_second_is_refused_not_applied_over(tmp_path, monkeypatch):
    from analytics.ingest import importer
    from analytics.ingest.importer import ImportFailed, apply_import, plan_import

    db = tmp_path / "motcua.duckdb"
    build_file_db(db, dossiers=_rows(0, N0)[0], steps=_rows(0, N0)[1])
    first_files = _export(tmp_path, 1000, K)
    second_files = _export(tmp_path, 2000, K)
    # Both planned on the same committed state, as two people on the import page.
    first_plan, second_plan = plan_import(first_files, db), plan_import(second_files, db)

    first_done = threading.Event()
    real_same_db = importer._same_db

    def same_db(plan, path):
        ok = real_same_db(plan, path)
        if plan is second_plan:
            # The second import has passed the early check; the first one now
            # commits before the second reaches the write lock.
            assert ok
            assert first_done.wait(60)
        return ok

    monkeypatch.setattr(importer, "_same_db", same_db)
    outcome: dict[str, object] = {}

    def run(name, plan):
        try:
            outcome[name] = apply_import(plan, db)
        except Exception as exc:  # noqa: BLE001 - recorded and asserted below
            outcome[name] = exc
        finally:
            if name == "first":
                first_done.set()

    second = threading.Thread(target=run, args=("second", second_plan))
    second.start()
    first = threading.Thread(target=run, args=("first", first_plan))
    first.start()
    first.join(60)
    second.join(60)

    assert not isinstance(outcome["first"], Exception), outcome["first"]
    assert isinstance(outcome["second"], ImportFailed), outcome["second"]
    assert "thay đổi" in str(outcome["second"])
    con = AnalyticsStore(db).reader()
    assert con.execute("select count(*) from import_log").fetchone()[0] == 1
    assert con.execute("select count(*) from dossiers").fetchone()[0] == N0 + K
    # Planned again on the new state, the second import goes through.
    monkeypatch.setattr(importer, "_same_db", real_same_db)
    import_files(second_files, db)
    assert AnalyticsStore(db).reader().execute("select count(*) from dossiers").fetchone()[0] == N0 + 2 * K
