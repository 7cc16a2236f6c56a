"""Accounts, roles and the data scope of each user.

Who may see what is decided here and applied by the engine: a user's
:attr:`User.scope` goes into :class:`analytics.indicators.filters.Filters` ``scope``,
which every engine query applies in SQL as a bound parameter.

* Roles (:data:`ROLES`): ``leader`` and ``reform_officer`` see the whole
  jurisdiction; ``agency_officer`` sees only their own unit's dossiers,
  steps and handlers (and the history handed to it by its predecessors);
  ``admin`` sees everything and may import, manage contacts, reminder
  channels and accounts, send reminders and read the audit log
  (:data:`ROLE_ACTIONS`).
* Local accounts live in the operational store (table ``users``). Passwords
  are hashed with argon2id (argon2-cffi ``PasswordHasher``), never stored or
  logged in clear. After :data:`MAX_FAILED_ATTEMPTS` wrong passwords in a row
  an account is locked for :data:`LOCKOUT`; an unknown username costs the
  same hashing time as a known one, and gets the same answer on screen
  (:attr:`SignInResult.message_key`), so neither tells who has an account.
  A right password that passed its check lately is recognised without a new
  one (:class:`RecentPasswords`: a keyed digest in memory, never on disk),
  so a reload or a second tab does not cost another argon2id check.
  What was typed as an unknown username is never written to the audit log
  (it is often a password typed in the wrong field): only
  :data:`analytics.access.audit.UNKNOWN_ACTOR`, its length and a keyed hint.
* New passwords (:func:`check_password_strength`): at least
  :data:`MIN_PASSWORD_LENGTH` characters, not the username, not one or a few
  characters repeated, not a run of keys or digits, and not in
  ``common_passwords.txt`` (also with digits or symbols around it, or with
  ``@`` for ``a``, ``0`` for ``o``...).
* OpenID Connect (Keycloak and the like) is done by Streamlit's ``st.login``;
  :func:`oidc_settings` reads its configuration and
  :meth:`Accounts.from_claims` maps the signed-in person's claims to a local
  account, which gives the role and agency. ``analytics/`` never imports
  streamlit.
* An account refers to its unit by id (``users.unit_id``, issue 14), with
  the spelling it was given beside it. :class:`Accounts` built with a
  :class:`analytics.store.unit_refs.UnitRegistry` resolves the id when it
  reads an account: :attr:`User.agency` is the unit's name today (after a
  merge, the unit it was merged into), so the scope never goes stale; a
  spelling without a unit is registered as one when the account is saved.
* :func:`auth_mode` decides whether sign-in is required: always, except on
  the demo database (meta ``demo`` flag, no real import) or when the
  ``MOTCUA_AUTH`` environment variable says otherwise.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from analytics.access import audit
from analytics.locale.clock import utc_now
from analytics.locale.labels import t
from analytics.locale.text import fold
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from analytics.store.unit_refs import NO_UNITS, UnitNames, UnitRegistry

LEADER = "leader"
REFORM_OFFICER = "reform_officer"
AGENCY_OFFICER = "agency_officer"
ADMIN = "admin"
ROLES = (LEADER, REFORM_OFFICER, AGENCY_OFFICER, ADMIN)

ROLE_LABELS = {
    LEADER: "Lãnh đạo",
    REFORM_OFFICER: "Cán bộ cải cách hành chính",
    AGENCY_OFFICER: "Cán bộ đơn vị",
    ADMIN: "Quản trị",
}

# Actions a page or command checks with User.can(). Everyone signed in may
# view and download within their scope; the rest is per role.
VIEW = "view"
DOWNLOAD = "download"
SEND_REMINDERS = "send_reminders"
IMPORT = "import"
CONTACTS = "contacts"
USERS = "users"
AUDIT = "audit"
# The reminders' administration: channels (which may carry a secret to a
# server), schedule, templates and the send history. Admins only: whoever
# edits a channel decides where the server sends what it holds.
REMINDER_SETTINGS = "reminder_settings"
# Merging two agencies into one unit rewrites every agency's past dossiers,
# users' scopes and contacts: administration, never an agency's own choice.
MERGE_AGENCIES = "merge_agencies"
ACTIONS = (VIEW, DOWNLOAD, SEND_REMINDERS, IMPORT, CONTACTS, USERS, AUDIT, REMINDER_SETTINGS, MERGE_AGENCIES)

# Sending reminders, contacts and reminder settings are administration: every
# one of them reaches people or secrets outside any one agency's scope.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    LEADER: frozenset({VIEW, DOWNLOAD}),
    REFORM_OFFICER: frozenset({VIEW, DOWNLOAD}),
    AGENCY_OFFICER: frozenset({VIEW, DOWNLOAD}),
    ADMIN: frozenset(ACTIONS),
}

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
# 12: long enough that an 8-character leaked password or a word with a year
# is refused, short enough to type; the list below catches the common longer ones.
MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
AUTH_ENV = "MOTCUA_AUTH"

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


class AuthError(ValueError):
    """An account operation that cannot be done, with a message for people."""


@dataclass(frozen=True)
class User:
    """A signed-in person (or an account record): never holds the password hash."""

    username: str
    display_name: str
    role: str
    agency: str | None = None
    email: str | None = None
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: str | None = None
    last_sign_in_at: str | None = None
    has_password: bool = True
    unit_id: int | None = None

    @property
    def scope(self) -> frozenset[str] | None:
        """The agencies this user may see; ``None`` means all of them.

        An agency officer sees exactly their agency. (A record without an
        agency cannot be stored; should one appear, it sees nothing.)
        """
        if self.role == AGENCY_OFFICER:
            return frozenset({self.agency}) if self.agency else frozenset()
        return None

    def can(self, action: str) -> bool:
        """Whether the role allows ``action`` (one of :data:`ACTIONS`)."""
        if action not in ACTIONS:
            raise AuthError(f"Quyền không xác định: {action!r}")
        return not self.disabled and action in ROLE_ACTIONS.get(self.role, frozenset())

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


# The user the demo runs as: no sign-in, whole jurisdiction, no admin rights
# beyond what the demo needs (import into the demo is allowed: it is demo data).
DEMO_USER = User(username="demo", display_name="Khách (dữ liệu mẫu)", role=ADMIN)


@dataclass(frozen=True)
class SignInResult:
    """The outcome of a sign-in attempt. ``reason``: ok, invalid, locked, disabled."""

    user: User | None
    reason: str
    locked_until: str | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None

    @property
    def message_key(self) -> str | None:
        """The label to show for a refused sign-in: one for every reason, so
        the screen never tells an unknown username from a locked account."""
        return None if self.ok else "auth_invalid"


def normalize_username(username: str) -> str:
    """Usernames are compared lower-case, NFC, without surrounding spaces."""
    return unicodedata.normalize("NFC", str(username or "")).strip().lower()


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The folded entries of ``common_passwords.txt`` (comments skipped)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_folded(line) for line in lines if line.strip() and not line.startswith("#"))


# Runs people type instead of a password: digits, the alphabet, keyboard rows.
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm",
         "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp")
# The usual letter-for-symbol swaps (p@ssw0rd).
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s",
                       "7": "t"})
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")


def _folded(text: str) -> str:
    return fold(text).replace(" ", "")


def _stem(text: str) -> str:
    """The letters between leading and trailing digits or symbols (``2024matkhau!!`` → ``matkhau``)."""
    return _EDGES.sub("", text)


def _repeats_a_unit(text: str, longest: int = 4) -> bool:
    """``aaaa``, ``abab``, ``123123123123``: one short unit over and over."""
    return any(len(text) >= 2 * n and (text[:n] * (len(text) // n + 1))[: len(text)] == text
               for n in range(1, longest + 1))


def _is_run(text: str) -> bool:
    return any(text in run * 3 or text in run[::-1] * 3 for run in _RUNS)


def check_password_strength(password: str, username: str | None = None) -> None:
    """Raise :class:`AuthError` (a message for people) for a weak new password.

    Refused: shorter than :data:`MIN_PASSWORD_LENGTH`; spaces around it; the
    username (alone or with digits or symbols around it); one or a few
    characters repeated; a run of digits, letters or keys; a password of
    ``common_passwords.txt``, also with digits or symbols around it or with
    symbols for letters. Compared folded (case and diacritics ignored).
    """
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(t("pw_too_short", n=MIN_PASSWORD_LENGTH))
    if password.strip() != password:
        raise AuthError(t("pw_spaces"))
    folded = _folded(password)
    if len(set(folded)) <= 2 or _repeats_a_unit(folded):
        raise AuthError(t("pw_repeated"))
    if _is_run(folded) or (_is_run(_stem(folded)) and len(_stem(folded)) >= MIN_PASSWORD_LENGTH // 2):
        raise AuthError(t("pw_sequence"))
    stems = {folded, _stem(folded), folded.translate(_LEET), _stem(folded).translate(_LEET),
             _stem(folded.translate(_LEET))}
    stems |= {s[: len(s) // 2] for s in stems if s and _repeats_a_unit(s, longest=len(s) // 2)}
    stems.discard("")
    name = _folded(username or "")
    letters = re.sub(r"[^a-z]", "", folded)  # lan-2026-lan: the name with digits in between
    if name and (name in stems or name[::-1] in stems
                 or letters in (name, name * 2) or _stem(name) and letters in (_stem(name), _stem(name) * 2)):
        raise AuthError(t("pw_username"))
    if stems & common_passwords():
        raise AuthError(t("pw_common"))


def _row_to_user(row: Mapping[str, Any], units: UnitNames = NO_UNITS) -> User:
    """The account of a row, its unit resolved: the unit's name today (the
    stored spelling when no unit is known) and the live unit's id."""
    stored_unit = row["unit_id"] if "unit_id" in row.keys() else None
    live = units.unit(stored_unit, row["agency"])
    return User(
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        agency=units.name(stored_unit, row["agency"]),
        unit_id=live if live is not None else stored_unit,
        email=row["email"],
        disabled=bool(row["disabled"]),
        failed_attempts=int(row["failed_attempts"]),
        locked_until=row["locked_until"],
        last_sign_in_at=row["last_sign_in_at"],
        has_password=row["password_hash"] is not None,
    )


# argon2id is memory-hard on purpose: each hash or check takes 64 MiB and
# tens of milliseconds of a core. Twenty people signing in at the same moment
# would take over a gigabyte (measured in the load test, docs/PERFORMANCE.md);
# at most this many run at once, the others wait their turn.
MAX_CONCURRENT_HASHES = 2
HASH_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_HASHES)

# How long a password that passed its argon2 check is recognised again
# without one (a working day), and how many accounts are remembered.
RECENT_PASSWORD_TTL = timedelta(hours=8)
RECENT_PASSWORD_ACCOUNTS = 1024


class RecentPasswords:
    """Passwords that passed their argon2 check lately, recognised again
    without one (the role of Apache's ``mod_authn_socache`` in front of bcrypt).

    A person who reloads the page or opens a second tab signs in again (a
    Streamlit session is one tab); without this each of those costs a full
    argon2id check, 0.19 s of a core and 64 MiB, which under load was a fifth
    of the server's work (docs/PERFORMANCE.md). What is kept is, per stored
    hash, an HMAC-SHA256 of the password under a key made when the process
    starts and never written anywhere, and when it expires: nothing on disk,
    nothing that can be tried offline, and no use to anyone who does not
    already know the password.

    * Only a right password is remembered, and only the stored hash it was
      checked against: a new password (set, reset or re-hashed) is a new
      hash, so the old entry can never match again.
    * It is consulted only after the account was found usable (not
      disabled, not locked), so lock-out and disabling hold as before; a
      wrong password, an unknown name, a locked or disabled account all
      still cost one argon2 check, so timing still tells nothing about which
      names exist. The only fast answer is to the right password, which is
      told by the sign-in itself.
    * Entries expire after ``ttl`` (measured on ``clock``), at most ``size``
      accounts are kept (the oldest go first).
    """

    def __init__(self, ttl: timedelta = RECENT_PASSWORD_TTL, size: int = RECENT_PASSWORD_ACCOUNTS,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock or utc_now
        self._key = secrets.token_bytes(32)
        self._entries: dict[str, tuple[bytes, datetime]] = {}
        self._lock = threading.Lock()

    def _digest(self, password_hash: str, password: str) -> bytes:
        message = password_hash.encode("utf-8") + b"\0" + password.encode("utf-8", "surrogatepass")
        return hmac.new(self._key, message, hashlib.sha256).digest()

    def recognises(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` passed its check against ``password_hash`` lately."""
        with self._lock:
            entry = self._entries.get(password_hash)
        if entry is None:
            return False
        digest, expires = entry
        if expires <= self.clock():
            with self._lock:
                if self._entries.get(password_hash) == entry:
                    del self._entries[password_hash]
            return False
        return hmac.compare_digest(digest, self._digest(password_hash, password))

    def remember(self, password_hash: str, password: str) -> None:
        """Record that ``password`` has just passed its argon2 check."""
        entry = (self._digest(password_hash, password), self.clock() + self.ttl)
        with self._lock:
            self._entries.pop(password_hash, None)  # re-inserted last: the newest
            self._entries[password_hash] = entry
            while len(self._entries) > self.size:
                del self._entries[next(iter(self._entries))]

    def __len__(self) -> int:
        return len(self._entries)


# One per process: every Accounts of the app shares it, so a person's second
# tab is recognised whichever page's session signs in.
RECENT_PASSWORDS = RecentPasswords()


class Accounts:
    """The local accounts of one operational store.

    Args:
        ops: the operational store (``OpsStore.beside(db)``).
        hasher: the argon2 hasher; the default is argon2-cffi's recommended
            profile. Tests pass a cheap one.
        clock: returns the current UTC time (tests move it forward).
        recent: the passwords recognised without a new argon2 check
            (:class:`RecentPasswords`); the process's own by default, None
            checks every sign-in in full.
        units: the analytics database's units, to resolve each account's
            unit id to its name today and to give a new agency its unit;
            None reads the stored spellings as they are (no database).
    """

    def __init__(
        self,
        ops: OpsStore,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] | None = None,
        units: UnitRegistry | None = None,
        recent: RecentPasswords | None = RECENT_PASSWORDS,
    ):
        self.ops = ops
        self.units = units
        self.hasher = hasher or PasswordHasher()
        self.clock = clock or utc_now
        self.recent = recent
        self._dummy_hash: str | None = None
        self._dummy_lock = threading.Lock()

    # -- reading ---------------------------------------------------------
    def get(self, username: str) -> User | None:
        rows = self.ops.query("select * from users where username = ?", (normalize_username(username),))
        return _row_to_user(rows[0], self._names()) if rows else None

    def list(self) -> list[User]:
        names = self._names()
        return [_row_to_user(r, names) for r in self.ops.query("select * from users order by role, username")]

    def _names(self) -> UnitNames:
        return self.units.names() if self.units is not None else NO_UNITS

    def _unit_id(self, agency: str | None) -> int | None:
        """The unit of an account's agency, registered when no unit has that
        spelling yet; None without an analytics database (attached later)."""
        if not agency or self.units is None:
            return None
        return self.units.ids_for([agency]).get(agency)

    def count(self) -> int:
        return int(self.ops.query("select count(*) as n from users")[0]["n"])

    # -- administration ------------------------------------------------------
    def add(
        self,
        username: str,
        *,
        display_name: str,
        role: str,
        agency: str | None = None,
        email: str | None = None,
        password: str | None = None,
        actor: str,
    ) -> User:
        """Create an account. ``password=None`` makes an OIDC-only account."""
        name = normalize_username(username)
        if not _USERNAME.match(name):
            raise AuthError(
                f"Tên đăng nhập không hợp lệ: {username!r} (2–64 ký tự a-z, 0-9, dấu . _ @ -)"
            )
        role, agency = self._check_role(role, agency)
        display = " ".join(unicodedata.normalize("NFC", display_name or "").split()) or name
        email = self._clean_email(email)
        password_hash = None
        if password is not None:
            check_password_strength(password, name)
            password_hash = self._hash(password)
        with self.ops.connect() as con:  # refused before a new agency is registered as a unit
            if con.execute("select 1 from users where username = ?", (name,)).fetchone():
                raise AuthError(f"Tài khoản {name} đã có")
        unit_id = self._unit_id(agency)
        now = _iso(self.clock())
        with self.ops.transaction() as con:
            if con.execute("select 1 from users where username = ?", (name,)).fetchone():
                raise AuthError(f"Tài khoản {name} đã có")
            if email and con.execute("select 1 from users where lower(email) = ?", (email,)).fetchone():
                raise AuthError(f"Thư điện tử {email} đã gắn với tài khoản khác")
            con.execute(
                "insert into users (username, display_name, role, agency, unit_id, email, password_hash,"
                " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, display, role, agency, unit_id, email, password_hash, now, now),
            )
        audit.record(self.ops, audit.USER_ADD, actor=actor, target=name,
                     detail={"role": role, "agency": agency, "unit_id": unit_id, "email": email,
                             "local_password": password_hash is not None}, unit_id=unit_id)
        return self.get(name)  # type: ignore[return-value]

    def update(
        self,
        username: str,
        *,
        actor: str,
        display_name: str | None = None,
        role: str | None = None,
        agency: str | None = None,
        email: str | None = None,
    ) -> User:
        """Change role, agency, display name or e-mail (only what is given).

        When the role changes to one with the whole jurisdiction, the agency
        is kept as information but no longer limits the scope.
        """
        user = self._require(username)
        new_role = role if role is not None else user.role
        new_agency = agency if agency is not None else user.agency
        new_role, new_agency = self._check_role(new_role, new_agency)
        new_email = self._clean_email(email) if email is not None else user.email
        display = (" ".join(unicodedata.normalize("NFC", display_name).split())
                   if display_name is not None else user.display_name) or user.username
        new_unit = user.unit_id if new_agency == user.agency else self._unit_id(new_agency)
        with self.ops.transaction() as con:
            if new_email and con.execute(
                "select 1 from users where lower(email) = ? and username <> ?", (new_email, user.username)
            ).fetchone():
                raise AuthError(f"Thư điện tử {new_email} đã gắn với tài khoản khác")
            con.execute(
                "update users set display_name = ?, role = ?, agency = ?, unit_id = ?, email = ?, updated_at = ?"
                " where username = ?",
                (display, new_role, new_agency, new_unit, new_email, _iso(self.clock()), user.username),
            )
        changes = {k: v for k, v in (("role", new_role), ("agency", new_agency), ("unit_id", new_unit),
                                     ("email", new_email), ("display_name", display))
                   if v != getattr(user, k)}
        audit.record(self.ops, audit.USER_UPDATE, actor=actor, target=user.username, detail=changes,
                     unit_id=new_unit)
        return self._require(user.username)

    def set_password(self, username: str, password: str, *, actor: str) -> User:
        """Set a new password; also clears failed attempts and any lock."""
        user = self._require(username)
        check_password_strength(password, user.username)
        password_hash = self._hash(password)
        self.ops.execute(
            "update users set password_hash = ?, failed_attempts = 0, locked_until = null,"
            " updated_at = ? where username = ?",
            (password_hash, _iso(self.clock()), user.username),
        )
        audit.record(self.ops, audit.USER_RESET_PASSWORD, actor=actor, target=user.username)
        return self._require(user.username)

    def set_disabled(self, username: str, disabled: bool, *, actor: str) -> User:
        """Disable (no sign-in at all) or enable an account; enabling also unlocks it."""
        user = self._require(username)
        if disabled:
            self.ops.execute("update users set disabled = 1, updated_at = ? where username = ?",
                             (_iso(self.clock()), user.username))
        else:
            self.ops.execute(
                "update users set disabled = 0, failed_attempts = 0, locked_until = null,"
                " updated_at = ? where username = ?",
                (_iso(self.clock()), user.username),
            )
        audit.record(self.ops, audit.USER_DISABLE if disabled else audit.USER_ENABLE,
                     actor=actor, target=user.username)
        return self._require(user.username)

    # -- signing in ----------------------------------------------------------
    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right and the account usable, else None."""
        return self.sign_in(username, password).user

    def sign_in(self, username: str, password: str) -> SignInResult:
        """Check a password, count failures, lock after too many; audit it all.

        Every path verifies one argon2 hash (a dummy one for an unknown,
        disabled or locked account), so the answer takes about the same time
        whether or not the username exists; the one exception is the right
        password of a usable account that passed its check lately
        (:class:`RecentPasswords`), answered without a new one.
        """
        name = normalize_username(username)
        password = password or ""
        rows = self.ops.query("select * from users where username = ?", (name,)) if name else []
        row = rows[0] if rows else None
        now = self.clock()
        if row is None:
            self._verify_dummy(password)
            self._audit_unknown(name)
            return SignInResult(None, "invalid")
        if row["password_hash"] is None:
            self._verify_dummy(password)
            self._audit_failure(name, "no_local_password")
            return SignInResult(None, "invalid")
        if row["disabled"]:
            self._verify_dummy(password)
            self._audit_failure(name, "disabled")
            return SignInResult(None, "disabled")
        locked_until = _utc(row["locked_until"])
        if locked_until and locked_until > now:
            self._verify_dummy(password)
            self._audit_failure(name, "locked")
            return SignInResult(None, "locked", row["locked_until"])
        if self._verify_known(row["password_hash"], password):
            rehash = self._needs_rehash(row["password_hash"])
            self.ops.execute(
                "update users set failed_attempts = 0, locked_until = null, last_sign_in_at = ?"
                + (", password_hash = ?" if rehash else "") + " where username = ?",
                (_iso(now), *((self._hash(password),) if rehash else ()), name),
            )
            audit.record(self.ops, audit.SIGN_IN, actor=name, target=name, detail={"method": "password"})
            return SignInResult(self._require(name), "ok")
        # A wrong password: count it, lock at the limit. One transaction so two
        # simultaneous failures cannot both read the same count.
        with self.ops.transaction() as con:
            con.execute(
                "update users set failed_attempts = case when locked_until is not null"
                " then 1 else failed_attempts + 1 end, locked_until = null where username = ?",
                (name,),
            )
            attempts = con.execute("select failed_attempts from users where username = ?",
                                   (name,)).fetchone()[0]
            lock = None
            if attempts >= MAX_FAILED_ATTEMPTS:
                lock = _iso(now + LOCKOUT)
                con.execute("update users set failed_attempts = 0, locked_until = ? where username = ?",
                            (lock, name))
        self._audit_failure(name, "wrong_password", attempts=attempts, locked_until=lock)
        if lock:
            return SignInResult(None, "locked", lock)
        return SignInResult(None, "invalid")

    def from_claims(self, claims: Mapping[str, Any], *, provider: str | None = None) -> User | None:
        """The local account of a person signed in through OpenID Connect.

        Matched by e-mail (``email`` claim, case-insensitive, only when the
        provider says ``email_verified`` is not false), else by username
        (``preferred_username`` claim). The local account gives role and
        agency; a person with no local account, or a disabled one, gets no
        access. The sign-in is audited either way.
        """
        email = self._clean_email(claims.get("email")) if claims.get("email") else None
        if claims.get("email_verified") is False:
            email = None
        preferred = normalize_username(claims.get("preferred_username") or "")
        row = None
        if email:
            rows = self.ops.query("select * from users where lower(email) = ?", (email,))
            row = rows[0] if rows else None
        if row is None and preferred:
            rows = self.ops.query("select * from users where username = ?", (preferred,))
            row = rows[0] if rows else None
        who = (row["username"] if row else None) or preferred or email or "?"
        detail = {"method": "oidc", "provider": provider, "email": email,
                  "preferred_username": preferred or None}
        if row is None:
            audit.record(self.ops, audit.SIGN_IN_FAILED, actor=who, target=who,
                         detail={**detail, "reason": "no_local_account"})
            return None
        if row["disabled"]:
            audit.record(self.ops, audit.SIGN_IN_FAILED, actor=who, target=who,
                         detail={**detail, "reason": "disabled"})
            return None
        self.ops.execute("update users set last_sign_in_at = ? where username = ?",
                         (_iso(self.clock()), row["username"]))
        audit.record(self.ops, audit.SIGN_IN, actor=who, target=who, detail=detail)
        return self._require(row["username"])

    # -- helpers ---------------------------------------------------------
    def _require(self, username: str) -> User:
        user = self.get(username)
        if user is None:
            raise AuthError(f"Không có tài khoản {normalize_username(username)}")
        return user

    @staticmethod
    def _check_role(role: str, agency: str | None) -> tuple[str, str | None]:
        if role not in ROLES:
            raise AuthError(f"Vai trò không hợp lệ: {role!r} ({', '.join(ROLES)})")
        agency = " ".join(unicodedata.normalize("NFC", agency).split()) if agency else None
        if role == AGENCY_OFFICER and not agency:
            raise AuthError("Cán bộ đơn vị phải gắn với một đơn vị (--agency)")
        return role, agency

    @staticmethod
    def _clean_email(email: Any) -> str | None:
        text = str(email or "").strip().lower()
        if not text:
            return None
        if "@" not in text or " " in text:
            raise AuthError(f"Thư điện tử không hợp lệ: {email!r}")
        return text

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            with HASH_SLOTS:
                return self.hasher.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _verify_known(self, password_hash: str, password: str) -> bool:
        """:meth:`_verify` for a usable account, skipped for a password
        recognised from lately (a right one is remembered)."""
        if self.recent is not None and self.recent.recognises(password_hash, password):
            return True
        if not self._verify(password_hash, password):
            return False
        if self.recent is not None:
            self.recent.remember(password_hash, password)
        return True

    def _hash(self, password: str) -> str:
        with HASH_SLOTS:
            return self.hasher.hash(password)

    def _needs_rehash(self, password_hash: str) -> bool:
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False

    def _verify_dummy(self, password: str) -> None:
        with self._dummy_lock:
            if self._dummy_hash is None:
                self._dummy_hash = self._hash("not a real password: timing only")
        self._verify(self._dummy_hash, password)

    def _audit_unknown(self, typed: str) -> None:
        """A failed sign-in with a name no account has. What was typed is not
        written: it is often a password typed in the username field. Its
        length and :func:`typed_hint` let an administrator see the same
        unknown name tried again and again, without being able to read it."""
        audit.record(self.ops, audit.SIGN_IN_FAILED, actor=audit.UNKNOWN_ACTOR, target=None,
                     detail={"method": "password", "reason": "unknown_user",
                             "typed_length": len(typed), "typed_hint": typed_hint(typed)})

    def _audit_failure(self, username: str, reason: str, **extra: Any) -> None:
        actor = username or "?"
        audit.record(self.ops, audit.SIGN_IN_FAILED, actor=actor, target=actor,
                     detail={"method": "password", "reason": reason,
                             **{k: v for k, v in extra.items() if v is not None}})


# A key made at start and never stored: the hint of the same typed name is the
# same within one run of the app, and cannot be reversed from the database
# (not even by trying every word, since the key is not there).
_HINT_KEY = secrets.token_bytes(32)


def typed_hint(typed: str) -> str:
    """A short keyed hash of an unknown username as typed (8 hex digits)."""
    return hmac.new(_HINT_KEY, typed.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


# -- when sign-in is required --------------------------------------------------

@dataclass(frozen=True)
class AuthMode:
    """Whether sign-in is required, and why (shown on screen when it is not)."""

    required: bool
    reason: str  # 'env_on', 'env_off', 'demo', 'default'


def _is_demo_database(db_path: str | os.PathLike[str]) -> bool:
    """A demo database: built by ``python -m analytics demo`` and nothing else.

    That is, its import log has a ``demo`` build (or its meta has a ``demo``
    flag) and no row of any other source. Once real data is imported into a
    demo database it is no longer a demo, and sign-in comes back on.
    """
    store = AnalyticsStore(db_path)
    if not store.exists():
        return False
    try:
        con = store.reader()
        flag = con.execute("select value from meta where key = 'demo'").fetchone()
        flagged = flag is not None and str(flag[0]).strip().lower() in ("1", "true", "yes")
        builds = con.execute(
            "select count(*) filter (where source = 'demo'),"
            " count(*) filter (where coalesce(source, 'import') <> 'demo') from import_log"
        ).fetchone()
        if builds is None:  # an aggregate always has its row; never taken for a demo without it
            return False
        demo_builds, other = builds
        return (flagged or demo_builds > 0) and other == 0
    except Exception:  # noqa: BLE001 - an unreadable database is never taken for a demo
        return False


def auth_mode(db_path: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> AuthMode:
    """Whether the app must ask people to sign in.

    ``MOTCUA_AUTH=on`` (1, true) forces sign-in, ``MOTCUA_AUTH=off`` (0,
    false) turns it off (for a closed training room; the app says so on
    screen). Otherwise sign-in is on, except on the demo database.
    """
    env = os.environ if environ is None else environ
    value = str(env.get(AUTH_ENV, "")).strip().lower()
    if value in ("on", "1", "true", "yes"):
        return AuthMode(True, "env_on")
    if value in ("off", "0", "false", "no"):
        return AuthMode(False, "env_off")
    if value:
        raise AuthError(f"{AUTH_ENV}={value!r} không hợp lệ (on hoặc off)")
    if _is_demo_database(db_path):
        return AuthMode(False, "demo")
    return AuthMode(True, "default")


# -- OpenID Connect through st.login ------------------------------------------------

OIDC_REQUIRED_KEYS = ("client_id", "client_secret", "server_metadata_url")


@dataclass(frozen=True)
class OidcSettings:
    """What the app needs to know about the st.login configuration.

    ``provider`` is None for a single unnamed ``[auth]`` provider, else the
    name of the ``[auth.<name>]`` section to pass to ``st.login(provider)``.
    """

    provider: str | None
    label: str


def oidc_settings(secrets_path: str | os.PathLike[str] | None = None) -> OidcSettings | None:
    """The OIDC provider configured for ``st.login`` in ``.streamlit/secrets.toml``.

    Streamlit reads ``[auth]`` (``redirect_uri``, ``cookie_secret``) and the
    provider keys (``client_id``, ``client_secret``, ``server_metadata_url``)
    either directly in ``[auth]`` or in one ``[auth.<provider>]`` section.
    Returns None when no complete provider is configured (then the app offers
    local accounts only). Secrets are read, never returned.
    """
    path = Path(secrets_path) if secrets_path else Path(".streamlit") / "secrets.toml"
    if not path.is_file():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    section = data.get("auth")
    if not isinstance(section, dict) or not section.get("redirect_uri") or not section.get("cookie_secret"):
        return None
    if all(section.get(k) for k in OIDC_REQUIRED_KEYS):
        return OidcSettings(None, str(section.get("label") or "Đăng nhập một lần (SSO)"))
    for name, sub in section.items():
        if isinstance(sub, dict) and all(sub.get(k) for k in OIDC_REQUIRED_KEYS):
            return OidcSettings(name, str(sub.get("label") or f"Đăng nhập qua {name}"))
    return None
