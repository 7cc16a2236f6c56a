"""The admin page's units tab (issue 14): the lineage as an editable table.

A small demo built with its lineage (build_demo writes it as an officer
would); an administrator edits one successor in the table, saves, and the
history moves, with an audit entry.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import audit
from analytics.access.auth import ADMIN, Accounts
from analytics.demo.generator import build_demo
from analytics.indicators.engine import Engine
from analytics.indicators.filters import Filters
from analytics.store import units
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "một mật khẩu đủ dài"
OLD = "Phòng Tư pháp"
BEFORE = Filters(date(2025, 1, 1), date(2025, 6, 30))


@pytest.fixture
def office(tmp_path, monkeypatch):
    db = tmp_path / "office.duckdb"
    build_demo(db, as_of=date(2026, 3, 31), years=2, dossiers_per_year=600, contacts=False)
    Accounts(OpsStore.beside(db)).add("quantri", display_name="Quản trị", role=ADMIN, password=PASSWORD,
                                      actor="cli:test")
    monkeypatch.setenv("MOTCUA_AUTH", "on")
    monkeypatch.setenv("MOTCUA_DB", str(db))
    return db


def _admin_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.text_input(key="auth_username").input("quantri")
    at.text_input(key="auth_password").input(PASSWORD)
    at.button(key="auth_submit").click()
    at.run()
    return at.switch_page("pages/quan_tri.py").run()


def test_an_admin_moves_a_district_office_history_from_the_table(office):
    store = AnalyticsStore(office)
    firsts = {}
    for link in units.lineage(store.reader()):
        firsts.setdefault(link["name"], link)
    rows = sorted(firsts)  # the table's order: by old unit name
    assert firsts[OLD]["successor"] == "Sở Tư pháp tỉnh Bình Sơn"
    engine = Engine(store.reader())
    justice = {r["agency"]: r["received_new"] for r in engine.by_agency(BEFORE)}["Sở Tư pháp tỉnh Bình Sơn"]
    assert justice > 0

    at = _admin_page()
    assert not at.exception
    assert at.button(key="adm_units_save").disabled  # nothing edited yet
    # What the data editor sends back when the successor cell of a row is changed.
    at.session_state["adm_units_editor"] = {
        "edited_rows": {rows.index(OLD): {"successor": "Sở Nội vụ tỉnh Bình Sơn"}},
        "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="adm_units_save").click()
    at.run()
    assert not at.exception

    moved = {r["agency"]: r["received_new"] for r in Engine(store.reader()).by_agency(BEFORE)}
    assert "Sở Tư pháp tỉnh Bình Sơn" not in moved  # no dossier of its own before 1/7/2025
    assert moved["Sở Nội vụ tỉnh Bình Sơn"] >= justice
    entry = audit.entries(OpsStore.beside(office), action=audit.UNIT_CHANGE)[0]
    assert (entry.actor, entry.target, entry.detail["successors"]) == ("quantri", OLD, ["Sở Nội vụ tỉnh Bình Sơn"])
