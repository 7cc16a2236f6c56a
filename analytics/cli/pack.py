"""The meeting-pack subcommands: ``deck`` (.pptx) and ``report`` (.docx, optional .pdf).

Building the command-line parser does not import :mod:`analytics.reports.deck`
and :mod:`analytics.reports.docreport`: they bring python-pptx, python-docx and
pandas (about 2 s), imported when one of these commands runs.
"""

from __future__ import annotations

import argparse

from analytics.cli.options import (
    UNIT_HELP,
    CommandError,
    Subparsers,
    add_filter_arguments,
    checked_out,
    filters_from_args,
    open_engine,
    unit_name,
    write_output,
)


def _register_deck(sub: Subparsers) -> None:
    p = sub.add_parser("deck", help="xuất bộ trình chiếu cho cuộc họp (.pptx)")
    add_filter_arguments(p)
    p.add_argument("--out", required=True, help="tệp .pptx sẽ ghi")
    p.add_argument("--unit", help=UNIT_HELP)
    p.set_defaults(func=_run_deck)


def _run_deck(args: argparse.Namespace) -> int:
    # python-pptx and pandas load only when this command runs (module docstring).
    from analytics.reports.deck import build_deck

    out = checked_out(args.out, ".pptx")
    engine = open_engine(args.db)
    filters = filters_from_args(engine, args)
    write_output(out, build_deck(engine, filters, unit_name=unit_name(args)))
    print(f"Đã ghi {out}")
    return 0


def _register_report(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="xuất dự thảo báo cáo (.docx, tùy chọn thêm .pdf)")
    add_filter_arguments(p)
    p.add_argument("--out", required=True, help="tệp .docx sẽ ghi")
    p.add_argument("--pdf", action="store_true",
                   help="ghi thêm tệp .pdf cùng tên (cần LibreOffice cài trên máy)")
    p.add_argument("--unit", help=UNIT_HELP)
    p.set_defaults(func=_run_report)


def _run_report(args: argparse.Namespace) -> int:
    # python-docx and pandas load only when this command runs (module docstring).
    from analytics.reports.docreport import (
        PdfUnavailable,
        build_report_docx,
        convert_to_pdf,
    )

    out = checked_out(args.out, ".docx")
    engine = open_engine(args.db)
    filters = filters_from_args(engine, args)
    data = build_report_docx(engine, filters, unit_name=unit_name(args))
    write_output(out, data)
    print(f"Đã ghi {out}")
    if args.pdf:
        try:
            pdf = convert_to_pdf(data)
        except PdfUnavailable as exc:
            # The .docx is written; only the optional PDF failed.
            raise CommandError(str(exc)) from exc
        pdf_path = out.with_suffix(".pdf")
        write_output(pdf_path, pdf)
        print(f"Đã ghi {pdf_path}")
    return 0


def register(sub: Subparsers) -> None:
    """Add deck and report to the main parser."""
    _register_deck(sub)
    _register_report(sub)
