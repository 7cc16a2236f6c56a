"""Readable text of the indicators, for the terminal (Vietnamese by default)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from analytics.indicators.registry import is_rate
from analytics.locale import fmt
from analytics.locale.labels import LABELS, t
from analytics.locale.safe_text import plain_text

_NUMERIC = re.compile(r"^[\d.,%–-]+$")

# The totals as a tree: (indicator, depth). A row's label is the terminal's
# own wording (label ``txt_<key>``) where it has one, else the indicator's.
TOTAL_ROWS = (
    ("received_total", 0),
    ("carried_over", 1),
    ("received_new", 1),
    ("online", 2),
    ("direct_postal", 2),
    ("resolved", 0),
    ("early", 1),
    ("on_time", 1),
    ("late", 1),
    ("pending", 0),
    ("pending_within", 1),
    ("pending_overdue", 1),
    ("on_time_rate", 0),
    ("online_share", 0),
    ("progress_766", 0),
)


def _label(key: str, lang: str) -> str:
    own = f"txt_{key}"
    return t(own if own in LABELS else key, lang)


def _n(value: int | None, lang: str) -> str:
    return fmt.number(value, lang)


def _pct(value: float | None, lang: str) -> str:
    return fmt.percent(value, lang)


def _d(iso: str, lang: str) -> str:
    return fmt.date(date.fromisoformat(iso), lang)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: numbers right-aligned, text left-aligned. Names
    from the data lose their control characters (an escape sequence would
    drive the terminal)."""
    rows = [[plain_text(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(_NUMERIC.match(r[i]) for r in rows) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w)
                         for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def indicators_table(result: dict[str, Any], lang: str = "vi") -> str:
    """The JSON contract of ``python -m analytics indicators`` as text tables."""
    p = result["period"]
    missing = fmt.MISSING
    period = t("txt_period", lang, start=_d(p["from"], lang), end=_d(p["to"], lang))
    parts = [f"{period}   {t('txt_as_of', lang, as_of=_d(p['as_of'], lang))}\n"]
    totals = result["totals"]
    rows = [["  " * depth + _label(k, lang), _pct(totals[k], lang) if is_rate(k) else _n(totals[k], lang)]
            for k, depth in TOTAL_ROWS]
    parts.append(_table([t("txt_indicator", lang), t("txt_value", lang)], rows))
    late_headers = [t("txt_resolved", lang), t("txt_late", lang), t("txt_late_rate", lang)]
    parts.append("\n" + t("txt_by_agency", lang) + "\n")
    parts.append(_table([t("txt_agency", lang), *late_headers],
                        [[r["agency"], _n(r["resolved"], lang), _n(r["late"], lang), _pct(r["late_rate"], lang)]
                         for r in result["by_agency"]]))
    parts.append("\n" + t("txt_by_field", lang) + "\n")
    parts.append(_table([t("field", lang), *late_headers],
                        [[r["field"] or missing, _n(r["resolved"], lang), _n(r["late"], lang),
                          _pct(r["late_rate"], lang)]
                         for r in result["by_field"]]))
    parts.append("\n" + t("txt_by_stage", lang) + "\n")
    parts.append(_table([t("stage", lang), t("txt_steps", lang), t("txt_late_steps", lang),
                         t("txt_step_late_rate", lang)],
                        [[r["stage"], _n(r["steps"], lang), _n(r["late"], lang), _pct(r["late_rate"], lang)]
                         for r in result["by_stage"]]))
    parts.append("\n" + t("txt_late_handlers", lang) + "\n")
    parts.append(_table([t("handler", lang), t("txt_agency", lang), t("txt_steps", lang), t("txt_late_times", lang),
                         t("txt_late_dossiers", lang)],
                        [[r["handler"], r["agency"], _n(r["steps"], lang), _n(r["late"], lang),
                          _n(r["late_dossiers"], lang)]
                         for r in result["by_handler"] if r["late"]]))
    pwd = result["procedures_without_dossiers"]
    parts.append("\n" + t("txt_unused", lang, n=_n(len(pwd), lang)) + "\n")
    if pwd:
        parts.append(_table([t("procedure_code", lang), t("procedure_name", lang), t("field", lang),
                             t("txt_last_dossier", lang)],
                            [[r["procedure_code"], r["procedure_name"], r["field"] or missing,
                              _d(r["last_received"], lang) if r["last_received"] else t("txt_never", lang)]
                             for r in pwd]))
    return "".join(parts)
