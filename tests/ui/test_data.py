"""Where the database is and the cached calls on it (ui/data.py): the cache key
of the filters, the demo database built once when missing, the cached
watchlist following imports and the office calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from analytics.indicators.filters import Filters
from ui import data


def test_filters_key_ignores_scope_order_and_sees_every_field():
    a = Filters(date(2026, 1, 1), date(2026, 3, 31), scope=frozenset({"B", "A"}))
    b = Filters(date(2026, 1, 1), date(2026, 3, 31), scope=frozenset({"A", "B"}))
    assert data.filters_key(a) == data.filters_key(b)
    assert data.filters_key(a) != data.filters_key(Filters(date(2026, 1, 1), date(2026, 3, 31)))
    assert data.filters_key(a) != data.filters_key(
        Filters(date(2026, 1, 1), date(2026, 3, 31), channel="online", scope=frozenset({"A", "B"})))
    assert data.filters_key(None) is None


def test_the_default_demo_database_is_built_once_when_missing(tmp_path, monkeypatch):
    import analytics.demo.generator
    from analytics.store.database import AnalyticsStore

    target = tmp_path / "demo.duckdb"
    monkeypatch.setattr(data, "DEFAULT_DB", target)
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    built = []

    def fake_build(path, as_of=None):
        built.append(Path(path))
        with AnalyticsStore(path).write():
            pass

    monkeypatch.setattr(analytics.demo.generator, "build_demo", fake_build)
    assert data.db_path() == target
    assert data.ensure_database() is True
    assert data.ensure_database() is True
    assert built == [target]
    # Another path that does not exist is never invented: the pages say so instead.
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "elsewhere.duckdb"))
    assert data.db_path() == (tmp_path / "elsewhere.duckdb").resolve()
    assert data.ensure_database() is False
    assert built == [target]


def test_the_cached_watchlist_follows_imports_and_the_office_calendar(tmp_path, monkeypatch):
    from analytics.locale.workdays import calendar_with
    from tests.test_reminders_data import AS_OF, build_db

    store = build_db(tmp_path / "a.duckdb")
    monkeypatch.setenv("MOTCUA_DB", str(store.path))

    def codes(office_calendar):
        wl = data.watchlist(as_of=AS_OF, near_due_days=1, scope=None, agency=None, inter_agency=None,
                            calendar=calendar_with(office_calendar), office_calendar=office_calendar)
        return [i.code for i in wl.items]

    before = codes({})
    assert "H01" in before and "H04" in before
    # An office day off on 4/5 moves the near-due cutoff to 5/5: more items, not the cached list.
    assert len(codes({"days_off": ["2026-05-04"]})) > len(before)
    with store.write() as con:  # a new data version: the cached answer is not reused
        con.execute("update dossiers set finished_at = timestamp '2026-04-29 08:00', status = 9 where code = 'H01'")
    assert "H01" not in codes({})


def test_the_office_name_is_cached_until_the_settings_change(tmp_path, monkeypatch):
    """The office's name is read on every page run; a cached copy must
    follow every saved setting, including one saved by another process
    (another OpsStore on the same file, as the command line would)."""
    from analytics.reminders.settings import update_settings
    from analytics.store.ops import OpsStore

    db = tmp_path / "office.duckdb"
    monkeypatch.setenv("MOTCUA_DB", str(db))
    assert data.office_unit_name() == ""  # no store yet: nothing set
    update_settings(OpsStore.beside(db), actor="test", office_name="UBND xã Hòa An")
    assert data.office_unit_name() == "UBND xã Hòa An"
    assert data.office_unit_name() == "UBND xã Hòa An"
    for name in ("UBND phường Bến Thành", "UBND xã Tân Lập", ""):
        update_settings(OpsStore.beside(db), actor="cli:test", office_name=name)
        assert data.office_unit_name() == name


def test_engines_take_the_data_facts_of_their_version(tmp_path, monkeypatch):
    """The data date and whether steps exist are read once per data version
    and handed to every engine the cached queries make; a write is a new
    version with its own facts."""
    from analytics.indicators.engine import Engine
    from tests.test_reminders_data import build_db

    store = build_db(tmp_path / "a.duckdb")
    monkeypatch.setenv("MOTCUA_DB", str(store.path))
    path, version = str(data.db_path()), data.data_version()
    own = Engine(store.reader())
    eng = data._engine(path, version)
    assert (eng.data_date(), eng.has_steps()) == (own.data_date(), own.has_steps()) == (own.data_date(), True)

    class Refusing:
        def rows(self, sql, params):
            raise AssertionError(f"queried: {sql}")

    eng.backend = Refusing()  # facts already known: no query for them
    assert eng.data_date() == own.data_date() and eng.handler_source() == "steps"

    with store.write() as con:
        con.execute("delete from steps")
    newer = data.data_version()
    assert newer != version
    assert data._engine(path, newer).has_steps() is False
    assert data._engine(path, version).has_steps() is True  # the old version's facts stay its own


def _golden_db_counting_queries(path: Path, monkeypatch) -> tuple[Any, list[str]]:
    """The golden office at ``path`` as the dashboard's database, and the
    list every SQL statement ui.data's engines run is appended to."""
    from tests import golden as g
    from tests.conftest import build_file_db

    store = build_file_db(path, **g.ROWS)
    monkeypatch.setenv("MOTCUA_DB", str(store.path))
    asked: list[str] = []
    made = data._engine

    def counting_engine(path, version):
        eng = made(path, version)
        run = eng._run

        def counted(sql, params):
            asked.append(sql)
            return run(sql, params)

        eng._run = counted
        return eng

    monkeypatch.setattr(data, "_engine", counting_engine)
    return store, asked


def test_shared_answers_are_asked_once(tmp_path, monkeypatch):
    """A default argument spelled out or not is one cached answer (Tổng quan
    asks report06(f), Biểu 06 report06(f, counting="bieu06")); the stages
    come from the stages by agency and the quarters from the months, each
    equal to the engine's own query; another scope is another answer."""
    from analytics.indicators.engine import Engine
    from analytics.indicators.registry import CONVENTION_BIEU06
    from tests import golden as g

    store, asked = _golden_db_counting_queries(tmp_path / "g.duckdb", monkeypatch)
    own = Engine(store.reader())
    f = Filters(date(2026, 1, 1), date(2026, 3, 31))

    assert data.query("report06", f) == own.report06(f)
    assert data.query("report06", f, counting=CONVENTION_BIEU06) == own.report06(f)
    assert len(asked) == 1
    assert data.query("report06", f, counting="portal766") == own.report06(f, counting="portal766")
    assert len(asked) == 2

    assert data.query("by_stage", f) == own.by_stage(f)
    assert data.query("stage_agency", f) == own.stage_agency(f)
    assert len(asked) == 3
    assert data.query("trend", f, grain="month") == own.trend(f, grain="month")
    assert data.query("trend", f, grain="quarter") == own.trend(f, grain="quarter")
    assert data.query_frame("trend", f, grain="quarter").to_dict("records") == own.trend(f, grain="quarter")
    assert len(asked) == 4

    # The scope is part of the filters, hence of the source answer's key.
    scoped = Filters(date(2026, 1, 1), date(2026, 3, 31), scope=frozenset({g.XA}))
    assert data.query("by_stage", scoped) == own.by_stage(scoped) != own.by_stage(f)
    assert data.query("trend", scoped, grain="quarter") == own.trend(scoped, grain="quarter")
    assert len(asked) == 6


def test_the_modules_ui_needs_are_kept_out_of_full_collections():
    """Importing ui moves what is alive then (the modules of Streamlit,
    pandas, plotly and the app) into the collector's permanent generation
    (ui.frame.settle_heap): a full collection no longer walks them; what
    is made afterwards is collected as before."""
    import gc

    import ui  # noqa: F401 - the import is what is tested

    assert gc.get_freeze_count() > 50_000
    fresh = [[]]
    fresh.append(fresh)  # a cycle made after the import
    before = gc.get_freeze_count()
    del fresh
    assert gc.collect() >= 2  # collected: not frozen
    assert gc.get_freeze_count() == before


def test_the_watchlist_is_shared_and_names_itself_in_the_digests_key(tmp_path, monkeypatch):
    """The cached watchlist is one shared frozen object (no copy unpickled
    on every run); the digests' key names it by the arguments that made it,
    so two dates, scopes or data versions never share digests, and a
    watchlist built elsewhere is keyed by its items as before."""
    from analytics.locale.workdays import calendar_with
    from analytics.reminders.contacts import ContactBook
    from analytics.reminders.digest import build_digests
    from analytics.reminders.settings import ReminderSettings
    from analytics.reminders.watchlist import build_watchlist
    from analytics.store.ops import OpsStore
    from tests.test_reminders_data import AS_OF, build_contacts, build_db

    store = build_db(tmp_path / "w.duckdb")
    monkeypatch.setenv("MOTCUA_DB", str(store.path))
    ops = OpsStore.beside(store.path)
    build_contacts(ops)
    book, settings = ContactBook.load(ops), ReminderSettings()

    def wl(as_of=AS_OF, scope=None):
        return data.watchlist(as_of=as_of, near_due_days=1, scope=scope, agency=None, inter_agency=None,
                              calendar=calendar_with({}), office_calendar={})

    first = wl()
    assert wl() is first
    assert data._watchlist_identity(first)[0] == "made by"
    later = wl(AS_OF.replace(day=AS_OF.day + 1))
    assert data._watchlist_identity(later) != data._watchlist_identity(first)
    assert data.digests(first, book, settings) == build_digests(first, book, settings)
    assert data.digests(later, book, settings) == build_digests(later, book, settings)
    assert data.digests(later, book, settings) is not data.digests(first, book, settings)
    scoped = wl(scope=frozenset({"Không ai"}))
    assert not scoped.items and data.digests(scoped, book, settings) == build_digests(scoped, book, settings)
    elsewhere = build_watchlist(store, as_of=AS_OF, near_due_days=1)
    assert data._watchlist_identity(elsewhere) is elsewhere


def test_one_store_per_database_path(tmp_path, monkeypatch):
    """The store of a path is made once per process and kept (it follows the
    path's link to each new version itself); another path has its own."""
    from tests.test_reminders_data import build_db

    first, second = build_db(tmp_path / "a.duckdb"), build_db(tmp_path / "b.duckdb")
    monkeypatch.setenv("MOTCUA_DB", str(first.path))
    a = data.store()
    assert data.store() is a and a.path == data.db_path()
    monkeypatch.setenv("MOTCUA_DB", str(second.path))
    b = data.store()
    assert b is not a and data.store() is b and b.path == data.db_path()


def test_cached_calls_of_a_page_run_pass_their_arguments_by_keyword(tmp_path, monkeypatch):
    """Streamlit reads the name of each positional argument of a cached call
    from the function's signature, on every call; the page-run calls pass
    keywords (the same cache key), so it never has to."""
    from streamlit.runtime.caching import cache_utils

    from tests import golden as g
    from tests.conftest import build_file_db
    from ui import widgets

    store = build_file_db(tmp_path / "k.duckdb", **g.ROWS)
    monkeypatch.setenv("MOTCUA_DB", str(store.path))
    f = Filters(*g.MARCH)
    assert data.query("totals", f)["received_total"] == 10  # made and cached, then read again below

    def refuse(func, index):
        raise AssertionError(f"positional argument {index} of {func.__name__}")

    monkeypatch.setattr(cache_utils, "_get_positional_arg_name", refuse)
    assert data.query("totals", f)["received_total"] == 10
    assert data.query("by_agency", f) and not data.query_frame("by_agency", f).empty
    assert data.facts()["agencies"]
    data.office_unit_name()
    rows = data.query("trend", f, grain="month")
    widgets.figure("kpi_trend", rows, lang="vi")
    widgets.prepared_table(rows, [widgets.Col("received_new", "received_new", "int")], "vi")


def test_the_kpi_cards_and_the_agencies_are_one_query(tmp_path, monkeypatch):
    """The pages that rank agencies show the KPI cards too: the cards'
    periods and the agencies come from one cached query, each equal to the
    engine's own answer; another scope is another query."""
    from analytics.indicators.engine import Engine
    from tests import golden as g

    store, asked = _golden_db_counting_queries(tmp_path / "a.duckdb", monkeypatch)
    own = Engine(store.reader())
    for f in (Filters(*g.MARCH), Filters(*g.MARCH, scope=frozenset({g.XA}))):
        before = len(asked)
        compared = data.compared_totals(f, own.data_date())
        assert compared["current"] == own.totals(f)
        assert compared["previous"] == own.totals(Filters(date(2026, 2, 1), date(2026, 2, 28), scope=f.scope))
        assert data.query("by_agency", f) == own.by_agency(f)
        assert data.query_frame("by_agency", f).to_dict("records") == own.by_agency(f)
        assert len(asked) == before + 1
    assert data.query("by_agency", Filters(*g.MARCH)) != data.query("by_agency", Filters(*g.MARCH,
                                                                                       scope=frozenset({g.XA})))
