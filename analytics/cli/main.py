"""``python -m analytics``: the command line, a public contract.

Each subcommand lives with the code it drives; this module only parses and
dispatches. Errors are one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from typing import Callable, Sequence

from analytics.locale import clock

log = logging.getLogger("analytics")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """An error to print as one line, with the exit code to return."""

    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


def parse_iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: {text!r} (định dạng YYYY-MM-DD)") from None


# Each registrar adds one subcommand and sets ``func`` (args -> exit code).
Registrar = Callable[[argparse._SubParsersAction], None]


def _registrars() -> list[Registrar]:
    from analytics.cli import data as commands

    registrars: list[Registrar] = list(commands.REGISTRARS)
    # Feature packages register their own subcommands here, one line each.
    registrars.extend(__import__("analytics.cli.admin", fromlist=["REGISTRARS"]).REGISTRARS)
    registrars.extend(__import__("analytics.cli.pack", fromlist=["REGISTRARS"]).REGISTRARS)
    registrars.extend(__import__("analytics.cli.agencies", fromlist=["REGISTRARS"]).REGISTRARS)
    registrars.append(__import__("analytics.cli.remind", fromlist=["register"]).register)
    return registrars


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Chỉ số cải cách hành chính từ dữ liệu một cửa điện tử.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _registrars():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        clock.check_environment()  # a bad MOTCUA_TODAY is a usage error, before anything runs
    except clock.ClockError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: not an error of ours.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
