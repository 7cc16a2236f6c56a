"""Chỉ số 766: the sub-criteria, their points and what the data can tell.

The six groups and their sub-criteria (QĐ 766/QĐ-TTg as the national portal
scores it; the formulas, thresholds and maxima of the portal's description,
summarised in docs/INDICATORS.md, "Chỉ số 766") are data here; the counts
come from ``sql/index_766.sql`` and this module turns them into ratios,
points and a status per sub-criterion, group and unit. Pure functions: the
engine runs the query, the page, the CLI and the meeting pack read the
result.

Statuses: ``computed`` (from the office's data), ``partial`` (computed from
part of the data: some dossiers lack a source, or a term of the formula
needs the national systems), ``no_data`` (the export lacks a column it
needs: ``missing_columns`` names it), ``needs_national_db`` (the formula
reads the national databases: CSDL TTHC, the reporting system, the PAKN
system). A sub-criterion that is not computed has no points: the total is
over the computed parts, and ``reachable`` is the maximum those parts allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from analytics.locale import fmt
from analytics.locale.labels import t

STATUS_COMPUTED = "computed"
STATUS_PARTIAL = "partial"
STATUS_NO_DATA = "no_data"
STATUS_NATIONAL = "needs_national_db"
STATUSES = (STATUS_COMPUTED, STATUS_PARTIAL, STATUS_NO_DATA, STATUS_NATIONAL)

# The rating under which a rated dossier counts as disliked (5.4). The
# portal counts dislikes; exports give a 0..100 score: under half is a dislike.
DISLIKE_BELOW = 50

# The header each source is read from (analytics/ingest/columns.py, the first
# alias; tests/test_index766.py checks they agree), named when it is missing.
SOURCE_COLUMNS: dict[str, str] = {
    "channel": "Kênh nộp",
    "fully_online_eligible": "Đủ điều kiện toàn trình",
    "online_level": "Mức độ DVCTT",
    "fee_bearing": "Có phí, lệ phí",
    "paid_online": "Thanh toán trực tuyến",
    "paper_result": "Kết quả giấy",
    "result_attached": "Đã gắn kết quả",
    "digitised": "Số hóa",
    "data_reused": "Tái sử dụng dữ liệu số hóa",
    "citizen_store": "Được lấy từ kho DMQG",
    "vneid": "Tài khoản được xác thực với VNeID",
    "satisfaction": "Mức độ hài lòng",
}


@dataclass(frozen=True)
class SubCriterion:
    """One scored line of the index.

    code: the portal's number (``2.1``, ``4.5b``; ``dvc`` for the DVCTT
        group's 12 points, which the formula document does not number).
    prefix: the column prefix of its counts in index_766.sql (None: the
        national databases are needed, nothing is counted here).
    threshold: T as a fraction (ratio >= T scores the maximum, below it
        ratio / T x maximum); None: ratio x maximum, the portal's display
        convention (the formula document gives no conversion).
    sources: the columns its counts read; those with nothing known are named
        when it cannot be computed.
    partial_note: why the result is partial even with every source present
        (a term of the formula the office's data cannot give), a label key.
    notes: label keys of the choices made for it (docs/INDICATORS.md).
    """

    code: str
    group: str
    maximum: float
    threshold: float | None = None
    prefix: str | None = None
    sources: tuple[str, ...] = ()
    partial_note: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return "i766_c_" + self.code.replace(".", "_")


@dataclass(frozen=True)
class Group:
    key: str
    maximum: float

    @property
    def label_key(self) -> str:
        return "i766_g_" + self.key


GROUPS: tuple[Group, ...] = (
    Group("public", 18), Group("progress", 20), Group("online", 12),
    Group("payment", 10), Group("satisfaction", 18), Group("digitisation", 22),
)
GROUP_MAXIMA = {g.key: g.maximum for g in GROUPS}

_PUBLIC = (
    SubCriterion("1.1", "public", 6),
    SubCriterion("1.2", "public", 4),
    SubCriterion("1.3", "public", 2),
    SubCriterion("1.4", "public", 6),
)
_PROGRESS = (
    SubCriterion("2.1", "progress", 20, None, "t2_1", (), None, ("i766_note_display", "i766_note_convention")),
)
_ONLINE = (
    SubCriterion("dvc", "online", 12, None, "dvc", ("fully_online_eligible", "online_level", "channel"),
                 None, ("i766_note_dvc_metrics", "i766_note_display")),
    SubCriterion("3.1", "online", 0),
    SubCriterion("3.2", "online", 0),
    SubCriterion("3.3", "online", 0, 0.5, "t3_3", ("channel",),
                 "i766_partial_sync_ratio", ("i766_note_tracked", "i766_note_channel_direct")),
)
# Payment: 10 points on 3.6, as the METRICS sheet has it; or, as an option,
# the seed's 2 + 2 + 6 split (3.5, 3.5b, 3.6), which the formula document
# does not have.
_PAYMENT_WHOLE = (
    SubCriterion("3.6", "payment", 10, None, "t3_6", ("fee_bearing", "paid_online"), None,
                 ("i766_note_payment_whole", "i766_note_display")),
)
_PAYMENT_SPLIT = (
    SubCriterion("3.5", "payment", 2, 0.8),
    SubCriterion("3.5b", "payment", 2, 0.8, "t3_5b", ("fee_bearing", "paid_online"), None,
                 ("i766_note_payment_split",)),
    SubCriterion("3.6", "payment", 6, None, "t3_6", ("fee_bearing", "paid_online"), None,
                 ("i766_note_payment_split", "i766_note_display")),
)
_SATISFACTION = (
    SubCriterion("5.1", "satisfaction", 0),
    SubCriterion("5.2", "satisfaction", 6),
    SubCriterion("5.3", "satisfaction", 6),
    SubCriterion("5.4", "satisfaction", 6, 0.9, "t5_4", ("satisfaction",), "i766_partial_pakn",
                 ("i766_note_dislike",)),
)
_DIGITISATION = (
    SubCriterion("4.1", "digitisation", 6, None, "t4_1", ("paper_result", "result_attached"), None,
                 ("i766_note_display",)),
    SubCriterion("4.2", "digitisation", 4, 0.8, "t4_2", ("digitised", "paper_result", "result_attached")),
    SubCriterion("4.3", "digitisation", 2, 0.8, "t4_3", ("data_reused",)),
    SubCriterion("4.4", "digitisation", 4, None, "t4_4", ("citizen_store",), "i766_partial_result_store",
                 ("i766_note_display",)),
    SubCriterion("4.5a", "digitisation", 2),
    SubCriterion("4.5b", "digitisation", 2, None, "t4_5b", ("vneid",), None, ("i766_note_display",)),
    SubCriterion("e_copy", "digitisation", 2),
)


def criteria(payment_split: bool = False) -> tuple[SubCriterion, ...]:
    """Every sub-criterion, in the order of the groups."""
    payment = _PAYMENT_SPLIT if payment_split else _PAYMENT_WHOLE
    return (*_PUBLIC, *_PROGRESS, *_ONLINE, *payment, *_SATISFACTION, *_DIGITISATION)


# Sub-criteria whose "what costs points" list exists (index_766_losses.sql).
LOSS_CRITERIA = ("2.1", "dvc", "3.3", "3.5b", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b", "5.4")


def points(numerator: int, denominator: int, maximum: float, threshold: float | None) -> float | None:
    """Points of a ratio numerator / denominator (None when nothing to divide).

    With a threshold T: ratio >= T gives the maximum, below it ratio / T x
    maximum. Without one: ratio x maximum (the portal's display convention).
    """
    if not denominator:
        return None
    ratio = numerator / denominator
    if threshold is None:
        return round(ratio * maximum, 2)
    return round(maximum if ratio >= threshold else ratio / threshold * maximum, 2)


def score(c: SubCriterion, counts: dict[str, Any] | None) -> dict[str, Any]:
    """One sub-criterion's row: numerator, denominator, ratio, points, maximum, status."""
    row: dict[str, Any] = {
        "criterion": c.code, "group": c.group, "maximum": c.maximum, "threshold": c.threshold,
        "numerator": None, "denominator": None, "ratio": None, "points": None,
        "status": STATUS_NATIONAL, "missing_columns": [], "notes": list(c.notes), "partial_note": None,
    }
    if c.prefix is None or counts is None:
        return row
    pop = int(counts[f"{c.prefix}_pop"] or 0)
    num = int(counts[f"{c.prefix}_num"] or 0)
    den = int(counts[f"{c.prefix}_den"] or 0)
    missing = int(counts.get(f"{c.prefix}_missing") or 0)
    absent = [s for s in c.sources if not counts.get(f"known_{s}")]
    if not pop or not den or absent:
        # Nothing to count: either no dossier in the period, or the columns
        # the denominator needs are absent (named), never a zero.
        row["status"] = STATUS_NO_DATA
        row["missing_columns"] = [SOURCE_COLUMNS[s] for s in (absent if pop else [])]
        return row
    ratio = num / den
    row.update(numerator=num, denominator=den, ratio=round(ratio, 4),
               points=points(num, den, c.maximum, c.threshold))
    if missing or c.partial_note:
        row["status"] = STATUS_PARTIAL
        row["partial_note"] = c.partial_note if not missing else "i766_partial_missing"
        row["missing_columns"] = [SOURCE_COLUMNS[s] for s in absent]
        row["missing_dossiers"] = missing
    else:
        row["status"] = STATUS_COMPUTED
    return row


def _group_status(rows: list[dict[str, Any]]) -> str:
    scored = [r for r in rows if r["maximum"]] or rows
    statuses = {r["status"] for r in scored}
    if statuses == {STATUS_COMPUTED}:
        return STATUS_COMPUTED
    if statuses <= {STATUS_NATIONAL}:
        return STATUS_NATIONAL
    if statuses <= {STATUS_NATIONAL, STATUS_NO_DATA}:
        return STATUS_NO_DATA
    return STATUS_PARTIAL


def _reached(row: dict[str, Any]) -> bool:
    return row["points"] is not None


def assemble(counts: dict[str, Any] | None, payment_split: bool = False) -> dict[str, Any]:
    """The whole index for one unit from its counts (one row of index_766.sql).

    Returns ``points`` (over the computed parts), ``maximum`` (100),
    ``reachable`` (the maxima of the parts computed), ``lost``
    (reachable - points) and ``groups``, each with the same keys and its
    ``criteria``.
    """
    groups = []
    rows = [score(c, counts) for c in criteria(payment_split)]
    for g in GROUPS:
        mine = [r for r in rows if r["group"] == g.key]
        got = sum(r["points"] for r in mine if _reached(r))
        reachable = sum(r["maximum"] for r in mine if _reached(r))
        groups.append({"group": g.key, "points": round(got, 2), "maximum": g.maximum,
                       "reachable": reachable, "lost": round(reachable - got, 2),
                       "status": _group_status(mine), "criteria": mine})
    total = round(sum(g["points"] for g in groups), 2)
    reachable = sum(g["reachable"] for g in groups)
    return {"points": total, "maximum": sum(GROUP_MAXIMA.values()), "reachable": reachable,
            "lost": round(reachable - total, 2), "groups": groups}


def flat_criteria(index: dict[str, Any]) -> list[dict[str, Any]]:
    """Every sub-criterion row of one assembled index, in order."""
    return [c for g in index["groups"] for c in g["criteria"]]


def biggest_losses(index: dict[str, Any], n: int = 3) -> list[dict[str, Any]]:
    """The n computed sub-criteria that lose the most points (lost > 0)."""
    rows = [{**c, "lost": round(c["maximum"] - c["points"], 2)}
            for c in flat_criteria(index) if c["points"] is not None and c["maximum"]]
    rows = [r for r in rows if r["lost"] > 0]
    return sorted(rows, key=lambda r: (-r["lost"], r["criterion"]))[:n]


def simulate(row: dict[str, Any], extra: int) -> float:
    """Points gained on one sub-criterion had ``extra`` more of its dossiers
    scored (been on time, online, paid online...), within its denominator."""
    if row["points"] is None or not row["denominator"]:
        return 0.0
    num = min(row["numerator"] + max(extra, 0), row["denominator"])
    after = points(num, row["denominator"], row["maximum"], row["threshold"]) or 0.0
    return round(after - row["points"], 2)


def months(date_from: date, date_to: date, limit: int = 24) -> list[tuple[date, date]]:
    """The calendar months the period touches, clipped to it (the last ``limit``)."""
    out = []
    start = date_from
    while start <= date_to:
        nxt = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        out.append((start, min(date_to, nxt - timedelta(days=1))))
        start = nxt
    return out[-limit:]


def ranked_by_lost(units: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units with their index, the most points lost first."""
    return sorted(units, key=lambda u: (-u["lost"], -u["reachable"], str(u.get("agency") or u.get("level"))))


def criterion_name(code: str, lang: str = "vi") -> str:
    return t("i766_c_" + code.replace(".", "_"), lang)


def why_text(row: dict[str, Any], lang: str = "vi") -> str:
    """Why a sub-criterion is not (fully) computed, and the choices behind its
    number, in words: what the page, the Excel file and the report print."""
    parts: list[str] = []
    if row["status"] == STATUS_NATIONAL:
        parts.append(t("i766_status_needs_national_db", lang))
    if row.get("missing_columns"):
        parts.append(t("i766_missing_columns", lang, columns=", ".join(row["missing_columns"])))
    elif row["status"] == STATUS_NO_DATA:
        parts.append(t("i766_no_dossiers", lang))
    note = row.get("partial_note")
    if note == "i766_partial_missing":
        parts.append(t(note, lang, n=fmt.number(row.get("missing_dossiers"), lang)))
    elif note:
        parts.append(t(note, lang))
    parts += [t(n, lang) for n in row.get("notes", ())]
    return "; ".join(parts)


def criteria_rows(index: dict[str, Any], lang: str = "vi") -> list[dict[str, Any]]:
    """The sub-criteria of one assembled index as table rows, labelled in ``lang``."""
    return [{**r, "criterion_name": criterion_name(r["criterion"], lang), "group_name": t(f"i766_g_{r['group']}", lang),
             "status_name": t(f"i766_status_{r['status']}", lang), "why": why_text(r, lang)}
            for r in flat_criteria(index)]


def unit_rows(units: Iterable[dict[str, Any]], lang: str = "vi") -> list[dict[str, Any]]:
    """Agencies or levels with their points, reachable maximum, points lost and
    each group's points (keys ``g_<group>``), for the ranking table."""
    return [{"agency": u.get("agency"), "level": u.get("level"), "points": u["points"],
             "reachable": u["reachable"], "lost": u["lost"],
             **{f"g_{g['group']}": g["points"] for g in u["groups"]}} for u in units]


def loss_procedures(losses: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The dossiers of a loss list counted by procedure, the most first."""
    counts: dict[tuple[str, str], dict[str, Any]] = {}
    for r in losses:
        key = (r["procedure_code"], r.get("procedure_name") or "")
        entry = counts.setdefault(key, {"procedure_code": key[0], "procedure_name": key[1], "dossiers": 0})
        entry["dossiers"] += 1
    return sorted(counts.values(), key=lambda e: (-e["dossiers"], e["procedure_code"]))


def pack_summary(index: dict[str, Any], lang: str = "vi") -> dict[str, Any]:
    """What the meeting pack prints of one unit's index: a title line, a row
    per group (name, points / maximum, status), the three biggest sources of
    lost points with their dossiers, and how many points the data cannot tell."""
    def pts(x: float | None) -> str:
        return fmt.number(x, lang, 2)

    groups = [[t(f"i766_g_{g['group']}", lang),
               t("i766_points_of", lang, points=pts(g["points"]), maximum=fmt.number(g["maximum"], lang))
               if g["reachable"] else t("i766_unscored", lang),
               t(f"i766_status_{g['status']}", lang)] for g in index["groups"]]
    losses = [t("i766_pack_loss_line", lang, criterion=criterion_name(r["criterion"], lang), lost=pts(r["lost"]),
                dossiers=fmt.number(r["denominator"] - r["numerator"], lang))
              for r in biggest_losses(index)]
    return {
        "title": t("i766_pack_title", lang, points=pts(index["points"]),
                   reachable=fmt.number(index["reachable"], lang)),
        "groups": groups,
        "losses": losses,
        "unscored": t("i766_pack_unscored", lang, n=fmt.number(index["maximum"] - index["reachable"], lang)),
    }
