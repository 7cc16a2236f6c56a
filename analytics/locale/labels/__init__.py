"""Every user-facing label, in Vietnamese and English, keyed by name.

One catalogue for the whole product, kept in one module per area (``common``:
indicators and columns, named exactly like the engine's result keys, so a
column ``on_time_rate`` is labelled ``t("on_time_rate")``; ``frame``;
``pages``; ``ingest``; ``reminders``; ``access``; ``reports``; ``index766``) and merged here: a key
defined in two areas is an error at import. Text is NFC (see
``tests/test_labels.py``); ``{name}`` placeholders are filled by ``t(**kwargs)``.
"""

from __future__ import annotations

from typing import Any

from analytics.locale.labels import (
    access,
    common,
    frame,
    index766,
    ingest,
    pages,
    reminders,
    reports,
)
from analytics.locale.text import fold

LANGS = ("vi", "en")

_AREAS = (common, frame, pages, ingest, reminders, access, reports, index766)


def _merge() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for area in _AREAS:
        twice = merged.keys() & area.LABELS.keys()
        if twice:
            raise KeyError(f"labels defined twice ({area.__name__}): {sorted(twice)}")
        merged.update(area.LABELS)
    return merged


LABELS: dict[str, dict[str, str]] = _merge()



def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The label ``key`` in ``lang`` ("vi" or "en"), formatted with ``kwargs``.

    An unknown key raises ``KeyError`` (a typo must fail loudly in tests); an
    unknown language falls back to Vietnamese, the product's default.
    """
    entry = LABELS[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**kwargs) if kwargs else text


def channel_name(channel: str | None, lang: str = "vi") -> str:
    """Display name of a channel code (``online`` / ``direct`` / ``postal``)."""
    if channel is None:
        return ""
    key = f"channel_{channel}"
    return t(key, lang) if key in LABELS else str(channel)


def status_name(status: int | str | None, lang: str = "vi") -> str:
    """Display name of a national status code 1..10 (unknown codes shown as given)."""
    if status is None:
        return ""
    try:
        key = f"status_{int(status)}"
    except (TypeError, ValueError):
        return str(status)
    return t(key, lang) if key in LABELS else str(status)


# Columns holding codes that users read by name.
CODE_COLUMNS = {"channel": channel_name, "status": status_name}


def localise_codes(df, lang: str = "vi"):
    """A copy of the DataFrame ``df`` with channel and status codes shown by name.

    ``online`` → "Trực tuyến", ``10`` → "Đã trả kết quả"; missing values stay
    missing. For on-screen tables; ``excel.table_to_xlsx`` does it itself.
    """
    out = df.copy()
    for column, name_of in CODE_COLUMNS.items():
        if column in out.columns:
            out[column] = [None if _missing(v) else name_of(v, lang) for v in out[column].tolist()]
    return out


def _missing(value: object) -> bool:
    return value is None or value != value  # NaN / NaT


def column_label(name: str, lang: str = "vi") -> str:
    """Header for an engine column: its label when one exists, else the name itself."""
    return t(name, lang) if name in LABELS else name


_LEVEL_KEYS = {"Tỉnh": "level_province", "Huyện": "level_district", "Xã": "level_commune"}


# English names of the usual one-stop step names (the exports' "Tên bước"),
# matched ignoring case, spaces and diacritics. A step name the catalogue does
# not hold is shown as the export wrote it, in either language.
STAGE_NAMES_EN = {
    "tiep nhan ho so": "Receiving the dossier",
    "tiep nhan": "Receiving",
    "tham dinh ho so": "Appraising the dossier",
    "tham dinh": "Appraisal",
    "xu ly ho so": "Processing the dossier",
    "xu ly": "Processing",
    "trinh lanh dao": "Submitting to the leader",
    "phe duyet": "Approval",
    "ky duyet": "Signing",
    "tra ket qua": "Returning the result",
    "xac dinh nghia vu tai chinh": "Assessing financial obligations",
    "cap the bao hiem y te": "Issuing the health insurance card",
    "chuyen xu ly": "Forwarding for processing",
    "bo sung ho so": "Supplementing the dossier",
    "thu ly ho so": "Handling the dossier",
}


def stage_name(stage: str | None, lang: str = "vi") -> str:
    """A step (stage) name in ``lang``: in Vietnamese as the data has it; in
    English from :data:`STAGE_NAMES_EN` where the catalogue has it, else as
    the data has it."""
    if stage is None:
        return ""
    if lang == "vi":
        return stage
    return STAGE_NAMES_EN.get(" ".join(fold(stage).split()), stage)


def name_stages(rows: Any, lang: str = "vi", key: str = "stage") -> list[dict[str, Any]]:
    """Rows with their ``key`` column named by :func:`stage_name` (the rows
    themselves are left as they are; Vietnamese returns them unchanged)."""
    rows = list(rows)
    if lang == "vi":
        return rows
    return [{**r, key: stage_name(r.get(key), lang)} if r.get(key) is not None else r for r in rows]


def level_name(level: str | None, lang: str = "vi") -> str:
    """Display name of an agency level ("Tỉnh" / "Huyện" / "Xã")."""
    if level is None:
        return ""
    key = _LEVEL_KEYS.get(level)
    return t(key, lang) if key else level


def attribution_text(f: Any, lang: str = "vi") -> str:
    """"Tính hồ sơ theo: Đơn vị hiện nay", the view a figure is seen in
    (issue 14), stated on screen, in every Excel title block and the meeting
    pack. ``f`` is a Filters (its ``attribution``) or the attribution itself."""
    view = f if isinstance(f, str) else getattr(f, "attribution", "current")
    return t("attribution_line", lang, view=t(f"attribution_{view}", lang))


def describe_filters(f: Any, lang: str = "vi") -> str:
    """The filters other than the period, as people read them:
    "Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Trực tuyến"
    (empty when none is set). ``f`` is an :class:`analytics.indicators.filters.Filters`."""
    parts = []
    if f.agency_level:
        parts.append(f"{t('agency_level', lang)}: {level_name(f.agency_level, lang)}")
    if f.agency:
        parts.append(f"{t('agency', lang)}: {f.agency}")
    if f.field:
        parts.append(f"{t('field', lang)}: {f.field}")
    if f.procedure:
        parts.append(f"{t('procedure_code', lang)}: {f.procedure}")
    if f.channel:
        parts.append(f"{t('channel', lang)}: {channel_name(f.channel, lang)}")
    return "; ".join(parts)
