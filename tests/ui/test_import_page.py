"""The import page's layout step, remembered layouts, attaching procedures and
merging agencies (issue 13), under Streamlit's AppTest on the hand-counted
office of tests/golden.py.

The export below is a list as real one-stop software prints it: no procedure
code, no channel header the alias table knows ("Hình thức" holds the channel
words), a citizen column, a group row and a total row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import auth
from analytics.access.auth import Accounts
from analytics.locale.safe_text import md_escape
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests import golden as g
from tests.conftest import build_file_db

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard.py"
PAGE = "pages/nhap_du_lieu.py"
PASSWORD = "mật khẩu đủ dài"
CITIZEN = "Trần Văn Công Dân"  # must never reach the database or the page
HEADER = "Số biên nhận,Thủ tục,Đơn vị tiếp nhận,Hình thức,Ngày nộp,Hẹn trả kết quả,Ngày có kết quả," \
         "Trạng thái,Họ tên người nộp\n"
# The procedure name matches nothing in the catalogue: filed under its folded name.
UNKNOWN = "Cấp giấy xác nhận tình trạng hôn nhân"


def export(codes: list[str]) -> bytes:
    rows = [f"{code},{UNKNOWN},{g.XA},{'Trực tuyến' if i % 2 == 0 else 'Trực tiếp'},"
            f"02/11/2026 08:00,05/11/2026 17:00,04/11/2026 10:00,Hoàn thành,{CITIZEN}\n"
            for i, code in enumerate(codes)]
    return (HEADER + "".join(rows) + "Tổng cộng,,,,,,,,\n").encode("utf-8")


@pytest.fixture
def office(tmp_path, monkeypatch) -> Path:
    db = tmp_path / "office.duckdb"
    build_file_db(db, **g.ROWS)
    monkeypatch.setenv("MOTCUA_DB", str(db))
    return db


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv")).run()
    assert_clean(at)
    return at


def button(at: AppTest, label: str):
    [found] = [b for b in at.button if b.label == label]
    return found


def shown(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.info, *at.caption, *at.success, *at.warning, *at.markdown])


def table(at: AppTest, first_column: str):
    [found] = [df.value for df in at.dataframe if list(df.value.columns)[:1] == [first_column]]
    return found


def audit_rows(db: Path, query: str) -> list[tuple]:
    with OpsStore.beside(db).connect() as con:
        return [tuple(r) for r in con.execute(query).fetchall()]


def frames(at: AppTest) -> list[str]:
    """Every table's cells as text."""
    return [df.value.to_string() for df in at.dataframe]


def test_new_layout_is_shown_corrected_then_remembered_for_the_next_file(office):
    at = upload(open_page(), "danh-sach.csv", export(["HS-1", "HS-2"]))
    text = shown(at)
    assert "bố cục mới, hệ thống tự nhận dạng" in text and "tiêu đề ở dòng 1" in text
    assert "1 dòng tổng" in text  # the total row, skipped and said
    layout = next(df.value for df in at.dataframe if list(df.value.columns) == ["Cột trong tệp", "Nghĩa"])
    meanings = dict(zip(layout["Cột trong tệp"], layout["Nghĩa"], strict=True))
    assert meanings["Họ tên người nộp"] == "Bỏ: thông tin cá nhân, không lưu"
    assert meanings["Số biên nhận"] == "Mã hồ sơ" and meanings["Hình thức"] == "Bỏ qua"
    # The citizen column cannot be given a meaning.
    assert "Họ tên người nộp" not in at.selectbox(key="imp_fix_header_0").options
    plan = at.session_state["imp_plan"]
    assert plan.dossiers["channel"].isna().all()  # "Hình thức" not read yet

    at.selectbox(key="imp_fix_header_0").select("Hình thức").run()
    assert at.selectbox(key="imp_fix_meaning_0").value == "ignored"  # what it means now
    at.selectbox(key="imp_fix_meaning_0").select("channel")
    button(at, "Lưu bố cục và kiểm tra lại").click().run()
    assert_clean(at)
    assert "Đã lưu bố cục" in shown(at)
    plan = at.session_state["imp_plan"]
    # The re-plan read the column with the corrected meaning.
    assert dict(zip(plan.dossiers["code"], plan.dossiers["channel"], strict=True)) == {
        "HS-1": "online", "HS-2": "direct"}
    assert "đọc theo bố cục đã lưu" in shown(at)

    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    con = AnalyticsStore(office).reader()
    assert con.execute("select code, channel from dossiers where code like 'HS-%' order by code").fetchall() == [
        ("HS-1", "online"), ("HS-2", "direct")]
    [(name, columns)] = con.execute("select name, columns from import_profiles").fetchall()
    assert json.loads(columns)["Hình thức"] == "channel" and "Họ tên người nộp" not in json.loads(columns)

    # A later file with the same layout: one step, the saved layout named.
    at = upload(at, "danh-sach-thang-12.csv", export(["HS-3", "HS-4", "HS-5"]))
    assert name == "danh-sach.csv (" + at.session_state["imp_plan"].sheets[0].signature + ")"
    assert f"đọc theo bố cục đã lưu **{md_escape(name)}**" in shown(at)
    assert "bố cục mới" not in shown(at)
    assert not [s for s in at.selectbox if str(s.key).startswith("imp_fix_")]  # nothing to correct
    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    con = AnalyticsStore(office).reader()
    assert con.execute("select count(*) from dossiers where code like 'HS-%' and channel is not null"
                       ).fetchone()[0] == 5
    everything = " ".join(frames(at)) + shown(at)
    assert CITIZEN not in everything


def test_unmatched_procedure_is_attached_to_its_catalogue_code(office):
    at = upload(open_page(), "ds.csv", export(["HS-1", "HS-2", "HS-3"]))
    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    listed = table(at, "Tên thủ tục")
    assert list(listed.iloc[:, 0]) == [UNKNOWN] and list(listed.iloc[:, 2]) == [3]
    at.selectbox(key="imp_attach_key").select(listed.iloc[0, 1])
    at.selectbox(key="imp_attach_code").select("P2")
    button(at, "Gắn mã").click().run()
    assert_clean(at)
    assert f"Đã gắn thủ tục '{UNKNOWN}' vào mã TTHC P2" in shown(at)
    assert "Không có thủ tục nào chờ gắn mã" in shown(at)
    con = AnalyticsStore(office).reader()
    assert con.execute("select count(*) from dossiers where procedure_code = 'P2' and code like 'HS-%'"
                       ).fetchone()[0] == 3
    entries = audit_rows(office, "select actor, target, detail from audit_log where action = 'import' "
                                 "and target = 'P2'")
    # The audit says how many dossiers carry the code now: the office's own P2 ones and the three moved.
    under_p2 = sum(1 for d in g.DOSSIERS if d[1] == "P2") + 3
    assert [(e[0], e[1], json.loads(e[2])["dossiers"]) for e in entries] == [("demo", "P2", under_p2)]


def test_admin_merges_two_agencies_audited(office):
    at = open_page()
    assert [tab.label for tab in at.tabs] == ["Nhập tệp", "Gắn mã thủ tục", "Gộp tên đơn vị"]
    before = AnalyticsStore(office).reader().execute(
        "select count(*) from dossiers where agency = ?", [g.PHUONG]).fetchone()[0]
    assert g.PHUONG in list(table(at, "Đơn vị").iloc[:, 0])
    at.selectbox(key="imp_merge_source").select(g.PHUONG)
    at.selectbox(key="imp_merge_target").select(g.XA)
    button(at, "Gộp hai đơn vị").click().run()
    assert_clean(at)
    assert AnalyticsStore(office).reader().execute(
        "select count(*) from dossiers where agency = ?", [g.PHUONG]).fetchone()[0] == before  # not confirmed
    at.checkbox(key="imp_merge_sure").check()
    button(at, "Gộp hai đơn vị").click().run()
    assert_clean(at)
    assert f"Đã gộp '{g.PHUONG}' vào '{g.XA}'" in shown(at)
    # The list of units (cached per data version) is the merged one at once.
    assert g.PHUONG not in list(table(at, "Đơn vị").iloc[:, 0]) and g.XA in list(table(at, "Đơn vị").iloc[:, 0])
    con = AnalyticsStore(office).reader()
    assert con.execute("select count(*) from dossiers where agency = ?", [g.PHUONG]).fetchone()[0] == 0
    [(actor, target)] = audit_rows(office, "select actor, target from audit_log where action = 'agency_merge'")
    assert (actor, target) == ("demo", g.XA)


def test_non_admin_sees_no_merge_panel_and_cannot_merge(office, monkeypatch):
    # A role given the import but not the merge: the page opens, the merge does not.
    monkeypatch.setitem(auth.ROLE_ACTIONS, auth.REFORM_OFFICER,
                        frozenset({auth.VIEW, auth.DOWNLOAD, auth.IMPORT}))
    monkeypatch.setenv("MOTCUA_AUTH", "on")
    Accounts(OpsStore.beside(office)).add("hoa", display_name="Lê Thị Hoa", role=auth.REFORM_OFFICER,
                                          password=PASSWORD, actor="cli:test")
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.text_input(key="auth_username").input("hoa")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_submit").click().run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.file_uploader  # the import itself is allowed
    assert [tab.label for tab in at.tabs] == ["Nhập tệp", "Gắn mã thủ tục"]
    assert not [w for w in [*at.selectbox, *at.checkbox] if str(w.key).startswith("imp_merge")]
    user = at.session_state["_user"]
    assert user.can(auth.IMPORT) and not user.can(auth.MERGE_AGENCIES)


def test_imported_text_is_shown_as_data_not_markup(office):
    hostile = "**đậm** [bấm](javascript:alert(1))"
    data = export(["HS-1"]).decode("utf-8").replace(g.XA, g.XA).replace(UNKNOWN, hostile.replace(",", ""))
    at = upload(open_page(), "x_*y*_.csv", data.encode("utf-8"))
    infos = " ".join(i.value for i in at.info)
    assert "x\\_\\*y\\*\\_\\.csv" in infos  # the file name escaped where Markdown renders it
    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    listed = table(at, "Tên thủ tục")
    assert listed.iloc[0, 0] == hostile  # in a table cell: the text as written


def test_the_correction_starts_at_the_chosen_columns_current_meaning(office):
    at = upload(open_page(), "danh-sach.csv", export(["HS-1"]))
    header, meaning = at.selectbox(key="imp_fix_header_0"), at.selectbox(key="imp_fix_meaning_0")
    assert (header.value, meaning.value) == ("Số biên nhận", "code")
    for column, now in (("Đơn vị tiếp nhận", "agency"), ("Ngày nộp", "received_at"), ("Hình thức", "ignored"),
                        ("Thủ tục", "procedure_name"), ("Số biên nhận", "code")):
        at.selectbox(key="imp_fix_header_0").select(column).run()
        assert_clean(at)
        assert at.selectbox(key="imp_fix_meaning_0").value == now, column
    # A choice the officer made stays while the column stays.
    at.selectbox(key="imp_fix_meaning_0").select("handler").run()
    assert at.selectbox(key="imp_fix_meaning_0").value == "handler"


SYNC_RECORDS = [
    {"MaHoSo": "J-1", "MaTTHC": "P1", "NgayTiepNhan": "20261102080000", "NgayHenTra": "20261105170000",
     "NgayKetThucXuLy": "20261104100000", "TrangThaiHoSo": 10, "KenhThucHien": 2, "DonViXuLy": g.XA,
     "ChuHoSo": CITIZEN},
    {"MaHoSo": "J-2", "MaTTHC": "P1", "NgayTiepNhan": "20261103080000", "NgayHenTra": "20261106170000",
     "TrangThaiHoSo": 4, "KenhThucHien": 1, "DonViXuLy": g.XA},
]


def test_the_upload_box_takes_json_as_the_command_line_does(office):
    at = open_page()
    assert at.file_uploader[0].allowed_type == [".xlsx", ".csv", ".json"]
    at.file_uploader[0].set_value(("dong-bo.json", json.dumps(SYNC_RECORDS, ensure_ascii=False).encode("utf-8"),
                                   "application/json")).run()
    assert_clean(at)
    plan = at.session_state["imp_plan"]
    assert plan.counts()["dossiers"] == {"accepted": 2, "rejected": 0}
    at.button(key="imp_confirm").click().run()
    assert_clean(at)
    con = AnalyticsStore(office).reader()
    assert con.execute("select code, channel, status from dossiers where code like 'J-%' order by code"
                       ).fetchall() == [("J-1", "online", 10), ("J-2", "direct", 4)]
    assert CITIZEN not in " ".join(frames(at)) + shown(at)


def test_a_json_upload_meets_the_same_guards(office, monkeypatch):
    at = open_page()
    # Over the size limit: refused on the page before anything is saved or read.
    with monkeypatch.context() as limit:
        limit.setattr("analytics.ingest.file_limits.MAX_FILE_MB", 0)
        at.file_uploader[0].set_value(("lon.json", b"[]" * 10, "application/json")).run()
    assert "imp_plan" not in at.session_state
    assert any("lon.json" in e.value for e in at.error)
    # Not a list of dossier objects: refused by the reader, as on the command line.
    at.file_uploader[0].set_value(("hong.json", b'{"a": 1', "application/json")).run()
    assert "imp_plan" not in at.session_state
    assert any(md_escape("hong.json") in e.value and "JSON" in e.value for e in at.error)
