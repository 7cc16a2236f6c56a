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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, overload

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.access import audit
from analytics.ingest import layout as layouts
from analytics.ingest.arrow_memory import use_system_allocator
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
    is_cross_check_header,
    is_staff_header,
    required_columns,
    table_of_sheet,
)
from analytics.ingest.due_dates import computed_due_dates, step_due_dates
from analytics.ingest.file_limits import (
    FileRefused,
    check_size,
    check_workbook,
    csv_rows,
)
from analytics.ingest.layout import HEADER_SEARCH_ROWS, SKIP_KINDS, Header
from analytics.ingest.parsing import (
    DATE_INVALID,
    DATE_NOT_A_DATE,
    STATUS_NAMES,
    TEXT_DTYPE,
    as_text_array,
    clean_texts,
    map_values,
    parse_allowance_text,
    parse_channel_text,
    parse_count_text,
    parse_dates,
    parse_fee_text,
    parse_flag_text,
    parse_in_force_text,
    parse_int_text,
    parse_level_text,
    parse_online_level_text,
    parse_paid_text,
    parse_payment_gateway_text,
    parse_status_text,
    parse_time_limit_text,
)
from analytics.ingest.reader_worker import WorkerCrashed, run_isolated
from analytics.locale import labels
from analytics.locale.clock import office_now
from analytics.locale.fmt import number as format_number
from analytics.locale.safe_text import csv_cell
from analytics.locale.text import clean_text, fold
from analytics.sqlfiles import named_statements
from analytics.store.agency_names import resolve_frames
from analytics.store.database import AnalyticsStore, DataVersion, PendingWrite, StoreError
from analytics.store.ops import OpsStore
from analytics.store.units import route_frames

Progress = Callable[[str, float], None]

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)
JSON_SUFFIXES = (".json",)
# What the import page's upload box and the watched inbox take: the types the
# exports come in (.xlsm and .xls only by name on the command line).
DROP_SUFFIXES = (".xlsx", ".csv", ".json")

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
REASON_SUPPLEMENT_COUNT = "Số lần yêu cầu bổ sung không hợp lệ (cần số nguyên từ 0)"
REASON_FEE = "Có phí, lệ phí không nhận ra (cần Có/Không hoặc mức phí)"
REASON_ONLINE_LEVEL = "Mức độ DVCTT không nhận ra (cần Toàn trình, Một phần hoặc Không)"
REASON_IN_FORCE = "Trạng thái không nhận ra (cần Còn hiệu lực hoặc Đã bãi bỏ)"
REASON_NO_PROCEDURE = "Thiếu cả mã TTHC và tên TTHC"
REASON_ALLOWANCE = "Thời hạn quy định không nhận ra (cần số ngày làm việc, hoặc 'N ngày', 'N giờ')"
REASON_STEP_DUE = "Thiếu hạn xử lý của bước (không có cột hạn, hoặc không có ngày bắt đầu và thời hạn quy định)"

# What the import report says a column became (layout, per column).
MEANING_DROPPED = "dropped: citizen data"
MEANING_IGNORED = "ignored"
MEANING_STAFF = "ignored: staff column, not stored"
MEANING_CROSS_CHECK = "ignored: cross-check only (lateness is computed from the dates)"
# Columns read for a derivation, never stored as such.
_UNSTORED = {"steps": ("allowance", "sender")}

REJECT_COLUMNS = ("file", "sheet", "row", "column", "reason", "value")
# Headers of the rejects file people open in Excel.
REJECT_HEADERS = {"file": "Tệp", "sheet": "Trang tính", "row": "Dòng", "column": "Cột",
                  "reason": "Lý do", "value": "Giá trị"}

# Columns of the accepted frames, in the order of analytics/store/sql/schema.sql.
FRAME_COLUMNS = {
    "dossiers": ("code", "procedure_code", "procedure_name", "field", "agency", "channel",
                 "received_at", "due_at", "finished_at", "returned_at", "status", "inter_agency",
                 "result_attached", "paid_online", "digitised", "satisfaction",
                 "due_computed", "due_rescheduled_at", "resolving_agency", "handler",
                 "payment_gateway", "supplement_count", "supplement_requested_at", "supplement_completed_at",
                 "data_reused", "citizen_store", "vneid", "agency_code"),
    "steps": ("dossier_code", "step_no", "step_name", "handler", "agency", "started_at",
              "due_at", "finished_at", "allowance_days"),
    "procedures": ("code", "name", "field", "level", "online_level", "published_on", "in_force",
                   "time_limit_value", "time_limit_unit", "paper_result", "fee_bearing", "fully_online_eligible"),
    "agencies": ("name", "level", "parent", "code", "level_source"),
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
    header_rows: list[int] = field(default_factory=list)  # 1-based rows the header spans
    skipped: dict[str, int] = field(default_factory=dict)  # title, numbering, group, total, signature rows
    meanings: list[tuple[str, str]] = field(default_factory=list)  # (header, our column or why not)
    signature: str = ""  # the header signature remembered layouts are keyed by
    profile: str | None = None  # the remembered layout used, if any
    system: str = "list"  # what the layout looks like: list, report, sync (national sync field names)
    notes: list[str] = field(default_factory=list)
    blank_channel_direct: int = 0  # empty channel cells counted as direct

    def layout(self) -> dict[str, Any]:
        """This sheet's entry under the import report's ``"layout"``."""
        return {
            "file": self.file, "sheet": self.sheet, "table": self.table,
            "profile": self.profile, "system": self.system, "signature": self.signature,
            "header_rows": list(self.header_rows),
            "columns": [{"header": h, "meaning": m} for h, m in self.meanings],
            "skipped": {k: int(self.skipped.get(k, 0)) for k in SKIP_KINDS},
            "notes": list(self.notes),
        }


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
    # Procedure names that matched nothing in the catalogue: name, key, dossiers.
    unmatched_procedures: list[dict[str, Any]] = field(default_factory=list)
    due_computed: int = 0  # dossiers whose due date was computed from the legal time limit

    def skipped(self) -> dict[str, int]:
        """Rows skipped per table (title, numbering, group, total, signature rows)."""
        out = {t: 0 for t in TABLES}
        for sheet in self.sheets:
            out[sheet.table] += sum(sheet.skipped.values())
        return out

    def layout(self) -> list[dict[str, Any]]:
        return [sheet.layout() for sheet in self.sheets]

    def notes(self) -> list[str]:
        """What the import report should say about missing data and layouts."""
        out = [f"{_where(s.file, s.sheet)}: {n}" for s in self.sheets for n in s.notes]
        blank = sum(s.blank_channel_direct for s in self.sheets)
        if blank:
            out.append(f"{format_number(blank)} hồ sơ có ô kênh nộp để trống: tính là nộp trực tiếp "
                       "(như Cổng Dịch vụ công quốc gia)")
        if self.due_computed:
            out.append(f"{format_number(self.due_computed)} hồ sơ không có ngày hẹn trả: ngày hẹn trả được tính "
                       "từ thời hạn giải quyết của thủ tục (docs/INDICATORS.md)")
        for item in self.unmatched_procedures:
            out.append(f"Thủ tục '{item['name']}' không có trong danh mục TTHC ({format_number(item['dossiers'])} "
                       f"hồ sơ): tạm ghi với mã '{item['key']}'; gắn vào mã TTHC bằng lệnh "
                       "python -m analytics procedure-attach")
        return out

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
    unmatched_procedures: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    profiles_saved: list[str] = field(default_factory=list)

    def skipped(self) -> dict[str, int]:
        out = {t: 0 for t in TABLES}
        for sheet in self.sheets:
            out[sheet.table] += sum(sheet.skipped.values())
        return out

    def to_json(self) -> dict[str, Any]:
        """The ``--format json`` document (named keys never change)."""
        return {
            "tables": {t: {**self.tables[t], "skipped": self.skipped()[t]} for t in TABLES},
            "dropped_columns": list(self.dropped_columns),
            "ignored_columns": list(self.ignored_columns),
            "rejects_file": self.rejects_file,
            "import_id": self.import_id,
            "files": list(self.files),
            "skipped_sheets": list(self.skipped_sheets),
            # Issue 13: how each sheet was read, the procedures to attach, the rules applied.
            "layout": [sheet.layout() for sheet in self.sheets],
            "unmatched_procedures": [dict(item) for item in self.unmatched_procedures],
            "notes": list(self.notes),
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
        kinds = {"title": "dòng tiêu đề", "numbering": "dòng đánh số cột", "group": "dòng nhóm",
                 "total": "dòng tổng", "signature": "dòng ký tên"}
        for sheet in self.sheets:
            source = f"mẫu đã lưu '{sheet.profile}'" if sheet.profile else "tự nhận dạng"
            lines.append(f"{_where(sheet.file, sheet.sheet)}: bố cục {source}, tiêu đề ở dòng "
                         + ", ".join(str(r) for r in sheet.header_rows))
            skipped = [f"{format_number(n)} {kinds[k]}" for k, n in sheet.skipped.items() if n]
            if skipped:
                lines.append("  Bỏ qua, không phải hồ sơ: " + ", ".join(skipped))
        lines += self.notes
        if self.rejects_file:
            lines.append(f"Danh sách dòng bị loại và lý do: {self.rejects_file}")
        else:
            lines.append("Không có dòng nào bị loại.")
        return "\n".join(lines)


# -- reading files ---------------------------------------------------------------

class _ArrowRows(Sequence[list[Any]]):
    """A worksheet read by fastexcel: one Arrow string column per sheet column.

    It answers the few row-by-row questions (the header search in the first
    rows, the title, group and total rows) like a list of rows, with empty
    cells as "" (as calamine gives them); the data columns are taken whole
    (:meth:`column`), so 100,000 rows never become Python objects.
    """

    def __init__(self, columns: Sequence[pa.Array], start: int = 0, stop: int | None = None):
        self.columns = list(columns)
        height = len(self.columns[0]) if self.columns else 0
        self.start = start
        self.stop = height if stop is None else min(stop, height)

    def __len__(self) -> int:
        return max(0, self.stop - self.start)

    @overload
    def __getitem__(self, key: int) -> list[Any]: ...

    @overload
    def __getitem__(self, key: slice) -> _ArrowRows: ...

    def __getitem__(self, key: int | slice) -> list[Any] | _ArrowRows:
        if isinstance(key, slice):
            first, last, step = key.indices(len(self))
            if step != 1:
                raise ValueError("only contiguous row ranges")
            return _ArrowRows(self.columns, self.start + first, self.start + max(first, last))
        index = key + len(self) if key < 0 else key
        if not 0 <= index < len(self):
            raise IndexError(key)
        cells = [column[self.start + index].as_py() for column in self.columns]
        return ["" if cell is None else cell for cell in cells]

    def __iter__(self) -> Iterator[list[Any]]:
        return (self[i] for i in range(len(self)))

    def column(self, j: int) -> pa.Array:
        return self.columns[j].slice(self.start, len(self))

    def content(self) -> np.ndarray:
        """Rows holding any cell (an empty string is no cell)."""
        out = np.zeros(len(self), dtype=bool)
        for j in range(len(self.columns)):
            column = self.column(j)
            if column.null_count < len(column):
                out |= np.asarray(pc.fill_null(pc.not_equal(column, ""), False).to_numpy(zero_copy_only=False),
                                  dtype=bool)
        return out


@dataclass
class _Grid:
    file: str  # as shown to users (the file name)
    sheet: str | None
    table: str | None  # known from the sheet name, else found from the header
    rows: list[list[Any]] | _ArrowRows


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


def load_sheet_text(workbook: Any, sheet: str | int) -> pa.RecordBatch:
    """One sheet of a ``fastexcel`` workbook into Arrow in one call, every
    cell as text (a date cell as "yyyy-mm-dd HH:MM:SS"), no header: the layout
    is found from the first rows. ``skip_rows=0`` keeps the empty leading
    rows, so row numbers match what the user sees in Excel. The parser
    alone, as the import runs it (the benchmark times this call)."""
    return workbook.load_sheet(sheet, header_row=None, skip_rows=0, dtypes="string", eager=True)


def _read_workbook(path: Path, skipped: list[str]) -> list[_Grid]:
    import fastexcel  # heavy, and needed only in the reader worker, where read_file runs

    try:
        # Before calamine (under fastexcel): it builds the whole used range in memory at once.
        check_workbook(path)
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    try:
        workbook = fastexcel.read_excel(str(path))
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
            grids.append(_Grid(path.name, name, table, _ArrowRows(load_sheet_text(workbook, name).columns)))
    except (ImportFailed, MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several unrelated types, and a Rust panic
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFailed(f"Không đọc được tệp '{path.name}' như bảng tính Excel: {reason}") from None
    if not any(_has_content(grid.rows) for grid in grids):
        raise ImportFailed(f"Tệp '{path.name}' rỗng")
    return grids


def _has_content(rows: list[list[Any]] | _ArrowRows) -> bool:
    if isinstance(rows, _ArrowRows):
        return bool(rows.content().any())
    return any(cell not in ("", None) for row in rows for cell in row)


# -- JSON ---------------------------------------------------------------------------

_STEP_LIST_KEYS = ("qua trinh xu ly", "danh sach qua trinh xu ly", "steps", "buoc xu ly", "qua trinh")


def _read_json(path: Path) -> list[_Grid]:
    """A list of dossier objects with the national sync field names, as two grids.

    Scalars are the dossier's columns; a nested list of objects (QuaTrinhXuLy,
    DanhSachQuaTrinhXuLy...) holds its steps, each given the dossier's
    MaHoSo. Keys become headers, so the same alias and citizen rules apply.
    """
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise ImportFailed(f"Không đọc được tệp '{path.name}' như JSON: {str(exc).splitlines()[0]}") from None
    if isinstance(data, dict):  # {"data": [...]} or {"HoSo": [...]}
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFailed(f"Tệp '{path.name}': cần một danh sách hồ sơ (mảng các đối tượng JSON)")
    if not data:
        raise ImportFailed(f"Tệp '{path.name}' rỗng")
    if len(data) > MAX_JSON_RECORDS:
        raise ImportFailed(f"Tệp '{path.name}': quá {format_number(MAX_JSON_RECORDS)} hồ sơ")
    dossier_keys: dict[str, None] = {}
    step_keys: dict[str, None] = {}
    code_key = None
    for item in data:
        for key, value in item.items():
            if isinstance(value, list):
                if header_key(key) in _STEP_LIST_KEYS or all(isinstance(v, dict) for v in value):
                    for step in value:
                        if isinstance(step, dict):
                            step_keys.update((k, None) for k, v in step.items() if _is_scalar(v))
            elif _is_scalar(value):
                dossier_keys[key] = None
                if code_key is None and ALIASES["dossiers"].get(header_key(key)) == "code":
                    code_key = key
    header = list(dossier_keys)
    rows = [header] + [[item.get(k) if _is_scalar(item.get(k)) else None for k in header] for item in data]
    grids = [_Grid(path.name, None, "dossiers", rows)]
    if step_keys and code_key is not None:
        own_code = [k for k in step_keys if ALIASES["steps"].get(header_key(k)) == "dossier_code"]
        step_header = list(step_keys) if own_code else [code_key, *step_keys]
        step_rows = [step_header]
        for item in data:
            for value in item.values():
                if not isinstance(value, list):
                    continue
                for step in value:
                    if isinstance(step, dict):
                        row = [step.get(k) if _is_scalar(step.get(k)) else None for k in step_keys]
                        step_rows.append(row if own_code else [item.get(code_key), *row])
        grids.append(_Grid(path.name, "steps", "steps", step_rows))
    return grids


MAX_JSON_RECORDS = 2_000_000


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


# -- headers ---------------------------------------------------------------------

def _system_of(names: list[str | None], header: Header, titles: int) -> str:
    """What the layout looks like: national sync field names, a report-style sheet, or a plain list."""
    written = [n for n in names if n]
    if written and sum(1 for n in written if re.fullmatch(r"(?:[A-Z][a-z0-9]+){2,}", n)) * 2 >= len(written):
        return "sync"
    return "report" if titles or header.count > 1 else "list"


def _map_header(header: Header, profile: dict[str, str] | None = None
                ) -> tuple[dict[str, int], dict[str, str], list[str], list[str], list[tuple[str, str]], list[str]]:
    """Source columns for our columns.

    A remembered layout (``profile``: header -> meaning) decides first; then
    the alias table, the table's staff columns, the cross-check columns and
    the citizen rules, in that order. Citizen columns stay dropped whatever a
    profile says.

    Returns:
        ``(index_of, header_of, dropped, ignored, meanings, notes)``: cell
        index and source header per column name; citizen headers dropped;
        other headers ignored; per header what it became; notes for the report.
    """
    table = header.table
    known = {c.name for c in COLUMNS[table]}
    chosen: dict[str, tuple[int, int, str]] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    meaning: dict[int, str] = {}
    notes: list[str] = []
    due_columns: list[tuple[int, str]] = []
    for index, cell in enumerate(header.names):
        text = clean_text(cell) if isinstance(cell, str) else None
        if not text:
            continue  # a column without a header carries nothing we can name
        key = header_key(text)
        name = ALIASES[table].get(key)
        rank = ALIAS_RANK[table].get(key, 99)
        told = (profile or {}).get(text)
        citizen = name is None and not is_staff_header(text, table) and is_citizen_header(text)
        if told is not None and not citizen:
            if told in known:
                name, rank = told, -1  # the officer's choice wins over any alias
            else:
                name = None
                ignored.append(text)
                meaning[index] = told if told.startswith("ignored") else MEANING_IGNORED
                continue
        if name is None:
            if is_staff_header(text, table):
                ignored.append(text)
                meaning[index] = MEANING_STAFF
            elif is_cross_check_header(text):
                ignored.append(text)
                meaning[index] = MEANING_CROSS_CHECK
            elif is_citizen_header(text):
                dropped.append(text)
                meaning[index] = MEANING_DROPPED
            else:
                ignored.append(text)
                meaning[index] = MEANING_IGNORED
            continue
        if name == "due_at":
            due_columns.append((index, text))
        if name in chosen:
            kept = chosen[name]
            if (rank, index) < (kept[0], kept[1]):
                loser = kept
                chosen[name] = (rank, index, text)
            else:
                loser = (rank, index, text)
            ignored.append(loser[2])
            meaning[loser[1]] = f"{MEANING_IGNORED}: another column is {name}"
        else:
            chosen[name] = (rank, index, text)
    # A second due-date column is the rescheduled one (the first stays the original).
    if table == "dossiers" and len(due_columns) > 1 and "due_rescheduled_at" not in chosen:
        later = [d for d in due_columns if d[0] != chosen["due_at"][1]]
        if later:
            index, text = later[0]
            ignored.remove(text)
            chosen["due_rescheduled_at"] = (0, index, text)
            notes.append(f"Cột '{text}' là cột hẹn trả thứ hai: đọc là ngày hẹn trả lần sau; "
                         f"ngày hẹn trả gốc lấy từ cột '{chosen['due_at'][2]}'")
    index_of = {name: c[1] for name, c in chosen.items()}
    header_of = {name: c[2] for name, c in chosen.items()}
    if table == "dossiers" and "agency" not in index_of and "resolving_agency" in index_of:
        index_of["agency"] = index_of["resolving_agency"]
        header_of["agency"] = header_of["resolving_agency"]
        notes.append(f"Không có cột đơn vị tiếp nhận: dùng cột '{header_of['agency']}' "
                     "(đơn vị chủ trì giải quyết) làm đơn vị của hồ sơ")
    for name, (_, index, _text) in chosen.items():
        meaning[index] = name
    meanings = [(clean_text(header.names[i]) or "", meaning[i]) for i in sorted(meaning)]
    return index_of, header_of, dropped, ignored, meanings, notes


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
        self.counts: dict[str, int] = {}  # facts the import report states (blank channel cells...)

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
            cells = self.raw[name]
            cells = cells.take(pa.array(idx)) if isinstance(cells, pa.Array) else cells[idx]
            return np.asarray(clean_texts(cells), dtype=object)
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
    for name in ("code", "agency"):
        v[name] = _require_text(block, name)
    # Without a procedure code the name is matched against the catalogue
    # later (_resolve_procedures); a row with neither cannot be placed.
    v["procedure_code"] = block.text("procedure_code")
    v["procedure_name"] = block.text("procedure_name")
    block.reject(pd.isna(v["procedure_code"]) & pd.isna(v["procedure_name"]), "procedure_code",
                 REASON_NO_PROCEDURE, with_value=False)
    v["field"] = block.text("field")
    v["resolving_agency"] = block.text("resolving_agency")
    v["handler"] = block.text("handler")
    v["agency_code"] = block.text("agency_code")
    v["_level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    if "channel" in block.texts:
        # A file that has the column: an empty cell is a direct submission, as
        # the national portal counts it; the report says how many.
        blank = pd.isna(block.texts["channel"])
        block.counts["blank_channel_direct"] = int(np.count_nonzero(blank))
        v["channel"] = _coded(block, "channel", parse_channel_text, REASON_CHANNEL, missing="direct", as_text=True)
    else:
        v["channel"] = as_text_array(pa.nulls(n, pa.string()))  # unknown: the file has no channel column
    received = _dates(block, raw, "received_at", required=True)
    due = _dates(block, raw, "due_at", required=False)
    rescheduled = _dates(block, raw, "due_rescheduled_at", required=False)
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
                            if c else None for s, c in zip(status_num, closed_without_date, strict=True)], dtype=object)
        block.reject(closed_without_date, "finished_at", reasons, with_value=False)
    v["received_at"], v["due_at"], v["finished_at"], v["returned_at"] = received, due, end, returned
    v["due_rescheduled_at"] = rescheduled
    v["due_computed"] = pd.array(np.zeros(n, dtype=bool), dtype="boolean")
    v["status"] = pd.array(status_num, dtype="Int8")
    v["inter_agency"] = _flag(block, "inter_agency", default=False)
    for name in ("result_attached", "digitised"):
        v[name] = _flag(block, name, default=None)
    v["paid_online"] = _flag(block, "paid_online", default=None, lookup=parse_paid_text)
    # The same column's code (1 national portal, 2 the province's gateway),
    # kept for the 766 payment criteria; blank is 0 (not paid online).
    gateway = (_coded(block, "paid_online", parse_payment_gateway_text, None, missing=0)
               if "paid_online" in block.texts else np.full(n, None, dtype=object))
    v["payment_gateway"] = pd.array(gateway, dtype="Int8")
    # The 766 index's optional sources: a column absent stays unknown (null),
    # so the index says "no data" instead of counting zeros.
    counts, bad_count = map_values(block.text("supplement_count"), parse_count_text)
    block.reject(bad_count, "supplement_count", REASON_SUPPLEMENT_COUNT)
    v["supplement_count"] = pd.array(counts, dtype="Int16")
    v["supplement_requested_at"] = _dates(block, raw, "supplement_requested_at", required=False)
    v["supplement_completed_at"] = _dates(block, raw, "supplement_completed_at", required=False)
    for name in ("data_reused", "citizen_store", "vneid"):
        v[name] = _flag(block, name, default=None)
    satisfaction, unreadable = map_values(block.text("satisfaction"), parse_int_text)
    rating = pd.array(satisfaction, dtype="Int16")
    bad_rating = unreadable | (rating > 100).fillna(False).to_numpy(dtype=bool)
    block.reject(bad_rating, "satisfaction", REASON_SATISFACTION)
    rating[bad_rating] = pd.NA
    v["satisfaction"] = rating


def _flag(block: _Block, name: str, default: bool | None,
          lookup: Callable[[str], bool | None] = parse_flag_text) -> pd.api.extensions.ExtensionArray:
    if name not in block.texts:
        # Built from two numpy masks: an object array of n Nones costs more
        # than the rest of this column's work in a 100k-row file.
        n = len(block)
        return pd.arrays.BooleanArray(np.full(n, bool(default)), np.full(n, default is None))
    # A present column: x / blank means yes / no.
    values = _coded(block, name, lookup, REASON_FLAG, missing=False)
    return pd.array(values, dtype="boolean")


def _validate_steps(block: _Block, raw: dict[str, np.ndarray]) -> None:
    """Step lists, event logs and task lists (see analytics.ingest.columns).

    Step number: written, else the order of the start times per dossier.
    Event log (a sender or an event-time column, no end column): a step ends
    when the next hand-over of its dossier starts. Due date: written, else
    start + the allowance (Thời hạn quy định) on the office calendar.
    """
    v = block.values
    n = len(block)
    for name in ("dossier_code", "handler"):
        v[name] = _require_text(block, name)
    v["agency"] = block.text("agency")
    started = _dates(block, raw, "started_at", required=False)
    due = _dates(block, raw, "due_at", required=False)
    finished = _dates(block, raw, "finished_at", required=False)
    allowance = np.full(n, np.nan)
    if "allowance" in block.texts:
        parsed, bad = map_values(block.texts["allowance"], parse_allowance_text)
        block.reject(bad, "allowance", REASON_ALLOWANCE)
        allowance = pd.array(parsed, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
    order = pd.DataFrame({"code": np.asarray(v["dossier_code"], dtype=object), "start": started,
                          "row": np.arange(n)}).sort_values(["code", "start", "row"], na_position="last")
    if "step_no" in block.texts:
        _require_text(block, "step_no")
        step_no = _coded(block, "step_no", parse_int_text, REASON_STEP_NO)
        v["step_no"] = pd.array(step_no, dtype="Int32")
    else:
        ranks = np.empty(n, dtype=np.int32)
        ranks[order["row"].to_numpy()] = order.groupby("code", dropna=False).cumcount().to_numpy() + 1
        v["step_no"] = pd.array(ranks, dtype="Int32")
    event_log = "finished_at" not in raw and "started_at" in raw and (
        "sender" in block.texts or header_key(block.label("started_at")) in _EVENT_TIME_KEYS)
    if event_log:
        following = order.groupby("code", dropna=False)["start"].shift(-1).to_numpy(dtype="datetime64[us]")
        finished = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        finished[order["row"].to_numpy()] = following
        block.counts["event_log"] = 1
    missing_due = np.isnat(due) & ~np.isnat(started) & ~np.isnan(allowance)
    if missing_due.any():
        due = due.copy()
        due[missing_due] = step_due_dates(started[missing_due], allowance[missing_due])
    block.reject(np.isnat(due) & ~block.bad, "due_at",
                 REASON_STEP_DUE if "allowance" in block.texts else REASON_MISSING, with_value=False)
    names = block.text("step_name")
    if pd.isna(names).any():
        fallback = pd.Series([f"Bước {k}" for k in np.asarray(v["step_no"], dtype=object)], dtype=object)
        names = as_text_array(pa.array(pd.Series(np.asarray(names, dtype=object)).where(
            ~pd.isna(names), fallback).to_numpy(dtype=object), type=pa.string(), from_pandas=True))
    v["step_name"] = names
    v["started_at"], v["due_at"], v["finished_at"] = started, due, finished
    v["allowance_days"] = pd.array(allowance, dtype="Float64")
    v["_event_log"] = np.full(n, event_log, dtype=bool)


# Headers of an event log's time column (ThoiGian): the moment of a hand-over.
_EVENT_TIME_KEYS = frozenset(header_key(h) for h in ("Thời gian", "Thời điểm", "Ngày chuyển", "Thời gian chuyển"))


def _validate_procedures(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    for name in ("code", "name", "field"):
        v[name] = _require_text(block, name)
    v["level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    v["online_level"] = _coded(block, "online_level", parse_online_level_text, REASON_ONLINE_LEVEL, as_text=True)
    v["published_on"] = _dates(block, raw, "published_on", required=False)
    in_force = _coded(block, "in_force", parse_in_force_text, REASON_IN_FORCE)
    v["in_force"] = pd.array(in_force, dtype="boolean")
    # A time limit not understood is left unknown, not rejected: the catalogue row still counts.
    limits, _ = map_values(block.text("time_limit"), parse_time_limit_text)
    v["time_limit_value"] = pd.array([x[0] if x else None for x in limits], dtype="Float64")
    v["time_limit_unit"] = as_text_array(pa.array([x[1] if x else None for x in limits], type=pa.string()))
    # 766 attributes: absent columns stay unknown (null), never "no".
    v["paper_result"] = _flag(block, "paper_result", default=None)
    v["fee_bearing"] = (_flag(block, "fee_bearing", default=None, lookup=parse_fee_text)
                        if "fee_bearing" not in block.texts
                        else pd.array(_coded(block, "fee_bearing", parse_fee_text, REASON_FEE), dtype="boolean"))
    v["fully_online_eligible"] = _flag(block, "fully_online_eligible", default=None)


def _validate_agencies(block: _Block, raw: dict[str, np.ndarray]) -> None:
    v = block.values
    v["name"] = _require_text(block, "name")
    v["level"] = _coded(block, "level", parse_level_text, None, as_text=True)
    v["parent"] = block.text("parent")
    v["code"] = block.text("code")


_VALIDATORS = {
    "dossiers": _validate_dossiers,
    "steps": _validate_steps,
    "procedures": _validate_procedures,
    "agencies": _validate_agencies,
}
_DATE_COLUMNS = {
    "dossiers": ("received_at", "due_at", "finished_at", "returned_at", "due_rescheduled_at",
                 "supplement_requested_at", "supplement_completed_at"),
    "steps": ("started_at", "due_at", "finished_at"),
    "procedures": ("published_on",),
    "agencies": (),
}


def _columns_of(rows: list[list[Any]] | _ArrowRows, indices: dict[str, int]) -> dict[str, Any]:
    """The wanted columns of the data rows (all as wide as the header) as object
    arrays, or as Arrow string arrays for a sheet read into Arrow."""
    if isinstance(rows, _ArrowRows):
        return {name: rows.column(j) for name, j in indices.items()}
    if not rows:
        return {name: np.empty(0, dtype=object) for name in indices}
    grid = np.array(rows, dtype=object)  # one C-level copy; faster than gathering column by column
    return {name: grid[:, j] for name, j in indices.items()}


# The column that names a row of each table: a row without it may be a title,
# group, total or signature row.
_KEY_COLUMN = {"dossiers": "code", "steps": "dossier_code", "procedures": "code", "agencies": "name"}
# Key cells worth a look: empty, with a space (names and "Tổng cộng", never
# codes), or a column number "(1)".
_MAYBE_NOT_DATA = r"^\s*$| |^\(?\d{1,3}\)?$"


def _skip_rows(data: list[list[Any]] | _ArrowRows, keys: Any, filled: np.ndarray, table: str
               ) -> tuple[np.ndarray, dict[str, int], dict[str, np.ndarray]]:
    """Title-like rows inside the data: numbering, group, total and signature rows.

    Returns:
        ``(skip, counts, fills)``: a mask of rows that are not data, their
        count per kind, and for group rows the procedure name / field they
        set for the data rows below (``fills[column]``: object arrays, None
        where no group applies).
    """
    n = len(data)
    skip = np.zeros(n, dtype=bool)
    counts = {kind: 0 for kind in SKIP_KINDS if kind != layouts.SKIP_TITLE}
    if not n:
        return skip, counts, {}
    # An Arrow-backed text column goes to Arrow as it is, never through Python strings.
    key_text = pa.array(keys if isinstance(keys, pd.arrays.ArrowStringArray) else np.asarray(keys, dtype=object),
                        type=pa.large_string(), from_pandas=True)
    maybe = pc.fill_null(pc.match_substring_regex(key_text, _MAYBE_NOT_DATA), True)
    # Group, total and signature rows often hold text only in columns we do
    # not read (STT, a merged cell): rows empty in ours are looked at whole.
    if filled.all():
        content = filled.copy()
    elif isinstance(data, _ArrowRows):
        content = filled | data.content()
    else:
        content = filled.copy()
        for i in np.flatnonzero(~filled):
            content[i] = any(cell not in ("", None) for cell in data[i])
    candidates = np.flatnonzero(np.asarray(maybe.to_numpy(zero_copy_only=False), dtype=bool) & content)
    if not len(candidates):
        return skip, counts, {}
    group_at: dict[int, layouts.RowKind] = {}
    data_rows = np.cumsum(filled & ~np.isin(np.arange(n), candidates))  # data rows up to each row
    end_seen_at = None  # data-row count when a total or signature row was last seen
    for i in candidates:
        after_end = end_seen_at is not None and data_rows[i] == end_seen_at
        kind = layouts.classify_row(data[int(i)], after_end)
        if kind is None:
            continue
        skip[i] = True
        counts[kind.kind] += 1
        if kind.kind in (layouts.SKIP_TOTAL, layouts.SKIP_SIGNATURE):
            end_seen_at = data_rows[i]
        elif kind.kind == layouts.SKIP_GROUP:
            group_at[int(i)] = kind
    fills: dict[str, np.ndarray] = {}
    if group_at and table in ("dossiers", "procedures"):
        field_marks = pd.Series([None] * n, dtype=object)
        procedure_marks = pd.Series([None] * n, dtype=object)
        for row, kind in group_at.items():
            if kind.field is not None:
                field_marks[row] = kind.field
                procedure_marks[row] = ""  # a new field ends the procedure group above
            else:
                procedure_marks[row] = kind.procedure
        fills["field"] = field_marks.ffill().to_numpy(dtype=object)
        procedures = procedure_marks.ffill()
        fills["procedure_name" if table == "dossiers" else "name"] = \
            procedures.where(procedures != "", None).to_numpy(dtype=object)
    return skip, counts, fills


# A number written in a date cell of a sheet read as text: an Excel serial
# date or a compact sync date stored as a number.
_NUMBER = r"^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$"


def _date_cells(values: Any) -> Any:
    """A date column as parse_dates takes it.

    A sheet read into Arrow gives every cell as text; the numbers among
    them go back to numbers, so an Excel serial date (46023.5) is read as a
    date as it was from calamine's cells, not refused as text. Exports
    write dates as text or date cells, so this is rarely more than a check.
    """
    if not isinstance(values, pa.Array):
        return values
    numeric = pc.fill_null(pc.match_substring_regex(values, _NUMBER), False)
    if not pc.any(numeric).as_py():
        return values
    cells = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
    where = np.flatnonzero(np.asarray(numeric.to_numpy(zero_copy_only=False), dtype=bool))
    cells[where] = cells[where].astype(float)
    return cells


def _written(values: Any) -> np.ndarray:
    """Cells that hold something (neither empty nor "")."""
    if isinstance(values, pa.Array):
        return np.asarray(pc.fill_null(pc.not_equal(values, ""), False).to_numpy(zero_copy_only=False), dtype=bool)
    return ~(pd.isna(values) | (values == ""))


def _take(values: Any, mask: np.ndarray) -> Any:
    return values.filter(pa.array(mask)) if isinstance(values, pa.Array) else values[mask]


def _read_block(grid: _Grid, file_index: int, header: Header, mapping: SheetMapping,
                index_of: dict[str, int], header_of: dict[str, str]) -> _Block:
    table = header.table
    data = grid.rows[header.data_start:]
    cells = _columns_of(data, index_of)
    dates = {name: _date_cells(values) for name, values in cells.items() if name in _DATE_COLUMNS[table]}
    texts = {name: clean_texts(values) for name, values in cells.items() if name not in dates}
    rows = np.arange(header.data_start + 1, header.data_start + 1 + len(data))
    # Blank rows (spacing, trailing formatting) are not data.
    filled = np.zeros(len(data), dtype=bool)
    for values in texts.values():
        filled |= ~pd.isna(values)
    for values in dates.values():
        filled |= _written(values)
    key = _KEY_COLUMN[table]
    keys = texts[key] if key in texts else np.full(len(data), None, dtype=object)
    skip, counts, fills = _skip_rows(data, keys, filled, table)
    mapping.skipped.update(counts)
    for name, values in fills.items():
        # A group row's name applies only where the row says nothing itself.
        own = texts.get(name)
        group = as_text_array(pa.array(values, type=pa.string(), from_pandas=True))
        texts[name] = group if own is None else own.fillna(group)
        if name not in header_of:
            header_of[name] = column(table, name).label
    filled &= ~skip
    block = _Block(file_index, grid.file, grid.sheet, table, rows[filled], header_of)
    if filled.all():
        # The usual export: every row is data. Filtering would copy each
        # column (15-30 ms per text column of 100,000 rows) to keep them all.
        block.texts, block.raw = texts, dates
    else:
        block.texts = {name: values[filled] for name, values in texts.items()}
        block.raw = {name: _take(values, filled) for name, values in dates.items()}
    _VALIDATORS[table](block, block.raw)
    mapping.blank_channel_direct = int(block.counts.get("blank_channel_direct", 0))
    # Date cells are shown only for the rejects found while validating (the
    # later checks reject on text columns): not sending them back from the
    # reader worker saves a third of the transfer.
    block.raw = {}
    mapping.rows = len(block)
    return block


def _check_required(grid: _Grid, table: str, index_of: dict[str, int]) -> None:
    missing = [column(table, name).label for name in required_columns(table) if name not in index_of]
    if table == "steps" and "due_at" not in index_of and "allowance" not in index_of:
        missing.append(column(table, "due_at").label)  # no deadline and nothing to compute it from
    if table == "dossiers" and not {"status", "finished_at", "returned_at"} & set(index_of):
        missing.append(column(table, "status").label)  # nothing tells the state of a dossier
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise ImportFailed(f"{_where(grid.file, grid.sheet)} ({TABLE_LABELS[table]}): thiếu cột bắt buộc {names}")


# -- combining sheets and files -------------------------------------------------------

def _all_distinct(columns: Sequence[Any]) -> bool:
    """Whether the non-empty values of these columns are all different: one
    hash pass, so the usual file (every code once) skips the work of
    finding which rows repeat."""
    parts = [pd.Series(c) for c in columns]
    values = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return bool(values.dropna().is_unique)


def _reject_duplicates(blocks: list[_Block], key: str, reason: str, identical_ok: bool) -> None:
    """Reject every row of a key that appears more than once in the same file.

    With ``identical_ok``, rows that repeat exactly are first reduced to one
    (a catalog listing a procedure twice is not inconsistent).
    """
    by_file: dict[int, list[_Block]] = {}
    for block in blocks:
        by_file.setdefault(block.file_index, []).append(block)
    for file_blocks in by_file.values():
        if _all_distinct([block.values[key] for block in file_blocks]):
            continue  # no key twice: nothing repeats, nothing to reject
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
    kinds = {"status": "Int8", "satisfaction": "Int16", "step_no": "Int32", "allowance_days": "Float64",
             "time_limit_value": "Float64", "payment_gateway": "Int8", "supplement_count": "Int16"}
    if name in kinds:
        return pd.array([], dtype=kinds[name])
    if name in ("inter_agency", "result_attached", "paid_online", "digitised", "in_force", "due_computed",
                "_event_log", "data_reused", "citizen_store", "vneid", "paper_result", "fee_bearing",
                "fully_online_eligible"):
        return pd.array([], dtype="boolean")
    return pd.array([], dtype=TEXT_DTYPE)


def _latest(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Keep, per key, the row of the latest file (files apply in argument order)."""
    if _all_distinct([frame[key]]):
        return frame.reset_index(drop=True)
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


_KNOWN_PROCEDURE_COLUMNS = ("code", "name", "field", "level", "time_limit_value", "time_limit_unit")


@dataclass
class _Known:
    """What the database already holds that the plan needs."""

    procedures: pd.DataFrame  # code, name, field, level, time_limit_value, time_limit_unit
    dossiers: pd.DataFrame  # code, agency
    aliases: dict[str, str] = field(default_factory=dict)  # procedure name key -> code (procedure-attach)


def _read_known(db_path: Path | None, step_codes: Any) -> tuple[_Known, DataVersion | None]:
    empty = _Known(pd.DataFrame({c: pd.Series([], dtype=object) for c in _KNOWN_PROCEDURE_COLUMNS}),
                   pd.DataFrame({"code": [], "agency": []}))
    if db_path is None or not db_path.is_file():
        return empty, None
    store = AnalyticsStore(db_path)
    try:
        version = store.version()
        con = store.reader()
        try:
            try:
                procedures = con.execute(read_sql_statement("known_procedures")).df()
            except duckdb.BinderException:  # a database from before the legal time limits
                procedures = con.execute("select code, name, field, level from procedures").df()
                procedures["time_limit_value"] = None
                procedures["time_limit_unit"] = None
            procedures = procedures.astype(object)
            codes = pd.DataFrame({"code": pd.Series(step_codes, dtype=TEXT_DTYPE)})
            con.register("step_codes", codes)
            dossiers = con.execute(
                "select code, agency from dossiers where code in (select code from step_codes)"
            ).df()
        except duckdb.CatalogException:
            return empty, version
        try:
            aliases = dict(con.execute(read_sql_statement("known_procedure_aliases")).fetchall())
        except duckdb.CatalogException:
            aliases = {}
        return _Known(procedures, dossiers, aliases), version
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
    path_names = [str(p) for p in paths]
    if not path_names:
        raise ImportFailed("Chưa chọn tệp nào để nhập")
    use_system_allocator()
    db = Path(db_path) if db_path is not None else None
    blocks: list[_Block] = []
    sheets: list[SheetMapping] = []
    skipped: list[str] = []
    profiles = read_profiles(db) if db is not None else {}
    for file_index, name in enumerate(path_names):
        path = Path(name)
        _notify(progress, f"Đang đọc {path.name} ({file_index + 1}/{len(path_names)})",
                0.7 * file_index / len(path_names))
        file_blocks, file_sheets = _plan_file(path, file_index, skipped, profiles)
        blocks += file_blocks
        sheets += file_sheets
    _notify(progress, "Đang kiểm tra dữ liệu", 0.7)
    plan = _combine(path_names, db, blocks, sheets, skipped)
    _notify(progress, "Đã kiểm tra xong", 0.8)
    return plan


def _plan_file(path: Path, file_index: int, skipped: list[str], profiles: dict[str, dict[str, Any]] | None = None
               ) -> tuple[list[_Block], list[SheetMapping]]:
    """Read and validate one file in the reader worker (:mod:`analytics.ingest.reader_worker`).

    Only cheap checks run here; the file is parsed in the worker process, so
    a file that crashes the parser or takes all its memory fails alone.
    """
    if not path.is_file():
        raise ImportFailed(f"Không tìm thấy tệp '{path}'")
    if path.suffix.lower() not in EXCEL_SUFFIXES + CSV_SUFFIXES + JSON_SUFFIXES:
        raise ImportFailed(f"Tệp '{path.name}': loại tệp không hỗ trợ (chỉ nhận .xlsx, .csv hoặc .json)")
    try:
        check_size(path)
        blocks, mappings, skipped_here = run_isolated(read_file, str(path), file_index, profiles)
    except FileRefused as exc:
        raise ImportFailed(str(exc)) from None
    except WorkerCrashed as exc:
        raise ImportFailed(f"Không đọc được tệp '{path.name}': tiến trình đọc tệp bị dừng ({exc})") from None
    skipped += skipped_here
    return blocks, mappings


def read_file(path_name: str, file_index: int, profiles: dict[str, dict[str, Any]] | None = None
              ) -> tuple[list[_Block], list[SheetMapping], list[str]]:
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
    elif suffix in JSON_SUFFIXES:
        grids = _read_json(path)
    else:
        grids, legacy = _read_csv(path)
    named_sheets = any(grid.table for grid in grids)
    blocks, mappings = [], []
    for grid in grids:
        if grid.table and not _has_content(grid.rows):
            raise ImportFailed(f"{_where(grid.file, grid.sheet)} rỗng")
        found = layouts.find_header(grid.rows, grid.table)
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
        table = found.table
        signature = found.signature()
        profile = (profiles or {}).get(signature)
        index_of, header_of, dropped, ignored, meanings, notes = _map_header(
            found, profile["columns"] if profile else None)
        _check_required(grid, table, index_of)
        titles = layouts.count_title_rows(grid.rows, found)
        mapping = SheetMapping(
            grid.file, grid.sheet, table, found.start + 1, {header_of[n]: n for n in index_of}, dropped, ignored,
            header_rows=list(range(found.start + 1, found.data_start + 1)), skipped={layouts.SKIP_TITLE: titles},
            meanings=meanings, signature=signature, profile=profile["name"] if profile else None,
            system=_system_of(found.names, found, titles), notes=notes)
        blocks.append(_read_block(grid, file_index, found, mapping, index_of, header_of))
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
    dossiers, procedures, unmatched = _resolve_procedures(dossiers, procedures, known)

    # Field and procedure level fall back to the catalog: this import's, else the database's.
    catalog = _later_wins(known.procedures[["code", "field", "level"]], procedures[["code", "field", "level"]], "code")
    dossiers["field"] = dossiers["field"].where(dossiers["field"].notna(),
                                                dossiers["procedure_code"].map(catalog["field"]))
    due_computed = _compute_due_dates(dossiers, procedures, known)

    # Steps need a known dossier; their agency defaults to the dossier's.
    agency_of = _later_wins(known.dossiers, dossiers[["code", "agency"]], "code")["agency"]
    for block in by_table["steps"]:
        codes = pd.Series(block.values["dossier_code"])
        unknown = (~block.bad) & ~codes.isin(agency_of.index).to_numpy()
        block.reject(unknown, "dossier_code", REASON_UNKNOWN_DOSSIER)
        agencies = pd.Series(block.values["agency"])
        block.values["agency"] = agencies.fillna(codes.map(agency_of).astype(TEXT_DTYPE)).array
    steps = _accepted(blocks, "steps", extra=("_event_log",))
    # A later file's steps for a dossier replace an earlier file's.
    last_file = steps.groupby("dossier_code")["_file"].transform("max")
    steps = steps[steps["_file"] == last_file].reset_index(drop=True)
    _close_last_events(steps, dossiers)

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
        unmatched_procedures=unmatched,
        due_computed=due_computed,
    )


def procedure_name_key(name: object) -> str:
    """How a procedure name is matched: folded, punctuation ignored ("Đăng ký khai sinh." = "dang ky khai sinh")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())


def _resolve_procedures(dossiers: pd.DataFrame, procedures: pd.DataFrame, known: "_Known"
                        ) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, Any]]]:
    """Codes for dossiers that have only a procedure name.

    The name is matched against the catalogue (this import's, else the
    database's; diacritics, case and punctuation ignored), then against the
    names an officer attached to a code (``procedure-attach``). A name that
    matches nothing becomes a procedure keyed by its folded name, listed in
    the report so it can be attached to its catalogue code later.
    """
    need = dossiers["procedure_code"].isna().to_numpy()
    if not need.any():
        return dossiers, procedures, []
    lookup: dict[str, str] = {}
    for frame, later in ((known.procedures, False), (procedures, True)):
        for code, name in zip(frame["code"], frame["name"], strict=True):
            key = procedure_name_key(name) if isinstance(name, str) else ""
            if key and isinstance(code, str) and (later or key not in lookup):
                lookup[key] = code  # this import's catalogue over the stored one
    lookup.update(known.aliases)  # an officer's attachment wins
    names = dossiers.loc[need, "procedure_name"].astype(object)
    keys = names.map(procedure_name_key)
    codes = keys.map(lookup)
    dossiers.loc[need, "procedure_code"] = codes.fillna(keys).astype(object).to_numpy()
    dossiers["procedure_code"] = dossiers["procedure_code"].astype(TEXT_DTYPE)
    missing = keys[codes.isna()]
    unmatched: list[dict[str, Any]] = []
    if len(missing):
        rows = pd.DataFrame({"key": missing, "name": names[codes.isna()],
                             "field": dossiers.loc[need, "field"][codes.isna()].astype(object)})
        stored = set(known.procedures["code"])
        new_rows = []
        for key, group in rows.groupby("key", sort=True):
            name = group["name"].iloc[0]
            unmatched.append({"name": name, "key": key, "dossiers": int(len(group))})
            if key not in stored and key not in set(procedures["code"]):
                fields = group["field"].dropna()
                new_rows.append({"code": key, "name": name, "field": fields.mode().iloc[0] if len(fields) else None})
        if new_rows:
            added = pd.DataFrame(new_rows)
            for name in FRAME_COLUMNS["procedures"]:
                if name not in added:
                    added[name] = None
            added["in_force"] = True
            added = added.astype({c: procedures[c].dtype for c in FRAME_COLUMNS["procedures"] if c in procedures})
            procedures = pd.concat([procedures, added], ignore_index=True)
    return dossiers, procedures, unmatched


def _compute_due_dates(dossiers: pd.DataFrame, procedures: pd.DataFrame, known: "_Known") -> int:
    """Fill missing due dates from the procedures' legal time limit; the count filled."""
    missing = dossiers["due_at"].isna().to_numpy()
    if not missing.any():
        return 0
    limits = pd.concat([known.procedures[["code", "time_limit_value", "time_limit_unit"]],
                        procedures[["code", "time_limit_value", "time_limit_unit"]].astype(object)],
                       ignore_index=True)
    # A blank in this import's catalogue never erases a stored limit (as the write does).
    limits = limits.dropna(subset=["time_limit_value", "time_limit_unit"]).drop_duplicates("code", keep="last")
    limits = limits.set_index("code")
    codes = dossiers.loc[missing, "procedure_code"].astype(object)
    values = codes.map(limits["time_limit_value"]).astype(float).to_numpy()
    units = codes.map(limits["time_limit_unit"]).to_numpy(dtype=object)
    received = dossiers.loc[missing, "received_at"].to_numpy(dtype="datetime64[us]")
    computed = computed_due_dates(received, values, units)
    found = ~np.isnat(computed)
    where = np.flatnonzero(missing)[found]
    due = dossiers["due_at"].to_numpy(dtype="datetime64[us]").copy()
    due[where] = computed[found]
    dossiers["due_at"] = due
    flags = dossiers["due_computed"].to_numpy(dtype=bool, na_value=False).copy()
    flags[where] = True
    dossiers["due_computed"] = pd.array(flags, dtype="boolean")
    return int(len(where))


def _close_last_events(steps: pd.DataFrame, dossiers: pd.DataFrame) -> None:
    """An event log's last hand-over of a finished dossier ends when the dossier does."""
    if not len(steps) or not steps["_event_log"].any():
        return
    last = steps.groupby("dossier_code")["step_no"].transform("max") == steps["step_no"]
    end = steps["dossier_code"].map(dossiers.set_index("code")["finished_at"])
    fill = (steps["_event_log"].astype(bool) & last & steps["finished_at"].isna() & end.notna()).to_numpy()
    if fill.any():
        finished = steps["finished_at"].to_numpy(dtype="datetime64[us]").copy()
        finished[fill] = end.to_numpy(dtype="datetime64[us]")[fill]
        steps["finished_at"] = finished


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
    # Code: the sheet's, else the dossiers' when a name has one code in the
    # import (two codes under one name are two units: left to the officer,
    # docs/IMPORT.md "Đơn vị sau sắp xếp").
    sheet_code = sheet.groupby("name")["code"].last() if len(sheet) else pd.Series(dtype=object)
    pairs = pd.DataFrame({"name": dossiers["agency"], "code": dossiers["agency_code"]}).dropna().drop_duplicates()
    single = pairs[~pairs["name"].duplicated(keep=False)].set_index("name")["code"]
    frame["code"] = frame["name"].map(sheet_code).astype(object)
    frame["code"] = frame["code"].where(frame["code"].notna(), frame["name"].map(single).astype(object))
    candidates = [("sheet", sheet_level), ("dossier", dossier_level), ("procedure", procedure_level)]
    frame["level"] = pd.Series([None] * len(frame), dtype=object)
    frame["level_source"] = pd.Series([None] * len(frame), dtype=object)
    for source, levels in candidates:
        found = frame["name"].map(levels)
        fill = frame["level"].isna() & found.notna()
        frame.loc[fill, "level"] = found[fill]
        frame.loc[fill, "level_source"] = source
    frame = frame.astype({"name": object, "level": object, "parent": object, "code": object,
                          "level_source": object})
    return frame.where(frame.notna(), None)


# -- writing ------------------------------------------------------------------------

def _statements() -> Mapping[str, str]:
    return named_statements("analytics.ingest", "import")


def read_sql_statement(name: str) -> str:
    """One named statement of analytics/ingest/sql/import.sql."""
    return _statements()[name]


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


def apply_import(plan: ImportPlan, db_path: str | Path, progress: Progress | None = None,
                 remember_layout: bool = False) -> ImportReport:
    """Write a plan into the database in one transaction.

    If the plan was made for another database, or the database changed
    since, the files are planned again first so the checks hold. If another
    write lands between that check and this write's lock, the import is
    refused (nothing written) rather than applied over it.

    With ``remember_layout`` (the officer confirmed the layout), each
    sheet's layout is kept as a profile keyed by its header signature, in the
    same transaction; a later file with the same header is read with it.

    Raises:
        ImportFailed: the database could not be written, or changed while
            this import waited for the write lock (it is left as it was).
    """
    db = Path(db_path)
    use_system_allocator()
    if not _same_db(plan, db):
        plan = plan_import(plan.paths, db, progress)
    try:
        pending = AnalyticsStore(db).open_write(incremental=True)
    except (duckdb.Error, StoreError, OSError) as exc:
        raise _write_failed(db, exc) from exc
    return _write_plan(pending, plan, db, progress, remember_layout)


def _write_failed(db: Path, exc: BaseException) -> ImportFailed:
    return ImportFailed(f"Không ghi được cơ sở dữ liệu {db}: {str(exc).splitlines()[0]}")


def _write_plan(pending: PendingWrite, plan: ImportPlan, db: Path, progress: Progress | None,
                remember_layout: bool) -> ImportReport:
    """Write ``plan`` through an open write (:meth:`AnalyticsStore.open_write`)
    and publish it, or abandon the write if anything fails."""
    saved: list[str] = []
    _notify(progress, "Đang ghi vào cơ sở dữ liệu", 0.85)
    sql = _statements()
    started = office_now().replace(tzinfo=None)
    changed: dict[str, int] = {}
    rejects_file: Path | None = None
    try:
        with pending:
            con = pending.con
            # Checked again under the write lock: another import may have been
            # written since the check above, and this plan (its "changed"
            # counts, its rejects of unknown dossiers) was made without it.
            if _db_version(db) != plan.db_version:
                raise ImportFailed(labels.t("import_concurrent_change"))
            import_id = _scalar(con, sql["next_import_id"])
            # Spellings of a known agency become its unit's name (docs/IMPORT.md).
            frames = resolve_frames(con, plan.frames)
            # Then to the unit of the agency code, or the old namesake by date (docs/IMPORT.md).
            frames = route_frames(con, frames)
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
            con.execute(sql["touch_dossiers"])
            con.execute(sql["insert_rejects"], {"import_id": import_id})
            if remember_layout:
                saved = _save_profiles(con, sql, plan.sheets)
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
            raise _write_failed(db, exc) from exc
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
        unmatched_procedures=list(plan.unmatched_procedures),
        notes=plan.notes(),
        profiles_saved=saved,
    )


def import_files(paths: Sequence[str | Path], db_path: str | Path,
                 progress: Progress | None = None, remember_layout: bool = False) -> ImportReport:
    """Plan and apply in one go: the ``import`` command's and the inbox's work.

    Neither stops to ask: a layout seen before is read with its profile, a
    new one with the detected mapping (the report's ``layout`` says which).

    The new database version is opened (write lock, copy of the current
    version, schema, transaction) in a thread while the reader worker
    parses the files (no wall time when a core is free); the lock is then
    held from before the parse (another write waits rather than forcing
    this import to be planned again). A file that fails leaves the
    database as it was, as with :func:`plan_import` then :func:`apply_import`.
    """
    db = Path(db_path)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-open") as pool:
        opening = pool.submit(AnalyticsStore(db).open_write, True)
        try:
            plan = plan_import(paths, db, progress)
        except BaseException:
            # The file's error is the one reported; the opened version goes.
            with contextlib.suppress(Exception):
                opening.result().abandon()
            raise
        try:
            pending = opening.result()
        except (duckdb.Error, StoreError, OSError) as exc:
            raise _write_failed(db, exc) from exc
    if not _same_db(plan, db):
        # Another write was published after the plan read the database and
        # before this one took the lock: plan again, now that nothing can change.
        try:
            plan = plan_import(plan.paths, db, progress)
        except BaseException:
            pending.abandon()
            raise
    return _write_plan(pending, plan, db, progress, remember_layout)


# -- remembered layouts and attached procedure names ---------------------------------

def profile_name(sheet: SheetMapping) -> str:
    """A profile's name as the report prints it: the file and sheet it was confirmed on."""
    return f"{sheet.file}" + (f" / {sheet.sheet}" if sheet.sheet else "") + f" ({sheet.signature})"


def _save_profiles(con: duckdb.DuckDBPyConnection, sql: Mapping[str, str], sheets: list[SheetMapping]) -> list[str]:
    con.execute(sql["create_import_profiles"])
    saved = []
    for sheet in sheets:
        columns = {header: meaning for header, meaning in sheet.meanings if meaning != MEANING_DROPPED}
        name = sheet.profile or profile_name(sheet)
        con.execute(sql["delete_profile"], {"signature": sheet.signature})
        con.execute(sql["insert_profile"], {
            "signature": sheet.signature, "name": name, "table_name": sheet.table,
            "columns": json.dumps(columns, ensure_ascii=False), "saved_at": office_now().replace(tzinfo=None)})
        saved.append(name)
    return saved


def save_profile(db_path: str | Path, sheet: SheetMapping, columns: dict[str, str] | None = None) -> str:
    """Keep one sheet's layout as a profile, with the officer's corrections (header -> column or "ignored").

    For the import page's "correct a column's meaning" step: the corrected
    profile is saved, then the files are planned again and read with it.
    """
    meanings = dict(sheet.meanings)
    if columns:
        meanings.update(columns)
    sheet = SheetMapping(**{**sheet.__dict__, "meanings": list(meanings.items())})
    with AnalyticsStore(Path(db_path)).write() as con:
        return _save_profiles(con, _statements(), [sheet])[0]


def read_profiles(db_path: str | Path) -> dict[str, dict[str, Any]]:
    """Remembered layouts by header signature: ``{"name", "table", "columns"}``."""
    db = Path(db_path)
    if not db.is_file():
        return {}
    store = AnalyticsStore(db)
    try:
        con = store.reader()
        try:
            rows = con.execute(read_sql_statement("known_profiles")).fetchall()
        except duckdb.CatalogException:
            return {}
    except (StoreError, duckdb.Error) as exc:
        raise ImportFailed(f"Không đọc được cơ sở dữ liệu {db}: {str(exc).splitlines()[0]}") from None
    finally:
        store.close()
    return {sig: {"name": name, "table": table, "columns": json.loads(columns)} for sig, name, table, columns in rows}


def attach_procedure(db_path: str | Path, name: str, code: str) -> int:
    """Attach a procedure name (or its folded key) to a catalogue code.

    The dossiers filed under the folded name move to ``code``, the
    placeholder procedure goes, and later imports match the name to ``code``.
    Returns the number of dossiers now under ``code``.
    """
    key = procedure_name_key(name)
    code = clean_text(code) or ""
    if not key or not code:
        raise ImportFailed("Cần tên thủ tục và mã TTHC")
    sql = _statements()
    with AnalyticsStore(Path(db_path)).write() as con:
        if not con.execute("select count(*) from procedures where code = $code", {"code": code}).fetchall()[0][0]:
            raise ImportFailed(f"Mã TTHC '{code}' không có trong danh mục TTHC; hãy nhập danh mục trước")
        con.execute(sql["create_procedure_aliases"])
        con.execute(sql["delete_procedure_alias"], {"name_key": key})
        con.execute(sql["insert_procedure_alias"], {"name_key": key, "code": code,
                                                    "attached_at": office_now().replace(tzinfo=None)})
        con.execute(sql["attach_dossiers"], {"code": code, "name_key": key})
        con.execute(sql["drop_placeholder_procedure"], {"name_key": key})
        return _scalar(con, sql["count_attached"], {"code": code})


def procedures_to_attach(db_path: str | Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(placeholders, catalogue)``: procedures filed under a folded name,
    waiting to be attached (name, key, dossiers), and the catalogue's
    procedures they can be attached to (code, name), for the import page."""
    db = Path(db_path)
    if not db.is_file():
        return [], []
    store = AnalyticsStore(db)
    try:
        rows = store.reader().execute(read_sql_statement("procedures_with_dossiers")).fetchall()
    except (StoreError, duckdb.Error) as exc:
        raise ImportFailed(f"Không đọc được cơ sở dữ liệu {db}: {str(exc).splitlines()[0]}") from None
    finally:
        store.close()
    placeholders, catalogue = [], []
    for code, name, dossiers in rows:
        # A placeholder's code is its own folded name (see _resolve_procedures).
        if isinstance(name, str) and code == procedure_name_key(name):
            placeholders.append({"name": name, "key": code, "dossiers": int(dossiers)})
        else:
            catalogue.append({"code": code, "name": name})
    return placeholders, catalogue


def run_import_command(paths: list[str], db: str, fmt: str, remember_layout: bool = False) -> int:
    """``python -m analytics import FILE... --db PATH [--format json]``.

    Prints the summary (text or JSON) to stdout and progress to stderr
    (text format only), and writes the import (or its failure) to the audit
    log as ``cli:<os user>``. Returns 0, or 2 after a one-line ``Lỗi: ...`` on
    stderr when the import failed and nothing was written.
    """
    as_json = fmt == "json"

    def show_progress(message: str, fraction: float) -> None:
        print(f"[{fraction * 100:3.0f}%] {message}", file=sys.stderr, flush=True)

    files = [Path(p).name for p in paths]
    try:
        report = import_files(paths, db, progress=None if as_json else show_progress,
                              remember_layout=remember_layout)
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


def run_attach_command(name: str, code: str, db: str) -> int:
    """``python -m analytics procedure-attach NAME CODE --db PATH``: attach and say how many dossiers moved.

    Recorded in the audit log like an import (``cli:<os user>``).
    """
    try:
        count = attach_procedure(db, name, code)
    except (ImportFailed, StoreError, duckdb.Error) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    audit.record(OpsStore.beside(db), audit.IMPORT, actor=audit.cli_actor(), target=code,
                 detail={"procedure_attached": procedure_name_key(name), "code": code, "dossiers": count})
    print(f"Đã gắn thủ tục '{name}' vào mã TTHC {code}: {format_number(count)} hồ sơ mang mã này.")
    return 0
