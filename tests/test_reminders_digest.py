import re
import unicodedata
from dataclasses import replace

import pytest

from analytics.reminders.contacts import ContactBook
from analytics.reminders.digest import FULL, SHORT, build_digests, preview_text, unmatched_summary
from analytics.reminders.settings import ReminderSettings
from analytics.reminders.sms import GSM7, UCS2
from analytics.reminders.templates import DEFAULT_TEMPLATES, render, validate_template, validate_templates
from analytics.reminders.watchlist import build_watchlist
from tests.test_reminders_data import (  # noqa: F401 - pytest fixtures, requested by name
    AN,
    AS_OF,
    BINH,
    CUONG,
    DUNG,
    EM,
    GIANG,
    HOA,
    HUY,
    office,
    office_template,
)

URL = "https://mc.vn/nv"
CODE = re.compile(r"\bH\d\d\b")


def batch_for(office, **settings):
    store, ops, _ = office
    wl = build_watchlist(store, as_of=AS_OF)
    s = ReminderSettings(dashboard_url=URL, **settings)
    return build_digests(wl, ContactBook.load(ops), s)


def by_name(batch):
    return {d.contact.name: d for d in batch.digests}


def test_one_digest_per_contact_with_exactly_their_codes(office):
    digests = by_name(batch_for(office))
    assert set(digests) == {AN, BINH, CUONG, DUNG, HOA, GIANG, HUY}  # Em has no contact
    expected = {
        AN: ({"H13", "H01"}, {"H11"}),
        BINH: (set(), {"H04", "H02"}),
        CUONG: (set(), {"H09"}),
        DUNG: ({"H05"}, set()),
        HOA: ({"H13", "H01", "H12", "H05"}, {"H11", "H04", "H02"}),
        GIANG: ({"H10"}, {"H09"}),
        HUY: ({"H05"}, set()),
    }
    for name, (overdue, near) in expected.items():
        digest = digests[name]
        assert (digest.overdue, digest.near_due) == (len(overdue), len(near)), name
        assert set(CODE.findall(digest.body)) == overdue | near, name
        assert set(digest.codes) == overdue | near, name
    assert digests[AN].kind == "handler" and digests[HOA].kind == "leader"


def test_handler_email_text(office):
    an = by_name(batch_for(office))[AN]
    assert an.subject == "Nhắc việc ngày 29/04/2026: 2 hồ sơ quá hạn, 1 hồ sơ sắp đến hạn"
    body = an.body
    assert body.startswith("Kính gửi đồng chí Nguyễn Văn An,")
    assert "cập nhật đến ngày 28/04/2026, tính đến ngày 29/04/2026" in body
    assert "QUÁ HẠN (2 hồ sơ):\n1. H13 – Đăng ký khai sinh – hạn trả 01/04/2026 – trễ 28 ngày" in body
    assert "2. H01 – Đăng ký khai sinh – hạn bước 24/04/2026 – trễ 5 ngày – bước 2: Thẩm định" in body
    assert ("SẮP ĐẾN HẠN (1 hồ sơ):\n1. H11 – Cấp giấy chứng nhận quyền sử dụng đất – hạn bước 04/05/2026"
            " – còn 1 ngày làm việc") in body
    assert f"Xem chi tiết: {URL}" in body
    assert body.index("H13") < body.index("H01") < body.index("H11")
    assert unicodedata.is_normalized("NFC", body)


def test_leader_email_groups_per_handler_and_flags_inter_agency(office):
    hoa = by_name(batch_for(office))[HOA]
    assert hoa.subject == ("Nhắc việc ngày 29/04/2026 – UBND phường Bến Thành: "
                           "4 hồ sơ quá hạn, 3 hồ sơ sắp đến hạn")
    body = hoa.body
    assert "1) Nguyễn Văn An (UBND phường Bến Thành): 2 quá hạn, 1 sắp đến hạn" in body
    assert "3) Phạm Thị Dung (Phòng Tài nguyên và Môi trường): 1 quá hạn" in body
    assert "[Quá hạn] H05 – Cấp giấy chứng nhận quyền sử dụng đất – hạn trả 28/04/2026 – trễ 1 ngày" in body
    assert "liên thông" in body.split("H05", 1)[1].splitlines()[0]
    assert "[Sắp đến hạn] H04 – Đăng ký khai sinh – hạn trả 29/04/2026 – đến hạn hôm nay" in body
    giang = by_name(batch_for(office))[GIANG]
    assert "1) Chưa có người xử lý: 1 quá hạn" in giang.body


def test_unmatched_work_is_reported(office):
    batch = batch_for(office)
    assert [(g.handler, g.codes) for g in batch.unmatched] == [(EM, ["H12"]), (None, ["H10"])]
    assert unmatched_summary(batch)[0].startswith("Hoàng Văn Em (UBND phường Bến Thành): 1 quá hạn")


def test_leader_sms_within_two_segments_lists_what_fits_then_the_rest_and_link(office):
    hoa = by_name(batch_for(office, sms_segment_limit=2))[HOA]
    prefix = ("Đặng Thị Hoa: UBND phường Bến Thành có 4 HS quá hạn, 3 HS sắp đến hạn "
              "(dữ liệu 28/04/2026). ")
    # 92 units of frame; one code would need 92 + 18 + 36 = 146 > 134.
    assert hoa.short.text == prefix + f"Xem danh sách 7 HS tại {URL}."
    assert (hoa.short.measure.encoding, hoa.short.measure.segments, hoa.short.shown) == (UCS2, 2, 0)
    # Unaccented, the whole list fits two GSM-7 segments (185 septets ≤ 306).
    assert hoa.short_plain.shown == 7
    assert (hoa.short_plain.measure.encoding, hoa.short_plain.measure.segments) == (GSM7, 2)
    # One segment: unaccented, 160 septets hold three codes (92 + 28 + 36 = 156);
    # with diacritics not even the frame fits 70 units, so it is cut.
    one = by_name(batch_for(office, sms_segment_limit=1))[HOA]
    assert one.short_plain.text == (
        "Dang Thi Hoa: UBND phuong Ben Thanh co 4 HS qua han, 3 HS sap den han (du lieu 28/04/2026). "
        f"Nguyen Van An: H13, H01, H11 va 4 HS khac, xem {URL}."
    )
    assert (one.short_plain.measure.segments, one.short_plain.shown) == (1, 3)
    assert one.short.truncated and one.short.measure.units == 70 and one.short.text.endswith("…")
    wide = by_name(batch_for(office, sms_segment_limit=3))[HOA]
    assert wide.short.shown == 7 and wide.short.text.endswith(
        "Nguyễn Văn An: H13, H01, H11; Hoàng Văn Em: H12; Phạm Thị Dung: H05; Trần Thị Bình: H04, H02.")


def test_handler_sms_separates_overdue_and_near_due(office):
    an = by_name(batch_for(office))[AN]
    assert an.short.text == ("Nguyễn Văn An: 2 HS quá hạn, 1 HS sắp đến hạn (dữ liệu 28/04/2026). "
                             "Quá hạn: H13, H01. Sắp đến hạn: H11.")
    subject, text = an.content(SHORT, unaccented=True)
    assert text == ("Nguyen Van An: 2 HS qua han, 1 HS sap den han (du lieu 28/04/2026). "
                    "Qua han: H13, H01. Sap den han: H11.")
    assert an.content(FULL) == (an.subject, an.body)
    assert an.digest_hash(FULL) != an.digest_hash(SHORT) != an.digest_hash(SHORT, True)
    assert an.digest_hash(FULL) == by_name(batch_for(office))[AN].digest_hash(FULL)


def test_office_templates_and_switches(office):
    templates = {"sms": "${ten}: ${tong} HS can xu ly. ${danh_sach}",
                 "email_subject": "[${co_quan}] ${tong} hồ sơ cần xử lý"}
    digests = by_name(batch_for(office, templates=templates, office_name="UBND phường Bến Thành"))
    assert digests[AN].short.text == "Nguyễn Văn An: 3 HS can xu ly. Quá hạn: H13, H01. Sắp đến hạn: H11."
    assert digests[AN].subject == "[UBND phường Bến Thành] 3 hồ sơ cần xử lý"
    assert set(by_name(batch_for(office, notify_leaders=False))) == {AN, BINH, CUONG, DUNG}
    assert set(by_name(batch_for(office, notify_handlers=False))) == {HOA, GIANG, HUY}
    everyone = batch_for(office, send_empty=True)
    assert len(everyone.digests) == 7


def test_send_empty_gives_a_nothing_due_digest(office):
    store, ops, _ = office
    wl = build_watchlist(store, as_of=AS_OF)
    empty = replace(wl, items=())
    batch = build_digests(empty, ContactBook.load(ops), ReminderSettings(send_empty=True))
    an = by_name(batch)[AN]
    assert an.total == 0 and "Không có hồ sơ quá hạn hoặc sắp đến hạn." in an.body
    assert "Xem chi tiết" not in an.body  # no URL configured: no dangling line
    assert build_digests(empty, ContactBook.load(ops), ReminderSettings()).digests == ()


def test_preview_text_shows_both_forms(office):
    text = preview_text(by_name(batch_for(office))[BINH])
    assert text.startswith("=== Trần Thị Bình (Cán bộ, UBND phường Bến Thành)")
    assert "SMS (UCS-2, " in text and "Sắp đến hạn: H04, H02." in text


def test_template_validation():
    assert validate_templates(DEFAULT_TEMPLATES) == []
    assert "không có biến ${foo}" in validate_template("sms", "${foo} ${danh_sach}")[0]
    assert "dấu $" in validate_template("email_body", "Giá 5$ ${ten}")[0]
    assert "cần có ${danh_sach}" in validate_template("sms_leader", "${ten}")[0]
    assert validate_template("email_body", "Giá $$5 cho ${ten}") == []
    assert "Không có mẫu" in validate_template("fax", "x")[0]
    assert "trống" in validate_template("sms", "  ")[0]
    # Substitution is plain text: no attribute access, no evaluation.
    assert render("${ten} ${ten.__class__} {0}", {"ten": "An"}) == "An ${ten.__class__} {0}"
    assert render("a\n\n\n\nb  \n", {}) == "a\n\nb"


def test_near_due_threshold_wording(office):
    store, ops, _ = office
    wl = build_watchlist(store, as_of=AS_OF, near_due_days=0)
    digests = by_name(build_digests(wl, ContactBook.load(ops), ReminderSettings(near_due_days=0)))
    assert "(hạn trong hôm nay)" in digests[BINH].body
    assert set(digests[BINH].codes) == {"H04"}


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_every_short_form_respects_the_limit(office, limit):
    for digest in batch_for(office, sms_segment_limit=limit).digests:
        assert digest.short.measure.segments <= limit
        assert digest.short_plain.measure.segments <= limit


def test_long_procedure_names_are_shortened_at_a_word():
    from analytics.reminders.digest import shorten

    name = ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các "
            "trường hợp chuyển nhượng, cho thuê")
    assert shorten(name, 90) == ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất "
                                 "trong các…")
    assert len(shorten(name, 90)) <= 90
    assert shorten("Đăng ký khai sinh", 90) == "Đăng ký khai sinh"


def test_an_agency_officers_previews_are_their_agencys_only(office):
    # What the Nhắc việc page builds for an agency officer of A: the scoped
    # watchlist and the scoped contact book. Even with "send empty" on (every
    # contact would get a digest) nobody of B or TNMT is previewed, and
    # Hoa's digest names H05 without its holder (TNMT) or handler (Dung).
    store, ops, _ = office
    scope = {"UBND phường Bến Thành"}
    wl = build_watchlist(store, as_of=AS_OF, scope=scope)
    book = ContactBook.load(ops).within(scope)
    batch = build_digests(wl, book, ReminderSettings(dashboard_url=URL, send_empty=True))
    assert set(by_name(batch)) == {AN, BINH, HOA}
    hoa = by_name(batch)[HOA]
    assert "H05" in hoa.codes
    text = "\n".join([hoa.subject, hoa.body, hoa.short.text])
    assert DUNG not in text and "Phòng Tài nguyên và Môi trường" not in text
    assert ContactBook.load(ops).within(None).contacts == ContactBook.load(ops).contacts
