import string
import unicodedata

import pytest

from analytics.locale import labels
from analytics.locale.labels import LABELS, channel_name, column_label, status_name, t


def test_every_key_has_both_languages_non_empty_and_nfc():
    for key, entry in LABELS.items():
        assert set(entry) == {"vi", "en"}, key
        for lang, text in entry.items():
            assert text.strip(), (key, lang)
            assert unicodedata.normalize("NFC", text) == text, (key, lang)
            assert text == text.strip() and "  " not in text, (key, lang)


def test_placeholders_are_the_same_in_both_languages_except_documented_ones():
    # month_label names the month differently per language; every other label
    # must take the same arguments whichever language is on screen.
    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, entry in LABELS.items():
        if key in ("month_label", "quarter_label"):
            continue
        assert fields(entry["vi"]) == fields(entry["en"]), key


def test_t_returns_vietnamese_by_default_and_english_on_request():
    assert t("on_time_rate") == "Tỷ lệ đúng hạn"
    assert t("on_time_rate", "en") == "On-time rate"
    assert t("received_total") == "Tổng số hồ sơ nhận giải quyết"
    assert t("progress_766") == "Chỉ số tiến độ (QĐ 766)"
    assert t("direct_postal") == "Trực tiếp và dịch vụ bưu chính"


def test_t_formats_kwargs():
    assert t("data_date", date="26/11/2026") == "Số liệu đến ngày 26/11/2026"
    assert t("data_date", "en", date="26/11/2026") == "Data as of 26/11/2026"


def test_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        t("no_such_label")


def test_unknown_language_falls_back_to_vietnamese():
    assert t("no_data", "fr") == "Không có hồ sơ trong kỳ"


def test_every_engine_column_has_a_label():
    engine_columns = {
        # totals
        "received_total", "carried_over", "received_new", "online", "direct_postal", "resolved",
        "early", "on_time", "late", "pending", "pending_within", "pending_overdue", "on_time_rate",
        "online_share", "progress_766", "channel_unknown", "no_due_date", "due_computed", "rescheduled",
        # list rows
        "agency", "level", "field", "stage", "handler", "steps", "late_rate", "late_dossiers",
        "procedure_code", "procedure_name", "last_received", "online_level", "published_on",
        "years_without", "in_force", "with_dossiers", "without_dossiers", "period_start",
        "code", "channel", "received_at", "due_at", "finished_at", "days_late", "late_stage",
        "late_handler", "status", "parent",
    }
    assert engine_columns <= set(LABELS)


def test_channels_and_statuses_use_national_names():
    assert channel_name("online") == "Trực tuyến"
    assert channel_name("direct") == "Trực tiếp"
    assert channel_name("postal") == "Bưu chính công ích"
    assert channel_name("postal", "en") == "Public postal service"
    assert channel_name(None) == ""
    assert status_name(1) == "Mới đăng ký"
    assert status_name("5") == "Yêu cầu bổ sung giấy tờ"
    assert status_name(10) == "Đã trả kết quả"
    assert status_name(99) == "99"
    assert [k for k in LABELS if k.startswith("status_")] == [f"status_{i}" for i in range(1, 11)]


def test_localise_codes_names_channels_and_statuses_and_leaves_the_input_alone():
    import pandas as pd

    from analytics.locale.labels import localise_codes

    df = pd.DataFrame({"channel": ["direct", None], "status": [9, None], "code": ["A", "B"]})
    shown = localise_codes(df)
    assert shown["channel"][0] == "Trực tiếp" and pd.isna(shown["channel"][1])
    assert shown["status"][0] == "Đã xử lý xong" and pd.isna(shown["status"][1])
    assert list(shown["code"]) == ["A", "B"]
    assert df["channel"][0] == "direct"  # a copy
    assert localise_codes(shown)["status"][0] == "Đã xử lý xong"  # idempotent
    assert localise_codes(df, "en")["channel"][0] == "In person"


def test_column_label_falls_back_to_the_name():
    assert column_label("days_late") == "Số ngày trễ"
    assert column_label("days_late", "en") == "Days late"
    assert column_label("some_extra_column") == "some_extra_column"


def test_every_period_preset_has_a_label():
    from datetime import date

    from analytics.indicators.periods import presets

    for preset in presets(date(2026, 5, 20)):
        assert preset.label_key in labels.LABELS
