"""Staff contacts and the leaders in charge of each agency.

Kept in the operational store (:class:`analytics.store.ops.OpsStore`), never in the
analytics file. A contact is matched to a step's handler by name (folded:
case, spaces and diacritics ignored) and, when the contact has an agency, by
the step's agency too, so two people with one name in two agencies are told
apart.

A contact's agency, and each agency a leader is in charge of, refer to a
unit of the analytics database by id (``unit_id``, issue 14), with the
spelling given beside it. Read with a
:class:`analytics.store.unit_refs.UnitRegistry`, they go by the unit's name
today: a merge or a rename of the unit changes what the contact shows and
which steps reach them, with nothing rewritten here; a spelling no unit has
yet is registered as a unit when the contact is saved.

Phones are stored in the national form ``0xxxxxxxxx`` (10 digits, mobile
prefixes 03/05/07/08/09); ``+84…`` and ``84…`` are accepted and normalised,
and a 9-digit number is given back the leading zero Excel drops from numeric
cells.
"""

from __future__ import annotations

import contextlib
import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from analytics.access import audit
from analytics.ingest.file_limits import (
    FileRefused,
    check_size,
    check_workbook,
    csv_rows,
)
from analytics.ingest.reader_worker import WorkerCrashed, run_isolated
from analytics.locale.text import clean_text, fold
from analytics.store.ops import OpsStore, now_iso
from analytics.store.unit_refs import NO_UNITS, UnitNames, UnitRegistry, link_units

ROLES = ("handler", "leader")
ROLE_LABELS = {"handler": "Cán bộ", "leader": "Lãnh đạo"}
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")

FIELDS = ("name", "agency", "phone", "email", "zalo_id", "role", "active", "leads", "note")
FIELD_LABELS = {
    "name": "Họ và tên",
    "agency": "Đơn vị",
    "phone": "Số điện thoại",
    "email": "Email",
    "zalo_id": "Zalo",
    "role": "Vai trò",
    "active": "Hoạt động",
    "leads": "Phụ trách đơn vị",
    "note": "Ghi chú",
}

# Folded header text -> field. Matching ignores case, spaces and diacritics.
HEADER_ALIASES: dict[str, str] = {
    **{h: "name" for h in ("ho va ten", "ho ten", "nguoi xu ly", "nguoi thu ly", "can bo",
                           "ten can bo", "ho ten can bo", "ten", "name", "full name")},
    **{h: "agency" for h in ("don vi", "co quan", "don vi cong tac", "co quan don vi",
                             "co quan/don vi", "agency")},
    **{h: "phone" for h in ("so dien thoai", "dien thoai", "sdt", "so dt", "dien thoai di dong",
                            "di dong", "phone", "mobile")},
    **{h: "email" for h in ("email", "e-mail", "thu dien tu", "dia chi email", "dia chi thu dien tu")},
    **{h: "zalo_id" for h in ("zalo", "zalo id", "ma zalo", "tai khoan zalo", "zalo_id")},
    **{h: "role" for h in ("vai tro", "role", "loai")},
    **{h: "active" for h in ("hoat dong", "kich hoat", "con hoat dong", "active")},
    **{h: "leads" for h in ("phu trach", "phu trach don vi", "don vi phu trach", "leads")},
    **{h: "note" for h in ("ghi chu", "note")},
}

_ROLE_WORDS = {
    "leader": "leader", "lanh dao": "leader", "ld": "leader", "lanh dao phu trach": "leader",
    "handler": "handler", "can bo": "handler", "cong chuc": "handler", "chuyen vien": "handler",
    "vien chuc": "handler", "nguoi xu ly": "handler", "cb": "handler",
}
_TRUE_WORDS = {"co", "x", "1", "true", "yes", "dang hoat dong", "hoat dong", "c"}
_FALSE_WORDS = {"khong", "0", "false", "no", "ngung", "ngung hoat dong", "k"}
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
_PHONE_PUNCT = re.compile(r"[\s.\-()/]")


class ContactError(ValueError):
    """A contact that cannot be saved; ``errors`` lists every problem."""

    def __init__(self, errors: Sequence["RowError"]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class ContactFileError(ValueError):
    """A contacts file that cannot be read at all (one line for people)."""


@dataclass(frozen=True)
class RowError:
    """One problem in one row: 1-based row number as the user sees it."""

    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Dòng {self.row}")
        if self.column:
            where.append(f"cột {FIELD_LABELS.get(self.column, self.column)}")
        text = (", ".join(where) + ": " if where else "") + self.reason
        if self.value not in (None, ""):
            text += f" ({self.value})"
        return text


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    agency: str | None
    phone: str | None
    email: str | None
    zalo_id: str | None
    role: str
    active: bool
    leads: tuple[str, ...] = ()
    note: str | None = None
    # The live unit of ``agency`` (None: no unit known); not part of FIELDS,
    # nor of the records the editor and the command line show.
    unit_id: int | None = field(default=None, compare=False)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def address(self, field_name: str) -> str | None:
        """The contact's address for a channel: ``phone``, ``email`` or ``zalo_id``."""
        return getattr(self, field_name) if field_name in ("phone", "email", "zalo_id") else None

    def led_agency_keys(self) -> frozenset[str]:
        """Folded names of the agencies this leader is in charge of."""
        if self.role != "leader":
            return frozenset()
        led = self.leads or ((self.agency,) if self.agency else ())
        return frozenset(fold(a) for a in led)


# -- validation ---------------------------------------------------------------

def _cell_text(value: object) -> str | None:
    """A cell as text; whole floats (numeric Excel cells) lose the ``.0``.

    Empty editor cells (NaN, pandas NA) are empty.
    """
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer():
            value = int(value)
    return clean_text(value)


def normalize_phone(value: object) -> str | None:
    """A Vietnamese mobile number in national form ``0xxxxxxxxx``, or None if empty.

    Raises:
        ValueError: with a Vietnamese reason, for anything else.
    """
    text = _cell_text(value)
    if text is None:
        return None
    digits = _PHONE_PUNCT.sub("", text)
    if digits.startswith("+"):
        if not digits.startswith("+84"):
            raise ValueError("Chỉ nhận số điện thoại Việt Nam (+84…)")
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # a numeric Excel cell dropped the leading zero
    if not digits.isdigit():
        raise ValueError("Số điện thoại chỉ gồm chữ số")
    if len(digits) != 10 or not digits.startswith("0"):
        raise ValueError("Số điện thoại di động phải có 10 chữ số, bắt đầu bằng 0 (hoặc dạng +84)")
    if digits.startswith("02"):
        raise ValueError("Số máy cố định không nhận được tin nhắn; cần số di động")
    if digits[:2] not in MOBILE_PREFIXES:
        raise ValueError("Đầu số di động không hợp lệ (03, 05, 07, 08, 09)")
    return digits


def phone_international(phone: str | None) -> str | None:
    """``0912345678`` → ``84912345678`` (the form many SMS gateways want)."""
    return "84" + phone[1:] if phone else None


def normalize_email(value: object) -> str | None:
    """An e-mail address (domain lower-cased), or None if empty.

    Raises:
        ValueError: with a Vietnamese reason.
    """
    text = _cell_text(value)
    if text is None:
        return None
    text = text.strip().strip("<>").replace(" ", "")
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValueError("Địa chỉ email không hợp lệ")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def parse_role(value: object) -> str:
    """``Lãnh đạo`` / ``Cán bộ`` (or ``leader`` / ``handler``...) → role; empty → handler."""
    text = _cell_text(value)
    if text is None:
        return "handler"
    role = _ROLE_WORDS.get(fold(text))
    if role is None:
        raise ValueError("Vai trò phải là 'Lãnh đạo' hoặc 'Cán bộ'")
    return role


def parse_active(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return True if value is None else value
    text = _cell_text(value)
    if text is None:
        return True
    word = fold(text)
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError("Giá trị phải là Có/Không")


def parse_leads(value: object) -> tuple[str, ...]:
    """Agencies separated by ``;`` or new lines (names contain commas)."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        parts: Iterable[object] = value
    else:
        parts = re.split(r"[;\n]", str(value))
    seen: dict[str, str] = {}
    for part in parts:
        name = clean_text(part)
        if name and fold(name) not in seen:
            seen[fold(name)] = name
    return tuple(seen.values())


def validate_contact(record: Mapping[str, Any], row: int | None = None) -> tuple[dict[str, Any], list[RowError]]:
    """Clean one contact record; returns the cleaned record and its errors."""
    errors: list[RowError] = []
    clean: dict[str, Any] = {}

    def check(column: str, parse) -> None:
        raw = record.get(column)
        try:
            clean[column] = parse(raw)
        except ValueError as exc:
            clean[column] = None
            errors.append(RowError(row, column, _cell_text(raw), str(exc)))

    clean["name"] = _cell_text(record.get("name"))
    if not clean["name"]:
        errors.append(RowError(row, "name", None, "Thiếu họ và tên"))
    clean["agency"] = _cell_text(record.get("agency"))
    check("phone", normalize_phone)
    check("email", normalize_email)
    clean["zalo_id"] = _cell_text(record.get("zalo_id"))
    check("role", parse_role)
    check("active", parse_active)
    clean["leads"] = parse_leads(record.get("leads"))
    clean["note"] = _cell_text(record.get("note"))
    if clean.get("role") == "leader" and not clean["agency"] and not clean["leads"]:
        errors.append(RowError(row, "leads", None, "Lãnh đạo cần có đơn vị hoặc đơn vị phụ trách"))
    if not errors and not (clean["phone"] or clean["email"] or clean["zalo_id"]):
        errors.append(RowError(row, None, None, "Cần ít nhất một trong: số điện thoại, email, Zalo"))
    return clean, errors


# -- storage ------------------------------------------------------------------

def _keys(clean: Mapping[str, Any]) -> tuple[str, str]:
    return fold(clean["name"]), fold(clean["agency"]) if clean.get("agency") else ""


def _names(units: UnitRegistry | None) -> UnitNames:
    return units.names() if units is not None else NO_UNITS


def _leads_by_contact(con, names: UnitNames = NO_UNITS) -> dict[int, tuple[str, ...]]:
    """contact id -> the agencies they lead, each by its unit's name today."""
    out: dict[int, list[str]] = {}
    for r in con.execute("select contact_id, agency, unit_id from agency_leaders order by agency"):
        name = names.name(r["unit_id"], r["agency"])
        if name is not None and fold(name) not in {fold(n) for n in out.get(r["contact_id"], [])}:
            out.setdefault(r["contact_id"], []).append(name)
    return {k: tuple(sorted(v, key=fold)) for k, v in out.items()}


def _contact(row, leads: Mapping[int, tuple[str, ...]], names: UnitNames = NO_UNITS) -> Contact:
    return Contact(
        id=row["id"], name=row["name"], agency=names.name(row["unit_id"], row["agency"]), phone=row["phone"],
        email=row["email"], zalo_id=row["zalo_id"], role=row["role"], active=bool(row["active"]),
        leads=leads.get(row["id"], ()), note=row["note"],
        unit_id=names.unit(row["unit_id"], row["agency"]) or row["unit_id"],
    )


def list_contacts(ops: OpsStore, *, role: str | None = None, active_only: bool = False,
                  units: UnitRegistry | None = None) -> list[Contact]:
    """Contacts sorted by agency then name; leaders carry the agencies they
    lead. With ``units``, agencies go by their unit's name today."""
    names = _names(units)
    with ops.connect() as con:
        rows = con.execute(
            "select * from contacts where (? is null or role = ?) and (? = 0 or active = 1)"
            " order by agency_key, name_key, role",
            (role, role, 1 if active_only else 0),
        ).fetchall()
        leads = _leads_by_contact(con, names)
    contacts = [_contact(r, leads, names) for r in rows]
    if units is None:
        return contacts
    # A merge or rename changes the names shown: sorted again by them.
    return sorted(contacts, key=lambda c: (fold(c.agency) if c.agency else "", fold(c.name), c.role))


def get_contact(ops: OpsStore, contact_id: int, *, units: UnitRegistry | None = None) -> Contact | None:
    names = _names(units)
    with ops.connect() as con:
        row = con.execute("select * from contacts where id = ?", (contact_id,)).fetchone()
        return _contact(row, _leads_by_contact(con, names), names) if row else None


def _saved_contact(ops: OpsStore, contact_id: int, units: UnitRegistry | None = None) -> Contact:
    """The contact just written; gone only if another session deleted it meanwhile."""
    contact = get_contact(ops, contact_id, units=units)
    if contact is None:
        raise ContactError([RowError(None, None, str(contact_id), "Không tìm thấy liên hệ")])
    return contact


def _spellings(cleaned: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every agency the records name: their own and those their leaders lead."""
    return [a for clean in cleaned for a in (clean.get("agency"), *clean.get("leads", ())) if a]


def _unit_ids(units: UnitRegistry | None, cleaned: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """spelling -> unit id for the records' agencies, registering a unit for
    a spelling no unit has (one write of the analytics database, only then)."""
    return units.ids_for(_spellings(cleaned)) if units is not None else {}


def _write_leads(con, contact_id: int, clean: Mapping[str, Any], ids: Mapping[str, int]) -> None:
    con.execute("delete from agency_leaders where contact_id = ?", (contact_id,))
    if clean["role"] != "leader":
        return
    agencies = clean["leads"] or ((clean["agency"],) if clean["agency"] else ())
    for agency in agencies:
        con.execute(
            "insert or ignore into agency_leaders (agency, agency_key, contact_id, unit_id) values (?, ?, ?, ?)",
            (agency, fold(agency), contact_id, ids.get(agency)),
        )


def _insert(con, clean: Mapping[str, Any], ids: Mapping[str, int]) -> int:
    name_key, agency_key = _keys(clean)
    stamp = now_iso()
    cur = con.execute(
        "insert into contacts (name, agency, unit_id, phone, email, zalo_id, role, active, name_key, agency_key,"
        " note, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (clean["name"], clean["agency"], ids.get(clean["agency"]) if clean["agency"] else None,
         clean["phone"], clean["email"], clean["zalo_id"],
         clean["role"], int(clean["active"]), name_key, agency_key, clean["note"], stamp, stamp),
    )
    _write_leads(con, cur.lastrowid, clean, ids)
    return cur.lastrowid


def _update(con, contact_id: int, clean: Mapping[str, Any], ids: Mapping[str, int]) -> None:
    name_key, agency_key = _keys(clean)
    con.execute(
        "update contacts set name = ?, agency = ?, unit_id = ?, phone = ?, email = ?, zalo_id = ?, role = ?,"
        " active = ?, name_key = ?, agency_key = ?, note = ?, updated_at = ? where id = ?",
        (clean["name"], clean["agency"], ids.get(clean["agency"]) if clean["agency"] else None,
         clean["phone"], clean["email"], clean["zalo_id"],
         clean["role"], int(clean["active"]), name_key, agency_key, clean["note"], now_iso(), contact_id),
    )
    _write_leads(con, contact_id, clean, ids)


def _find_duplicate(con, clean: Mapping[str, Any], exclude_id: int | None) -> int | None:
    name_key, agency_key = _keys(clean)
    row = con.execute(
        "select id from contacts where name_key = ? and agency_key = ? and role = ? and id is not ?",
        (name_key, agency_key, clean["role"], exclude_id),
    ).fetchone()
    return row["id"] if row else None


def _refuse_duplicate(con: Any, clean: dict[str, Any], exclude_id: int | None) -> None:
    """Raise when another contact has the same name, agency and role."""
    if _find_duplicate(con, clean, exclude_id) is not None:
        raise ContactError([RowError(None, "name", clean["name"],
                                     "Đã có liên hệ cùng họ tên, đơn vị và vai trò")])


@contextlib.contextmanager
def _audited(ops: OpsStore, actor: str, how: str, units: UnitRegistry | None = None,
             unit_id: int | None = None) -> Iterator[None]:
    """Write what the block changed in the contacts to the audit log: the
    added and deleted contacts, and the old and new fields of changed ones;
    ``unit_id``: the unit of a change to one contact."""
    before = {r["id"]: r for r in contact_records(ops, units=units)}
    yield
    after = {r["id"]: r for r in contact_records(ops, units=units)}
    changed = []
    for cid in sorted(before.keys() & after.keys()):
        fields_ = [k for k in after[cid] if before[cid].get(k) != after[cid][k]]
        if fields_:
            changed.append({"id": cid, "old": {k: before[cid].get(k) for k in fields_},
                            "new": {k: after[cid][k] for k in fields_}})
    added = [after[cid] for cid in sorted(after.keys() - before.keys())]
    deleted = [before[cid] for cid in sorted(before.keys() - after.keys())]
    if added or deleted or changed:
        audit.record(ops, audit.REMINDER_CONTACTS, actor=actor, target=how,
                     detail={"added": added, "deleted": deleted, "changed": changed}, unit_id=unit_id)


def add_contact(ops: OpsStore, *, actor: str = "system", units: UnitRegistry | None = None,
                **record: Any) -> Contact:
    """Create a contact (fields: see :data:`FIELDS`); audited as ``actor``.
    With ``units``, its agency is stored by unit id (a new unit for a
    spelling no unit has).

    Raises:
        ContactError: invalid fields, or the same name, agency and role exists.
    """
    clean, errors = validate_contact(record)
    if errors:
        raise ContactError(errors)
    with ops.connect() as con:  # refused before a new agency is registered as a unit
        _refuse_duplicate(con, clean, None)
    ids = _unit_ids(units, [clean])
    with _audited(ops, actor, "add", units, ids.get(clean["agency"] or "")), ops.transaction() as con:
        _refuse_duplicate(con, clean, None)
        contact_id = _insert(con, clean, ids)
    return _saved_contact(ops, contact_id, units)


def update_contact(ops: OpsStore, contact_id: int, *, actor: str = "system", units: UnitRegistry | None = None,
                   **changes: Any) -> Contact:
    """Change some fields of a contact; the others keep their values."""
    current = get_contact(ops, contact_id, units=units)
    if current is None:
        raise ContactError([RowError(None, None, str(contact_id), "Không tìm thấy liên hệ")])
    record = {f: getattr(current, f) for f in FIELDS}
    record["role"] = ROLE_LABELS[current.role]
    record.update(changes)
    clean, errors = validate_contact(record)
    if errors:
        raise ContactError(errors)
    ids = _unit_ids(units, [clean])
    with _audited(ops, actor, "update", units, ids.get(clean["agency"] or "")), ops.transaction() as con:
        _refuse_duplicate(con, clean, contact_id)
        _update(con, contact_id, clean, ids)
    return _saved_contact(ops, contact_id, units)


def delete_contact(ops: OpsStore, contact_id: int, *, actor: str = "system",
                   units: UnitRegistry | None = None) -> bool:
    """Delete a contact (and its leader assignments); the send log keeps its history."""
    with _audited(ops, actor, "delete", units):
        return ops.execute("delete from contacts where id = ?", (contact_id,)) > 0


def leaders_by_agency(ops: OpsStore, *, active_only: bool = True,
                      units: UnitRegistry | None = None) -> dict[str, list[Contact]]:
    """Folded agency name (the unit's name today, with ``units``) → the leader contacts in charge of it."""
    out: dict[str, list[Contact]] = {}
    for contact in list_contacts(ops, role="leader", active_only=active_only, units=units):
        for key in sorted(contact.led_agency_keys()):
            out.setdefault(key, []).append(contact)
    return out


# -- the page's editor ----------------------------------------------------------

def contact_records(ops: OpsStore, *, units: UnitRegistry | None = None) -> list[dict[str, Any]]:
    """Contacts as plain records for a table editor (``leads`` joined by "; "),
    agencies by their unit's name today with ``units``."""
    return [
        {"id": c.id, "name": c.name, "agency": c.agency, "phone": c.phone, "email": c.email,
         "zalo_id": c.zalo_id, "role": ROLE_LABELS[c.role], "active": c.active,
         "leads": "; ".join(c.leads), "note": c.note}
        for c in list_contacts(ops, units=units)
    ]


@dataclass
class SaveResult:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _is_blank_record(record: Mapping[str, Any]) -> bool:
    """An editor row left empty (a default role or tick alone does not count)."""
    return all(_cell_text(record.get(f)) is None for f in FIELDS if f not in ("active", "role"))


def _record_id(raw: object) -> int | None:
    """The id of an editor row: None for new rows (None, "", NaN, pandas NA)."""
    try:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        number = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else int(number)


def _effective_leads(role: str | None, agency: str | None, leads: Sequence[str]) -> tuple[str, ...]:
    """What agency_leaders stores: a leader leads their own agency by default."""
    if role != "leader":
        return ()
    chosen = tuple(leads) or ((agency,) if agency else ())
    return tuple(sorted(chosen, key=fold))


def _same(contact: Contact, clean: Mapping[str, Any]) -> bool:
    """True when saving ``clean`` over ``contact`` would change nothing."""
    stored = {f: getattr(contact, f) for f in FIELDS if f != "leads"}
    wanted = {f: clean[f] for f in FIELDS if f != "leads"}
    return stored == wanted and _effective_leads(contact.role, contact.agency, contact.leads) == \
        _effective_leads(clean["role"], clean["agency"], clean["leads"])


def save_contact_records(ops: OpsStore, records: Sequence[Mapping[str, Any]], *,
                         actor: str = "system", units: UnitRegistry | None = None) -> SaveResult:
    """Make the contacts table equal to ``records`` (what the page's editor shows);
    audited as ``actor``.

    A record with an ``id`` updates that contact, one without is added, and a
    stored contact whose id is absent is deleted. All or nothing: with any
    error nothing is saved and ``errors`` names the rows (1-based).
    """
    result = SaveResult()
    cleaned: list[tuple[int | None, dict[str, Any]]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, record in enumerate(records, start=1):
        if _is_blank_record(record):
            continue
        clean, errors = validate_contact(record, index)
        result.errors.extend(errors)
        if errors:
            continue
        key = (*_keys(clean), clean["role"])
        if key in seen:
            result.errors.append(RowError(index, "name", clean["name"],
                                          f"Trùng họ tên, đơn vị và vai trò với dòng {seen[key]}"))
            continue
        seen[key] = index
        cleaned.append((_record_id(record.get("id")), clean))
    if result.errors:
        return result
    ids = _unit_ids(units, [clean for _, clean in cleaned])
    current = {c.id: c for c in list_contacts(ops, units=units)}
    with _audited(ops, actor, "editor", units), ops.transaction() as con:
        keep = {cid for cid, _ in cleaned if cid is not None}
        for cid in current.keys() - keep:
            con.execute("delete from contacts where id = ?", (cid,))
            result.deleted += 1
        # Changed rows get a temporary key first, so that swapping two
        # people's names cannot trip the unique constraint halfway.
        changed = [(cid, clean) for cid, clean in cleaned
                   if cid is not None and cid in current and not _same(current[cid], clean)]
        result.unchanged = sum(1 for cid, _ in cleaned if cid is not None and cid in current) - len(changed)
        for cid, _ in changed:
            con.execute("update contacts set name_key = '#' || id where id = ?", (cid,))
        for cid, clean in changed:
            _update(con, cid, clean, ids)
            result.updated += 1
        for record_id, clean in cleaned:
            if record_id is None or record_id not in current:
                _insert(con, clean, ids)
                result.added += 1
        # Rows saved unchanged from before unit ids get theirs too.
        link_units(con, _names(units))
    return result


# -- import from xlsx / csv -----------------------------------------------------

def _rows_from_xlsx(path: Path) -> Sequence[Sequence[object]]:
    # Imported here: this runs in the reader worker process only (read_contacts_file).
    from python_calamine import CalamineWorkbook

    try:
        check_workbook(path)  # before calamine builds the whole used range
    except FileRefused as exc:
        raise ContactFileError(str(exc)) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise ContactFileError(f"Tệp {path.name} không có trang tính nào")
        preferred = [n for n in names if fold(n) in ("danh ba", "lien he", "danh sach can bo", "contacts")]
        sheet = workbook.get_sheet_by_name(preferred[0] if preferred else names[0])
        return sheet.to_python(skip_empty_area=False)
    except (ContactFileError, MemoryError, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several types for unreadable files, and a Rust panic
        raise ContactFileError(f"Không đọc được tệp Excel {path.name}: {exc}") from None


def _rows_from_csv(path: Path) -> Sequence[Sequence[object]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContactFileError(
            f"Tệp {path.name} không phải UTF-8; hãy lưu lại dạng 'CSV UTF-8' từ Excel"
        ) from None
    del data
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return list(csv_rows(text, delimiter, path.name))
    except FileRefused as exc:
        raise ContactFileError(str(exc)) from None


CONTACT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


def read_contacts_file(path: str | Path) -> tuple[list[tuple[int, dict[str, object]]], list[str]]:
    """Rows of a contacts file mapped to fields, with the ignored header names.

    The header row is the first of the first ten rows naming at least a name
    column and one other known column (a title row above it is fine). The
    file is parsed in the reader worker (:mod:`analytics.ingest.reader_worker`), so
    a hostile file fails alone instead of ending the app.

    Returns:
        ``([(row_number, {field: cell}), ...], ignored_headers)``.

    Raises:
        ContactFileError: unreadable file, wrong type, too large, or no header row.
    """
    path = Path(path)
    if not path.is_file():
        raise ContactFileError(f"Không tìm thấy tệp {path}")
    if path.suffix.lower() not in CONTACT_SUFFIXES:
        raise ContactFileError(f"Tệp {path.name}: chỉ nhận .xlsx hoặc .csv")
    try:
        check_size(path)
        return run_isolated(map_contacts_file, str(path))
    except FileRefused as exc:
        raise ContactFileError(str(exc)) from None
    except WorkerCrashed as exc:
        raise ContactFileError(f"Không đọc được tệp {path.name}: tiến trình đọc tệp bị dừng ({exc})") from None


def map_contacts_file(path_name: str) -> tuple[list[tuple[int, dict[str, object]]], list[str]]:
    """:func:`read_contacts_file`'s work, run in the reader worker (a pure function of the file)."""
    path = Path(path_name)
    if path.suffix.lower() in (".csv", ".txt"):
        rows = _rows_from_csv(path)
    else:
        rows = _rows_from_xlsx(path)
    for header_index, header in enumerate(rows[:10]):
        mapping: dict[int, str] = {}
        for col, cell in enumerate(header):
            text = _cell_text(cell)
            if text and fold(text) in HEADER_ALIASES and HEADER_ALIASES[fold(text)] not in mapping.values():
                mapping[col] = HEADER_ALIASES[fold(text)]
        if "name" in mapping.values() and len(mapping) >= 2:
            ignored = [str(_cell_text(c)) for i, c in enumerate(header)
                       if i not in mapping and _cell_text(c)]
            out = []
            for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
                record = {fld: (row[col] if col < len(row) else None) for col, fld in mapping.items()}
                if any(_cell_text(v) is not None for v in record.values()):
                    out.append((offset, record))
            return out, ignored
    raise ContactFileError(
        f"Tệp {path.name}: không tìm thấy dòng tiêu đề (cần cột 'Họ và tên' và ít nhất "
        "một cột khác như 'Đơn vị', 'Số điện thoại', 'Email', 'Zalo', 'Vai trò')"
    )


def import_contacts(ops: OpsStore, path: str | Path, *, actor: str = "system",
                    units: UnitRegistry | None = None) -> SaveResult:
    """Add or update contacts from an xlsx/csv file; rows with errors are skipped.
    Audited as ``actor``.

    A row matches an existing contact by folded name, agency and role; other
    stored contacts are left as they are. Every rejected row is reported in
    ``errors`` with its row number in the file.
    """
    rows, ignored = read_contacts_file(path)
    result = SaveResult(ignored_columns=ignored)
    seen: dict[tuple[str, str, str], int] = {}
    valid: list[dict[str, Any]] = []
    for row_no, record in rows:
        clean, errors = validate_contact(record, row_no)
        if errors:
            result.errors.extend(errors)
            continue
        key = (*_keys(clean), clean["role"])
        if key in seen:
            result.errors.append(RowError(row_no, "name", clean["name"],
                                          f"Trùng họ tên, đơn vị và vai trò với dòng {seen[key]}"))
            continue
        seen[key] = row_no
        valid.append(clean)
    ids = _unit_ids(units, valid)
    names = _names(units)
    with _audited(ops, actor, f"import {Path(path).name}", units), ops.transaction() as con:
        leads = _leads_by_contact(con, names)
        for clean in valid:
            existing_id = _find_duplicate(con, clean, None)
            if existing_id is None:
                _insert(con, clean, ids)
                result.added += 1
                continue
            row = con.execute("select * from contacts where id = ?", (existing_id,)).fetchone()
            if _same(_contact(row, leads, names), clean):
                result.unchanged += 1
                continue
            _update(con, existing_id, clean, ids)
            result.updated += 1
        link_units(con, names)
    return result


class ContactBook:
    """Active contacts indexed for matching step handlers and agency leaders."""

    def __init__(self, contacts: Iterable[Contact]):
        # One person listed under two units merged since (the merge leaves a
        # contact already listed under the target as it was) is one contact
        # now: the first entered is kept, so nobody gets a digest twice.
        active = [c for c in contacts if c.active]
        kept: dict[tuple[str, str, str], Contact] = {}
        for c in sorted(active, key=lambda c: c.id):
            kept.setdefault((fold(c.name), fold(c.agency) if c.agency else "", c.role), c)
        self.contacts = [c for c in active if kept[(fold(c.name), fold(c.agency) if c.agency else "", c.role)] is c]
        self._by_name: dict[str, list[Contact]] = {}
        for c in self.contacts:
            self._by_name.setdefault(fold(c.name), []).append(c)

    @classmethod
    def load(cls, ops: OpsStore, units: UnitRegistry | None = None) -> "ContactBook":
        """The active contacts; with ``units``, each agency by its unit's
        name today, which is how the watchlist names the steps' agencies."""
        return cls(list_contacts(ops, active_only=True, units=units))

    def within(self, scope: Iterable[str] | None) -> "ContactBook":
        """The contacts of the agencies in ``scope`` (None: everyone).

        A contact without an agency, or a leader of another agency who also
        leads one in the scope, is not the scope's to see: an agency
        officer's previews and leader names come only from their agency.
        """
        if scope is None:
            return self
        keys = {fold(a) for a in scope}
        return ContactBook(c for c in self.contacts if c.agency and fold(c.agency) in keys)

    def people_for(self, handler: str | None, agency: str | None) -> list[Contact]:
        """The contacts who are this handler: same folded name, and same agency
        when the contact has one. A contact with the agency wins over one
        without, so a namesake elsewhere is not reminded."""
        if not handler:
            return []
        candidates = self._by_name.get(fold(handler), [])
        agency_key = fold(agency) if agency else ""
        exact = [c for c in candidates if c.agency and fold(c.agency) == agency_key]
        if exact:
            return exact
        return [c for c in candidates if not c.agency]

    def leaders_of(self, agency: str | None) -> list[Contact]:
        if not agency:
            return []
        key = fold(agency)
        return [c for c in self.contacts if key in c.led_agency_keys()]

    def leader_names(self) -> dict[str, list[str]]:
        """Folded agency → names of its leaders (for the watchlist's agency groups)."""
        out: dict[str, list[str]] = {}
        for c in self.contacts:
            for key in sorted(c.led_agency_keys()):
                out.setdefault(key, []).append(c.name)
        return out
