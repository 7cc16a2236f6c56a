"""The Nhắc việc page's digests are cached (ui.data.digests) by their inputs:
the same batch as building them, and a new one when a contact, a setting or
the scope changes."""

from __future__ import annotations

from dataclasses import replace

from analytics.reminders.contacts import ContactBook
from analytics.reminders.digest import build_digests
from analytics.reminders.settings import ReminderSettings
from analytics.reminders.watchlist import build_watchlist
from tests.test_reminders_data import AN, AS_OF, HOA, office, office_template  # noqa: F401 - fixtures
from ui import data


def names(batch):
    return sorted(d.contact.name for d in batch.digests)


def test_cached_digests_are_the_built_ones_and_follow_their_inputs(office):
    store, ops, _ = office
    data._cached_digests.clear()
    wl = build_watchlist(store, as_of=AS_OF)
    book = ContactBook.load(ops)
    settings = ReminderSettings(dashboard_url="https://mc.vn/nv")
    built = build_digests(wl, book, settings)
    cached = data.digests(wl, book, settings)
    assert cached == built
    assert data.digests(wl, book, settings) is cached  # the second click reuses it

    # Leaders switched off: another key, another batch (no leader digest).
    no_leaders = data.digests(wl, book, replace(settings, notify_leaders=False))
    assert HOA in names(built) and HOA not in names(no_leaders)
    assert no_leaders == build_digests(wl, book, replace(settings, notify_leaders=False))

    # A contact removed (or another scope's book): never the cached batch.
    fewer = ContactBook(c for c in book.contacts if c.name != AN)
    assert AN not in names(data.digests(wl, fewer, settings))

    # Another date, another watchlist: its own digests.
    later = build_watchlist(store, as_of=AS_OF.replace(year=AS_OF.year + 1))
    assert data.digests(later, book, settings) == build_digests(later, book, settings)
    assert data.digests(wl, book, settings) is cached
