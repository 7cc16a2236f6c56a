"""The alias table: which export headers and sheet names mean which of our columns.

Headers are matched after :func:`header_key` (case, diacritics, đ/Đ, extra
spaces and punctuation folded away; a parenthesised note such as "(*)" or
"(dd/mm/yyyy)" dropped), so "MÃ HỒ SƠ", "Ma ho so" and "Mã hồ sơ" are one
column. docs/IMPORT.md prints this table; a test checks the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_DOSSIER_CODE = ("Mã hồ sơ", "Số hồ sơ", "Mã HS", "Mã số hồ sơ")
_PROCEDURE_CODE = ("Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính", "Mã số TTHC")
_PROCEDURE_NAME = ("Tên TTHC", "Tên thủ tục", "Tên thủ tục hành chính", "Thủ tục hành chính", "Thủ tục")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "dossiers": (
        Column("code", _DOSSIER_CODE, required=True),
        Column("procedure_code", _PROCEDURE_CODE, required=True),
        Column("procedure_name", _PROCEDURE_NAME),
        Column("field", ("Lĩnh vực", "Tên lĩnh vực")),
        Column(
            "agency",
            (
                "Cơ quan giải quyết", "Đơn vị xử lý", "Đơn vị", "Đơn vị giải quyết",
                "Cơ quan xử lý", "Cơ quan thực hiện", "Đơn vị tiếp nhận", "Cơ quan tiếp nhận",
            ),
            required=True,
        ),
        Column("level", ("Cấp", "Cấp đơn vị", "Cấp cơ quan", "Cấp thực hiện")),
        Column(
            "channel",
            ("Kênh nộp", "Hình thức nộp", "Hình thức tiếp nhận", "Kênh tiếp nhận",
             "Hình thức nộp hồ sơ", "Kênh nộp hồ sơ"),
            required=True,
        ),
        Column(
            "received_at",
            ("Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận", "Ngày nhận hồ sơ", "Ngày tiếp nhận hồ sơ"),
            required=True,
        ),
        Column("due_at", ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn giải quyết"), required=True),
        Column(
            "finished_at",
            ("Ngày kết thúc xử lý", "Ngày có kết quả", "Ngày hoàn thành", "Ngày xử lý xong", "Ngày kết thúc"),
        ),
        Column("returned_at", ("Ngày trả kết quả", "Ngày trả", "Thời gian trả kết quả")),
        Column("status", ("Trạng thái", "Trạng thái hồ sơ", "Tình trạng", "Tình trạng hồ sơ")),
        Column("inter_agency", ("Liên thông", "Hồ sơ liên thông", "Là hồ sơ liên thông")),
        Column(
            "result_attached",
            ("Đã gắn kết quả", "Gắn kết quả", "Đã gắn kết quả điện tử", "Kết quả điện tử", "Có kết quả điện tử"),
        ),
        Column("paid_online", ("Thanh toán trực tuyến", "Đã thanh toán trực tuyến", "Thanh toán qua DVC")),
        Column("digitised", ("Số hóa", "Đã số hóa", "Số hóa hồ sơ", "Đã số hóa hồ sơ")),
        Column("satisfaction", ("Mức độ hài lòng", "Đánh giá", "Điểm đánh giá", "Đánh giá hài lòng")),
    ),
    "steps": (
        Column("dossier_code", _DOSSIER_CODE, required=True),
        Column("step_no", ("Bước", "Bước số", "Thứ tự bước", "STT bước"), required=True),
        Column("step_name", ("Tên bước", "Giai đoạn", "Tên giai đoạn", "Bước xử lý"), required=True),
        Column(
            "handler",
            ("Người xử lý", "Người thụ lý", "Cán bộ xử lý", "Cán bộ thụ lý", "Chuyên viên xử lý"),
            required=True,
        ),
        Column("agency", ("Đơn vị xử lý", "Đơn vị", "Cơ quan xử lý", "Phòng ban xử lý", "Phòng ban")),
        Column("started_at", ("Ngày bắt đầu", "Thời gian bắt đầu", "Bắt đầu")),
        Column("due_at", ("Hạn xử lý", "Thời hạn xử lý", "Ngày hết hạn", "Hạn hoàn thành"), required=True),
        Column("finished_at", ("Ngày kết thúc", "Thời gian kết thúc", "Ngày hoàn thành", "Kết thúc")),
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
    ),
    "agencies": (
        Column("name", ("Tên đơn vị", "Đơn vị", "Tên cơ quan", "Cơ quan"), required=True),
        Column("level", ("Cấp", "Cấp đơn vị", "Cấp hành chính")),
        Column("parent", ("Đơn vị cấp trên", "Cơ quan cấp trên", "Đơn vị chủ quản", "Cơ quan chủ quản")),
    ),
}

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
_NOT_WORD = re.compile(r"[^a-z0-9/]+")


def header_key(text: object) -> str:
    """The form a header is matched in: folded, notes and punctuation removed."""
    if text is None:
        return ""
    folded = fold(_PARENTHESISED.sub(" ", str(text)))
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


def table_of_sheet(name: str) -> str | None:
    return SHEET_TABLES.get(sheet_key(name))
