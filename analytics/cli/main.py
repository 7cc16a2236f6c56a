"""``python -m analytics``: the command line, a public contract.

The one entry: this module builds the parser from the command modules
(each has ``register(subparsers)``) and dispatches. Dependencies point one
way: main imports the command modules, they import
:mod:`analytics.cli.options`, and nothing imports main. Errors are one clear
line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from analytics.cli import admin, agencies, data, pack, remind
from analytics.cli.options import EXIT_OK, EXIT_USAGE, CommandError
from analytics.locale import clock

log = logging.getLogger("analytics")

# In the order ``--help`` lists them.
COMMAND_MODULES = (data, admin, pack, agencies, remind)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics",
        description="Chỉ số cải cách hành chính từ dữ liệu một cửa điện tử.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
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
