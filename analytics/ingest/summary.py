"""What an import plan (or a finished import) looks like to the person
checking it: rows accepted and rejected per table, and where each recognised
column was read. Plain rows, drawn as tables by the import page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from analytics.ingest.columns import COLUMNS, column
from analytics.ingest.importer import MEANING_CROSS_CHECK, MEANING_DROPPED, MEANING_IGNORED, MEANING_STAFF
from analytics.ingest.layout import SKIP_KINDS
from analytics.locale import fmt
from analytics.locale.labels import column_label, t

# The importer's table names, as the import page names them.
TABLE_LABELS = {"dossiers": "imp_t_dossiers", "steps": "imp_t_steps",
                "procedures": "imp_t_procedures", "agencies": "imp_t_agencies"}


def table_name(table: str, lang: str) -> str:
    """A table named for people; a table this module does not know keeps its name."""
    return t(TABLE_LABELS[table], lang) if table in TABLE_LABELS else table


def import_counts(counts: dict[str, dict[str, int]], lang: str, with_changed: bool = False
                  ) -> list[dict[str, Any]]:
    """Accepted / rejected (/ changed) rows per table (``ImportPlan.counts()``
    or ``ImportReport.tables``)."""
    return [{"table": table_name(name, lang),
             "accepted": c.get("accepted", 0), "rejected": c.get("rejected", 0),
             **({"changed": c.get("changed", 0)} if with_changed else {})}
            for name, c in counts.items()]


def import_mapping(sheets: Sequence[Any], lang: str) -> list[dict[str, Any]]:
    """One row per recognised source header of the plan's sheets: where it was
    read and what it became."""
    rows = []
    for sheet in sheets:
        for source, target in sheet.columns.items():
            rows.append({"file": Path(sheet.file).name, "sheet": sheet.sheet or "",
                         "table": table_name(sheet.table, lang), "header_row": sheet.header_row,
                         "source": source, "target": column_label(target, lang)})
    return rows


# -- a sheet's layout, as the import page shows it before confirming -------------

_MEANING_LABELS = {MEANING_DROPPED: "imp_m_dropped", MEANING_IGNORED: "imp_m_ignored",
                   MEANING_STAFF: "imp_m_staff", MEANING_CROSS_CHECK: "imp_m_cross_check"}
_DUPLICATE = f"{MEANING_IGNORED}: another column is "
SKIP_LABELS = {kind: f"imp_skip_{kind}" for kind in SKIP_KINDS}


def column_name(table: str, name: str, lang: str) -> str:
    """One of our columns for people: the header exports print for it (the
    officer's files are Vietnamese), with our name in English."""
    label = column(table, name).label
    return label if lang == "vi" else f"{label} ({name})"


def meaning_label(table: str, meaning: str, lang: str) -> str:
    """What a header became (``SheetMapping.meanings``), for people."""
    if meaning in _MEANING_LABELS:
        return t(_MEANING_LABELS[meaning], lang)
    if meaning.startswith(_DUPLICATE):
        return t("imp_m_duplicate", lang, column=column_name(table, meaning[len(_DUPLICATE):], lang))
    if any(c.name == meaning for c in COLUMNS[table]):
        return column_name(table, meaning, lang)
    return t("imp_m_ignored", lang)


def layout_rows(sheet: Any, lang: str) -> list[dict[str, Any]]:
    """One row per header of the sheet: the header as written and what it means."""
    return [{"header": header, "meaning": meaning_label(sheet.table, meaning, lang)}
            for header, meaning in sheet.meanings]


def correctable_headers(sheet: Any) -> list[str]:
    """The headers an officer may give another meaning: all but citizen data,
    which stays dropped whatever a profile says."""
    return [header for header, meaning in sheet.meanings if meaning != MEANING_DROPPED]


def meaning_choices(table: str) -> list[str]:
    """What a header may be told to mean: any of the table's columns, or ignored."""
    return [*(c.name for c in COLUMNS[table]), MEANING_IGNORED]


def current_choice(sheet: Any, header: str) -> str:
    """Where a correction of ``header`` starts: its meaning now when that is
    one of :func:`meaning_choices` (a column of the table), else ignored
    (ignored, a staff or cross-check column, a duplicate)."""
    meaning = dict(sheet.meanings).get(header, MEANING_IGNORED)
    return meaning if meaning in meaning_choices(sheet.table) else MEANING_IGNORED


def skipped_rows_text(skipped: dict[str, int], lang: str) -> str | None:
    """"3 dòng tiêu đề, 2 dòng nhóm, 1 dòng tổng" (None when nothing was skipped)."""
    items = [t(SKIP_LABELS[kind], lang, n=fmt.number(n, lang)) for kind in SKIP_KINDS
             if (n := int(skipped.get(kind, 0)))]
    return ", ".join(items) if items else None
