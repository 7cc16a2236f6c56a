"""``python -m analytics``: the public command-line contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from analytics.cli.main import main
from tests import golden as g
from tests.conftest import build_file_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "office.duckdb"
    build_file_db(path, **g.ROWS)
    return str(path)


def _indicators(db: str, *extra: str) -> list[str]:
    return ["indicators", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31", *extra]


def test_indicators_json_contract(db, capsys):
    assert main(_indicators(db, "--format", "json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"period", "totals", "by_agency", "by_field", "by_stage", "by_handler",
                        "procedures_without_dossiers", "index_766"}
    # Issue 15: the 766 index, for the office, by agency and by level.
    index = out["index_766"]
    assert set(index) == {"convention", "payment_split", "total", "by_agency", "by_level"}
    assert index["convention"] == "portal766" and index["total"]["maximum"] == 100
    criterion = index["total"]["groups"][1]["criteria"][0]
    assert {"criterion", "numerator", "denominator", "ratio", "points", "maximum", "status"} <= set(criterion)
    assert criterion["criterion"] == "2.1" and criterion["status"] == "computed"
    assert {a["agency"] for a in index["by_agency"]} == {g.XA, g.PHUONG, g.TNMT}
    assert {r["level"] for r in index["by_level"]} == {"Xã", "Huyện"}
    assert out["period"] == {"from": "2026-03-01", "to": "2026-03-31", "as_of": "2026-03-31"}
    assert set(out["totals"]) == {
        "received_total", "carried_over", "received_new", "online", "direct_postal", "resolved",
        "early", "on_time", "late", "pending", "pending_within", "pending_overdue",
        "on_time_rate", "online_share", "progress_766",
        # Added by issue 13 (real exports).
        "channel_unknown", "no_due_date", "due_computed", "rescheduled",
    }
    assert out["totals"]["received_total"] == 10
    for row in out["by_agency"] + out["by_field"]:
        assert {"channel_unknown", "no_due_date", "due_computed", "rescheduled"} <= set(row)
    # Contract of 2026-12-07 (issue 12): late counts caused lateness; Cường's
    # Thẩm định made D17 late (Bình's Phê duyệt only inherited it, golden.py).
    assert out["by_handler"][0] == {"handler": g.CUONG, "agency": g.XA, "steps": 1, "late": 1,
                                    "caused_late": 1, "inherited_late": 0, "late_dossiers": 1,
                                    "late_rate": 1.0, "source": "steps"}
    assert out["procedures_without_dossiers"][0]["last_received"] is None


def test_agency_matched_without_diacritics(db, capsys):
    assert main(_indicators(db, "--agency", "phong tai nguyen va moi truong", "--format", "json")) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["agency"] for r in out["by_agency"]] == [g.TNMT]


def test_text_table_is_vietnamese(db, capsys):
    assert main(_indicators(db)) == 0
    out = capsys.readouterr().out
    assert "Tỷ lệ giải quyết đúng hạn" in out and "66,7%" in out
    assert "số liệu đến ngày 31/03/2026" in out


@pytest.mark.parametrize(
    ("argv_extra", "code", "message"),
    [
        (["--agency", "hòa"], 2, "khớp nhiều đơn vị"),
        (["--agency", "Phòng Tư pháp"], 2, "Không tìm thấy đơn vị"),
    ],
)
def test_agency_errors(db, capsys, argv_extra, code, message):
    assert main(_indicators(db, *argv_extra)) == code
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_from_after_to_is_an_error(db, capsys):
    assert main(["indicators", "--db", db, "--from", "2026-04-01", "--to", "2026-03-01"]) == 2
    assert "sau ngày kết thúc" in capsys.readouterr().err


def test_missing_database_is_an_error(tmp_path, capsys):
    assert main(_indicators(str(tmp_path / "none.duckdb"))) == 1
    assert "không tìm thấy cơ sở dữ liệu" in capsys.readouterr().err


def test_bad_date_exits_2(db, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["indicators", "--db", db, "--from", "31/03/2026", "--to", "2026-03-31"])
    assert exc.value.code == 2
    assert "ngày không hợp lệ" in capsys.readouterr().err


def test_report06_writes_the_form(db, tmp_path, capsys):
    out = tmp_path / "bieu06.xlsx"
    assert main(["report06", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31",
                 "--out", str(out), "--unit", "UBND huyện Ninh Hòa"]) == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet["B16"].value == "Tổng cộng" and sheet["C16"].value == 10


def test_report06_counting_option(db, tmp_path, capsys):
    out = tmp_path / "bieu06-cong.xlsx"
    assert main(["report06", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31",
                 "--out", str(out), "--counting", "portal766"]) == 0
    sheet = openpyxl.load_workbook(out).active
    # D06 waits for the citizen with no request date: the portal judges it by
    # its due date 02/03, overdue at 31/03 (the form counts it within): (12) 1, (13) 3.
    assert (sheet["L16"].value, sheet["M16"].value) == (1, 3)
    with pytest.raises(SystemExit):
        main(["report06", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31",
              "--out", str(out), "--counting", "other"])


def test_report06_refuses_other_extensions(db, tmp_path, capsys):
    assert main(["report06", "--db", db, "--from", "2026-03-01", "--to", "2026-03-31",
                 "--out", str(tmp_path / "x.pdf")]) == 2


def test_module_entry_point_runs(db):
    done = subprocess.run(
        [sys.executable, "-m", "analytics", *_indicators(db, "--format", "json")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["totals"]["resolved"] == 6
