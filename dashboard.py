"""The dashboard's entry and router: ``streamlit run dashboard.py``.

Draws the frame every page shares (page config, language switch, the shared
sidebar filters, the header with "Số liệu đến ngày …", the print view) and
runs the current page from ``pages/``. A failing page is logged with its
traceback and shows a short Vietnamese message instead.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import streamlit as st

import ui
from analytics.locale.labels import t

HERE = Path(__file__).resolve().parent

# (file, label key, icon, section label key). A page's URL is its file name
# (/dung_han, /bieu_06...; the overview is /): Streamlit resolves the first
# request of a session against the files in pages/ before st.navigation runs,
# so any other URL would flash "Page not found".
PAGES = (
    ("pages/tong_quan.py", "page_overview", ":material/dashboard:", "nav_analysis"),
    ("pages/dung_han.py", "page_on_time", ":material/schedule:", "nav_analysis"),
    ("pages/giai_doan.py", "page_stage", ":material/grid_on:", "nav_analysis"),
    ("pages/nguoi_thu_ly.py", "page_handler", ":material/person_search:", "nav_analysis"),
    ("pages/truc_tuyen.py", "page_online", ":material/public:", "nav_analysis"),
    ("pages/tthc_khong_phat_sinh.py", "page_unused", ":material/playlist_remove:", "nav_analysis"),
    ("pages/chi_so_766.py", "page_index766", ":material/leaderboard:", "nav_analysis"),
    ("pages/bieu_06.py", "page_report06", ":material/table_view:", "nav_reports"),
    ("pages/nhac_viec.py", "page_reminders", ":material/notifications:", "nav_reports"),
    ("pages/nhap_du_lieu.py", "page_import", ":material/upload_file:", "nav_data"),
)
DEFAULT_PAGE = "pages/tong_quan.py"
# Pages that work without an analytics database (they create it).
NO_DB_PAGES = {"nhap_du_lieu"}


def _setup_logging() -> None:
    # The app's own handler on stderr (the service's journal). Records still
    # propagate: the root logger has no handler unless an operator (or a test)
    # adds one, so nothing is written twice by default.
    log = logging.getLogger("motcua")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


def _navigation(lang: str):
    """The navigation's current page, and every page it offers this user by URL path."""
    sections: dict[str, list] = {}
    for path, label, icon, section in PAGES:
        if not ui.allowed(path):
            continue  # administrators' pages: hidden here and refused on the page
        if not (HERE / path).is_file():
            continue  # a page not delivered yet
        # Absolute: the frame may also run from a page started on its own (ui.frame._enter_frame).
        page = ui.page_object(HERE / path, title=t(label, lang), icon=icon, url_path=Path(path).stem,
                              default=path == DEFAULT_PAGE)
        sections.setdefault(t(section, lang), []).append(page)
    if ui.allowed(ui.ADMIN_PAGE):
        sections.setdefault(t("nav_data", lang), []).append(
            ui.page_object(HERE / ui.ADMIN_PAGE, title=t("page_admin", lang),
                           icon=":material/admin_panel_settings:", url_path=Path(ui.ADMIN_PAGE).stem))
    offered = {page.url_path: page for pages in sections.values() for page in pages}
    return st.navigation(sections, position="top"), offered


def main() -> None:
    _setup_logging()
    st.set_page_config(
        page_title=ui.app_name(ui.lang(), tab=True),
        page_icon=":material/analytics:",
        layout="wide",
        initial_sidebar_state="auto",
    )
    try:
        has_db = ui.ensure_database(lang=ui.lang())
        user = ui.signed_in_user()  # the sign-in form and a stop, unless signed in (or the demo)
        scope = ui.current_scope()
        opts = ui.facts(scope) if has_db else ui.facts_missing()
        st.sidebar.markdown(f"### {ui.app_name(ui.lang(), markdown=True)}")
        ui.account_box(user)
        view = ui.sidebar_filters(opts, scope=scope, has_db=has_db)
    except Exception as exc:  # noqa: BLE001 - shown as a message, logged with traceback
        ui.show_error(exc)
        st.stop()
    st.session_state[ui.VIEW_KEY] = view
    ui.inject_css(view.print_mode, view.lang)
    ui.close_sidebar_after_choice(view)
    ui.touch_scripts()
    page, offered = _navigation(view.lang)
    # A deep link opened before sign-in, with every drill-down choice it had.
    ui.follow_requested_page(page, offered, ui.url_params(view, ui.ALL_PAGES))
    ui.header(view, page.title)
    ui.sync_url(view, page.url_path)
    if not has_db and page.url_path not in NO_DB_PAGES:
        st.warning(view.t_md("ui_no_database", path=ui.db_path().name),
                   icon=":material/database:")
        return
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - a page's failure is shown in its place, logged; the app goes on
        ui.show_error(exc)


with ui.as_entry_script():
    main()
