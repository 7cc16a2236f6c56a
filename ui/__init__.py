"""The Streamlit side of the dashboard, outside the pages: what pages import.

Pages are layout only: ``import ui``, then ``v = ui.view()`` (language,
filters, data date), engine answers from ``ui.query`` / ``ui.query_frame``,
drawn with ``ui.table``, ``ui.chart``, ``ui.metric_cards``. Plain reshaping
of the answers (KPI changes, summaries, Biểu 06 rows) is in ``analytics``.

Modules, each importing only those above it (tests/ui/test_layers.py):

* ``ui.data``    where the database is, the cached engine and store calls;
* ``ui.state``   the view of a run: language, shared filters, URL state, period;
* ``ui.gate``    sign-in, the current user and scope, audited downloads;
* ``ui.frame``   entering the frame (``view``, ``require``), header, errors, styles;
* ``ui.widgets`` tables and Excel downloads, charts, KPI cards, notes;
* ``ui.uploads`` the import page's uploaded files.
"""

from ui.data import (
    app_name,
    attachable_procedures,
    db_path,
    digests,
    ensure_database,
    facts,
    facts_missing,
    office_unit_name,
    query,
    query_frame,
    store,
    unit_registry,
    units,
    watchlist,
)
from ui.frame import (
    as_entry_script,
    close_sidebar_after_choice,
    header,
    inject_css,
    page_object,
    require,
    settle_heap,
    show_error,
    touch_scripts,
    view,
)
from ui.gate import (
    ADMIN_PAGE,
    account_box,
    accounts,
    allowed,
    attach_procedure_name,
    audit_import,
    audited,
    current_scope,
    current_user,
    follow_requested_page,
    merge_agencies,
    signed_in_user,
)
from ui.state import (
    ALL_PAGES,
    K_DRILL_AGENCY,
    K_DRILL_HANDLER,
    K_R06_COUNTING,
    VIEW_KEY,
    lang,
    sidebar_filters,
    sync_url,
    url_params,
)
from ui.uploads import discard_uploads, save_uploads, saved_upload_paths, upload_paths
from ui.widgets import (
    CHART_TOP,
    REPORT06_COLS,
    Col,
    chart,
    download_button,
    empty,
    figure,
    file_name,
    kpi_cards,
    meeting_pack,
    metric_cards,
    phone_screen,
    picked_label,
    report06_builder,
    table,
    text_card,
    totals,
    unit_input,
    wide_screen,
)

__all__ = [
    "ADMIN_PAGE", "ALL_PAGES", "CHART_TOP", "Col", "K_DRILL_AGENCY", "K_DRILL_HANDLER", "K_R06_COUNTING",
    "REPORT06_COLS",
    "VIEW_KEY", "account_box", "accounts", "allowed", "as_entry_script", "attach_procedure_name", "audit_import",
    "audited", "chart", "close_sidebar_after_choice", "current_scope", "current_user", "db_path", "digests",
    "discard_uploads", "download_button", "empty", "ensure_database", "facts", "facts_missing", "figure",
    "file_name", "follow_requested_page", "header", "inject_css", "kpi_cards", "lang", "meeting_pack",
    "app_name", "phone_screen", "wide_screen",
    "merge_agencies", "metric_cards", "office_unit_name", "picked_label", "query", "query_frame",
    "report06_builder", "require", "save_uploads", "saved_upload_paths", "show_error", "sidebar_filters",
    "attachable_procedures", "signed_in_user", "store", "sync_url", "table", "text_card", "totals",
    "page_object", "touch_scripts", "unit_input", "unit_registry", "units", "upload_paths", "url_params", "view",
    "watchlist",
]

# Everything ui needs is imported: keep it out of Python's full collections (ui.frame.settle_heap).
settle_heap()
