import pytest

from analytics.reminders.sms import (
    GSM7,
    UCS2,
    fit_sms,
    measure_sms,
    sms_encoding,
    strip_diacritics,
    to_gsm,
    truncate_sms,
)


@pytest.mark.parametrize(
    "text, encoding, units, segments",
    [
        ("", GSM7, 0, 1),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("€" * 80, GSM7, 160, 1),          # extension characters take two septets
        ("€" * 81, GSM7, 162, 2),          # 76 escape pairs a segment, never split
        ("a" + "€" * 76, GSM7, 153, 1),
        ("ă" * 70, UCS2, 70, 1),
        ("ă" * 71, UCS2, 71, 2),
        ("ă" * 134, UCS2, 134, 2),
        ("ă" * 135, UCS2, 135, 3),
        ("Quá hạn", UCS2, 7, 1),
        ("café à la", GSM7, 9, 1),         # é and à are in the GSM alphabet
        ("Lê", UCS2, 2, 1),                # ê is not
        ("😀" * 35, UCS2, 70, 1),          # outside the BMP: a surrogate pair each
        ("😀" * 36, UCS2, 72, 2),
    ],
)
def test_measure(text, encoding, units, segments):
    m = measure_sms(text)
    assert (m.encoding, m.units, m.segments) == (encoding, units, segments)


def test_unaccented_variant_is_gsm7():
    assert strip_diacritics("Đặng Thị Ánh – Phường Đa Kao") == "Dang Thi Anh – Phuong Da Kao"
    plain = to_gsm("Đặng Thị Ánh – “hồ sơ” … ₫")
    assert plain == 'Dang Thi Anh - "ho so" ... ?'
    assert sms_encoding(plain) == GSM7
    assert sms_encoding("Đặng") == UCS2


def _render(codes, plain=False):
    def render(k):
        text = "Quá hạn: " + ", ".join(codes[:k])
        if k < len(codes):
            text += f" và {len(codes) - k} HS khác"
        return text + "."
    return render


CODES = [f"H{i:02d}" for i in range(50)]


def test_fit_keeps_the_first_codes_that_fit_one_ucs2_segment():
    # 9 + (5k - 2) + 14 + 1 = 5k + 22 units ≤ 70  →  k = 9, 41 left.
    fitted = fit_sms(_render(CODES), len(CODES), 1)
    assert fitted.shown == 9 and not fitted.truncated
    assert fitted.text == "Quá hạn: H00, H01, H02, H03, H04, H05, H06, H07, H08 và 41 HS khác."
    assert (fitted.measure.encoding, fitted.measure.units, fitted.measure.segments) == (UCS2, 67, 1)


def test_fit_two_segments_and_unaccented():
    assert fit_sms(_render(CODES), len(CODES), 2).shown == 22           # 5k + 22 ≤ 134
    plain = fit_sms(_render(CODES), len(CODES), 1, unaccented=True)     # 5k + 22 ≤ 160
    assert plain.shown == 27
    assert plain.text.startswith("Qua han: H00,") and plain.text.endswith("H26 va 23 HS khac.")
    assert plain.measure.encoding == GSM7


def test_everything_fits_means_no_tail():
    fitted = fit_sms(_render(CODES[:3]), 3, 1)
    assert fitted.text == "Quá hạn: H00, H01, H02." and fitted.shown == 3


def test_hard_truncation_is_the_last_resort():
    fitted = fit_sms(lambda k: "Đ" * 200, 5, 1)
    assert fitted.truncated and fitted.shown == 0
    assert fitted.measure.segments == 1 and fitted.text.endswith("…") and len(fitted.text) == 70
    assert truncate_sms("x" * 400, 2) == "x" * 303 + "..."
    assert truncate_sms("short", 1) == "short"
