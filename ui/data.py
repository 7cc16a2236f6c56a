"""Cached access to the analytics database: where it is, and the engine's answers.

Nothing here holds SQL: every number comes from
:class:`analytics.indicators.engine.Engine`.

* The :class:`~analytics.store.database.AnalyticsStore` is a process-wide
  resource; its ``reader()`` reopens the read-only connection when the
  file's version changes, so an import (which swaps in a new file) never
  waits for us.
* Every engine call is cached by (query name, filters incl. scope, extra
  arguments, data version) with a TTL and a bounded number of entries, so a
  filter change costs one engine call per new query and a rerun costs none.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import logging
import os
import pickle
import threading
import weakref
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from analytics.indicators.engine import Engine, quarters_from_months, stages_from_stage_agency
from analytics.indicators.filters import Filters
from analytics.indicators.summaries import comparison_filters
from analytics.ingest.importer import procedures_to_attach
from analytics.locale.labels import t
from analytics.locale.safe_text import md_escape
from analytics.locale.workdays import DEFAULT_OVERRIDES_PATH
from analytics.reminders.contacts import ContactBook
from analytics.reminders.digest import DigestBatch, build_digests
from analytics.reminders.settings import ReminderSettings, load_settings
from analytics.reminders.watchlist import Watchlist, build_watchlist
from analytics.store.agency_names import list_units
from analytics.store.database import AnalyticsStore, StoreError
from analytics.store.ops import OpsStore, default_ops_path
from analytics.store.unit_refs import UnitRegistry

LOG = logging.getLogger("motcua.dashboard")

ROOT = Path(__file__).resolve().parents[1]
DB_ENV = "MOTCUA_DB"
DEFAULT_DB = ROOT / "data" / "demo.duckdb"

# Cached engine answers: aggregates are small, lists are bounded on screen;
# 10 minutes is a safety net, the data version key does the real work.
CACHE_TTL = timedelta(minutes=10)
CACHE_MAX_ENTRIES = 512

# Engine methods pages may call through :func:`query` (an allow-list: the name
# is used with getattr).
QUERIES = frozenset({
    "totals", "totals_periods", "totals_periods_by_agency", "by_agency", "by_field", "by_stage", "by_handler",
    "stage_agency", "trend", "late_dossiers", "late_steps", "procedures_without_dossiers",
    "procedure_usage", "fully_online_paper_heavy", "report06", "has_steps",
    "index_766", "index_766_trend", "index_766_losses",
})

_BUILD_LOCK = threading.Lock()
_UPGRADED: set[str] = set()  # data versions whose derived tables were checked


def db_path() -> Path:
    """The analytics database: ``$MOTCUA_DB`` or the embedded demo."""
    value = os.environ.get(DB_ENV)
    # absolute(), not resolve(): the database path is a link to the current
    # version file, and it must be followed anew on every read.
    return Path(value).expanduser().absolute() if value else DEFAULT_DB


# One AnalyticsStore per database path for the process (what a
# st.cache_resource without a TTL would keep, without hashing its argument
# on each of the eight or nine calls of a page run).
_STORES: dict[str, AnalyticsStore] = {}
_STORES_LOCK = threading.Lock()


def _store(path: str) -> AnalyticsStore:
    found = _STORES.get(path)
    if found is None:
        with _STORES_LOCK:
            found = _STORES.setdefault(path, AnalyticsStore(path))
    return found


def store() -> AnalyticsStore:
    return _store(str(db_path()))


@st.cache_resource(show_spinner=False)
def _unit_registry(path: str) -> UnitRegistry:
    return UnitRegistry(_store(path))


def unit_registry() -> UnitRegistry:
    """The units of the current database, resolving the unit ids of accounts
    and contacts (analytics/store/unit_refs.py; cached per data version)."""
    return _unit_registry(str(db_path()))


def ensure_database(path: Path | None = None, lang: str = "vi") -> bool:
    """True when the database file exists; the default demo is built when
    missing, and the derived tables of a database written by an older
    version of the software are rebuilt first (once)."""
    path = path or db_path()
    if path.is_file():
        _ensure_derived(path, lang)
        return True
    if path != DEFAULT_DB:
        return False
    with _BUILD_LOCK:
        if not path.is_file():
            # Imported here: the generator takes ~0.2 s to import and is needed once per install.
            from analytics.demo.generator import build_demo

            LOG.info("building the demo database at %s", path)
            with st.spinner(t("ui_demo_building", lang)):
                build_demo(path)
    return path.is_file()


def _ensure_derived(path: Path, lang: str = "vi") -> None:
    current = store()
    version = data_version()
    if version is None or version in _UPGRADED:
        return
    with _BUILD_LOCK:
        if version not in _UPGRADED and not current.derived_current():
            LOG.info("rebuilding the derived tables of %s (written by an older version)", path)
            with st.spinner(t("ui_db_upgrading", lang)):
                current.upgrade_derived()
        _UPGRADED.add(data_version() or version)


def data_version() -> str | None:
    """Identity of the committed database file (None when it does not exist)."""
    try:
        v = store().version()
    except StoreError:
        return None
    return f"{Path(v.file).name}-{v.inode}-{v.mtime_ns}"


def filters_key(f: Filters | None) -> tuple | None:
    """A hashable, order-independent identity of the filters (cache key)."""
    if f is None:
        return None
    return (
        f.date_from.isoformat(), f.date_to.isoformat(), f.agency, f.field, f.channel,
        f.procedure, f.agency_level, tuple(sorted(f.scope)) if f.scope is not None else None,
    )


@st.cache_resource(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def _agency_names(path: str, version: str) -> dict[str, str]:
    """Every spelling of an agency and its unit, per data version (read by
    every engine that takes an agency filter or a scope); shared, never changed."""
    return Engine(_store(path).reader()).backend.canonical_names()


@st.cache_resource(ttl=CACHE_TTL, max_entries=16, show_spinner=False)
def _data_facts(path: str, version: str) -> tuple[date | None, bool]:
    """The data date and whether the data hold steps, per data version (read
    by every engine; Engine(data_facts=...))."""
    eng = Engine(_store(path).reader())
    return eng.data_date(), eng.has_steps()


def _engine(path: str, version: str) -> Engine:
    """An engine over a fresh cursor, with what it reads about the data kept per version."""
    return Engine(_store(path).reader(), agency_names=_agency_names(path=path, version=version),
                  data_facts=_data_facts(path=path, version=version))


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_query(path: str, version: str, name: str, fkey: tuple | None, kwkey: tuple,
                  _filters: Filters | None, _kwargs: dict[str, Any]) -> Any:
    method = getattr(_engine(path, version), name)
    return method(_filters, **_kwargs) if _filters is not None else method(**_kwargs)


@st.cache_data(ttl=CACHE_TTL, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _cached_frame(path: str, version: str, name: str, fkey: tuple | None, kwkey: tuple,
                  _filters: Filters | None, _kwargs: dict[str, Any]) -> pd.DataFrame:
    rows = _cached_query(path=path, version=version, name=name, fkey=fkey, kwkey=kwkey, _filters=_filters,
                         _kwargs=_kwargs)
    return _frame(rows)


def _frame(rows: list[dict[str, Any]] | None) -> pd.DataFrame:
    """A list answer as a DataFrame (an empty frame when no rows)."""
    return pd.DataFrame.from_records(rows) if rows else pd.DataFrame()


@functools.lru_cache(maxsize=None)
def _defaults(name: str) -> dict[str, Any]:
    """The keyword defaults of the engine method ``name``."""
    return {p.name: p.default for p in inspect.signature(getattr(Engine, name)).parameters.values()
            if p.default is not inspect.Parameter.empty}


def _agencies_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["by_agency"]


def _derived(name: str, f: Filters | None, kwargs: dict[str, Any]) -> tuple[str, dict[str, Any], Callable] | None:
    """(query, its arguments, function) when the answer of ``name`` is made
    from another cached answer of the same filters instead of a query of its
    own (analytics/indicators/engine.py says why each is exact): Trễ hạn
    theo giai đoạn shows both the stages and the stages by agency, Tổng
    quan and Đúng hạn the monthly trend that Trực tuyến's quarters add up,
    and the pages ranking agencies the KPI cards' periods beside them."""
    if name == "by_stage":
        return "stage_agency", {}, stages_from_stage_agency
    if name == "by_agency" and f is not None:
        # The pages that rank agencies show the KPI cards too: one query for both.
        version = data_version()
        data_date = _data_facts(path=str(db_path()), version=version)[0] if version else None
        return "totals_periods_by_agency", {"periods": _compared(f, data_date)[1]}, _agencies_of
    if name == "trend" and kwargs.get("grain") == "quarter" and f is not None and f.date_from <= f.date_to:
        return "trend", {"grain": "month"}, quarters_from_months
    return None


def _call(cached: Callable, name: str, f: Filters | None, kwargs: dict[str, Any]) -> Any:
    if name not in QUERIES:
        raise ValueError(f"unknown query {name!r}")
    # Defaults spelled out: report06(f) and report06(f, counting="bieu06")
    # are one cached answer (Tổng quan asks the first, Biểu 06 the second).
    kwargs = {**_defaults(name), **kwargs}
    version = data_version() or "missing"
    kwkey = tuple(sorted((k, repr(v)) for k, v in kwargs.items()))
    # By keyword: Streamlit looks up the name of each positional argument of
    # a cached call in the function's signature (inspect.signature, each time);
    # a keyword names itself. The cache key is the same either way.
    return cached(path=str(db_path()), version=version, name=name, fkey=filters_key(f), kwkey=kwkey,
                  _filters=f, _kwargs=kwargs)


def query(name: str, f: Filters | None = None, **kwargs: Any) -> Any:
    """A cached engine answer, e.g. ``query("totals", view().filters)``."""
    derived = _derived(name, f, kwargs)
    if derived is not None:
        return _made_from(derived, f)
    return _call(_cached_query, name, f, kwargs)


def query_frame(name: str, f: Filters | None = None, **kwargs: Any) -> pd.DataFrame:
    """A cached engine list answer as a DataFrame (empty frame when no rows)."""
    derived = _derived(name, f, kwargs)
    if derived is not None:
        return _frame(_made_from(derived, f))
    return _call(_cached_frame, name, f, kwargs)


def _made_from(derived: tuple[str, dict[str, Any], Callable], f: Filters | None) -> Any:
    """The answer :func:`_derived` says how to make from another cached answer."""
    source, source_kwargs, make = derived
    return make(query(source, f, **source_kwargs))


def _compared(f: Filters, data_date: date | None) -> tuple[dict[str, Filters], list[tuple[date, date]]]:
    """The filters the KPI cards compare (``current``, ``previous``,
    ``last_year``) and their periods, each once, ``f``'s own first."""
    wanted = {"current": f, **comparison_filters(f, data_date)}
    return wanted, list(dict.fromkeys((x.date_from, x.date_to) for x in wanted.values()))


def compared_totals(f: Filters, data_date: date | None) -> dict[str, dict[str, Any]]:
    """The totals of ``f`` (``current``), of its ``previous`` period and of
    the same period ``last_year`` (summaries.comparison_filters), from one
    cached engine query (Engine.totals_periods_by_agency, which also gives
    ``query("by_agency", f)``): what the KPI cards compare, and the page's
    own totals. A period asked twice (a year's previous period is the same
    period last year) is counted once."""
    wanted, periods = _compared(f, data_date)
    answer = query("totals_periods_by_agency", f, periods=periods)
    by_period = dict(zip(periods, answer["totals"], strict=True))
    return {name: by_period[(x.date_from, x.date_to)] for name, x in wanted.items()}


@st.cache_data(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _cached_facts(path: str, version: str, scope: tuple | None) -> dict[str, Any]:
    eng = _engine(path, version)
    opts = eng.options(frozenset(scope) if scope is not None else None)
    return {"data_date": eng.data_date(), **opts}


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def _procedures_to_attach(path: str, version: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return procedures_to_attach(path)


def attachable_procedures() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``procedures_to_attach(db_path())`` (the import page's list), cached
    per data version: attaching a name writes a new version, so a new entry.

    Raises:
        ImportFailed: the database cannot be read (not cached).
    """
    version = data_version()
    return _procedures_to_attach(str(db_path()), version) if version else ([], [])


@st.cache_data(ttl=CACHE_TTL, max_entries=8, show_spinner=False)
def _units(path: str, version: str) -> list[dict[str, Any]]:
    return list_units(_store(path).reader())


def units() -> list[dict[str, Any]]:
    """``list_units`` of the current database (empty when there is none),
    cached per data version: a merge of two units writes a new version."""
    version = data_version()
    return _units(str(db_path()), version) if version else []


def facts_missing() -> dict[str, Any]:
    """The facts of a database that does not exist yet: nothing to offer."""
    return {"data_date": None, "agencies": [], "fields": [], "levels": [],
            "procedures": [], "min_date": None, "max_date": None}


def facts(scope: frozenset[str] | None = None) -> dict[str, Any]:
    """Data date and the values offered by the filter widgets (cached per version)."""
    version = data_version()
    if version is None:
        return facts_missing()
    return _cached_facts(path=str(db_path()), version=version,
                         scope=tuple(sorted(scope)) if scope is not None else None)


@st.cache_resource(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _cached_watchlist(path: str, version: str, as_of: date, near_due_days: int, scope: tuple | None,
                      agency: str | None, inter_agency: bool | None, calendar_key: str,
                      _calendar: Any) -> Watchlist:
    # Shared, not copied on every run (a copy unpickled thousands of items):
    # a Watchlist and its items are frozen.
    return build_watchlist(_store(path), as_of=as_of, near_due_days=near_due_days,
                           scope=scope, agency=agency, inter_agency=inter_agency, calendar=_calendar)


# id(watchlist) -> (a weak reference to it, the arguments that made it): the
# digests' cache key names a watchlist handed out here by what made it
# instead of pickling its items again on every run.
_WATCHLIST_KEYS: dict[int, tuple[weakref.ref, str]] = {}
_WATCHLIST_KEYS_LOCK = threading.Lock()


def _remember_watchlist(wl: Watchlist, made_by: str) -> None:
    key = id(wl)

    def forget(ref: weakref.ref, key: int = key) -> None:
        with _WATCHLIST_KEYS_LOCK:
            if _WATCHLIST_KEYS.get(key, (None,))[0] is ref:
                del _WATCHLIST_KEYS[key]

    with _WATCHLIST_KEYS_LOCK:
        known = _WATCHLIST_KEYS.get(key)
        if known is None or known[0]() is not wl:
            _WATCHLIST_KEYS[key] = (weakref.ref(wl, forget), made_by)


def _watchlist_identity(wl: Watchlist) -> Any:
    """What a watchlist is, for a cache key: the arguments that made it when
    it came from :func:`watchlist`, else the watchlist itself."""
    known = _WATCHLIST_KEYS.get(id(wl))
    return ("made by", known[1]) if known is not None and known[0]() is wl else wl


def watchlist(*, as_of: date, near_due_days: int, scope: Any, agency: str | None,
              inter_agency: bool | None, calendar: Any, office_calendar: dict[str, Any]) -> Watchlist:
    """The reminders' watchlist for the page, cached per data version.

    ``calendar`` is the working-day calendar built from the shipped
    overrides and ``office_calendar`` (the office's own days off, from the
    reminder settings): both are part of the cache key. Shared and frozen.
    """
    try:
        shipped = DEFAULT_OVERRIDES_PATH.stat().st_mtime_ns
    except OSError:
        shipped = 0
    key = f"{shipped}:{json.dumps(office_calendar, sort_keys=True, default=str)}"
    version = data_version() or "missing"
    path, scope_key = str(db_path()), tuple(sorted(scope)) if scope is not None else None
    wl = _cached_watchlist(path=path, version=version, as_of=as_of, near_due_days=near_due_days, scope=scope_key,
                           agency=agency, inter_agency=inter_agency, calendar_key=key, _calendar=calendar)
    _remember_watchlist(wl, repr((path, version, as_of, near_due_days, scope_key, agency, inter_agency, key)))
    return wl


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        st_ = path.stat()
    except OSError:
        return None
    return st_.st_mtime_ns, st_.st_size


# A plain memo: read twice on every page run, and Streamlit's cache would
# hash the key and unpickle the answer each time. The stamp is the key of
# freshness (any write is a new stamp), so nothing needs to expire.
@functools.lru_cache(maxsize=16)
def _office_unit_name(ops_path: str, stamp: tuple) -> str:
    return load_settings(OpsStore(ops_path)).office_name.strip()


def office_unit_name() -> str:
    """The office's own name, set once in the settings (the ``office_name``
    setting of the operational store, edited under Nhắc việc › Lịch gửi và kênh,
    which also signs the digests and names the app): the default "Đơn vị báo cáo" of Biểu 06
    and the meeting pack. Empty when never set or when the store cannot be
    read (the field is then typed).

    Read on every page run (the sidebar's name), so it is cached under the
    size and time of change of the store's file and of its write-ahead log,
    where every committed write lands first: any saved setting, from this
    process or another, is a new entry."""
    path = default_ops_path(db_path())
    stamp = (_file_stamp(path), _file_stamp(Path(f"{path}-wal")))
    try:
        return _office_unit_name(ops_path=str(path), stamp=stamp)
    except Exception:  # noqa: BLE001 - a default for a text field; the page works without it
        LOG.warning("office name not read from the settings", exc_info=True)
        return ""


def app_name(lang: str, *, tab: bool = False, markdown: bool = False) -> str:
    """The app's name, in the sidebar and on the sign-in form (``tab``: the
    browser tab's longer title): the office's own unit when its name is set
    (issue 14: a province, a commune, not a district), else a neutral name.
    ``markdown``: the office's name, typed by the office, escaped for Markdown."""
    office = office_unit_name()
    if office:
        office = md_escape(office) if markdown else office
        return t("app_title_office" if tab else "app_name_office", lang, office=office)
    return t("app_title" if tab else "app_name", lang)


@st.cache_resource(ttl=CACHE_TTL, max_entries=64, show_spinner=False)
def _cached_digests(key: str, _watchlist: Watchlist, _book: ContactBook,
                    _settings: ReminderSettings) -> DigestBatch:
    return build_digests(_watchlist, _book, _settings)


def digests(watchlist: Watchlist, book: ContactBook, settings: ReminderSettings) -> DigestBatch:
    """``build_digests(watchlist, book, settings)``, cached by a digest of all three.

    Building every contact's digest (text, SMS fitting) was most of the
    Nhắc việc page's run, repeated on every click. The key is the inputs
    themselves (the watchlist of this scope and date, the scope's active
    contacts, the settings), so an edited contact or setting, another scope
    or new data is another entry; a watchlist from :func:`watchlist` enters
    the key as the arguments that made it (the data version, date, scope,
    filters and calendar), not its items. The batch is frozen and shared, never changed.
    """
    inputs = pickle.dumps((_watchlist_identity(watchlist), book.contacts, settings),
                          protocol=pickle.HIGHEST_PROTOCOL)
    return _cached_digests(key=hashlib.blake2b(inputs, digest_size=20).hexdigest(), _watchlist=watchlist,
                           _book=book, _settings=settings)
