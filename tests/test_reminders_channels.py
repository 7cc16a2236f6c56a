"""Channels against real servers on loopback: an SMTP server (aiosmtpd, with
STARTTLS and login) and an HTTP server for the webhook."""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from analytics.reminders.channels import (
    ChannelError,
    EmailChannel,
    FileChannel,
    Message,
    WebhookChannel,
    enabled_channels,
    make_channel,
    mask_secrets,
    resolve_secret,
    validate_channel_config,
)
from analytics.reminders.contacts import Contact, ContactBook
from analytics.reminders.digest import FULL, SHORT, build_digests
from analytics.reminders.settings import ReminderSettings
from analytics.reminders.watchlist import build_watchlist
from tests.test_reminders_data import AN, AS_OF, office, office_template  # noqa: F401 - pytest fixtures, requested by name

SMTP_USER = "nhacviec@example.vn"
SMTP_PASSWORD = "mật-khẩu-thử"
CODE = re.compile(r"\bH\d\d\b")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (the client trusts it as its CA)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


class Mailbox:
    """What the SMTP server received; addresses in ``refuse`` get a 550."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Người nhận không tồn tại"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
          and auth_data.password == SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server(certificate):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
        authenticator=_authenticator, auth_require_tls=True, auth_exclude_mechanism=["CRAM-MD5"],
    )
    controller.start()
    config = {"name": "email", "type": "smtp", "host": "127.0.0.1", "port": port, "security": "starttls",
              "username": SMTP_USER, "password_secret": "MOTCUA_SMTP_PASSWORD", "sender": SMTP_USER,
              "sender_name": "Nhắc việc UBND phường Bến Thành", "ca_file": str(cert), "timeout": 10}
    try:
        yield mailbox, config
    finally:
        controller.stop()


class Gateway:
    """What the HTTP server received, and how it should answer."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail_first: set[str] = set()   # these recipients get one HTTP 500 first
        self.reject: set[str] = set()       # these always get HTTP 400
        self.down: set[str] = set()         # these always get HTTP 503
        self.lock = threading.Lock()

    def for_recipient(self, to: str) -> list[dict]:
        return [r for r in self.requests if r["json"].get("phone") == to or r["json"].get("to") == to]


@pytest.fixture
def webhook_server():
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            to = body.get("phone") or body.get("to")
            with gateway.lock:
                gateway.requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
                if to in gateway.reject:
                    status = 400
                elif to in gateway.down:
                    status = 503
                elif to in gateway.fail_first:
                    gateway.fail_first.discard(to)
                    status = 500
                else:
                    status = 200
            answer = json.dumps({"code": "100" if status == 200 else "99"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    config = {"name": "sms", "type": "webhook",
              "url": f"http://127.0.0.1:{server.server_port}/api/sms?ref=${{hash}}",
              "headers": {"Authorization": "Bearer ${token}"}, "token_secret": "MOTCUA_SMS_TOKEN",
              "body": {"phone": "${to}", "intl": "${to_intl}", "content": "${text}", "parts": "${segments}",
                       "brandname": "UBND-BT"},
              "address_field": "phone", "form": "short", "expect": {"code": "100"}, "timeout": 10}
    try:
        yield gateway, config
    finally:
        server.shutdown()
        server.server_close()


def _digest(office, name=AN, **settings):
    store, ops, _ = office
    wl = build_watchlist(store, as_of=AS_OF)
    batch = build_digests(wl, ContactBook.load(ops), ReminderSettings(**settings))
    return next(d for d in batch.digests if d.contact.name == name)


def _message(digest, form, address, unaccented=False):
    subject, text = digest.content(form, unaccented)
    return Message(contact=digest.contact, address=address, subject=subject, text=text, slot="2026-04-29 07:30",
                   digest_hash=digest.digest_hash(form, unaccented),
                   segments=digest.short_for(unaccented).measure.segments)


def test_email_over_starttls_with_login_arrives_with_diacritics_and_exact_codes(office, smtp_server):
    mailbox, config = smtp_server
    channel = make_channel(config, environ={"MOTCUA_SMTP_PASSWORD": SMTP_PASSWORD}, secrets_paths=[])
    digest = _digest(office)
    channel.send(_message(digest, FULL, digest.contact.email))
    assert len(mailbox.messages) == 1
    received = mailbox.messages[0]
    assert mailbox.envelopes[0] == (SMTP_USER, ["an@example.vn"])
    assert received["Subject"] == "Nhắc việc ngày 29/04/2026: 2 hồ sơ quá hạn, 1 hồ sơ sắp đến hạn"
    assert received["To"].addresses[0].display_name == "Nguyễn Văn An"
    assert received["From"].addresses[0].display_name == "Nhắc việc UBND phường Bến Thành"
    body = received.get_content()
    assert body.startswith("Kính gửi đồng chí Nguyễn Văn An,")
    assert sorted(set(CODE.findall(body))) == ["H01", "H11", "H13"]
    assert "Cấp giấy chứng nhận quyền sử dụng đất" in body
    assert received["X-Motcua-Digest"] == digest.digest_hash(FULL)


def test_long_leader_subject_survives_header_folding(office, smtp_server):
    mailbox, config = smtp_server
    channel = make_channel(config, environ={"MOTCUA_SMTP_PASSWORD": SMTP_PASSWORD}, secrets_paths=[])
    digest = _digest(office, name="Đặng Thị Hoa")
    channel.send(_message(digest, FULL, digest.contact.email))
    received = mailbox.messages[0]
    assert received["Subject"] == ("Nhắc việc ngày 29/04/2026 – UBND phường Bến Thành: "
                                   "4 hồ sơ quá hạn, 3 hồ sơ sắp đến hạn")
    assert sorted(set(CODE.findall(received.get_content()))) == ["H01", "H02", "H04", "H05", "H11", "H12", "H13"]


def test_wrong_password_is_a_permanent_failure(office, smtp_server):
    mailbox, config = smtp_server
    channel = make_channel(config, environ={"MOTCUA_SMTP_PASSWORD": "sai"}, secrets_paths=[])
    digest = _digest(office)
    with pytest.raises(ChannelError) as info:
        channel.send(_message(digest, FULL, digest.contact.email))
    assert info.value.permanent and "đăng nhập" in str(info.value)
    assert mailbox.messages == []


def test_missing_password_is_reported_before_connecting(office, smtp_server):
    _, config = smtp_server
    channel = make_channel(config, environ={}, secrets_paths=[])
    digest = _digest(office)
    with pytest.raises(ChannelError, match="MOTCUA_SMTP_PASSWORD") as info:
        channel.send(_message(digest, FULL, digest.contact.email))
    assert info.value.permanent


def test_refused_recipient_is_permanent_and_a_dead_server_is_not(office, smtp_server):
    mailbox, config = smtp_server
    mailbox.refuse.add("an@example.vn")
    channel = make_channel(config, environ={"MOTCUA_SMTP_PASSWORD": SMTP_PASSWORD}, secrets_paths=[])
    digest = _digest(office)
    with pytest.raises(ChannelError) as info:
        channel.send(_message(digest, FULL, "an@example.vn"))
    assert info.value.permanent
    dead = EmailChannel({**config, "port": free_port()}, password=SMTP_PASSWORD)
    with pytest.raises(ChannelError) as info:
        dead.send(_message(digest, FULL, "an@example.vn"))
    assert not info.value.permanent


def test_webhook_posts_json_from_the_body_template(office, webhook_server):
    gateway, config = webhook_server
    channel = make_channel(config, environ={"MOTCUA_SMS_TOKEN": "tok-123"}, secrets_paths=[])
    digest = _digest(office)
    channel.send(_message(digest, SHORT, digest.contact.phone))
    [request] = gateway.requests
    assert request["path"] == f"/api/sms?ref={digest.digest_hash(SHORT)}"
    assert request["headers"]["Authorization"] == "Bearer tok-123"
    assert request["headers"]["Content-Type"].startswith("application/json")
    body = request["json"]
    assert body == {
        "phone": "0912345678", "intl": "84912345678", "brandname": "UBND-BT",
        "content": "Nguyễn Văn An: 2 HS quá hạn, 1 HS sắp đến hạn (dữ liệu 28/04/2026). "
                   "Quá hạn: H13, H01. Sắp đến hạn: H11.",
        "parts": 2,
    }


def test_webhook_failures(office, webhook_server):
    gateway, config = webhook_server
    channel = WebhookChannel(config, token="t")
    digest = _digest(office)
    gateway.fail_first.add("0912345678")
    with pytest.raises(ChannelError, match="HTTP 500") as info:
        channel.send(_message(digest, SHORT, "0912345678"))
    assert not info.value.permanent
    channel.send(_message(digest, SHORT, "0912345678"))  # second call succeeds
    gateway.reject.add("0912345678")
    with pytest.raises(ChannelError, match="HTTP 400") as info:
        channel.send(_message(digest, SHORT, "0912345678"))
    assert info.value.permanent
    unexpected = WebhookChannel({**config, "expect": {"code": "200"}}, token="t")
    gateway.reject.clear()
    with pytest.raises(ChannelError, match="code='100'"):
        unexpected.send(_message(digest, SHORT, "0912345678"))
    with pytest.raises(ChannelError, match="MOTCUA_SMS_TOKEN"):
        WebhookChannel(config, token=None).send(_message(digest, SHORT, "0912345678"))
    with pytest.raises(ChannelError, match="không có phone") as info:
        channel.send(_message(digest, SHORT, None))
    assert info.value.permanent
    dead = WebhookChannel({**config, "url": f"http://127.0.0.1:{free_port()}/x"}, token="t")
    with pytest.raises(ChannelError, match="không gọi được") as info:
        dead.send(_message(digest, SHORT, "0912345678"))
    assert not info.value.permanent


def test_file_channel_writes_one_file_per_recipient_and_slot(office, tmp_path):
    channel = make_channel({"name": "tep", "type": "file", "directory": "nhac-viec"}, base_dir=tmp_path)
    digest = _digest(office)
    message = _message(digest, FULL, None)
    channel.send(message)
    path = tmp_path / "nhac-viec" / "2026-04-29_07_30" / f"{digest.contact.id}-nguyen-van-an.txt"
    assert channel.path_for(message) == path
    text = path.read_text(encoding="utf-8")
    assert text.startswith("Tiêu đề: Nhắc việc ngày 29/04/2026") and "H13" in text
    assert isinstance(channel, FileChannel) and channel.address_field is None


def test_secrets_come_from_the_environment_or_streamlit_secrets(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('MOTCUA_SMTP_PASSWORD = "tu-tep"\n[reminders]\nMOTCUA_SMS_TOKEN = "trong-bang"\n')
    assert resolve_secret("MOTCUA_SMTP_PASSWORD", environ={"MOTCUA_SMTP_PASSWORD": "tu-env"},
                          secrets_paths=[secrets]) == "tu-env"
    assert resolve_secret("MOTCUA_SMTP_PASSWORD", environ={}, secrets_paths=[secrets]) == "tu-tep"
    assert resolve_secret("MOTCUA_SMS_TOKEN", environ={}, secrets_paths=[secrets]) == "trong-bang"
    assert resolve_secret("KHONG_CO", environ={}, secrets_paths=[secrets, tmp_path / "missing.toml"]) is None
    (tmp_path / "bad.toml").write_text("not = [toml")
    assert resolve_secret("X", environ={}, secrets_paths=[tmp_path / "bad.toml"]) is None
    assert resolve_secret(None) is None


def test_channel_configuration_is_validated():
    assert validate_channel_config({"name": "f", "type": "file", "directory": "d"}) == []
    problems = " | ".join(validate_channel_config(
        {"name": "SMS Gateway", "type": "webhook", "url": "ftp://x", "token": "abc",
         "address_field": "fax", "body": {"text": "${message}"}, "form": "long"}))
    for fragment in ("tên kênh", "http://", "bí mật 'token'", "address_field", "form", "không có biến message"):
        assert fragment in problems
    problems = " | ".join(validate_channel_config({"name": "m", "type": "smtp", "port": 70000}))
    for fragment in ("host", "sender", "cổng"):
        assert fragment in problems
    assert "loại kênh" in validate_channel_config({"name": "x", "type": "pigeon"})[0]
    with pytest.raises(ValueError, match="kênh x"):
        make_channel({"name": "x", "type": "pigeon"})
    configs = [{"name": "a", "type": "file", "directory": "d"},
               {"name": "b", "type": "file", "directory": "d", "enabled": False}]
    assert [c.name for c in enabled_channels(configs)] == ["a"]


def test_a_webhook_cannot_carry_another_variable_of_the_server(office, webhook_server):
    # The attack: a webhook to a listener, a header ${token} filled from the
    # SMTP password (or any variable of the server's environment).
    gateway, config = webhook_server
    environ = {"MOTCUA_SMTP_PASSWORD": "mật-khẩu-thư", "MOTCUA_DB": "/srv/data", "HOME": "/root"}
    for name in ("MOTCUA_SMTP_PASSWORD", "MOTCUA_DB", "HOME", "AWS_SECRET_ACCESS_KEY", "motcua_sms_token"):
        attack = {**config, "headers": {"X-Leak": "${token}"}, "token_secret": name}
        problems = " | ".join(validate_channel_config(attack))
        assert "token_secret: chỉ được ghi tên biến bí mật dành cho kênh webhook" in problems, name
        assert "MOTCUA_SMS_TOKEN" in problems  # says which names it may use
        with pytest.raises(ValueError, match="token_secret"):
            make_channel(attack, environ=environ, secrets_paths=[])
        with pytest.raises(ValueError):
            enabled_channels([attack], environ=environ, secrets_paths=[])
    assert gateway.requests == []
    # An e-mail channel cannot take a webhook's token either, nor name a
    # reference key of another kind of channel.
    smtp = {"name": "m", "type": "smtp", "host": "h", "sender": "a@b.vn"}
    assert validate_channel_config({**smtp, "password_secret": "MOTCUA_SMTP_PASSWORD_PHONG2"}) == []
    assert "password_secret" in " ".join(validate_channel_config({**smtp, "password_secret": "MOTCUA_SMS_TOKEN"}))
    assert "không dùng 'token_secret'" in " ".join(
        validate_channel_config({**smtp, "token_secret": "MOTCUA_SMS_TOKEN"}))
    for name in ("MOTCUA_SMS_TOKEN", "MOTCUA_ZALO_TOKEN", "MOTCUA_WEBHOOK_TOKEN", "MOTCUA_SMS_TOKEN_VIETTEL"):
        assert validate_channel_config({**config, "token_secret": name}) == [], name


@pytest.mark.parametrize("where, change", [
    ("body.auth.password", {"body": {"to": "${to}", "auth": {"password": "hunter2-literal"}}}),
    ("body.list[0].api_key", {"body": {"list": [{"api_key": "k-123456"}]}}),
    ("headers.Authorization", {"headers": {"Authorization": "Bearer sk-live-abcdef"}}),
    ("headers.X-Api-Key", {"headers": {"X-Api-Key": "abc123"}}),
    ("url", {"url": "https://nhacviec:Mk2026@sms.example.vn/send"}),
    ("url", {"url": "https://sms.example.vn/send?user=ubnd&token=abc123"}),
    ("url", {"url": "https://sms.example.vn/send?key=abc123"}),
    ("body.content", {"body": {"content": "${text}", "sig": "${hash}", "note": "Qk9ETjk2c2VjcmV0a2V5MTIzNDU2Nzg5MA"}}),
    ("body.jwt", {"body": {"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"}}),
])
def test_literal_secrets_anywhere_in_a_channel_are_refused(webhook_server, where, change):
    _, config = webhook_server
    bad = {**config, **change}
    problems = validate_channel_config(bad)
    mine = [p for p in problems if "bí mật ghi thẳng" in p]
    assert mine, problems
    assert any(p.startswith(where.split(".")[0]) for p in mine), mine
    # The message never repeats the secret.
    for secret in ("hunter2-literal", "k-123456", "sk-live-abcdef", "abc123", "Mk2026", "Qk9ETjk2", "eyJhbGci"):
        assert secret not in " ".join(problems)
    # Masked, the same configuration hides it, and saving the mask back is refused.
    masked = json.dumps(mask_secrets(bad), ensure_ascii=False)
    for secret in ("hunter2-literal", "k-123456", "sk-live-abcdef", "abc123", "Mk2026", "Qk9ETjk2", "eyJhbGci"):
        assert secret not in masked
    assert "***" in masked
    assert any("bị che" in p for p in validate_channel_config(mask_secrets(bad)))


def test_placeholders_and_plain_values_are_not_secrets(webhook_server):
    _, config = webhook_server
    zalo = {"name": "zalo", "type": "webhook", "url": "https://openapi.zalo.me/v3.0/oa/message/cs",
            "headers": {"access_token": "${token}"}, "token_secret": "MOTCUA_ZALO_TOKEN",
            "body": {"recipient": {"user_id": "${to}"}, "message": {"text": "${text}"}},
            "address_field": "zalo_id", "expect": {"error": "0"}}
    for good in (config, zalo, {**config, "url": "https://sms.example.vn/send?token=${token}&ref=${hash}"}):
        assert validate_channel_config(good) == []
        assert mask_secrets(good) == good


def test_contact_addresses():
    c = Contact(1, "A", None, "0912345678", None, "z1", "handler", True)
    assert (c.address("phone"), c.address("email"), c.address("zalo_id"), c.address("name")) == (
        "0912345678", None, "z1", None)
