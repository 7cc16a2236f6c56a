"""Readable Vietnamese text of the indicators, for the terminal."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from analytics.locale.safe_text import plain_text

_NUMERIC = re.compile(r"^[\d.,%–-]+$")

TOTAL_LABELS = (
    ("received_total", "Tổng số hồ sơ tiếp nhận"),
    ("carried_over", "  Từ kỳ trước chuyển sang"),
    ("received_new", "  Mới tiếp nhận trong kỳ"),
    ("online", "    Trực tuyến"),
    ("direct_postal", "    Trực tiếp, bưu chính"),
    ("resolved", "Đã giải quyết"),
    ("early", "  Trước hạn"),
    ("on_time", "  Đúng hạn"),
    ("late", "  Quá hạn"),
    ("pending", "Đang giải quyết"),
    ("pending_within", "  Trong hạn"),
    ("pending_overdue", "  Quá hạn"),
    ("on_time_rate", "Tỷ lệ giải quyết đúng hạn"),
    ("online_share", "Tỷ lệ hồ sơ trực tuyến"),
    ("progress_766", "Chỉ số tiến độ (QĐ 766)"),
)


def _n(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def _d(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: numbers right-aligned, text left-aligned. Names
    from the data lose their control characters (an escape sequence would
    drive the terminal)."""
    rows = [[plain_text(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(_NUMERIC.match(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w)
                         for c, w, num in zip(cells, widths, numeric)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def indicators_table(result: dict[str, Any]) -> str:
    p = result["period"]
    parts = [f"Kỳ: {_d(p['from'])} – {_d(p['to'])}   (số liệu đến ngày {_d(p['as_of'])})\n"]
    totals = result["totals"]
    rows = [[label, _pct(totals[k]) if k.endswith(("rate", "share", "766")) else _n(totals[k])]
            for k, label in TOTAL_LABELS]
    parts.append(_table(["Chỉ số", "Giá trị"], rows))
    parts.append("\nTheo cơ quan/đơn vị\n")
    parts.append(_table(["Đơn vị", "Đã giải quyết", "Quá hạn", "Tỷ lệ quá hạn"],
                        [[r["agency"], _n(r["resolved"]), _n(r["late"]), _pct(r["late_rate"])]
                         for r in result["by_agency"]]))
    parts.append("\nTheo lĩnh vực\n")
    parts.append(_table(["Lĩnh vực", "Đã giải quyết", "Quá hạn", "Tỷ lệ quá hạn"],
                        [[r["field"] or "–", _n(r["resolved"]), _n(r["late"]), _pct(r["late_rate"])]
                         for r in result["by_field"]]))
    parts.append("\nTheo giai đoạn xử lý\n")
    parts.append(_table(["Giai đoạn", "Số bước", "Trễ hạn", "Tỷ lệ trễ"],
                        [[r["stage"], _n(r["steps"]), _n(r["late"]), _pct(r["late_rate"])]
                         for r in result["by_stage"]]))
    parts.append("\nNgười thụ lý có bước trễ hạn\n")
    parts.append(_table(["Người thụ lý", "Đơn vị", "Số bước", "Số lần trễ", "Hồ sơ trễ"],
                        [[r["handler"], r["agency"], _n(r["steps"]), _n(r["late"]), _n(r["late_dossiers"])]
                         for r in result["by_handler"] if r["late"]]))
    pwd = result["procedures_without_dossiers"]
    parts.append(f"\nTTHC không phát sinh hồ sơ trong 3 năm: {_n(len(pwd))}\n")
    if pwd:
        parts.append(_table(["Mã TTHC", "Tên TTHC", "Lĩnh vực", "Hồ sơ gần nhất"],
                            [[r["procedure_code"], r["procedure_name"], r["field"] or "–",
                              _d(r["last_received"]) if r["last_received"] else "chưa có"]
                             for r in pwd]))
    return "".join(parts)
