"""``python -m analytics remind ...``: the reminder commands.

    remind watchlist --db PATH [--as-of DATE] [--agency NAME] [--inter-agency yes|no] [--format table|json]
    remind preview   --db PATH [--as-of DATE] [--recipient NAME] [--unaccented] [--format text|json]
    remind run       --db PATH [--at "YYYY-MM-DD HH:MM"] | [--slot LABEL [--as-of DATE]]
    remind serve     --db PATH [--tick SECONDS]
    remind contacts  import FILE | list | add ... | remove ID
    remind settings  show | set KEY VALUE
    remind log       [--limit N] [--slot SLOT] [--failed]
    remind calendar  [--year YYYY] [--next N]

Every command takes ``--ops PATH`` (default: ``ops.sqlite`` beside ``--db``).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from analytics.access import audit
from analytics.cli.options import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_format,
    open_store,
    parse_iso_date,
    print_json,
    resolve_agency,
)
from analytics.indicators.engine import Engine
from analytics.locale import fmt
from analytics.locale.text import fold
from analytics.locale.workdays import WEEKDAY_NAMES, CalendarError, calendar_with
from analytics.reminders.contacts import (
    ROLE_LABELS,
    ContactBook,
    ContactError,
    ContactFileError,
    add_contact,
    delete_contact,
    import_contacts,
    list_contacts,
)
from analytics.reminders.digest import preview_text
from analytics.reminders.schedule import (
    describe_schedule,
    localize,
    office_now,
    upcoming_slots,
)
from analytics.reminders.send import (
    RESULT_LABELS,
    RunReport,
    prepare_batch,
    run_due,
    run_slot,
    send_history,
    serve,
)
from analytics.reminders.settings import (
    SETTING_NAMES,
    SettingsError,
    load_settings,
    masked_json,
    parse_setting_value,
    update_settings,
)
from analytics.reminders.watchlist import STATE_LABELS, build_watchlist
from analytics.store.database import AnalyticsStore, StoreError
from analytics.store.ops import OpsError, OpsStore, default_ops_path
from analytics.store.unit_refs import UnitRegistry


def _parse_moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"thời điểm không hợp lệ: {text!r} (YYYY-MM-DD HH:MM)") from None


def _add_stores(p: argparse.ArgumentParser, *, db_required: bool) -> None:
    p.add_argument("--db", required=db_required, help="tệp cơ sở dữ liệu phân tích (DuckDB)")
    p.add_argument("--ops", help="kho vận hành SQLite (mặc định: ops.sqlite cạnh --db)")


def _ops(args: argparse.Namespace) -> OpsStore:
    if getattr(args, "ops", None):
        return OpsStore(args.ops)
    if getattr(args, "db", None):
        return OpsStore(default_ops_path(args.db))
    raise CommandError("cần --db hoặc --ops", EXIT_USAGE)


def _store(args: argparse.Namespace) -> AnalyticsStore:
    return open_store(args.db)


def _units(args: argparse.Namespace) -> UnitRegistry | None:
    """The units of --db, which the contacts' unit ids name (None: only --ops given)."""
    return UnitRegistry(args.db) if getattr(args, "db", None) else None


def _json(data: Any) -> None:
    print_json(data, default=str)


def _resolve_agency(store: AnalyticsStore, name: str | None) -> str | None:
    return resolve_agency(Engine(store.reader()), name) if name else None


# -- watchlist / preview --------------------------------------------------------

def _cmd_watchlist(args: argparse.Namespace) -> int:
    store, ops = _store(args), _ops(args)
    settings = load_settings(ops)
    inter = {"yes": True, "no": False, None: None}[args.inter_agency]
    watchlist = build_watchlist(
        store, as_of=args.as_of or office_now(settings).date(),
        near_due_days=settings.near_due_days if args.days is None else args.days,
        agency=_resolve_agency(store, args.agency), inter_agency=inter,
        calendar=calendar_with(settings.calendar),
    )
    leaders = ContactBook.load(ops, UnitRegistry(store)).leader_names()
    if args.format == "json":
        _json({
            "as_of": watchlist.as_of.isoformat(), "cutoff": watchlist.cutoff.isoformat(),
            "near_due_days": watchlist.near_due_days,
            "data_date": watchlist.data_date.isoformat() if watchlist.data_date else None,
            "totals": {"overdue": watchlist.overdue, "near_due": watchlist.near_due},
            "by_handler": [
                {"handler": g.handler, "agency": g.agency, "overdue": g.overdue, "near_due": g.near_due,
                 "codes": g.codes} for g in watchlist.by_handler()
            ],
            "by_agency": [
                {"agency": g.agency, "leaders": list(g.leaders), "overdue": g.overdue,
                 "near_due": g.near_due, "codes": g.codes,
                 "handlers": [{"handler": h.handler, "overdue": h.overdue, "near_due": h.near_due,
                               "codes": h.codes} for h in g.handlers]}
                for g in watchlist.by_agency(leaders)
            ],
            "items": [i.to_dict() for i in watchlist.items],
        })
        return EXIT_OK
    data = fmt.date(watchlist.data_date) if watchlist.data_date else "chưa rõ"
    print(f"Nhắc việc ngày {fmt.date(watchlist.as_of)} (dữ liệu đến {data}; sắp đến hạn: hạn đến "
          f"{fmt.date(watchlist.cutoff)}): {watchlist.overdue} hồ sơ quá hạn, "
          f"{watchlist.near_due} hồ sơ sắp đến hạn.")
    for group in watchlist.by_agency(leaders):
        lead = f" – lãnh đạo: {', '.join(group.leaders)}" if group.leaders else ""
        print(f"\n{group.agency}{lead}: {group.overdue} quá hạn, {group.near_due} sắp đến hạn")
        for h in group.handlers:
            print(f"  {h.label}: {h.overdue} quá hạn, {h.near_due} sắp đến hạn")
            for item in h.items:
                when = (f"trễ {item.days_late} ngày" if item.overdue
                        else f"còn {item.days_left} ngày làm việc")
                flag = " [liên thông]" if item.inter_agency else ""
                print(f"    {STATE_LABELS[item.state]:<12} {item.code}  hạn {fmt.date(item.due_date)}"
                      f"  {when}  {item.procedure_name or item.procedure_code}{flag}")
    return EXIT_OK


def _cmd_preview(args: argparse.Namespace) -> int:
    store, ops = _store(args), _ops(args)
    settings = load_settings(ops)
    as_of = args.as_of or office_now(settings).date()
    batch = prepare_batch(store, ops, as_of=as_of, settings=settings)
    digests = list(batch.digests)
    if args.recipient:
        wanted = fold(args.recipient)
        digests = [d for d in digests if wanted in fold(d.contact.name)]
    unaccented = args.unaccented or settings.sms_unaccented
    if args.format == "json":
        _json({
            "as_of": as_of.isoformat(),
            "data_date": batch.watchlist.data_date.isoformat() if batch.watchlist.data_date else None,
            "digests": [
                {"recipient": d.contact.name, "agency": d.contact.agency, "role": d.kind,
                 "overdue": d.overdue, "near_due": d.near_due, "codes": d.codes,
                 "subject": d.subject, "body": d.body, "sms": d.short_for(unaccented).text,
                 "sms_encoding": d.short_for(unaccented).measure.encoding,
                 "sms_segments": d.short_for(unaccented).measure.segments}
                for d in digests
            ],
            "unmatched": [{"handler": g.handler, "agency": g.agency, "codes": g.codes} for g in batch.unmatched],
        })
        return EXIT_OK
    if not digests:
        print("Không có bản tin nào (không có hồ sơ cần nhắc, hoặc chưa có liên hệ phù hợp).")
    for d in digests:
        print(preview_text(d, unaccented=unaccented))
        print()
    if batch.unmatched:
        print("Chưa có liên hệ để nhắc:")
        for g in batch.unmatched:
            print(f"  {g.label} ({g.agency}): {', '.join(g.codes)}")
    return EXIT_OK


# -- run / serve ----------------------------------------------------------------------

def _print_report(report: RunReport) -> None:
    for line in report.summary_lines():
        print(line)
    sys.stdout.flush()


def _cmd_run(args: argparse.Namespace) -> int:
    store, ops = _store(args), _ops(args)
    settings = load_settings(ops)
    report: RunReport | None
    if args.slot:
        now = localize(args.at, settings) if args.at else office_now(settings)
        as_of = args.as_of or now.date()
        report = run_slot(store, ops, args.slot, as_of=as_of, slot_time=now, settings=settings,
                          actor=audit.cli_actor())
    else:
        if args.as_of:
            raise CommandError("--as-of chỉ dùng cùng --slot (đợt gửi thủ công)", EXIT_USAGE)
        now = localize(args.at, settings) if args.at else office_now(settings)
        report = run_due(store, ops, now=now, settings=settings, actor=audit.cli_actor())
        if report is None:
            upcoming = upcoming_slots(now, settings, calendar_with(settings.calendar), count=1)
            nxt = f" Đợt tới: {upcoming[0]}." if upcoming else ""
            print(f"Không có đợt gửi nào đến hạn lúc {now:%H:%M %d/%m/%Y} "
                  f"(lịch: {describe_schedule(settings)}).{nxt}")
            return EXIT_OK
    _print_report(report)
    return EXIT_OK if report.ok else EXIT_ERROR


def _cmd_serve(args: argparse.Namespace) -> int:
    store, ops = _store(args), _ops(args)
    settings = load_settings(ops)
    last_idle: list[str] = []

    def idle(slot) -> None:
        text = str(slot) if slot else "không có"
        if last_idle != [text]:
            print(f"Đợt gửi tới: {text}")
            sys.stdout.flush()
            last_idle[:] = [text]

    # The announcement is inside the try: a Ctrl-C that comes right after it
    # is a clean stop too, not an interrupted command.
    try:
        print(f"Nhắc việc đang chạy theo lịch {describe_schedule(settings)} (múi giờ {settings.timezone}). "
              "Nhấn Ctrl-C để dừng.")
        sys.stdout.flush()
        serve(store, ops, tick_seconds=args.tick, on_report=_print_report, on_idle=idle)
    except KeyboardInterrupt:
        print("Đã dừng nhắc việc.")
    return EXIT_OK


# -- contacts ---------------------------------------------------------------------------

def _cmd_contacts_import(args: argparse.Namespace) -> int:
    ops = _ops(args)
    try:
        result = import_contacts(ops, args.file, actor=audit.cli_actor(), units=_units(args))
    except ContactFileError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    print(f"Danh bạ: thêm {result.added}, cập nhật {result.updated}, không đổi {result.unchanged}, "
          f"lỗi {len(result.errors)} dòng.")
    if result.ignored_columns:
        print(f"Bỏ qua các cột: {', '.join(result.ignored_columns)}")
    for error in result.errors:
        print(f"  {error}")
    return EXIT_OK if result.ok else EXIT_ERROR


def _cmd_contacts_list(args: argparse.Namespace) -> int:
    contacts = list_contacts(_ops(args), units=_units(args))
    if args.format == "json":
        # The keys of the JSON stay those of the contact's fields before unit ids.
        _json([{**{k: v for k, v in c.__dict__.items() if k != "unit_id"}, "leads": list(c.leads)}
               for c in contacts])
        return EXIT_OK
    if not contacts:
        print("Chưa có liên hệ nào. Nhập danh bạ: python -m analytics remind contacts import TỆP.xlsx --db ...")
    for c in contacts:
        leads = f" – phụ trách: {'; '.join(c.leads)}" if c.role == "leader" and c.leads else ""
        state = "" if c.active else " [ngừng]"
        print(f"{c.id:>4}  {c.name} ({ROLE_LABELS[c.role]}, {c.agency or '-'}) "
              f"{c.phone or '-'}  {c.email or '-'}  {c.zalo_id or '-'}{leads}{state}")
    return EXIT_OK


def _cmd_contacts_add(args: argparse.Namespace) -> int:
    try:
        contact = add_contact(_ops(args), actor=audit.cli_actor(), units=_units(args), name=args.name,
                              agency=args.agency, phone=args.phone, email=args.email, zalo_id=args.zalo,
                              role=args.role, leads=args.leads)
    except ContactError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    print(f"Đã thêm liên hệ {contact.id}: {contact.name}")
    return EXIT_OK


def _cmd_contacts_remove(args: argparse.Namespace) -> int:
    if not delete_contact(_ops(args), args.id, actor=audit.cli_actor(), units=_units(args)):
        raise CommandError(f"không có liên hệ {args.id}")
    print(f"Đã xóa liên hệ {args.id}")
    return EXIT_OK


# -- settings / log / calendar ------------------------------------------------------------

def _cmd_settings_show(args: argparse.Namespace) -> int:
    settings = load_settings(_ops(args))
    if args.format == "json":
        _json(masked_json(settings))
        return EXIT_OK
    print(f"Lịch gửi: {describe_schedule(settings)}")
    for name, value in masked_json(settings).items():
        print(f"  {name} = {json.dumps(value, ensure_ascii=False)}")
    return EXIT_OK


def _cmd_settings_set(args: argparse.Namespace) -> int:
    try:
        value = parse_setting_value(args.key, args.value)
        settings = update_settings(_ops(args), actor=audit.cli_actor(), **{args.key: value})
    except SettingsError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from exc
    print(f"Đã lưu {args.key} = {json.dumps(masked_json(settings)[args.key], ensure_ascii=False)}")
    return EXIT_OK


def _cmd_log(args: argparse.Namespace) -> int:
    rows = send_history(_ops(args), limit=args.limit, slot=args.slot, failed_only=args.failed)
    if args.format == "json":
        _json(rows)
        return EXIT_OK
    if not rows:
        print("Chưa có lần gửi nào.")
    for r in rows:
        print(f"{r['sent_at']}  [{r['slot']}]  {r['channel']:<10} {r['recipient']} ({r['address'] or '-'})"
              f"  lần {r['attempt']}: {RESULT_LABELS.get(r['result'], r['result'])}"
              f"{' – ' + r['error'] if r['error'] else ''}")
    return EXIT_OK


def _cmd_calendar(args: argparse.Namespace) -> int:
    ops = _ops(args)
    settings = load_settings(ops)
    try:
        calendar = calendar_with(settings.calendar)
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    year = args.year or office_now(settings).year
    print(f"Ngày nghỉ lễ, nghỉ bù và ngày làm bù năm {year}:")
    for day, name in calendar.days_off_in(year):
        print(f"  {WEEKDAY_NAMES[day.weekday()]:<9} {fmt.date(day)}  {name}")
    print(f"\nLịch gửi: {describe_schedule(settings)}. Các đợt tới:")
    for slot in upcoming_slots(office_now(settings), settings, calendar, count=args.next):
        print(f"  {WEEKDAY_NAMES[slot.day.weekday()]:<9} {slot}")
    return EXIT_OK


# -- registration ---------------------------------------------------------------------------

def _guard(func):
    """Turn store errors into one-line command errors."""

    def wrapped(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (StoreError, OpsError) as exc:
            raise CommandError(str(exc)) from exc

    return wrapped


def register(sub: Subparsers) -> None:
    """Add ``remind`` and its subcommands to the main parser."""
    remind = sub.add_parser("remind", help="nhắc việc: hồ sơ sắp đến hạn, quá hạn; gửi bản tin theo lịch",
                            description="Nhắc việc: danh sách hồ sơ sắp đến hạn / quá hạn và gửi bản tin.")
    rsub = remind.add_subparsers(dest="remind_command", required=True, metavar="LỆNH")

    p = rsub.add_parser("watchlist", help="danh sách hồ sơ sắp đến hạn, quá hạn theo người xử lý và đơn vị")
    _add_stores(p, db_required=True)
    p.add_argument("--as-of", type=parse_iso_date, metavar="YYYY-MM-DD", help="ngày nhắc (mặc định hôm nay)")
    p.add_argument("--days", type=int, help="số ngày làm việc coi là sắp đến hạn (mặc định theo thiết lập)")
    p.add_argument("--agency", help="chỉ một đơn vị (đang giữ hoặc tiếp nhận)")
    p.add_argument("--inter-agency", choices=("yes", "no"), help="chỉ hồ sơ liên thông (yes) / không (no)")
    add_format(p)
    p.set_defaults(func=_guard(_cmd_watchlist))

    p = rsub.add_parser("preview", help="in các bản tin sẽ gửi, không gửi")
    _add_stores(p, db_required=True)
    p.add_argument("--as-of", type=parse_iso_date, metavar="YYYY-MM-DD", help="ngày nhắc (mặc định hôm nay)")
    p.add_argument("--recipient", help="chỉ người nhận có tên chứa chuỗi này")
    p.add_argument("--unaccented", action="store_true", help="SMS không dấu")
    add_format(p, "text")
    p.set_defaults(func=_guard(_cmd_preview))

    p = rsub.add_parser("run", help="gửi đợt đến hạn bây giờ (hoặc một đợt thủ công) và ghi nhật ký")
    _add_stores(p, db_required=True)
    p.add_argument("--at", type=_parse_moment, metavar="'YYYY-MM-DD HH:MM'",
                   help="coi như bây giờ là thời điểm này (giờ cơ quan)")
    p.add_argument("--slot", help="gửi một đợt thủ công với nhãn này (không theo lịch); "
                                  "chạy lại cùng nhãn không gửi trùng")
    p.add_argument("--as-of", type=parse_iso_date, metavar="YYYY-MM-DD", help="ngày nhắc của đợt thủ công")
    p.set_defaults(func=_guard(_cmd_run))

    p = rsub.add_parser("serve", help="chạy lịch gửi ở tiền cảnh (Ctrl-C để dừng)")
    _add_stores(p, db_required=True)
    p.add_argument("--tick", type=float, default=30.0, help="giây giữa hai lần kiểm tra (mặc định 30)")
    p.set_defaults(func=_guard(_cmd_serve))

    contacts = rsub.add_parser("contacts", help="danh bạ cán bộ, lãnh đạo")
    csub = contacts.add_subparsers(dest="contacts_command", required=True, metavar="LỆNH")
    p = csub.add_parser("import", help="nhập danh bạ từ .xlsx/.csv (thêm hoặc cập nhật)")
    p.add_argument("file")
    _add_stores(p, db_required=False)
    p.set_defaults(func=_guard(_cmd_contacts_import))
    p = csub.add_parser("list", help="liệt kê danh bạ")
    _add_stores(p, db_required=False)
    add_format(p)
    p.set_defaults(func=_guard(_cmd_contacts_list))
    p = csub.add_parser("add", help="thêm một liên hệ")
    _add_stores(p, db_required=False)
    p.add_argument("--name", required=True)
    p.add_argument("--agency")
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--zalo")
    p.add_argument("--role", default="Cán bộ", help="Cán bộ (mặc định) hoặc Lãnh đạo")
    p.add_argument("--leads", help="đơn vị phụ trách (lãnh đạo), cách nhau bằng ';'")
    p.set_defaults(func=_guard(_cmd_contacts_add))
    p = csub.add_parser("remove", help="xóa một liên hệ theo mã số")
    _add_stores(p, db_required=False)
    p.add_argument("id", type=int)
    p.set_defaults(func=_guard(_cmd_contacts_remove))

    settings = rsub.add_parser("settings", help="thiết lập nhắc việc")
    ssub = settings.add_subparsers(dest="settings_command", required=True, metavar="LỆNH")
    p = ssub.add_parser("show", help="xem thiết lập")
    _add_stores(p, db_required=False)
    add_format(p, "text")
    p.set_defaults(func=_guard(_cmd_settings_show))
    p = ssub.add_parser("set", help="đổi một thiết lập (giá trị JSON, hoặc danh sách cách nhau bằng dấu phẩy)")
    _add_stores(p, db_required=False)
    p.add_argument("key", choices=SETTING_NAMES, metavar="KEY")
    p.add_argument("value")
    p.set_defaults(func=_guard(_cmd_settings_set))

    p = rsub.add_parser("log", help="nhật ký gửi")
    _add_stores(p, db_required=False)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--slot")
    p.add_argument("--failed", action="store_true", help="chỉ các lần lỗi")
    add_format(p)
    p.set_defaults(func=_guard(_cmd_log))

    p = rsub.add_parser("calendar", help="ngày nghỉ, ngày làm bù và các đợt gửi sắp tới")
    _add_stores(p, db_required=False)
    p.add_argument("--year", type=int)
    p.add_argument("--next", type=int, default=10, help="số đợt gửi sắp tới cần liệt kê")
    p.set_defaults(func=_guard(_cmd_calendar))

