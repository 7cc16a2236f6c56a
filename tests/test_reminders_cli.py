import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.cli.main import main
from tests.test_reminders_data import AN, HOA, office, office_template  # noqa: F401 - pytest fixtures, requested by name

ROOT = Path(__file__).resolve().parents[1]


def remind(capsys, *args):
    code = main(["remind", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(office, tmp_path, capsys):
    store, ops, _ = office
    channels = json.dumps([{"name": "tep", "type": "file", "directory": str(tmp_path / "out")}])
    assert remind(capsys, "settings", "set", "channels", channels, "--db", store.path)[0] == 0
    return store.path


def test_watchlist_json(capsys, db):
    code, out, _ = remind(capsys, "watchlist", "--db", db, "--as-of", "2026-04-29", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert (data["as_of"], data["cutoff"], data["data_date"]) == ("2026-04-29", "2026-05-04", "2026-04-28")
    assert data["totals"] == {"overdue": 5, "near_due": 4}
    an = next(h for h in data["by_handler"] if h["handler"] == AN)
    assert an["codes"] == ["H13", "H01", "H11"]
    agency = next(a for a in data["by_agency"] if a["agency"] == "UBND phường Bến Thành")
    assert agency["leaders"] == [HOA]


def test_watchlist_table_and_filters(capsys, db):
    code, out, _ = remind(capsys, "watchlist", "--db", db, "--as-of", "2026-04-29", "--inter-agency", "yes")
    assert code == 0 and "H05" in out and "H13" not in out and "[liên thông]" in out
    code, out, _ = remind(capsys, "watchlist", "--db", db, "--as-of", "2026-04-29", "--agency", "da kao",
                          "--format", "json")
    assert [i["code"] for i in json.loads(out)["items"]] == ["H10", "H09"]
    code, _, err = remind(capsys, "watchlist", "--db", db, "--agency", "không có")
    assert code == 2 and "Không tìm thấy đơn vị" in err


def test_preview_prints_without_sending(capsys, db):
    code, out, _ = remind(capsys, "preview", "--db", db, "--as-of", "2026-04-29", "--recipient", "hoa")
    assert code == 0
    assert out.startswith("=== Đặng Thị Hoa (Lãnh đạo, UBND phường Bến Thành)")
    assert "4 hồ sơ quá hạn, 3 hồ sơ sắp đến hạn" in out and "Chưa có liên hệ để nhắc:" in out
    code, out, _ = remind(capsys, "preview", "--db", db, "--as-of", "2026-04-29", "--format", "json",
                          "--unaccented")
    data = json.loads(out)
    assert len(data["digests"]) == 7 and {d["sms_encoding"] for d in data["digests"]} == {"GSM-7"}
    code, out, _ = remind(capsys, "log", "--db", db)
    assert "Chưa có lần gửi nào" in out


def test_run_in_a_slot_then_again_then_on_a_holiday(capsys, db, tmp_path):
    code, out, _ = remind(capsys, "run", "--db", db, "--at", "2026-04-29 07:45")
    assert code == 0
    assert "Đợt gửi 2026-04-29 07:30 (nhắc ngày 29/04/2026, dữ liệu đến 28/04/2026): 7 bản tin; đã gửi 7" in out
    assert len(list((tmp_path / "out" / "2026-04-29_07_30").iterdir())) == 7
    code, out, _ = remind(capsys, "run", "--db", db, "--at", "2026-04-29 08:10")
    assert code == 0 and "đã gửi 0, lỗi 0, bỏ qua vì đã gửi 7" in out
    code, out, _ = remind(capsys, "run", "--db", db, "--at", "2026-04-30 07:45")
    assert code == 0 and "Không có đợt gửi nào đến hạn lúc 07:45 30/04/2026" in out
    assert "Đợt tới: 07:30 04/05/2026." in out
    code, out, _ = remind(capsys, "run", "--db", db, "--slot", "họp giao ban", "--as-of", "2026-04-29")
    assert code == 0 and "Đợt gửi họp giao ban" in out and "đã gửi 7" in out
    code, out, _ = remind(capsys, "log", "--db", db, "--limit", "3")
    assert out.count("Đã gửi") == 3 and "[họp giao ban]" in out
    code, _, err = remind(capsys, "run", "--db", db, "--as-of", "2026-04-29")
    assert code == 2 and "--as-of chỉ dùng cùng --slot" in err


def test_a_failed_send_gives_exit_1(capsys, db):
    channels = json.dumps([{"name": "sms", "type": "webhook", "url": "http://127.0.0.1:9/x",
                            "address_field": "phone", "timeout": 2}])
    remind(capsys, "settings", "set", "channels", channels, "--db", db)
    remind(capsys, "settings", "set", "retry_attempts", "1", "--db", db)
    code, out, _ = remind(capsys, "run", "--db", db, "--slot", "thử", "--as-of", "2026-04-29")
    assert code == 1 and "LỖI sms → Nguyễn Văn An (0912345678), 1 lần thử: không gọi được webhook" in out


def test_contacts_commands(capsys, tmp_path):
    ops = tmp_path / "ops.sqlite"
    csv_file = tmp_path / "danh-ba.csv"
    csv_file.write_text("Họ và tên,Đơn vị,Số điện thoại,Vai trò\n"
                        "Nguyễn Văn An,UBND xã A,0912345678,Cán bộ\n"
                        "Lê Thị B,UBND xã A,0212345678,Cán bộ\n", encoding="utf-8")
    code, out, _ = remind(capsys, "contacts", "import", csv_file, "--ops", ops)
    assert code == 1
    assert "Danh bạ: thêm 1, cập nhật 0, không đổi 0, lỗi 1 dòng." in out and "Dòng 3, cột Số điện thoại" in out
    code, out, _ = remind(capsys, "contacts", "add", "--name", "Đặng Thị Hoa", "--agency", "UBND xã A",
                          "--email", "hoa@x.vn", "--role", "Lãnh đạo", "--ops", ops)
    assert code == 0 and "Đã thêm liên hệ 2" in out
    code, out, _ = remind(capsys, "contacts", "list", "--ops", ops)
    assert "Nguyễn Văn An (Cán bộ, UBND xã A) 0912345678" in out
    assert "Đặng Thị Hoa (Lãnh đạo, UBND xã A)" in out and "phụ trách: UBND xã A" in out
    code, _, err = remind(capsys, "contacts", "add", "--name", "X", "--phone", "123", "--ops", ops)
    assert code == 2 and "Số điện thoại" in err
    assert remind(capsys, "contacts", "remove", "2", "--ops", ops)[0] == 0
    code, _, err = remind(capsys, "contacts", "remove", "2", "--ops", ops)
    assert code == 1 and "không có liên hệ 2" in err
    code, _, err = remind(capsys, "contacts", "import", tmp_path / "none.xlsx", "--ops", ops)
    assert code == 2 and "Không tìm thấy tệp" in err
    code, _, err = remind(capsys, "contacts", "list")
    assert code == 2 and "cần --db hoặc --ops" in err


def test_settings_and_calendar(capsys, tmp_path):
    ops = tmp_path / "ops.sqlite"
    assert remind(capsys, "settings", "set", "times", "13:30,07:30", "--ops", ops)[0] == 0
    code, out, _ = remind(capsys, "settings", "show", "--ops", ops)
    assert "Lịch gửi: 07:30, 13:30 – T2, T3, T4, T5, T6" in out
    code, _, err = remind(capsys, "settings", "set", "times", "7h", "--ops", ops)
    assert code == 2 and "giờ không hợp lệ" in err
    code, out, _ = remind(capsys, "calendar", "--year", "2026", "--next", "2", "--ops", ops)
    assert code == 0
    assert "Thứ Ba    17/02/2026  Tết Nguyên Đán" in out
    assert "Thứ Bảy   22/08/2026  Ngày làm bù" in out


def test_missing_database_is_one_line(capsys, tmp_path):
    code, _, err = remind(capsys, "preview", "--db", tmp_path / "none.duckdb")
    assert code == 1 and err.strip() == f"Lỗi: không tìm thấy cơ sở dữ liệu {tmp_path / 'none.duckdb'}"


def test_serve_stops_on_ctrl_c(office, tmp_path):
    store, _, _ = office
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "analytics", "remind", "serve", "--db", str(store.path), "--tick", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = proc.stdout.readline()
        assert "Nhấn Ctrl-C để dừng" in first
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Đã dừng nhắc việc." in out


def test_settings_show_masks_secrets_and_a_change_is_audited(capsys, tmp_path):
    from analytics.access import audit
    from analytics.reminders.settings import load_settings
    from analytics.store.ops import OpsStore

    ops = tmp_path / "ops.sqlite"
    store = OpsStore(ops)
    load_settings(store)
    # Saved before literal secrets were refused: shown masked, never in clear.
    legacy = [{"name": "sms", "type": "webhook", "url": "https://u:mat-khau-url@sms.example.vn/send?key=khoa-cu",
               "headers": {"Authorization": "Bearer ma-cu-123"}, "token_secret": "MOTCUA_SMS_TOKEN",
               "body": {"to": "${to}", "auth": {"password": "mat-khau-long"}}}]
    store.execute("insert into reminder_settings (key, value, updated_at) values ('channels', ?, 'x')",
                  (json.dumps(legacy),))
    for fmt in ("text", "json"):
        code, out, _ = remind(capsys, "settings", "show", "--ops", ops, "--format", fmt)
        assert code == 0
        for secret in ("mat-khau-url", "khoa-cu", "ma-cu-123", "mat-khau-long"):
            assert secret not in out, (fmt, secret)
        assert "***" in out and "MOTCUA_SMS_TOKEN" in out
    # The webhook-steals-the-SMTP-password change is refused with a reason.
    attack = json.dumps([{"name": "sms", "type": "webhook", "url": "https://nghe-len.example/thu",
                          "headers": {"X-Leak": "${token}"}, "token_secret": "MOTCUA_SMTP_PASSWORD"}])
    code, _, err = remind(capsys, "settings", "set", "channels", attack, "--ops", ops)
    assert code == 2 and "token_secret" in err and "MOTCUA_SMS_TOKEN" in err
    # While a secret is written in a channel, no change is saved until it is taken out.
    code, _, err = remind(capsys, "settings", "set", "near_due_days", "2", "--ops", ops)
    assert code == 2 and "bí mật ghi thẳng" in err and "ma-cu-123" not in err
    fixed = json.dumps([{"name": "sms", "type": "webhook", "url": "https://sms.example.vn/send",
                         "headers": {"Authorization": "Bearer ${token}"}, "token_secret": "MOTCUA_SMS_TOKEN"}])
    code, out, _ = remind(capsys, "settings", "set", "channels", fixed, "--ops", ops)
    assert code == 0 and "Bearer ${token}" in out
    [entry] = audit.entries(store, action=audit.REMINDER_SETTINGS)
    assert entry.actor.startswith("cli:") and list(entry.detail["changes"]) == ["channels"]
    text = json.dumps(entry.detail, ensure_ascii=False)
    assert "Bearer ***" in text and not any(s in text for s in ("mat-khau-url", "khoa-cu", "ma-cu-123"))
