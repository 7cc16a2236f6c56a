"""The core subcommands: demo, import, indicators, report06."""

from __future__ import annotations

import argparse
import sys

from analytics.cli.options import (
    EXIT_USAGE,
    UNIT_HELP,
    CommandError,
    Subparsers,
    add_db,
    add_filter_arguments,
    add_format,
    checked_out,
    filters_from_args,
    iso_dates,
    open_engine,
    parse_iso_date,
    print_json,
    unit_name,
    write_output,
)
from analytics.indicators.engine import Engine
from analytics.indicators.registry import CONVENTION_BIEU06, CONVENTIONS
from analytics.reports.textreport import indicators_table
from analytics.store.parquet import ParquetError, connect_parquet


# -- demo ---------------------------------------------------------------------
def _register_demo(sub: Subparsers) -> None:
    p = sub.add_parser("demo", help="tạo cơ sở dữ liệu mẫu (một phần tỉnh sau sắp xếp, lịch sử từ 01/07/2021)")
    add_db(p)
    p.add_argument("--as-of", type=parse_iso_date, default=None, help="ngày số liệu (mặc định: hôm nay)")
    p.set_defaults(func=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    # numpy, pandas and pyarrow (about 1 s) load only when this command runs.
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
def _register_import(sub: Subparsers) -> None:
    p = sub.add_parser("import", help="nhập tệp xuất từ phần mềm một cửa (.xlsx, .csv)")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_db(p)
    add_format(p, "text")
    p.add_argument("--remember-layout", action="store_true",
                   help="lưu bố cục của tệp làm mẫu: tệp sau cùng bố cục được đọc theo mẫu này")
    p.set_defaults(func=_run_import)
    a = sub.add_parser("procedure-attach", help="gắn một tên thủ tục chưa có trong danh mục vào mã TTHC")
    a.add_argument("name", metavar="TÊN_THỦ_TỤC")
    a.add_argument("code", metavar="MÃ_TTHC")
    add_db(a)
    a.set_defaults(func=_run_procedure_attach)


def _run_import(args: argparse.Namespace) -> int:
    # pandas and pyarrow (about 1 s) load only when this command runs.
    from analytics.ingest.importer import run_import_command

    return run_import_command(args.files, args.db, args.format, remember_layout=args.remember_layout)


def _run_procedure_attach(args: argparse.Namespace) -> int:
    # pandas and pyarrow (about 1 s) load only when this command runs.
    from analytics.ingest.importer import run_attach_command

    return run_attach_command(args.name, args.code, args.db)


# -- indicators -----------------------------------------------------------------
ENGINES = ("duckdb", "spark")


def _register_indicators(sub: Subparsers) -> None:
    p = sub.add_parser("indicators", help="tính các chỉ số cho một kỳ")
    add_filter_arguments(p, db_required=False)
    add_format(p)
    p.add_argument("--engine", choices=ENGINES, default="duckdb",
                   help="máy tính toán: duckdb (mặc định) hoặc spark (cụm Spark, đọc thư mục --parquet)")
    p.add_argument("--parquet", metavar="DIR",
                   help="thư mục xuất Parquet (export-parquet) thay cho --db; bắt buộc với --engine spark")
    p.add_argument("--spark-master", metavar="URL",
                   help="địa chỉ cụm Spark, ví dụ spark://may-chu:7077 "
                        "(mặc định: biến môi trường MOTCUA_SPARK_MASTER, không có thì local[*])")
    p.set_defaults(func=_run_indicators)


def _indicators_engine(args: argparse.Namespace) -> Engine:
    """The engine the options name: DuckDB on --db or --parquet, or Spark on --parquet."""
    if args.engine == "spark":
        if not args.parquet or args.db:
            raise CommandError("--engine spark đọc thư mục --parquet DIR (export-parquet), không đọc --db",
                               EXIT_USAGE)
        # pyspark (and a JVM) load only when Spark is asked for.
        from analytics.indicators.spark import spark_engine

        try:
            return spark_engine(args.parquet, master=args.spark_master)
        except ParquetError as exc:
            raise CommandError(str(exc)) from exc
    if args.spark_master:
        raise CommandError("--spark-master chỉ dùng với --engine spark", EXIT_USAGE)
    if bool(args.db) == bool(args.parquet):
        raise CommandError("cần đúng một nguồn dữ liệu: --db hoặc --parquet", EXIT_USAGE)
    if args.parquet:
        try:
            return Engine(connect_parquet(args.parquet))
        except ParquetError as exc:
            raise CommandError(str(exc)) from exc
    return open_engine(args.db)


def _run_indicators(args: argparse.Namespace) -> int:
    engine = _indicators_engine(args)
    result = engine.indicators(filters_from_args(engine, args))
    if args.format == "json":
        print_json(result, default=iso_dates)
    else:
        sys.stdout.write(indicators_table(result))
    return 0


# -- report06 -------------------------------------------------------------------
def _register_report06(sub: Subparsers) -> None:
    p = sub.add_parser("report06", help="xuất Biểu số 06/VPCP/KSTT (.xlsx)")
    add_filter_arguments(p)
    p.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")
    p.add_argument("--unit", help=UNIT_HELP)
    p.add_argument("--counting", choices=sorted(CONVENTIONS), default=CONVENTION_BIEU06,
                   help="cách đếm: bieu06 (của biểu mẫu, mặc định) hoặc portal766 (của Cổng, Chỉ số 766: "
                        "thời gian chờ bổ sung không tính, bổ sung hơn 1 lần là quá hạn)")
    p.set_defaults(func=_run_report06)


def _run_report06(args: argparse.Namespace) -> int:
    # pandas and xlsxwriter (about 1 s) load only when this command runs.
    from analytics.reports.report06 import build_report06_xlsx

    out = checked_out(args.out, ".xlsx")
    engine = open_engine(args.db)
    filters = filters_from_args(engine, args)
    write_output(out, build_report06_xlsx(engine, filters, unit_name=unit_name(args), counting=args.counting))
    print(f"Đã ghi {out}")
    return 0


def register(sub: Subparsers) -> None:
    """Add demo, import, indicators and report06 to the main parser."""
    for add in (_register_demo, _register_import, _register_indicators, _register_report06):
        add(sub)
