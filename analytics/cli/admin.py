"""Administration subcommands of ``python -m analytics``.

users, audit, inbox, undo, snapshots, backup, restore, export-parquet. Each
registrar adds one subcommand; :func:`register` adds them all.
"""

from __future__ import annotations

import argparse
import getpass
import signal
import sys
from datetime import datetime, timezone
from typing import Any

from analytics.access import audit
from analytics.access.auth import Accounts, AuthError
from analytics.cli.options import (
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_db,
    add_format,
    parse_iso_date,
    print_json,
    resolve_agency,
)
from analytics.indicators.engine import Engine
from analytics.locale.clock import OFFICE_TZ
from analytics.recovery.backup import (
    BackupError,
    UndoError,
    backup,
    import_history,
    list_snapshots,
    restore,
    undo_import,
)
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsError, OpsStore
from analytics.store.parquet import ParquetError, export_parquet
from analytics.store.unit_refs import UnitRegistry


def _ops(db: str) -> OpsStore:
    return OpsStore.beside(db)


def local_time(iso: str | None) -> str:
    """UTC ISO text as Vietnam time dd/mm/yyyy HH:MM (Vietnam has no DST)."""
    if not iso:
        return ""
    value = datetime.fromisoformat(iso)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(OFFICE_TZ).strftime("%d/%m/%Y %H:%M")


# -- users ----------------------------------------------------------------------
def _register_users(sub: Subparsers) -> None:
    p = sub.add_parser("users", help="tài khoản đăng nhập: thêm, khóa, mở, đặt lại mật khẩu, liệt kê")
    actions = p.add_subparsers(dest="users_action", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="thêm tài khoản")
    add.add_argument("username")
    add_db(add)
    add.add_argument("--role", required=True, choices=("leader", "reform_officer", "agency_officer", "admin"))
    add.add_argument("--agency", help="đơn vị (bắt buộc với agency_officer)")
    add.add_argument("--name", dest="display_name", help="họ tên hiển thị")
    add.add_argument("--email", help="thư điện tử công vụ (để khớp đăng nhập OIDC)")
    pw = add.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")
    pw.add_argument("--no-password", action="store_true",
                    help="không có mật khẩu cục bộ: chỉ đăng nhập qua OIDC")

    for name, text in (("disable", "khóa tài khoản (không đăng nhập được)"),
                       ("enable", "mở lại tài khoản (xóa cả khóa tạm thời)")):
        q = actions.add_parser(name, help=text)
        q.add_argument("username")
        add_db(q)

    reset = actions.add_parser("reset-password", help="đặt lại mật khẩu (xóa khóa tạm thời)")
    reset.add_argument("username")
    add_db(reset)
    reset.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")

    update = actions.add_parser("update", help="đổi vai trò, đơn vị, họ tên, thư điện tử")
    update.add_argument("username")
    add_db(update)
    update.add_argument("--role", choices=("leader", "reform_officer", "agency_officer", "admin"))
    update.add_argument("--agency")
    update.add_argument("--name", dest="display_name")
    update.add_argument("--email")

    lst = actions.add_parser("list", help="liệt kê tài khoản")
    add_db(lst)
    add_format(lst)
    p.set_defaults(func=_run_users)


def _read_password(from_stdin: bool) -> str:
    """A new password from stdin (first line) or typed twice at a prompt.

    Never from the command line: arguments are visible to every user of the
    machine (``ps``) and kept in shell history.
    """
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CommandError("không có bàn phím để nhập mật khẩu: dùng --password-stdin", EXIT_USAGE)
    first = getpass.getpass("Mật khẩu mới: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise CommandError("hai lần nhập mật khẩu không khớp", EXIT_USAGE)
    return first


def _canonical_agency(db: str, agency: str | None) -> str | None:
    """The agency as the analytics database spells it (when the database exists)."""
    if not agency:
        return agency
    store = AnalyticsStore(db)
    if not store.exists():
        return agency
    return resolve_agency(Engine(store.reader()), agency)


def _user_row(u) -> dict[str, Any]:
    return {"username": u.username, "display_name": u.display_name, "role": u.role,
            "agency": u.agency, "email": u.email, "disabled": u.disabled,
            "locked_until": u.locked_until, "last_sign_in_at": u.last_sign_in_at,
            "local_password": u.has_password}


def _run_users(args: argparse.Namespace) -> int:
    # Accounts refer to units by id: read and written against the database's units.
    accounts = Accounts(_ops(args.db), units=UnitRegistry(args.db))
    actor = audit.cli_actor()
    try:
        if args.users_action == "add":
            password = None if args.no_password else _read_password(args.password_stdin)
            user = accounts.add(
                args.username, display_name=args.display_name or args.username, role=args.role,
                agency=_canonical_agency(args.db, args.agency), email=args.email,
                password=password, actor=actor,
            )
            print(f"Đã thêm tài khoản {user.username} ({user.role_label}"
                  + (f", {user.agency}" if user.agency else "") + ")")
        elif args.users_action in ("disable", "enable"):
            user = accounts.set_disabled(args.username, args.users_action == "disable", actor=actor)
            print(f"Đã {'khóa' if user.disabled else 'mở'} tài khoản {user.username}")
        elif args.users_action == "reset-password":
            if accounts.get(args.username) is None:
                raise AuthError(f"Không có tài khoản {args.username}")
            user = accounts.set_password(args.username, _read_password(args.password_stdin), actor=actor)
            print(f"Đã đặt lại mật khẩu của {user.username}")
        elif args.users_action == "update":
            user = accounts.update(
                args.username, actor=actor, display_name=args.display_name, role=args.role,
                agency=_canonical_agency(args.db, args.agency), email=args.email,
            )
            print(f"Đã cập nhật tài khoản {user.username} ({user.role_label}"
                  + (f", {user.agency}" if user.agency else "") + ")")
        else:
            users = accounts.list()
            if args.format == "json":
                print_json([_user_row(u) for u in users])
            else:
                print(_users_table(users))
    except AuthError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    except OpsError as exc:  # a full disk, an unreadable store: one line, not a traceback
        raise CommandError(str(exc)) from exc
    return 0


def _users_table(users) -> str:
    if not users:
        return "Chưa có tài khoản nào."
    rows = [("Tên đăng nhập", "Họ tên", "Vai trò", "Đơn vị", "Trạng thái", "Đăng nhập lần cuối")]
    for u in users:
        state = "đã khóa" if u.disabled else (f"tạm khóa đến {local_time(u.locked_until)}"
                                               if u.locked_until else "hoạt động")
        rows.append((u.username, u.display_name, u.role_label, u.agency or "(toàn bộ)", state,
                     local_time(u.last_sign_in_at)))
    return _table(rows)


def _table(rows: list[tuple]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# -- audit ----------------------------------------------------------------------
def _register_audit(sub: Subparsers) -> None:
    p = sub.add_parser("audit", help="nhật ký: đăng nhập, nhập dữ liệu, tải xuống, gửi nhắc việc")
    actions = p.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    lst = actions.add_parser("list", help="liệt kê nhật ký, mới nhất trước")
    add_db(lst)
    lst.add_argument("--since", type=parse_iso_date, metavar="YYYY-MM-DD", help="từ ngày (giờ Việt Nam)")
    lst.add_argument("--action", help="chỉ một loại hành động (vd. sign_in_failed)")
    lst.add_argument("--user", dest="actor", help="chỉ một người thực hiện")
    lst.add_argument("--limit", type=int, default=None)
    add_format(lst)
    p.set_defaults(func=_run_audit)


def _run_audit(args: argparse.Namespace) -> int:
    if args.action and args.action not in audit.ACTIONS:
        raise CommandError(f"hành động không hợp lệ: {args.action} ({', '.join(audit.ACTIONS)})", EXIT_USAGE)
    since = (datetime.combine(args.since, datetime.min.time(), tzinfo=OFFICE_TZ) if args.since else None)
    try:
        rows = audit.entries(_ops(args.db), since=since, action=args.action, actor=args.actor,
                             limit=args.limit)
    except OpsError as exc:
        raise CommandError(str(exc)) from exc
    if args.format == "json":
        print_json([e.as_dict() for e in rows])
        return 0
    if not rows:
        print("Nhật ký trống.")
        return 0
    table = [("Thời gian", "Người thực hiện", "Hành động", "Đối tượng", "Mã đơn vị", "Chi tiết")]
    for e in rows:
        detail = ", ".join(f"{k}={v}" for k, v in e.detail.items() if v not in (None, "", []))
        table.append((local_time(e.at), e.actor, e.label, e.target or "",
                      "" if e.unit_id is None else str(e.unit_id), detail))
    print(_table(table))
    return 0


# -- inbox ----------------------------------------------------------------------
def _register_inbox(sub: Subparsers) -> None:
    p = sub.add_parser("inbox", help="theo dõi thư mục: tệp chép vào được nhập rồi chuyển sang imported/ hoặc failed/")
    add_db(p)
    p.add_argument("--dir", required=True, help="thư mục inbox (vd. data/inbox)")
    p.add_argument("--once", action="store_true", help="xử lý các tệp hiện có rồi thoát (cho cron)")
    p.add_argument("--interval", type=float, default=10.0, help="số giây giữa hai lần xem (mặc định 10)")
    p.add_argument("--settle", type=float, default=5.0,
                   help="số giây tệp phải đứng yên mới được nhập (mặc định 5)")
    p.set_defaults(func=_run_inbox)


def _run_inbox(args: argparse.Namespace) -> int:
    # The importer's pandas and pyarrow (about 1 s) load only when this command runs.
    from analytics.ingest.inbox import Inbox, InboxBusy

    inbox = Inbox(args.db, args.dir, settle=args.settle)
    try:
        if args.once:
            result = inbox.run_once()
            print(result.summary())
            return 1 if result.failed else 0
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        print(f"Đang theo dõi {args.dir} (Ctrl+C để dừng)", file=sys.stderr)
        inbox.run_forever(args.interval, should_stop=lambda: bool(stopping),
                          report=lambda r: print(r.summary(), flush=True))
        return 0
    except InboxBusy as exc:
        raise CommandError(str(exc)) from exc


# -- undo and snapshots -----------------------------------------------------------
def _register_undo(sub: Subparsers) -> None:
    p = sub.add_parser("undo", help="hoàn tác một lần nhập (đưa dữ liệu về trạng thái trước lần nhập đó)")
    add_db(p)
    p.add_argument("--import-id", type=int, required=True, metavar="N", help="số lần nhập")
    p.add_argument("--discard-later", action="store_true",
                   help="đồng ý xóa cả các lần nhập sau lần N (được liệt kê khi thiếu tùy chọn này)")
    p.set_defaults(func=_run_undo)


def _run_undo(args: argparse.Namespace) -> int:
    try:
        result = undo_import(args.db, args.import_id, actor=audit.cli_actor(), discard_later=args.discard_later)
    except UndoError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Đã hoàn tác lần nhập số {result.import_id}"
          + (f" và các lần sau: {', '.join(map(str, result.discarded))}" if result.discarded else "")
          + f". Cơ sở dữ liệu còn {result.dossiers:,} hồ sơ.".replace(",", "."))
    return 0


def _register_snapshots(sub: Subparsers) -> None:
    p = sub.add_parser("snapshots", help="liệt kê các bản chụp trạng thái giữ lại để hoàn tác, và lịch sử nhập")
    add_db(p)
    add_format(p)
    p.set_defaults(func=_run_snapshots)


def _run_snapshots(args: argparse.Namespace) -> int:
    if not AnalyticsStore(args.db).exists():
        raise CommandError(f"không tìm thấy cơ sở dữ liệu {args.db}")
    history = import_history(args.db)
    snaps = list_snapshots(args.db)
    if args.format == "json":
        print_json({
            "imports": [{"import_id": e.import_id, "started_at": e.started_at.isoformat() if e.started_at else None,
                         "files": list(e.files), "source": e.source, "dossiers_accepted": e.dossiers_accepted,
                         "undone": e.undone} for e in history],
            "snapshots": [{"file": s.path.name, "taken_at": s.taken_at.isoformat(timespec="seconds"),
                           "data_version": s.data_version, "data_date": s.data_date,
                           "dossiers": s.dossiers, "import_ids": sorted(s.import_ids)} for s in snaps],
        })
        return 0
    print("Các lần nhập:")
    for e in history:
        print(("  [đã hoàn tác] " if e.undone else "  ") + e.describe())
    print(f"\nBản chụp giữ lại ({len(snaps)}):")
    for s in snaps:
        last = max(s.import_ids) if s.import_ids else None
        print(f"  {local_time(s.taken_at.isoformat())}: {s.dossiers:,} hồ sơ".replace(",", ".")
              + (f", sau lần nhập số {last}" if last else ", trước mọi lần nhập"))
    return 0


# -- backup and restore -----------------------------------------------------------
def _register_backup(sub: Subparsers) -> None:
    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu, kho vận hành, tệp loại bỏ và cấu hình (.tar.gz)")
    add_db(p)
    p.add_argument("--out", required=True, help="tệp .tar.gz sẽ ghi")
    p.set_defaults(func=_run_backup)


def _run_backup(args: argparse.Namespace) -> int:
    if not args.out.endswith((".tar.gz", ".tgz")):
        raise CommandError(f"tệp sao lưu phải có đuôi .tar.gz: {args.out}", EXIT_USAGE)
    try:
        result = backup(args.db, args.out, actor=audit.cli_actor())
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    size = result.path.stat().st_size / 2**20
    print(f"Đã sao lưu vào {result.path} ({size:.1f} MiB): {len(result.files)} tệp, "
          + f"{result.dossiers:,} hồ sơ".replace(",", "."))
    return 0


def _register_restore(sub: Subparsers) -> None:
    p = sub.add_parser("restore", help="khôi phục từ bản sao lưu (.tar.gz)")
    p.add_argument("--from", dest="archive", required=True, help="tệp sao lưu .tar.gz")
    add_db(p)
    p.set_defaults(func=_run_restore)


def _run_restore(args: argparse.Namespace) -> int:
    try:
        result = restore(args.archive, args.db, actor=audit.cli_actor())
    except BackupError as exc:
        raise CommandError(str(exc)) from exc
    print(f"Đã khôi phục {result.db} từ {args.archive}: "
          + f"{result.dossiers:,} hồ sơ".replace(",", ".")
          + ("; kho vận hành (tài khoản, danh bạ, nhật ký) đã khôi phục" if result.ops_restored else ""))
    return 0


# -- export-parquet ---------------------------------------------------------------
def _register_export_parquet(sub: Subparsers) -> None:
    p = sub.add_parser("export-parquet",
                       help="xuất các bảng ra Parquet chia theo năm (hive), cho Spark/Trino/ClickHouse")
    add_db(p)
    p.add_argument("--out", required=True, help="thư mục đích")
    p.add_argument("--overwrite", action="store_true", help="thay thư mục đã có (đổi tên nguyên khối)")
    p.add_argument("--memory-limit", default=None, metavar="SIZE",
                   help="giới hạn bộ nhớ của DuckDB khi xuất, ví dụ 4GB (mặc định: 80%% RAM)")
    p.set_defaults(func=_run_export_parquet)


def _run_export_parquet(args: argparse.Namespace) -> int:
    try:
        result = export_parquet(args.db, args.out, overwrite=args.overwrite, memory_limit=args.memory_limit)
    except ParquetError as exc:
        raise CommandError(str(exc)) from exc
    years = f"{result.years[0]}–{result.years[-1]}" if result.years else "không có"
    print(f"Đã xuất {result.out}: " + ", ".join(
        f"{t} {n:,}".replace(",", ".") for t, n in result.rows.items())
        + f"; năm {years}; {result.bytes / 2**20:.1f} MiB")
    return 0


def register(sub: Subparsers) -> None:
    """Add the administration commands to the main parser."""
    for add in (_register_users, _register_audit, _register_inbox, _register_undo, _register_snapshots,
                _register_backup, _register_restore, _register_export_parquet):
        add(sub)
