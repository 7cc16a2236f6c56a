"""Small summaries of engine answers, as the dashboard's cards show them.

The KPI cards with their changes against the two comparison periods, and
the few figures above a drill-down list (late dossiers, stages, handlers).
Plain data in, plain data out: the pages draw them through ``ui``, and the
tests check them without Streamlit. What an indicator is (a count or a rate,
whether a higher value is worse) comes from
:mod:`analytics.indicators.registry`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Sequence

import pandas as pd

from analytics.indicators import periods
from analytics.indicators.filters import Filters
from analytics.indicators.registry import indicator
from analytics.locale import fmt
from analytics.locale.labels import LABELS, t
from analytics.locale.text import fold

# How a card colours a change, in st.metric's words: up is good, up is bad, neither.
DeltaColor = Literal["normal", "inverse", "off"]
# The overview's cards, in order.
KPIS = ("received_total", "resolved", "on_time_rate", "late", "pending_overdue", "online_share",
        "progress_766")


# --------------------------------------------------------------------------
# Comparison periods and KPI cards
# --------------------------------------------------------------------------


def comparison_filters(f: Filters, as_of: date | None = None) -> dict[str, Filters]:
    """The previous period of the same length and the same period a year before.

    When the period runs past the data date (``as_of``: "Năm nay" on 20/11),
    both comparisons are cut to the same elapsed length, so ten and a half
    months are compared with ten and a half months, not with a whole year.
    A period that starts after the data date has no elapsed part: it is
    compared whole (cutting it would end the comparisons before they start).
    """
    end = min(f.date_to, as_of) if as_of else f.date_to
    prev_from, prev_to = periods.previous_period(f.date_from, f.date_to)
    if f.date_from <= end < f.date_to:
        prev_to = min(prev_to, prev_from + (end - f.date_from))
        last_year = periods.same_period_last_year(f.date_from, end)
    else:
        last_year = periods.same_period_last_year(f.date_from, f.date_to)
    return {"previous": f.with_period(prev_from, prev_to), "last_year": f.with_period(*last_year)}


@dataclass(frozen=True)
class Kpi:
    """One card: the value now and its change against both comparisons.

    kind: the registry's kind (``count`` or ``rate``).
    delta_color: how a change is coloured, in ``st.metric``'s words:
        ``normal`` (up is good), ``inverse`` (up is bad), ``off`` (neither).
    """

    key: str
    label: str
    kind: str
    value: Any
    text: str
    previous: Any
    last_year: Any
    delta_previous: str | None
    delta_last_year: str | None
    delta_color: DeltaColor
    detail: str | None = None  # a line under the value (the received split)

    @property
    def unchanged(self) -> bool:
        """The change against the previous period rounds to zero ("0", "0,0
        điểm"): no arrow and no colour, a flat change is neither good nor bad."""
        return self.delta_previous is not None and not self.delta_previous.startswith(("+", "-", "−"))


def _shown(value: Any, kind: str, lang: str) -> str:
    return fmt.percent(value, lang) if kind == "rate" else fmt.number(value, lang)


def _delta(now: Any, before: Any, kind: str, lang: str) -> str | None:
    if now is None or before is None:
        return None
    if kind == "rate":
        return fmt.points(now - before, lang)
    return fmt.signed_number(now - before, lang)


def _delta_color(higher_is_worse: bool | None) -> DeltaColor:
    if higher_is_worse is None:
        return "off"
    return "inverse" if higher_is_worse else "normal"


def kpis(totals: dict[str, Any], previous: dict[str, Any], last_year: dict[str, Any],
         lang: str, keys: Sequence[str] = KPIS) -> list[Kpi]:
    """Cards of ``keys`` (registered indicators): value and change against
    both comparison periods (``totals`` answers of the engine)."""
    out = []
    for key in keys:
        row = indicator(key)
        value = totals.get(key)
        label = t(f"kpi_{key}", lang) if f"kpi_{key}" in LABELS else t(row.label_key, lang)
        out.append(Kpi(key, label, row.kind, value, _shown(value, row.kind, lang),
                       previous.get(key), last_year.get(key),
                       _delta(value, previous.get(key), row.kind, lang),
                       _delta(value, last_year.get(key), row.kind, lang),
                       _delta_color(row.higher_is_worse), received_split(key, totals, lang)))
    return out


def received_split(key: str, totals: dict[str, Any], lang: str = "vi") -> str | None:
    """Biểu 06's split under a "received" figure: the total is carried over
    plus newly received, so a total beside another page's "mới tiếp nhận"
    never reads as a contradiction. None for other keys or missing counts."""
    carried, new, total = totals.get("carried_over"), totals.get("received_new"), totals.get("received_total")
    if carried is None or new is None or total is None:
        return None
    if key == "received_total":
        return t("received_split_total", lang, carried=fmt.number(carried, lang), new=fmt.number(new, lang))
    if key == "received_new":
        return t("received_split_new", lang, total=fmt.number(total, lang), carried=fmt.number(carried, lang))
    return None


def one_comparison(compare: dict[str, Filters]) -> bool:
    """True when the previous period and the same period last year are the
    same dates (a year, or the year to date): one comparison is shown, not
    the same one twice under two names."""
    prev, last = compare["previous"], compare["last_year"]
    return (prev.date_from, prev.date_to) == (last.date_from, last.date_to)


def kpi_rows(cards: Sequence[Kpi], lang: str) -> list[dict[str, Any]]:
    """The comparison table under the cards (values as text: counts and rates
    share its columns)."""
    return [
        {"indicator": c.label, "current": c.text, "previous": _shown(c.previous, c.kind, lang),
         "delta_previous": c.delta_previous or fmt.MISSING, "last_year": _shown(c.last_year, c.kind, lang),
         "delta_last_year": c.delta_last_year or fmt.MISSING}
        for c in cards
    ]


# --------------------------------------------------------------------------
# Drill-downs
# --------------------------------------------------------------------------


def late_summary(df: pd.DataFrame) -> dict[str, Any]:
    """Count, mean and maximum days late of a late-dossier (or late-step) list."""
    if df.empty or "days_late" not in df.columns:
        return {"dossiers": 0, "avg_days": None, "max_days": None}
    days = pd.to_numeric(df["days_late"], errors="coerce")
    code_count = df["code"].nunique() if "code" in df.columns else len(df)
    return {"dossiers": int(code_count), "avg_days": float(days.mean()), "max_days": int(days.max())}


def name_late_causes(df: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """A late-dossier list with the cause shown: where no step overran its
    allowance (``late_cause == 'agency'``), the stage reads "Cơ quan tiếp nhận
    (...)" and the handler column names the receiving agency, instead of
    blanks that would read as "unknown" (docs/INDICATORS.md, "Trễ do bước nào")."""
    if df.empty or "late_cause" not in df.columns:
        return df
    out = df.copy()
    agency_fault = out["late_cause"] == "agency"
    out["late_stage"] = out["late_stage"].astype("object")
    out["late_handler"] = out["late_handler"].astype("object")
    out.loc[agency_fault, "late_stage"] = t("late_cause_agency", lang)
    out.loc[agency_fault, "late_handler"] = out.loc[agency_fault, "agency"]
    return out


def late_groups(df: pd.DataFrame, lang: str = "vi") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A late-dossier list split as the cards count it: (resolved late in the
    period: the "Giải quyết quá hạn" card; not resolved by the period's end and
    overdue: the "Đang giải quyết quá hạn" card).

    The second group gets ``state``: "Chưa trả kết quả", or for a dossier
    finished after the period "Đã trả sau kỳ, ngày dd/mm/yyyy" (its export
    status already says done, which at the period's end it was not).
    """
    if df.empty or "late_group" not in df.columns:
        return df, df.iloc[0:0]
    resolved = df[df["late_group"] == "resolved_late"].reset_index(drop=True)
    pending = df[df["late_group"] == "pending_overdue"].reset_index(drop=True).copy()
    finished = pd.to_datetime(pending["finished_at"], errors="coerce")
    pending["state"] = [
        t("dh_state_done_after", lang, date=fmt.date(end.date(), lang)) if not pd.isna(end)
        else t("dh_state_open", lang)
        for end in finished
    ]
    return resolved, pending


def stage_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Steps, late steps, late rate and the stage with the most late steps."""
    steps = sum(int(r["steps"] or 0) for r in rows)
    late = sum(int(r["late"] or 0) for r in rows)
    top = max(rows, key=lambda r: (r["late"] or 0), default=None)
    return {"steps": steps, "late": late, "late_rate": late / steps if steps else None,
            "top_stage": top["stage"] if top and top["late"] else None,
            "top_late": int(top["late"]) if top and top["late"] else 0}


def handler_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Handlers, handlers with a late step, late steps, and the most late handler."""
    late_rows = [r for r in rows if r["late"]]
    top = late_rows[0] if late_rows else None  # the engine sorts by late descending
    return {"handlers": len({(r["handler"], r["agency"]) for r in rows}),
            "late_handlers": len({(r["handler"], r["agency"]) for r in late_rows}),
            "late_steps": sum(int(r["late"]) for r in late_rows),
            "top": top}


def handler_key(row: dict[str, Any]) -> str:
    """One option per (handler, agency): two people may share a name."""
    return f"{row['handler']}\t{row['agency']}"


def split_handler_key(key: str) -> tuple[str, str]:
    handler, _, agency = key.partition("\t")
    return handler, agency


def handler_bar_labels(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Bar label → handler key: ``charts.handler_bars`` labels a name shared by
    two agencies "name · agency", a unique name by the name alone."""
    counts = Counter(r["handler"] for r in rows)
    out = {}
    for r in rows:
        out[f"{r['handler']} · {r['agency']}"] = handler_key(r)
        if counts[r["handler"]] == 1:
            out[r["handler"]] = handler_key(r)
    return out


def count_by(rows: Sequence[dict[str, Any]], key: str, count_key: str = "count") -> list[dict[str, Any]]:
    """Rows counted by ``key`` (most first, then name): ``[{key, count_key}]``.
    ``count_key`` names what is counted (its label is a chart's axis title)."""
    counts: dict[Any, int] = {}
    for r in rows:
        counts[r.get(key)] = counts.get(r.get(key), 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0] or "")))
    return [{key: k, count_key: n} for k, n in ordered]
