"""The alias table: which export headers and sheet names mean which of our columns.

Headers are matched after :func:`header_key` (case, diacritics, đ/Đ, extra
spaces and punctuation folded away; a parenthesised note such as "(*)" or
"(dd/mm/yyyy)" dropped), so "MÃ HỒ SƠ", "Ma ho so" and "Mã hồ sơ" are one
column. docs/IMPORT.md prints this table; a test checks the two agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from analytics.locale.text import fold

TABLES = ("dossiers", "steps", "procedures", "agencies")

# What the user reads for each table (summary, errors, rejects file).
TABLE_LABELS = {
    "dossiers": "Hồ sơ",
    "steps": "Quá trình xử lý",
    "procedures": "Danh mục TTHC",
    "agencies": "Danh mục đơn vị",
}


@dataclass(frozen=True)
class Column:
    """One of our columns and the headers that exports print for it.

    ``aliases`` are written as people write them; the first is the label we
    show. When a sheet has two headers for the same column, the one listed
    first wins and the other is reported as ignored.
    """

    name: str
    aliases: tuple[str, ...]
    required: bool = False

    @property
    def label(self) -> str:
        return self.aliases[0]


_DOSSIER_CODE = ("Mã hồ sơ", "Số hồ sơ", "Mã HS", "Mã số hồ sơ", "Mã hồ sơ hành chính", "Số biên nhận",
                 "Mã biên nhận")
_PROCEDURE_CODE = ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã số TTHC")
_PROCEDURE_NAME = ("Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính", "Thủ tục hành chính", "Thủ tục")
# Headers are folded after CamelCase is split, so the national sync field
# names (MaHoSo, NgayHenTra, DonViXuLy...) are the same keys as the
# Vietnamese words ("Mã hồ sơ", "Ngày hẹn trả", "Đơn vị xử lý").

COLUMNS: dict[str, tuple[Column, ...]] = {
    "dossiers": (
        Column("code", _DOSSIER_CODE, required=True),
        Column("procedure_code", _PROCEDURE_CODE),
        Column("procedure_name", _PROCEDURE_NAME),
        # MaLinhVuc is a code, not a name: used only when no name column exists.
        Column("field", ("Lĩnh vực", "Tên lĩnh vực", "Mã lĩnh vực")),
        # The receiving agency: the one scope and every indicator use.
        Column(
            "agency",
            ("Cơ quan giải quyết", "Đơn vị tiếp nhận", "Cơ quan tiếp nhận", "Đơn vị",
             "Cơ quan xử lý", "Cơ quan thực hiện", "Nơi tiếp nhận"),
            required=True,
        ),
        # The resolving agency: stored on its own, and the receiving agency
        # when a file has no column for that (the import report says so).
        Column(
            "resolving_agency",
            ("Đơn vị chủ trì giải quyết", "Cơ quan chủ trì giải quyết", "Đơn vị giải quyết",
             "Đơn vị xử lý", "Cơ quan chủ trì", "Đơn vị chủ trì"),
        ),
        # Dossier-level staff (the handler indicators fall back to it when a
        # file has no steps).
        Column(
            "handler",
            ("Đơn vị/ cá nhân giải quyết", "Cán bộ xử lý", "Cán bộ đang xử lý", "Người xử lý",
             "Cán bộ thụ lý", "Chuyên viên xử lý", "Người đang xử lý"),
        ),
        Column("level", ("Cấp", "Cấp đơn vị", "Cấp cơ quan", "Cấp thực hiện")),
        # The receiving agency's code (MaDonVi, MaCoQuan): it tells apart two
        # units with one name, an old commune and the new one that took its
        # name on 1/7/2025 (analytics/store/units.py, code first).
        Column("agency_code", ("Mã đơn vị", "Mã cơ quan", "Mã đơn vị tiếp nhận", "Mã cơ quan tiếp nhận",
                               "Mã cơ quan giải quyết", "Mã đơn vị hành chính")),
        Column(
            "channel",
            ("Kênh nộp", "Hình thức nộp", "Hình thức tiếp nhận", "Kênh tiếp nhận",
             "Hình thức nộp hồ sơ", "Kênh nộp hồ sơ", "Kênh thực hiện"),
        ),
        Column(
            "received_at",
            ("Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận", "Ngày nhận hồ sơ", "Ngày tiếp nhận hồ sơ",
             "Ngày nộp", "Ngày nộp hồ sơ", "Thời gian nộp"),
            required=True,
        ),
        Column("due_at", ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn giải quyết", "Hẹn trả kết quả",
                          "Hẹn trả")),
        # A rescheduled due date; due_at keeps the original one.
        Column("due_rescheduled_at", ("Thời hạn trả kết quả lần sau", "Ngày hẹn trả lần sau",
                                      "Hẹn trả lần sau", "Ngày hẹn trả mới", "Ngày hẹn trả điều chỉnh",
                                      "Ngày gia hạn")),
        Column(
            "finished_at",
            ("Ngày kết thúc xử lý", "Ngày có kết quả", "Ngày hoàn thành", "Ngày xử lý xong", "Ngày kết thúc",
             "Ngày hoàn thành xử lý"),
        ),
        # The day the result was handed back: a date, not the citizen's data.
        Column("returned_at", ("Ngày trả kết quả", "Ngày trả", "Thời gian trả kết quả", "Ngày trả công dân")),
        Column("status", ("Trạng thái", "Trạng thái hồ sơ", "Tình trạng", "Tình trạng hồ sơ", "Trạng thái xử lý",
                          "Trạng thái, kết quả giải quyết TTHC", "Kết quả giải quyết")),
        Column("inter_agency", ("Liên thông", "Hồ sơ liên thông", "Là hồ sơ liên thông")),
        Column(
            "result_attached",
            ("Đã gắn kết quả", "Gắn kết quả", "Đã gắn kết quả điện tử", "Kết quả điện tử", "Có kết quả điện tử"),
        ),
        Column("paid_online", ("Thanh toán trực tuyến", "Đã thanh toán trực tuyến", "Thanh toán qua DVC",
                               "Được thanh toán trực tuyến")),
        Column("digitised", ("Số hóa", "Đã số hóa", "Số hóa hồ sơ", "Đã số hóa hồ sơ")),
        Column("satisfaction", ("Mức độ hài lòng", "Đánh giá", "Điểm đánh giá", "Đánh giá hài lòng")),
        # What the 766 index needs (docs/INDICATORS.md, "Chỉ số 766"). Each is
        # optional: absent, the sub-criteria that need it say "no data".
        # Supplement requests stop the portal's clock (2.1).
        Column("supplement_count", ("Số lần yêu cầu bổ sung", "Số lần bổ sung", "Số lần yêu cầu bổ sung hồ sơ")),
        Column("supplement_requested_at", ("Ngày yêu cầu bổ sung", "Thời gian yêu cầu bổ sung",
                                           "Ngày yêu cầu bổ sung hồ sơ")),
        Column("supplement_completed_at", ("Ngày hoàn thành bổ sung", "Thời gian hoàn thành bổ sung",
                                           "Ngày nộp bổ sung", "Ngày bổ sung hồ sơ")),
        # 4.3: a component reused from digitised data (HoSoCoThanhPhanSoHoa).
        Column("data_reused", ("Tái sử dụng dữ liệu số hóa", "Hồ sơ có thành phần số hóa",
                               "Sử dụng lại dữ liệu số hóa", "Khai thác dữ liệu số hóa")),
        # 4.4: a component taken from the citizen's data store (DuocLayTuKhoDMQG).
        Column("citizen_store", ("Được lấy từ kho DMQG", "Lấy từ kho dữ liệu", "Lấy từ kho DMQG",
                                 "Kho dữ liệu điện tử")),
        # 4.5b: the account verified with VNeID / data from the population database.
        Column("vneid", ("Tài khoản được xác thực với VNeID", "Xác thực VNeID", "VNeID",
                         "Sử dụng CSDL dân cư", "Dữ liệu từ CSDL dân cư")),
    ),
    # Three shapes of step data share this table: a step list (Bước, Tên bước,
    # Hạn xử lý), an event log (ThoiGian, NguoiGui, NguoiNhan, ThaoTac,
    # NgayHetHanBuocXuLy: one row per hand-over) and a task list (Vai trò,
    # Công việc, Thời hạn quy định, Ngày bắt đầu, Ngày kết thúc, Người thực
    # hiện). Step numbers, names and due dates that a shape lacks are derived
    # (analytics.ingest.importer._validate_steps).
    "steps": (
        Column("dossier_code", _DOSSIER_CODE, required=True),
        Column("step_no", ("Bước", "Bước số", "Thứ tự bước", "STT bước", "Thứ tự")),
        Column("step_name", ("Tên bước", "Giai đoạn", "Tên giai đoạn", "Bước xử lý", "Thao tác", "Công việc",
                             "Nội dung xử lý", "Hành động", "Vai trò")),
        Column(
            "handler",
            ("Người xử lý", "Người thụ lý", "Cán bộ xử lý", "Cán bộ thụ lý", "Chuyên viên xử lý",
             "Người thực hiện", "Người nhận", "Cán bộ nhận", "Người được giao"),
            required=True,
        ),
        Column("agency", ("Đơn vị xử lý", "Đơn vị", "Cơ quan xử lý", "Phòng ban xử lý", "Phòng ban",
                          "Đơn vị nhận")),
        Column("started_at", ("Ngày bắt đầu", "Thời gian bắt đầu", "Bắt đầu", "Thời gian", "Thời điểm",
                              "Ngày chuyển", "Thời gian chuyển")),
        Column("due_at", ("Hạn xử lý", "Thời hạn xử lý", "Ngày hết hạn", "Hạn hoàn thành",
                          "Ngày hết hạn bước xử lý", "Hạn xử lý bước")),
        # A duration (task lists): "2 ngày", "4 giờ", 1.5 (working days).
        Column("allowance", ("Thời hạn quy định", "Thời gian quy định", "Số ngày quy định", "Thời hạn")),
        Column("finished_at", ("Ngày kết thúc", "Thời gian kết thúc", "Ngày hoàn thành", "Kết thúc")),
        # The sender of a hand-over: staff, kept apart from citizen data, not stored.
        Column("sender", ("Người gửi", "Cán bộ gửi", "Người chuyển", "Đơn vị gửi")),
    ),
    "procedures": (
        Column("code", _PROCEDURE_CODE, required=True),
        Column("name", _PROCEDURE_NAME, required=True),
        Column("field", ("Lĩnh vực", "Tên lĩnh vực"), required=True),
        Column("level", ("Cấp thực hiện", "Cấp", "Cấp giải quyết")),
        Column(
            "online_level",
            ("Mức độ DVCTT", "Mức độ DVC", "Mức độ", "Mức độ dịch vụ công trực tuyến",
             "Mức độ DVC trực tuyến", "DVCTT", "Dịch vụ công trực tuyến"),
        ),
        Column("published_on", ("Ngày công bố", "Ngày quyết định công bố")),
        Column("in_force", ("Trạng thái", "Tình trạng", "Hiệu lực", "Tình trạng hiệu lực")),
        # The legal time limit: "05 ngày làm việc", "15 ngày", "8 giờ làm việc", "3 tháng".
        Column("time_limit", ("Thời hạn giải quyết", "Thời gian giải quyết", "Thời hạn")),
        # Attributes the 766 denominators use (4.1, 3.6, DVCTT), all optional.
        Column("paper_result", ("Kết quả giấy", "Có kết quả giấy", "Kết quả bản giấy")),
        Column("fee_bearing", ("Có phí, lệ phí", "Có phí lệ phí", "Phí, lệ phí", "Phí lệ phí", "Có thu phí")),
        Column("fully_online_eligible", ("Đủ điều kiện toàn trình", "Đủ điều kiện cung cấp toàn trình",
                                         "Đủ điều kiện DVCTT toàn trình")),
    ),
    "agencies": (
        Column("name", ("Tên đơn vị", "Đơn vị", "Tên cơ quan", "Cơ quan"), required=True),
        Column("level", ("Cấp", "Cấp đơn vị", "Cấp hành chính")),
        Column("parent", ("Đơn vị cấp trên", "Cơ quan cấp trên", "Đơn vị chủ quản", "Cơ quan chủ quản")),
        Column("code", ("Mã đơn vị", "Mã cơ quan", "Mã đơn vị hành chính")),
    ),
}

# Staff columns per table, checked before the citizen-word rules below (which
# would drop "Người tiếp nhận" for its "người nhận"...). Those that map to a
# column of ours are in COLUMNS; these have no place in the store and are
# ignored, not dropped: they name officers, not applicants.
STAFF_HEADERS: dict[str, tuple[str, ...]] = {
    "dossiers": ("Người tiếp nhận", "Cán bộ tiếp nhận", "Họ tên người tiếp nhận", "Họ tên cán bộ tiếp nhận",
                 "Cán bộ trả kết quả", "Người trả kết quả", "Người ký", "Lãnh đạo ký",
                 "Người gửi", "Người nhận xử lý"),
    "steps": ("Họ tên người xử lý", "Họ tên cán bộ xử lý", "Người ký"),
    "procedures": (),
    "agencies": (),
}
# Read as a cross-check only: lateness always comes from the dates, so these
# are reported as ignored, with that reason.
CROSS_CHECK_HEADERS = ("Hồ sơ quá hạn giải quyết", "Số ngày quá hạn giải quyết", "Số ngày quá hạn", "Quá hạn",
                       "Hồ sơ quá hạn", "Trễ hạn", "Số ngày trễ hạn")

SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "dossiers": ("Danh sách hồ sơ", "Hồ sơ", "HoSo", "DS hồ sơ"),
    "steps": ("Quá trình xử lý", "QuaTrinhXuLy"),
    "procedures": ("Danh mục TTHC", "TTHC", "Danh mục thủ tục"),
    "agencies": ("Danh mục đơn vị", "DanhMucDonVi", "Đơn vị"),
}

# Headers that carry an applicant's personal data. They are dropped on read:
# their values never reach a frame, the database or the rejects file.
CITIZEN_HEADERS = (
    "Chủ hồ sơ", "Người nộp", "Tên người nộp", "Họ tên người nộp", "Họ và tên", "Họ tên",
    "Số CCCD/CMND", "CCCD", "CMND", "Số CCCD", "Số CMND", "CCCD/CMND", "Số định danh",
    "Mã định danh", "Số hộ chiếu", "Địa chỉ", "Địa chỉ người nộp", "Số điện thoại",
    "Điện thoại", "SĐT", "Email", "E-mail", "Thư điện tử", "Ngày sinh", "Giới tính",
    "Người đại diện", "Tổ chức/cá nhân", "Người nhận kết quả", "Mã số thuế",
)
# Words that mark a header as personal data even in spellings not listed
# above ("Địa chỉ thường trú", "Số CCCD người nộp"...); matched on whole words.
_CITIZEN_WORDS = re.compile(
    r"\b(?:chu ho so|nguoi nop|nguoi dung ten|cccd|cmnd|can cuoc|chung minh|ho chieu|"
    r"dinh danh|dia chi|dien thoai|sdt|email|e mail|thu dien tu|ngay sinh|gioi tinh|"
    r"ho ten|ho va ten|nguoi dai dien|nguoi nhan|ca nhan|cong dan|ma so thue|fax|zalo)\b"
)

_PARENTHESISED = re.compile(r"\([^)]*\)")
# A lower-case letter followed by an upper-case one: a CamelCase word break
# (MaHoSo -> Ma Ho So; "DVCTT" and "Mã HS" stay as they are).
# Matched after diacritics are removed, so only ASCII letters need be looked at.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9/]+")


def header_key(text: object) -> str:
    """The form a header is matched in: folded, notes and punctuation removed."""
    if text is None:
        return ""
    return _header_key(str(text))


# The header search folds the same few cells for every candidate start and
# height (30 x 3 x tables): remembering them saved 0.7 s of CPU per file.
@lru_cache(maxsize=8192)
def _header_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _PARENTHESISED.sub(" ", text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")
    folded = fold(_CAMEL.sub(" ", plain))
    return _NOT_WORD.sub(" ", folded).strip()


def sheet_key(text: object) -> str:
    """Sheet names match folded and without spaces ("HoSo" is "Hồ sơ")."""
    return header_key(text).replace(" ", "")


ALIASES: dict[str, dict[str, str]] = {
    table: {header_key(alias): col.name for col in cols for alias in reversed(col.aliases)}
    for table, cols in COLUMNS.items()
}
# Priority of each alias inside its column (lower wins) for duplicate headers.
ALIAS_RANK: dict[str, dict[str, int]] = {
    table: {header_key(alias): rank for col in cols for rank, alias in enumerate(col.aliases)}
    for table, cols in COLUMNS.items()
}
SHEET_TABLES: dict[str, str] = {
    sheet_key(name): table for table, names in SHEET_NAMES.items() for name in names
}
_CITIZEN_KEYS = frozenset(header_key(h) for h in CITIZEN_HEADERS)
_STAFF_KEYS = {table: frozenset(header_key(h) for h in names) for table, names in STAFF_HEADERS.items()}
_CROSS_CHECK_KEYS = frozenset(header_key(h) for h in CROSS_CHECK_HEADERS)


def column(table: str, name: str) -> Column:
    for col in COLUMNS[table]:
        if col.name == name:
            return col
    raise KeyError(f"{table}.{name}")


def required_columns(table: str) -> tuple[str, ...]:
    return tuple(col.name for col in COLUMNS[table] if col.required)


def is_citizen_header(text: object) -> bool:
    key = header_key(text)
    return key in _CITIZEN_KEYS or bool(_CITIZEN_WORDS.search(key))


def is_staff_header(text: object, table: str) -> bool:
    return header_key(text) in _STAFF_KEYS.get(table, frozenset())


def is_cross_check_header(text: object) -> bool:
    return header_key(text) in _CROSS_CHECK_KEYS


def table_of_sheet(name: str) -> str | None:
    return SHEET_TABLES.get(sheet_key(name))
