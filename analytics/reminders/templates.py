"""Message templates an office can edit.

Templates use :class:`string.Template` placeholders (``${ten}``, ``$qua_han``;
``$$`` for a literal dollar sign): plain substitution of known names, no
expressions, no attribute access, nothing evaluated. A template naming an
unknown placeholder is refused when saved, so rendering never fails later.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Mapping

# Placeholder -> what it holds (shown on the settings page).
VARIABLES: dict[str, str] = {
    "ten": "Họ tên người nhận",
    "don_vi": "Đơn vị của người nhận (lãnh đạo: các đơn vị phụ trách)",
    "co_quan": "Tên cơ quan gửi (thiết lập office_name)",
    "ngay": "Ngày nhắc (dd/mm/yyyy)",
    "gio": "Giờ của đợt gửi (HH:MM)",
    "ngay_du_lieu": "Ngày cập nhật dữ liệu (dd/mm/yyyy)",
    "qua_han": "Số hồ sơ quá hạn",
    "sap_den_han": "Số hồ sơ sắp đến hạn",
    "tong": "Tổng số hồ sơ cần nhắc",
    "nguong": "Mô tả ngưỡng sắp đến hạn, ví dụ 'hạn trong 1 ngày làm việc tới'",
    "danh_sach": "Danh sách mã hồ sơ (thư: đầy đủ; SMS: rút gọn theo giới hạn)",
    "duong_dan": "Đường dẫn trang Nhắc việc",
    "lien_ket": "Dòng 'Xem chi tiết: <đường dẫn>' (trống nếu chưa có đường dẫn)",
}

DEFAULT_TEMPLATES: dict[str, str] = {
    "email_subject": "Nhắc việc ngày ${ngay}: ${qua_han} hồ sơ quá hạn, ${sap_den_han} hồ sơ sắp đến hạn",
    "email_body": (
        "Kính gửi đồng chí ${ten},\n"
        "\n"
        "Theo dữ liệu một cửa điện tử cập nhật đến ngày ${ngay_du_lieu}, tính đến ngày ${ngay} "
        "đồng chí đang xử lý ${qua_han} hồ sơ quá hạn và ${sap_den_han} hồ sơ sắp đến hạn (${nguong}).\n"
        "\n"
        "${danh_sach}\n"
        "\n"
        "${lien_ket}\n"
        "\n"
        "--\n"
        "Tin nhắn tự động của hệ thống Nhắc việc một cửa điện tử. Hồ sơ đã xử lý xong sau ngày "
        "${ngay_du_lieu} có thể vẫn còn trong danh sách.\n"
        "${co_quan}\n"
    ),
    "email_subject_leader": (
        "Nhắc việc ngày ${ngay} – ${don_vi}: ${qua_han} hồ sơ quá hạn, ${sap_den_han} hồ sơ sắp đến hạn"
    ),
    "email_body_leader": (
        "Kính gửi đồng chí ${ten},\n"
        "\n"
        "Theo dữ liệu một cửa điện tử cập nhật đến ngày ${ngay_du_lieu}, tính đến ngày ${ngay} "
        "${don_vi} có ${qua_han} hồ sơ quá hạn và ${sap_den_han} hồ sơ sắp đến hạn (${nguong}), "
        "theo từng người xử lý:\n"
        "\n"
        "${danh_sach}\n"
        "\n"
        "${lien_ket}\n"
        "\n"
        "--\n"
        "Tin nhắn tự động của hệ thống Nhắc việc một cửa điện tử. Hồ sơ đã xử lý xong sau ngày "
        "${ngay_du_lieu} có thể vẫn còn trong danh sách.\n"
        "${co_quan}\n"
    ),
    "sms": "${ten}: ${qua_han} HS quá hạn, ${sap_den_han} HS sắp đến hạn (dữ liệu ${ngay_du_lieu}). ${danh_sach}",
    "sms_leader": (
        "${ten}: ${don_vi} có ${qua_han} HS quá hạn, ${sap_den_han} HS sắp đến hạn "
        "(dữ liệu ${ngay_du_lieu}). ${danh_sach}"
    ),
}

TEMPLATE_NAMES = tuple(DEFAULT_TEMPLATES)
TEMPLATE_LABELS = {
    "email_subject": "Tiêu đề thư – cán bộ",
    "email_body": "Nội dung thư – cán bộ",
    "email_subject_leader": "Tiêu đề thư – lãnh đạo",
    "email_body_leader": "Nội dung thư – lãnh đạo",
    "sms": "Tin nhắn SMS/Zalo – cán bộ",
    "sms_leader": "Tin nhắn SMS/Zalo – lãnh đạo",
}

_BLANK_RUNS = re.compile(r"\n{3,}")


def validate_template(name: str, text: object) -> list[str]:
    """Problems of one template (Vietnamese), empty when it can be used."""
    label = TEMPLATE_LABELS.get(name, name)
    if name not in DEFAULT_TEMPLATES:
        return [f"Không có mẫu '{name}'"]
    if not isinstance(text, str) or not text.strip():
        return [f"{label}: mẫu trống"]
    template = string.Template(text)
    if not template.is_valid():
        return [f"{label}: dấu $ đặt sai chỗ (dùng ${{ten_bien}}, hoặc $$ cho chính ký tự $)"]
    unknown = sorted(set(template.get_identifiers()) - VARIABLES.keys())
    if unknown:
        return [f"{label}: không có biến {', '.join('${' + u + '}' for u in unknown)}"]
    if name.startswith("sms") and "danh_sach" not in template.get_identifiers():
        return [f"{label}: cần có ${{danh_sach}} (danh sách mã hồ sơ)"]
    return []


def validate_templates(templates: Mapping[str, str]) -> list[str]:
    errors: list[str] = []
    for name, text in (templates or {}).items():
        errors.extend(validate_template(name, text))
    return errors


def template_text(name: str, overrides: Mapping[str, str] | None = None) -> str:
    """The office's version of a template, else the default."""
    if overrides and overrides.get(name):
        return overrides[name]
    return DEFAULT_TEMPLATES[name]


def render(text: str, values: Mapping[str, object]) -> str:
    """Fill a template; NFC output, trailing spaces trimmed, runs of blank lines
    collapsed (an empty ``${lien_ket}`` leaves no hole)."""
    filled = string.Template(text).safe_substitute({k: "" if v is None else str(v) for k, v in values.items()})
    lines = [line.rstrip() for line in filled.splitlines()]
    out = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    return unicodedata.normalize("NFC", out)
