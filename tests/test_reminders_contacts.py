import csv

import pytest
import xlsxwriter

from analytics.reminders.contacts import (
    ContactBook,
    ContactError,
    ContactFileError,
    add_contact,
    contact_records,
    delete_contact,
    get_contact,
    import_contacts,
    leaders_by_agency,
    list_contacts,
    normalize_email,
    normalize_phone,
    phone_international,
    read_contacts_file,
    save_contact_records,
    update_contact,
)
from analytics.store.ops import OpsStore


@pytest.fixture
def ops(tmp_path):
    return OpsStore(tmp_path / "ops.sqlite")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("(+84) 912-345-678", "0912345678"),
        ("+84 38 123 4567", "0381234567"),
        ("84561234567", "0561234567"),
        (912345678.0, "0912345678"),   # a numeric Excel cell lost its leading zero
        ("0789123456", "0789123456"),
        ("0868123456", "0868123456"),
        ("", None),
        (None, None),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("0241234567", "cố định"),          # Hà Nội landline
        ("0112345678", "Đầu số"),
        ("091234567", "10 chữ số"),          # 9 digits starting 0
        ("09123456789", "10 chữ số"),
        ("+1 202 555 0100", "Việt Nam"),
        ("09123abc78", "chữ số"),
    ],
)
def test_bad_phone_numbers_are_refused_with_a_reason(raw, reason):
    with pytest.raises(ValueError, match=reason):
        normalize_phone(raw)


def test_emails():
    assert normalize_email(" An.Nguyen@UBND.HCM.gov.VN ") == "An.Nguyen@ubnd.hcm.gov.vn"
    assert normalize_email("mailto:a@b.vn") == "a@b.vn"
    for bad in ("an@", "an.example.vn", "an@@b.vn", "an@b", "an @b .vn x@"):
        with pytest.raises(ValueError, match="email"):
            normalize_email(bad)
    assert phone_international("0912345678") == "84912345678"


def test_crud(ops):
    an = add_contact(ops, name="  Nguyễn  Văn An ", agency="UBND xã A", phone="0912345678", role="Cán bộ")
    assert an.name == "Nguyễn Văn An" and an.role == "handler" and an.active
    hoa = add_contact(ops, name="Đặng Thị Hoa", agency="UBND xã A", email="hoa@x.vn", role="Lãnh đạo",
                      leads="UBND xã A; UBND xã B")
    assert hoa.leads == ("UBND xã A", "UBND xã B")
    with pytest.raises(ContactError, match="Đã có liên hệ"):
        add_contact(ops, name="nguyen van an", agency="ubnd xa a", email="x@y.vn")
    # Same name in another agency is another person.
    add_contact(ops, name="Nguyễn Văn An", agency="UBND xã B", email="an.b@x.vn")
    changed = update_contact(ops, an.id, email="an@x.vn", active=False)
    assert changed.email == "an@x.vn" and changed.phone == "0912345678" and not changed.active
    with pytest.raises(ContactError, match="Số điện thoại"):
        update_contact(ops, an.id, phone="123")
    assert get_contact(ops, an.id).phone == "0912345678"
    assert [c.name for c in list_contacts(ops, role="leader")] == ["Đặng Thị Hoa"]
    assert len(list_contacts(ops, active_only=True)) == 2
    assert set(leaders_by_agency(ops)) == {"ubnd xa a", "ubnd xa b"}
    assert delete_contact(ops, hoa.id)
    assert not delete_contact(ops, hoa.id)
    assert leaders_by_agency(ops) == {}
    assert ops.query("select count(*) as n from agency_leaders") == [{"n": 0}]


def test_contact_needs_a_name_and_an_address_and_a_leader_an_agency(ops):
    with pytest.raises(ContactError) as info:
        add_contact(ops, name="", phone="0212345678")
    reasons = " | ".join(str(e) for e in info.value.errors)
    assert "Thiếu họ và tên" in reasons and "cố định" in reasons
    with pytest.raises(ContactError, match="ít nhất một"):
        add_contact(ops, name="Lê Văn C", agency="X")
    with pytest.raises(ContactError, match="Lãnh đạo cần có đơn vị"):
        add_contact(ops, name="Lê Văn C", email="c@x.vn", role="Lãnh đạo")
    with pytest.raises(ContactError, match="Vai trò"):
        add_contact(ops, name="Lê Văn C", email="c@x.vn", role="Giám đốc")


def _write_xlsx(path, rows):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Danh bạ")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.close()


def test_import_xlsx_with_title_row_vietnamese_headers_and_row_errors(ops, tmp_path):
    path = tmp_path / "danh-ba.xlsx"
    _write_xlsx(path, [
        ["DANH BẠ CÁN BỘ NHẬN NHẮC VIỆC"],
        ["STT", "HỌ VÀ TÊN", "Đơn vị", "Số điện thoại", "Email", "Zalo", "Vai trò", "Chức vụ"],
        [1, "Nguyễn Văn An", "UBND phường Bến Thành", 912345678, "an@example.vn", "", "Cán bộ", "Chuyên viên"],
        [2, "Trần Thị Bình", "UBND phường Bến Thành", "+84 98 765 4321", "", "1234567890", "", ""],
        [3, "Đặng Thị Hoa", "UBND phường Bến Thành", "", "hoa@example.vn", "", "Lãnh đạo", "Chủ tịch"],
        [4, "Lê Văn Cường", "UBND phường Đa Kao", "0241234567", "", "", "Cán bộ", ""],
        [5, "Phạm Thị Dung", "Phòng TN&MT", "0901234567", "dung@", "", "Cán bộ", ""],
        [6, "", "UBND phường Đa Kao", "0901234567", "", "", "", ""],
        [7, "nguyễn văn an", "UBND phường Bến Thành", "0912345679", "", "", "Cán bộ", ""],
    ])
    result = import_contacts(ops, path)
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert result.ignored_columns == ["STT", "Chức vụ"]
    assert [(e.row, e.column) for e in result.errors] == [
        (6, "phone"), (7, "email"), (8, "name"), (9, "name")]
    assert "Trùng họ tên" in result.errors[3].reason and "dòng 3" in result.errors[3].reason
    assert "Dòng 6, cột Số điện thoại" in str(result.errors[0])
    by_name = {c.name: c for c in list_contacts(ops)}
    assert by_name["Nguyễn Văn An"].phone == "0912345678"
    assert by_name["Trần Thị Bình"].phone == "0987654321" and by_name["Trần Thị Bình"].zalo_id == "1234567890"
    assert by_name["Đặng Thị Hoa"].role == "leader"
    assert by_name["Đặng Thị Hoa"].leads == ("UBND phường Bến Thành",)

    # Importing the same file again changes nothing; an edited row updates.
    again = import_contacts(ops, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_import_csv_semicolons_bom_and_unaccented_headers(ops, tmp_path):
    path = tmp_path / "danh-ba.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["Nguoi xu ly", "Don vi", "SDT", "Thu dien tu", "Vai tro", "Phu trach"])
        writer.writerow(["Võ Văn Giang", "UBND phường Đa Kao", "0356789012", "", "Lãnh đạo",
                         "UBND phường Đa Kao; Phòng Tư pháp"])
        writer.writerow(["Lê Văn Cường", "UBND phường Đa Kao", "", "cuong@example.vn", "Cán bộ", ""])
    result = import_contacts(ops, path)
    assert result.ok and result.added == 2
    giang = [c for c in list_contacts(ops) if c.role == "leader"][0]
    assert giang.leads == ("Phòng Tư pháp", "UBND phường Đa Kao")
    assert giang.led_agency_keys() == {"phong tu phap", "ubnd phuong da kao"}


def test_unreadable_files_are_refused_in_one_line(ops, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_bytes("Họ và tên,Đơn vị\nNguyễn,Xã\n".encode("cp1258", errors="replace"))
    with pytest.raises(ContactFileError, match="UTF-8"):
        read_contacts_file(bad)
    with pytest.raises(ContactFileError, match="tiêu đề"):
        (tmp_path / "y.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        read_contacts_file(tmp_path / "y.csv")
    with pytest.raises(ContactFileError, match="chỉ nhận"):
        (tmp_path / "z.pdf").write_text("x")
        read_contacts_file(tmp_path / "z.pdf")
    with pytest.raises(ContactFileError, match="Không đọc được"):
        (tmp_path / "broken.xlsx").write_text("not a zip")
        read_contacts_file(tmp_path / "broken.xlsx")
    assert list_contacts(ops) == []


def test_editor_round_trip_is_all_or_nothing(ops):
    a = add_contact(ops, name="Nguyễn Văn An", agency="X", phone="0912345678")
    b = add_contact(ops, name="Trần Thị Bình", agency="X", phone="0987654321")
    records = contact_records(ops)
    assert [r["role"] for r in records] == ["Cán bộ", "Cán bộ"]
    # Swap two names (unique key juggling), delete nobody, add one, leave a blank row.
    records[0]["name"], records[1]["name"] = records[1]["name"], records[0]["name"]
    records.append({"id": float("nan"), "name": "Lê Văn Cường", "agency": "X", "phone": None,
                    "email": "cuong@x.vn", "zalo_id": None, "role": "Cán bộ", "active": True,
                    "leads": None, "note": None})
    records.append({"id": None, "name": None, "agency": None, "role": "Cán bộ", "active": True})
    result = save_contact_records(ops, records)
    assert result.ok and (result.added, result.updated, result.deleted) == (1, 2, 0)
    assert get_contact(ops, a.id).name == "Trần Thị Bình" and get_contact(ops, b.id).name == "Nguyễn Văn An"

    # One bad row: nothing saved, the row is named.
    records = contact_records(ops)
    records = [r for r in records if r["id"] != a.id]
    records[0]["phone"] = "12345"
    result = save_contact_records(ops, records)
    assert not result.ok and result.errors[0].row == 1 and result.errors[0].column == "phone"
    assert get_contact(ops, a.id) is not None

    # Dropping a row from the editor deletes the contact.
    records = [r for r in contact_records(ops) if r["id"] != a.id]
    result = save_contact_records(ops, records)
    assert result.deleted == 1 and result.unchanged == 2
    assert get_contact(ops, a.id) is None


def test_contact_book_matches_handlers_by_folded_name_and_agency(ops):
    add_contact(ops, name="Nguyễn Văn An", agency="UBND phường Bến Thành", phone="0912345678")
    add_contact(ops, name="Nguyễn Văn An", agency="UBND phường Đa Kao", phone="0912345679")
    add_contact(ops, name="Lê Thị Mai", phone="0912345670")  # no agency: matches anywhere
    add_contact(ops, name="Trần Văn Tắt", agency="X", phone="0912345671", active=False)
    book = ContactBook.load(ops)
    assert [c.phone for c in book.people_for("NGUYEN VAN AN", "ubnd phuong ben thanh")] == ["0912345678"]
    assert [c.phone for c in book.people_for("Nguyễn Văn An", "UBND phường Đa Kao")] == ["0912345679"]
    assert book.people_for("Nguyễn Văn An", "Phòng Tư pháp") == []
    assert [c.name for c in book.people_for("le thi mai", "Bất kỳ")] == ["Lê Thị Mai"]
    assert book.people_for("Trần Văn Tắt", "X") == []  # inactive
    assert book.people_for(None, "X") == []


def test_contact_changes_are_audited_with_old_and_new_values(ops):
    from analytics.access import audit

    a = add_contact(ops, actor="quantri", name="Nguyễn Văn An", agency="X", phone="0912345678")
    records = contact_records(ops)
    records[0]["phone"] = "0987654321"
    assert save_contact_records(ops, records, actor="quantri").ok
    assert save_contact_records(ops, records, actor="quantri").ok  # no change: no entry
    delete_contact(ops, a.id, actor="quantri")
    added, changed, deleted = reversed(audit.entries(ops, action=audit.REMINDER_CONTACTS))
    assert {e.actor for e in (added, changed, deleted)} == {"quantri"}
    assert [c["name"] for c in added.detail["added"]] == ["Nguyễn Văn An"]
    assert changed.detail["changed"] == [{"id": a.id, "old": {"phone": "0912345678"},
                                          "new": {"phone": "0987654321"}}]
    assert [c["id"] for c in deleted.detail["deleted"]] == [a.id]
