"""Vectorised parsing of export cell values.

Every function takes a whole column (a NumPy object array of cells as the
reader gives them: ``str``, ``float``, ``bool``, ``datetime``/``date``,
``None``) and returns arrays of the same length. Nothing loops over rows in
Python: text goes through Arrow compute kernels, coded values (channel,
status, flags...) are factorised so only the few distinct values are looked
up, and dates are parsed by format with a regex fallback for the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.locale.text import fold

# Python's str.isspace() set, in RE2 syntax, so the vectorised clean matches
# analytics.locale.text.clean_text exactly.
_WHITESPACE_RE2 = r"[\s\pZ\x{0B}\x{1C}-\x{1F}\x{85}]+"

# Date parse outcome per cell.
DATE_OK = 0  # a date, or empty
DATE_NOT_A_DATE = 1  # not in any accepted form
DATE_INVALID = 2  # in an accepted form but no such day (31/02), or out of range

MIN_YEAR, MAX_YEAR = 1900, 2100
# Excel serial day numbers for 1900-01-01 and 2100-12-31 (1900 date system).
_SERIAL_MIN, _SERIAL_MAX = 2, 73415
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")


KIND_EMPTY, KIND_STR, KIND_NUMBER, KIND_BOOL, KIND_DATE, KIND_OTHER = range(6)
_KIND_OF_TYPE = {
    type(None): KIND_EMPTY, str: KIND_STR, float: KIND_NUMBER, int: KIND_NUMBER,
    np.float64: KIND_NUMBER, np.int64: KIND_NUMBER, bool: KIND_BOOL, np.bool_: KIND_BOOL,
    dt.datetime: KIND_DATE, dt.date: KIND_DATE, pd.Timestamp: KIND_DATE,
}


def kinds_of(raw: np.ndarray) -> np.ndarray:
    """A KIND_* code per cell: its Python type looked up by hash, no Python loop."""
    if not len(raw):
        return np.empty(0, dtype=np.int8)
    types = pd.Series(np.frompyfunc(type, 1, 1)(raw), dtype=object)
    return types.map(_KIND_OF_TYPE).fillna(KIND_OTHER).to_numpy(dtype=np.int8)


def _clean_arrow(arr: pa.Array) -> pa.Array:
    arr = pc.utf8_normalize(arr, form="NFC")
    arr = pc.replace_substring_regex(arr, _WHITESPACE_RE2, " ")
    arr = pc.utf8_trim(arr, " ")
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _format_floats(values: np.ndarray) -> np.ndarray:
    """Numbers as a person typed them: 123.0 -> "123", 12.5 -> "12.5"."""
    out = values.astype(str).astype(object)
    finite = np.isfinite(values)
    integral = finite & (np.floor(values) == values) & (np.abs(values) < 1e15)
    out[integral] = values[integral].astype(np.int64).astype(str)
    return out


def _format_datetimes(values: np.ndarray) -> np.ndarray:
    stamps = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    has_time = (stamps - stamps.dt.normalize()) != pd.Timedelta(0)
    text = stamps.dt.strftime("%d/%m/%Y").astype(object)
    text[has_time] = stamps[has_time].dt.strftime("%d/%m/%Y %H:%M:%S")
    return text.to_numpy(dtype=object)


def to_strings(raw: np.ndarray) -> np.ndarray:
    """Cells as raw strings (not yet cleaned); ``None`` for empty cells."""
    raw = np.asarray(raw, dtype=object)
    try:
        strings = pa.array(raw, type=pa.string(), from_pandas=True)
        return np.asarray(strings.to_numpy(zero_copy_only=False), dtype=object)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    kinds = kinds_of(raw)
    out = np.full(len(raw), None, dtype=object)
    is_str = kinds == KIND_STR
    out[is_str] = raw[is_str]
    is_num = kinds == KIND_NUMBER
    if is_num.any():
        out[is_num] = _format_floats(raw[is_num].astype(float))
    is_bool = kinds == KIND_BOOL
    if is_bool.any():
        out[is_bool] = np.where(raw[is_bool].astype(bool), "TRUE", "FALSE")
    is_dt = kinds == KIND_DATE
    if is_dt.any():
        out[is_dt] = _format_datetimes(raw[is_dt])
    other = kinds == KIND_OTHER
    if other.any():
        out[other] = np.frompyfunc(str, 1, 1)(raw[other])
    return out


TEXT_DTYPE = pd.StringDtype("pyarrow")


def _arrow_strings(raw: np.ndarray) -> pa.Array:
    try:  # the common case: a column of text cells
        return pa.array(raw, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pa.array(to_strings(raw), type=pa.string(), from_pandas=True)


def clean_texts(raw: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Like :func:`analytics.locale.text.clean_text` for a whole column.

    Each distinct value is cleaned once (exports repeat agency, procedure and
    field names on every row).

    Returns:
        A pandas Arrow string array: NFC, whitespace collapsed, ``<NA>`` for
        empty cells.
    """
    if isinstance(raw, pa.Array):  # a sheet read into Arrow: already text
        strings = raw.cast(pa.string())
    else:
        raw = np.asarray(raw, dtype=object)
        if not len(raw):
            return as_text_array(pa.array([], type=pa.string()))
        strings = _arrow_strings(raw)
    encoded = pc.dictionary_encode(strings)
    cleaned = _clean_arrow(encoded.dictionary).take(encoded.indices)
    return as_text_array(cleaned)


def as_text_array(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow string array as a pandas text column, without copying."""
    return pd.arrays.ArrowStringArray(pa.chunked_array([values.cast(pa.large_string())]))


def map_values(texts: Any, lookup: Callable[[str], object], missing: object = None,
               as_text: bool = False) -> tuple[Any, np.ndarray]:
    """Apply ``lookup`` to each distinct text once and spread the result.

    Args:
        texts: cleaned texts (missing for empty cells).
        lookup: returns the parsed value, or ``None`` when the text is not understood.
        missing: the value for empty cells.
        as_text: the parsed values are text: return a pandas Arrow string array.

    Returns:
        ``(values, bad)``: parsed values (object array, or text array) and a
        mask of cells that were non-empty but not understood.
    """
    codes, uniques = pd.factorize(texts, use_na_sentinel=True)
    parsed = [lookup(u) for u in uniques]
    bad_unique = np.array([p is None for p in parsed] + [False], dtype=bool)
    slots = [*parsed, missing]  # code -1 (empty) picks the last slot
    if as_text:
        values = as_text_array(pa.array(slots, type=pa.string()).take(pa.array(codes % len(slots))))
    else:
        lookup_table = np.empty(len(slots), dtype=object)
        lookup_table[:] = slots
        values = lookup_table[codes]
    return values, bad_unique[codes]


# -- coded values -----------------------------------------------------------

def _number_key(text: str) -> str:
    """"2", "2.0", "02" -> "2"; other text folded."""
    key = fold(text)
    if re.fullmatch(r"\d+(?:\.0+)?", key):
        return str(int(float(key)))
    return key


_CHANNELS = {
    "online": ("truc tuyen", "nop truc tuyen", "dvc truc tuyen", "dich vu cong truc tuyen",
               "qua mang", "online", "2", "nop qua mang", "qua cong dich vu cong", "nop online"),
    "direct": ("truc tiep", "nop truc tiep", "tai quay", "tai bo phan mot cua", "direct", "1",
               "truc tiep tai bo phan mot cua", "nop tai bo phan mot cua"),
    "postal": ("buu chinh cong ich", "bcci", "qua buu chinh", "buu chinh", "dich vu buu chinh cong ich",
               "qua dich vu buu chinh cong ich", "postal", "3", "buu dien", "qua buu dien", "nop qua buu dien",
               "nop qua buu chinh"),
}
_CHANNEL_OF = {key: channel for channel, keys in _CHANNELS.items() for key in keys}

STATUS_NAMES = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
_STATUS_OF = {fold(name): code for code, name in STATUS_NAMES.items()}
_STATUS_OF.update({
    "moi dang ky": 1, "da tiep nhan": 2, "tiep nhan": 2, "khong tiep nhan": 3, "tu choi tiep nhan": 3,
    "dang giai quyet": 4, "yeu cau bo sung": 5, "bo sung giay to": 5, "cho bo sung": 5,
    "nghia vu tai chinh": 6, "rut ho so": 7, "da rut ho so": 7, "cong dan rut ho so": 7,
    "da xu ly": 9, "xu ly xong": 9, "da giai quyet": 9, "tra ket qua": 10,
    # The words real one-stop systems print (issue 13; docs/IMPORT.md lists them).
    "cho tiep nhan": 1, "moi tiep nhan": 2, "tu choi": 3, "tu choi ho so": 3, "khong duoc tiep nhan": 3,
    "dang thu ly": 4, "dang xu ly ho so": 4, "dang cho bo sung ho so": 5, "cho bo sung ho so": 5,
    "yeu cau bo sung ho so": 5, "cho thuc hien nghia vu tai chinh": 6, "cho nop phi": 6, "da rut": 7,
    "cong dan xin rut": 7, "xin rut ho so": 7, "tam dung": 8, "tam dung xu ly": 8, "tra lai ho so": 8,
    "khong giai quyet": 8, "dung giai quyet": 8, "cho tra ket qua": 9, "da co ket qua": 9,
    "da gui ket qua ve bo phan tn tkq": 9, "da gui ket qua ve bo phan tiep nhan va tra ket qua": 9,
    "da tra": 10, "hoan thanh": 10, "da hoan thanh": 10, "da tra ket qua cho cong dan": 10,
})
_CODED_NAME = re.compile(r"^(\d{1,2})\s*[-.:)]\s*\S")


def parse_channel_text(text: str) -> str | None:
    return _CHANNEL_OF.get(_number_key(text))


def _status_key(text: str) -> str:
    """Folded, with punctuation as spaces ("TN&TKQ" is "tn tkq")."""
    key = _number_key(text)
    return key if key.isdigit() else " ".join(re.sub(r"[^a-z0-9]+", " ", key).split())


def parse_status_text(text: str) -> int | None:
    key = _status_key(text)
    if key.isdigit():
        code = int(key)
        return code if 1 <= code <= 10 else None
    if key in _STATUS_OF:
        return _STATUS_OF[key]
    coded = _CODED_NAME.match(_number_key(text))  # "4 - Đang xử lý"
    if coded and 1 <= int(coded.group(1)) <= 10:
        return int(coded.group(1))
    return None


_TRUE = frozenset({"co", "x", "1", "true", "yes", "y", "dung", "da", "v"})
_FALSE = frozenset({"khong", "0", "false", "no", "n", "sai", "chua", "-"})


def parse_flag_text(text: str) -> bool | None:
    key = _number_key(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return None


def parse_paid_text(text: str) -> bool | None:
    """DuocThanhToanTrucTuyen: 0 no, 1 yes, 2 paid through the province's gateway (also yes)."""
    return True if _number_key(text) == "2" else parse_flag_text(text)


def parse_payment_gateway_text(text: str) -> int | None:
    """DuocThanhToanTrucTuyen as its code: 1 paid on Cổng DVCQG, 2 paid through
    the province's gateway, 0 not paid online. A yes/no flag gives 1 / 0 (the
    export does not say which gateway: the national one, as the flag's name)."""
    key = _number_key(text)
    if key in ("0", "1", "2"):
        return int(key)
    flag = parse_flag_text(text)
    return None if flag is None else int(flag)


def parse_fee_text(text: str) -> bool | None:
    """Có phí, lệ phí: a flag, or an amount ("50.000 đồng" -> yes, "0" -> no),
    or a wording with "không" (no fee) -> no."""
    flag = parse_flag_text(text)
    if flag is not None:
        return flag
    key = fold(text)
    if key.startswith("khong") or "mien" in key.split():
        return False
    digits = re.sub(r"[^0-9]", "", key)
    return int(digits) > 0 if digits else None


def parse_count_text(text: str) -> int | None:
    """A count of times (0, 1, 2...); anything else is not understood."""
    key = _number_key(text)
    return int(key) if re.fullmatch(r"\d{1,4}", key) else None


# The legal time limit of a procedure and a step's allowance. Units as the
# store keeps them (procedures.time_limit_unit).
TIME_UNITS = ("working_days", "days", "working_hours", "months")
HOURS_PER_WORKING_DAY = 8  # the office day: steps' hours become working days at this rate
_DURATION = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(ngay lam viec|ngay|gio lam viec|gio|thang|tuan lam viec|tuan)\b")
_UNIT_OF = {"ngay lam viec": "working_days", "ngay": "days", "gio lam viec": "working_hours",
            "gio": "working_hours", "thang": "months"}


def parse_time_limit_text(text: str) -> tuple[float, str] | None:
    """"05 ngày làm việc" -> (5.0, 'working_days'); the first number and unit in the text.

    "Trong ngày" (the same working day) is 0 working days. Weeks become
    days (working weeks: 5 working days). Nothing understood: None.
    """
    key = fold(text)
    if key.startswith("trong ngay") or key.startswith("ngay lam viec trong ngay"):
        return 0.0, "working_days"
    match = _DURATION.search(key)
    if not match:
        return None
    value = float(match.group(1).replace(",", "."))
    unit = match.group(2)
    if unit == "tuan lam viec":
        return value * 5, "working_days"
    if unit == "tuan":
        return value * 7, "days"
    return value, _UNIT_OF[unit]


def parse_allowance_text(text: str) -> float | None:
    """A step's allowance in working days: "2 ngày", "1,5", "4 giờ" (= 0.5 at 8 h a day)."""
    key = fold(text)
    bare = re.fullmatch(r"(\d+(?:[.,]\d+)?)", key)
    if bare:
        return float(bare.group(1).replace(",", "."))
    found = parse_time_limit_text(text)
    if found is None:
        return None
    value, unit = found
    if unit == "working_hours":
        return value / HOURS_PER_WORKING_DAY
    return value if unit in ("working_days", "days") else None


ONLINE_LEVELS = ("Toàn trình", "Một phần", "Không")


def parse_online_level_text(text: str) -> str | None:
    key = fold(text)
    if "toan trinh" in key or re.search(r"\bmuc(?: do)? 4\b", key) or key == "4":
        return "Toàn trình"
    if "mot phan" in key or re.search(r"\bmuc(?: do)? 3\b", key) or key == "3":
        return "Một phần"
    if (key in {"khong", "2", "1", "0", "cung cap thong tin"} or re.search(r"\bmuc(?: do)? [12]\b", key)
            or key.startswith("khong")):
        return "Không"
    return None


def parse_in_force_text(text: str) -> bool | None:
    key = fold(text)
    if key in {"con hieu luc", "hieu luc", "dang hieu luc", "con", "co"} or key.startswith("con hieu luc"):
        return True
    if key in {"da bai bo", "bai bo", "het hieu luc", "da het hieu luc", "khong"} or "bai bo" in key:
        return False
    return None


LEVELS = ("Tỉnh", "Huyện", "Xã")
_LEVEL_WORDS = {"Tỉnh": r"\b(?:tinh|thanh pho truc thuoc trung uong|so|nganh)\b",
                "Huyện": r"\b(?:huyen|quan|thi xa|thanh pho thuoc tinh)\b",
                "Xã": r"\b(?:xa|phuong|thi tran)\b"}


def parse_level_text(text: str) -> str | None:
    """"Cấp tỉnh", "Tỉnh", "Cấp Xã"... -> one of :data:`LEVELS`; several or none -> None.

    A catalog procedure done at several levels ("Cấp Tỉnh, Cấp Huyện") says
    nothing about one agency, so it yields no level rather than a guess.
    """
    key = fold(text)
    for level in LEVELS:
        if key in (fold(level), "cap " + fold(level)):
            return level
    hits = [level for level, words in _LEVEL_WORDS.items() if re.search(words, key)]
    return hits[0] if len(hits) == 1 else None


def parse_int_text(text: str) -> int | None:
    key = fold(text)
    match = re.fullmatch(r"(?:buoc\s*)?(\d{1,9})(?:\.0+)?", key)
    return int(match.group(1)) if match else None


# -- dates ------------------------------------------------------------------

# Fast path: exact, zero-padded forms (format, text length, where the day is)
# parsed by Arrow. Arrow's strptime rolls 31/02 over to 03/03; comparing the
# parsed day with the written one catches that and sends the cell to the
# careful path, which calls it a day that does not exist.
_FAST_FORMATS = (
    ("%d/%m/%Y %H:%M:%S", 19, 0),
    ("%d/%m/%Y %H:%M", 16, 0),
    ("%d/%m/%Y", 10, 0),
    ("%Y-%m-%d %H:%M:%S", 19, 8),
    ("%Y-%m-%d", 10, 8),
    # The national sync's compact form, yyyyMMddHHmmss (and yyyyMMdd).
    ("%Y%m%d%H%M%S", 14, 6),
    ("%Y%m%d", 8, 6),
)
# Careful path (RE2 syntax, run by Arrow): looser forms split into parts.
_DATE_PATTERNS = (
    # d/m/yyyy [H:MM[:SS]]  (also with - or . between the parts)
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"(?:[ T,]+(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$",
    # yyyy-m-d [H:MM[:SS]]
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?$",
    # H:MM[:SS] d/m/yyyy (some one-stop software prints the time first)
    r"^(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::(?P<S>\d{2}))?[ ,]+"
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$",
)
_PARTS = {"y": "year", "m": "month", "d": "day", "H": "hour", "M": "minute", "S": "second"}


def _careful_dates(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Split the cells the fast path did not take into parts; few in real exports."""
    n = len(arr)
    parts = {name: np.full(n, -1, dtype=np.int64) for name in _PARTS.values()}
    matched = np.zeros(n, dtype=bool)
    for pattern in _DATE_PATTERNS:
        found = pc.extract_regex(arr, pattern)
        hit = np.asarray(pc.is_valid(found).to_numpy(zero_copy_only=False), dtype=bool) & ~matched
        if not hit.any():
            continue
        for key, name in _PARTS.items():
            text = pc.struct_field(found, key)
            text = pc.if_else(pc.equal(text, ""), "0", text)
            numbers = pc.cast(pc.fill_null(text, "0"), pa.int64()).to_numpy(zero_copy_only=False)
            parts[name][hit] = numbers[hit]
        matched |= hit
    years = parts["year"]
    # pandas rolls 25:00 over to the next day; a clock reading past 23:59:59 is no time.
    clock_ok = (parts["hour"] <= 23) & (parts["minute"] <= 59) & (parts["second"] <= 59)
    keep = matched & (years >= MIN_YEAR) & (years <= MAX_YEAR) & clock_ok
    table = pd.DataFrame({name: np.where(keep, values, 1 if name in ("year", "month", "day") else 0)
                          for name, values in parts.items()})
    table.loc[~keep, "year"] = 2000  # placeholder, masked out below
    stamps = pd.to_datetime(table, errors="coerce").to_numpy(dtype="datetime64[us]").copy()
    stamps[~keep] = np.datetime64("NaT")
    state = np.where(~matched, DATE_NOT_A_DATE, np.where(keep & ~np.isnat(stamps), DATE_OK, DATE_INVALID))
    return stamps, state.astype(np.int8)


def _text_dates(strings: np.ndarray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(strings)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    state = np.zeros(n, dtype=np.int8)
    if not n:
        return values, state
    if not isinstance(strings, pa.Array):
        strings = pa.array(strings, type=pa.string(), from_pandas=True)
    arr = pc.utf8_trim_whitespace(strings)
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    todo = np.asarray(pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)
    lengths = pc.utf8_length(arr).to_numpy(zero_copy_only=False)
    for fmt, length, day_at in _FAST_FORMATS:
        idx = np.flatnonzero(todo & (lengths == length))
        if not len(idx):
            continue
        sub = arr.take(pa.array(idx))
        parsed = pc.strptime(sub, format=fmt, unit="s", error_is_null=True)
        # Only cells that parsed have digits where the day is written: "Đang xử lý"
        # and "ab/cd/2026" are ten characters long too, and do not cast.
        written = pc.if_else(pc.is_valid(parsed), pc.utf8_slice_codeunits(sub, day_at, day_at + 2),
                             pa.scalar(None, pa.string()))
        written = pc.if_else(pc.match_substring_regex(written, r"^\d\d$"), written, pa.scalar(None, pa.string()))
        written_day = pc.cast(written, pa.int64(), safe=False)
        same = pc.fill_null(pc.equal(pc.day(parsed), written_day), False)
        ok = np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)
        if ok.any():
            values[idx[ok]] = parsed.filter(same).to_numpy(zero_copy_only=False).astype("datetime64[us]")
            todo[idx[ok]] = False
    idx = np.flatnonzero(todo)
    if len(idx):
        values[idx], state[idx] = _careful_dates(_clean_arrow(arr.take(pa.array(idx))))
    years = values.astype("datetime64[Y]").astype(np.int64) + 1970
    out_of_range = ~np.isnat(values) & ((years < MIN_YEAR) | (years > MAX_YEAR))
    values[out_of_range] = np.datetime64("NaT")
    state[out_of_range] = DATE_INVALID
    return values, state


def parse_dates(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parse a date column, day first, never month first.

    Accepts Excel date cells (``datetime``/``date``), Excel serial numbers
    (numeric cells between 1900 and 2100), ``dd/mm/yyyy``,
    ``dd/mm/yyyy HH:MM[:SS]``, ``HH:MM[:SS] dd/mm/yyyy`` and ISO
    ``yyyy-mm-dd[ HH:MM:SS]``.

    Returns:
        ``(values, state)``: ``datetime64[us]`` values (NaT when empty or
        bad) and per cell :data:`DATE_OK`, :data:`DATE_NOT_A_DATE` or
        :data:`DATE_INVALID`.
    """
    if isinstance(raw, pa.Array):  # a sheet read into Arrow: every cell is text
        return _text_dates(raw.cast(pa.string()))
    raw = np.asarray(raw, dtype=object)
    n = len(raw)
    values = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    state = np.zeros(n, dtype=np.int8)
    if not n:
        return values, state
    try:  # the common case: every cell is text (or empty)
        strings = pa.array(raw, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        strings = None
    if strings is not None:
        return _text_dates(strings)
    kinds = kinds_of(raw)
    is_str = kinds == KIND_STR
    if is_str.any():
        values[is_str], state[is_str] = _text_dates(raw[is_str])
    is_dt = kinds == KIND_DATE
    if is_dt.any():
        stamps = pd.to_datetime(pd.Series(raw[is_dt], dtype=object), errors="coerce")
        values[is_dt] = stamps.to_numpy(dtype="datetime64[us]")
        years = stamps.dt.year.to_numpy()
        bad = ~((years >= MIN_YEAR) & (years <= MAX_YEAR))
        where = np.flatnonzero(is_dt)[bad]
        values[where] = np.datetime64("NaT")
        state[where] = DATE_INVALID
    is_num = kinds == KIND_NUMBER
    if is_num.any():
        serial = raw[is_num].astype(float)
        # A compact sync date read as a number (20260401083000, 20260401).
        compact = np.isfinite(serial) & (((serial >= 1e13) & (serial < 1e14)) | ((serial >= 1e7) & (serial < 1e8)))
        if compact.any():
            where = np.flatnonzero(is_num)[compact]
            values[where], state[where] = _text_dates(serial[compact].astype(np.int64).astype(str).astype(object))
        ok = np.isfinite(serial) & (serial >= _SERIAL_MIN) & (serial < _SERIAL_MAX + 1)
        micros = np.round(np.where(ok, serial, 0) * 86_400).astype(np.int64) * 1_000_000
        stamps = _EXCEL_EPOCH + micros.astype("timedelta64[us]")
        where = np.flatnonzero(is_num)
        values[where[ok]] = stamps[ok]
        state[where[~ok & ~compact]] = DATE_NOT_A_DATE
    other = (kinds == KIND_BOOL) | (kinds == KIND_OTHER)
    state[other] = DATE_NOT_A_DATE  # time-only cells, durations, booleans
    return values, state
