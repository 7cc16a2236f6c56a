"""Import one-stop-shop exports (.xlsx, .csv) into the analytics database.

Two steps, so the dashboard can show a preview before anything is written:

* :func:`plan_import` reads and validates every file (no write): accepted rows
  per table, rejected rows with their reasons, how each header was mapped,
  which citizen columns were dropped and which unknown ones ignored.
* :func:`apply_import` writes a plan in one transaction
  (:meth:`AnalyticsStore.write`): all files of a command or none of them.

:func:`import_files` does both; :func:`run_import_command` is the
``python -m analytics import`` subcommand. Any fatal problem (unreadable
file, wrong type, empty file, no recognised sheet or header, a required
column missing) raises :class:`ImportFailed` before anything is written, so
the database file stays byte-for-byte as it was.

Citizen columns (applicant name, ID number, address, phone, e-mail...) are
dropped right after the header is read: their values never reach a frame,
the database or the rejects file. docs/IMPORT.md documents the rules.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from analytics.ingest.columns import (
    ALIAS_RANK,
    ALIASES,
    COLUMNS,
    SHEET_NAMES,
    TABLE_LABELS,
    TABLES,
    column,
    header_key,
    is_citizen_header,
    required_columns,
    table_of_sheet,
)
from analytics.ingest.file_limits import (
    FileRefused,
    check_size,
    check_workbook,
    csv_rows,
)
from analytics.ingest.parsing import (
    DATE_INVALID,
    DATE_NOT_A_DATE,
    STATUS_NAMES,
    TEXT_DTYPE,
    as_text_array,
    clean_texts,
    map_values,
    parse_channel_text,
    parse_dates,
    parse_flag_text,
    parse_in_force_text,
    parse_int_text,
    parse_level_text,
    parse_online_level_text,
    parse_status_text,
)
from analytics.ingest.reader_worker import WorkerCrashed, run_isolated
from analytics.locale import labels
from analytics.locale.clock import office_now
from analytics.locale.fmt import number as format_number
from analytics.locale.safe_text import csv_cell
from analytics.locale.text import clean_text
from analytics.sqlfiles import read_sql
from analytics.store.agency_names import resolve_frames
from analytics.store.database import AnalyticsStore, DataVersion, StoreError

Progress = Callable[[str, float], None]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
HEADER_SEARCH_ROWS = 10  # real exports put a title (and a blank line) above the header

# Reject reasons, as users read them in the summary and the rejects file.
REASON_MISSING = "Thiếu giá trị bắt buộc"
REASON_NOT_A_DATE = "Không phải ngày (cần dd/mm/yyyy, dd/mm/yyyy HH:MM[:SS] hoặc yyyy-mm-dd)"
REASON_BAD_DATE = "Ngày không tồn tại"
REASON_DUE_BEFORE_RECEIVED = "Ngày hẹn trả trước ngày tiếp nhận"
REASON_FINISHED_BEFORE_RECEIVED = "Ngày kết thúc xử lý trước ngày tiếp nhận"
REASON_CHANNEL = "Kênh nộp không nhận ra (cần Trực tuyến, Trực tiếp, Bưu chính công ích hoặc mã 1, 2, 3)"
REASON_STATUS = "Trạng thái không nhận ra (cần tên trạng thái hoặc mã 1–10)"
REASON_CLOSED_WITHOUT_DATE = "Trạng thái {status} cần ngày kết thúc xử lý hoặc ngày trả kết quả"
REASON_DUPLICATE_DOSSIER = "Mã hồ sơ xuất hiện nhiều lần trong cùng tệp (loại mọi dòng của mã này)"
REASON_DUPLICATE_PROCEDURE = "Mã TTHC xuất hiện nhiều lần trong cùng tệp với nội dung khác nhau"
REASON_DUPLICATE_AGENCY = "Tên đơn vị xuất hiện nhiều lần trong cùng tệp với nội dung khác nhau"
REASON_UNKNOWN_DOSSIER = "Hồ sơ không có trong lần nhập này hay trong cơ sở dữ liệu"
REASON_FLAG = "Giá trị không nhận ra (cần Có/Không, x/để trống, 1/0, TRUE/FALSE)"
REASON_STEP_NO = "Số bước không hợp lệ (cần số nguyên)"
REASON_SATISFACTION = "Mức độ hài lòng không hợp lệ (cần số từ 0 đến 100)"
REASON_ONLINE_LEVEL = "Mức độ DVCTT không nhận ra (cần Toàn trình, Một phần hoặc Không)"
REASON_IN_FORCE = "Trạng thái không nhận ra (cần Còn hiệu lực hoặc Đã bãi bỏ)"

REJECT_COLUMNS = ("file", "sheet", "row", "column", "reason", "value")
# Headers of the rejects file people open in Excel.
REJECT_HEADERS = {"file": "Tệp", "sheet": "Trang tính", "row": "Dòng", "column": "Cột",
                  "reason": "Lý do", "value": "Giá trị"}

# Columns of the accepted frames, in the order of analytics/store/sql/schema.sql.
FRAME_COLUMNS = {
    "dossiers": ("code", "procedure_code", "procedure_name", "field", "agency", "channel",
                 "received_at", "due_at", "finished_at", "returned_at", "status", "inter_agency",
                 "result_attached", "paid_online", "digitised", "satisfaction"),
    "steps": ("dossier_code", "step_no", "step_name", "handler", "agency", "started_at",
              "due_at", "finished_at"),
    "procedures": ("code", "name", "field", "level", "online_level", "published_on", "in_force"),
    "agencies": ("name", "level", "parent", "level_source"),
}


class ImportFailed(Exception):
    """A fatal import error; nothing was written. The message is one line."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))


# -- results -------------------------------------------------------------------

@dataclass
class SheetMapping:
    """How one sheet (or CSV file) was read.

    ``columns`` maps each source header, as written in the file, to our
    column name; ``header_row`` is the 1-based row of the header.
    """

    file: str
    sheet: str | None
    table: str
    header_row: int
    columns: dict[str, str]
    dropped_columns: list[str]
    ignored_columns: list[str]
    rows: int = 0


@dataclass
class ImportPlan:
    """Everything an import would write, validated, before writing it.

    ``frames`` holds the accepted rows per table (columns as in
    :data:`FRAME_COLUMNS`); ``rejects`` one row per problem found
    (:data:`REJECT_COLUMNS` plus ``table``).
    """

    paths: list[str]
    db_path: str | None
    db_version: DataVersion | None
    frames: dict[str, pd.DataFrame]
    rejects: pd.DataFrame
    rejected_rows: dict[str, int]
    sheets: list[SheetMapping]
    skipped_sheets: list[str]
    dropped_columns: list[str]
    ignored_columns: list[str]

    @property
    def dossiers(self) -> pd.DataFrame:
        return self.frames["dossiers"]

    @property
    def steps(self) -> pd.DataFrame:
        return self.frames["steps"]

    @property
    def procedures(self) -> pd.DataFrame:
        return self.frames["procedures"]

    @property
    def agencies(self) -> pd.DataFrame:
        return self.frames["agencies"]

    def counts(self) -> dict[str, dict[str, int]]:
        return {t: {"accepted": int(len(self.frames[t])), "rejected": int(self.rejected_rows.get(t, 0))}
                for t in TABLES}


@dataclass
class ImportReport:
    """What an import wrote. ``tables[t]["changed"]``: rows actually written."""

    import_id: int
    db_path: str
    files: list[str]
    tables: dict[str, dict[str, int]]
    dropped_columns: list[str]
    ignored_columns: list[str]
    skipped_sheets: list[str]
    rejects_file: str | None
    rejects: pd.DataFrame = field(repr=False, default_factory=lambda: pd.DataFrame(columns=REJECT_COLUMNS))
    sheets: list[SheetMapping] = field(repr=False, default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``--format json`` document (named keys never change)."""
        return {
            "tables": {t: dict(self.tables[t]) for t in TABLES},
            "dropped_columns": list(self.dropped_columns),
            "ignored_columns": list(self.ignored_columns),
            "rejects_file": self.rejects_file,
            "import_id": self.import_id,
            "files": list(self.files),
            "skipped_sheets": list(self.skipped_sheets),
        }

    def to_text(self) -> str:
        """A readable Vietnamese summary."""
        lines = [f"Đã nhập lần số {self.import_id} vào {self.db_path}",
                 "Tệp: " + ", ".join(Path(f).name for f in self.files)]
        for table in TABLES:
            c = self.tables[table]
            lines.append(
                f"{TABLE_LABELS[table]}: {format_number(c['accepted'])} dòng nhận "
                f"({format_number(c.get('changed', 0))} thay đổi), {format_number(c['rejected'])} dòng bị loại"
            )
        if self.dropped_columns:
            lines.append("Cột dữ liệu cá nhân đã bỏ, không lưu: " + ", ".join(self.dropped_columns))
        if self.ignored_columns:
            lines.append("Cột không nhận ra, bỏ qua: " + ", ".join(self.ignored_columns))
        if self.skipped_sheets:
            lines.append("Trang tính bỏ qua: " + ", ".join(self.skipped_sheets))
        if self.rejects_file:
            lines.append(f"Danh sách dòng bị loại và lý do: {self.rejects_file}")
        else:
            lines.append("Không có dòng nào bị loại.")
        return "\n".join(lines)


# -- reading files ---------------------------------------------------------------

@dataclass
class _Grid:
    file: str  # as shown to users (the file name)
    sheet: str | None
    table: str | None  # known from the sheet name, else found from the header
    rows: list[list[Any]]


_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
) | frozenset("đĐ")
_HARMLESS_SYMBOLS = frozenset("–—“”‘’…°·•×ºª§€")


def _looks_vietnamese(text: str) -> bool:
    """True when the non-ASCII characters are Vietnamese letters.

    A legacy file decoded with the wrong code page (TCVN3, VNI...) yields
    symbols and stray combining marks instead.
    """
    foreign = [ch for ch in set(text) if ord(ch) > 127]
    odd = [ch for ch in foreign if ch not in _VIETNAMESE_LETTERS and ch not in _HARMLESS_SYMBOLS]
    return bool(foreign) and not odd


def _decode_csv(name: str, data: bytes) -> tuple[str, bool]:
    """The text of a CSV file and whether it came from the legacy code page."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), False
        except UnicodeDecodeError:
            raise ImportFailed(f"Tệp '{name}': không đọc được (UTF-16 hỏng)") from None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), False
    except UnicodeDecodeError:
        pass
    refuse = (f"Tệp '{name}': không phải UTF-8 và không đọc được như Windows-1258; "
              "hãy lưu lại dưới dạng CSV UTF-8 rồi nhập lại")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise ImportFailed(refuse) from None
    # Windows-1258 writes tone marks as combining characters: compose them.
    text = unicodedata.normalize("NFC", text)
    if not _looks_vietnamese(text):
        raise ImportFailed(refuse)
    return text, True


def _sniff_delimiter(text: str) -> str:
    # Only the head is split: splitting the whole text would copy it once more.
    head = text[:1 << 16].splitlines()[:HEADER_SEARCH_ROWS + 2]
    counts = {d: sum(line.count(d) for line in head) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path) -> tuple[list[_Grid], bool]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"Không đọc được tệp '{path.name}': {exc.strerror or exc}") from None
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise ImportFailed(f"Tệp '{path.name}' rỗng")
    text, legacy = _decode_csv(path.name, data)
    del data
    try:
        rows = list(csv_rows(text, _sniff_delimiter(text), path.name))
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    if not any(cell.strip() for row in rows for cell in row):
        raise ImportFailed(f"Tệp '{path.name}' rỗng")
    # Records of different lengths are padded, as Excel shows them, so the
    # grid is rectangular like a worksheet.
    width = max(len(row) for row in rows)
    rows = [row if len(row) == width else [*row, *[""] * (width - len(row))] for row in rows]
    return [_Grid(path.name, None, None, rows)], legacy


def _read_workbook(path: Path, skipped: list[str]) -> list[_Grid]:
    import python_calamine

    try:
        # Before calamine: it builds the whole used range in memory at once.
        check_workbook(path)
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        wanted = [(name, table_of_sheet(name)) for name in names]
        if not any(table for _, table in wanted):
            # No sheet named as we expect: try every sheet by its header.
            wanted = [(name, None) for name in names]
        grids = []
        for name, table in wanted:
            if table is None and any(t for _, t in wanted):
                skipped.append(f"{path.name}: {name}")
                continue
            # Whole sheet at once, empty leading rows kept so row numbers
            # match what the user sees in Excel.
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            grids.append(_Grid(path.name, name, table, rows))
    except (ImportFailed, MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several unrelated types, and a Rust panic
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFailed(f"Không đọc được tệp '{path.name}' như bảng tính Excel: {reason}") from None
    if not any(_has_content(grid.rows) for grid in grids):
        raise ImportFailed(f"Tệp '{path.name}' rỗng")
    return grids


def _has_content(rows: list[list[Any]]) -> bool:
    return any(cell not in ("", None) for row in rows for cell in row)


# -- headers ---------------------------------------------------------------------

def _row_keys(row: Sequence[Any]) -> list[str]:
    return [header_key(cell) if isinstance(cell, str) else "" for cell in row]


def _score(keys: list[str], table: str) -> tuple[int, int]:
    """(required columns matched, columns matched) of a header candidate."""
    matched = {ALIASES[table][k] for k in keys if k in ALIASES[table]}
    return len(matched & set(required_columns(table))), len(matched)


def _candidate_tables(keys: list[str]) -> tuple[str, ...]:
    # A sheet with dossier codes is a dossier or step list, never a catalog.
    if any(ALIASES["dossiers"].get(k) == "code" for k in keys):
        return ("dossiers", "steps")
    return TABLES


def _find_header(rows: list[list[Any]], table: str | None) -> tuple[int, str] | None:
    """The header row (0-based) and table: the best match in the first rows."""
    best: tuple[tuple[int, int], int, str] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = _row_keys(row)
        for candidate in ((table,) if table else _candidate_tables(keys)):
            score = _score(keys, candidate)
            needed = min(2, len(required_columns(candidate))) if table else 2
            if score[1] >= needed and (best is None or score > best[0]):
                best = (score, index, candidate)
    return (best[1], best[2]) if best else None


def _map_header(header: Sequence[Any], table: str) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Source columns for our columns.

    Returns:
        ``(index_of, header_of, dropped, ignored)``: cell index and source
        header per column name; citizen headers dropped; other headers ignored.
    """
    chosen: dict[str, tuple[int, int, str]] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    for index, cell in enumerate(header):
        text = clean_text(cell) if isinstance(cell, str) else None
        if not text:
            continue  # a column without a header carries nothing we can name
        key = header_key(text)
        name = ALIASES[table].get(key)
        if name is None:
            (dropped if is_citizen_header(text) else ignored).append(text)
            continue
        rank = ALIAS_RANK[table][key]
        if name in chosen:
            kept = chosen[name]
            if (rank, index) < (kept[0], kept[1]):
                ignored.append(kept[2])
                chosen[name] = (rank, index, text)
            else:
                ignored.append(text)
        else:
            chosen[name] = (rank, index, text)
    index_of = {name: c[1] for name, c in chosen.items()}
    header_of = {name: c[2] for name, c in chosen.items()}
    return index_of, header_of, dropped, ignored


def _where(file: str, sheet: str | None) -> str:
    return f"Tệp '{file}'" + (f", trang '{sheet}'" if sheet else "")


# -- validating one sheet ----------------------------------------------------------

class _Block:
    """One sheet's rows: parsed values for every row, and the problems found."""

    def __init__(self, file_index: int, file: str, sheet: str | None, table: str,
                 rows: np.ndarray, header_of: dict[str, str]):
        self.file_index = file_index
        self.file = file
        self.sheet = sheet
        self.table = table
        self.rows = rows  # 1-based row numbers as shown in Excel
        self.header_of = header_of
        self.values: dict[str, Any] = {}
        self.texts: dict[str, Any] = {}  # cleaned text of the non-date columns
        self.raw: dict[str, np.ndarray] = {}  # cells of the date columns, as read
        self.bad = np.zeros(len(rows), dtype=bool)  # not written: rejected, or an exact repeat
        self.repeats = np.zeros(len(rows), dtype=bool)  # exact repeats: neither written nor rejected
        self.problems: list[pd.DataFrame] = []

    def __len__(self) -> int:
        return len(self.rows)

    def label(self, name: str) -> str:
        return self.header_of.get(name) or column(self.table, name).label

    def reject(self, mask: np.ndarray, name: str, reason: Any, with_value: bool = True) -> None:
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.bad[idx] = True
        value = self.shown(name, idx) if with_value else None
        reasons = reason[idx] if isinstance(reason, np.ndarray) else reason
        self.problems.append(pd.DataFrame({
            "_idx": idx, "column": self.label(name), "reason": reasons, "value": value,
        }))

    def shown(self, name: str, idx: np.ndarray) -> np.ndarray | None:
        """Cells as the user typed them (cleaned), for the rejects file."""
        if name in self.texts:
            return np.asarray(self.texts[name][idx], dtype=object)
        if name in self.raw:  # date columns are only turned into text when shown
            return np.asarray(clean_texts(self.raw[name][idx]), dtype=object)
        return None

    def text(self, name: str) -> Any:
        if name not in self.texts:
            return as_text_array(pa.nulls(len(self), pa.string()))
        return self.texts[name]

    def frame(self, columns: Iterable[str]) -> pd.DataFrame:
        keep = ~self.bad
        data = {name: self.values[name][keep] for name in columns}
        frame = pd.DataFrame(data)
        frame["_file"] = self.file_index
        frame["_row"] = self.rows[keep]
        return frame

    def reject_frame(self) -> pd.DataFrame:
        if not self.problems:
            return pd.DataFrame(columns=[*REJECT_COLUMNS, "table"])
        problems = pd.concat(self.problems, ignore_index=True)
        problems["_order"] = np.arange(len(problems))
        problems = problems.sort_values(["_idx", "_order"], kind="stable")
        return pd.DataFrame({
            "file": self.file, "sheet": self.sheet, "row": self.rows[problems["_idx"].to_numpy()],
            "column": problems["column"].to_numpy(), "reason": problems["reason"].to_numpy(),
            "value": problems["value"].to_numpy(), "table": self.table,
        })


def _require_text(block: _Block, name: str) -> np.ndarray:
    values = block.text(name)
    block.reject(pd.isna(values), name, REASON_MISSING, with_value=False)
    return values


def _coded(block: _Block, name: str, lookup: Callable[[str], Any], reason: str | None,
           missing: Any = None, as_text: bool = False) -> Any:
    """Parse a coded column; unknown values rejected with ``reason`` (None: kept as missing)."""
    values, bad = map_values(block.text(name), lookup, missing=missing, as_text=as_text)
    if reason is not None:
        block.reject(bad, name, reason)
    return values


def _dates(block: _Block, raw: dict[str, np.ndarray], name: str, required: bool) -> np.ndarray:
    if name not in raw:
        values = np.full(len(block), np.datetime64("NaT"), dtype="datetime64[us]")
        if required:
            block.reject(np.ones(len(block), dtype=bool), name, REASON_MISSING, with_value=False)
        return values
    values, state = parse_dates(raw[name])
    block.reject(state == DATE_NOT_A_DATE, name, REASON_NOT_A_DATE)
    block.reject(state == DATE_INVALID, name, REASON_BAD_DATE)
    if required:
        block.reject(np.isnat(values) & (state == 0), name, REASON_MISSING, with_value=False)
    return values


def _to_day(values: np.ndarray) -> np.ndarray:
    return values.astype("datetime64[D]")


def _validate_dossiers(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    n = len(block)
    for name in ("code", "procedure_code", "agency"):
        v[name] = _require_text(block, name)
    v["procedure_name"] = block.text("procedure_name")
    v["field"] = block.text("field")
    v["_level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    _require_text(block, "channel")
    v["channel"] = _coded(block, "channel", parse_channel_text, REASON_CHANNEL, as_text=True)
    received = _dates(block, raw, "received_at", required=True)
    due = _dates(block, raw, "due_at", required=True)
    finished = _dates(block, raw, "finished_at", required=False)
    returned = _dates(block, raw, "returned_at", required=False)
    # The end of handling falls back to the day the result was returned.
    from_returned = np.isnat(finished) & ~np.isnat(returned)
    end = np.where(from_returned, returned, finished)
    has_received = ~np.isnat(received)
    block.reject(has_received & ~np.isnat(due) & (_to_day(due) < _to_day(received)),
                 "due_at", REASON_DUE_BEFORE_RECEIVED)
    early_end = has_received & ~np.isnat(end) & (_to_day(end) < _to_day(received))
    block.reject(early_end & ~from_returned, "finished_at", REASON_FINISHED_BEFORE_RECEIVED)
    block.reject(early_end & from_returned, "returned_at", REASON_FINISHED_BEFORE_RECEIVED)
    status = _coded(block, "status", parse_status_text, REASON_STATUS)
    has_status = ~pd.isna(status)
    status_num = np.where(has_status, status, 0).astype(np.int16)
    # Status absent: finished if there is an end date, in progress otherwise.
    status_num = np.where(has_status, status_num, np.where(np.isnat(end), 4, 9)).astype(np.int16)
    closed_without_date = has_status & (status_num >= 7) & np.isnat(end)
    if closed_without_date.any():
        reasons = np.array([REASON_CLOSED_WITHOUT_DATE.format(status=f"{s} ({STATUS_NAMES.get(int(s), s)})")
                            if c else None for s, c in zip(status_num, closed_without_date)], dtype=object)
        block.reject(closed_without_date, "finished_at", reasons, with_value=False)
    v["received_at"], v["due_at"], v["finished_at"], v["returned_at"] = received, due, end, returned
    v["status"] = pd.array(status_num, dtype="Int8")
    v["inter_agency"] = _flag(block, "inter_agency", default=False)
    for name in ("result_attached", "paid_online", "digitised"):
        v[name] = _flag(block, name, default=None)
    satisfaction, unreadable = map_values(block.text("satisfaction"), parse_int_text)
    rating = pd.array(satisfaction, dtype="Int16")
    bad_rating = unreadable | (rating > 100).fillna(False).to_numpy(dtype=bool)
    block.reject(bad_rating, "satisfaction", REASON_SATISFACTION)
    rating[bad_rating] = pd.NA
    v["satisfaction"] = rating


def _flag(block: _Block, name: str, default: bool | None) -> pd.api.extensions.ExtensionArray:
    if name not in block.texts:
        return pd.array(np.full(len(block), default, dtype=object), dtype="boolean")
    # A present column: x / blank means yes / no.
    values = _coded(block, name, parse_flag_text, REASON_FLAG, missing=False)
    return pd.array(values, dtype="boolean")


def _validate_steps(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    for name in ("dossier_code", "step_name", "handler"):
        v[name] = _require_text(block, name)
    _require_text(block, "step_no")
    step_no = _coded(block, "step_no", parse_int_text, REASON_STEP_NO)
    v["step_no"] = pd.array(step_no, dtype="Int32")
    v["agency"] = block.text("agency")
    v["started_at"] = _dates(block, raw, "started_at", required=False)
    v["due_at"] = _dates(block, raw, "due_at", required=True)
    v["finished_at"] = _dates(block, raw, "finished_at", required=False)


def _validate_procedures(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    for name in ("code", "name", "field"):
        v[name] = _require_text(block, name)
    v["level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    v["online_level"] = _coded(block, "online_level", parse_online_level_text, REASON_ONLINE_LEVEL, as_text=True)
    v["published_on"] = _dates(block, raw, "published_on", required=False)
    in_force = _coded(block, "in_force", parse_in_force_text, REASON_IN_FORCE)
    v["in_force"] = pd.array(in_force, dtype="boolean")


def _validate_agencies(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    v["name"] = _require_text(block, "name")
    v["level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    v["parent"] = block.text("parent")


_VALIDATORS = {
    "dossiers": _validate_dossiers,
    "steps": _validate_steps,
    "procedures": _validate_procedures,
    "agencies": _validate_agencies,
}
_DATE_COLUMNS = {
    "dossiers": ("received_at", "due_at", "finished_at", "returned_at"),
    "steps": ("started_at", "due_at", "finished_at"),
    "procedures": ("published_on",),
    "agencies": (),
}


def _columns_of(rows: list[list[Any]], indices: dict[str, int]) -> dict[str, np.ndarray]:
    """The wanted columns of the data rows (all as wide as the header) as object arrays."""
    if not rows:
        return {name: np.empty(0, dtype=object) for name in indices}
    grid = np.array(rows, dtype=object)  # one C-level copy; faster than gathering column by column
    return {name: grid[:, j] for name, j in indices.items()}


def _read_block(grid: _Grid, file_index: int, header_index: int, table: str,
                mapping: SheetMapping, index_of: dict[str, int], header_of: dict[str, str]) -> _Block:
    data = grid.rows[header_index + 1:]
    cells = _columns_of(data, index_of)
    dates = {name: values for name, values in cells.items() if name in _DATE_COLUMNS[table]}
    texts = {name: clean_texts(values) for name, values in cells.items() if name not in dates}
    rows = np.arange(header_index + 2, header_index + 2 + len(data))
    # Blank rows (spacing, trailing formatting) are not data.
    filled = np.zeros(len(data), dtype=bool)
    for values in texts.values():
        filled |= ~pd.isna(values)
    for values in dates.values():
        filled |= ~(pd.isna(values) | (values == ""))
    # Official forms number their columns under the header: "(1)", "(2)"...
    if len(data) and _is_column_numbers(data[0]):
        filled[0] = False
    block = _Block(file_index, grid.file, grid.sheet, table, rows[filled], header_of)
    block.texts = {name: values[filled] for name, values in texts.items()}
    block.raw = {name: values[filled] for name, values in dates.items()}
    _VALIDATORS[table](block, block.raw)
    # Date cells are shown only for the rejects found while validating (the
    # later checks reject on text columns): not sending them back from the
    # reader worker saves a third of the transfer.
    block.raw = {}
    mapping.rows = len(block)
    return block


_COLUMN_NUMBER = re.compile(r"^\(\d{1,3}\)$")


def _is_column_numbers(row: Sequence[Any]) -> bool:
    cells = [str(cell).strip() for cell in row if cell not in ("", None)]
    return bool(cells) and all(_COLUMN_NUMBER.match(cell) for cell in cells)


def _check_required(grid: _Grid, table: str, index_of: dict[str, int]) -> None:
    missing = [column(table, name).label for name in required_columns(table) if name not in index_of]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise ImportFailed(f"{_where(grid.file, grid.sheet)} ({TABLE_LABELS[table]}): thiếu cột bắt buộc {names}")


# -- combining sheets and files -------------------------------------------------------

def _reject_duplicates(blocks: list[_Block], key: str, reason: str, identical_ok: bool) -> None:
    """Reject every row of a key that appears more than once in the same file.

    With ``identical_ok``, rows that repeat exactly are first reduced to one
    (a catalog listing a procedure twice is not inconsistent).
    """
    by_file: dict[int, list[_Block]] = {}
    for block in blocks:
        by_file.setdefault(block.file_index, []).append(block)
    for file_blocks in by_file.values():
        parts = []
        for b, block in enumerate(file_blocks):
            keys = block.values[key]
            part = pd.DataFrame({"key": keys, "block": b, "idx": np.arange(len(block)), "bad": block.bad})
            if identical_ok:
                for name in FRAME_COLUMNS[block.table]:
                    if name in block.values:
                        part[name] = np.asarray(block.values[name], dtype=object)
            parts.append(part)
        if not parts:
            continue
        allrows = pd.concat(parts, ignore_index=True)
        allrows = allrows[allrows["key"].notna()]
        if identical_ok:
            # Only valid rows collapse; a repeated bad row stays a reject of its own.
            content = [c for c in allrows.columns if c not in ("block", "idx", "bad")]
            repeat = allrows.duplicated(subset=content, keep="first") & ~allrows["bad"]
            for b, block in enumerate(file_blocks):
                idx = allrows.loc[repeat & (allrows["block"] == b), "idx"].to_numpy()
                block.bad[idx] = True  # an exact repeat: keep the first, count nothing
                block.repeats[idx] = True
            allrows = allrows[~repeat]
        dup = allrows["key"].duplicated(keep=False)
        for b, block in enumerate(file_blocks):
            idx = allrows.loc[dup & (allrows["block"] == b), "idx"].to_numpy()
            mask = np.zeros(len(block), dtype=bool)
            mask[idx] = True
            block.reject(mask, key, reason)


def _accepted(blocks: list[_Block], table: str, extra: Sequence[str] = ()) -> pd.DataFrame:
    columns = [c for c in FRAME_COLUMNS[table] if c != "level_source"] + list(extra)
    frames = [block.frame(columns) for block in blocks if block.table == table]
    frames = [f for f in frames if len(f)]
    if not frames:
        empty = {name: _empty_like(table, name) for name in columns}
        frame = pd.DataFrame(empty)
        frame["_file"] = pd.Series(dtype=np.int64)
        frame["_row"] = pd.Series(dtype=np.int64)
        return frame
    if len(frames) == 1:
        return frames[0]
    return pd.concat(frames, ignore_index=True)


def _empty_like(table: str, name: str) -> Any:
    if name.endswith("_at") or name == "published_on":
        return np.empty(0, dtype="datetime64[us]")
    kinds = {"status": "Int8", "satisfaction": "Int16", "step_no": "Int32"}
    if name in kinds:
        return pd.array([], dtype=kinds[name])
    if name in ("inter_agency", "result_attached", "paid_online", "digitised", "in_force"):
        return pd.array([], dtype="boolean")
    return pd.array([], dtype=TEXT_DTYPE)


def _latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Keep, per key, the row of the latest file (files apply in argument order)."""
    return frame.drop_duplicates(subset=[key], keep="last").reset_index(drop=True)


def _later_wins(stored: pd.DataFrame, incoming: pd.DataFrame, key: str) -> pd.DataFrame:
    """Rows by key, this import's over the database's."""
    if len(stored):
        incoming = pd.concat([stored.astype(TEXT_DTYPE), incoming], ignore_index=True)
    return incoming.drop_duplicates(key, keep="last").set_index(key)


def _most_common(keys: pd.Series, values: pd.Series) -> pd.Series:
    """Per key, the most frequent non-null value (ties: alphabetical)."""
    pairs = pd.DataFrame({"key": keys, "value": values}).dropna()
    if pairs.empty:
        return pd.Series(dtype=object)
    counts = pairs.groupby(["key", "value"]).size().reset_index(name="n")
    counts = counts.sort_values(["key", "n", "value"], ascending=[True, False, True])
    return counts.drop_duplicates("key").set_index("key")["value"]


@dataclass
class _Known:
    """What the database already holds that the plan needs."""

    procedures: pd.DataFrame  # code, field, level
    dossiers: pd.DataFrame  # code, agency


def _read_known(db_path: Path | None, step_codes: Any) -> tuple[_Known, DataVersion | None]:
    empty = _Known(pd.DataFrame({"code": [], "field": [], "level": []}),
                   pd.DataFrame({"code": [], "agency": []}))
    if db_path is None or not db_path.is_file():
        return empty, None
    store = AnalyticsStore(db_path)
    try:
        version = store.version()
        con = store.reader()
        try:
            procedures = con.execute("select code, field, level from procedures").df()
            codes = pd.DataFrame({"code": pd.Series(step_codes, dtype=TEXT_DTYPE)})
            con.register("step_codes", codes)
            dossiers = con.execute(
                "select code, agency from dossiers where code in (select code from step_codes)"
            ).df()
        except duckdb.CatalogException:
            return empty, version
        return _Known(procedures, dossiers), version
    except (StoreError, duckdb.Error) as exc:
        raise ImportFailed(f"Không đọc được cơ sở dữ liệu {db_path}: {str(exc).splitlines()[0]}") from None
    finally:
        store.close()


def _unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _notify(progress: Progress | None, message: str, fraction: float) -> None:
    if progress is not None:
        progress(message, max(0.0, min(1.0, fraction)))


def plan_import(paths: Sequence[str | Path], db_path: str | Path | None = None,
                progress: Progress | None = None) -> ImportPlan:
    """Read and validate files without writing anything.

    Args:
        paths: .xlsx / .csv files, applied in this order.
        db_path: the database the plan is for; read (if it exists) to know
            the dossiers steps may refer to and the catalog fields and levels
            fall back to.
        progress: optional ``callback(message, fraction)``.

    Raises:
        ImportFailed: a fatal problem in any of the files.
    """
    paths = [str(p) for p in paths]
    if not paths:
        raise ImportFailed("Chưa chọn tệp nào để nhập")
    db = Path(db_path) if db_path is not None else None
    blocks: list[_Block] = []
    sheets: list[SheetMapping] = []
    skipped: list[str] = []
    for file_index, name in enumerate(paths):
        path = Path(name)
        _notify(progress, f"Đang đọc {path.name} ({file_index + 1}/{len(paths)})", 0.7 * file_index / len(paths))
        file_blocks, file_sheets = _plan_file(path, file_index, skipped)
        blocks += file_blocks
        sheets += file_sheets
    _notify(progress, "Đang kiểm tra dữ liệu", 0.7)
    plan = _combine(paths, db, blocks, sheets, skipped)
    _notify(progress, "Đã kiểm tra xong", 0.8)
    return plan


def _plan_file(path: Path, file_index: int, skipped: list[str]) -> tuple[list[_Block], list[SheetMapping]]:
    """Read and validate one file in the reader worker (:mod:`analytics.ingest.reader_worker`).

    Only cheap checks run here; the file is parsed in the worker process, so
    a file that crashes the parser or takes all its memory fails alone.
    """
    if not path.is_file():
        raise ImportFailed(f"Không tìm thấy tệp '{path}'")
    if path.suffix.lower() not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        raise ImportFailed(f"Tệp '{path.name}': loại tệp không hỗ trợ (chỉ nhận .xlsx hoặc .csv)")
    try:
        check_size(path)
        blocks, mappings, skipped_here = run_isolated(read_file, str(path), file_index)
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    except WorkerCrashed as exc:
        raise ImportFailed(f"Không đọc được tệp '{path.name}': tiến trình đọc tệp bị dừng ({exc})") from None
    skipped += skipped_here
    return blocks, mappings


def read_file(path_name: str, file_index: int) -> tuple[list[_Block], list[SheetMapping], list[str]]:
    """Read and validate one export file: ``(blocks, sheet mappings, skipped sheets)``.

    A pure function of the file, run in the reader worker; the parts are
    combined with the other files' by :func:`_combine`.

    Raises:
        ImportFailed: the file cannot be imported at all.
    """
    path = Path(path_name)
    skipped: list[str] = []
    suffix = path.suffix.lower()
    legacy = False
    if suffix in EXCEL_SUFFIXES:
        grids = _read_workbook(path, skipped)
    else:
        grids, legacy = _read_csv(path)
    named_sheets = any(grid.table for grid in grids)
    blocks, mappings = [], []
    for grid in grids:
        if grid.table and not _has_content(grid.rows):
            raise ImportFailed(f"{_where(grid.file, grid.sheet)} rỗng")
        found = _find_header(grid.rows, grid.table)
        if found is None:
            if legacy:
                raise ImportFailed(f"Tệp '{path.name}': không phải UTF-8 và không đọc được như Windows-1258; "
                                   "hãy lưu lại dưới dạng CSV UTF-8 rồi nhập lại")
            if grid.sheet is not None and not named_sheets:
                skipped.append(f"{grid.file}: {grid.sheet}")
                continue
            expected = ", ".join(c.label for c in COLUMNS[grid.table or "dossiers"] if c.required)
            raise ImportFailed(f"{_where(grid.file, grid.sheet)}: không tìm thấy dòng tiêu đề "
                               f"trong {HEADER_SEARCH_ROWS} dòng đầu (cần các cột như {expected})")
        header_index, table = found
        index_of, header_of, dropped, ignored = _map_header(grid.rows[header_index], table)
        _check_required(grid, table, index_of)
        mapping = SheetMapping(grid.file, grid.sheet, table, header_index + 1,
                               {header_of[n]: n for n in index_of}, dropped, ignored)
        blocks.append(_read_block(grid, file_index, header_index, table, mapping, index_of, header_of))
        mappings.append(mapping)
    if not blocks:
        sheets = ", ".join(n for names in SHEET_NAMES.values() for n in names[:2])
        raise ImportFailed(f"Tệp '{path.name}': không có trang tính nào được nhận ra (cần: {sheets})")
    return blocks, mappings, skipped


def _combine(paths: list[str], db: Path | None, blocks: list[_Block], sheets: list[SheetMapping],
             skipped: list[str]) -> ImportPlan:
    by_table = {t: [b for b in blocks if b.table == t] for t in TABLES}
    _reject_duplicates(by_table["dossiers"], "code", REASON_DUPLICATE_DOSSIER, identical_ok=False)
    _reject_duplicates(by_table["procedures"], "code", REASON_DUPLICATE_PROCEDURE, identical_ok=True)
    _reject_duplicates(by_table["agencies"], "name", REASON_DUPLICATE_AGENCY, identical_ok=True)

    procedures = _latest(_accepted(blocks, "procedures"), "code")
    dossiers = _latest(_accepted(blocks, "dossiers", extra=("_level",)), "code")
    step_codes = pd.concat([pd.Series(b.values["dossier_code"]) for b in by_table["steps"]]
                           or [pd.Series([], dtype=TEXT_DTYPE)])
    known, version = _read_known(db, step_codes.dropna().unique())

    # Field and procedure level fall back to the catalog: this import's, else the database's.
    catalog = _later_wins(known.procedures, procedures[["code", "field", "level"]], "code")
    dossiers["field"] = dossiers["field"].where(dossiers["field"].notna(),
                                                dossiers["procedure_code"].map(catalog["field"]))

    # Steps need a known dossier; their agency defaults to the dossier's.
    agency_of = _later_wins(known.dossiers, dossiers[["code", "agency"]], "code")["agency"]
    for block in by_table["steps"]:
        codes = pd.Series(block.values["dossier_code"])
        unknown = (~block.bad) & ~codes.isin(agency_of.index).to_numpy()
        block.reject(unknown, "dossier_code", REASON_UNKNOWN_DOSSIER)
        agencies = pd.Series(block.values["agency"])
        block.values["agency"] = agencies.fillna(codes.map(agency_of).astype(TEXT_DTYPE)).array
    steps = _accepted(blocks, "steps")
    # A later file's steps for a dossier replace an earlier file's.
    last_file = steps.groupby("dossier_code")["_file"].transform("max")
    steps = steps[steps["_file"] == last_file].reset_index(drop=True)

    agencies = _plan_agencies(_accepted(blocks, "agencies"), dossiers, steps, catalog)

    frames = {
        "dossiers": dossiers[list(FRAME_COLUMNS["dossiers"])],
        "steps": steps[list(FRAME_COLUMNS["steps"])],
        "procedures": procedures[list(FRAME_COLUMNS["procedures"])],
        "agencies": agencies[list(FRAME_COLUMNS["agencies"])],
    }
    rejects = [b.reject_frame() for b in blocks]
    rejects = [r for r in rejects if len(r)]
    if rejects:
        reject_frame = pd.concat(rejects, ignore_index=True).astype(object)
        reject_frame = reject_frame.where(reject_frame.notna(), None)
        reject_frame["row"] = reject_frame["row"].astype(np.int64)
    else:
        reject_frame = pd.DataFrame({c: pd.Series(dtype=object) for c in (*REJECT_COLUMNS, "table")})
        reject_frame["row"] = reject_frame["row"].astype(np.int64)
    rejected_rows = {t: 0 for t in TABLES}
    for block in blocks:
        rejected_rows[block.table] += int((block.bad & ~block.repeats).sum())
    return ImportPlan(
        paths=paths,
        db_path=str(db) if db is not None else None,
        db_version=version,
        frames=frames,
        rejects=reject_frame,
        rejected_rows=rejected_rows,
        sheets=sheets,
        skipped_sheets=skipped,
        dropped_columns=_unique_in_order(c for s in sheets for c in s.dropped_columns),
        ignored_columns=_unique_in_order(c for s in sheets for c in s.ignored_columns),
    )


def _plan_agencies(sheet: pd.DataFrame, dossiers: pd.DataFrame, steps: pd.DataFrame,
                   catalog: pd.DataFrame) -> pd.DataFrame:
    """One row per agency named anywhere in the import, with the best level known.

    Level: the agencies sheet, else the dossiers' Cấp column, else the
    procedures' Cấp thực hiện (``level_source`` says which; the write keeps a
    stored level over one inferred from procedures).
    """
    # Later rows of the sheet win, but a blank never erases what an earlier one said.
    sheet_level = sheet.groupby("name")["level"].last() if len(sheet) else pd.Series(dtype=object)
    sheet_parent = sheet.groupby("name")["parent"].last() if len(sheet) else pd.Series(dtype=object)
    dossier_level = _most_common(dossiers["agency"], dossiers["_level"])
    procedure_level = _most_common(dossiers["agency"], dossiers["procedure_code"].map(catalog["level"]))
    names = pd.concat([sheet["name"], dossiers["agency"], steps["agency"]], ignore_index=True)
    frame = pd.DataFrame({"name": names.dropna().drop_duplicates().astype(object).reset_index(drop=True)})
    frame["parent"] = frame["name"].map(sheet_parent)
    candidates = [("sheet", sheet_level), ("dossier", dossier_level), ("procedure", procedure_level)]
    frame["level"] = pd.Series([None] * len(frame), dtype=object)
    frame["level_source"] = pd.Series([None] * len(frame), dtype=object)
    for source, levels in candidates:
        found = frame["name"].map(levels)
        fill = frame["level"].isna() & found.notna()
        frame.loc[fill, "level"] = found[fill]
        frame.loc[fill, "level_source"] = source
    frame = frame.astype({"name": object, "level": object, "parent": object, "level_source": object})
    return frame.where(frame.notna(), None)


# -- writing ------------------------------------------------------------------------

def _statements() -> dict[str, str]:
    text = read_sql("analytics.ingest", "import")
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.M)
    return {parts[i]: parts[i + 1].strip() for i in range(1, len(parts), 2)}


def _db_version(db: Path) -> DataVersion | None:
    try:
        return AnalyticsStore(db).version() if db.is_file() else None
    except StoreError:
        return None


def _same_db(plan: ImportPlan, db: Path) -> bool:
    if plan.db_path is None:
        return False
    return Path(plan.db_path).absolute() == db.absolute() and plan.db_version == _db_version(db)


def _scalar(con: duckdb.DuckDBPyConnection, query: str, params: dict[str, Any] | None = None) -> int:
    # fetchall, not fetchone: an unfinished result blocks the next statement.
    return int(con.execute(query, params).fetchall()[0][0])


def rejects_path_for(db_path: str | Path, import_id: int) -> Path:
    """Where the rejects of an import go: ``<db dir>/rejects/<db stem>-import-<id>.csv``."""
    db = Path(db_path).absolute()  # not resolved: the path is a link to a version file
    return db.parent / "rejects" / f"{db.stem}-import-{import_id}.csv"


def _write_rejects_file(path: Path, rejects: pd.DataFrame) -> None:
    # Rejected rows are citizens' dossiers: owner-only folder (0700) and file (0600).
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    table = rejects[list(REJECT_COLUMNS)].rename(columns=REJECT_HEADERS)
    # The rejected values are whatever the file held ("=HYPERLINK(...)" too):
    # every cell is neutralised and quoted so the spreadsheet that opens this
    # file shows them as text (analytics.locale.safe_text.csv_cell).
    table = table.map(csv_cell)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                   encoding="utf-8-sig", newline="") as fh:
        # UTF-8 with BOM: Excel then opens the Vietnamese text correctly.
        table.to_csv(fh, index=False, quoting=csv.QUOTE_ALL)
    os.chmod(path, 0o600)  # a file of an earlier import with the same number keeps no wider mode


def apply_import(plan: ImportPlan, db_path: str | Path, progress: Progress | None = None) -> ImportReport:
    """Write a plan into the database in one transaction.

    If the plan was made for another database, or the database changed
    since, the files are planned again first so the checks hold. If another
    write lands between that check and this write's lock, the import is
    refused (nothing written) rather than applied over it.

    Raises:
        ImportFailed: the database could not be written, or changed while
            this import waited for the write lock (it is left as it was).
    """
    db = Path(db_path)
    if not _same_db(plan, db):
        plan = plan_import(plan.paths, db, progress)
    _notify(progress, "Đang ghi vào cơ sở dữ liệu", 0.85)
    sql = _statements()
    started = office_now().replace(tzinfo=None)
    changed: dict[str, int] = {}
    rejects_file: Path | None = None
    store = AnalyticsStore(db)
    try:
        with store.write() as con:
            # Checked again under the write lock: another import may have been
            # written since the check above, and this plan (its "changed"
            # counts, its rejects of unknown dossiers) was made without it.
            if _db_version(db) != plan.db_version:
                raise ImportFailed(labels.t("import_concurrent_change"))
            import_id = _scalar(con, sql["next_import_id"])
            # Spellings of a known agency become its unit's name (docs/IMPORT.md).
            frames = resolve_frames(con, plan.frames)
            for table in TABLES:
                con.register(f"incoming_{table}", frames[table])
            con.register("incoming_rejects", plan.rejects[list(REJECT_COLUMNS)])
            # Procedures first: dossiers and agencies read the catalog.
            for table in ("procedures", "dossiers", "agencies"):
                con.execute(sql[f"changed_{table}"])
                changed[table] = _scalar(con, sql[f"count_changed_{table}"])
                con.execute(sql[f"replace_{table}"])
                con.execute(sql[f"insert_{table}"], {"import_id": import_id} if table == "dossiers" else None)
            con.execute(sql["changed_step_dossiers"])
            con.execute(sql["replace_steps"])
            con.execute(sql["insert_steps"], {"import_id": import_id})
            changed["steps"] = _scalar(con, sql["count_inserted_steps"], {"import_id": import_id})
            con.execute(sql["insert_rejects"], {"import_id": import_id})
            if len(plan.rejects):
                rejects_file = rejects_path_for(db, import_id)
                _write_rejects_file(rejects_file, plan.rejects)
            counts = plan.counts()
            con.execute(sql["insert_log"], {
                "import_id": import_id, "started_at": started, "finished_at": office_now().replace(tzinfo=None),
                "files": plan.paths, "dropped_columns": plan.dropped_columns,
                "ignored_columns": plan.ignored_columns,
                "rejects_file": str(rejects_file) if rejects_file else None,
                **{f"{t}_{k}": counts[t][k] for t in TABLES for k in ("accepted", "rejected")},
            })
            for table in TABLES:
                con.unregister(f"incoming_{table}")
            con.unregister("incoming_rejects")
    except BaseException as exc:
        if rejects_file is not None:
            rejects_file.unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # only if it is empty, i.e. we made it
                rejects_file.parent.rmdir()
        if isinstance(exc, (duckdb.Error, StoreError, OSError)):
            raise ImportFailed(f"Không ghi được cơ sở dữ liệu {db}: {str(exc).splitlines()[0]}") from exc
        raise
    _notify(progress, "Đã nhập xong", 1.0)
    tables = {t: {**plan.counts()[t], "changed": changed.get(t, 0)} for t in TABLES}
    return ImportReport(
        import_id=import_id,
        db_path=str(db),
        files=list(plan.paths),
        tables=tables,
        dropped_columns=list(plan.dropped_columns),
        ignored_columns=list(plan.ignored_columns),
        skipped_sheets=list(plan.skipped_sheets),
        rejects_file=str(rejects_file) if rejects_file else None,
        rejects=plan.rejects,
        sheets=list(plan.sheets),
    )


def import_files(paths: Sequence[str | Path], db_path: str | Path,
                 progress: Progress | None = None) -> ImportReport:
    """Plan and apply in one go: the ``import`` command's work."""
    plan = plan_import(paths, db_path, progress)
    return apply_import(plan, db_path, progress)


def run_import_command(paths: list[str], db: str, fmt: str) -> int:
    """``python -m analytics import FILE... --db PATH [--format json]``.

    Prints the summary (text or JSON) to stdout and progress to stderr
    (text format only), and writes the import (or its failure) to the audit
    log as ``cli:<os user>``. Returns 0, or 2 after a one-line ``Lỗi: ...`` on
    stderr when the import failed and nothing was written.
    """
    as_json = fmt == "json"

    def show_progress(message: str, fraction: float) -> None:
        print(f"[{fraction * 100:3.0f}%] {message}", file=sys.stderr, flush=True)

    from analytics.access import audit
    from analytics.store.ops import OpsStore

    files = [Path(p).name for p in paths]
    try:
        report = import_files(paths, db, progress=None if as_json else show_progress)
    except ImportFailed as exc:
        audit.record_import(OpsStore.beside(db), actor=audit.cli_actor(), files=files, error=str(exc))
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    audit.record_import(OpsStore.beside(db), actor=audit.cli_actor(), files=files, report=report)
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.to_text())
    return 0
