"""Checks that keep a hostile export file from exhausting memory.

Every file an import (exports, contacts) reads passes here first, before any
parser sees it. The checks read metadata and stream the sheet XML; they never
build the grid:

* :func:`check_size`: the file is no larger than the upload limit
  (``.streamlit/config.toml`` ``server.maxUploadSize``, :data:`MAX_FILE_MB`).
* :func:`check_workbook` (``.xlsx``/``.xlsm``, a zip): each member's declared
  uncompressed size and compression ratio (a zip bomb), then each sheet's
  ``<dimension>`` and the cells it really holds (a value at XFD1048576 makes
  calamine allocate the whole 17-billion-cell grid and abort the process).
* :func:`csv_rows`: a CSV is parsed row by row and refused at the first row
  wider than :data:`Limits.max_columns` or past :data:`Limits.max_rows`.

What these checks cannot see (a sheet without cell references, an old .xls)
is still read in the worker process with a memory limit
(:mod:`analytics.ingest.reader_worker`), so the app survives it. docs/IMPORT.md
lists the limits.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import Iterator
from xml.etree import ElementTree

# Keep equal to server.maxUploadSize in .streamlit/config.toml (a test checks).
MAX_FILE_MB = 200
MAX_COLUMNS = 200
MAX_ROWS = 2_000_000
# Rows x columns of the used range: a 1,048,576-row export 30 columns wide fits.
MAX_CELLS = 32_000_000
MAX_UNCOMPRESSED_MB = 1024
# Real sheet XML compresses 5-30 times; a bomb of repeated rows 1,000 times.
MAX_RATIO = 100
# Members smaller than this may compress as they like (tiny XML parts do).
RATIO_FLOOR_BYTES = 1 << 20
# One CSV line; 200 columns of long procedure names stay far below this.
MAX_LINE_CHARS = 1_000_000
_CHUNK = 1 << 20
_SMALL_PART_BYTES = 4 << 20  # workbook.xml and its relationships


@dataclass(frozen=True)
class Limits:
    """The limits in force; tests pass smaller ones."""

    max_file_mb: int = MAX_FILE_MB
    max_columns: int = MAX_COLUMNS
    max_rows: int = MAX_ROWS
    max_cells: int = MAX_CELLS
    max_uncompressed_mb: int = MAX_UNCOMPRESSED_MB
    max_ratio: int = MAX_RATIO
    max_line_chars: int = MAX_LINE_CHARS


class FileRefused(Exception):
    """The file breaks a limit; the message (Vietnamese, one line) says which."""


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".replace(".", ",")


def _n(count: int) -> str:
    """1048576 -> "1.048.576", as Vietnamese write numbers."""
    return f"{count:,}".replace(",", ".")


def check_size(path: Path, limits: Limits = Limits()) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * 2**20:
        raise FileRefused(f"Tệp '{path.name}' lớn {_mb(size)} MB, quá giới hạn {limits.max_file_mb} MB "
                          "mỗi tệp; hãy chia tệp theo thời gian rồi nhập từng phần")


# -- workbooks ---------------------------------------------------------------------

def column_number(letters: str) -> int:
    """"A" -> 1, "Z" -> 26, "AA" -> 27, "XFD" -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"')
_RANGE_END = re.compile(r"([A-Z]{1,3})(\d{1,7})$")
# A cell with a value (not self-closed: "<c r="Z9" s="3"/>" is formatting only,
# which calamine skips too).
_VALUE_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"[^>]*(?<!/)>')


def _declared_size(dimension: bytes) -> tuple[int, int] | None:
    """(rows, columns) of a ``<dimension ref="A1:I100001">`` (from A1: the grid starts there)."""
    found = _RANGE_END.search(dimension.decode("ascii", "replace").upper())
    return (int(found.group(2)), column_number(found.group(1))) if found else None


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name as the user sees it (best effort)."""
    try:
        if any(book.getinfo(n).file_size > _SMALL_PART_BYTES
               for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")):
            return {}
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = os.path.normpath(part)
    names = {}
    for element in workbook.iter():
        name = element.get("name")
        if element.tag.endswith("}sheet") and name:
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = name
    return names


def _scan_sheet(stream, limits: Limits) -> tuple[str | None, int, int, str | None]:
    """(declared dimension, rows, columns, first cell outside the limits) of a sheet.

    When the sheet declares a ``<dimension>`` within the limits, only its
    first chunk is read: an honest file is not inflated twice. When the
    dimension is absurd or missing, the whole XML is streamed and the cells
    holding a value are measured, so a sheet whose dimension merely counts
    formatted blanks is still read. A file lying about its dimension is left
    to the reader worker's memory limit.
    """
    first = stream.read(_CHUNK)
    found = _DIMENSION.search(first)
    dimension = found.group(1).decode("ascii", "replace") if found else None
    declared = _declared_size(found.group(1)) if found else None
    if declared is not None:
        rows, cols = declared
        if rows <= limits.max_rows and cols <= limits.max_columns and rows * cols <= limits.max_cells:
            return dimension, rows, cols, None
    max_row = max_col = 0
    data = first
    while data:
        more = stream.read(_CHUNK)
        # Keep the last 256 bytes for the next round: a cell tag cut by the
        # chunk boundary is matched whole there.
        cut = data.rfind(b"<", 0, len(data) - 256) if more and len(data) > 256 else len(data)
        cut = max(cut, 0)
        cells = _VALUE_CELL.findall(data, 0, cut)
        if cells:
            # C-level reductions: a sheet has millions of cells, a few distinct columns.
            col_letters = max(set(map(itemgetter(0), cells)), key=lambda c: (len(c), c))
            max_col = max(max_col, column_number(col_letters.decode()))
            max_row = max(max_row, max(map(int, map(itemgetter(1), cells))))
            if max_col > limits.max_columns or max_row > limits.max_rows:
                far = next(c for c in cells if column_number(c[0].decode()) > limits.max_columns
                           or int(c[1]) > limits.max_rows)
                return dimension, max_row, max_col, (far[0] + far[1]).decode()
        data = data[cut:] + more if more else b""
    return dimension, max_row, max_col, None


def check_workbook(path: Path, limits: Limits = Limits()) -> None:
    """Refuse a zip bomb or a sheet whose used range is absurd, before any parse.

    Raises:
        FileRefused: with the reason (the sheet and the offending cell or size).
    """
    name = path.name
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip (an old .xls, or damaged): the reader says what it is
    with book:
        members = book.infolist()
        total = 0
        for info in members:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
                raise FileRefused(
                    f"Tệp '{name}': phần '{info.filename}' nén {_n(round(ratio))} lần "
                    f"(giải nén {_mb(info.file_size)} MB từ {_mb(info.compress_size)} MB), quá {limits.max_ratio} "
                    "lần cho phép; tệp xuất thật không nén như vậy (có thể là tệp nén độc hại)")
        if total > limits.max_uncompressed_mb * 2**20:
            raise FileRefused(f"Tệp '{name}': giải nén ra {_mb(total)} MB, quá giới hạn "
                              f"{limits.max_uncompressed_mb} MB")
        names = _sheet_names(book)
        for info in members:
            part = info.filename
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            where = f"Tệp '{name}', trang '{names.get(os.path.normpath(part), part)}'"
            with book.open(info) as stream:
                dimension, rows, cols, outside = _scan_sheet(stream, limits)
            if outside:
                declared = f" (khai báo vùng dữ liệu {dimension})" if dimension else ""
                raise FileRefused(
                    f"{where}: có ô ở {outside}{declared}, ngoài vùng cho phép "
                    f"({limits.max_columns} cột, {_n(limits.max_rows)} dòng); "
                    "hãy xoá các ô thừa ngoài bảng rồi lưu lại")
            if rows * cols > limits.max_cells:
                declared = f", khai báo {dimension}" if dimension else ""
                raise FileRefused(
                    f"{where}: vùng dữ liệu {_n(rows)} dòng × {cols} cột{declared}, "
                    f"quá {_n(limits.max_cells)} ô cho phép; hãy xoá các ô thừa ngoài bảng hoặc chia tệp")


# -- CSV ------------------------------------------------------------------------------

def csv_rows(text: str, delimiter: str, name: str, limits: Limits = Limits()) -> Iterator[list[str]]:
    """The records of a CSV text, refused at the first one past the limits.

    Lines are measured before the csv module splits them, so a line of ten
    million commas is refused without building a ten-million-field row;
    ``csv.field_size_limit`` bounds a quoted field spanning many lines.
    """

    def lines() -> Iterator[str]:
        for number, line in enumerate(io.StringIO(text, newline=""), start=1):
            if len(line) > limits.max_line_chars:
                raise FileRefused(f"Tệp '{name}': dòng {number} dài {_n(len(line))} ký tự, "
                                  f"quá {_n(limits.max_line_chars)} ký tự cho phép")
            yield line

    previous = csv.field_size_limit(limits.max_line_chars)
    cells = 0
    try:
        for number, row in enumerate(csv.reader(lines(), delimiter=delimiter), start=1):
            cells += len(row)
            if len(row) > limits.max_columns:
                raise FileRefused(f"Tệp '{name}': bản ghi {number} có {_n(len(row))} cột, "
                                  f"quá {limits.max_columns} cột cho phép")
            if number > limits.max_rows:
                raise FileRefused(f"Tệp '{name}': quá {_n(limits.max_rows)} dòng")
            if cells > limits.max_cells:
                raise FileRefused(f"Tệp '{name}': quá {_n(limits.max_cells)} ô dữ liệu; hãy chia tệp")
            yield row
    except csv.Error as exc:
        raise FileRefused(f"Tệp '{name}': không đọc được như CSV ({exc})") from None
    finally:
        csv.field_size_limit(previous)
