"""Schedule, sending and recording: real SMTP and HTTP servers on loopback."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from analytics.reminders.channels import ChannelError
from analytics.reminders.schedule import (
    current_slot,
    describe_schedule,
    is_slot_day,
    next_slot,
    slots_on,
    upcoming_slots,
)
from analytics.reminders.send import (
    FAILED,
    NO_ADDRESS,
    SENT,
    run_due,
    run_slot,
    send_history,
    serve,
    slot_summaries,
)
from analytics.reminders.settings import ReminderSettings, update_settings
from tests.test_reminders_channels import (  # noqa: F401 - pytest fixtures, requested by name
    SMTP_PASSWORD,
    certificate,
    smtp_server,
    webhook_server,
)
from tests.test_reminders_data import AN, AS_OF, BINH, CUONG, DUNG, GIANG, HOA, HUY, office, office_template  # noqa: F401 - pytest fixtures, requested by name

D = datetime.fromisoformat
CODE = re.compile(r"\bH\d\d\b")
SLOT = "2026-04-29 07:30"
ENV = {"MOTCUA_SMTP_PASSWORD": SMTP_PASSWORD, "MOTCUA_SMS_TOKEN": "tok"}
EXPECTED_CODES = {
    "an@example.vn": ["H01", "H11", "H13"],
    "binh@example.vn": ["H02", "H04"],
    "dung@example.vn": ["H05"],
    "hoa@example.vn": ["H01", "H02", "H04", "H05", "H11", "H12", "H13"],
    "giang@example.vn": ["H09", "H10"],
    "huy@example.vn": ["H05"],
}


# -- schedule -------------------------------------------------------------------------

def test_current_slot_within_grace_on_working_days():
    s = ReminderSettings()  # 07:30 and 13:30, Monday–Friday, 120 minutes grace
    assert current_slot(D("2026-04-29 07:29"), s) is None
    assert current_slot(D("2026-04-29 07:30"), s).id == "2026-04-29 07:30"
    assert current_slot(D("2026-04-29 09:29"), s).id == "2026-04-29 07:30"
    assert current_slot(D("2026-04-29 09:30"), s) is None
    assert current_slot(D("2026-04-29 13:45"), s).id == "2026-04-29 13:30"
    assert current_slot(D("2026-04-30 07:45"), s) is None   # Ngày Chiến thắng
    assert current_slot(D("2026-05-02 07:45"), s) is None   # Saturday
    assert current_slot(D("2026-02-17 07:45"), s) is None   # Tết
    assert current_slot(D("2025-04-26 07:45"), s).id == "2025-04-26 07:30"  # make-up Saturday
    # An aware time in another zone is read on the office clock (UTC+7).
    assert current_slot(datetime(2026, 4, 29, 0, 45, tzinfo=timezone.utc), s).id == "2026-04-29 07:30"


def test_next_slots_skip_holidays_and_weekends():
    s = ReminderSettings()
    assert next_slot(D("2026-04-29 14:00"), s).id == "2026-05-04 07:30"
    assert next_slot(D("2026-02-13 14:00"), s).id == "2026-02-23 07:30"
    assert next_slot(D("2026-04-29 07:30"), s).id == "2026-04-29 13:30"
    assert [x.id for x in upcoming_slots(D("2026-04-28 12:00"), s, count=4)] == [
        "2026-04-28 13:30", "2026-04-29 07:30", "2026-04-29 13:30", "2026-05-04 07:30"]
    keep_holidays = ReminderSettings(skip_holidays=False, times=("08:00",), weekdays=(4,))
    assert is_slot_day(D("2026-04-30").date(), keep_holidays)
    assert [x.id for x in slots_on(D("2026-04-30").date(), keep_holidays)] == ["2026-04-30 08:00"]
    assert describe_schedule(s) == "07:30, 13:30 – T2, T3, T4, T5, T6 – trừ ngày lễ, ngày nghỉ (có ngày làm bù)"


# -- sending ------------------------------------------------------------------------------

@pytest.fixture
def wired(office, smtp_server, webhook_server):
    """The office with its e-mail and SMS channels configured in the settings."""
    store, ops, ids = office
    mailbox, smtp_config = smtp_server
    gateway, sms_config = webhook_server
    update_settings(ops, channels=[smtp_config, sms_config], retry_attempts=3, retry_base_seconds=2,
                    dashboard_url="https://mc.vn/nv")
    return store, ops, ids, mailbox, gateway


def run(store, ops, slot=SLOT, sleeps=None, **kwargs):
    sleeps = [] if sleeps is None else sleeps
    return run_slot(store, ops, slot, as_of=AS_OF, sleep=sleeps.append, environ=ENV, secrets_paths=[], **kwargs)


def outcome(report):
    return {(d.recipient, d.channel): d.result for d in report.deliveries}


def test_a_run_sends_each_recipient_one_message_per_channel_and_records_everything(wired):
    store, ops, ids, mailbox, gateway = wired
    gateway.fail_first.add("0987654321")   # Bình's SMS: HTTP 500 once, then accepted
    gateway.reject.add("0356789012")       # Huy's SMS: HTTP 400, permanent
    mailbox.refuse.add("giang@example.vn")  # Giang's mailbox refused, permanent
    sleeps: list[float] = []
    report = run(store, ops, sleeps=sleeps)

    assert outcome(report) == {
        (AN, "email"): SENT, (BINH, "email"): SENT, (CUONG, "email"): NO_ADDRESS, (DUNG, "email"): SENT,
        (HOA, "email"): SENT, (GIANG, "email"): FAILED, (HUY, "email"): SENT,
        (AN, "sms"): SENT, (BINH, "sms"): SENT, (CUONG, "sms"): SENT, (DUNG, "sms"): NO_ADDRESS,
        (HOA, "sms"): NO_ADDRESS, (GIANG, "sms"): NO_ADDRESS, (HUY, "sms"): FAILED,
    }
    assert (report.sent, report.failed, report.skipped) == (8, 2, 0)
    assert sleeps == [2.0]  # one back-off, for Bình; permanent failures are not retried
    assert not report.ok
    summary = "\n".join(report.summary_lines())
    assert "LỖI sms → Bùi Quang Huy (0356789012), 1 lần thử: webhook trả lời HTTP 400" in summary
    assert "Hoàng Văn Em" in summary  # work of a handler without contact is reported

    # Each mailbox got exactly its dossier codes, diacritics intact.
    assert sorted(m["To"].addresses[0].addr_spec for m in mailbox.messages) == sorted(
        a for a in EXPECTED_CODES if a != "giang@example.vn")
    for message in mailbox.messages:
        address = message["To"].addresses[0].addr_spec
        assert sorted(set(CODE.findall(message.get_content()))) == EXPECTED_CODES[address]
    assert mailbox.to("hoa@example.vn")[0]["Subject"].startswith("Nhắc việc ngày 29/04/2026 – UBND phường Bến Thành")

    # SMS: Bình's arrived twice (first answered 500), same text both times.
    binh = gateway.for_recipient("0987654321")
    assert len(binh) == 2 and binh[0]["json"]["content"] == binh[1]["json"]["content"]
    assert "Sắp đến hạn: H04, H02." in binh[1]["json"]["content"]
    assert CODE.findall(gateway.for_recipient("0901234567")[0]["json"]["content"]) == ["H09"]

    log = send_history(ops)
    assert len(log) == 11  # 8 sent + Bình's first try + Huy + Giang
    attempts = [(r["recipient"], r["channel"], r["attempt"], r["result"]) for r in reversed(log)
                if r["recipient"] == BINH and r["channel"] == "sms"]
    assert attempts == [(BINH, "sms", 1, FAILED), (BINH, "sms", 2, SENT)]
    row = next(r for r in log if r["recipient"] == AN and r["channel"] == "email")
    assert (row["slot"], row["address"], row["overdue"], row["near_due"], row["data_date"]) == (
        SLOT, "an@example.vn", 2, 1, "2026-04-28")
    assert len(row["digest_hash"]) == 32


def test_a_repeated_run_in_the_same_slot_sends_nothing_twice(wired):
    store, ops, ids, mailbox, gateway = wired
    gateway.reject.add("0356789012")
    first = run(store, ops)
    assert first.sent == 9 and first.failed == 1
    emails, calls = len(mailbox.messages), len(gateway.requests)

    again = run(store, ops)
    assert again.sent == 0 and again.skipped == 9
    assert len(mailbox.messages) == emails
    # Only the failed one is tried again ("nothing lost").
    assert len(gateway.requests) == calls + 1 and gateway.requests[-1]["json"]["phone"] == "0356789012"
    gateway.reject.clear()
    fixed = run(store, ops)
    assert (fixed.sent, fixed.skipped) == (1, 9)
    assert ops.query("select count(*) as n from send_log where result = 'sent'") == [{"n": 10}]

    # The next slot is a new reminder.
    later = run(store, ops, slot="2026-04-29 13:30")
    assert later.sent == 10
    assert [(s["slot"], s["sent"], s["failed"]) for s in slot_summaries(ops)] == [
        ("2026-04-29 13:30", 10, 0), ("2026-04-29 07:30", 10, 0)]


def test_transient_failures_back_off_and_give_up_after_the_limit(wired):
    store, ops, ids, mailbox, gateway = wired
    gateway.down.add("0912345678")
    sleeps: list[float] = []
    report = run(store, ops, sleeps=sleeps)
    an_sms = next(d for d in report.deliveries if d.recipient == AN and d.channel == "sms")
    assert (an_sms.result, an_sms.attempts, an_sms.error) == (FAILED, 3, "webhook trả lời HTTP 503")
    assert sleeps == [2.0, 4.0]
    assert len(gateway.for_recipient("0912345678")) == 3
    assert report.sent == 9  # everyone else


class Flaky:
    """A channel double whose send blows up for one recipient."""

    name = "flaky"
    address_field = None
    form = "full"
    unaccented = None

    def __init__(self, bad: str, delay: float = 0.0):
        self.bad, self.delay, self.sent = bad, delay, []

    def send(self, message):
        time.sleep(self.delay)
        if message.contact.name == self.bad:
            raise RuntimeError("lỗi không lường trước")
        self.sent.append(message.contact.name)


def test_one_failing_recipient_does_not_stop_the_others(office):
    store, ops, _ = office
    channel = Flaky(bad=BINH)
    report = run(store, ops, channels=[channel])
    assert sorted(channel.sent) == sorted([AN, CUONG, DUNG, HOA, GIANG, HUY])
    failed = [d for d in report.deliveries if d.result == FAILED]
    assert [(d.recipient, d.attempts, d.error) for d in failed] == [
        (BINH, 3, "RuntimeError: lỗi không lường trước")]


def test_two_runs_at_once_still_send_once(office):
    store, ops, _ = office
    channel = Flaky(bad="nobody", delay=0.01)
    threads = [threading.Thread(target=run, args=(store, ops), kwargs={"channels": [channel]}) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(channel.sent) == sorted([AN, BINH, CUONG, DUNG, HOA, GIANG, HUY])
    assert ops.query("select count(*) as n from send_log where result = 'sent'") == [{"n": 7}]


def test_run_due_follows_the_schedule(office, tmp_path):
    store, ops, _ = office
    update_settings(ops, channels=[{"name": "tep", "type": "file", "directory": str(tmp_path / "out")}])
    assert run_due(store, ops, now=D("2026-04-30 07:45")) is None      # holiday
    assert run_due(store, ops, now=D("2026-04-29 07:00")) is None      # before the first slot
    report = run_due(store, ops, now=D("2026-04-29 07:45"))
    assert report.slot == SLOT and report.as_of == AS_OF and report.sent == 7 and report.warnings == []
    written = sorted(p.name for p in (tmp_path / "out" / "2026-04-29_07_30").iterdir())
    assert len(written) == 7 and written[0].startswith("1-nguyen-van-an")
    assert run_due(store, ops, now=D("2026-04-29 08:00")).skipped == 7


def test_stale_data_and_missing_channels_are_reported(office):
    store, ops, _ = office
    report = run_slot(store, ops, "thủ công", as_of=D("2026-05-05").date(), sleep=lambda s: None)
    text = " ".join(report.warnings)
    assert "dữ liệu chỉ cập nhật đến 28/04/2026 (3 ngày làm việc" in text
    assert "chưa cấu hình kênh gửi" in text
    assert report.deliveries == []


def test_serve_runs_each_slot_once_with_bounded_sleeps(office, tmp_path):
    store, ops, _ = office
    update_settings(ops, channels=[{"name": "tep", "type": "file", "directory": str(tmp_path / "out")}])
    moments = iter([D("2026-04-29 07:00"), D("2026-04-29 07:31"), D("2026-04-29 07:32"),
                    D("2026-04-29 13:31"), D("2026-04-29 13:40")])
    sleeps: list[float] = []
    reports = []
    serve(store, ops, clock=lambda: next(moments), sleep=sleeps.append, tick_seconds=60, max_loops=5,
          on_report=reports.append)
    assert [(r.slot, r.sent) for r in reports] == [("2026-04-29 07:30", 7), ("2026-04-29 13:30", 7)]
    assert sleeps == [60, 60, 60]


def test_serve_stops_cleanly_on_ctrl_c(office):
    store, ops, _ = office

    def interrupt(seconds):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        serve(store, ops, clock=lambda: D("2026-04-29 06:00"), sleep=interrupt)
    assert send_history(ops) == []


def test_serve_survives_a_broken_run(office, tmp_path):
    store, ops, _ = office
    store.path.write_bytes(b"not a database")
    moments = iter([D("2026-04-29 07:31"), D("2026-04-29 07:32")])
    reports = []
    serve(store, ops, clock=lambda: next(moments), sleep=lambda s: None, max_loops=2, on_report=reports.append)
    assert len(reports) == 1 and "không chạy được đợt gửi" in reports[0].warnings[0]


def test_permanent_channel_errors_are_not_retried(office):
    store, ops, _ = office

    class Refusing(Flaky):
        def send(self, message):
            raise ChannelError("từ chối", permanent=True)

    sleeps: list[float] = []
    report = run(store, ops, channels=[Refusing(bad="")], sleeps=sleeps)
    assert report.failed == 7 and sleeps == []
    assert {d.attempts for d in report.deliveries} == {1}


def test_slot_times_are_office_local():
    s = ReminderSettings(timezone="Asia/Ho_Chi_Minh")
    slot = current_slot(D("2026-04-29 07:31"), s)
    assert slot.at.utcoffset() == timedelta(hours=7)
    assert str(slot) == "07:30 29/04/2026"


def test_each_run_that_sends_is_in_the_audit_log(office):
    from analytics.access import audit

    store, ops, _ = office
    run(store, ops, channels=[Flaky(bad=BINH)], actor="cli:can-bo")
    run(store, ops, channels=[Flaky(bad="nobody")])  # only Bình left to send
    run(store, ops, channels=[Flaky(bad="nobody")])  # nothing left: no entry
    entries = audit.entries(ops, action=audit.REMINDER_SEND)
    assert [(e.actor, e.target, e.detail["sent"], e.detail["failed"], e.detail["skipped"]) for e in entries] == [
        ("system", SLOT, 1, 0, 6), ("cli:can-bo", SLOT, 6, 1, 0)]
    assert entries[1].detail["data_date"] == "2026-04-28" and entries[1].detail["digests"] == 7
