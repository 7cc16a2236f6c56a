"""The core subcommands: demo, import, indicators, report06."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from analytics.cli.main import EXIT_USAGE, CommandError, parse_iso_date
from analytics.indicators.engine import AgencyNotFound, Engine
from analytics.indicators.filters import CHANNELS, FilterError, Filters
from analytics.store.database import AnalyticsStore, StoreError


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, help="đường dẫn tệp cơ sở dữ liệu DuckDB")


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """The period and filter options shared by every reporting command."""
    _add_db(p)
    p.add_argument("--from", dest="date_from", required=True, type=parse_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, type=parse_iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--agency", help="cơ quan/đơn vị (không phân biệt hoa thường, dấu)")
    p.add_argument("--field", help="lĩnh vực")
    p.add_argument("--channel", choices=CHANNELS)
    p.add_argument("--procedure", help="mã TTHC")
    p.add_argument("--level", dest="agency_level", help="cấp đơn vị: Tỉnh, Huyện, Xã")


def open_engine(db: str) -> Engine:
    store = AnalyticsStore(db)
    if not store.exists():
        raise CommandError(f"không tìm thấy cơ sở dữ liệu {db}")
    try:
        store.upgrade_derived()  # a database written by an older version
        return Engine(store.reader())
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def filters_from_args(engine: Engine, args: argparse.Namespace) -> Filters:
    """Filters from the command line, with the agency name resolved."""
    try:
        agency = engine.resolve_agency(args.agency) if args.agency else None
        return Filters(
            date_from=args.date_from,
            date_to=args.date_to,
            agency=agency,
            field=args.field,
            channel=args.channel,
            procedure=args.procedure,
            agency_level=args.agency_level,
        )
    except (AgencyNotFound, FilterError) as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


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


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


# -- demo ---------------------------------------------------------------------
def _register_demo(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu (một huyện, 5 năm)")
    _add_db(p)
    p.add_argument("--as-of", type=parse_iso_date, default=None, help="ngày số liệu (mặc định: hôm nay)")
    p.set_defaults(func=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from analytics.demo.generator import build_demo

    counts = build_demo(args.db, as_of=args.as_of)
    print(f"Đã tạo cơ sở dữ liệu mẫu {args.db}: "
          + ", ".join(f"{k} {counts[k]:,}".replace(",", ".") for k in ("agencies", "procedures", "dossiers", "steps")))
    if counts["contacts_added"]:
        print(f"Đã thêm {counts['contacts_added']} liên hệ mẫu (cán bộ và lãnh đạo hư cấu; số điện thoại đầu "
              "0500 và email .invalid không tới được ai) để xem thử nhắc việc: remind preview --db …")
    else:
        print(f"Giữ nguyên danh bạ nhắc việc hiện có ({counts['contacts_kept']} liên hệ); không thêm liên hệ mẫu.")
    return 0


# -- import -------------------------------------------------------------------
def _register_import(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="nhập tệp xuất từ phần mềm một cửa (.xlsx, .csv)")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_db(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--remember-layout", action="store_true",
                   help="lưu bố cục của tệp làm mẫu: tệp sau cùng bố cục được đọc theo mẫu này")
    p.set_defaults(func=_run_import)
    a = sub.add_parser("procedure-attach", help="gắn một tên thủ tục chưa có trong danh mục vào mã TTHC")
    a.add_argument("name", metavar="TÊN_THỦ_TỤC")
    a.add_argument("code", metavar="MÃ_TTHC")
    _add_db(a)
    a.set_defaults(func=_run_procedure_attach)


def _run_import(args: argparse.Namespace) -> int:
    from analytics.ingest.importer import run_import_command

    return run_import_command(args.files, args.db, args.format, remember_layout=args.remember_layout)


def _run_procedure_attach(args: argparse.Namespace) -> int:
    from analytics.ingest.importer import run_attach_command

    return run_attach_command(args.name, args.code, args.db)


# -- indicators -----------------------------------------------------------------
def _register_indicators(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("indicators", help="tính các chỉ số cho một kỳ")
    add_filter_arguments(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=_run_indicators)


def _run_indicators(args: argparse.Namespace) -> int:
    engine = open_engine(args.db)
    result = engine.indicators(filters_from_args(engine, args))
    if args.format == "json":
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
        sys.stdout.write("\n")
    else:
        from analytics.reports.textreport import indicators_table

        sys.stdout.write(indicators_table(result))
    return 0


# -- report06 -------------------------------------------------------------------
def _register_report06(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report06", help="xuất Biểu số 06/VPCP/KSTT (.xlsx)")
    add_filter_arguments(p)
    p.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    p.add_argument("--unit", help="tên đơn vị báo cáo")
    p.set_defaults(func=_run_report06)


def _run_report06(args: argparse.Namespace) -> int:
    from analytics.reports.report06 import build_report06_xlsx

    out = checked_out(args.out, ".xlsx")
    engine = open_engine(args.db)
    filters = filters_from_args(engine, args)
    write_output(out, build_report06_xlsx(engine, filters, unit_name=args.unit))
    print(f"Đã ghi {out}")
    return 0


REGISTRARS = (_register_demo, _register_import, _register_indicators, _register_report06)
