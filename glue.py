"""Streamlit glue: the one place pages get data, filters, tables and charts from.

Pages are layout only. They read :func:`view` (language, filters, data date),
ask :func:`query` / :func:`frame` for engine results and hand them to
:func:`table`, :func:`chart` and :func:`metric_cards`. Nothing here holds SQL:
every number comes from :class:`analytics.indicators.engine.Engine`.

Connection and caching:

* the :class:`~analytics.store.database.AnalyticsStore` is a process-wide resource;
  its ``reader()`` reopens the read-only connection when the file's version
  changes, so an import (which swaps in a new file) never waits for us;
* every engine call is cached by (query name, filters incl. scope, extra
  arguments, data version) with a TTL and a bounded number of entries, so a
  filter change costs one engine call per new query and a rerun costs none.

Filters live in ``st.session_state`` under the widget keys of
:data:`FILTER_KEYS`; the widgets are drawn by ``dashboard.py`` on every run, so
they are kept when switching pages, and they are mirrored in the URL with
language-independent values (preset keys, ISO dates, names, channel codes), so
a link reproduces the view.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import pandas as pd
import streamlit as st

from analytics.locale import clock

from analytics.locale import fmt

from analytics.indicators import periods
from analytics.indicators.engine import Engine
from analytics.indicators.filters import CHANNELS, Filters
from analytics.locale.labels import channel_name, describe_filters, level_name, status_name
from analytics.locale.labels import t as _t
from analytics.locale.safe_text import md_escape, md_values
from analytics.store.database import AnalyticsStore, StoreError

LOG = logging.getLogger("motcua.dashboard")

ROOT = Path(__file__).resolve().parent
DB_ENV = "MOTCUA_DB"
DEFAULT_DB = ROOT / "data" / "demo.duckdb"

# Cached engine answers: aggregates are small, lists are bounded by MAX_SCREEN_ROWS
# on screen; 10 minutes is a safety net, the data version key does the real work.
CACHE_TTL = timedelta(minutes=10)
CACHE_MAX_ENTRIES = 512
# Rows drawn in a table on screen; the Excel file always has every row.
MAX_SCREEN_ROWS = 500
DEFAULT_PRESET = "this_year"
# Bars in a ranked chart (the worst first); the table under it has every row.
CHART_TOP = 15
CUSTOM = "custom"
LANGS = ("vi", "en")

# Engine methods pages may call through :func:`query` (an allow-list: the name
# is used with getattr).
QUERIES = frozenset({
    "totals", "by_agency", "by_field", "by_stage", "by_handler", "stage_agency",
    "trend", "late_dossiers", "late_steps", "procedures_without_dossiers",
    "procedure_usage", "fully_online_paper_heavy", "report06",
})

# Widget keys of the shared filters and their URL parameter names.
K_LANG, K_PRESET, K_RANGE = "f_lang", "f_preset", "f_range"
K_LEVEL, K_AGENCY, K_FIELD = "f_level", "f_agency", "f_field"
K_PROCEDURE, K_CHANNEL, K_PRINT = "f_procedure", "f_channel", "f_print"
URL_KEYS = {
    K_LANG: "lang", K_PRESET: "ky", K_LEVEL: "cap", K_AGENCY: "donvi",
    K_FIELD: "linhvuc", K_PROCEDURE: "tthc", K_CHANNEL: "kenh", K_PRINT: "banin",
}
URL_FROM, URL_TO = "tu", "den"
# Bounds of the custom range widget. st.date_input raises when its value lies
# outside them, and the value stays in the session, so a link such as
# ?ky=custom&tu=1900-01-01 broke every page of that session until it was
# closed: link dates are pulled inside these bounds first (_url_range).
RANGE_MIN, RANGE_MAX = date(2000, 1, 1), date(2100, 12, 31)
FILTER_KEYS = (K_LANG, K_PRESET, K_RANGE, K_LEVEL, K_AGENCY, K_FIELD, K_PROCEDURE, K_CHANNEL, K_PRINT)
ALL = ""  # the "Tất cả" option of a filter select box

_BUILD_LOCK = threading.Lock()


# --------------------------------------------------------------------------
# Database, engine and cached queries
# --------------------------------------------------------------------------


def db_path() -> Path:
    """The analytics database: ``$MOTCUA_DB`` or the embedded demo."""
    value = os.environ.get(DB_ENV)
    # absolute(), not resolve(): the database path is a link to the current
    # version file, and it must be followed anew on every read.
    return Path(value).expanduser().absolute() if value else DEFAULT_DB


@st.cache_resource(show_spinner=False)
def _store(path: str) -> AnalyticsStore:
    return AnalyticsStore(path)


_UPGRADED: set[str] = set()  # data versions whose derived tables were checked


def ensure_database(path: Path | None = None) -> bool:
    """True when the database file exists; the default demo is built when
    missing, and the derived tables of a database written by an older
    version of the software are rebuilt first (once)."""
    path = path or db_path()
    if path.is_file():
        _ensure_derived(path)
        return True
    if path != DEFAULT_DB:
        return False
    with _BUILD_LOCK:
        if not path.is_file():
            from analytics.demo.generator import build_demo

            LOG.info("building the demo database at %s", path)
            with st.spinner("Đang tạo cơ sở dữ liệu mẫu (khoảng 10–30 giây, chỉ lần đầu)…"):
                build_demo(path)
    return path.is_file()


def _ensure_derived(path: Path) -> None:
    current = store()
    version = data_version()
    if version is None or version in _UPGRADED:
        return
    with _BUILD_LOCK:
        if version not in _UPGRADED and not current.derived_current():
            LOG.info("rebuilding the derived tables of %s (written by an older version)", path)
            with st.spinner("Đang cập nhật cơ sở dữ liệu cho phiên bản mới (chỉ một lần)…"):
                current.upgrade_derived()
        _UPGRADED.add(data_version() or version)


def store() -> AnalyticsStore:
    return _store(str(db_path()))


def data_version() -> str | None:
    """Identity of the committed database file (None when it does not exist)."""
    try:
        v = store().version()
    except StoreError:
        return None
    return f"{Path(v.file).name}-{v.inode}-{v.mtime_ns}"


def engine() -> Engine:
    """An engine over a fresh cursor of the current database state."""
    return Engine(store().reader())


def current_user() -> Any:
    """The signed-in :class:`analytics.access.auth.User` (set by ``signin.gate``), or None."""
    return st.session_state.get("_user")


def current_scope() -> frozenset[str] | None:
    """The agencies the signed-in user may see (None: all). Nobody signed in: none."""
    user = current_user()
    return user.scope if user is not None else frozenset()


def require(action: str) -> None:
    """Refuse the page (a message, then stop) unless the user may do ``action``."""
    _enter_frame()  # a page started outside the frame has no user yet
    user = current_user()
    if user is None or not user.can(action):
        st.error(t("auth_refused"), icon=":material/block:")
        st.stop()


def filters_key(f: Filters | None) -> tuple | None:
    """A hashable, order-independent identity of the filters (cache key)."""
    if f is None:
        return None
    return (
        f.date_from.isoformat(), f.date_to.isoformat(), f.agency, f.field, f.channel,
        f.procedure, f.agency_level, tuple(sorted(f.scope)) if f.scope is not None else None,
    )


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_query(path: str, version: str, name: str, fkey: tuple | None, kwkey: tuple,
                  _filters: Filters | None, _kwargs: dict[str, Any]) -> Any:
    eng = Engine(_store(path).reader())
    method = getattr(eng, name)
    return method(_filters, **_kwargs) if _filters is not None else method(**_kwargs)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_frame(path: str, version: str, name: str, fkey: tuple | None, kwkey: tuple,
                  _filters: Filters | None, _kwargs: dict[str, Any]) -> pd.DataFrame:
    rows = _cached_query(path, version, name, fkey, kwkey, _filters, _kwargs)
    return pd.DataFrame.from_records(rows) if rows else pd.DataFrame()


def _call(cached: Callable, name: str, f: Filters | None, kwargs: dict[str, Any]) -> Any:
    if name not in QUERIES:
        raise ValueError(f"unknown query {name!r}")
    version = data_version() or "missing"
    kwkey = tuple(sorted((k, repr(v)) for k, v in kwargs.items()))
    return cached(str(db_path()), version, name, filters_key(f), kwkey, f, kwargs)


def query(name: str, f: Filters | None = None, **kwargs: Any) -> Any:
    """A cached engine answer, e.g. ``query("totals", view().filters)``."""
    return _call(_cached_query, name, f, kwargs)


def frame(name: str, f: Filters | None = None, **kwargs: Any) -> pd.DataFrame:
    """A cached engine list answer as a DataFrame (empty frame when no rows)."""
    return _call(_cached_frame, name, f, kwargs)


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _cached_facts(path: str, version: str, scope: tuple | None) -> dict[str, Any]:
    eng = Engine(_store(path).reader())
    opts = eng.options(frozenset(scope) if scope is not None else None)
    return {"data_date": eng.data_date(), **opts}


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _cached_watchlist(path: str, version: str, as_of: date, near_due_days: int, scope: tuple | None,
                      agency: str | None, inter_agency: bool | None, calendar_key: str,
                      _calendar: Any) -> Any:
    from analytics.reminders.watchlist import build_watchlist

    return build_watchlist(_store(path), as_of=as_of, near_due_days=near_due_days,
                           scope=scope, agency=agency, inter_agency=inter_agency, calendar=_calendar)


def watchlist(*, as_of: date, near_due_days: int, scope: Any, agency: str | None,
              inter_agency: bool | None, calendar: Any, office_calendar: dict[str, Any]) -> Any:
    """The reminders' watchlist for the page, cached per data version.

    ``calendar`` is the working-day calendar built from the shipped
    overrides and ``office_calendar`` (the office's own days off, from the
    reminder settings): both are part of the cache key.
    """
    import json

    from analytics.locale.workdays import DEFAULT_OVERRIDES_PATH

    try:
        shipped = DEFAULT_OVERRIDES_PATH.stat().st_mtime_ns
    except OSError:
        shipped = 0
    key = f"{shipped}:{json.dumps(office_calendar, sort_keys=True, default=str)}"
    version = data_version() or "missing"
    return _cached_watchlist(str(db_path()), version, as_of, near_due_days,
                             tuple(sorted(scope)) if scope is not None else None,
                             agency, inter_agency, key, calendar)


def facts_missing() -> dict[str, Any]:
    """The facts of a database that does not exist yet: nothing to offer."""
    return {"data_date": None, "agencies": [], "fields": [], "levels": [],
            "procedures": [], "min_date": None, "max_date": None}


def facts(scope: frozenset[str] | None = None) -> dict[str, Any]:
    """Data date and the values offered by the filter widgets (cached per version)."""
    version = data_version()
    if version is None:
        return facts_missing()
    return _cached_facts(str(db_path()), version, tuple(sorted(scope)) if scope is not None else None)


# --------------------------------------------------------------------------
# Language and the shared view
# --------------------------------------------------------------------------


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

    def t(self, key: str, **kwargs: Any) -> str:
        return _t(key, self.lang, **kwargs)

    def t_md(self, key: str, **values: Any) -> str:
        """The label for an element that renders Markdown (``st.markdown``,
        ``st.caption``, ``st.info``/``warning``/``error``/``success``...):
        the values, which may come from imported files, are escaped; the
        label's own Markdown is kept."""
        return _t(key, self.lang, **md_values(values))


def lang() -> str:
    value = st.session_state.get(K_LANG)
    return value if value in LANGS else "vi"


def t(key: str, **kwargs: Any) -> str:
    """A label in the current language."""
    return _t(key, lang(), **kwargs)


def t_md(key: str, **values: Any) -> str:
    """:func:`t` with its values escaped, for an element that renders Markdown
    (see :meth:`View.t_md`)."""
    return _t(key, lang(), **md_values(values))


def view() -> View:
    """The view ``dashboard.py`` set up for this run."""
    _enter_frame()
    v = st.session_state.get("_view")
    if v is None:
        v = build_view({})  # only reached when a page runs outside the app
    return v


# Set on the script run context while dashboard.py's frame runs (per run, per
# session: never a process-wide flag, which another session can flip).
_IN_FRAME = "_motcua_in_frame"


@contextlib.contextmanager
def as_entry_script() -> Iterator[None]:
    """Run ``dashboard.py``'s body as the entry script, whatever Streamlit thinks.

    Until some session of a server process has called ``st.navigation``,
    Streamlit treats an app with a ``pages/`` folder the old way: the entry
    script runs as one page among the files of ``pages/`` (under another
    script hash, so its sidebar widgets would get other ids and lose their
    state on the next run), and a request for ``/dung_han`` runs
    ``pages/dung_han.py`` directly, without the frame. This happens to the
    first sessions of a fresh server, and to every run under AppTest (which
    resets that process-wide flag). Here the flag is cleared, the body runs
    under the entry script's hash, as in every normal run, and this run is
    marked as framed for :func:`_enter_frame`.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        yield
        return
    PagesManager.uses_pages_directory = False
    setattr(ctx, _IN_FRAME, True)
    try:
        with ctx.run_with_active_hash(ctx.pages_manager.main_script_hash):
            yield
    finally:
        setattr(ctx, _IN_FRAME, False)


def _enter_frame() -> None:
    """Run the page inside ``dashboard.py`` when it was started without it
    (see :func:`as_entry_script`): the entry script draws the frame (and the
    sign-in gate) and runs this page inside it in this same run, then the
    frameless run stops.

    Whether this run is framed is read from this run's own context. Reading
    Streamlit's process-wide ``uses_pages_directory`` instead let a page run
    without the sign-in gate when two sessions of a fresh server started at
    once: the other session's frame cleared the flag in between (found by
    the load test, docs/PERFORMANCE.md).
    """
    import runpy

    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or getattr(ctx, _IN_FRAME, False):
        return
    runpy.run_path(str(ROOT / "dashboard.py"), run_name="__main__")
    st.stop()


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


def url_params(v: View) -> dict[str, str]:
    """The URL parameters that reproduce ``v`` (defaults left out)."""
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
    if v.print_mode:
        out["banin"] = "1"
    return out


def sync_url(v: View) -> None:
    """Mirror the view in the URL; written only when it differs (no extra messages).

    The note about the link's dates (``_url_note``) is dropped here: the link
    is replaced by the view's own URL, and a run cut short before (the switch
    to a deep link's page after sign-in) has shown the note to no one.
    """
    st.session_state.pop("_url_note", None)
    wanted = url_params(v)
    current = {k: st.query_params.get(k) for k in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict(wanted)


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


def build_view(opts: dict[str, Any], *, has_db: bool = True) -> View:
    """The view from the filter state (widgets already drawn or seeded)."""
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
        scope=current_scope(),
    )
    data_date = opts.get("data_date")
    as_of = min(d_to, data_date) if data_date else d_to
    return View(lang=lang(), filters=f, preset=preset, data_date=data_date, as_of=as_of,
                print_mode=bool(state.get(K_PRINT)), has_db=has_db, half_picked=half)


def sidebar_filters(opts: dict[str, Any], *, has_db: bool = True) -> View:
    """Draw the shared filters in the sidebar and return the resulting view."""
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

    levels = [ALL, *opts.get("levels", [])]
    _keep_valid(K_LEVEL, levels)
    sb.selectbox(_t("agency_level", lg), levels, key=K_LEVEL,
                 format_func=lambda x: _t("all", lg) if x == ALL else level_name(x, lg))
    agencies = [a["name"] for a in opts.get("agencies", [])
                if not state.get(K_LEVEL) or a.get("level") == state.get(K_LEVEL)]
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
    procs = [p for p in opts.get("procedures", [])
             if not state.get(K_FIELD) or p.get("field") == state.get(K_FIELD)]
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

    v = build_view(opts, has_db=has_db)
    if v.half_picked:
        sb.caption(_t("ui_range_half", lg))
    sb.caption(_t("period", lg, period=fmt.period(v.filters.date_from, v.filters.date_to, lg)))
    return v


def _keep_valid(key: str, options: Sequence[str]) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = ALL


def _preset_label(p: periods.Preset, lg: str) -> str:
    return f"{p.label(lg)} ({fmt.period(p.date_from, p.date_to, lg)})"


def filter_summary(v: View) -> str:
    """"Cơ quan/đơn vị: X; Kênh nộp: Trực tuyến" (empty when no filter is set)."""
    return describe_filters(v.filters, v.lang)


def context_lines(v: View, *extra: str) -> list[str]:
    """Subtitle lines of an Excel file: period, filters, data date."""
    lines = [_t("period", v.lang, period=fmt.period(v.filters.date_from, v.filters.date_to, v.lang))]
    summary = filter_summary(v)
    if summary:
        lines.append(_t("filters", v.lang, filters=summary))
    lines.extend(e for e in extra if e)
    if v.data_date:
        lines.append(_t("data_date", v.lang, date=fmt.date(v.data_date, v.lang)))
    return lines


def with_period(f: Filters, span: tuple[date, date]) -> Filters:
    return f.with_period(span[0], span[1])


def comparison_filters(f: Filters, as_of: date | None = None) -> dict[str, Filters]:
    """The previous period of the same length and the same period a year before.

    When the period runs past the data date (``as_of``: "Năm nay" on 20/11),
    both comparisons are cut to the same elapsed length, so ten and a half
    months are compared with ten and a half months, not with a whole year.
    A period that starts after the data date has no elapsed part: it is
    compared whole (cutting it would end the comparisons before they start).
    """
    end = min(f.date_to, as_of) if as_of else f.date_to
    prev_from, prev_to = periods.previous_period(f.date_from, f.date_to)
    if f.date_from <= end < f.date_to:
        prev_to = min(prev_to, prev_from + (end - f.date_from))
        last_year = periods.same_period_last_year(f.date_from, end)
    else:
        last_year = periods.same_period_last_year(f.date_from, f.date_to)
    return {"previous": with_period(f, (prev_from, prev_to)), "last_year": with_period(f, last_year)}


# --------------------------------------------------------------------------
# KPI cards
# --------------------------------------------------------------------------

# indicator key -> (kind, is up good?: True good, False bad, None neutral)
KPI_KINDS: dict[str, tuple[str, bool | None]] = {
    "received_total": ("int", None),
    "received_new": ("int", None),
    "online": ("int", True),
    "resolved": ("int", True),
    "on_time_rate": ("rate", True),
    "late": ("int", False),
    "pending_overdue": ("int", False),
    "online_share": ("rate", True),
    "progress_766": ("rate", True),
}
# The overview's cards, in order.
KPIS = ("received_total", "resolved", "on_time_rate", "late", "pending_overdue", "online_share",
        "progress_766")


@dataclass(frozen=True)
class Kpi:
    """One overview card: the value now and its change against both comparisons."""

    key: str
    label: str
    kind: str
    value: Any
    text: str
    previous: Any
    last_year: Any
    delta_previous: str | None
    delta_last_year: str | None
    delta_color: str


def _delta(now: Any, before: Any, kind: str, lg: str) -> str | None:
    if now is None or before is None:
        return None
    if kind == "rate":
        return fmt.points(now - before, lg)
    return fmt.signed_number(now - before, lg)


def kpis(totals: dict[str, Any], previous: dict[str, Any], last_year: dict[str, Any],
         lg: str, keys: Sequence[str] = KPIS) -> list[Kpi]:
    """Cards of ``keys``: value and change against both comparison periods."""
    out = []
    for key in keys:
        kind, up_good = KPI_KINDS[key]
        value = totals.get(key)
        text = fmt.percent(value, lg) if kind == "rate" else fmt.number(value, lg)
        color = "off" if up_good is None else ("normal" if up_good else "inverse")
        label = _t(f"kpi_{key}", lg) if f"kpi_{key}" in _labels() else _t(key, lg)
        out.append(Kpi(key, label, kind, value, text, previous.get(key), last_year.get(key),
                       _delta(value, previous.get(key), kind, lg),
                       _delta(value, last_year.get(key), kind, lg), color))
    return out


def kpi_rows(cards: Sequence[Kpi], lg: str) -> list[dict[str, Any]]:
    """The comparison table under the cards (values as text: counts and rates
    share its columns)."""
    def shown(card: Kpi, value: Any) -> str:
        return fmt.percent(value, lg) if card.kind == "rate" else fmt.number(value, lg)

    return [
        {"indicator": c.label, "current": c.text, "previous": shown(c, c.previous),
         "delta_previous": c.delta_previous or fmt.MISSING, "last_year": shown(c, c.last_year),
         "delta_last_year": c.delta_last_year or fmt.MISSING}
        for c in cards
    ]


def kpi_cards(f: Filters, keys: Sequence[str] | None = None) -> list[Kpi]:
    """The cards of ``keys`` (all of :data:`KPIS` by default) for the filters."""
    compare = comparison_filters(f, view().data_date)
    return kpis(query("totals", f), query("totals", compare["previous"]),
                query("totals", compare["last_year"]), lang(), keys or KPIS)


def metric_cards(cards: Sequence[Kpi], *, per_row: int = 4, key: str = "kpis") -> None:
    """KPI cards: value, change vs the previous period (the delta), and a
    caption with the change vs the same period last year; a note under the
    cards names both comparison periods."""
    lg = lang()
    v = view()
    with st.container(key=key):
        for start in range(0, len(cards), per_row):
            cols = st.columns(per_row)
            for col, card in zip(cols, cards[start:start + per_row]):
                with col.container(border=True):
                    st.metric(card.label, card.text, delta=card.delta_previous,
                              delta_color=card.delta_color,
                              help=_t(f"help_{card.key}", lg) if f"help_{card.key}" in _labels() else None)
                    st.caption(_t("ui_vs_last_year", lg, delta=card.delta_last_year or fmt.MISSING))
    compare = comparison_filters(v.filters, v.data_date)
    st.caption(_t("ui_compare_note", lg, previous=period_text(compare["previous"], lg),
                  last_year=period_text(compare["last_year"], lg)))


def _labels() -> dict[str, Any]:
    from analytics.locale.labels import LABELS

    return LABELS


# --------------------------------------------------------------------------
# Tables and Excel downloads
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A table column: engine key, label key and how to show it.

    kind: text | int | rate | number1 | date | datetime | channel | status |
    month | quarter (a period start shown as "Tháng 07/2026" / "Quý III/2026")
    """

    key: str
    label: str | None = None
    kind: str = "text"

    def header(self, lg: str) -> str:
        return _t(self.label or self.key, lg)


_NUMERIC = {"int", "rate", "number1"}


def _formatter(kind: str, lg: str) -> Callable[[Any], str]:
    return {
        "int": partial(fmt.number, lang=lg),
        "number1": partial(fmt.number, lang=lg, decimals=1),
        "rate": partial(fmt.percent, lang=lg),
        "date": partial(fmt.date, lang=lg),
        "datetime": partial(fmt.datetime, lang=lg),
    }.get(kind, lambda x: fmt.MISSING if x is None or x != x else str(x))


def shape_table(df: pd.DataFrame, cols: Sequence[Col], lg: str) -> pd.DataFrame:
    """The columns of ``cols`` in order (engine keys kept), codes replaced by
    their display names. Numbers and dates keep their types, for sorting on
    screen and for number formats in Excel."""
    out = pd.DataFrame(index=df.index)
    for c in cols:
        if c.key in df.columns:
            s = df[c.key]
        else:
            s = pd.Series([None] * len(df), index=df.index, dtype=object)
        if c.kind == "channel":
            s = s.map(lambda x: channel_name(x, lg) if isinstance(x, str) else x)
        elif c.kind == "status":
            s = s.map(lambda x: status_name(x, lg) if x is not None and x == x else None)
        elif c.kind == "month":
            s = s.map(lambda d: periods.month_label(d, lg) if d is not None and d == d else None)
        elif c.kind == "quarter":
            s = s.map(lambda d: periods.quarter_label(d, lg) if d is not None and d == d else None)
        elif c.kind in ("date", "datetime"):
            s = pd.to_datetime(s, errors="coerce")
        elif c.kind in _NUMERIC:
            s = pd.to_numeric(s, errors="coerce")
        out[c.key] = s
    return out.reset_index(drop=True)


def headers(cols: Sequence[Col], lg: str) -> dict[str, str]:
    """Column headers by key, made unique (two labels may read the same)."""
    out: dict[str, str] = {}
    seen: set[str] = set()
    for c in cols:
        name, n = c.header(lg), 1
        while name in seen:
            n += 1
            name = f"{c.header(lg)} ({n})"
        seen.add(name)
        out[c.key] = name
    return out


def styled(df: pd.DataFrame, cols: Sequence[Col], lg: str, bold_rows: Sequence[bool] | None = None):
    """The table for the screen: headers in ``lg``, Vietnamese (or English)
    number and date formats, optional bold rows (subtotals)."""
    shown = df.rename(columns=headers(cols, lg))
    names = headers(cols, lg)
    formats = {names[c.key]: _formatter(c.kind, lg) for c in cols
               if c.kind in _NUMERIC or c.kind in ("date", "datetime")}
    style = shown.style.format(formats, na_rep=fmt.MISSING)
    if bold_rows is not None:
        flags = list(bold_rows)[: len(shown)]
        style = style.apply(
            lambda row: ["font-weight: bold" if flags[row.name] else "" for _ in row], axis=1)
    return style


_EXCEL_KINDS = {"int": "int", "rate": "percent", "number1": "float", "date": "date",
                "datetime": "datetime"}


def excel_columns(cols: Sequence[Col], lg: str) -> dict[str, Any]:
    """The ``columns`` argument of ``analytics.reports.excel.table_to_xlsx``."""
    from analytics.reports.excel import ColumnSpec

    names = headers(cols, lg)
    return {c.key: ColumnSpec(header=names[c.key], kind=_EXCEL_KINDS.get(c.kind, "text")) for c in cols}


def xlsx_builder(df: pd.DataFrame, cols: Sequence[Col], *, title: str,
                 subtitle_lines: Sequence[str], lg: str, sheet_name: str | None = None
                 ) -> Callable[[], bytes]:
    """A no-argument callable that writes the table as .xlsx when called.

    Streamlit runs it on another thread when the download button is clicked,
    so it touches no Streamlit API and holds only plain data.
    """
    from analytics.reports.excel import table_to_xlsx

    columns = excel_columns(cols, lg)
    lines = list(subtitle_lines)
    sheet = sheet_name or title[:31]

    def build() -> bytes:
        return table_to_xlsx(df, title=title, subtitle_lines=lines, columns=columns,
                             sheet_name=sheet, lang=lg)

    return build


def file_name(stem: str, v: View) -> str:
    """"tong-quan_2026-01-01_2026-12-31.xlsx": ASCII, sortable, no spaces."""
    from analytics.reports.excel import download_name

    return download_name(stem, v.filters.date_from, v.filters.date_to)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _audited(build: Callable[[], bytes], name: str) -> Callable[[], bytes]:
    from signin import audited  # every download goes to the audit log

    return audited(build, name)


def download_button(build: Callable[[], bytes], *, name: str, key: str, label: str | None = None,
                    disabled: bool = False, primary: bool = False) -> None:
    """An .xlsx download built only when clicked, without a rerun."""
    st.download_button(
        label or t("ui_download_xlsx"), data=_audited(build, name), file_name=name, mime=XLSX_MIME,
        key=key, on_click="ignore", icon=":material/download:", disabled=disabled,
        type="primary" if primary else "secondary",
    )


def table(data: pd.DataFrame | list[dict[str, Any]], cols: Sequence[Col], *, title: str,
          key: str, stem: str, extra_lines: Sequence[str] = (), height: int | None = None,
          empty_text: str | None = None, bold_key: str | None = None,
          download_label: str | None = None, download: bool = True,
          rows_visible: int | None = None) -> pd.DataFrame:
    """A table on screen (first :data:`MAX_SCREEN_ROWS` rows) and its Excel download.

    Args:
        data: engine rows (or their DataFrame).
        cols: the columns to show, in order.
        title: the indicator name: the Excel title row and sheet name.
        key: a key unique on the page (widget keys derive from it).
        stem: the file name stem (ASCII).
        extra_lines: more subtitle lines for the Excel file.
        bold_key: a boolean column of ``data`` marking rows shown in bold.

    Returns:
        The table as written to Excel (engine keys as column names).
    """
    v = view()
    lg = v.lang
    df = data if isinstance(data, pd.DataFrame) else pd.DataFrame.from_records(list(data))
    if df.empty:
        empty(empty_text)
        return df
    shaped = shape_table(df, cols, lg)
    screen = shaped.head(MAX_SCREEN_ROWS)
    bold = df[bold_key].tolist() if bold_key and bold_key in df.columns else None
    if v.print_mode:
        # A static table wraps its columns and prints whole; the interactive
        # grid would be cut at the page edge.
        st.table(styled(screen, cols, lg, bold), hide_index=True)
    else:
        if height is None and rows_visible:
            height = 38 + 35 * min(len(screen), rows_visible)  # header + rows, no inner scroll
        st.dataframe(styled(screen, cols, lg, bold), hide_index=True, width="stretch",
                     height=height if height is not None else "auto", key=f"tbl_{key}")
    if len(shaped) > MAX_SCREEN_ROWS:
        st.caption(t("ui_rows_truncated", shown=fmt.number(MAX_SCREEN_ROWS, lg),
                     total=fmt.number(len(shaped), lg)))
    if download:
        build = xlsx_builder(shaped, cols, title=title, subtitle_lines=context_lines(v, *extra_lines), lg=lg)
        download_button(build, name=file_name(stem, v), key=f"dl_{key}", label=download_label)
    return shaped


def text_card(label: str, value: str | None, detail: str | None = None) -> None:
    """A card like a metric for a name (a stage, a person): the metric's big
    font would cut a long name. ``value`` and ``detail`` are shown as plain
    text (they hold names from the data), ``label`` may use Markdown."""
    with st.container(border=True):
        st.caption(label)
        st.markdown(f"**{md_escape(value or fmt.MISSING)}**")
        if detail:
            st.caption(md_escape(detail))


def empty(text: str | None = None) -> None:
    """The message for an empty period: never an empty axis or an error."""
    st.info(text or t("no_data"), icon=":material/info:")


# --------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------


CHART_BUILDERS = frozenset({"kpi_trend", "ranked_bars", "late_heatmap", "handler_bars",
                            "online_share_bars", "online_trend", "stacked_resolution"})


@st.cache_resource(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _figure(builder: str, args: tuple, kwargs: tuple) -> Any:
    from analytics.reports import charts

    return getattr(charts, builder)(*args, **dict(kwargs))


def figure(builder: str, *args: Any, **kwargs: Any) -> Any:
    """``analytics.reports.charts.<builder>(*args, **kwargs)``, cached by its arguments.

    Building a Plotly figure (property validation) is the largest part of a
    page run; a rerun with the same data (a drill-down click, the print
    switch, coming back to a page) reuses the figure. The cached figure is
    shared and never changed: ``chart`` copies it for the print layout.
    """
    if builder not in CHART_BUILDERS:
        raise ValueError(f"unknown chart builder {builder!r}")
    return _figure(builder, args, tuple(sorted(kwargs.items())))


def chart(fig: Any, *, key: str | None = None, on_select: Any = "ignore",
          selection_mode: Any = "points") -> Any:
    """Draw a Plotly figure; the print view gets the A4 print layout."""
    from analytics.reports import charts

    if view().print_mode:
        fig = charts.apply_print_layout(fig)
    config = charts.chart_config(filename=(key or "bieu-do").replace("_", "-"))
    kwargs: dict[str, Any] = {"config": config, "theme": None, "width": "stretch"}
    if key is not None:
        kwargs["key"] = key
    if on_select != "ignore":
        kwargs.update(on_select=on_select, selection_mode=selection_mode)
    return st.plotly_chart(fig, **kwargs)


def selected_points(event: Any) -> list[dict[str, Any]]:
    """Points of a Plotly selection event (empty when nothing is selected).

    Streamlit's event is a dict that also allows attribute access; both are
    accepted.
    """
    def part(obj: Any, name: str) -> Any:
        if obj is None:
            return None
        if isinstance(obj, dict):
            return obj.get(name)
        return getattr(obj, name, None)

    points = part(part(event, "selection"), "points")
    return [p for p in (points or []) if isinstance(p, dict)]


# --------------------------------------------------------------------------
# Page frame: header, print view, error handling
# --------------------------------------------------------------------------

PRINT_CSS = """
<style>
@page { size: A4 landscape; margin: 10mm; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stDownloadButton"], .st-key-f_print, [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], .no-print { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 0 !important; margin: 0 !important; }
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stDataFrame"],
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
[data-testid="stMetricValue"] { font-size: 1.9rem; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 0.85rem; padding: 0.25rem 0.4rem; }
[data-testid="stMetricLabel"] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
h3 { font-size: 1.3rem !important; }
@media (max-width: 640px) {
  [data-testid="stMetricValue"] { font-size: 1.45rem; }
  h1 { font-size: 1.7rem !important; }
  [data-testid="stMainBlockContainer"], .block-container {
    padding-left: 0.7rem !important; padding-right: 0.7rem !important; padding-top: 3.2rem !important; }
  /* KPI cards two by two on a phone instead of one long column. */
  [class*="st-key-kpis"] [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; gap: 0.5rem !important; }
  [class*="st-key-kpis"] [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important; }
  [class*="st-key-kpis"] [data-testid="stMetric"] label p { font-size: 0.8rem; }
}
</style>
"""

# On screen, the print view looks like the A4 sheet it will print on.
PRINT_SCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 277mm !important; }
</style>
"""


# The file uploader's button and size line are not parameters of
# st.file_uploader; on a Vietnamese screen they are replaced by CSS.
UPLOADER_VI_CSS = """
<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {
  font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {
  content: "Chọn tệp"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "Kéo thả tệp vào đây · tối đa 200MB mỗi tệp · XLSX, CSV"; font-size: 0.875rem; }
</style>
"""


def inject_css(print_mode: bool, lg: str = "vi") -> None:
    st.html(PRINT_CSS + (PRINT_SCREEN_CSS if print_mode else "") + (UPLOADER_VI_CSS if lg == "vi" else ""))


def header(v: View, title: str) -> None:
    """Page title, data date and period, on every page."""
    lg = v.lang
    top = st.columns([5, 1.3], vertical_alignment="bottom")
    top[0].title(title)
    top[1].toggle(_t("ui_print_view", lg), key=K_PRINT, help=_t("ui_print_help", lg))
    date_text = fmt.date(v.data_date, lg) if v.data_date else fmt.MISSING
    bits = [f"**{_t('data_date', lg, date=date_text)}**",
            _t("period", lg, period=fmt.period(v.filters.date_from, v.filters.date_to, lg))]
    summary = filter_summary(v)
    if summary:
        bits.append(md_escape(summary))  # agency, field and procedure names are data
    st.markdown(" · ".join(bits))
    if v.print_mode:
        st.caption(_t("ui_print_hint", lg))


def show_error(exc: BaseException) -> None:
    """Log the traceback; show a clear message without paths or code."""
    LOG.exception("page failed: %s", exc)
    st.error(t("ui_error"), icon=":material/error:")




def period_text(f: Filters, lg: str) -> str:
    return fmt.period(f.date_from, f.date_to, lg)


# --------------------------------------------------------------------------
# Biểu 06
# --------------------------------------------------------------------------

REPORT06_NUMBERS = ("received_total", "online", "direct_postal", "carried_over", "resolved", "early",
                    "on_time", "late", "pending", "pending_within", "pending_overdue")
# Headers carry the form's column numbers (3)..(13), as on the paper form.
REPORT06_COLS = [Col(k, f"r06_c{i}", "int") for i, k in enumerate(REPORT06_NUMBERS, start=3)]


def report06_total(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The totals row of Biểu 06 (empty when there are no rows)."""
    return [r for r in rows if r.get("row_kind") == "total"]


def report06_table(rows: Sequence[dict[str, Any]], lg: str) -> list[dict[str, Any]]:
    """Biểu 06 rows with STT and label (I, II… per level, 1, 2… per field) and a
    ``bold`` flag for the level and total rows."""
    from analytics.reports.report06 import label_rows

    out = []
    for r in label_rows(list(rows)):
        label = r["label"]
        if r["row_kind"] == "total":
            label = _t("r06_total", lg)
        elif r["row_kind"] == "level" and lg != "vi":
            label = _t("r06_level", lg, level=level_name(_level_of(label), lg))
        out.append({**r, "bold": r["row_kind"] != "field"})
        out[-1]["label"] = label
    return out


def _level_of(title: str) -> str:
    from analytics.reports.report06 import LEVEL_TITLES

    for level, text in LEVEL_TITLES.items():
        if text == title:
            return level
    return title


def report06_builder(f: Filters, unit_name: str | None) -> Callable[[], bytes]:
    """The official Biểu 06 workbook, built only when the button is clicked."""
    from analytics.reports.report06 import build_report06_xlsx

    st_ = store()
    unit = (unit_name or "").strip() or None

    def build() -> bytes:
        return build_report06_xlsx(Engine(st_.reader()), f, unit)

    return build


# --------------------------------------------------------------------------
# Drill-downs and small summaries
# --------------------------------------------------------------------------

LATE_DOSSIER_COLS = [
    Col("code", "code"), Col("procedure_name", "procedure_name"), Col("agency", "agency"),
    Col("received_at", "received_at", "datetime"), Col("due_at", "due_at", "datetime"),
    Col("finished_at", "finished_at", "datetime"), Col("days_late", "days_late", "int"),
    Col("late_stage", "late_stage"), Col("late_handler", "late_handler"),
    Col("status", "status", "status"),
]
LATE_STEP_COLS = [
    Col("code", "code"), Col("procedure_name", "procedure_name"), Col("stage", "stage"),
    Col("agency", "agency"), Col("due_at", "due_at", "datetime"),
    Col("finished_at", "finished_at", "datetime"), Col("days_late", "days_late", "int"),
]
TREND_COLS = [
    Col("period_start", "month", "month"), Col("received_new", "received_new", "int"),
    Col("online", "online", "int"), Col("online_share", "online_share", "rate"),
    Col("resolved", "resolved", "int"), Col("early", "early", "int"), Col("on_time", "on_time", "int"),
    Col("late", "late", "int"), Col("on_time_rate", "on_time_rate", "rate"),
]


def picked_label(event: Any, options: Sequence[str]) -> str | None:
    """The category of the first selected Plotly point that is one of ``options``."""
    wanted = set(options)
    for point in selected_points(event):
        candidates = [point.get("y"), point.get("x"), point.get("label")]
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)):
            candidates = list(custom) + candidates
        elif custom is not None:
            candidates.insert(0, custom)
        for value in candidates:
            if isinstance(value, str) and value in wanted:
                return value
    return None


def late_summary(df: pd.DataFrame) -> dict[str, Any]:
    """Count, mean and maximum days late of a late-dossier (or late-step) list."""
    if df.empty or "days_late" not in df.columns:
        return {"dossiers": 0, "avg_days": None, "max_days": None}
    days = pd.to_numeric(df["days_late"], errors="coerce")
    code_count = df["code"].nunique() if "code" in df.columns else len(df)
    return {"dossiers": int(code_count), "avg_days": float(days.mean()), "max_days": int(days.max())}


def stage_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Steps, late steps, late rate and the stage with the most late steps."""
    steps = sum(int(r["steps"] or 0) for r in rows)
    late = sum(int(r["late"] or 0) for r in rows)
    top = max(rows, key=lambda r: (r["late"] or 0), default=None)
    return {"steps": steps, "late": late, "late_rate": late / steps if steps else None,
            "top_stage": top["stage"] if top and top["late"] else None,
            "top_late": int(top["late"]) if top and top["late"] else 0}


def handler_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Handlers, handlers with a late step, late steps, and the most late handler."""
    late_rows = [r for r in rows if r["late"]]
    top = late_rows[0] if late_rows else None  # the engine sorts by late descending
    return {"handlers": len({(r["handler"], r["agency"]) for r in rows}),
            "late_handlers": len({(r["handler"], r["agency"]) for r in late_rows}),
            "late_steps": sum(int(r["late"]) for r in late_rows),
            "top": top}


def count_by(rows: Sequence[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Rows counted by ``key`` (most first, then name): ``[{key, "count"}]``."""
    counts: dict[Any, int] = {}
    for r in rows:
        counts[r.get(key)] = counts.get(r.get(key), 0) + 1
    from analytics.locale.text import fold

    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0] or "")))
    return [{key: k, "count": n} for k, n in ordered]


def handler_key(row: dict[str, Any]) -> str:
    """One option per (handler, agency): two people may share a name."""
    return f"{row['handler']}\t{row['agency']}"


def split_handler_key(key: str) -> tuple[str, str]:
    handler, _, agency = key.partition("\t")
    return handler, agency


# --------------------------------------------------------------------------
# Import page
# --------------------------------------------------------------------------

PREVIEW_ROWS = 200
IMPORT_COUNT_COLS = [Col("table", "imp_table"), Col("accepted", "imp_accepted", "int"),
                     Col("rejected", "imp_rejected", "int")]
IMPORT_COUNT_COLS_DONE = [*IMPORT_COUNT_COLS, Col("changed", "imp_changed", "int")]
IMPORT_MAPPING_COLS = [Col("file", "imp_file"), Col("sheet", "imp_sheet"), Col("table", "imp_table"),
                       Col("header_row", "imp_header_row", "int"), Col("source", "imp_source"),
                       Col("target", "imp_target")]
IMPORT_PREVIEW_COLS = [
    Col("code", "code"), Col("procedure_code", "procedure_code"), Col("procedure_name", "procedure_name"),
    Col("field", "field"), Col("agency", "agency"), Col("channel", "channel", "channel"),
    Col("received_at", "received_at", "datetime"), Col("due_at", "due_at", "datetime"),
    Col("finished_at", "finished_at", "datetime"), Col("status", "status", "status"),
]
REJECT_COLS = [Col("file", "imp_file"), Col("sheet", "imp_sheet"), Col("row", "imp_row", "int"),
               Col("column", "imp_column"), Col("reason", "imp_reason"), Col("value", "imp_value")]
_TABLE_LABELS = {"dossiers": "imp_t_dossiers", "steps": "imp_t_steps",
                 "procedures": "imp_t_procedures", "agencies": "imp_t_agencies"}


def import_counts(counts: dict[str, dict[str, int]], lg: str, with_changed: bool = False
                  ) -> list[dict[str, Any]]:
    """Accepted / rejected (/ changed) rows per table, tables named for people."""
    return [{"table": _t(_TABLE_LABELS.get(name, name), lg) if name in _TABLE_LABELS else name,
             "accepted": c.get("accepted", 0), "rejected": c.get("rejected", 0),
             **({"changed": c.get("changed", 0)} if with_changed else {})}
            for name, c in counts.items()]


def import_mapping(sheets: Sequence[Any], lg: str) -> list[dict[str, Any]]:
    """One row per recognised source header: where it was read and what it became."""
    from analytics.locale.labels import column_label

    rows = []
    for sheet in sheets:
        table_label = _t(_TABLE_LABELS[sheet.table], lg) if sheet.table in _TABLE_LABELS else sheet.table
        for source, target in sheet.columns.items():
            rows.append({"file": Path(sheet.file).name, "sheet": sheet.sheet or "", "table": table_label,
                         "header_row": sheet.header_row, "source": source,
                         "target": column_label(target, lg)})
    return rows


def save_uploads(files: Sequence[Any]) -> Path:
    """Write the uploaded files into a fresh private folder (kept in the session)."""
    import tempfile

    discard_uploads()
    folder = Path(tempfile.mkdtemp(prefix="motcua-upload-"))
    st.session_state["imp_dir"] = str(folder)
    for i, f in enumerate(files):
        # Only the base name: an upload's name is never trusted as a path.
        name = Path(f.name).name or f"tep-{i + 1}"
        target = folder / f"{i + 1:02d}" / name
        target.parent.mkdir()
        target.write_bytes(f.getvalue())
    return folder


def upload_paths(folder: Path) -> list[Path]:
    """The saved files in upload order."""
    return [next(p.iterdir()) for p in sorted(folder.iterdir()) if p.is_dir() and any(p.iterdir())]


def discard_uploads() -> None:
    import shutil

    folder = st.session_state.pop("imp_dir", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def handler_bar_labels(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Bar label → handler key: ``charts.handler_bars`` labels a name shared by
    two agencies "name · agency", a unique name by the name alone."""
    from collections import Counter

    counts = Counter(r["handler"] for r in rows)
    out = {}
    for r in rows:
        out[f"{r['handler']} · {r['agency']}"] = handler_key(r)
        if counts[r["handler"]] == 1:
            out[r["handler"]] = handler_key(r)
    return out
