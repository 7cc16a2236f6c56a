"""The sign-in gate: local accounts, or OpenID Connect via ``st.login``.

``dashboard.py`` calls :func:`signed_in_user` before drawing anything that shows data.
It returns the signed-in :class:`analytics.access.auth.User` (kept in the session),
or draws the sign-in form and stops the run. The user's scope then goes into
every engine call through :func:`current_scope` → ``Filters.scope``.

* Sign-in is required unless :func:`analytics.access.auth.auth_mode` says otherwise
  (the demo database, or ``MOTCUA_AUTH=off``); the screen then says so.
* Local accounts: username and password checked by
  :meth:`analytics.access.auth.Accounts.sign_in` (argon2, lock-out, audit). Every
  refusal shows the same message (a wrong password, an unknown username, a
  locked account), so the form does not tell who has an account. A sign-in
  that cannot be written to the audit log (full disk) is refused with a clear
  message, not an error screen.
* OpenID Connect: when ``.streamlit/secrets.toml`` configures a provider for
  ``st.login`` (see docs/SECURITY.md), a "Đăng nhập một lần" button signs in
  there; the person's claims are mapped to a local account, which gives the
  role and the agency.
* Each run re-reads the account: a disabled account, or a changed role or
  agency, takes effect at the next click.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Callable, Mapping

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from analytics.access import audit
from analytics.access.agency_merge import MergeResult, merge
from analytics.access.auth import (
    DEMO_USER,
    IMPORT,
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    MERGE_AGENCIES,
    Accounts,
    AuthError,
    User,
    auth_mode,
    oidc_settings,
)
from analytics.ingest.importer import attach_procedure, procedure_name_key
from analytics.locale.safe_text import md_escape
from analytics.store.ops import OpsDiskFull, OpsStore
from ui.data import ROOT, app_name, data_version, db_path, store, unit_registry
from ui.state import lang, t, t_md

LOG = logging.getLogger("motcua.dashboard")

USER_KEY = "_user"
# The page (URL path, e.g. "giai_doan") the browser asked for when the
# sign-in form stopped the run; see remember_requested_page.
REQUESTED_KEY = "_requested_page"
SECRETS = ROOT / ".streamlit" / "secrets.toml"
ADMIN_PAGE = "pages/quan_tri.py"
# Pages only some roles may open: hidden from the others' navigation by
# dashboard.py, and each page refuses them too (ui.require).
PAGE_ACTIONS = {"pages/nhap_du_lieu.py": "import", ADMIN_PAGE: "users"}


def current_user() -> User | None:
    """The signed-in user (set by :func:`signed_in_user`), or None."""
    return st.session_state.get(USER_KEY)


def current_scope() -> frozenset[str] | None:
    """The agencies the signed-in user may see (None: all). Nobody signed in: none."""
    user = current_user()
    return user.scope if user is not None else frozenset()


def allowed(page: str) -> bool:
    """Whether the signed-in user may open ``page`` (a path under pages/)."""
    action = PAGE_ACTIONS.get(page)
    if action is None:
        return True
    user = current_user()
    return user is not None and user.can(action)


def _ops() -> OpsStore:
    return OpsStore.beside(db_path())


@st.cache_resource(show_spinner=False)
def _accounts(ops_path: str, db: str) -> Accounts:
    return Accounts(OpsStore(ops_path), units=unit_registry())


def accounts() -> Accounts:
    """The accounts of the current database's operational store; each
    account's unit is resolved to its name today (a merged unit's id to the
    unit it was merged into), so the scope follows merges and renames."""
    return _accounts(str(_ops().path), str(db_path()))


@st.cache_data(ttl=60, max_entries=16, show_spinner=False)
def _mode(path: str, version: str | None, env: str | None) -> tuple[bool, str]:
    mode = auth_mode(path, {"MOTCUA_AUTH": env} if env else {})
    return mode.required, mode.reason


def _auth_mode() -> tuple[bool, str]:
    return _mode(path=str(db_path()), version=data_version(), env=os.environ.get("MOTCUA_AUTH"))


def _sso_user() -> dict[str, Any] | None:
    """The OIDC claims of the browser's ``st.login`` session, if any."""
    try:
        if st.user.is_logged_in:
            return dict(st.user.to_dict())
    except (AttributeError, KeyError):
        pass
    return None


def signed_in_user() -> User:
    """The signed-in user, or the sign-in form and ``st.stop()``."""
    state = st.session_state
    required, reason = _auth_mode()
    if not required:
        state[USER_KEY] = DEMO_USER
        st.sidebar.info(t("auth_demo" if reason == "demo" else "auth_off"), icon=":material/info:")
        return DEMO_USER
    user = state.get(USER_KEY)
    if user is DEMO_USER:  # the demo became a real database (real data imported)
        user = None
        state.pop(USER_KEY, None)
    if user is not None:
        fresh = accounts().get(user.username)
        if fresh is None or fresh.disabled:
            state.pop(USER_KEY, None)
            st.warning(t("auth_account_gone"), icon=":material/lock:")
        else:
            state[USER_KEY] = fresh
            return fresh
    remember_requested_page()
    oidc = oidc_settings(SECRETS)
    claims = _sso_user() if oidc else None
    if oidc and claims:
        try:
            user = accounts().from_claims(claims, provider=oidc.provider)
        except OpsDiskFull:
            LOG.exception("OIDC sign-in not written: disk full")
            st.error(t("auth_disk_full"), icon=":material/storage:")
            st.stop()
        if user is not None:
            state[USER_KEY] = user
            return user
        who = claims.get("email") or claims.get("preferred_username") or "?"
        st.error(t_md("auth_no_access", who=who), icon=":material/block:")
        if st.button(t("auth_sign_out"), key="auth_sso_out"):
            st.logout()
        st.stop()
    user = _sign_in_form(oidc)
    if user is None:
        st.stop()
        raise AssertionError("unreachable")  # st.stop() raises
    return user


def remember_requested_page() -> None:
    """Keep the page the URL asked for (``/giai_doan``), once per session,
    before the sign-in form stops the run.

    The run that signs in is a rerun of whatever page the browser last
    reported, which for a page that never got past the form is the entry
    script: ``st.navigation`` then falls back to the overview. The path asked
    for first is the one the person opened, so it is kept until
    :func:`follow_requested_page` uses it after sign-in.
    """
    ctx = get_script_run_ctx()
    if ctx is None or REQUESTED_KEY in st.session_state:
        return
    st.session_state[REQUESTED_KEY] = ctx.pages_manager.intended_page_name or ""


def follow_requested_page(current: Any, pages: Mapping[str, Any], query: dict[str, str]) -> None:
    """Right after sign-in, switch to the page remembered by
    :func:`remember_requested_page`, with the view's URL parameters.

    ``pages`` are the navigation's pages for this user (URL path → page), so
    a page their role may not open is not among them: a forged ``/quan_tri``
    leaves an agency officer on the overview, as before.
    """
    wanted = st.session_state.pop(REQUESTED_KEY, None)
    target = pages.get(wanted) if wanted else None
    if target is not None and target.url_path != current.url_path:
        st.switch_page(target, query_params=query)


def _sign_in_form(oidc) -> User | None:
    """The sign-in form; the user once the password is right, else None.

    The form is drawn in one placeholder, emptied when the sign-in goes
    through: the same run then goes on to the page (no second run, which on
    a busy server is a second wait for a turn)."""
    box = st.empty()
    with box.container():
        user = _sign_in_fields(oidc)
    if user is not None:
        box.empty()
    return user


def _sign_in_fields(oidc) -> User | None:
    st.title(app_name(lang(), markdown=True))
    st.subheader(t("auth_title"))
    st.caption(t("auth_intro"))
    if accounts().count() == 0:
        st.info(t("auth_no_users", db=str(db_path())), icon=":material/person_add:")
    with st.form("auth_form", border=True):
        username = st.text_input(t("auth_username"), key="auth_username", autocomplete="username")
        password = st.text_input(t("auth_password"), type="password", key="auth_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("auth_submit"), type="primary", key="auth_submit")
    if submitted:
        try:
            result = accounts().sign_in(username, password)
        except OpsDiskFull:
            # Refused, not let in unaudited: without the audit entry and the
            # failure count, lock-out would not hold either.
            LOG.exception("sign-in not written: disk full")
            st.error(t("auth_disk_full"), icon=":material/storage:")
            return None
        if result.ok:
            st.session_state[USER_KEY] = result.user
            st.session_state.pop("auth_password", None)
            return result.user
        refused = result.message_key
        if refused is not None:  # None only for a sign-in that went through (returned above)
            st.error(t(refused, attempts=MAX_FAILED_ATTEMPTS,
                       minutes=int(LOCKOUT.total_seconds() // 60)), icon=":material/error:")
    if oidc is not None:
        st.divider()
        if st.button(oidc.label or t("auth_sso"), key="auth_sso", icon=":material/key:"):
            try:
                st.login(oidc.provider) if oidc.provider else st.login()
            except Exception as exc:  # noqa: BLE001 - e.g. Authlib missing: said on screen, logged
                LOG.exception("st.login failed")
                st.error(f"{t('auth_sso')}: {md_escape(exc)}", icon=":material/error:")
    return None


def account_box(user: User) -> None:
    """Who is signed in, their scope, and the sign-out button (sidebar)."""
    if user is DEMO_USER:
        return
    sb = st.sidebar
    scope = user.scope
    # The display name may come from the identity provider, the scope is agency names.
    sb.markdown(f"**{md_escape(user.display_name)}** · {t('role_' + user.role)}")
    sb.caption(t_md("auth_scope", agency=", ".join(sorted(scope))) if scope is not None
               else t("auth_scope_all"))
    if sb.button(t("auth_sign_out"), key="auth_sign_out", icon=":material/logout:"):
        try:
            audit.record(_ops(), audit.SIGN_OUT, actor=user.username, target=user.username)
        except OpsDiskFull:  # signing out is always allowed; the log line says it went unaudited
            LOG.exception("sign-out of %s not written: disk full", user.username)
        st.session_state.pop(USER_KEY, None)
        if _sso_user():
            st.logout()
        st.rerun()


def audit_import(report: Any, plan: Any, error: str | None = None) -> None:
    """Write an import made on the import page (or its failure) to the audit log."""
    user = current_user()
    actor = getattr(user, "username", None) or "anonymous"
    files = [Path(p).name for p in getattr(plan, "paths", [])]
    audit.record_import(_ops(), actor=actor, files=files, report=report, error=error)


def _acting_user(action: str) -> str:
    """The signed-in user's name, if they may do ``action``; refused otherwise.

    Checked here, not only by hiding the panel: a forged widget value or a
    page opened around the navigation still cannot act."""
    user = current_user()
    if user is None or not user.can(action):
        raise AuthError(t("auth_refused"))
    return user.username


def merge_agencies(source: str, target: str) -> MergeResult:
    """Merge agency ``source`` into ``target`` (admins only), audited as the signed-in user."""
    actor = _acting_user(MERGE_AGENCIES)
    return merge(store(), source, target, ops=_ops(), actor=actor)


def attach_procedure_name(name: str, code: str) -> int:
    """Attach a procedure name to a catalogue code from the import page, audited
    like ``procedure-attach``; the number of dossiers now under ``code``."""
    actor = _acting_user(IMPORT)
    count = attach_procedure(db_path(), name, code)
    audit.record(_ops(), audit.IMPORT, actor=actor, target=code,
                 detail={"procedure_attached": procedure_name_key(name), "code": code, "dossiers": count})
    return count


def audited(build: Callable[[], bytes], name: str) -> Callable[[], bytes]:
    """Wrap a download builder so each download is written to the audit log.

    Streamlit calls the builder on another thread when the button is clicked,
    so who and where are captured now, as plain values.
    """
    user = current_user()
    actor = getattr(user, "username", None) or "anonymous"
    scope = current_scope()
    # The unit of a scoped download, by id: the log stays right after a merge.
    unit_id = user.unit_id if user is not None and scope is not None else None
    ops_path = _ops().path

    def run() -> bytes:
        data = build()
        audit.record(OpsStore(ops_path), audit.EXPORT, actor=actor, target=name,
                     detail={"bytes": len(data), "scope": sorted(scope) if scope is not None else None},
                     unit_id=unit_id)
        return data

    return run
