"""``python -m analytics agencies list|aliases|merge``: names of the same agency.

Real lists spell one office several ways; each agency is one unit and every
spelling seen or merged names it (analytics/store/agency_names.py,
docs/IMPORT.md "Tên đơn vị"). ``merge`` makes two agencies one, for past
data and future imports alike, and records it in the audit log.
"""

from __future__ import annotations

import argparse
import json

from analytics.access import agency_merge
from analytics.access.audit import cli_actor
from analytics.cli.options import (
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_db,
    add_format,
    open_engine,
)
from analytics.indicators.engine import AgencyNotFound
from analytics.store import agency_names
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore


def register(sub: Subparsers) -> None:
    p = sub.add_parser("agencies", help="tên đơn vị: liệt kê, các cách viết, gộp hai đơn vị là một")
    actions = p.add_subparsers(dest="agencies_action", required=True, metavar="ACTION")
    for name, text in (("list", "liệt kê đơn vị, mã đơn vị và các cách viết tên"),
                       ("aliases", "liệt kê mọi cách viết tên và đơn vị mà nó chỉ")):
        q = actions.add_parser(name, help=text)
        add_db(q)
        add_format(q)
    merge = actions.add_parser("merge", help="gộp đơn vị SOURCE vào TARGET (mọi hồ sơ, phạm vi, danh bạ theo TARGET)")
    merge.add_argument("source", help="tên đơn vị bị gộp (cách viết nào cũng được)")
    merge.add_argument("target", help="tên đơn vị giữ lại")
    add_db(merge)
    p.set_defaults(func=_run_agencies)


def _print(rows: list[dict], fmt: str, columns: tuple[str, ...]) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    print("\t".join(columns))
    for row in rows:
        print("\t".join("; ".join(v) if isinstance(v, list) else ("" if v is None else str(v))
                        for v in (row[c] for c in columns)))


def _run_agencies(args: argparse.Namespace) -> int:
    engine = open_engine(args.db)
    if args.agencies_action == "list":
        _print(agency_names.list_units(engine.con), args.format,
               ("unit_id", "name", "level", "dossiers", "spellings"))
        return 0
    if args.agencies_action == "aliases":
        _print(agency_names.list_aliases(engine.con), args.format,
               ("alias_key", "spelling", "unit_id", "name", "former_unit_id", "merged_at"))
        return 0
    try:
        source, target = engine.resolve_agency(args.source), engine.resolve_agency(args.target)
    except AgencyNotFound as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    try:
        result = agency_merge.merge(AnalyticsStore(args.db), source, target,
                                    ops=OpsStore.beside(args.db), actor=cli_actor())
    except agency_merge.AgencyMergeError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    print(f"Đã gộp '{result.source}' vào '{result.target}' (mã đơn vị {result.target_unit}): "
          f"{result.dossiers} hồ sơ, {result.steps} bước, {result.users} tài khoản, "
          f"{result.contacts} liên hệ nhắc việc, {result.leaders} lãnh đạo phụ trách.")
    return 0

