"""Digests: one message per recipient, built from the watchlist.

A handler's digest lists the work they hold; a leader's the roll-up of the
agencies they are in charge of, per handler (work held elsewhere on a
liên thông dossier their agency received included), plus anything they hold
themselves. Each digest has a full form (e-mail: subject and body with
procedure, deadline and days late or left) and a short form (SMS, Zalo)
fitted to the office's segment limit: the first codes, the count of the rest
and the dashboard link. Both say the data date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable, Sequence

from analytics.locale import fmt
from analytics.locale.labels import t
from analytics.locale.text import fold
from analytics.reminders.contacts import Contact, ContactBook
from analytics.reminders.settings import ReminderSettings
from analytics.reminders.sms import FittedSms, fit_sms
from analytics.reminders.templates import render, template_text
from analytics.reminders.watchlist import (
    NO_HANDLER,
    HandlerGroup,
    WatchItem,
    Watchlist,
    count_states,
    distinct_dossiers,
    group_by_handler,
)

FULL = "full"
SHORT = "short"
# Procedure names run to 400 characters ("Đăng ký biến động quyền sử dụng đất, …");
# a reminder needs enough to recognise the file, the code identifies it.
PROCEDURE_CHARS = 90


@dataclass(frozen=True)
class Digest:
    """The message for one recipient, in its full and short forms."""

    contact: Contact
    kind: str                       # 'handler' | 'leader'
    items: tuple[WatchItem, ...]
    overdue: int
    near_due: int
    as_of: date
    data_date: date | None
    subject: str
    body: str
    short: FittedSms                # with diacritics (UCS-2)
    short_plain: FittedSms          # unaccented (GSM-7)
    values: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.overdue + self.near_due

    @property
    def codes(self) -> list[str]:
        return [i.code for i in distinct_dossiers(self.items)]

    def short_for(self, unaccented: bool) -> FittedSms:
        return self.short_plain if unaccented else self.short

    def content(self, form: str, unaccented: bool = False) -> tuple[str, str]:
        """(subject, text) of the full or short form."""
        if form == FULL:
            return self.subject, self.body
        return self.subject, self.short_for(unaccented).text

    def digest_hash(self, form: str, unaccented: bool = False) -> str:
        """Identity of what is sent: same text, same hash."""
        subject, text = self.content(form, unaccented)
        payload = f"{form}\n{subject}\n{text}".encode("utf-8")
        return hashlib.sha256(payload).hexdigest()[:32]


@dataclass(frozen=True)
class DigestBatch:
    """All digests of one run, and the work nobody can be reminded of."""

    watchlist: Watchlist
    digests: tuple[Digest, ...]
    unmatched: tuple[HandlerGroup, ...]   # handlers with no contact, and unassigned work


# -- formatting ---------------------------------------------------------------

def _when(item: WatchItem, as_of: date, lang: str = "vi") -> str:
    if item.overdue:
        return t("rm_days_late", lang, n=fmt.number(item.days_late, lang))
    if item.due_date == as_of:
        return t("rm_due_today", lang)
    if item.days_left > 0:
        return t("rm_days_left", lang, n=fmt.number(item.days_left, lang))
    return t("rm_due_on_holiday", lang)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"


def item_line(item: WatchItem, as_of: date, *, with_step: bool = True, lang: str = "vi") -> str:
    """One dossier in the full form: code – procedure – deadline – lateness – step."""
    deadline = "rm_step_deadline" if item.deadline_kind == "step" else "rm_return_deadline"
    parts = [item.code]
    if item.procedure_name:
        parts.append(shorten(item.procedure_name, PROCEDURE_CHARS))
    parts.append(t(deadline, lang, date=fmt.date(item.due_date, lang)))
    parts.append(_when(item, as_of, lang))
    if with_step and item.step_name:
        parts.append(t("rm_step", lang, no=item.step_no, name=item.step_name)
                     if item.step_no is not None else item.step_name)
    if item.inter_agency:
        parts.append(t("rm_inter_agency", lang))
    return " – ".join(parts)


def _handler_list(items: Sequence[WatchItem], as_of: date, lang: str) -> str:
    dossiers = distinct_dossiers(items)
    overdue = [i for i in dossiers if i.overdue]
    near = [i for i in dossiers if not i.overdue]
    blocks = []
    for heading, chosen in (("rm_overdue_heading", overdue), ("rm_near_due_heading", near)):
        if chosen:
            lines = [t(heading, lang, n=fmt.number(len(chosen), lang))]
            lines += [f"{n}. {item_line(i, as_of, lang=lang)}" for n, i in enumerate(chosen, start=1)]
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else t("rm_nothing_due", lang)


def _group_title(group: HandlerGroup, show_agency: bool, lang: str) -> str:
    name = group.label + (f" ({group.agency})" if show_agency else "")
    counts = []
    if group.overdue:
        counts.append(t("rm_n_overdue", lang, n=fmt.number(group.overdue, lang)))
    if group.near_due:
        counts.append(t("rm_n_near_due", lang, n=fmt.number(group.near_due, lang)))
    return f"{name}: {', '.join(counts)}"


def _leader_list(groups: Sequence[HandlerGroup], as_of: date, own_agencies: set[str], lang: str) -> str:
    if not groups:
        return t("rm_nothing_due", lang)
    several = len({fold(g.agency) for g in groups}) > 1
    blocks = []
    for n, group in enumerate(groups, start=1):
        show_agency = several or fold(group.agency) not in own_agencies
        lines = [f"{n}) {_group_title(group, show_agency, lang)}"]
        for item in distinct_dossiers(group.items):
            state = t("nv_overdue" if item.overdue else "nv_near_due", lang)
            lines.append(f"   - [{state}] {item_line(item, as_of, lang=lang)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _with_more(text: str, rest: int, shown: int, total: int, url: str, lang: str) -> str:
    if rest <= 0:
        return text + "."
    if shown == 0:
        if url:
            return t("rm_see_list_at", lang, n=fmt.number(total, lang), url=url)
        return t("rm_see_list_page", lang, n=fmt.number(total, lang))
    if url:
        return t("rm_and_more_at", lang, text=text, n=fmt.number(rest, lang), url=url)
    return t("rm_and_more", lang, text=text, n=fmt.number(rest, lang))


def _short_handler(items: Sequence[WatchItem], url: str, lang: str):
    dossiers = distinct_dossiers(items)
    overdue = [i.code for i in dossiers if i.overdue]
    near = [i.code for i in dossiers if not i.overdue]
    total = len(dossiers)

    def render_k(k: int) -> str:
        parts = []
        if overdue[:k]:
            parts.append(t("rm_short_overdue", lang, codes=", ".join(overdue[:k])))
        if near[: max(0, k - len(overdue))]:
            parts.append(t("rm_short_near_due", lang, codes=", ".join(near[: max(0, k - len(overdue))])))
        return _with_more(". ".join(parts), total - k, k, total, url, lang)

    return render_k, total


def _short_leader(groups: Sequence[HandlerGroup], url: str, lang: str):
    flat: list[tuple[str, str]] = []
    for group in groups:
        for code in group.codes:
            flat.append((group.label, code))
    total = len(flat)
    # A dossier held by two handlers is listed under both; "the rest" counts codes.

    def render_k(k: int) -> str:
        parts: list[str] = []
        current: str | None = None
        codes: list[str] = []
        for label, code in flat[:k]:
            if label != current and codes:
                parts.append(f"{current}: {', '.join(codes)}")
                codes = []
            current = label
            codes.append(code)
        if codes:
            parts.append(f"{current}: {', '.join(codes)}")
        return _with_more("; ".join(parts), total - k, k, total, url, lang)

    return render_k, total


def _threshold(near_due_days: int, lang: str) -> str:
    if near_due_days == 0:
        return t("rm_threshold_today", lang)
    return t("rm_threshold_days", lang, n=fmt.number(near_due_days, lang))


# -- building -----------------------------------------------------------------

def build_digest(
    contact: Contact,
    kind: str,
    items: Sequence[WatchItem],
    watchlist: Watchlist,
    settings: ReminderSettings,
    *,
    slot_time: datetime | None = None,
    lang: str = "vi",
) -> Digest:
    """The digest of one recipient over the given items; the lists and values
    filled into the (office's) templates are in ``lang``."""
    as_of = watchlist.as_of
    url = settings.dashboard_url or ""
    overdue, near_due = count_states(items)
    if kind == "leader":
        led = contact.leads or ((contact.agency,) if contact.agency else ())
        agency_text = ", ".join(led)
        groups = group_by_handler(items)
        full_list = _leader_list(groups, as_of, {fold(a) for a in led}, lang)
        render_k, total = _short_leader(groups, url, lang)
        names = ("email_subject_leader", "email_body_leader", "sms_leader")
    else:
        agency_text = contact.agency or ""
        full_list = _handler_list(items, as_of, lang)
        render_k, total = _short_handler(items, url, lang)
        names = ("email_subject", "email_body", "sms")
    values = {
        "ten": contact.name,
        "don_vi": agency_text,
        "co_quan": settings.office_name,
        "ngay": fmt.date(as_of, lang),
        "gio": slot_time.strftime("%H:%M") if slot_time else "",
        "ngay_du_lieu": fmt.date(watchlist.data_date, lang) if watchlist.data_date else t("rm_unknown_date", lang),
        "qua_han": fmt.number(overdue, lang),
        "sap_den_han": fmt.number(near_due, lang),
        "tong": fmt.number(overdue + near_due, lang),
        "nguong": _threshold(watchlist.near_due_days, lang),
        "duong_dan": url,
        "lien_ket": t("rm_see_details", lang, url=url) if url else "",
    }
    templates = settings.templates
    subject = render(template_text(names[0], templates), {**values, "danh_sach": ""})
    body = render(template_text(names[1], templates), {**values, "danh_sach": full_list})
    sms_template = template_text(names[2], templates)

    def short_text(k: int) -> str:
        return render(sms_template, {**values, "danh_sach": render_k(k)})

    limit = settings.sms_segment_limit
    return Digest(
        contact=contact, kind=kind, items=tuple(items), overdue=overdue, near_due=near_due,
        as_of=as_of, data_date=watchlist.data_date, subject=subject, body=body,
        short=fit_sms(short_text, total, limit), short_plain=fit_sms(short_text, total, limit, unaccented=True),
        values=values,
    )


def assign_items(watchlist: Watchlist, book: ContactBook) -> tuple[dict[int, list[WatchItem]], list[WatchItem]]:
    """Items per contact id who holds them (by name and agency), and the rest."""
    personal: dict[int, list[WatchItem]] = {}
    unmatched: list[WatchItem] = []
    for item in watchlist.items:
        people = book.people_for(item.handler, item.agency)
        if not people:
            unmatched.append(item)
        for person in people:
            personal.setdefault(person.id, []).append(item)
    return personal, unmatched


def build_digests(
    watchlist: Watchlist,
    book: ContactBook,
    settings: ReminderSettings,
    *,
    slot_time: datetime | None = None,
    only: Iterable[int] | None = None,
) -> DigestBatch:
    """One digest per active contact with something to be reminded of.

    Handlers get the items they hold; leaders the items held or received by
    the agencies they lead, plus the items they hold themselves. With
    ``send_empty`` contacts with nothing due get a digest too.

    Args:
        only: contact ids to build for (None: everyone).
    """
    personal, unmatched = assign_items(watchlist, book)
    wanted = set(only) if only is not None else None
    # Each item's agencies folded once, not once per leader (the page builds
    # every digest on each run: 280 leaders × every item was most of its time).
    folded = [(item, fold(item.agency), fold(item.dossier_agency)) for item in watchlist.items]
    digests: list[Digest] = []
    for contact in book.contacts:
        if wanted is not None and contact.id not in wanted:
            continue
        if contact.role == "leader":
            if not settings.notify_leaders:
                continue
            led = contact.led_agency_keys()
            own = {id(i) for i in personal.get(contact.id, [])}
            items = [i for i, agency, dossier_agency in folded
                     if agency in led or dossier_agency in led or id(i) in own]
        else:
            if not settings.notify_handlers:
                continue
            items = personal.get(contact.id, [])
        if not items and not settings.send_empty:
            continue
        digests.append(build_digest(contact, contact.role, items, watchlist, settings, slot_time=slot_time))
    return DigestBatch(watchlist, tuple(digests), tuple(group_by_handler(unmatched)))


def preview_text(digest: Digest, *, unaccented: bool = False, lang: str = "vi") -> str:
    """A digest as the preview command and page show it."""
    short = digest.short_for(unaccented)
    role = t("role_leader" if digest.kind == "leader" else "rm_role_handler", lang)
    head = f"=== {digest.contact.name} ({role}{', ' + digest.contact.agency if digest.contact.agency else ''})"
    shortened = t("rm_preview_shortened", lang) if short.shown < short.total else ""
    return "\n".join([
        head,
        t("rm_preview_subject", lang, subject=digest.subject),
        "",
        digest.body,
        "",
        t("rm_preview_sms", lang, encoding=short.measure.encoding, units=short.measure.units,
          segments=short.measure.segments, shortened=shortened),
        short.text,
    ])


def unmatched_summary(batch: DigestBatch, lang: str = "vi") -> list[str]:
    """Lines naming who could not be reminded (no contact) and unassigned work."""
    lines = []
    for group in batch.unmatched:
        who = group.label if group.handler else NO_HANDLER
        lines.append(t("rm_unmatched_line", lang, who=who, agency=group.agency, overdue=group.overdue,
                       near_due=group.near_due, codes=", ".join(group.codes)))
    return lines
