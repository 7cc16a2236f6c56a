"""``python -m analytics agencies list|aliases|merge|set|lineage|propose|successor|confirm|split|rename``.

Real lists spell one office several ways; each agency is one unit and every
spelling seen or merged names it (analytics/store/agency_names.py,
docs/IMPORT.md "Tên đơn vị"). ``merge`` makes two agencies one, for past
data and future imports alike, and records it in the audit log; ``rename``
gives a unit a new name, keeping its id, its spellings and its lineage
(users' scopes and contacts refer to it by id and follow).

Units of the two-tier local government (analytics/store/units.py): ``set``
corrects a unit's level, kind, parent or dates; ``propose`` proposes the
successors of old communes (the shipped mapping of 1/7/2025) and district
offices (from their names); ``successor`` sets a unit's successors (the
first takes its dossiers) and ``confirm`` accepts a proposal; ``lineage``
lists them; ``split`` makes a name two units, the old one until a date and
the one of today from it. Each change is recorded in the audit log.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta

from analytics.access import agency_merge, unit_changes
from analytics.access.audit import cli_actor
from analytics.cli.options import (
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_db,
    add_format,
    open_engine,
    parse_iso_date,
)
from analytics.indicators.engine import AgencyNotFound, Engine
from analytics.store import agency_names, units
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
    renamed = actions.add_parser("rename", help="đổi tên một đơn vị (giữ mã đơn vị, các cách viết cũ và kế thừa)")
    renamed.add_argument("unit", help="tên đơn vị hiện tại (cách viết nào cũng được)")
    renamed.add_argument("new_name", help="tên mới")
    add_db(renamed)
    unit = actions.add_parser("set", help="sửa cấp, loại, đơn vị cấp trên hoặc thời gian tồn tại của một đơn vị")
    unit.add_argument("unit", help="tên đơn vị (cách viết nào cũng được)")
    unit.add_argument("--level", choices=units.LEVELS, help="cấp: Tỉnh, Xã; Huyện cho đơn vị cấp huyện trước đây")
    unit.add_argument("--kind", choices=units.KINDS,
                      help="vertical: cơ quan ngành dọc (thuế, BHXH, công an, kho bạc); local: chính quyền địa phương")
    unit.add_argument("--parent", help="đơn vị cấp trên")
    unit.add_argument("--valid-from", type=parse_iso_date, metavar="YYYY-MM-DD", help="ngày bắt đầu hoạt động")
    unit.add_argument("--valid-to", type=parse_iso_date, metavar="YYYY-MM-DD", help="ngày thôi hoạt động")
    unit.add_argument("--code", help="mã đơn vị (hồ sơ mang mã này thuộc đơn vị này)")
    add_db(unit)
    listing = actions.add_parser("lineage", help="liệt kê đơn vị kế thừa (đã xác nhận và đề xuất)")
    add_db(listing)
    add_format(listing)
    propose = actions.add_parser("propose", help="đề xuất đơn vị kế thừa: xã theo bảng đối chiếu 01/07/2025, "
                                                  "phòng ban cấp huyện theo tên")
    propose.add_argument("--province", required=True, help="tỉnh của văn phòng (tên sau hoặc trước sắp xếp)")
    add_db(propose)
    successor = actions.add_parser("successor", help="đặt đơn vị kế thừa của UNIT (đơn vị đầu tiên nhận hồ sơ)")
    successor.add_argument("unit", help="đơn vị cũ")
    successor.add_argument("successors", nargs="*", help="các đơn vị kế thừa; bỏ trống để xóa kế thừa")
    successor.add_argument("--on", dest="effective_on", type=parse_iso_date, default=units.REFORM_DATE,
                           metavar="YYYY-MM-DD", help="ngày kế thừa (mặc định 2025-07-01)")
    add_db(successor)
    confirm = actions.add_parser("confirm", help="xác nhận đề xuất kế thừa của UNIT")
    confirm.add_argument("unit", help="đơn vị cũ")
    add_db(confirm)
    split = actions.add_parser("split", help="tách UNIT thành hai đơn vị cùng tên: đơn vị cũ đến trước ngày --on "
                                             "(tên thêm “(đến …)”) và đơn vị hiện nay từ ngày đó")
    split.add_argument("unit", help="tên đơn vị (đơn vị hiện nay giữ tên này)")
    split.add_argument("--on", dest="effective_on", type=parse_iso_date, default=units.REFORM_DATE,
                       metavar="YYYY-MM-DD", help="ngày đơn vị hiện nay bắt đầu (mặc định 2025-07-01)")
    split.add_argument("--old-code", help="mã của đơn vị cũ, nếu tệp xuất có mã")
    add_db(split)
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
    if args.agencies_action == "lineage":
        _print(units.lineage(engine.con), args.format,
               ("unit_id", "name", "level", "successor_unit_id", "successor", "effective_on", "rank",
                "source", "confirmed", "note"))
        return 0
    if args.agencies_action in ("set", "propose", "successor", "confirm", "split", "rename"):
        return _change_units(args, engine)
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



def _resolved(engine: Engine, name: str) -> str:
    try:
        return engine.resolve_agency(name)
    except AgencyNotFound as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc


def _change_units(args: argparse.Namespace, engine: Engine) -> int:
    """One write of the analytics database and its audit entry (analytics/access/unit_changes.py)."""
    store, ops, actor = AnalyticsStore(args.db), OpsStore.beside(args.db), cli_actor()
    try:
        if args.agencies_action == "propose":
            counts = unit_changes.propose(store, args.province, ops=ops, actor=actor)
            print(f"Đề xuất kế thừa: {counts['communes']} xã theo bảng đối chiếu (đã áp dụng), "
                  f"{counts['ambiguous']} xã trùng tên cần xác nhận, {counts['offices']} phòng ban cấp huyện "
                  f"cần xác nhận, {counts['created']} xã mới thêm vào danh sách đơn vị, "
                  f"{counts['namesakes']} xã cũ trùng tên xã mới tách thành hai đơn vị.")
            return 0
        target = _resolved(engine, args.unit)
        if args.agencies_action == "set":
            values = units.UnitValues(level=args.level, kind=args.kind, parent=args.parent,
                                      valid_from=args.valid_from, valid_to=args.valid_to, code=args.code)
            unit_changes.set_unit(store, target, values, ops=ops, actor=actor)
            print(f"Đã sửa đơn vị '{target}'.")
        elif args.agencies_action == "successor":
            named = [_resolved(engine, n) for n in args.successors]
            unit_changes.set_successors(store, target, named, args.effective_on, ops=ops, actor=actor)
            print(f"Đơn vị kế thừa của '{target}' từ {args.effective_on:%d/%m/%Y}: "
                  f"{'; '.join(named) or '(không có)'}.")
        elif args.agencies_action == "split":
            old = unit_changes.split(store, target, args.effective_on, args.old_code, ops=ops, actor=actor)
            print(f"Đã tách: '{old}' nhận hồ sơ đến {args.effective_on - timedelta(days=1):%d/%m/%Y}, "
                  f"'{target}' từ {args.effective_on:%d/%m/%Y} (kế thừa: agencies lineage).")
        elif args.agencies_action == "rename":
            unit_id = unit_changes.rename(store, target, args.new_name, ops=ops, actor=actor)
            print(f"Đã đổi tên đơn vị '{target}' (mã đơn vị {unit_id}) thành '{' '.join(args.new_name.split())}'.")
        else:
            unit_changes.confirm(store, target, ops=ops, actor=actor)
            print(f"Đã xác nhận kế thừa của '{target}'.")
    except units.UnitError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    return 0
