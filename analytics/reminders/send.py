"""Sending and recording: nothing lost, nothing doubled.

- Every attempt is written to ``send_log`` (recipient, channel, address,
  digest hash, slot, time, attempt, result, error).
- A failed attempt is retried with exponential back-off (``retry_attempts``
  tries, waiting ``retry_base_seconds`` × 1, 2, 4 ...), unless the failure is
  permanent (refused address, HTTP 4xx); what still failed is reported and
  is tried again by the next run of the same slot.
- Before sending, the log is checked: a (slot, contact, channel) already
  sent is skipped, so a run repeated in the same slot sends nothing twice.
  Runs on one operational store are serialised by a lock file, and a partial
  unique index refuses a second "sent" row whatever happens.
- One recipient's failure (even an unexpected exception) never stops the
  others.
"""

from __future__ import annotations

import contextlib
import fcntl
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from analytics.access import audit
from analytics.locale import clock as office_clock
from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.locale.workdays import WorkCalendar, calendar_with
from analytics.reminders.channels import (
    Channel,
    ChannelError,
    Message,
    enabled_channels,
)
from analytics.reminders.contacts import ContactBook
from analytics.reminders.digest import (
    SHORT,
    Digest,
    DigestBatch,
    build_digests,
    unmatched_summary,
)
from analytics.reminders.schedule import (
    Slot,
    current_slot,
    localize,
    next_slot,
    office_now,
)
from analytics.reminders.settings import ReminderSettings, load_settings
from analytics.reminders.watchlist import build_watchlist
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore, now_iso
from analytics.store.unit_refs import UnitRegistry

Sleep = Callable[[float], None]

SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"        # already sent in this slot
NO_ADDRESS = "no_address"  # the contact has no address for the channel
RESULT_LABEL_KEYS = {SENT: "nv_sent", FAILED: "nv_failed", SKIPPED: "rm_result_skipped",
                     NO_ADDRESS: "rm_result_no_address"}
# In Vietnamese, for the CLI and the Nhắc việc page.
RESULT_LABELS = {result: t(key) for result, key in RESULT_LABEL_KEYS.items()}


@dataclass(frozen=True)
class Delivery:
    """The outcome for one recipient on one channel in one run."""

    contact_id: int
    recipient: str
    role: str
    channel: str
    address: str | None
    digest_hash: str
    result: str
    attempts: int = 0
    error: str | None = None


@dataclass
class RunReport:
    """What a run did, for the command line and the page."""

    slot: str
    run_id: str
    as_of: date
    data_date: date | None
    digests: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for d in self.deliveries if d.result == result)

    @property
    def sent(self) -> int:
        return self.count(SENT)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary_lines(self, lang: str = "vi") -> list[str]:
        data = fmt.date(self.data_date, lang) if self.data_date else t("rm_unknown_date", lang)
        lines = [t("rm_run_summary", lang, slot=self.slot, as_of=fmt.date(self.as_of, lang), data=data,
                   digests=self.digests, sent=self.sent, failed=self.failed, skipped=self.skipped,
                   no_address=self.count(NO_ADDRESS))]
        for d in self.deliveries:
            if d.result == FAILED:
                lines.append("  " + t("rm_run_failure", lang, channel=d.channel, recipient=d.recipient,
                                      address=d.address or "-", attempts=d.attempts, error=d.error))
        for w in self.warnings:
            lines.append("  " + t("rm_run_warning", lang, warning=w))
        if self.unmatched:
            lines.append("  " + t("rm_run_unmatched", lang))
            lines += [f"    {u}" for u in self.unmatched]
        return lines


# -- the log ----------------------------------------------------------------------

def already_sent(ops: OpsStore, slot: str, contact_id: int, channel: str) -> bool:
    rows = ops.query(
        "select 1 from send_log where slot = ? and contact_id = ? and channel = ? and result = 'sent' limit 1",
        (slot, contact_id, channel),
    )
    return bool(rows)


def _log_attempt(ops: OpsStore, *, run_id: str, slot: str, digest: Digest, channel: str, address: str | None,
                 digest_hash: str, attempt: int, result: str, error: str | None) -> None:
    ops.execute(
        "insert into send_log (run_id, slot, contact_id, recipient, role, channel, address, digest_hash,"
        " attempt, result, error, sent_at, near_due, overdue, data_date)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (run_id, slot, digest.contact.id, digest.contact.name, digest.kind, channel, address, digest_hash,
         attempt, result, error, now_iso(), digest.near_due, digest.overdue,
         digest.data_date.isoformat() if digest.data_date else None),
    )


def send_history(ops: OpsStore, *, limit: int = 200, slot: str | None = None,
                 contact_id: int | None = None, failed_only: bool = False) -> list[dict]:
    """Log rows, newest first (every attempt)."""
    return ops.query(
        "select id, run_id, slot, contact_id, recipient, role, channel, address, digest_hash, attempt,"
        " result, error, sent_at, near_due, overdue, data_date from send_log"
        " where (? is null or slot = ?) and (? is null or contact_id = ?) and (? = 0 or result = 'failed')"
        " order by id desc limit ?",
        (slot, slot, contact_id, contact_id, 1 if failed_only else 0, limit),
    )


def slot_summaries(ops: OpsStore, *, limit: int = 30) -> list[dict]:
    """Per slot: recipients sent to, still failing, attempts, first and last time."""
    return ops.query(
        """
        with final_state as (
            select slot, contact_id, channel,
                   max(case when result = 'sent' then 1 else 0 end) as was_sent,
                   count(*) as attempts, min(sent_at) as first_at, max(sent_at) as last_at
            from send_log group by slot, contact_id, channel
        )
        select slot, sum(was_sent) as sent, sum(1 - was_sent) as failed, sum(attempts) as attempts,
               min(first_at) as first_at, max(last_at) as last_at
        from final_state group by slot order by slot desc limit ?
        """,
        (limit,),
    )


# -- delivering ---------------------------------------------------------------------

def deliver(
    channel: Channel,
    message: Message,
    *,
    attempts: int,
    base_delay: float,
    sleep: Sleep,
    record: Callable[[int, str, str | None], None],
) -> tuple[bool, int, str | None]:
    """Send with bounded retries; every attempt goes to ``record``.

    Returns:
        (sent, attempts made, last error).
    """
    error: str | None = None
    for attempt in range(1, max(1, attempts) + 1):
        permanent = False
        try:
            channel.send(message)
        except ChannelError as exc:
            error, permanent = str(exc), exc.permanent
        except Exception as exc:  # a bug or an odd library error: still one recipient only
            error = f"{type(exc).__name__}: {exc}"
        else:
            record(attempt, SENT, None)
            return True, attempt, None
        record(attempt, FAILED, error)
        if permanent or attempt >= attempts:
            return False, attempt, error
        sleep(base_delay * (2 ** (attempt - 1)))
    return False, attempts, error


@contextlib.contextmanager
def run_lock(ops: OpsStore) -> Iterator[None]:
    """One run at a time per operational store (cron, serve and the page)."""
    path = ops.path.with_name(ops.path.name + ".remind.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_batch(
    store: AnalyticsStore,
    ops: OpsStore,
    *,
    as_of: date,
    settings: ReminderSettings | None = None,
    calendar: WorkCalendar | None = None,
    slot_time: datetime | None = None,
    only: Iterable[int] | None = None,
    scope: Iterable[str] | None = None,
) -> DigestBatch:
    """The digests of a day (what ``preview`` prints and ``run`` sends)."""
    settings = settings or load_settings(ops)
    calendar = calendar or calendar_with(settings.calendar)
    watchlist = build_watchlist(store, as_of=as_of, near_due_days=settings.near_due_days,
                                scope=scope, calendar=calendar)
    # Contacts by unit id: a merge or rename of their unit keeps them matched.
    book = ContactBook.load(ops, UnitRegistry(store))
    return build_digests(watchlist, book, settings, slot_time=slot_time, only=only)


def _staleness(as_of: date, data_date: date | None, calendar: WorkCalendar) -> str | None:
    if data_date is None:
        return t("rm_no_data_date")
    behind = calendar.working_days_between(data_date, as_of)
    if behind > 1:
        return t("rm_stale", data=fmt.date(data_date), behind=behind)
    return None


def run_slot(
    store: AnalyticsStore,
    ops: OpsStore,
    slot: str,
    *,
    as_of: date,
    slot_time: datetime | None = None,
    settings: ReminderSettings | None = None,
    channels: Sequence[Channel] | None = None,
    calendar: WorkCalendar | None = None,
    sleep: Sleep = time.sleep,
    only: Iterable[int] | None = None,
    environ: dict[str, str] | None = None,
    secrets_paths: Sequence[Path] | None = None,
    actor: str = "system",
) -> RunReport:
    """Build every digest for ``as_of`` and deliver what this slot has not sent yet.

    Args:
        slot: the slot id (``"2026-03-10 07:30"``) or a label for a manual run.
        channels: channel objects (default: the enabled ones of the settings).
        sleep: how to wait between retries (tests pass a recorder).
        only: contact ids to send to (None: everyone).
        actor: who ran it, for the audit log (``system`` for the schedule,
            ``cli:<user>`` for the command line, the username on the page).
    """
    settings = settings or load_settings(ops)
    calendar = calendar or calendar_with(settings.calendar)
    run_id = uuid.uuid4().hex[:12]
    with run_lock(ops):
        batch = prepare_batch(store, ops, as_of=as_of, settings=settings, calendar=calendar,
                              slot_time=slot_time, only=only)
        report = RunReport(slot=slot, run_id=run_id, as_of=as_of, data_date=batch.watchlist.data_date,
                           digests=len(batch.digests), unmatched=unmatched_summary(batch))
        stale = _staleness(as_of, batch.watchlist.data_date, calendar)
        if stale:
            report.warnings.append(stale)
        if channels is None:
            try:
                channels = enabled_channels(settings.channels, base_dir=ops.path.parent,
                                            environ=environ, secrets_paths=secrets_paths)
            except ValueError as exc:
                report.warnings.append(str(exc))
                channels = []
        if not channels:
            report.warnings.append(t("rm_no_channel"))
        for digest in batch.digests:
            for channel in channels:
                report.deliveries.append(_deliver_one(ops, run_id, slot, digest, channel, settings, sleep))
        _audit(ops, report, actor)
        return report


def _audit(ops: OpsStore, report: RunReport, actor: str) -> None:
    """One audit entry per run that tried to send something."""
    if report.sent + report.failed == 0:
        return
    try:
        audit.record(ops, audit.REMINDER_SEND, actor=actor, target=report.slot, detail={
            "run_id": report.run_id, "as_of": report.as_of, "data_date": report.data_date,
            "digests": report.digests, "sent": report.sent, "failed": report.failed,
            "skipped": report.skipped,
        })
    except Exception as exc:  # the messages are out; say the log could not be written
        report.warnings.append(t("rm_audit_failed", error=exc))


def _deliver_one(ops: OpsStore, run_id: str, slot: str, digest: Digest, channel: Channel,
                 settings: ReminderSettings, sleep: Sleep) -> Delivery:
    contact = digest.contact
    unaccented = settings.sms_unaccented if channel.unaccented is None else bool(channel.unaccented)
    digest_hash = digest.digest_hash(channel.form, unaccented)
    address = contact.address(channel.address_field) if channel.address_field else None
    base: dict[str, Any] = dict(contact_id=contact.id, recipient=contact.name, role=digest.kind, channel=channel.name,
                address=address, digest_hash=digest_hash)
    try:
        if channel.address_field and not address:
            return Delivery(**base, result=NO_ADDRESS)
        if already_sent(ops, slot, contact.id, channel.name):
            return Delivery(**base, result=SKIPPED)
        subject, text = digest.content(channel.form, unaccented)
        segments = digest.short_for(unaccented).measure.segments if channel.form == SHORT else 0
        message = Message(contact=contact, address=address, subject=subject, text=text, slot=slot,
                          digest_hash=digest_hash, segments=segments)

        def record(attempt: int, result: str, error: str | None) -> None:
            _log_attempt(ops, run_id=run_id, slot=slot, digest=digest, channel=channel.name, address=address,
                         digest_hash=digest_hash, attempt=attempt, result=result, error=error)

        sent, attempts, error = deliver(channel, message, attempts=settings.retry_attempts,
                                        base_delay=settings.retry_base_seconds, sleep=sleep, record=record)
        return Delivery(**base, result=SENT if sent else FAILED, attempts=attempts, error=error)
    except Exception as exc:  # the log itself failed: report, go on with the others
        return Delivery(**base, result=FAILED, error=f"{type(exc).__name__}: {exc}")


def run_due(
    store: AnalyticsStore,
    ops: OpsStore,
    *,
    now: datetime | None = None,
    settings: ReminderSettings | None = None,
    **kwargs,
) -> RunReport | None:
    """Send the slot being served now (None when no slot is due)."""
    settings = settings or load_settings(ops)
    calendar = kwargs.pop("calendar", None) or calendar_with(settings.calendar)
    moment = localize(now, settings) if now else office_now(settings)
    slot = current_slot(moment, settings, calendar)
    if slot is None:
        return None
    return run_slot(store, ops, slot.id, as_of=slot.day, slot_time=slot.at, settings=settings,
                    calendar=calendar, **kwargs)


def serve(
    store: AnalyticsStore,
    ops: OpsStore,
    *,
    clock: Callable[[], datetime] | None = None,
    sleep: Sleep = time.sleep,
    tick_seconds: float = 60.0,
    max_loops: int | None = None,
    on_report: Callable[[RunReport], None] | None = None,
    on_idle: Callable[[Slot | None], None] | None = None,
    retry_sleep: Sleep | None = None,
) -> None:
    """Run the schedule in the foreground until interrupted (Ctrl-C).

    Each loop re-reads the settings (the page may change them), runs the
    current slot once, then sleeps at most ``tick_seconds`` (so a stop and a
    changed clock are noticed quickly). Slots already run by this process
    are not run again; a slot also sent by cron sends nothing twice (log).
    """
    clock = clock or office_clock.office_now
    done: set[str] = set()
    loops = 0
    while max_loops is None or loops < max_loops:
        loops += 1
        settings = load_settings(ops)
        calendar = calendar_with(settings.calendar)
        now = localize(clock(), settings)
        slot = current_slot(now, settings, calendar)
        if slot is not None and slot.id not in done:
            done.add(slot.id)
            try:
                report = run_slot(store, ops, slot.id, as_of=slot.day, slot_time=slot.at, settings=settings,
                                  calendar=calendar, sleep=retry_sleep or sleep)
            except Exception as exc:  # a broken database must not end the service
                report = RunReport(slot=slot.id, run_id="-", as_of=slot.day, data_date=None)
                report.warnings.append(t("rm_run_crashed", error=f"{type(exc).__name__}: {exc}"))
                report.warnings.append(traceback.format_exc(limit=3).strip().splitlines()[-1])
            if on_report:
                on_report(report)
            continue
        upcoming = next_slot(now, settings, calendar)
        if on_idle:
            on_idle(upcoming)
        wait = tick_seconds
        if upcoming is not None:
            wait = min(tick_seconds, max(1.0, (upcoming.at - now).total_seconds()))
        sleep(wait)


def slot_for_manual(now: datetime) -> str:
    """A slot label for a run outside the schedule."""
    return "thủ công " + now.strftime("%Y-%m-%d %H:%M")

