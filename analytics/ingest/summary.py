"""What an import plan (or a finished import) looks like to the person
checking it: rows accepted and rejected per table, and where each recognised
column was read. Plain rows, drawn as tables by the import page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

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
