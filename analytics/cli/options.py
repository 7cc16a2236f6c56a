"""What the commands of ``python -m analytics`` share: exit codes, the one
error type, the options every command spells the same way (``--db``,
``--format``, the period and filters) and the output helpers.

The command modules (data, admin, pack, remind) import this module;
:mod:`analytics.cli.main` imports the command modules. Nothing here imports
either, so the dependencies point one way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from analytics.indicators.engine import AgencyNotFound, Engine
from analytics.indicators.filters import ATTRIBUTION_CURRENT, ATTRIBUTIONS, CHANNELS, FilterError, Filters
from analytics.reminders.settings import load_settings
from analytics.store.database import AnalyticsStore, StoreError
from analytics.store.ops import OpsStore, default_ops_path

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

# What each command module's ``register`` receives from ``main``.
Subparsers = argparse._SubParsersAction


class CommandError(Exception):
    """An error to print as one line, with the exit code to return."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


# -- options ----------------------------------------------------------------------

def parse_iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (định dạng YYYY-MM-DD)") from None


def add_db(p: argparse.ArgumentParser, required: bool = True) -> None:
    """``--db PATH``: the analytics database every data command reads
    (optional where another source may be given instead, e.g. ``--parquet``)."""
    p.add_argument("--db", required=required, help="đường dẫn tệp cơ sở dữ liệu DuckDB")


def add_format(p: argparse.ArgumentParser, default: str = "table") -> None:
    """``--format DEFAULT|json``: for people (the default) or for programs."""
    p.add_argument("--format", choices=(default, "json"), default=default)


def add_filter_arguments(p: argparse.ArgumentParser, db_required: bool = True) -> None:
    """The period and filter options shared by every reporting command."""
    add_db(p, required=db_required)
    p.add_argument("--from", dest="date_from", required=True, type=parse_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, type=parse_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--agency", help="cơ quan/đơn vị (không phân biệt hoa thường, dấu)")
    p.add_argument("--field", help="lĩnh vực")
    p.add_argument("--channel", choices=CHANNELS)
    p.add_argument("--procedure", help="mã TTHC")
    p.add_argument("--level", dest="agency_level", help="cấp đơn vị: Tỉnh, Xã; Huyện cho kỳ trước 01/07/2025")
    p.add_argument("--attribution", choices=ATTRIBUTIONS, default=ATTRIBUTION_CURRENT,
                   help="tính hồ sơ theo đơn vị hiện nay (current, mặc định: theo kế thừa từ 01/07/2025) "
                        "hay theo đơn vị đã xử lý (recorded)")


# -- opening the database ---------------------------------------------------------

def open_store(db: str) -> AnalyticsStore:
    """The analytics database at ``db``, upgraded if an older version wrote it."""
    store = AnalyticsStore(db)
    if not store.exists():
        raise CommandError(f"không tìm thấy cơ sở dữ liệu {db}")
    try:
        store.upgrade_derived()  # a database written by an older version
    except StoreError as exc:
        raise CommandError(str(exc)) from exc
    return store


def open_engine(db: str) -> Engine:
    store = open_store(db)
    try:
        return Engine(store.reader())
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def resolve_agency(engine: Engine, name: str | None) -> str | None:
    """The agency as the database spells it (case and diacritics ignored); exit 2 if none matches."""
    if not name:
        return None
    try:
        return engine.resolve_agency(name)
    except AgencyNotFound as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


def filters_from_args(engine: Engine, args: argparse.Namespace) -> Filters:
    """Filters from the command line, with the agency name resolved."""
    agency = resolve_agency(engine, args.agency)
    try:
        return Filters(
            date_from=args.date_from,
            date_to=args.date_to,
            agency=agency,
            field=args.field,
            channel=args.channel,
            procedure=args.procedure,
            agency_level=args.agency_level,
            attribution=args.attribution,
        )
    except FilterError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


# -- output -----------------------------------------------------------------------

UNIT_HELP = "tên đơn vị báo cáo (mặc định: tên cơ quan đặt trong thiết lập office_name)"


def unit_name(args: argparse.Namespace) -> str | None:
    """``--unit``, else the office's name set once in the settings (the
    ``office_name`` setting of the operational store beside the database, as
    the dashboard uses it). A database with no operational store yet gets
    none: the command does not create one."""
    if args.unit:
        return args.unit
    path = default_ops_path(args.db)
    if not path.is_file():
        return None
    return load_settings(OpsStore(path)).office_name.strip() or None


def checked_out(path: str, suffix: str) -> Path:
    """The output path, refused (exit 2) unless it has the expected suffix."""
    out = Path(path)
    if out.suffix.lower() != suffix:
        raise CommandError(f"tệp kết quả phải có đuôi {suffix}: {out}", EXIT_USAGE)
    return out


def write_output(out: Path, data: bytes) -> None:
    """Write ``data`` beside ``out`` and rename it into place (never a half-written file)."""
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)


def iso_dates(value: Any) -> Any:
    """A ``json`` default that writes dates as ISO text and refuses anything else."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any, *, default: Callable[[Any], Any] | None = None) -> None:
    """``data`` as indented JSON on stdout (UTF-8 text as it is), then a newline."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=default)
    sys.stdout.write("\n")
