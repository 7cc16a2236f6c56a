"""A small hand-built office whose every indicator was counted by hand.

Period under test: 01/03/2026 – 31/03/2026. The data date is 02/04/2026 (D08
finished then), so as_of = 31/03/2026. The expected values in the tests come
from the comments here, not from running the engine.
"""

from datetime import date, datetime

XA = "UBND xã Hòa An"
PHUONG = "UBND phường Đông Hòa"
TNMT = "Phòng Tài nguyên và Môi trường"

AGENCIES = [
    (XA, "Xã", "UBND huyện Ninh Hòa"),
    (PHUONG, "Xã", "UBND huyện Ninh Hòa"),
    (TNMT, "Huyện", "UBND huyện Ninh Hòa"),
]

PROCEDURES = [
    # code, name, field, level, online level, published, in force
    ("P1", "Chứng thực bản sao từ bản chính", "Chứng thực", "Xã", "Toàn trình", date(2020, 1, 1), True),
    ("P2", "Đăng ký khai sinh", "Hộ tịch", "Xã", "Toàn trình", date(2021, 5, 1), True),
    ("P3", "Giao đất, cho thuê đất", "Đất đai", "Huyện", "Một phần", None, True),
    # Never used, old: listed with no last dossier.
    ("P4", "Thẩm định phương án khai thác", "Đất đai", "Huyện", "Không", date(2019, 1, 1), True),
    # Published less than three years before 31/03/2026: not listed.
    ("P5", "Thủ tục mới công bố", "Đất đai", "Huyện", "Không", date(2024, 1, 1), True),
    # Abolished: not listed.
    ("P6", "Thủ tục đã bãi bỏ", "Hộ tịch", "Xã", "Không", date(2015, 1, 1), False),
    # Last dossier 01/06/2022, before the window start 31/03/2023: listed.
    ("P7", "Đăng ký giám hộ", "Hộ tịch", "Xã", "Một phần", date(2018, 1, 1), True),
    # Last dossier 15/04/2023, inside the window: not listed.
    ("P8", "Chứng thực chữ ký", "Chứng thực", "Xã", "Toàn trình", date(2018, 1, 1), True),
    # Only a status-3 dossier: listed, as if never used.
    ("P9", "Chứng thực hợp đồng thế chấp", "Chứng thực", "Xã", "Một phần", date(2018, 1, 1), True),
]


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


DOSSIERS = [
    # code, procedure, field, agency, channel, received, due, finished, status, inter-agency
    # New in March, early (finished 03/03 < due 04/03).
    ("D01", "P1", "Chứng thực", XA, "online", dt("2026-03-02 08:00"), dt("2026-03-04 17:00"), dt("2026-03-03 10:00"), 10),
    # New, on time (same date as due, earlier hour).
    ("D02", "P1", "Chứng thực", XA, "direct", dt("2026-03-05 09:00"), dt("2026-03-06 17:00"), dt("2026-03-06 16:00"), 10),
    # Carried over, resolved 2 days late.
    ("D03", "P3", "Đất đai", TNMT, "direct", dt("2026-02-20 08:00"), dt("2026-03-10 17:00"), dt("2026-03-12 10:00"), 10),
    # New, pending within (due 10/04 >= as_of).
    ("D04", "P3", "Đất đai", TNMT, "postal", dt("2026-03-20 08:00"), dt("2026-04-10 17:00"), None, 4),
    # Carried over, pending overdue (due 15/03).
    ("D05", "P3", "Đất đai", TNMT, "direct", dt("2026-02-01 08:00"), dt("2026-03-15 17:00"), None, 4),
    # Carried over, pending, overdue by date but status 5 (waiting for the citizen): within.
    ("D06", "P2", "Hộ tịch", PHUONG, "online", dt("2026-02-25 08:00"), dt("2026-03-02 17:00"), None, 5),
    # Finished before the period (late, 27/02 > 15/02): outside March entirely.
    ("D07", "P2", "Hộ tịch", PHUONG, "online", dt("2026-02-10 08:00"), dt("2026-02-15 17:00"), dt("2026-02-27 10:00"), 10),
    # New, finished after the period: pending at 31/03 and overdue (due 12/03).
    ("D08", "P2", "Hộ tịch", PHUONG, "online", dt("2026-03-10 08:00"), dt("2026-03-12 17:00"), dt("2026-04-02 10:00"), 9),
    # Status 3 and 1: left out of everything.
    ("D09", "P1", "Chứng thực", XA, "online", dt("2026-03-15 08:00"), dt("2026-03-16 17:00"), dt("2026-03-15 09:00"), 3),
    ("D10", "P1", "Chứng thực", XA, "direct", dt("2026-03-16 08:00"), dt("2026-03-17 17:00"), None, 1),
    # Received after the period.
    ("D11", "P3", "Đất đai", TNMT, "direct", dt("2026-04-01 08:00"), dt("2026-04-20 17:00"), None, 4),
    # January: outside March; early.
    ("D12", "P1", "Chứng thực", XA, "online", dt("2026-01-10 08:00"), dt("2026-01-12 17:00"), dt("2026-01-11 10:00"), 10),
    # Old dossiers fixing the last-received dates of P7, P8 and P9.
    ("D13", "P7", "Hộ tịch", XA, "direct", dt("2022-06-01 08:00"), dt("2022-06-05 17:00"), dt("2022-06-04 10:00"), 10),
    ("D14", "P8", "Chứng thực", XA, "direct", dt("2023-04-15 08:00"), dt("2023-04-16 17:00"), dt("2023-04-16 10:00"), 10),
    ("D15", "P9", "Chứng thực", XA, "direct", dt("2025-01-01 08:00"), dt("2025-01-02 17:00"), dt("2025-01-01 10:00"), 3),
    # New, on time.
    ("D16", "P2", "Hộ tịch", PHUONG, "direct", dt("2026-03-25 08:00"), dt("2026-03-31 17:00"), dt("2026-03-31 10:00"), 10),
    # New, online, liên thông, 4 days late.
    ("D17", "P3", "Đất đai", TNMT, "online", dt("2026-03-03 08:00"), dt("2026-03-05 17:00"), dt("2026-03-09 10:00"), 10, True),
    # New, direct, early: makes P1 (Toàn trình) mostly paper in March (1 of 3 online).
    ("D18", "P1", "Chứng thực", XA, "direct", dt("2026-03-20 08:00"), dt("2026-03-22 17:00"), dt("2026-03-21 10:00"), 10),
]

AN, BINH, CUONG, DUNG = "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"

# Who caused each late dossier (docs/INDICATORS.md, "Trễ do bước nào"); working
# days on the office calendar, where 16–20/02/2026 are the Tết days off. A
# step's allowance is the working days from the previous step's deadline (the
# received date for the first) to its own deadline, unless the export gives one.
# * D03, late at two steps: Thẩm định (Bình) may take wd(20/02, 05/03] = 9
#   working days from its start on 20/02, took wd(20/02, 08/03] = 10: caused,
#   1 day added. Trả kết quả (An) may take wd(05/03, 10/03] = 3 from its start
#   on Sunday 08/03, took wd(08/03, 12/03] = 4: caused, 1 day added.
# * D17, late at one middle step, its last step only inherited: Thẩm định
#   (Cường, the commune) may take wd(03/03, 04/03] = 1, took wd(03/03, 06/03]
#   = 3: caused, 2 days added. Phê duyệt (Bình) may take wd(04/03, 05/03] = 1,
#   took wd(06/03, 09/03] = 1 (Monday): late by its deadline but only because
#   it started late, inherited.
# * D05, pending overdue: Thẩm định (Bình) is still open at 31/03, past its
#   deadline 10/03 and its allowance (counted from 01/02): caused.
# * D08, late with no step overrunning: its Thẩm định has 20 working days in
#   the export's task list (Thời hạn quy định) and finished 02/04, within them,
#   though after the dossier's due date 12/03: attributed to the receiving
#   agency (UBND phường Đông Hòa). Its one step ends in April: not in
#   March's step counts.
STEPS = [
    # dossier, no, name, handler, agency, started, due, finished[, allowance in working days]
    ("D03", 1, "Tiếp nhận", AN, TNMT, dt("2026-02-20 08:00"), dt("2026-02-20 17:00"), dt("2026-02-20 09:00")),
    ("D03", 2, "Thẩm định", BINH, TNMT, dt("2026-02-20 09:00"), dt("2026-03-05 17:00"), dt("2026-03-08 10:00")),
    ("D03", 3, "Trả kết quả", AN, TNMT, dt("2026-03-08 10:00"), dt("2026-03-10 17:00"), dt("2026-03-12 10:00")),
    ("D17", 1, "Tiếp nhận", AN, TNMT, dt("2026-03-03 08:00"), dt("2026-03-03 17:00"), dt("2026-03-03 09:00")),
    # The liên thông step, at the commune.
    ("D17", 2, "Thẩm định", CUONG, XA, dt("2026-03-03 09:00"), dt("2026-03-04 17:00"), dt("2026-03-06 10:00")),
    ("D17", 3, "Phê duyệt", BINH, TNMT, dt("2026-03-06 10:00"), dt("2026-03-05 17:00"), dt("2026-03-09 10:00")),
    ("D01", 1, "Tiếp nhận", DUNG, XA, dt("2026-03-02 08:00"), dt("2026-03-02 17:00"), dt("2026-03-02 09:00")),
    ("D01", 2, "Trả kết quả", DUNG, XA, dt("2026-03-02 09:00"), dt("2026-03-04 17:00"), dt("2026-03-03 10:00")),
    ("D05", 1, "Tiếp nhận", AN, TNMT, dt("2026-02-01 08:00"), dt("2026-02-01 17:00"), dt("2026-02-01 09:00")),
    # Open and overdue at as_of.
    ("D05", 2, "Thẩm định", BINH, TNMT, dt("2026-02-01 09:00"), dt("2026-03-10 17:00"), None),
    ("D08", 1, "Thẩm định", DUNG, PHUONG, dt("2026-03-10 08:00"), dt("2026-03-12 17:00"), dt("2026-04-02 10:00"), 20),
    # Of a status-3 dossier: left out although late.
    ("D09", 1, "Tiếp nhận", DUNG, XA, dt("2026-03-15 08:00"), dt("2026-03-15 17:00"), dt("2026-03-20 09:00")),
]

ROWS = {"agencies": AGENCIES, "procedures": PROCEDURES, "dossiers": DOSSIERS, "steps": STEPS}
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
