"""One-line findings and report sentences, built only from the engine's numbers.

Every function here is pure: it takes engine results (dicts shaped like
``Engine.totals`` / ``by_agency`` / ``by_stage`` / ``by_handler`` /
``procedures_without_dossiers``) and returns text in ``lang`` (Vietnamese by
default), from the ``fd_*`` templates of ``analytics.locale.labels.reports``. No figure is
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
from analytics.indicators.ranking import MIN_VOLUME
from analytics.locale import fmt
from analytics.locale.labels import LABELS, t
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


def join_names(names: Sequence[str], noun: str = "fd_noun_agencies", limit: int = MAX_NAMES,
               lang: str = "vi") -> str:
    """"A", "A và B", "A, B và C"; past ``limit`` names: "A, B, C và 2 đơn vị khác"
    (``noun`` is the label key of what the names are)."""
    names = list(names)
    if not names:
        return ""
    if len(names) > limit:
        rest = len(names) - limit
        return t("fd_and_others", lang, names=", ".join(names[:limit]), n=fmt.number(rest, lang),
                 noun=t(noun, lang))
    if len(names) == 1:
        return names[0]
    return t("fd_and", lang, first=", ".join(names[:-1]), last=names[-1])


def counted(key: str, n: int | None, lang: str = "vi") -> str:
    """The label ``key`` with its ``{n}`` filled: its ``*_one`` form (an English
    singular) when ``n`` is 1 and the catalogue has one."""
    one = f"{key}_one"
    return t(one if n == 1 and one in LABELS else key, lang, n=fmt.number(n, lang))


def count_text(n: int | None, lang: str = "vi") -> str:
    """``1234`` → "1.234 hồ sơ"."""
    return counted("fd_dossiers", n, lang)


# --- period names ----------------------------------------------------------------


def _lower_first(text: str, lang: str = "vi") -> str:
    """"Quý III/2026" → "quý III/2026" (the Roman numeral keeps its case).
    Vietnamese writes period names lower case inside a sentence; English keeps
    "July 2026" and "Q3 2026" as they are."""
    return text[:1].lower() + text[1:] if lang == "vi" else text


def _is_month(d_from: date, d_to: date) -> bool:
    return d_from.day == 1 and d_to == month_end(d_from)


def _report_month_start(d_to: date) -> date:
    """Start of the Nghị định 09 reporting month ending on the 14th ``d_to``."""
    return add_months(d_to, -1) + timedelta(days=1)


def _period_parts(date_from: date, date_to: date, lang: str) -> tuple[str, str]:
    """(kind, name) of a period: kind ``calendar``, ``report`` (a reporting
    period of Nghị định 09/2019, 15th – 14th) or ``custom``; the name without
    the "kỳ báo cáo" in front, lower case."""
    y = date_to.year
    if _is_month(date_from, date_to):
        return "calendar", _lower_first(month_label(date_from, lang), lang)
    if date_from.day == 1 and date_to == month_end(date_to) and date_from.year == y:
        if date_from.month == 1 and date_to.month == 12:
            return "calendar", t("fd_year", lang, year=y)
        if date_from.month == 1 and date_to.month == 6:
            return "calendar", t("fd_first_half", lang, year=y)
        if date_from.month == 1 and date_to.month == 9:
            return "calendar", t("fd_nine_months", lang, year=y)
        if date_from.month in (1, 4, 7, 10) and date_to.month == date_from.month + 2:
            return "calendar", _lower_first(quarter_label(date_from, lang), lang)
    if date_from.day == 15 and date_to.day == 14:
        if date_from == _report_month_start(date_to):
            return "report", _lower_first(month_label(date_to, lang), lang)
        if date_from == date(y - 1, 12, 15) and date_to.month in (6, 9, 12):
            key = {6: "fd_six_months", 9: "fd_nine_months", 12: "fd_year"}[date_to.month]
            return "report", t(key, lang, year=y)
        if date_to.month in (3, 6, 9, 12) and date_from == add_months(_report_month_start(date_to), -2):
            return "report", _lower_first(quarter_label(date_to, lang), lang)
    return "custom", fmt.period(date_from, date_to, lang)


def period_name(date_from: date, date_to: date, lang: str = "vi") -> str:
    """How a sentence names the period, lower case.

    Calendar periods: "tháng 07/2026", "quý III/2026", "6 tháng đầu năm 2026",
    "9 tháng năm 2026", "năm 2026". The reporting periods of Nghị định
    09/2019 (15th – 14th): "kỳ báo cáo tháng 03/2026", "kỳ báo cáo quý I/2026",
    "kỳ báo cáo 6 tháng năm 2026", "kỳ báo cáo 9 tháng năm 2026", "kỳ báo cáo năm
    2026". Anything else: "kỳ 01/07/2026 – 15/08/2026".
    """
    kind, name = _period_parts(date_from, date_to, lang)
    if kind == "report":
        return t("fd_report_period", lang, name=name)
    if kind == "custom":
        return t("fd_custom_period", lang, span=name)
    return name


def period_label(date_from: date, date_to: date, lang: str = "vi") -> str:
    """A short capitalised label for a chart category ("Quý III/2026", "Tháng 07/2026",
    "Năm 2026"); a custom range as "01/07–15/08/2026"."""
    kind, name = _period_parts(date_from, date_to, lang)
    if kind == "custom":
        if date_from.year == date_to.year:
            return f"{date_from:%d/%m}–{date_to:%d/%m/%Y}"
        return f"{date_from:%d/%m/%Y}–{date_to:%d/%m/%Y}"
    return capitalise(name)


def unused_window(date_to: date) -> tuple[date, date]:
    """The three-year window of ``procedures_without_dossiers``: (to − 3 years, to]."""
    return add_years(date_to, -UNUSED_YEARS) + timedelta(days=1), date_to


# --- changes -------------------------------------------------------------------


def rate_change(now: float | None, before: float | None, lang: str = "vi") -> str | None:
    """"tăng 1,2 điểm" / "giảm 0,8 điểm" / "không đổi"; None when a rate is missing."""
    if now is None or before is None:
        return None
    delta = now - before
    size = fmt.number(abs(delta) * 100, lang, decimals=1)
    if size == fmt.number(0, lang, decimals=1):
        return t("fd_unchanged", lang)
    return t("fd_up_points" if delta > 0 else "fd_down_points", lang, size=size)


def count_change(now: int | None, before: int | None, lang: str = "vi") -> str | None:
    """"tăng 1.345 hồ sơ (12,2%)" / "giảm 12 hồ sơ (3,0%)" / "không đổi".

    The relative change is left out when the earlier count is 0 (no base).
    None when a count is missing.
    """
    if now is None or before is None:
        return None
    delta = now - before
    if delta == 0:
        return t("fd_unchanged", lang)
    text = t("fd_up_count" if delta > 0 else "fd_down_count", lang, count=count_text(abs(delta), lang))
    if before:
        text += f" ({fmt.percent(abs(delta) / before, lang)})"
    return text


def compared(change: str | None, other_name: str, lang: str = "vi") -> str | None:
    """"tăng 1,2 điểm so với quý II/2026"; "không đổi so với ..."; None passes through."""
    return t("fd_compared", lang, change=change, other=other_name) if change else None


# --- findings for the slides -------------------------------------------------------


def on_time_clause(totals: Row, previous: Row | None, name: str, previous_name: str,
                   lang: str = "vi") -> str:
    """"tỷ lệ đúng hạn quý III/2026 đạt 97,6%, tăng 1,2 điểm so với quý II/2026"."""
    rate = totals.get("on_time_rate")
    if rate is None:
        return t("fd_no_resolved_in", lang, name=name)
    text = t("fd_on_time_reached", lang, name=name, rate=fmt.percent(rate, lang))
    change = compared(rate_change(rate, (previous or {}).get("on_time_rate"), lang), previous_name, lang)
    return f"{text}, {change}" if change else text


def highest_late_agencies(by_agency: Iterable[Row]) -> list[Row]:
    """The agencies sharing the highest late rate, among those with late dossiers.

    Rows with no resolved dossier (rate None) or no late dossier are not
    candidates; ties keep the engine's order (late descending, then name).
    A fair ranking (docs/INDICATORS.md, "Xếp hạng"): an agency with fewer than
    ranking.MIN_VOLUME resolved dossiers is named only when no agency with
    that many had a late dossier, so 1 late of 2 never heads the findings.
    """
    candidates = [r for r in by_agency if r.get("late_rate") is not None and (r.get("late") or 0) > 0]
    if not candidates:
        return []
    large = [r for r in candidates if (r.get("resolved") or 0) >= MIN_VOLUME]
    candidates = large or candidates
    top = max(r["late_rate"] for r in candidates)
    return [r for r in candidates if r["late_rate"] == top]


def agency_late_clause(by_agency: Sequence[Row], lang: str = "vi") -> str:
    """"Phòng Tài nguyên và Môi trường có tỷ lệ trễ hạn cao nhất (4,1%)"."""
    top = highest_late_agencies(by_agency)
    if not top:
        if any((r.get("resolved") or 0) > 0 for r in by_agency):
            return t("fd_no_agency_late", lang)
        return t("fd_no_resolved", lang)
    rate = fmt.percent(top[0]["late_rate"], lang)
    if len(top) == 1:
        return t("fd_top_late_rate", lang, agency=top[0]["agency"], rate=rate)
    return t("fd_top_late_rate_tied", lang, agencies=join_names([r["agency"] for r in top], lang=lang), rate=rate)


def trend_finding(totals: Row, previous: Row | None, by_agency: Sequence[Row],
                  name: str, previous_name: str, lang: str = "vi") -> str:
    """The on-time rate against the previous period, and the agency latest in rate."""
    return sentence(on_time_clause(totals, previous, name, previous_name, lang),
                    agency_late_clause(by_agency, lang))


def agency_finding(by_agency: Sequence[Row], lang: str = "vi") -> str:
    """Top late rate with its counts, and how many agencies had late dossiers."""
    top = highest_late_agencies(by_agency)
    if not top:
        return sentence(agency_late_clause(by_agency, lang))
    with_late = sum(1 for r in by_agency if (r.get("late") or 0) > 0)
    with_resolved = sum(1 for r in by_agency if (r.get("resolved") or 0) > 0)
    first = top[0]
    rate = fmt.percent(first["late_rate"], lang)
    if len(top) == 1:
        lead = t("fd_top_late_rate_counts", lang, agency=first["agency"], rate=rate,
                 late=fmt.number(first["late"], lang), resolved=count_text(first["resolved"], lang))
    else:
        lead = t("fd_top_late_rate_tied", lang, agencies=join_names([r["agency"] for r in top], lang=lang),
                 rate=rate)
    return sentence(lead, t("fd_agencies_with_late", lang, late=fmt.number(with_late, lang),
                            resolved=fmt.number(with_resolved, lang)))


def _top_by(rows: Iterable[Row], key: str) -> list[Row]:
    rows = [r for r in rows if (r.get(key) or 0) > 0]
    if not rows:
        return []
    top = max(r[key] for r in rows)
    return [r for r in rows if r[key] == top]


def stage_finding(by_stage: Sequence[Row], lang: str = "vi") -> str:
    """The stage with the most late steps and its share of all late steps."""
    if not any((r.get("steps") or 0) > 0 for r in by_stage):
        return t("fd_no_steps", lang)
    top = _top_by(by_stage, "late")
    if not top:
        return t("fd_no_late_steps", lang)
    all_late = sum(r.get("late") or 0 for r in by_stage)
    share = fmt.percent(top[0]["late"] / all_late, lang)
    if len(top) == 1:
        r = top[0]
        return sentence(t("fd_top_stage", lang, stage=r["stage"], late=fmt.number(r["late"], lang),
                          share=share, rate=fmt.percent(r["late_rate"], lang)))
    names = join_names([r["stage"] for r in top], noun="fd_noun_stages", lang=lang)
    return sentence(t("fd_top_stage_tied", lang, stages=names, late=fmt.number(top[0]["late"], lang),
                      share=share))


def repeated_late_handlers(by_handler: Iterable[Row], minimum: int = REPEATED_LATE_MIN) -> list[Row]:
    """Handlers late on at least ``minimum`` steps, in the engine's order."""
    return [r for r in by_handler if (r.get("late") or 0) >= minimum]


def handler_label(row: Row, lang: str = "vi") -> str:
    """"Trần Thị Bình (Phòng Tài nguyên và Môi trường)"."""
    if not row.get("agency"):
        return str(row["handler"])
    return t("fd_handler_label", lang, handler=row["handler"], agency=row["agency"])


def handler_finding(by_handler: Sequence[Row], lang: str = "vi") -> str:
    """The handler(s) with the most late steps, and how many were late repeatedly."""
    top = _top_by(by_handler, "late")
    if not top:
        return t("fd_no_late_steps", lang)
    repeated = len(repeated_late_handlers(by_handler))
    repeated_clause = t("fd_repeated_late", lang, n=fmt.number(repeated, lang),
                        minimum=fmt.number(REPEATED_LATE_MIN, lang))
    if len(top) == 1:
        r = top[0]
        lead = t("fd_top_handler", lang, handler=handler_label(r, lang), late=fmt.number(r["late"], lang),
                 dossiers=count_text(r["late_dossiers"], lang))
    else:
        lead = t("fd_top_handler_tied", lang,
                 handlers=join_names([handler_label(r, lang) for r in top], noun="fd_noun_people", lang=lang),
                 late=fmt.number(top[0]["late"], lang))
    return sentence(lead, repeated_clause)


def online_target_clause(share: float | None, target: float = TARGET_ONLINE_SHARE,
                         lang: str = "vi") -> str | None:
    """"vượt chỉ tiêu 50% (2,3 điểm)" / "thấp hơn chỉ tiêu 50% 9,0 điểm" / "đạt chỉ tiêu 50%"."""
    if share is None:
        return None
    target_text = fmt.percent(target, lang, decimals=0)
    gap = share - target
    size = fmt.number(abs(gap) * 100, lang, decimals=1)
    zero = fmt.number(0, lang, decimals=1)
    if gap >= 0:
        if size == zero:
            return t("fd_target_met", lang, target=target_text)
        return t("fd_target_beaten", lang, target=target_text, size=size)
    if size == zero:
        return t("fd_target_just_missed", lang, target=target_text)
    return t("fd_target_missed", lang, target=target_text, size=size)


def online_finding(totals: Row, previous: Row | None, name: str, previous_name: str,
                   target: float = TARGET_ONLINE_SHARE, lang: str = "vi") -> str:
    """The online share of the period against the target and the previous period."""
    share = totals.get("online_share")
    if share is None:
        return sentence(t("fd_no_new_in", lang, name=name))
    lead = t("fd_online_share", lang, name=name, share=fmt.percent(share, lang),
             target=online_target_clause(share, target, lang))
    change = compared(rate_change(share, (previous or {}).get("online_share"), lang), previous_name, lang)
    return sentence(lead, change)


def online_gap_count(totals: Row, target: float = TARGET_ONLINE_SHARE) -> int:
    """More online dossiers needed, of the same new dossiers, to reach the target (0 when reached)."""
    received = totals.get("received_new") or 0
    online = totals.get("online") or 0
    return max(0, math.ceil(round(received * target, 9)) - online)


def unused_finding(rows: Sequence[Row], date_to: date, lang: str = "vi") -> str:
    """How many procedures in force had no dossier in three years, and in which field most."""
    start, end = unused_window(date_to)
    window = t("fd_window", lang, start=fmt.date(start, lang), end=fmt.date(end, lang))
    if not rows:
        return sentence(t("fd_all_used", lang, window=window))
    lead = t("fd_unused", lang, n=fmt.number(len(rows), lang), window=window)
    fields = Counter(r.get("field") or t("r06_field_unknown", lang) for r in rows)
    most = max(fields.values())
    top = sorted((f for f, n in fields.items() if n == most), key=fold)
    if len(fields) == 1:
        field_clause = t("fd_unused_one_field", lang, field=top[0])
    elif len(top) == len(fields):
        field_clause = t("fd_unused_fields", lang, fields=join_names(top, noun="fd_noun_fields", lang=lang))
    elif len(top) == 1:
        field_clause = t("fd_unused_top_field", lang, field=top[0], n=fmt.number(most, lang))
    else:
        field_clause = t("fd_unused_top_fields", lang, fields=join_names(top, noun="fd_noun_fields", lang=lang),
                         n=fmt.number(most, lang))
    never = sum(1 for r in rows if r.get("last_received") is None)
    never_clause = t("fd_never_used", lang, n=fmt.number(never, lang)) if never else None
    return sentence(lead, field_clause, never_clause)


def kpi_finding(totals: Row, previous: Row | None, name: str, previous_name: str, lang: str = "vi") -> str:
    """Received (with change), resolved and on-time rate, and what is still overdue."""
    if not totals.get("received_total"):
        return t("fd_no_dossiers", lang)
    received = t("fd_received", lang, name=name, dossiers=count_text(totals["received_total"], lang))
    if previous and previous.get("received_total"):
        change = count_change(totals["received_total"], previous["received_total"], lang)
        received += f", {compared(change, previous_name, lang)}"
    resolved = t("fd_resolved", lang, dossiers=count_text(totals["resolved"], lang))
    if totals.get("on_time_rate") is not None:
        resolved += ", " + t("fd_resolved_on_time", lang, rate=fmt.percent(totals["on_time_rate"], lang))
    overdue = (t("fd_still_overdue", lang, dossiers=count_text(totals["pending_overdue"], lang))
               if totals.get("pending_overdue") else t("fd_none_overdue", lang))
    return sentence(received, resolved, overdue)
