"""Accounts, roles, scope, lock-out, OIDC mapping and when sign-in is required."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher, profiles

from analytics.access import audit
from analytics.access.auth import (
    ADMIN,
    AGENCY_OFFICER,
    LEADER,
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    RECENT_PASSWORD_TTL,
    REFORM_OFFICER,
    Accounts,
    AuthError,
    RecentPasswords,
    User,
    auth_mode,
    oidc_settings,
)
from analytics.cli.main import main
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from tests import golden as g
from tests.conftest import build_file_db

PASSWORD = "mật khẩu đủ dài"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 10, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


class CountingHasher(PasswordHasher):
    """The cheapest argon2 parameters, counting verifications."""

    def __init__(self) -> None:
        p = profiles.CHEAPEST
        super().__init__(time_cost=p.time_cost, memory_cost=p.memory_cost, parallelism=p.parallelism,
                         hash_len=p.hash_len, salt_len=p.salt_len, type=p.type)
        self.verifications = 0

    def verify(self, hash, password):  # noqa: A002 - argon2's own signature
        self.verifications += 1
        return super().verify(hash, password)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(tmp_path, clock) -> Accounts:
    return Accounts(OpsStore(tmp_path / "ops.sqlite"), hasher=CountingHasher(), clock=clock,
                    recent=RecentPasswords(clock=clock))


def _add(accounts: Accounts, username: str = "lan", role: str = AGENCY_OFFICER, agency: str | None = g.XA,
         **kw) -> User:
    return accounts.add(username, display_name="Nguyễn Thị Lan", role=role, agency=agency,
                        password=kw.pop("password", PASSWORD), actor="cli:test", **kw)


# -- roles and scope --------------------------------------------------------------

def test_scope_by_role():
    assert User("a", "A", AGENCY_OFFICER, agency=g.XA).scope == frozenset({g.XA})
    for role in (LEADER, REFORM_OFFICER, ADMIN):
        assert User("b", "B", role, agency=g.XA).scope is None
    # A record that somehow lost its agency sees nothing rather than everything.
    assert User("c", "C", AGENCY_OFFICER).scope == frozenset()


def test_permissions_by_role():
    officer, leader, reform, admin = (User("u", "U", r, agency=g.XA) for r in
                                      (AGENCY_OFFICER, LEADER, REFORM_OFFICER, ADMIN))
    for user in (officer, leader, reform, admin):
        assert user.can("view") and user.can("download")
    # Reminders (sending, contacts, channels) are administration: a channel
    # decides where the server sends what it holds.
    for action in ("import", "contacts", "users", "audit", "send_reminders", "reminder_settings"):
        assert admin.can(action)
        assert not officer.can(action) and not leader.can(action) and not reform.can(action)
    assert not User("x", "X", ADMIN, disabled=True).can("view")
    with pytest.raises(AuthError):
        admin.can("fly")


# -- administration -----------------------------------------------------------------

def test_add_stores_a_hash_never_the_password(accounts, tmp_path):
    user = _add(accounts, username="  Lan  ")
    assert user.username == "lan" and user.scope == frozenset({g.XA}) and user.has_password
    stored = accounts.ops.query("select password_hash from users where username = 'lan'")[0]["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    raw = (tmp_path / "ops.sqlite").read_bytes()
    assert PASSWORD.encode() not in raw


@pytest.mark.parametrize("kwargs, message", [
    ({"username": "x"}, "Tên đăng nhập"),
    ({"username": "có dấu"}, "Tên đăng nhập"),
    ({"role": "boss"}, "Vai trò"),
    ({"agency": None}, "đơn vị"),
    ({"password": "ngắn"}, "ít nhất"),
    ({"email": "not-an-email"}, "Thư điện tử"),
])
def test_add_refuses_bad_accounts(accounts, kwargs, message):
    with pytest.raises(AuthError, match=message):
        _add(accounts, **kwargs)
    assert accounts.count() == 0


def test_duplicate_username_and_email_refused(accounts):
    _add(accounts, email="Lan@HoaAn.gov.vn")
    with pytest.raises(AuthError, match="đã có"):
        _add(accounts, username="LAN")
    with pytest.raises(AuthError, match="tài khoản khác"):
        _add(accounts, username="lan2", email="lan@hoaan.gov.vn")


def test_update_changes_role_and_scope(accounts):
    _add(accounts)
    user = accounts.update("lan", actor="cli:test", role=LEADER)
    assert user.role == LEADER and user.scope is None
    user = accounts.update("lan", actor="cli:test", role=AGENCY_OFFICER, agency=g.TNMT)
    assert user.scope == frozenset({g.TNMT})
    entry = audit.entries(accounts.ops, action=audit.USER_UPDATE)[0]
    assert entry.target == "lan" and entry.detail == {"agency": g.TNMT, "role": AGENCY_OFFICER}


# -- signing in -------------------------------------------------------------------------

def test_authenticate_right_and_wrong_password(accounts):
    _add(accounts)
    assert accounts.authenticate("lan", "sai mật khẩu") is None
    user = accounts.authenticate("LAN ", PASSWORD)
    assert user is not None and user.username == "lan" and user.scope == frozenset({g.XA})
    assert user.failed_attempts == 0 and user.last_sign_in_at == "2026-03-10T08:00:00+00:00"


def test_unknown_user_costs_one_hash_verification_like_a_known_one(accounts):
    _add(accounts)
    hasher = accounts.hasher
    before = hasher.verifications
    assert accounts.authenticate("lan", "sai mật khẩu") is None
    known = hasher.verifications - before
    before = hasher.verifications
    assert accounts.authenticate("nobody", "sai mật khẩu") is None
    assert hasher.verifications - before == known == 1


def test_a_right_password_is_recognised_again_without_a_new_check(accounts, clock):
    _add(accounts)
    hasher = accounts.hasher
    assert accounts.sign_in("lan", PASSWORD).ok
    before = hasher.verifications
    clock.now += timedelta(hours=1)
    again = accounts.sign_in("lan", PASSWORD)  # a reload, a second tab
    assert again.ok and again.user.last_sign_in_at == "2026-03-10T09:00:00+00:00"
    assert hasher.verifications == before
    # Still audited like any sign-in.
    rows = accounts.ops.query("select count(*) as n from audit_log where action = ?", (audit.SIGN_IN,))
    assert rows[0]["n"] == 2
    # A wrong password is still checked in full, counted, and refused.
    assert accounts.sign_in("lan", PASSWORD + "x").reason == "invalid"
    assert hasher.verifications == before + 1
    assert accounts.get("lan").failed_attempts == 1


def test_a_remembered_password_opens_no_disabled_or_locked_account(accounts, clock):
    _add(accounts)
    hasher = accounts.hasher
    assert accounts.sign_in("lan", PASSWORD).ok
    accounts.set_disabled("lan", True, actor="cli:test")
    before = hasher.verifications
    assert accounts.sign_in("lan", PASSWORD).reason == "disabled"
    assert hasher.verifications == before + 1  # the dummy check: same time as any refusal
    accounts.set_disabled("lan", False, actor="cli:test")
    for _ in range(MAX_FAILED_ATTEMPTS):
        accounts.sign_in("lan", "sai mật khẩu")
    before = hasher.verifications
    assert accounts.sign_in("lan", PASSWORD).reason == "locked"
    assert hasher.verifications == before + 1
    clock.now += LOCKOUT + timedelta(seconds=1)
    assert accounts.sign_in("lan", PASSWORD).ok


def test_a_new_password_is_not_answered_from_the_old_one(accounts):
    _add(accounts)
    assert accounts.sign_in("lan", PASSWORD).ok
    accounts.set_password("lan", "một mật khẩu mới khác hẳn", actor="cli:test")
    before = accounts.hasher.verifications
    assert accounts.sign_in("lan", PASSWORD).reason == "invalid"
    assert accounts.hasher.verifications == before + 1
    assert accounts.sign_in("lan", "một mật khẩu mới khác hẳn").ok


def test_a_remembered_password_expires(accounts, clock):
    _add(accounts)
    assert accounts.sign_in("lan", PASSWORD).ok
    before = accounts.hasher.verifications
    clock.now += RECENT_PASSWORD_TTL
    assert accounts.sign_in("lan", PASSWORD).ok
    assert accounts.hasher.verifications == before + 1  # checked in full, then remembered anew
    assert accounts.sign_in("lan", PASSWORD).ok
    assert accounts.hasher.verifications == before + 1


def test_recent_passwords_keep_a_keyed_digest_for_a_bounded_number_of_accounts(clock):
    recent = RecentPasswords(size=2, clock=clock)
    recent.remember("$argon2id$a", PASSWORD)
    recent.remember("$argon2id$b", PASSWORD)
    recent.remember("$argon2id$c", PASSWORD)
    assert len(recent) == 2
    assert not recent.recognises("$argon2id$a", PASSWORD)  # the oldest went
    assert recent.recognises("$argon2id$c", PASSWORD)
    assert not recent.recognises("$argon2id$c", PASSWORD.upper())
    assert not recent.recognises("$argon2id$b", "")
    # Neither the password nor anything that could be tried without the key
    # (made per process, never stored): another process does not recognise it.
    assert PASSWORD.encode() not in repr(recent._entries).encode()
    assert not RecentPasswords(clock=clock).recognises("$argon2id$c", PASSWORD)


def test_lockout_after_max_failures_then_unlock_after_period(accounts, clock):
    _add(accounts)
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        result = accounts.sign_in("lan", "sai mật khẩu")
        assert result.reason == "invalid"
        assert accounts.get("lan").failed_attempts == attempt
    result = accounts.sign_in("lan", "sai mật khẩu")
    assert result.reason == "locked"
    assert result.locked_until == (clock.now + LOCKOUT).isoformat()
    # The right password does not help while locked, and verifies no real hash.
    assert accounts.sign_in("lan", PASSWORD).reason == "locked"
    clock.now += LOCKOUT - timedelta(seconds=1)
    assert accounts.authenticate("lan", PASSWORD) is None
    clock.now += timedelta(seconds=2)
    assert accounts.authenticate("lan", PASSWORD) is not None
    assert accounts.get("lan").locked_until is None


def test_failures_after_an_expired_lock_start_counting_again(accounts, clock):
    _add(accounts)
    for _ in range(MAX_FAILED_ATTEMPTS):
        accounts.sign_in("lan", "sai")
    clock.now += LOCKOUT + timedelta(minutes=1)
    assert accounts.sign_in("lan", "sai").reason == "invalid"
    assert accounts.get("lan").failed_attempts == 1


def test_success_resets_the_failure_count(accounts):
    _add(accounts)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        accounts.sign_in("lan", "sai")
    assert accounts.authenticate("lan", PASSWORD) is not None
    assert accounts.sign_in("lan", "sai").reason == "invalid"  # counting from zero again


def test_disabled_account_cannot_sign_in_and_enable_unlocks(accounts):
    _add(accounts)
    accounts.set_disabled("lan", True, actor="cli:admin")
    assert accounts.sign_in("lan", PASSWORD).reason == "disabled"
    for _ in range(MAX_FAILED_ATTEMPTS):
        accounts.sign_in("lan", "sai")
    accounts.set_disabled("lan", False, actor="cli:admin")
    assert accounts.authenticate("lan", PASSWORD) is not None


def test_reset_password_clears_lock(accounts):
    _add(accounts)
    for _ in range(MAX_FAILED_ATTEMPTS):
        accounts.sign_in("lan", "sai")
    accounts.set_password("lan", "một mật khẩu mới", actor="cli:admin")
    assert accounts.authenticate("lan", PASSWORD) is None
    assert accounts.authenticate("lan", "một mật khẩu mới") is not None


def test_sign_ins_are_audited_without_passwords(accounts):
    _add(accounts)
    accounts.authenticate("lan", "sai mật khẩu")
    accounts.authenticate("lan", PASSWORD)
    accounts.authenticate("ghost", "x")
    rows = audit.entries(accounts.ops)
    assert [(e.action, e.actor) for e in rows] == [
        (audit.SIGN_IN_FAILED, audit.UNKNOWN_ACTOR), (audit.SIGN_IN, "lan"), (audit.SIGN_IN_FAILED, "lan"),
        (audit.USER_ADD, "cli:test"),
    ]
    assert rows[0].detail["reason"] == "unknown_user"
    assert rows[2].detail == {"attempts": 1, "method": "password", "reason": "wrong_password"}
    dump = json.dumps([e.as_dict() for e in rows], ensure_ascii=False)
    assert "sai mật khẩu" not in dump and PASSWORD not in dump


def test_a_password_typed_as_the_username_never_reaches_the_audit_log(accounts):
    _add(accounts)
    typed = "Mật khẩu gõ nhầm ô 2026"
    assert accounts.sign_in(typed, "").reason == "invalid"
    assert accounts.sign_in(typed, "x").reason == "invalid"
    assert accounts.sign_in("ghost", "x").reason == "invalid"
    rows = [e for e in audit.entries(accounts.ops) if e.action == audit.SIGN_IN_FAILED]
    dump = json.dumps([e.as_dict() for e in rows], ensure_ascii=False)
    assert typed not in dump and typed.lower() not in dump and "ghost" not in dump
    assert {(e.actor, e.target) for e in rows} == {(audit.UNKNOWN_ACTOR, None)}
    ghost, second, first = rows
    # The same text tried again is recognisable; its length is kept; nothing more.
    assert first.detail["typed_hint"] == second.detail["typed_hint"] != ghost.detail["typed_hint"]
    assert first.detail["typed_length"] == len(typed.lower()) and ghost.detail["typed_length"] == 5


def test_a_locked_account_and_an_unknown_username_get_the_same_answer(accounts):
    _add(accounts)
    for _ in range(MAX_FAILED_ATTEMPTS + 1):
        known = accounts.sign_in("lan", "sai mật khẩu")
        unknown = accounts.sign_in("khongco", "sai mật khẩu")
    assert known.reason == "locked"  # counted and locked inside...
    assert known.message_key == unknown.message_key == "auth_invalid"  # ...but not told apart outside
    accounts.set_disabled("lan", True, actor="cli:admin")
    assert accounts.sign_in("lan", PASSWORD).message_key == "auth_invalid"


@pytest.mark.parametrize("password, message", [
    ("12345678", "ít nhất 12"),
    ("password", "ít nhất 12"),
    ("mậtkhẩu9", "ít nhất 12"),
    ("123456789012", "dãy liền nhau|phổ biến"),
    ("qwertyuiop12", "dãy liền nhau"),
    ("aaaaaaaaaaaa", "lặp lại"),
    ("abcabcabcabc", "lặp lại"),
    ("password1234", "phổ biến"),
    ("P@ssw0rd2024!", "phổ biến"),
    ("Mật khẩu @123", "phổ biến"),
    ("iloveyou2024", "phổ biến"),
    ("anhyeuem1234", "phổ biến"),
    ("passwordpassword", "phổ biến"),
    ("thanhlong2024", "tên đăng nhập"),
    ("THANHLONG!!!!", "tên đăng nhập"),
])
def test_weak_passwords_are_refused_with_a_reason(accounts, password, message):
    with pytest.raises(AuthError, match=message):
        _add(accounts, username="thanhlong", password=password)
    assert accounts.count() == 0
    _add(accounts, username="thanhlong")
    with pytest.raises(AuthError, match=message):
        accounts.set_password("thanhlong", password, actor="cli:admin")
    assert accounts.authenticate("thanhlong", PASSWORD) is not None


@pytest.mark.parametrize("password", [PASSWORD, "Hà Nội mùa thu 2026", "trâu ăn cỏ non", "mật-khẩu-thử"])
def test_reasonable_passwords_are_accepted(accounts, password):
    assert _add(accounts, password=password).has_password


def test_oidc_only_account_has_no_local_sign_in(accounts):
    accounts.add("hung", display_name="Lê Hùng", role=LEADER, email="hung@ninhhoa.gov.vn",
                 password=None, actor="cli:test")
    assert accounts.authenticate("hung", "") is None
    assert accounts.authenticate("hung", "anything at all") is None


# -- OIDC --------------------------------------------------------------------------------

def test_claims_map_to_local_account_by_email_then_username(accounts):
    _add(accounts, email="lan@hoaan.gov.vn")
    _add(accounts, username="binh", role=LEADER, agency=None)
    by_email = accounts.from_claims({"email": "LAN@hoaan.gov.vn", "preferred_username": "someone"})
    assert by_email.username == "lan" and by_email.scope == frozenset({g.XA})
    by_name = accounts.from_claims({"preferred_username": "Binh", "email": "other@x.vn"})
    assert by_name.username == "binh" and by_name.scope is None
    # An e-mail the provider has not verified is not trusted.
    assert accounts.from_claims({"email": "lan@hoaan.gov.vn", "email_verified": False}) is None
    assert accounts.from_claims({"email": "stranger@x.vn"}) is None
    accounts.set_disabled("binh", True, actor="cli:admin")
    assert accounts.from_claims({"preferred_username": "binh"}) is None
    reasons = [e.detail.get("reason") for e in audit.entries(accounts.ops, action=audit.SIGN_IN_FAILED)]
    assert reasons == ["disabled", "no_local_account", "no_local_account"]


def test_oidc_settings_read_from_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    assert oidc_settings(secrets) is None
    secrets.write_text('[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
                       'cookie_secret = "s"\n', encoding="utf-8")
    assert oidc_settings(secrets) is None  # no provider yet
    secrets.write_text(secrets.read_text() + '[auth.keycloak]\nclient_id = "motcua"\n'
                       'client_secret = "x"\nserver_metadata_url = '
                       '"https://sso.example/realms/tinh/.well-known/openid-configuration"\n',
                       encoding="utf-8")
    settings = oidc_settings(secrets)
    assert settings.provider == "keycloak" and "keycloak" in settings.label
    secrets.write_text('[auth]\nredirect_uri = "u"\ncookie_secret = "s"\nclient_id = "c"\n'
                       'client_secret = "x"\nserver_metadata_url = "m"\n', encoding="utf-8")
    assert oidc_settings(secrets).provider is None


# -- when sign-in is required -------------------------------------------------------------

def test_auth_mode_demo_database_env_and_default(tmp_path):
    real = tmp_path / "real.duckdb"
    build_file_db(real, **g.ROWS)
    assert auth_mode(real, {}).required and auth_mode(real, {}).reason == "default"
    assert auth_mode(tmp_path / "missing.duckdb", {}).required

    flagged = tmp_path / "flagged.duckdb"
    with build_file_db(flagged, **g.ROWS).write() as con:
        con.execute("insert into meta values ('demo', '1')")
    assert auth_mode(flagged, {}).reason == "demo"

    # What `python -m analytics demo` builds runs without sign-in.
    from analytics.demo.generator import build_demo

    demo = tmp_path / "demo.duckdb"
    build_demo(demo, date(2026, 3, 31), years=1, dossiers_per_year=300)
    store = AnalyticsStore(demo)
    assert auth_mode(demo, {}).reason == "demo" and not auth_mode(demo, {}).required
    assert auth_mode(demo, {"MOTCUA_AUTH": "on"}).required
    assert not auth_mode(real, {"MOTCUA_AUTH": "off"}).required
    with pytest.raises(AuthError):
        auth_mode(real, {"MOTCUA_AUTH": "maybe"})
    # Real data imported into the demo database: it is no longer a demo.
    with store.write() as con:
        con.execute("insert into import_log (import_id, started_at, source) values (9, now(), 'import')")
    assert auth_mode(demo, {}).required


# -- the command line -----------------------------------------------------------------------

@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "office.duckdb"
    build_file_db(path, **g.ROWS)
    return str(path)


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_cli_add_list_disable_enable_reset(db, monkeypatch, capsys):
    _stdin(monkeypatch, PASSWORD + "\n")
    # The agency is matched like the --agency filter: no diacritics needed.
    assert main(["users", "add", "lan", "--db", db, "--role", "agency_officer",
                 "--agency", "ubnd xa hoa an", "--name", "Nguyễn Thị Lan", "--password-stdin"]) == 0
    assert "Đã thêm tài khoản lan" in capsys.readouterr().out
    accounts = Accounts(OpsStore.beside(db))
    user = accounts.get("lan")
    assert user.agency == g.XA and accounts.authenticate("lan", PASSWORD) is not None

    assert main(["users", "list", "--db", db, "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["username"], u["agency"], u["disabled"]) for u in listed] == [("lan", g.XA, False)]
    assert "password" not in json.dumps(listed).replace("local_password", "")

    assert main(["users", "disable", "lan", "--db", db]) == 0
    assert accounts.authenticate("lan", PASSWORD) is None
    assert main(["users", "enable", "lan", "--db", db]) == 0
    _stdin(monkeypatch, "mật khẩu thứ hai\n")
    assert main(["users", "reset-password", "lan", "--db", db, "--password-stdin"]) == 0
    assert accounts.authenticate("lan", "mật khẩu thứ hai") is not None

    assert main(["users", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Cán bộ đơn vị" in out and g.XA in out

    actions = [e.action for e in audit.entries(accounts.ops)]
    assert actions == [audit.SIGN_IN, audit.USER_RESET_PASSWORD, audit.USER_ENABLE, audit.SIGN_IN_FAILED,
                       audit.USER_DISABLE, audit.SIGN_IN, audit.USER_ADD]
    assert {audit.USER_ADD, audit.USER_DISABLE, audit.USER_ENABLE, audit.USER_RESET_PASSWORD} <= set(actions)
    assert all(e.actor.startswith("cli:") for e in audit.entries(accounts.ops) if e.action.startswith("user_"))


def test_cli_refuses_password_arguments_and_bad_input(db, monkeypatch, capsys):
    # There is no --password option: a password on the command line would be
    # visible to every user of the machine.
    with pytest.raises(SystemExit):
        main(["users", "add", "lan", "--db", db, "--role", "leader", "--password", "x"])
    capsys.readouterr()
    _stdin(monkeypatch, "short\n")
    assert main(["users", "add", "lan", "--db", db, "--role", "leader", "--password-stdin"]) == 2
    assert "ít nhất" in capsys.readouterr().err
    for weak, reason in (("12345678", "ít nhất"), ("password2026", "phổ biến")):
        _stdin(monkeypatch, weak + "\n")
        assert main(["users", "add", "lan", "--db", db, "--role", "leader", "--password-stdin"]) == 2
        assert reason in capsys.readouterr().err
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["users", "add", "lan", "--db", db, "--role", "leader", "--password-stdin"]) == 0
    _stdin(monkeypatch, "password\n")
    assert main(["users", "reset-password", "lan", "--db", db, "--password-stdin"]) == 2
    assert "ít nhất" in capsys.readouterr().err
    _stdin(monkeypatch, "lan-2026-lan\n")
    assert main(["users", "reset-password", "lan", "--db", db, "--password-stdin"]) == 2
    assert "tên đăng nhập" in capsys.readouterr().err
    main(["users", "disable", "lan", "--db", db])
    _stdin(monkeypatch, PASSWORD + "\n")
    assert main(["users", "add", "lan", "--db", db, "--role", "agency_officer", "--agency", "không có",
                 "--password-stdin"]) == 2
    assert "Không tìm thấy đơn vị" in capsys.readouterr().err
    # Not a terminal and no --password-stdin: refused instead of hanging.
    _stdin(monkeypatch, "")
    assert main(["users", "add", "lan", "--db", db, "--role", "leader"]) == 2
    assert main(["users", "disable", "ghost", "--db", db]) == 2


def test_cli_oidc_only_account(db, capsys):
    assert main(["users", "add", "hung", "--db", db, "--role", "leader", "--email", "hung@ninhhoa.gov.vn",
                 "--no-password"]) == 0
    user = Accounts(OpsStore.beside(db)).get("hung")
    assert not user.has_password and user.email == "hung@ninhhoa.gov.vn"


def test_no_more_than_two_password_checks_run_at_once(tmp_path, clock):
    # Each real argon2 check takes 64 MiB: twenty sign-ins at once must queue.
    import threading

    from analytics.access.auth import MAX_CONCURRENT_HASHES

    class SlowHasher(CountingHasher):
        def __init__(self) -> None:
            super().__init__()
            self.running = self.most = 0
            self.lock = threading.Lock()
            self.release = threading.Event()

        def verify(self, hash, password):  # noqa: A002 - argon2's own signature
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)
            self.release.wait(0.05)  # hold the slot a little, so that the others pile up
            with self.lock:
                self.running -= 1
            return super().verify(hash, password)

    hasher = SlowHasher()
    # Every check in full (a remembered password would skip the queue).
    accounts = Accounts(OpsStore(tmp_path / "ops.sqlite"), hasher=hasher, clock=clock, recent=None)
    _add(accounts)
    threads = [threading.Thread(target=accounts.authenticate, args=("lan", PASSWORD)) for _ in range(12)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert hasher.verifications == 12
    assert hasher.most == MAX_CONCURRENT_HASHES == 2
