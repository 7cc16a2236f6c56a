"""The Nhắc việc page under Streamlit's AppTest, on the hand-made office."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.reminders.send import run_slot
from tests.test_reminders_data import AS_OF, office, office_template  # noqa: F401 - pytest fixtures, requested by name

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard.py"
PAGE = "pages/nhac_viec.py"
ERROR_TEXT = "Đã có lỗi khi hiển thị trang này"


def open_page(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    at.date_input(key="nv_as_of").set_value(AS_OF).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if ERROR_TEXT in e.value]


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


@pytest.mark.timeout(300)
def test_page_shows_the_watchlist_contacts_preview_and_history(office, monkeypatch, tmp_path):
    store, ops, _ = office
    from analytics.reminders.settings import update_settings

    update_settings(ops, channels=[{"name": "tep", "type": "file", "directory": str(tmp_path / "out")}])
    run_slot(store, ops, "2026-04-29 07:30", as_of=AS_OF, sleep=lambda s: None)
    at = open_page(store.path, monkeypatch)
    assert_clean(at)
    assert (metric(at, "Quá hạn"), metric(at, "Sắp đến hạn")) == ("5", "4")
    assert metric(at, "Người xử lý cần nhắc") == "5"     # An, Bình, Cường, Dung, Em (H10 has none)
    # The overdue card says how it compares with the overview's count.
    assert any("5 hồ sơ đã quá hạn giải quyết" in c.value and "và 0 hồ sơ còn trong hạn" in c.value
               for c in at.caption)
    assert metric(at, "Hồ sơ liên thông") == "1"
    tables = frames(at)
    by_handler = tables[0]
    row = by_handler[by_handler.iloc[:, 0] == "Nguyễn Văn An"].iloc[0]
    assert row.iloc[-1] == "H13, H01, H11"
    by_agency = tables[1]
    assert "Đặng Thị Hoa" in by_agency.iloc[:, 1].tolist()
    items = tables[2]
    assert sorted(items.iloc[:, 1]) == ["H01", "H02", "H04", "H05", "H09", "H10", "H11", "H12", "H13"]
    # Contacts editor with the seven people; Em and the unassigned H10 are listed as without contact.
    editor = tables[3]
    assert len(editor) == 7 and "Đặng Thị Hoa" in editor["name"].tolist()
    assert tables[4].iloc[:, 0].tolist() == ["Hoàng Văn Em", "Chưa có người xử lý"]
    # Preview: the first recipient's digest is shown.
    codes = " ".join(c.value for c in at.code)
    assert "Kính gửi đồng chí" in codes and "(dữ liệu 28/04/2026)" in codes
    # History: the run above is there.
    assert any("2026-04-29 07:30" in t.astype(str).to_string() for t in tables)

    # Inter-agency only.
    at.selectbox(key="nv_inter").set_value("only").run()
    assert_clean(at)
    assert (metric(at, "Quá hạn"), metric(at, "Sắp đến hạn")) == ("1", "0")


@pytest.mark.timeout(300)
def test_page_saves_settings_and_refuses_bad_ones(office, monkeypatch):
    store, ops, _ = office
    from analytics.reminders.settings import load_settings

    at = open_page(store.path, monkeypatch)
    form_inputs = [t for t in at.text_input if t.label == "Giờ gửi"]
    form_inputs[0].set_value("07:00, 14:00")
    [b for b in at.get("form_submit_button") if b.label == "Lưu thiết lập"][0].click().run()
    assert_clean(at)
    assert load_settings(ops).times == ("07:00", "14:00")
    [t for t in at.text_input if t.label == "Giờ gửi"][0].set_value("7h")
    [b for b in at.get("form_submit_button") if b.label == "Lưu thiết lập"][0].click().run()
    assert any("Chưa lưu" in e.value for e in at.error)
    assert load_settings(ops).times == ("07:00", "14:00")


@pytest.mark.timeout(300)
def test_page_in_english_on_an_empty_database(tmp_path, monkeypatch):
    from analytics.store.database import AnalyticsStore

    db = tmp_path / "empty.duckdb"
    with AnalyticsStore(db).write():
        pass
    monkeypatch.setenv("MOTCUA_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params.update({"lang": "en"})
    at.run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    assert (metric(at, "Overdue"), metric(at, "Near due")) == ("0", "0")
    assert any("No dossier is near due or overdue." in i.value for i in at.info)


@pytest.mark.timeout(300)
def test_the_demo_shows_digests_out_of_the_box(monkeypatch, tmp_path):
    # Before: the demo had no contacts, so the preview said "Không có bản tin nào".
    from analytics.demo.generator import build_demo

    db = tmp_path / "demo.duckdb"
    build_demo(db, as_of=AS_OF, years=1, dossiers_per_year=1500)
    at = open_page(db, monkeypatch)
    assert_clean(at)
    assert not [i.value for i in at.info if "Không có bản tin nào" in str(i.value)]
    picker = at.selectbox(key="nv_preview_pick")
    assert len(picker.options) >= 2
    codes = " ".join(c.value for c in at.code)
    assert "Kính gửi đồng chí" in codes
