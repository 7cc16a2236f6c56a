"""The office's reminder settings, kept in the operational store.

One JSON value per key in ``reminder_settings``; a key never saved takes its
default, and keys this version does not know are ignored (a newer page may
have written them). Nothing secret is stored: a channel names the environment
variable or Streamlit secret holding its password or token, one of those the
product declares for its type (``channels.DECLARED_SECRETS``). Every change
is audited with the old and new values, secrets masked (:func:`masked_json`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

from analytics.access import audit
from analytics.locale.workdays import CalendarError, parse_overrides
from analytics.reminders.channels import mask_secrets, validate_channel_config
from analytics.reminders.templates import validate_templates
from analytics.store.ops import OpsStore, now_iso

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class SettingsError(ValueError):
    """Settings that cannot be saved; ``errors`` lists every problem (Vietnamese)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class ReminderSettings:
    """Everything an office sets for reminders.

    Attributes:
        near_due_days: "sắp đến hạn" means due within this many working days
            (0: due today).
        times: times of day of the slots, ``HH:MM`` (office local time).
        weekdays: ISO weekdays of the slots (1 = Monday ... 7 = Sunday).
        skip_holidays: no slot on public holidays and announced days off
            (announced make-up Saturdays get slots).
        grace_minutes: how long after a slot's time ``run`` still sends it
            (a machine that was asleep at 07:30 catches up until 07:30 + grace).
        timezone: IANA name of the office clock.
        notify_handlers / notify_leaders: who gets digests.
        send_empty: also send "nothing due" digests.
        sms_segment_limit: longest SMS allowed, in segments.
        sms_unaccented: send SMS without diacritics (GSM-7: 160 characters a
            segment instead of 70).
        dashboard_url: link put in digests ("Xem chi tiết").
        office_name: signature of the messages.
        retry_attempts: tries per delivery (first one included).
        retry_base_seconds: back-off before the 2nd try; doubles each time.
        channels: channel configurations (see ``channels.py``), no secrets.
        templates: the office's edited templates (name → text); others default.
        calendar: the office's own ``{"days_off": [...], "working_days": [...]}``.
    """

    near_due_days: int = 1
    times: tuple[str, ...] = ("07:30", "13:30")
    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    skip_holidays: bool = True
    grace_minutes: int = 120
    timezone: str = "Asia/Ho_Chi_Minh"
    notify_handlers: bool = True
    notify_leaders: bool = True
    send_empty: bool = False
    sms_segment_limit: int = 3
    sms_unaccented: bool = False
    dashboard_url: str = ""
    office_name: str = ""
    retry_attempts: int = 3
    retry_base_seconds: float = 5.0
    channels: tuple[dict[str, Any], ...] = ()
    templates: dict[str, str] = field(default_factory=dict)
    calendar: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["times"] = list(self.times)
        data["weekdays"] = list(self.weekdays)
        data["channels"] = [dict(c) for c in self.channels]
        return data


SETTING_NAMES = tuple(f.name for f in fields(ReminderSettings))


def _coerce(name: str, value: Any) -> Any:
    if name in ("times", "weekdays", "channels"):
        if isinstance(value, str) and name == "times":
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, str) and name == "weekdays":
            value = [int(v) for v in value.split(",") if v.strip()]
        items = tuple(value or ())
        if name == "times":
            return tuple(sorted(set(items)))
        if name == "weekdays":
            return tuple(sorted({int(v) for v in items}))
        return tuple(dict(c) for c in items)
    return value


def validate_settings(settings: ReminderSettings) -> list[str]:
    """Every problem of a settings object, in Vietnamese (empty when valid)."""
    errors: list[str] = []

    def whole(name: str, low: int, high: int) -> None:
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors.append(f"{name}: phải là số nguyên từ {low} đến {high}")

    whole("near_due_days", 0, 30)
    whole("grace_minutes", 1, 24 * 60)
    whole("sms_segment_limit", 1, 10)
    whole("retry_attempts", 1, 10)
    if not isinstance(settings.retry_base_seconds, (int, float)) or not 0 <= settings.retry_base_seconds <= 600:
        errors.append("retry_base_seconds: phải từ 0 đến 600 giây")
    if not settings.times:
        errors.append("times: cần ít nhất một giờ gửi")
    for t in settings.times:
        if not isinstance(t, str) or not _TIME.match(t):
            errors.append(f"times: giờ không hợp lệ {t!r} (định dạng HH:MM, ví dụ 07:30)")
    if not settings.weekdays or any(d not in range(1, 8) for d in settings.weekdays):
        errors.append("weekdays: các ngày trong tuần là số từ 1 (Thứ Hai) đến 7 (Chủ nhật)")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(settings.timezone)
    except Exception:
        errors.append(f"timezone: múi giờ không hợp lệ {settings.timezone!r}")
    url = settings.dashboard_url
    if url and not re.match(r"^https?://\S+$", url):
        errors.append("dashboard_url: đường dẫn phải bắt đầu bằng http:// hoặc https://")
    names = set()
    for config in settings.channels:
        for problem in validate_channel_config(config):
            errors.append(f"kênh {config.get('name', '?')}: {problem}")
        if config.get("name") in names:
            errors.append(f"kênh {config.get('name')}: tên kênh bị trùng")
        names.add(config.get("name"))
    errors.extend(validate_templates(settings.templates))
    try:
        parse_overrides(settings.calendar)
    except CalendarError as exc:
        errors.append(f"calendar: {exc}")
    return errors


def load_settings(ops: OpsStore) -> ReminderSettings:
    """The stored settings over the defaults."""
    stored = {r["key"]: r["value"] for r in ops.query("select key, value from reminder_settings")}
    values: dict[str, Any] = {}
    for name in SETTING_NAMES:
        if name in stored:
            try:
                values[name] = _coerce(name, json.loads(stored[name]))
            except (ValueError, TypeError):
                continue  # a damaged value falls back to its default
    return ReminderSettings(**values)


def save_settings(ops: OpsStore, settings: ReminderSettings) -> ReminderSettings:
    """Validate and store every setting (one transaction).

    Raises:
        SettingsError: listing every problem; nothing is stored then.
    """
    errors = validate_settings(settings)
    if errors:
        raise SettingsError(errors)
    stamp = now_iso()
    data = settings.to_json()
    with ops.transaction() as con:
        for name in SETTING_NAMES:
            con.execute(
                "insert into reminder_settings (key, value, updated_at) values (?, ?, ?)"
                " on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at",
                (name, json.dumps(data[name], ensure_ascii=False), stamp),
            )
    return settings


def update_settings(ops: OpsStore, *, actor: str = "system", **changes: Any) -> ReminderSettings:
    """Change some settings, keep the others; validated as a whole.

    What changed is written to the audit log (``reminder_settings``), each
    setting with its old and new value, channels' secrets masked.

    Args:
        actor: who changes them (a username, ``cli:<os user>``).
    """
    unknown = [k for k in changes if k not in SETTING_NAMES]
    if unknown:
        raise SettingsError([f"Không có thiết lập '{k}'" for k in unknown])
    current = load_settings(ops)
    try:
        new = replace(current, **{k: _coerce(k, v) for k, v in changes.items()})
    except (TypeError, ValueError) as exc:
        raise SettingsError([str(exc)]) from exc
    saved = save_settings(ops, new)
    before, after = masked_json(current), masked_json(saved)
    changed = {k: {"old": before[k], "new": after[k]} for k in SETTING_NAMES if before[k] != after[k]}
    if changed:
        audit.record(ops, audit.REMINDER_SETTINGS, actor=actor, target=", ".join(changed),
                     detail={"changes": changed})
    return saved


def parse_setting_value(name: str, text: str) -> Any:
    """A value typed on the command line: JSON when it parses, else the text.

    ``times`` and ``weekdays`` also take comma lists: ``07:30,13:30``, ``1,2,3,4,5``.
    """
    if name not in SETTING_NAMES:
        raise SettingsError([f"Không có thiết lập '{name}'. Các thiết lập: {', '.join(SETTING_NAMES)}"])
    try:
        value = json.loads(text)
    except ValueError:
        value = text
    if name in ("times", "weekdays") and isinstance(value, (str, int)):
        value = _coerce(name, str(value))
    return value


def settings_as_mapping(settings: ReminderSettings) -> Mapping[str, Any]:
    return settings.to_json()


def masked_json(settings: ReminderSettings) -> dict[str, Any]:
    """The settings as JSON with every literal secret of a channel masked:
    what the page, ``remind settings show`` and the audit log show. (Saving
    refuses literal secrets; a value stored before that rule is hidden too.)"""
    data = settings.to_json()
    data["channels"] = mask_secrets(data["channels"])
    return data
