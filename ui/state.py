"""The view of a run: language, the shared filters, their URL state, the period.

Filters live in ``st.session_state`` under the widget keys of
:data:`FILTER_KEYS`; the widgets are drawn by ``dashboard.py`` on every run
(:func:`sidebar_filters`), so they are kept when switching pages, and they
are mirrored in the URL with language-independent values (preset keys, ISO
dates, names, channel codes), so a link reproduces the view. Pages read the
result, a :class:`View`, through ``ui.view()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Sequence

import streamlit as st

from analytics.indicators import periods
from analytics.indicators.filters import ATTRIBUTION_CURRENT, ATTRIBUTIONS, CHANNELS, Filters
from analytics.indicators.registry import CONVENTION_BIEU06, CONVENTIONS
from analytics.locale import clock, fmt
from analytics.locale.labels import attribution_text, channel_name, describe_filters, level_name
from analytics.locale.labels import t as _t
from analytics.locale.safe_text import md_values
from analytics.reports.excel import scope_description
from analytics.store.units import DISTRICT, LEVELS, REFORM_DATE

DEFAULT_PRESET = "this_year"
CUSTOM = "custom"
LANGS = ("vi", "en")
# Where dashboard.py keeps this run's view for the pages.
VIEW_KEY = "_view"

# Widget keys of the shared filters and their URL parameter names.
K_LANG, K_PRESET, K_RANGE = "f_lang", "f_preset", "f_range"
K_LEVEL, K_AGENCY, K_FIELD = "f_level", "f_agency", "f_field"
K_PROCEDURE, K_CHANNEL, K_PRINT = "f_procedure", "f_channel", "f_print"
# Today's units or as recorded (issue 14); in the URL only when not the default.
K_ATTRIBUTION = "f_attribution"
URL_KEYS = {
    K_LANG: "lang", K_PRESET: "ky", K_LEVEL: "cap", K_AGENCY: "donvi",
    K_FIELD: "linhvuc", K_PROCEDURE: "tthc", K_CHANNEL: "kenh", K_PRINT: "banin",
    K_ATTRIBUTION: "tinhtheo",
}
URL_FROM, URL_TO = "tu", "den"
# Bounds of the custom range widget. st.date_input raises when its value lies
# outside them, and the value stays in the session, so a link such as
# ?ky=custom&tu=1900-01-01 broke every page of that session until it was
# closed: link dates are pulled inside these bounds first (_url_range).
RANGE_MIN, RANGE_MAX = date(2000, 1, 1), date(2100, 12, 31)
FILTER_KEYS = (K_LANG, K_PRESET, K_RANGE, K_ATTRIBUTION, K_LEVEL, K_AGENCY, K_FIELD, K_PROCEDURE, K_CHANNEL,
               K_PRINT)
# Drill-down choices a shared link restores (issue 12): widget key → (the
# page's URL path, the URL parameter). A page's choice is written to the URL
# on that page only. The agency drill-down holds an agency name; the handler
# one a ``summaries.handler_key`` ("name\tagency"), written "name|agency".
# A page option is kept the same way: Biểu 06's counting convention
# (registry.CONVENTIONS), in the URL only when not the form's own.
K_DRILL_AGENCY, K_DRILL_HANDLER = "dh_drill_agency", "ntl_handler"
K_R06_COUNTING = "r06_counting"
DRILL_KEYS = {K_DRILL_AGENCY: ("dung_han", "xem_donvi"), K_DRILL_HANDLER: ("nguoi_thu_ly", "xem_ntl"),
              K_R06_COUNTING: ("bieu_06", "dem")}
ALL_PAGES = "*"
URL_TEXT_MAX = 200  # a longer name in a link is no name of this office
ALL = ""  # the "Tất cả" option of a filter select box


@dataclass(frozen=True)
class View:
    """What every page needs to know about the current run."""

    lang: str
    filters: Filters
    preset: str
    data_date: date | None
    as_of: date
    print_mode: bool = False
    has_db: bool = True
    half_picked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # The drill-down choices (widget key → value) as the run started.
    drill: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **kwargs: Any) -> str:
        return _t(key, self.lang, **kwargs)

    def t_md(self, key: str, **values: Any) -> str:
        """The label for an element that renders Markdown (``st.markdown``,
        ``st.caption``, ``st.info``/``warning``/``error``/``success``...):
        the values, which may come from imported files, are escaped; the
        label's own Markdown is kept."""
        return _t(key, self.lang, **md_values(values))


# --------------------------------------------------------------------------
# Language
# --------------------------------------------------------------------------


def lang() -> str:
    """The language of this run. Before the URL has seeded the filters (the
    first run of a session draws the page title, the sidebar notice and the
    app name before the filters), a link's ``lang`` already counts, so an
    English link never opens with Vietnamese chrome."""
    value = st.session_state.get(K_LANG)
    if value is None and not st.session_state.get("_url_loaded"):
        value = _url_value(st.query_params, URL_KEYS[K_LANG])
    return value if value in LANGS else "vi"


def t(key: str, **kwargs: Any) -> str:
    """A label in the current language."""
    return _t(key, lang(), **kwargs)


def t_md(key: str, **values: Any) -> str:
    """:func:`t` with its values escaped, for an element that renders Markdown
    (see :meth:`View.t_md`)."""
    return _t(key, lang(), **md_values(values))


# --------------------------------------------------------------------------
# URL state
# --------------------------------------------------------------------------


def _url_value(params: Any, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    return value or None


def _parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def clamp_range(d_from: date, d_to: date) -> tuple[date, date]:
    """``(d_from, d_to)`` pulled inside the range widget's bounds."""
    def inside(d: date) -> date:
        return min(max(d, RANGE_MIN), RANGE_MAX)

    return inside(d_from), inside(d_to)


def _url_range(params: Any) -> tuple[tuple[date, date] | None, str | None]:
    """The custom range of a link and, when the link's dates were not used as
    written, the label key of the note that says so.

    Dates outside the widget's bounds are pulled inside them; a date that is
    not ``yyyy-mm-dd`` (``tu=abc``, ``den=2026-13-45``), a missing one, or an
    end before the start gives no range (the caller falls back to the default
    period).
    """
    raw_from, raw_to = _url_value(params, URL_FROM), _url_value(params, URL_TO)
    if raw_from is None and raw_to is None:
        return None, None
    d_from, d_to = _parse_iso(raw_from), _parse_iso(raw_to)
    if d_from is None or d_to is None or d_from > d_to:
        return None, "ui_url_range_invalid"
    kept = clamp_range(d_from, d_to)
    return kept, ("ui_url_range_clamped" if kept != (d_from, d_to) else None)


def init_state_from_url(params: Any, opts: dict[str, Any], ref: date) -> None:
    """Seed the filter widgets from the URL once per session (a shared link).

    Unknown values are ignored: a stale link opens with the defaults rather
    than an error. Link dates the range widget cannot hold are pulled inside
    its bounds or dropped (:func:`_url_range`), and the sidebar says so once
    (``_url_note``).
    """
    state = st.session_state
    if state.get("_url_loaded"):
        return
    state["_url_loaded"] = True
    lang_value = _url_value(params, URL_KEYS[K_LANG])
    state[K_LANG] = lang_value if lang_value in LANGS else "vi"
    keys = [p.key for p in periods.presets(ref)] + [CUSTOM]
    preset = _url_value(params, URL_KEYS[K_PRESET])
    span, note = _url_range(params)
    if preset == CUSTOM or (preset is None and span):
        preset = CUSTOM if span else DEFAULT_PRESET
    state[K_PRESET] = preset if preset in keys else DEFAULT_PRESET
    if state[K_PRESET] == CUSTOM and span:
        state[K_RANGE] = span
    if note and _url_value(params, URL_KEYS[K_PRESET]) in (None, CUSTOM):  # the dates were meant
        state["_url_note"] = note
    levels = set(opts.get("levels") or [])
    agencies = {a["name"] for a in opts.get("agencies") or []}
    fields = set(opts.get("fields") or [])
    procedures = {p["code"] for p in opts.get("procedures") or []}
    for key, allowed in ((K_LEVEL, levels), (K_AGENCY, agencies), (K_FIELD, fields),
                         (K_PROCEDURE, procedures), (K_CHANNEL, set(CHANNELS))):
        value = _url_value(params, URL_KEYS[key])
        state[key] = value if value in allowed else ALL
    state[K_PRINT] = _url_value(params, URL_KEYS[K_PRINT]) in ("1", "true", "True")
    attribution = _url_value(params, URL_KEYS[K_ATTRIBUTION])
    state[K_ATTRIBUTION] = attribution if attribution in ATTRIBUTIONS else ATTRIBUTION_CURRENT
    for key, value in url_drill(params, agencies).items():
        state[key] = value


def url_drill(params: Any, agencies: set[str]) -> dict[str, str]:
    """The drill-down choices of a link that this user may see (widget key → value).

    ``agencies`` are the agencies offered to the user, that is within their
    scope: an agency (or a handler's agency) outside it is dropped, like a
    filter value, so a forged or forwarded link reveals nothing of it (the
    pages check a choice against their own scoped rows as well). A value
    too long or with control characters is dropped too.
    """
    out: dict[str, str] = {}

    def clean(value: str | None) -> str | None:
        if not value or len(value) > URL_TEXT_MAX or any(ord(c) < 32 for c in value):
            return None
        return value

    agency = clean(_url_value(params, DRILL_KEYS[K_DRILL_AGENCY][1]))
    if agency in agencies:
        out[K_DRILL_AGENCY] = agency
    handler = clean(_url_value(params, DRILL_KEYS[K_DRILL_HANDLER][1]))
    if handler:
        name, _, handler_agency = handler.rpartition("|")
        if name.strip() and handler_agency in agencies:
            out[K_DRILL_HANDLER] = f"{name}\t{handler_agency}"
    counting = _url_value(params, DRILL_KEYS[K_R06_COUNTING][1])
    if counting in CONVENTIONS and counting != CONVENTION_BIEU06:
        out[K_R06_COUNTING] = counting
    return out


def url_params(v: View, page: str | None = None) -> dict[str, str]:
    """The URL parameters that reproduce ``v`` (defaults left out), with the
    drill-down choice of ``page`` (a URL path; :data:`ALL_PAGES` for every
    page's, as a deep link followed after sign-in needs)."""
    out: dict[str, str] = {}
    if v.lang != "vi":
        out["lang"] = v.lang
    if v.preset != DEFAULT_PRESET:
        out["ky"] = v.preset
    if v.preset == CUSTOM:
        out[URL_FROM] = v.filters.date_from.isoformat()
        out[URL_TO] = v.filters.date_to.isoformat()
    f = v.filters
    for name, value in (("cap", f.agency_level), ("donvi", f.agency), ("linhvuc", f.field),
                        ("tthc", f.procedure), ("kenh", f.channel)):
        if value:
            out[name] = value
    if f.attribution != ATTRIBUTION_CURRENT:
        out[URL_KEYS[K_ATTRIBUTION]] = f.attribution
    if v.print_mode:
        out["banin"] = "1"
    for key, (drill_page, name) in DRILL_KEYS.items():
        value = v.drill.get(key)
        if key == K_R06_COUNTING and value == CONVENTION_BIEU06:
            continue  # the default is left out, as for the filters
        if value and page in (drill_page, ALL_PAGES):
            out[name] = value.replace("\t", "|")
    return out


def sync_url(v: View, page: str | None = None) -> None:
    """Mirror the view (and ``page``'s drill-down choice) in the URL; written
    only when it differs (no extra messages).

    The note about the link's dates (``_url_note``) is dropped here: the link
    is replaced by the view's own URL, and a run cut short before (the switch
    to a deep link's page after sign-in) has shown the note to no one.
    """
    st.session_state.pop("_url_note", None)
    wanted = url_params(v, page)
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


# --------------------------------------------------------------------------
# The period and the view
# --------------------------------------------------------------------------


def resolve_period(preset: str, picked: Any, ref: date) -> tuple[date, date, bool]:
    """The period of a preset key, or of the custom range widget's value.

    ``st.date_input`` returns a 1-tuple while the user is between the two
    clicks of a range: the period then stays on the last complete range
    (or the single picked day), and ``half_picked`` is True so the sidebar can
    say "chọn ngày kết thúc".

    Returns:
        (date_from, date_to, half_picked)
    """
    if preset != CUSTOM:
        try:
            p = periods.preset_by_key(preset, ref)
        except KeyError:
            p = periods.preset_by_key(DEFAULT_PRESET, ref)
        return p.date_from, p.date_to, False
    values = [d for d in (picked or ()) if d is not None] if isinstance(picked, (tuple, list)) else (
        [picked] if isinstance(picked, date) else []
    )
    values = [d.date() if isinstance(d, datetime) else d for d in values]
    if len(values) >= 2:
        start, end = sorted(values[:2])
        return start, end, False
    last = st.session_state.get("_last_range")
    if last:
        return last[0], last[1], True
    if values:
        return values[0], values[0], True
    p = periods.preset_by_key(DEFAULT_PRESET, ref)
    return p.date_from, p.date_to, True


def build_view(opts: dict[str, Any], *, has_db: bool = True,
               scope: frozenset[str] | None = frozenset()) -> View:
    """The view from the filter state (widgets already drawn or seeded).

    ``scope`` is the agencies the signed-in user may see (None: all); it goes
    into the filters, hence into every engine call. Left out, it is none, as
    for nobody signed in: a caller that forgets it shows nothing, not everything.
    """
    state = st.session_state
    ref = opts.get("data_date") or clock.office_today()
    preset = state.get(K_PRESET) or DEFAULT_PRESET
    d_from, d_to, half = resolve_period(preset, state.get(K_RANGE), ref)
    if preset == CUSTOM and not half:
        state["_last_range"] = (d_from, d_to)
    f = Filters(
        date_from=d_from,
        date_to=d_to,
        agency=state.get(K_AGENCY) or None,
        field=state.get(K_FIELD) or None,
        channel=state.get(K_CHANNEL) or None,
        procedure=state.get(K_PROCEDURE) or None,
        agency_level=state.get(K_LEVEL) or None,
        scope=scope,
        attribution=str(state.get(K_ATTRIBUTION)) if state.get(K_ATTRIBUTION) in ATTRIBUTIONS else ATTRIBUTION_CURRENT,
    )
    data_date = opts.get("data_date")
    as_of = min(d_to, data_date) if data_date else d_to
    drill = {key: state[key] for key in DRILL_KEYS if isinstance(state.get(key), str) and state[key]}
    return View(lang=lang(), filters=f, preset=preset, data_date=data_date, as_of=as_of,
                print_mode=bool(state.get(K_PRINT)), has_db=has_db, half_picked=half, drill=drill)


def sidebar_filters(opts: dict[str, Any], *, scope: frozenset[str] | None,
                    has_db: bool = True) -> View:
    """Draw the shared filters in the sidebar and return the resulting view
    (``scope``: see :func:`build_view`)."""
    state = st.session_state
    ref = opts.get("data_date") or clock.office_today()
    init_state_from_url(st.query_params, opts, ref)
    lg = lang()
    sb = st.sidebar
    sb.segmented_control(
        _t("ui_language", lg), LANGS, key=K_LANG, required=True,
        format_func=lambda c: {"vi": "Tiếng Việt", "en": "English"}[c],
    )
    lg = lang()
    sb.markdown(f"**{_t('ui_filters_title', lg)}**")

    preset_list = periods.presets(ref)
    labels = {p.key: _preset_label(p, lg) for p in preset_list}
    labels[CUSTOM] = _t("preset_custom", lg)
    keys = list(labels)
    if state.get(K_PRESET) not in keys:
        state[K_PRESET] = DEFAULT_PRESET
    sb.selectbox(_t("ui_period", lg), keys, key=K_PRESET, format_func=labels.__getitem__,
                 help=_t("ui_period_help", lg))
    if state[K_PRESET] == CUSTOM:
        if not isinstance(state.get(K_RANGE), tuple) or not any(state.get(K_RANGE) or ()):
            p = periods.preset_by_key(DEFAULT_PRESET, ref)
            state[K_RANGE] = (p.date_from, min(p.date_to, ref))
        else:
            picked = [d for d in state[K_RANGE] if d is not None]
            # Whatever put the value there, the widget must be able to hold it.
            state[K_RANGE] = tuple(min(max(d, RANGE_MIN), RANGE_MAX) for d in picked)
        sb.date_input(_t("ui_range", lg), key=K_RANGE, format="DD/MM/YYYY",
                      min_value=RANGE_MIN, max_value=RANGE_MAX)
    note = state.get("_url_note")  # dropped by sync_url, once this run has got that far
    if note:
        sb.warning(_t(note, lg, first=fmt.date(RANGE_MIN, lg), last=fmt.date(RANGE_MAX, lg),
                      period=labels[state[K_PRESET]]), icon=":material/link_off:")

    if state.get(K_ATTRIBUTION) not in ATTRIBUTIONS:
        state[K_ATTRIBUTION] = ATTRIBUTION_CURRENT
    sb.segmented_control(_t("attribution", lg), ATTRIBUTIONS, key=K_ATTRIBUTION, required=True,
                         format_func=lambda a: _t(f"attribution_{a}", lg), help=_t("attribution_help", lg))
    d_from = resolve_period(state[K_PRESET], state.get(K_RANGE), ref)[0]
    levels = [ALL, *offered_levels(opts, state[K_ATTRIBUTION], d_from)]
    _keep_valid(K_LEVEL, levels)
    sb.selectbox(_t("agency_level", lg), levels, key=K_LEVEL,
                 format_func=lambda x: _t("all", lg) if x == ALL else level_name(x, lg))
    # Session state read once, not once per option (each read is a few µs; 323 procedures).
    attribution = state[K_ATTRIBUTION]
    picked_level = state.get(K_LEVEL)
    agencies = [a["name"] for a in opts.get("agencies", [])
                if (not picked_level or a.get("level") == picked_level) and a.get(attribution, True)]
    agencies = [ALL, *agencies]
    _keep_valid(K_AGENCY, agencies)
    sb.selectbox(_t("agency", lg), agencies, key=K_AGENCY,
                 format_func=lambda x: _t("all", lg) if x == ALL else x,
                 placeholder=_t("ui_choose", lg))
    fields = [ALL, *opts.get("fields", [])]
    _keep_valid(K_FIELD, fields)
    sb.selectbox(_t("field", lg), fields, key=K_FIELD,
                 format_func=lambda x: _t("all", lg) if x == ALL else x,
                 placeholder=_t("ui_choose", lg))
    picked_field = state.get(K_FIELD)
    procs = [p for p in opts.get("procedures", []) if not picked_field or p.get("field") == picked_field]
    proc_names = {p["code"]: f"{p['code']} – {p['name']}" for p in procs}
    proc_keys = [ALL, *proc_names]
    _keep_valid(K_PROCEDURE, proc_keys)
    sb.selectbox(_t("procedure", lg), proc_keys, key=K_PROCEDURE,
                 format_func=lambda x: _t("all", lg) if x == ALL else proc_names.get(x, x),
                 placeholder=_t("ui_choose", lg))
    channels = [ALL, *CHANNELS]
    _keep_valid(K_CHANNEL, channels)
    sb.selectbox(_t("channel", lg), channels, key=K_CHANNEL,
                 format_func=lambda x: _t("all", lg) if x == ALL else channel_name(x, lg))

    v = build_view(opts, has_db=has_db, scope=scope)
    if v.half_picked:
        sb.caption(_t("ui_range_half", lg))
    sb.caption(_t("period", lg, period=period_text(v.filters, lg)))
    return v


def offered_levels(opts: dict[str, Any], attribution: str, date_from: date) -> list[str]:
    """The levels the level filter offers: those of the agencies with figures
    in the view ``attribution``, today's levels first (cấp tỉnh, cấp xã), and
    cấp huyện only for a period that starts before 1 July 2025 (issue 14).

    Under today's units an old district's offices count under their
    successors (the lineage), so Huyện is offered there only while an
    office's successor is not set yet; as recorded, for any period before
    the reform (a period spanning the date offers both).
    """
    found = {a["level"] for a in opts.get("agencies") or [] if a.get("level") and a.get(attribution, True)}
    if date_from >= REFORM_DATE:
        found.discard(DISTRICT)
    return [*(lv for lv in LEVELS if lv in found), *sorted(found - set(LEVELS))]


def _keep_valid(key: str, options: Sequence[str]) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = ALL


def _preset_label(p: periods.Preset, lg: str) -> str:
    return f"{p.label(lg)} ({fmt.period(p.date_from, p.date_to, lg)})"


def period_text(f: Filters, lg: str) -> str:
    return fmt.period(f.date_from, f.date_to, lg)


def filter_summary(v: View) -> str:
    """"Cơ quan/đơn vị: X; Kênh nộp: Trực tuyến" (empty when no filter is set)."""
    return describe_filters(v.filters, v.lang)


def context_lines(v: View, *extra: str) -> list[str]:
    """Subtitle lines of an Excel file: period, filters (and the account's
    scope when it is limited), the view (today's units or as recorded), the
    as-of date ("Số liệu đến ngày", as in Biểu 06) and, when later, the data
    date."""
    lines = [_t("period", v.lang, period=period_text(v.filters, v.lang))]
    summary = scope_description(v.filters, v.lang)
    if summary:
        lines.append(_t("filters", v.lang, filters=summary))
    lines.append(attribution_text(v.filters, v.lang))
    lines.extend(e for e in extra if e)
    if v.data_date:
        lines.append(_t("data_date", v.lang, date=fmt.date(v.as_of, v.lang)))
        if v.data_date != v.as_of:
            lines.append(_t("data_loaded", v.lang, date=fmt.date(v.data_date, v.lang)))
    return lines
