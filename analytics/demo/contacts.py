"""Contacts for the demo office, so reminders can be seen working out of the box.

Without contacts, ``remind preview`` on the demo says "Không có bản tin nào"
and a newcomer never sees what a reminder looks like. :func:`demo_contacts`
gives every demo handler a contact and every agency a leader, with
addresses that cannot reach anyone:

* **Phones** ``0500 xxx xxx`` (:data:`PHONE_PATTERN`). Vietnam has no range
  reserved for fiction (unlike the UK's Ofcom drama numbers), so the demo
  uses a mobile prefix no network holds: 050 is not in the national
  numbering plan's mobile assignments (the 05x block is used as 052, 055,
  056, 058 and 059), and the fixed ``0500`` head makes the numbers easy to
  recognise in a log (:func:`is_demo_phone`). Should 050 ever be assigned,
  :data:`PHONE_HEAD` is the one place to change.
* **E-mails** ``<name>.<n>@demo.an-phuoc.invalid``: the ``.invalid`` top-level
  domain is reserved by RFC 2606 and RFC 6761 and never resolves, so no mail
  server can deliver there.

The contacts are marked with :data:`DEMO_NOTE`. They are written only into an
empty contact book (:func:`add_demo_contacts`): rebuilding the demo never
touches contacts an office entered, and the book beside a database is shared
by every database in that folder (``OpsStore.beside``).

Kept apart from the dossier generator on purpose: it takes plain
``(handler, agency)`` pairs and agency names, whatever produced them.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np

from analytics.demo import names
from analytics.locale.text import fold
from analytics.reminders.contacts import list_contacts, save_contact_records
from analytics.store.ops import OpsStore
from analytics.store.unit_refs import UnitRegistry

PHONE_HEAD = "0500"
PHONE_PATTERN = re.compile(rf"^{PHONE_HEAD}\d{{6}}$")
EMAIL_DOMAIN = "demo.an-phuoc.invalid"
DEMO_NOTE = "Liên hệ mẫu (hư cấu): số điện thoại đầu 0500 và email .invalid không tới được ai"
# Leaders' names come from their own random stream, so adding a handler to
# the generator does not rename every leader.
LEADER_SEED = 500


def is_demo_phone(phone: str | None) -> bool:
    """True for a number of the demo's unreachable range."""
    return bool(phone and PHONE_PATTERN.match(phone))


def _slug(name: str) -> str:
    """``Nguyễn Thị Lan`` → ``nguyen.thi.lan`` (ASCII, for an e-mail local part)."""
    return ".".join(re.findall(r"[a-z0-9]+", fold(name))) or "can.bo"


def _leader_names(count: int, taken: set[str], seed: int) -> list[str]:
    """``count`` invented names (family, middle, given), none in ``taken``."""
    rng = np.random.default_rng(seed)
    families = [f for f, _ in names.FAMILY_NAMES]
    weights = np.array([w for _, w in names.FAMILY_NAMES], dtype=float)
    weights /= weights.sum()
    out: list[str] = []
    seen = {fold(n) for n in taken}
    while len(out) < count:
        female = rng.random() < 0.4
        middle = names.FEMALE_MIDDLE if female else names.MALE_MIDDLE
        given = names.FEMALE_GIVEN if female else names.MALE_GIVEN
        name = " ".join((families[rng.choice(len(families), p=weights)],
                         middle[rng.integers(len(middle))], given[rng.integers(len(given))]))
        if fold(name) not in seen:
            seen.add(fold(name))
            out.append(name)
    return out


def demo_contacts(handlers: Iterable[tuple[str, str]], agencies: Iterable[str], *,
                  seed: int = LEADER_SEED) -> list[dict[str, Any]]:
    """Contact records (fields of ``analytics.reminders.contacts.FIELDS``) for
    every ``(handler, agency)`` pair and one invented leader per agency.

    Deterministic: the same staff give the same records. Phones are numbered
    in order (handlers sorted by agency and name, then leaders), which
    bounds the demo at a million people.
    """
    staff = sorted({(h, a) for h, a in handlers if h and a}, key=lambda p: (fold(p[1]), fold(p[0])))
    offices = sorted({a for a in agencies if a}, key=fold)
    leaders = _leader_names(len(offices), {h for h, _ in staff}, seed)
    people = [(name, agency, "handler") for name, agency in staff]
    people += [(name, agency, "leader") for name, agency in zip(leaders, offices, strict=True)]
    if len(people) > 999_999:
        raise ValueError("the demo's phone range holds 999 999 people")
    return [
        {"name": name, "agency": agency, "role": "Lãnh đạo" if role == "leader" else "Cán bộ",
         "phone": f"{PHONE_HEAD}{i:06d}", "email": f"{_slug(name)}.{i}@{EMAIL_DOMAIN}",
         "active": True, "leads": agency if role == "leader" else None, "note": DEMO_NOTE}
        for i, (name, agency, role) in enumerate(people, start=1)
    ]


def add_demo_contacts(ops: OpsStore, handlers: Iterable[tuple[str, str]],
                      agencies: Iterable[str], units: UnitRegistry | None = None) -> tuple[int, int]:
    """Write :func:`demo_contacts` into ``ops`` when its contact book is empty
    (by unit id with ``units``: the demo's agencies are all units already).

    Returns:
        (contacts added, contacts already there and kept). A book with any
        contact, the office's own or an earlier demo's, is left as it is.
    """
    existing = len(list_contacts(ops))
    if existing:
        return 0, existing
    result = save_contact_records(ops, demo_contacts(handlers, agencies), units=units)
    if not result.ok:  # the records are generated: an error here is a bug, not bad input
        raise ValueError("; ".join(str(e) for e in result.errors))
    return result.added, 0
