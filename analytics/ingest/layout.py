"""Where the table is in a sheet as one-stop software prints it.

Real exports are often report-style: a letterhead and a title above the
header ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "THỐNG KÊ …", "Từ ngày … đến
ngày …"), a header on one to three rows with merged cells ("Hồ sơ" above
"Mã hồ sơ" and "Ngày nhận"), a numbering row "(1) (2) (3)…" under it, group
rows inside the data (a row holding only a procedure or field name, which
applies to the rows below it), and total rows and a signature block at the
end. This module finds the header and classifies the non-data rows; none of
them becomes a dossier or a rejected row. docs/IMPORT.md describes the rules.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Sequence

from analytics.ingest.columns import ALIASES, TABLES, header_key, required_columns
from analytics.locale.text import clean_text, fold

HEADER_SEARCH_ROWS = 30  # letterhead, unit, title, period and blank lines fit in this
MAX_HEADER_ROWS = 3

# Kinds of skipped rows, as the import report names them.
SKIP_TITLE, SKIP_NUMBERING, SKIP_GROUP, SKIP_TOTAL, SKIP_SIGNATURE = (
    "title", "numbering", "group", "total", "signature")
SKIP_KINDS = (SKIP_TITLE, SKIP_NUMBERING, SKIP_GROUP, SKIP_TOTAL, SKIP_SIGNATURE)

_COLUMN_NUMBER = re.compile(r"^\(?\d{1,3}\)?$")
_TOTAL = re.compile(r"^(?:tong cong|tong so|tong|cong)\b")
_SIGNATURE = re.compile(
    r"\b(?:nguoi lap bieu|nguoi lap|nguoi bao cao|thu truong don vi|thu truong|ky,? ghi ro ho ten|"
    r"ky ten|dong dau|xac nhan cua|giam doc|chu tich|truong phong|lanh dao don vi)\b"
    r"|ngay \d{1,2} thang \d{1,2} nam \d{4}|ngay \.+ thang")
_FIELD_GROUP = re.compile(r"^linh vuc\b[:.\s-]*")
# "I.", "1.", "A)", "1.2." numbering in front of a group name.
_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*)[.)]\s+")


@dataclass
class Header:
    """The header found: 0-based first row, how many rows, one name per column."""

    start: int
    count: int
    table: str
    names: list[str | None]  # the combined header text per column (None: no header)
    groups: list[tuple[str, ...]]  # the group headers above the column, outermost first

    @property
    def data_start(self) -> int:
        return self.start + self.count

    def signature(self) -> str:
        """What a remembered layout is keyed by: the table and the folded header names."""
        keys = "|".join(header_key(n) if n else "" for n in self.names).rstrip("|")
        return hashlib.sha1(f"{self.table}:{keys}".encode("utf-8")).hexdigest()[:16]


def _text(cell: Any) -> str | None:
    return clean_text(cell) if isinstance(cell, str) else None


def _combined_names(rows: Sequence[Sequence[Any]], width: int) -> tuple[list[str | None], list[tuple[str, ...]]]:
    """One name per column from a header of ``len(rows)`` rows.

    A merged group cell holds its text only in its first column: it is carried
    to the right over the columns that have a sub-header of their own below.
    A cell merged down over the header rows has nothing below it.
    """
    grid = [[_text(row[j]) if j < len(row) else None for j in range(width)] for row in rows]
    last = len(grid) - 1
    names: list[str | None] = []
    groups: list[tuple[str, ...]] = []
    carried: list[str | None] = [None] * last
    for j in range(width):
        parts = []
        for level in range(last):
            cell = grid[level][j]
            below = any(grid[k][j] for k in range(level + 1, last + 1))
            if cell:
                carried[level] = cell if below else None
                parts.append(cell)
            elif (held := carried[level]) and below:
                parts.append(held)
            else:
                carried[level] = None
        if bottom := grid[last][j]:
            parts.append(bottom)
        names.append(parts[-1] if parts else None)
        groups.append(tuple(parts[:-1]))
    return names, groups


def resolve(name: str | None, groups: tuple[str, ...], table: str) -> str | None:
    """The text a column is matched by: the sub-header alone, else with its groups.

    "Ngày" above "Tiếp nhận" is "Ngày Tiếp nhận"; the nearest group is tried
    first ("Thông tin hồ sơ" / "Ngày" / "Tiếp nhận" is still "Ngày Tiếp nhận").
    """
    if not name:
        return None
    if header_key(name) in ALIASES[table]:
        return name
    for k in range(1, len(groups) + 1):
        joined = " ".join((*groups[-k:], name))
        if header_key(joined) in ALIASES[table]:
            return joined
    return name


def _score(names: list[str | None], groups: list[tuple[str, ...]], table: str) -> tuple[int, int]:
    aliases = ALIASES[table]
    matched = {aliases[k] for k in (header_key(resolve(n, g, table)) for n, g in zip(names, groups, strict=True) if n)
               if k in aliases}
    if table == "dossiers" and "resolving_agency" in matched:
        matched.add("agency")  # it stands in for a missing receiving agency
    return len(matched & set(required_columns(table))), len(matched)


def _candidate_tables(names: list[str | None]) -> tuple[str, ...]:
    # A sheet with dossier codes is a dossier or step list, never a catalog.
    if any(ALIASES["dossiers"].get(header_key(n)) == "code" for n in names if n):
        return ("dossiers", "steps")
    return TABLES


def find_header(rows: Sequence[Sequence[Any]], table: str | None) -> Header | None:
    """The best header in the first :data:`HEADER_SEARCH_ROWS` rows, on one to three rows.

    Candidates are scored by (required columns matched, columns matched);
    on a tie the fewer header rows win, then the earlier start.
    """
    width = max((len(r) for r in rows[:HEADER_SEARCH_ROWS + MAX_HEADER_ROWS]), default=0)
    best: tuple[tuple[int, int, int, int], Header] | None = None
    for start in range(min(HEADER_SEARCH_ROWS, len(rows))):
        if not any(_text(c) for c in rows[start]):
            continue
        for count in range(1, MAX_HEADER_ROWS + 1):
            if start + count > len(rows):
                break
            names, groups = _combined_names(rows[start:start + count], width)
            for candidate in ((table,) if table else _candidate_tables(names)):
                score = _score(names, groups, candidate)
                needed = min(2, len(required_columns(candidate))) if table else 2
                if score[1] < needed:
                    continue
                rank = (*score, -count, -start)
                if best is None or rank > best[0]:
                    names_resolved = [resolve(n, g, candidate) for n, g in zip(names, groups, strict=True)]
                    best = (rank, Header(start, count, candidate, names_resolved, groups))
    return best[1] if best else None


def is_numbering_row(row: Sequence[Any]) -> bool:
    """Official forms number their columns under the header: "(1)", "(2)"… or 1, 2, 3…"""
    cells = [str(cell).strip() for cell in row if cell not in ("", None)]
    if len(cells) < 2 or not all(_COLUMN_NUMBER.match(c) for c in cells):
        return False
    numbers = [int(c.strip("()")) for c in cells]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def count_title_rows(rows: Sequence[Sequence[Any]], header: Header) -> int:
    """Non-blank rows above the header (letterhead, unit, title, period)."""
    return sum(1 for row in rows[:header.start] if any(c not in ("", None) for c in row))


@dataclass
class RowKind:
    """A non-data row: its kind and, for a group row, what it sets for the rows below."""

    kind: str
    field: str | None = None
    procedure: str | None = None


def classify_row(row: Sequence[Any], after_end: bool) -> RowKind | None:
    """The kind of a row that has no key (no dossier code...), or None for a data row.

    ``after_end``: a total or signature row was seen above; every key-less row
    below it belongs to the signature block (names, "(Ký, ghi rõ họ tên)"...).
    """
    texts = [t for t in (clean_text(c) for c in row if c not in ("", None)) if t]
    if not texts:
        return None
    first = fold(texts[0])
    if _TOTAL.match(first):
        return RowKind(SKIP_TOTAL)
    if any(_SIGNATURE.search(fold(t)) for t in texts):
        return RowKind(SKIP_SIGNATURE)
    if after_end:
        return RowKind(SKIP_SIGNATURE)
    if is_numbering_row(row):
        return RowKind(SKIP_NUMBERING)
    distinct = set(texts)
    if len(distinct) == 1 and re.search(r"[^\W\d_]", texts[0]) and " " in texts[0]:
        name = _GROUP_NUMBER.sub("", texts[0]).strip()
        field = _FIELD_GROUP.match(fold(name))
        if field:
            # "Lĩnh vực: Hộ tịch" -> "Hộ tịch" (the words as written, prefix dropped).
            return RowKind(SKIP_GROUP, field=name[field.end():].strip(" :.-") or name)
        return RowKind(SKIP_GROUP, procedure=name)
    return None
