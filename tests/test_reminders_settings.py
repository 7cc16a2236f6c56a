import json

import pytest

from analytics.access import audit
from analytics.reminders.settings import (
    ReminderSettings,
    SettingsError,
    load_settings,
    parse_setting_value,
    save_settings,
    update_settings,
)
from analytics.store.ops import OpsStore


@pytest.fixture
def ops(tmp_path):
    return OpsStore(tmp_path / "ops.sqlite")


def test_defaults_when_nothing_is_stored(ops):
    s = load_settings(ops)
    assert s == ReminderSettings()
    assert (s.near_due_days, s.times, s.weekdays, s.skip_holidays) == (1, ("07:30", "13:30"), (1, 2, 3, 4, 5), True)


def test_update_and_reload(ops):
    update_settings(ops, times="13:30,07:30", weekdays="1,2,3,4,5,6", near_due_days=2,
                    dashboard_url="https://motcua.example.vn/nhac_viec")
    s = load_settings(ops)
    assert s.times == ("07:30", "13:30") and s.weekdays == (1, 2, 3, 4, 5, 6)
    assert s.near_due_days == 2 and s.dashboard_url.endswith("/nhac_viec")
    assert s.sms_segment_limit == 3  # untouched keys keep their value


def test_invalid_settings_list_every_problem_and_store_nothing(ops):
    with pytest.raises(SettingsError) as info:
        update_settings(ops, times=["7h30", "25:00"], weekdays=[0, 8], near_due_days=-1,
                        dashboard_url="motcua.vn", timezone="Mars/Olympus",
                        templates={"sms": "${ten}"}, calendar={"days_off": ["31/12/2026"]})
    text = " | ".join(info.value.errors)
    for fragment in ("7h30", "25:00", "weekdays", "near_due_days", "dashboard_url", "Mars/Olympus",
                     "danh_sach", "calendar"):
        assert fragment in text
    assert load_settings(ops) == ReminderSettings()
    with pytest.raises(SettingsError, match="Không có thiết lập"):
        update_settings(ops, colour="red")


def test_secrets_are_refused_in_channel_settings(ops):
    channel = {"name": "email", "type": "smtp", "host": "smtp.x.vn", "sender": "a@x.vn", "password": "123"}
    with pytest.raises(SettingsError, match="không lưu bí mật 'password'"):
        update_settings(ops, channels=[channel])
    del channel["password"]
    channel["password_secret"] = "MOTCUA_SMTP_PASSWORD"
    update_settings(ops, channels=[channel, {"name": "luu", "type": "file", "directory": "out"}])
    assert [c["name"] for c in load_settings(ops).channels] == ["email", "luu"]
    stored = ops.query("select value from reminder_settings where key = 'channels'")[0]["value"]
    assert "123" not in stored
    with pytest.raises(SettingsError, match="trùng"):
        update_settings(ops, channels=[channel, channel])


def test_damaged_or_unknown_values_fall_back(ops):
    save_settings(ops, ReminderSettings(near_due_days=3))
    ops.execute("update reminder_settings set value = '{broken' where key = 'near_due_days'")
    ops.execute("insert into reminder_settings values ('future_key', '1', 'now')")
    assert load_settings(ops).near_due_days == 1


def test_command_line_values():
    assert parse_setting_value("times", "07:30") == ("07:30",)
    assert parse_setting_value("weekdays", "1,2,3") == (1, 2, 3)
    assert parse_setting_value("near_due_days", "2") == 2
    assert parse_setting_value("sms_unaccented", "true") is True
    assert parse_setting_value("dashboard_url", "https://x.vn") == "https://x.vn"
    assert parse_setting_value("channels", '[{"name": "f", "type": "file", "directory": "d"}]')[0]["type"] == "file"
    with pytest.raises(SettingsError):
        parse_setting_value("nope", "1")


# A channel saved before literal secrets were refused, written as it was.
LEGACY_CHANNELS = [{"name": "sms", "type": "webhook", "url": "https://sms.example.vn/send?token=cu-bi-mat-1",
                    "headers": {"Authorization": "Bearer cu-bi-mat-2"}, "body": {"to": "${to}"}}]


def store_raw(ops, key, value):
    load_settings(ops)  # the table exists
    ops.execute("insert into reminder_settings (key, value, updated_at) values (?, ?, 'x')"
                " on conflict (key) do update set value = excluded.value", (key, json.dumps(value)))


def test_a_settings_change_is_audited_with_old_and_new_values_secrets_masked(ops):
    store_raw(ops, "channels", LEGACY_CHANNELS)
    new = [{"name": "sms", "type": "webhook", "url": "https://sms.example.vn/send",
            "headers": {"Authorization": "Bearer ${token}"}, "token_secret": "MOTCUA_SMS_TOKEN",
            "body": {"to": "${to}"}}]
    update_settings(ops, actor="quantri", channels=new, near_due_days=2)
    [entry] = audit.entries(ops, action=audit.REMINDER_SETTINGS)
    assert (entry.actor, entry.target) == ("quantri", "near_due_days, channels")
    assert entry.detail["changes"]["near_due_days"] == {"old": 1, "new": 2}
    assert entry.detail["changes"]["channels"]["new"] == new
    old = entry.detail["changes"]["channels"]["old"][0]
    assert old["url"] == "https://sms.example.vn/send?token=***"
    assert old["headers"] == {"Authorization": "Bearer ***"}
    assert "cu-bi-mat" not in json.dumps(entry.detail)
    # No change, or a refused one: nothing recorded.
    update_settings(ops, actor="quantri", near_due_days=2)
    with pytest.raises(SettingsError, match="token_secret"):
        update_settings(ops, actor="quantri", channels=[{**new[0], "token_secret": "MOTCUA_SMTP_PASSWORD"}])
    assert len(audit.entries(ops, action=audit.REMINDER_SETTINGS)) == 1
    assert load_settings(ops).channels == tuple(new)
