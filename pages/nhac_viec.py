"""Nhắc việc: dossiers near their due date or overdue, by handler and by
agency; the contacts, schedule and channels of the reminders; a preview of
each digest; the send history. Layout only: everything comes from
``analytics.reminders``.

Scope: the watchlist, the digest previews and the leader names are the
user's scope only (``view.filters.scope``), as every engine query is. The
contacts, the schedule and channels, "Gửi ngay" and the send history are
administration: not drawn at all for anyone else (``_can``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

import ui
from analytics.access import auth
from analytics.locale import fmt
from analytics.locale.clock import office_today
from analytics.locale.safe_text import md_escape
from analytics.locale.workdays import CalendarError, calendar_with
from analytics.reminders import contacts as rc
from analytics.reminders.schedule import describe_schedule, office_now, upcoming_slots
from analytics.reminders.send import (
    RESULT_LABELS,
    run_slot,
    send_history,
    slot_for_manual,
    slot_summaries,
)
from analytics.reminders.settings import SettingsError, load_settings, masked_json, update_settings
from analytics.reminders.templates import DEFAULT_TEMPLATES, VARIABLES
from analytics.reminders.watchlist import agency_summary, handler_summary, watchlist_records
from analytics.store.ops import OpsStore

v = ui.view()
lg = v.lang
ops = OpsStore.beside(ui.db_path())
# Contacts name units by id: shown and matched by each unit's name today.
units = ui.unit_registry()
settings = load_settings(ops)
try:
    calendar = calendar_with(settings.calendar)
except CalendarError:
    calendar = calendar_with(None)
WEEKDAYS = {day: v.t(f"nv_weekday_{day}") for day in range(1, 8)}  # ISO weekdays, in the page's language


def _can(action: str) -> bool:
    """Whether the user may ``action``. Nobody signed in may do nothing (the
    frame's gate stops such a run first; this does not rely on it). With
    sign-in off (demo, MOTCUA_AUTH=off) the gate's user is an administrator."""
    user = ui.current_user()
    return user is not None and user.can(action)


def _actor() -> str:
    user = ui.current_user()
    return getattr(user, "username", None) or "dashboard"


# --- the watchlist -----------------------------------------------------------------

top = st.columns([1.2, 1.4, 3], vertical_alignment="bottom")
as_of = top[0].date_input(v.t("nv_as_of"), value=office_today(), key="nv_as_of",
                          format="DD/MM/YYYY", min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
inter_options = {"all": v.t("all"), "only": v.t("nv_inter_only"), "none": v.t("nv_inter_none")}
inter_pick = top[1].selectbox(v.t("nv_inter_agency"), list(inter_options), format_func=inter_options.get,
                              key="nv_inter")
inter = {"all": None, "only": True, "none": False}[inter_pick]
scope = v.filters.scope
watchlist = ui.watchlist(as_of=as_of, near_due_days=settings.near_due_days, scope=scope,
                         agency=v.filters.agency, inter_agency=inter, calendar=calendar,
                         office_calendar=settings.calendar)
data_text = fmt.date(watchlist.data_date, lg) if watchlist.data_date else fmt.MISSING
top[2].caption(v.t("nv_basis", as_of=fmt.date(as_of, lg), data=data_text,
                   cutoff=fmt.date(watchlist.cutoff, lg), n=settings.near_due_days))
if watchlist.data_date and calendar.working_days_between(watchlist.data_date, as_of) > 1:
    st.warning(v.t("nv_stale", data=data_text), icon=":material/update:")

# Only the scope's contacts: their digests are the only previews, their
# leaders the only names in the agency table.
book = rc.ContactBook.load(ops, units).within(scope)
leaders = book.leader_names()
batch = ui.digests(watchlist, book, settings)
by_handler = handler_summary(watchlist)
c1, c2, c3, c4 = st.columns(4)
c1.metric(v.t("nv_overdue"), fmt.number(watchlist.overdue, lg), border=True)
c2.metric(v.t("nv_near_due"), fmt.number(watchlist.near_due, lg), border=True)
c3.metric(v.t("nv_handlers"), fmt.number(sum(1 for g in watchlist.by_handler() if g.handler), lg), border=True)
c4.metric(v.t("nv_inter_count"), fmt.number(len({i.code for i in watchlist.items if i.inter_agency}), lg),
          border=True)
# Why this count can exceed the overview's "đang giải quyết quá hạn": a step
# past its own deadline makes its dossier overdue here before the dossier is.
dossier_overdue, step_overdue = watchlist.overdue_split
if watchlist.overdue:
    st.caption(v.t("nv_overdue_split", as_of=fmt.date(as_of, lg), dossier=fmt.number(dossier_overdue, lg),
                   step=fmt.number(step_overdue, lg)))

HANDLER_COLS = [ui.Col("handler", "handler"), ui.Col("agency", "agency"), ui.Col("overdue", "nv_overdue", "int"),
                ui.Col("near_due", "nv_near_due", "int"), ui.Col("total", "nv_total", "int"),
                ui.Col("codes", "nv_codes")]
AGENCY_COLS = [ui.Col("agency", "agency"), ui.Col("leaders", "nv_leaders"), ui.Col("overdue", "nv_overdue", "int"),
               ui.Col("near_due", "nv_near_due", "int"), ui.Col("total", "nv_total", "int"),
               ui.Col("handlers", "nv_handler_count", "int"), ui.Col("codes", "nv_codes")]
ITEM_COLS = [ui.Col("state_label", "nv_state"), ui.Col("code", "code"), ui.Col("procedure_name", "procedure_name"),
             ui.Col("handler_label", "handler"), ui.Col("agency", "nv_holding_agency"),
             ui.Col("dossier_agency", "nv_receiving_agency"), ui.Col("step_name", "stage"),
             ui.Col("due_date", "nv_due", "date"), ui.Col("days_late", "days_late", "int"),
             ui.Col("days_left", "nv_days_left", "int"), ui.Col("inter_label", "nv_inter_agency")]
extra = [v.t("nv_basis", as_of=fmt.date(as_of, lg), data=data_text, cutoff=fmt.date(watchlist.cutoff, lg),
             n=settings.near_due_days)]

can_contacts = _can(auth.CONTACTS)
can_settings = _can(auth.REMINDER_SETTINGS)
can_send = _can(auth.SEND_REMINDERS)
tab_names = ["handler", "agency", "items", *(["contacts"] if can_contacts else []),
             *(["schedule"] if can_settings else []), "preview", *(["history"] if can_settings else [])]
tabs = dict(zip(tab_names, st.tabs([v.t(f"nv_tab_{name}") for name in tab_names]), strict=True))

with tabs["handler"]:
    ui.table(by_handler, HANDLER_COLS, title=v.t("nv_by_handler_title"), key="nv_handler",
             stem="nhac-viec-nguoi-xu-ly", extra_lines=extra, empty_text=v.t("nv_nothing"))

with tabs["agency"]:
    ui.table(agency_summary(watchlist, leaders), AGENCY_COLS, title=v.t("nv_by_agency_title"),
             key="nv_agency", stem="nhac-viec-don-vi", extra_lines=extra, empty_text=v.t("nv_nothing"))

with tabs["items"]:
    records = [{**r, "inter_label": v.t("yes") if r["inter_agency"] else v.t("no")}
               for r in watchlist_records(watchlist)]
    ui.table(records, ITEM_COLS, title=v.t("nv_items_title"), key="nv_items", stem="nhac-viec-ho-so",
             extra_lines=extra, empty_text=v.t("nv_nothing"))

# --- contacts --------------------------------------------------------------------------

if can_contacts:
    with tabs["contacts"]:
        st.caption(v.t("nv_contacts_help"))
        records = rc.contact_records(ops, units=units)
        column_config = {
            "id": st.column_config.NumberColumn(v.t("nv_c_id"), disabled=True, width="small"),
            "name": st.column_config.TextColumn(rc.FIELD_LABELS["name"], required=True),
            "agency": st.column_config.TextColumn(rc.FIELD_LABELS["agency"]),
            "phone": st.column_config.TextColumn(rc.FIELD_LABELS["phone"]),
            "email": st.column_config.TextColumn(rc.FIELD_LABELS["email"]),
            "zalo_id": st.column_config.TextColumn(rc.FIELD_LABELS["zalo_id"]),
            "role": st.column_config.SelectboxColumn(rc.FIELD_LABELS["role"], options=list(rc.ROLE_LABELS.values()),
                                                     default=rc.ROLE_LABELS["handler"], required=True),
            "active": st.column_config.CheckboxColumn(rc.FIELD_LABELS["active"], default=True),
            "leads": st.column_config.TextColumn(rc.FIELD_LABELS["leads"], help=v.t("nv_leads_help")),
            "note": st.column_config.TextColumn(rc.FIELD_LABELS["note"]),
        }
        empty_row = {k: None for k in column_config}
        frame = pd.DataFrame.from_records(records or [empty_row], columns=list(column_config))
        if not records:
            frame = frame.iloc[0:0]
        text_columns = ["name", "agency", "phone", "email", "zalo_id", "leads", "note"]
        frame[text_columns] = frame[text_columns].astype(object).where(frame[text_columns].notna(), "")
        edited = st.data_editor(frame, column_config=column_config, num_rows="dynamic",
                                hide_index=True, width="stretch", key="nv_contacts_editor")
        if st.button(v.t("nv_save_contacts"), type="primary", key="nv_save_contacts", icon=":material/save:"):
            result = rc.save_contact_records(ops, edited.to_dict("records"), actor=_actor(), units=units)
            if result.ok:
                st.success(v.t("nv_saved_contacts", added=result.added, updated=result.updated,
                               deleted=result.deleted))
            else:
                st.error(v.t("nv_contact_errors"))
                st.markdown("\n".join(f"- {md_escape(e)}" for e in result.errors))

        st.markdown(f"**{v.t('nv_import_title')}**")
        upload = st.file_uploader(v.t("nv_import_upload"), type=["xlsx", "csv"], key="nv_contacts_file",
                                  help=v.t("nv_import_help"))
        if upload is not None and st.button(v.t("nv_import_button"), key="nv_import_button",
                                            icon=":material/upload_file:"):
            with tempfile.TemporaryDirectory(prefix="motcua-contacts-") as folder:
                path = Path(folder) / (Path(upload.name).name or "danh-ba.xlsx")
                path.write_bytes(upload.getvalue())
                try:
                    result = rc.import_contacts(ops, path, actor=_actor(), units=units)
                except rc.ContactFileError as exc:
                    st.error(md_escape(exc))
                else:
                    st.success(v.t("nv_imported", added=result.added, updated=result.updated,
                                   unchanged=result.unchanged, errors=len(result.errors)))
                    if result.errors:
                        st.markdown("\n".join(f"- {md_escape(e)}" for e in result.errors))
        if batch.unmatched:
            st.markdown(f"**{v.t('nv_unmatched_title')}**")
            ui.table([{"handler": g.label, "agency": g.agency, "overdue": g.overdue, "near_due": g.near_due,
                       "total": g.total, "codes": ", ".join(g.codes)} for g in batch.unmatched],
                     HANDLER_COLS, title=v.t("nv_unmatched_title"), key="nv_unmatched", stem="chua-co-lien-he",
                     download=False)

# --- schedule, channels, templates ------------------------------------------------------

if can_settings:
    with tabs["schedule"]:
        st.markdown(v.t_md("nv_schedule_now", schedule=describe_schedule(settings, lg)))
        upcoming = upcoming_slots(office_now(settings), settings, calendar, count=5)
        st.caption(v.t("nv_next_slots", slots=", ".join(str(s) for s in upcoming) or fmt.MISSING))
        with st.form("nv_settings_form"):
            a, b, c = st.columns(3)
            times = a.text_input(v.t("nv_times"), ", ".join(settings.times), help=v.t("nv_times_help"),
                                 key="nv_s_times")
            weekdays = b.multiselect(v.t("nv_weekdays"), list(WEEKDAYS), default=list(settings.weekdays),
                                     format_func=WEEKDAYS.get, key="nv_s_weekdays")
            near_days = c.number_input(v.t("nv_near_days"), 0, 30, settings.near_due_days,
                                       help=v.t("nv_near_days_help"), key="nv_s_near")
            skip = a.checkbox(v.t("nv_skip_holidays"), settings.skip_holidays, key="nv_s_skip")
            handlers_on = b.checkbox(v.t("nv_notify_handlers"), settings.notify_handlers, key="nv_s_handlers")
            leaders_on = c.checkbox(v.t("nv_notify_leaders"), settings.notify_leaders, key="nv_s_leaders")
            segments = a.number_input(v.t("nv_sms_limit"), 1, 10, settings.sms_segment_limit, key="nv_s_segments")
            unaccented = b.checkbox(v.t("nv_sms_unaccented"), settings.sms_unaccented,
                                    help=v.t("nv_sms_unaccented_help"), key="nv_s_unaccented")
            send_empty = c.checkbox(v.t("nv_send_empty"), settings.send_empty, key="nv_s_empty")
            url = st.text_input(v.t("nv_dashboard_url"), settings.dashboard_url, key="nv_s_url")
            office = st.text_input(v.t("nv_office_name"), settings.office_name, key="nv_s_office")
            # Shown masked: a secret stored before literal secrets were refused
            # is not shown again, and saving the mask back is refused.
            channels_text = st.text_area(v.t("nv_channels"), json.dumps(masked_json(settings)["channels"],
                                                                        ensure_ascii=False, indent=2), height=220,
                                         help=v.t("nv_channels_help"), key="nv_s_channels")
            with st.expander(v.t("nv_templates")):
                st.caption(v.t("nv_templates_help") + " " +
                           "; ".join(md_escape(f"${{{k}}}: {v.t(f'nv_var_{k}')}") for k in VARIABLES))
                template_values = {
                    name: st.text_area(v.t(f"nv_tpl_{name}"), settings.templates.get(name) or DEFAULT_TEMPLATES[name],
                                       height=160 if "body" in name else 80, key=f"nv_tpl_{name}")
                    for name in DEFAULT_TEMPLATES
                }
            saved = st.form_submit_button(v.t("nv_save_settings"), type="primary")
        if saved:
            try:
                channels = json.loads(channels_text or "[]")
            except ValueError as exc:
                st.error(v.t_md("nv_channels_json", error=str(exc)))
            else:
                try:
                    update_settings(
                        ops, times=[t.strip() for t in times.split(",") if t.strip()], weekdays=weekdays,
                        near_due_days=int(near_days), skip_holidays=skip, notify_handlers=handlers_on,
                        notify_leaders=leaders_on, sms_segment_limit=int(segments), sms_unaccented=unaccented,
                        send_empty=send_empty, dashboard_url=url.strip(), office_name=office.strip(),
                        channels=channels,
                        templates={k: t for k, t in template_values.items()
                                   if t.strip() != DEFAULT_TEMPLATES[k].strip()},
                        actor=_actor(),
                    )
                except SettingsError as exc:
                    st.error(v.t("nv_settings_errors"))
                    st.markdown("\n".join(f"- {md_escape(e)}" for e in exc.errors))
                else:
                    st.success(v.t("nv_settings_saved"))
        if can_send:
            with st.expander(v.t("nv_send_now")):
                st.caption(v.t("nv_send_now_help"))
                sure = st.checkbox(v.t("nv_send_now_confirm"), key="nv_send_sure")
                if st.button(v.t("nv_send_now_button"), disabled=not sure, key="nv_send_button",
                             icon=":material/send:"):
                    with st.spinner(v.t("nv_sending")):
                        report = run_slot(ui.store(), ops, slot_for_manual(office_now(settings)), as_of=as_of,
                                          settings=settings, calendar=calendar, actor=_actor())
                    st.info("\n\n".join(md_escape(line) for line in report.summary_lines()))

# --- preview -------------------------------------------------------------------------------

with tabs["preview"]:
    st.caption(v.t("nv_preview_help"))
    if not batch.digests:
        ui.empty(v.t("nv_no_digests"))
    else:
        names = {d.contact.id: f"{d.contact.name} ({d.contact.role_label}, {d.contact.agency or fmt.MISSING})"
                 for d in batch.digests}
        picked = st.selectbox(v.t("nv_recipient"), list(names), format_func=names.get, key="nv_preview_pick")
        digest = next(d for d in batch.digests if d.contact.id == picked)
        left, right = st.columns([3, 2])
        with left:
            st.markdown(f"**{v.t('nv_email')}** · {md_escape(digest.subject)}")
            st.code(digest.body, language=None, wrap_lines=True)
        with right:
            for label, short in ((v.t("nv_sms_accented"), digest.short), (v.t("nv_sms_plain"), digest.short_plain)):
                st.markdown(f"**{label}** · {short.measure.encoding}, "
                            f"{v.t('nv_sms_measure', units=short.measure.units, segments=short.measure.segments)}")
                st.code(short.text, language=None, wrap_lines=True)

# --- history -----------------------------------------------------------------------------------

if can_settings:
    with tabs["history"]:
        SLOT_COLS = [ui.Col("slot", "nv_slot"), ui.Col("sent", "nv_sent", "int"), ui.Col("failed", "nv_failed", "int"),
                     ui.Col("attempts", "nv_attempts", "int"), ui.Col("first_at", "nv_first_at"),
                     ui.Col("last_at", "nv_last_at")]
        ui.table(slot_summaries(ops), SLOT_COLS, title=v.t("nv_slots_title"), key="nv_slots", stem="dot-gui",
                 empty_text=v.t("nv_no_history"), download=False)
        LOG_COLS = [ui.Col("sent_at", "nv_time"), ui.Col("slot", "nv_slot"), ui.Col("recipient", "nv_recipient"),
                    ui.Col("channel", "nv_channel"), ui.Col("address", "nv_address"),
                    ui.Col("attempt", "nv_attempt", "int"), ui.Col("result_label", "nv_result"),
                    ui.Col("error", "nv_error"), ui.Col("overdue", "nv_overdue", "int"),
                    ui.Col("near_due", "nv_near_due", "int"), ui.Col("digest_hash", "nv_hash")]
        rows = [{**r, "result_label": RESULT_LABELS.get(r["result"], r["result"])}
                for r in send_history(ops, limit=500)]
        ui.table(rows, LOG_COLS, title=v.t("nv_log_title"), key="nv_log", stem="nhat-ky-gui",
                 empty_text=v.t("nv_no_history"))
