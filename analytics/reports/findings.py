"""One-line findings and report sentences, built only from the engine's numbers.

Every function here is pure: it takes engine results (dicts shaped like
``Engine.totals`` / ``by_agency`` / ``by_stage`` / ``by_handler`` /
``procedures_without_dossiers``) and returns Vietnamese text. No figure is
written that is not in the input or computed from it; a missing rate (None:
zero denominator) is said as such, never shown as 0.

Numbers go through :mod:`analytics.locale.fmt` (``1.234``, ``97,6%``, ``1,2 điểm``).
A change between two rates is the difference of the unrounded rates, the same
convention as ``fmt.points`` and the dashboard; "không đổi" is said when that
difference rounds to 0,0 điểm.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any, Iterable, Sequence

from analytics.indicators.periods import (
    add_months,
    add_years,
    month_end,
    month_label,
    quarter_label,
)
from analytics.locale import fmt
from analytics.locale.text import fold

# Decision 766/QĐ-TTg and the national digital-government programme ask for at
# least half of the dossiers to be filed online.
TARGET_ONLINE_SHARE = 0.5
# "Trễ hạn nhiều lần": a handler late on more than one step in the period.
REPEATED_LATE_MIN = 2
# Procedures are proposed for cutting after this many years without dossiers
# (the window of Engine.procedures_without_dossiers).
UNUSED_YEARS = 3
# How many names a sentence lists before saying "và N ... khác".
MAX_NAMES = 3

Row = dict[str, Any]


# --- small text helpers --------------------------------------------------------


def capitalise(text: str) -> str:
    """First letter upper case, the rest untouched ("quý III/2026" → "Quý III/2026")."""
    return text[:1].upper() + text[1:] if text else text


def sentence(*clauses: str | None) -> str:
    """Clauses joined by "; ", first letter capitalised, ending with one full stop."""
    parts = [c.strip().rstrip(".;") for c in clauses if c and c.strip()]
    if not parts:
        return ""
    return capitalise("; ".join(parts)) + "."


def join_names(names: Sequence[str], noun: str = "đơn vị", limit: int = MAX_NAMES) -> str:
    """"A", "A và B", "A, B và C"; past ``limit`` names: "A, B, C và 2 {noun} khác"."""
    names = list(names)
    if not names:
        return ""
    if len(names) > limit:
        rest = len(names) - limit
        return f"{', '.join(names[:limit])} và {fmt.number(rest)} {noun} khác"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} và {names[-1]}"


def count_text(n: int | None, noun: str = "hồ sơ") -> str:
    """``1234`` → "1.234 hồ sơ"."""
    return f"{fmt.number(n)} {noun}"


# --- period names ----------------------------------------------------------------


def _lower_first(text: str) -> str:
    """"Quý III/2026" → "quý III/2026" (the Roman numeral keeps its case)."""
    return text[:1].lower() + text[1:]


def _is_month(d_from: date, d_to: date) -> bool:
    return d_from.day == 1 and d_to == month_end(d_from)


def _report_month_start(d_to: date) -> date:
    """Start of the Nghị định 09 reporting month ending on the 14th ``d_to``."""
    return add_months(d_to, -1) + timedelta(days=1)


def period_name(date_from: date, date_to: date) -> str:
    """How a sentence names the period, lower case.

    Calendar periods: "tháng 07/2026", "quý III/2026", "6 tháng đầu năm 2026",
    "9 tháng năm 2026", "năm 2026". The reporting periods of Nghị định
    09/2019 (15th – 14th): "kỳ báo cáo tháng 03/2026", "kỳ báo cáo quý I/2026",
    "kỳ báo cáo 6 tháng năm 2026", "kỳ báo cáo 9 tháng năm 2026", "kỳ báo cáo năm
    2026". Anything else: "kỳ 01/07/2026 – 15/08/2026".
    """
    y = date_to.year
    if _is_month(date_from, date_to):
        return _lower_first(month_label(date_from))
    if date_from.day == 1 and date_to == month_end(date_to) and date_from.year == y:
        if date_from.month == 1 and date_to.month == 12:
            return f"năm {y}"
        if date_from.month == 1 and date_to.month == 6:
            return f"6 tháng đầu năm {y}"
        if date_from.month == 1 and date_to.month == 9:
            return f"9 tháng năm {y}"
        if date_from.month in (1, 4, 7, 10) and date_to.month == date_from.month + 2:
            return _lower_first(quarter_label(date_from))
    if date_from.day == 15 and date_to.day == 14:
        if date_from == _report_month_start(date_to):
            return f"kỳ báo cáo {_lower_first(month_label(date_to))}"
        if date_from == date(y - 1, 12, 15) and date_to.month in (6, 9, 12):
            return {6: f"kỳ báo cáo 6 tháng năm {y}", 9: f"kỳ báo cáo 9 tháng năm {y}",
                    12: f"kỳ báo cáo năm {y}"}[date_to.month]
        if date_to.month in (3, 6, 9, 12) and date_from == add_months(_report_month_start(date_to), -2):
            return f"kỳ báo cáo {_lower_first(quarter_label(date_to))}"
    return f"kỳ {fmt.period(date_from, date_to)}"


def period_label(date_from: date, date_to: date) -> str:
    """A short capitalised label for a chart category ("Quý III/2026", "Tháng 07/2026",
    "Năm 2026"); a custom range as "01/07–15/08/2026"."""
    name = period_name(date_from, date_to)
    if name.startswith("kỳ ") and not name.startswith("kỳ báo cáo"):
        if date_from.year == date_to.year:
            return f"{date_from:%d/%m}–{date_to:%d/%m/%Y}"
        return f"{date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}"
    return capitalise(name.removeprefix("kỳ báo cáo "))


def unused_window(date_to: date) -> tuple[date, date]:
    """The three-year window of ``procedures_without_dossiers``: (to − 3 years, to]."""
    return add_years(date_to, -UNUSED_YEARS) + timedelta(days=1), date_to


# --- changes -------------------------------------------------------------------


def rate_change(now: float | None, before: float | None) -> str | None:
    """"tăng 1,2 điểm" / "giảm 0,8 điểm" / "không đổi"; None when a rate is missing."""
    if now is None or before is None:
        return None
    delta = now - before
    size = fmt.number(abs(delta) * 100, decimals=1)
    if size == fmt.number(0, decimals=1):
        return "không đổi"
    return f"{'tăng' if delta > 0 else 'giảm'} {size} điểm"


def count_change(now: int | None, before: int | None, noun: str = "hồ sơ") -> str | None:
    """"tăng 1.345 hồ sơ (12,2%)" / "giảm 12 hồ sơ (3,0%)" / "không đổi".

    The relative change is left out when the earlier count is 0 (no base).
    None when a count is missing.
    """
    if now is None or before is None:
        return None
    delta = now - before
    if delta == 0:
        return "không đổi"
    text = f"{'tăng' if delta > 0 else 'giảm'} {count_text(abs(delta), noun)}"
    if before:
        text += f" ({fmt.percent(abs(delta) / before)})"
    return text


def compared(change: str | None, other_name: str) -> str | None:
    """"tăng 1,2 điểm so với quý II/2026"; "không đổi so với ..."; None passes through."""
    return f"{change} so với {other_name}" if change else None


# --- findings for the slides -------------------------------------------------------


def on_time_clause(totals: Row, previous: Row | None, name: str, previous_name: str) -> str:
    """"tỷ lệ đúng hạn quý III/2026 đạt 97,6%, tăng 1,2 điểm so với quý II/2026"."""
    rate = totals.get("on_time_rate")
    if rate is None:
        return f"không có hồ sơ được giải quyết trong {name}"
    text = f"tỷ lệ đúng hạn {name} đạt {fmt.percent(rate)}"
    change = compared(rate_change(rate, (previous or {}).get("on_time_rate")), previous_name)
    return f"{text}, {change}" if change else text


def highest_late_agencies(by_agency: Iterable[Row]) -> list[Row]:
    """The agencies sharing the highest late rate, among those with late dossiers.

    Rows with no resolved dossier (rate None) or no late dossier are not
    candidates; ties keep the engine's order (late descending, then name).
    """
    candidates = [r for r in by_agency if r.get("late_rate") is not None and (r.get("late") or 0) > 0]
    if not candidates:
        return []
    top = max(r["late_rate"] for r in candidates)
    return [r for r in candidates if r["late_rate"] == top]


def agency_late_clause(by_agency: Sequence[Row]) -> str:
    """"Phòng Tài nguyên và Môi trường có tỷ lệ trễ hạn cao nhất (4,1%)"."""
    top = highest_late_agencies(by_agency)
    if not top:
        if any((r.get("resolved") or 0) > 0 for r in by_agency):
            return "không có cơ quan, đơn vị nào giải quyết hồ sơ quá hạn"
        return "không có hồ sơ được giải quyết trong kỳ"
    rate = fmt.percent(top[0]["late_rate"])
    if len(top) == 1:
        return f"{top[0]['agency']} có tỷ lệ trễ hạn cao nhất ({rate})"
    return f"{join_names([r['agency'] for r in top])} cùng có tỷ lệ trễ hạn cao nhất ({rate})"


def trend_finding(totals: Row, previous: Row | None, by_agency: Sequence[Row],
                  name: str, previous_name: str) -> str:
    """The on-time rate against the previous period, and the agency latest in rate."""
    return sentence(on_time_clause(totals, previous, name, previous_name), agency_late_clause(by_agency))


def agency_finding(by_agency: Sequence[Row]) -> str:
    """Top late rate with its counts, and how many agencies had late dossiers."""
    top = highest_late_agencies(by_agency)
    if not top:
        return sentence(agency_late_clause(by_agency))
    with_late = sum(1 for r in by_agency if (r.get("late") or 0) > 0)
    with_resolved = sum(1 for r in by_agency if (r.get("resolved") or 0) > 0)
    first = top[0]
    rate = fmt.percent(first["late_rate"])
    if len(top) == 1:
        lead = (f"{first['agency']} có tỷ lệ trễ hạn cao nhất ({rate}; "
                f"{fmt.number(first['late'])}/{count_text(first['resolved'])} đã giải quyết)")
    else:
        lead = f"{join_names([r['agency'] for r in top])} cùng có tỷ lệ trễ hạn cao nhất ({rate})"
    return sentence(lead, f"{fmt.number(with_late)}/{fmt.number(with_resolved)} cơ quan, đơn vị "
                          "có hồ sơ giải quyết quá hạn")


def _top_by(rows: Iterable[Row], key: str) -> list[Row]:
    rows = [r for r in rows if (r.get(key) or 0) > 0]
    if not rows:
        return []
    top = max(r[key] for r in rows)
    return [r for r in rows if r[key] == top]


def stage_finding(by_stage: Sequence[Row]) -> str:
    """The stage with the most late steps and its share of all late steps."""
    if not any((r.get("steps") or 0) > 0 for r in by_stage):
        return "Không có bước xử lý nào kết thúc trong kỳ."
    top = _top_by(by_stage, "late")
    if not top:
        return "Không có bước xử lý trễ hạn trong kỳ."
    all_late = sum(r.get("late") or 0 for r in by_stage)
    share = fmt.percent(top[0]["late"] / all_late)
    if len(top) == 1:
        r = top[0]
        return sentence(
            f"giai đoạn {r['stage']} có nhiều bước trễ hạn nhất: {fmt.number(r['late'])} lần, "
            f"chiếm {share} số bước trễ hạn (tỷ lệ trễ {fmt.percent(r['late_rate'])})"
        )
    names = join_names([r["stage"] for r in top], noun="giai đoạn")
    return sentence(f"giai đoạn {names} cùng có nhiều bước trễ hạn nhất: "
                    f"{fmt.number(top[0]['late'])} lần mỗi giai đoạn ({share} số bước trễ hạn)")


def repeated_late_handlers(by_handler: Iterable[Row], minimum: int = REPEATED_LATE_MIN) -> list[Row]:
    """Handlers late on at least ``minimum`` steps, in the engine's order."""
    return [r for r in by_handler if (r.get("late") or 0) >= minimum]


def handler_label(row: Row) -> str:
    """"Trần Thị Bình (Phòng Tài nguyên và Môi trường)"."""
    return f"{row['handler']} ({row['agency']})" if row.get("agency") else str(row["handler"])


def handler_finding(by_handler: Sequence[Row]) -> str:
    """The handler(s) with the most late steps, and how many were late repeatedly."""
    top = _top_by(by_handler, "late")
    if not top:
        return "Không có bước xử lý trễ hạn trong kỳ."
    repeated = len(repeated_late_handlers(by_handler))
    repeated_clause = (f"{fmt.number(repeated)} người thụ lý trễ hạn từ "
                       f"{fmt.number(REPEATED_LATE_MIN)} lần trở lên")
    if len(top) == 1:
        r = top[0]
        lead = (f"{handler_label(r)} trễ hạn nhiều nhất: {fmt.number(r['late'])} lần, "
                f"{count_text(r['late_dossiers'])}")
    else:
        lead = (f"{join_names([handler_label(r) for r in top], noun='người')} cùng trễ hạn nhiều nhất "
                f"({fmt.number(top[0]['late'])} lần mỗi người)")
    return sentence(lead, repeated_clause)


def online_target_clause(share: float | None, target: float = TARGET_ONLINE_SHARE) -> str | None:
    """"vượt chỉ tiêu 50% (2,3 điểm)" / "thấp hơn chỉ tiêu 50% 9,0 điểm" / "đạt chỉ tiêu 50%"."""
    if share is None:
        return None
    target_text = fmt.percent(target, decimals=0)
    gap = share - target
    size = fmt.number(abs(gap) * 100, decimals=1)
    zero = fmt.number(0, decimals=1)
    if gap >= 0:
        return f"đạt chỉ tiêu {target_text}" if size == zero else f"vượt chỉ tiêu {target_text} ({size} điểm)"
    if size == zero:
        return f"chưa đạt chỉ tiêu {target_text} (thiếu dưới 0,1 điểm)"
    return f"thấp hơn chỉ tiêu {target_text} {size} điểm"


def online_finding(totals: Row, previous: Row | None, name: str, previous_name: str,
                   target: float = TARGET_ONLINE_SHARE) -> str:
    """The online share of the period against the target and the previous period."""
    share = totals.get("online_share")
    if share is None:
        return sentence(f"không có hồ sơ mới tiếp nhận trong {name}")
    lead = f"tỷ lệ hồ sơ trực tuyến {name} đạt {fmt.percent(share)}, {online_target_clause(share, target)}"
    change = compared(rate_change(share, (previous or {}).get("online_share")), previous_name)
    return sentence(lead, change)


def online_gap_count(totals: Row, target: float = TARGET_ONLINE_SHARE) -> int:
    """More online dossiers needed, of the same new dossiers, to reach the target (0 when reached)."""
    received = totals.get("received_new") or 0
    online = totals.get("online") or 0
    return max(0, math.ceil(round(received * target, 9)) - online)


def unused_finding(rows: Sequence[Row], date_to: date) -> str:
    """How many procedures in force had no dossier in three years, and in which field most."""
    start, end = unused_window(date_to)
    window = f"từ {fmt.date(start)} đến {fmt.date(end)}"
    if not rows:
        return sentence(f"mọi thủ tục hành chính còn hiệu lực đều có hồ sơ {window}")
    lead = f"{fmt.number(len(rows))} thủ tục hành chính còn hiệu lực không phát sinh hồ sơ {window}"
    fields = Counter(r.get("field") or "Chưa xác định lĩnh vực" for r in rows)
    most = max(fields.values())
    top = sorted((f for f, n in fields.items() if n == most), key=fold)
    if len(fields) == 1:
        field_clause = f"đều thuộc lĩnh vực {top[0]}"
    elif len(top) == len(fields):
        field_clause = f"thuộc các lĩnh vực {join_names(top, noun='lĩnh vực')}"
    elif len(top) == 1:
        field_clause = f"nhiều nhất thuộc lĩnh vực {top[0]} ({fmt.number(most)} thủ tục)"
    else:
        field_clause = (f"nhiều nhất thuộc các lĩnh vực {join_names(top, noun='lĩnh vực')} "
                        f"({fmt.number(most)} thủ tục mỗi lĩnh vực)")
    never = sum(1 for r in rows if r.get("last_received") is None)
    never_clause = (f"{fmt.number(never)} thủ tục chưa có hồ sơ nào trong dữ liệu" if never else None)
    return sentence(lead, field_clause, never_clause)


def kpi_finding(totals: Row, previous: Row | None, name: str, previous_name: str) -> str:
    """Received (with change), resolved and on-time rate, and what is still overdue."""
    if not totals.get("received_total"):
        return "Không có hồ sơ trong kỳ."
    received = f"{name} tiếp nhận {count_text(totals['received_total'])}"
    if previous and previous.get("received_total"):
        received += f", {compared(count_change(totals['received_total'], previous['received_total']), previous_name)}"
    resolved = f"đã giải quyết {count_text(totals['resolved'])}"
    if totals.get("on_time_rate") is not None:
        resolved += f", đúng hạn {fmt.percent(totals['on_time_rate'])}"
    overdue = (f"còn {count_text(totals['pending_overdue'])} đang giải quyết quá hạn"
               if totals.get("pending_overdue") else "không có hồ sơ đang giải quyết quá hạn")
    return sentence(received, resolved, overdue)
