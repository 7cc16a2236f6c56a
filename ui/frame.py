"""The frame every page runs in: entering it, the header, errors and the styles.

``dashboard.py`` draws the frame (sign-in gate, sidebar filters, header) and
runs the current page inside it. A page reaches the frame's work through
:func:`view` and :func:`require`, which first make sure the page does run
inside it (:func:`_enter_frame`, the one place that works around how
Streamlit treats a ``pages/`` folder).
"""

from __future__ import annotations

import contextlib
import copy
import gc
import logging
import runpy
import threading
from pathlib import Path
from typing import Iterator

import streamlit as st
import streamlit.commands.navigation as st_navigation
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from analytics.ingest.file_limits import MAX_FILE_MB
from analytics.ingest.importer import DROP_SUFFIXES
from analytics.locale import fmt
from analytics.locale.labels import attribution_text
from analytics.locale.labels import t as _t
from analytics.locale.safe_text import md_escape
from ui.data import ROOT
from ui.gate import current_scope, current_user
from ui.state import K_PRINT, VIEW_KEY, View, build_view, filter_summary, t

LOG = logging.getLogger("motcua.dashboard")

HERE = Path(__file__).resolve().parent
# Every page; the print view's screen look; the Vietnamese file uploader.
STYLE = (HERE / "style.css").read_text(encoding="utf-8")
STYLE_PRINT_VIEW = (HERE / "style_print_view.css").read_text(encoding="utf-8")
STYLE_UPLOADER_VI = (
    (HERE / "style_uploader_vi.css").read_text(encoding="utf-8")
    .replace("__MAX_MB__", str(MAX_FILE_MB))
    .replace("__DROP_TYPES__", ", ".join(suffix.lstrip(".").upper() for suffix in DROP_SUFFIXES))
)

# Set on the script run context while dashboard.py's frame runs (per run, per
# session: never a process-wide flag, which another session can flip).
_IN_FRAME = "_motcua_in_frame"


# --------------------------------------------------------------------------
# Running inside the frame
# --------------------------------------------------------------------------


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
    ctx = get_script_run_ctx()
    if ctx is None or getattr(ctx, _IN_FRAME, False):
        return
    runpy.run_path(str(ROOT / "dashboard.py"), run_name="__main__")
    st.stop()


# st.Page objects by their arguments, kept by this module (dashboard.py's
# own globals are made anew on every run). Making one resolves its path,
# checks the file and validates the icon: for a dozen pages, ~7 ms of every
# run. Each run gets a shallow copy, because st.navigation marks the page it
# runs on the object itself.
_PAGE_OBJECTS: dict[tuple, st.Page] = {}
_PAGE_OBJECTS_LOCK = threading.Lock()


def page_object(path: Path, *, title: str, icon: str, url_path: str, default: bool = False) -> st.Page:
    """``st.Page(path, ...)``, made once per arguments and copied for this run."""
    key = (str(path), title, icon, url_path, default)
    with _PAGE_OBJECTS_LOCK:
        page = _PAGE_OBJECTS.get(key)
    if page is None:
        page = st.Page(path, title=title, icon=icon, url_path=url_path, default=default)
        if not hasattr(page, "_page"):  # made outside a script run: nothing worth keeping
            return page
        with _PAGE_OBJECTS_LOCK:
            _PAGE_OBJECTS[key] = page
    return copy.copy(page)


def view() -> View:
    """The view ``dashboard.py`` set up for this run (what a page calls first)."""
    _enter_frame()
    v = st.session_state.get(VIEW_KEY)
    if v is None:
        v = build_view({}, scope=current_scope())  # only reached when a page runs outside the app
    return v


def require(action: str) -> None:
    """Refuse the page (a message, then stop) unless the user may do ``action``.

    The frame is entered first: a page started outside it has no user yet,
    and must get the sign-in form, not a refusal.
    """
    _enter_frame()
    user = current_user()
    if user is None or not user.can(action):
        st.error(t("auth_refused"), icon=":material/block:")
        st.stop()


# --------------------------------------------------------------------------
# Header, errors, styles
# --------------------------------------------------------------------------


def inject_css(print_mode: bool, lg: str = "vi") -> None:
    css = STYLE + (STYLE_PRINT_VIEW if print_mode else "") + (STYLE_UPLOADER_VI if lg == "vi" else "")
    st.html(f"<style>\n{css}</style>")


# --------------------------------------------------------------------------
# An unknown page, said in the page's language
# --------------------------------------------------------------------------

# Set in the session when st.navigation found no page for the URL path.
_PAGE_NOT_FOUND = "_motcua_page_not_found"


def _note_page_not_found(ctx) -> None:
    """Streamlit's own reaction to an unknown URL path (``/trang_cu``) is a
    dialog in English ("Page not found … Running the app's main page"),
    drawn by the browser from a message st.navigation sends: a Vietnamese
    screen would show English. The message is not sent; the session is marked
    and :func:`header` says it in the page's language over the overview that
    runs instead (st.navigation still falls back to the default page)."""
    ctx.session_state[_PAGE_NOT_FOUND] = True


# st.navigation calls the module's function by name, so replacing it here (once,
# when ui is imported) covers every session of the process.
st_navigation.send_page_not_found = _note_page_not_found


def settle_heap() -> int:
    """Move every object alive now into the collector's permanent generation
    (``gc.freeze``), after collecting what is garbage; returns how many.

    Called once, at the end of ui's import (ui/__init__.py): what is alive then is the
    modules of Streamlit, pandas, plotly, DuckDB and this app, which live as
    long as the process. Python's full collections, which a server process
    with its answer, table and figure caches runs every few page runs
    (~80 ms each in bench_pages.py, on the run that triggers it), then no
    longer walk those ~100 000 objects again and again. Objects made later
    are collected as before."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def header(v: View, title: str) -> None:
    """Page title, data date and period, on every page (and, once, that the
    page asked for does not exist)."""
    lg = v.lang
    if st.session_state.pop(_PAGE_NOT_FOUND, False):
        st.warning(_t("ui_page_not_found", lg), icon=":material/link_off:")
    top = st.columns([5, 1.3], vertical_alignment="bottom")
    top[0].title(title)
    top[1].toggle(_t("ui_print_view", lg), key=K_PRINT, help=_t("ui_print_help", lg))
    # "Số liệu đến ngày" is the period's as-of date, as in Biểu 06, the deck and
    # the report; how far the data reach is named apart when it differs.
    date_text = fmt.date(v.as_of, lg) if v.data_date else fmt.MISSING
    bits = [f"**{_t('data_date', lg, date=date_text)}**",
            _t("period", lg, period=fmt.period(v.filters.date_from, v.filters.date_to, lg))]
    if v.data_date and v.data_date != v.as_of:
        bits.append(_t("data_loaded", lg, date=fmt.date(v.data_date, lg)))
    summary = filter_summary(v)
    if summary:
        bits.append(md_escape(summary))  # agency, field and procedure names are data
    bits.append(attribution_text(v.filters, lg))
    st.markdown(" · ".join(bits))
    if v.print_mode:
        st.caption(_t("ui_print_hint", lg))


# On a phone the sidebar lies over the page, and Streamlit leaves it open
# after a choice (a widget's on_change cannot close it). When a run's filters
# or language differ from the previous run's, the user has just chosen
# something there: this script, sent on that run only, closes the sidebar on a
# narrow screen by pressing its own collapse button. A constant (no data in
# it); the counter makes each one a new element, so the browser runs it again.
_LAST_CHOICE = "_motcua_last_choice"
_CLOSE_COUNT = "_motcua_sidebar_closes"
PHONE_MAX_PX = 640  # as style.css's phone rules
CLOSE_SIDEBAR_JS = """<script>/* close {n} */
setTimeout(() => {{
  if (window.innerWidth > {phone}) return;
  const side = document.querySelector('[data-testid="stSidebar"]');
  if (!side || side.getBoundingClientRect().right <= 0) return;
  const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (button) button.click();
}}, 150);
</script>"""


# On a touch screen the browser sends the mouse events Plotly's hover needs
# only after the touch has ended, so a chart's first tap on a bar showed its
# hover label but selected nothing (the drill-down needed a second tap). A
# touch on a chart first moves Plotly's hover to the touched point, so one tap
# selects the bar. Installed once per browser page; a constant, no data.
TAP_SELECTS_JS = """<script>
if (!window.__motcuaTapSelects) {
  window.__motcuaTapSelects = true;
  document.addEventListener('touchstart', (event) => {
    const touch = event.touches && event.touches[0];
    const target = event.target;
    if (!touch || !target.closest || !target.closest('[data-testid="stPlotlyChart"]')) return;
    target.dispatchEvent(new MouseEvent('mousemove', {
      clientX: touch.clientX, clientY: touch.clientY, bubbles: true, cancelable: true, view: window}));
  }, {capture: true, passive: true});
}
</script>"""


def touch_scripts() -> None:
    """The phone helpers that need the browser: one tap on a chart's bar selects it."""
    st.sidebar.html(TAP_SELECTS_JS, unsafe_allow_javascript=True)


def close_sidebar_after_choice(v: View) -> bool:
    """Close the sidebar on a phone after a choice made in it (not on the
    first run, nor while a date range has only its first day). Returns
    whether the closing script was sent (for the tests)."""
    choice = (v.filters, v.preset, v.lang)
    before = st.session_state.get(_LAST_CHOICE)
    st.session_state[_LAST_CHOICE] = choice
    if before is None or before == choice or v.half_picked:
        return False
    n = st.session_state.get(_CLOSE_COUNT, 0) + 1
    st.session_state[_CLOSE_COUNT] = n
    st.sidebar.html(CLOSE_SIDEBAR_JS.format(n=n, phone=PHONE_MAX_PX), unsafe_allow_javascript=True)
    return True


def show_error(exc: BaseException) -> None:
    """Log the traceback; show a clear message without paths or code."""
    LOG.exception("page failed: %s", exc)
    st.error(t("ui_error"), icon=":material/error:")
