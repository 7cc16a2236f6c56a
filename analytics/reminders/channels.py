"""Delivery channels: e-mail (SMTP), HTTP webhook (SMS gateways, Zalo OA), file.

A channel is configured by a plain dict kept in the reminder settings; it
never holds a secret, only the name of the environment variable (or key of
``.streamlit/secrets.toml``) that does, and only a name this product declares
for that kind of channel (:data:`DECLARED_SECRETS`): a channel cannot reach
any other variable of the server's environment. A literal secret anywhere in
it (a key named like a password, ``Authorization: Bearer <value>``, a
password in a URL, ``?token=<value>``, a token-looking value) is refused
(:func:`secret_problems`), and :func:`mask_secrets` hides such values
wherever settings are shown or logged. Examples::

    {"name": "email", "type": "smtp", "host": "smtp.example.vn", "port": 587,
     "security": "starttls", "username": "nhacviec@example.vn",
     "password_secret": "MOTCUA_SMTP_PASSWORD", "sender": "nhacviec@example.vn",
     "sender_name": "Nhắc việc UBND phường"}

    {"name": "sms", "type": "webhook", "url": "https://sms.example.vn/api/send",
     "headers": {"Authorization": "Bearer ${token}"}, "token_secret": "MOTCUA_SMS_TOKEN",
     "body": {"phone": "${to_intl}", "content": "${text}", "brandname": "UBND"},
     "address_field": "phone", "form": "short", "expect": {"code": "100"}}

    {"name": "luu-tep", "type": "file", "directory": "data/nhac-viec"}

A send raises :class:`ChannelError`; ``permanent`` tells the sender not to
retry (a refused recipient, a 4xx answer), anything else is retried.
"""

from __future__ import annotations

import base64
import json
import os
import re
import smtplib
import ssl
import string
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from analytics.locale.text import fold
from analytics.reminders.contacts import Contact, phone_international

CHANNEL_TYPES = ("smtp", "webhook", "file")
ADDRESS_FIELDS = ("phone", "email", "zalo_id")
FORMS = ("full", "short")
SMTP_SECURITY = ("starttls", "ssl", "none")
SECRET_KEYS = ("password", "token", "secret", "api_key", "apikey", "access_token")
DEFAULT_SMTP_SECRET = "MOTCUA_SMTP_PASSWORD"
WEBHOOK_VARIABLES = ("to", "to_intl", "text", "subject", "name", "agency", "slot", "hash",
                     "segments", "token", "role")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

# The only variables a channel's secret reference may name, per channel type
# and reference key (each also read from the secrets file). A suffix allows
# several accounts: MOTCUA_SMS_TOKEN_VIETTEL. Any other name, such as another
# channel's password or the database's, is refused: whoever edits a channel
# must not be able to have the server send it elsewhere.
DECLARED_SECRETS: dict[str, dict[str, re.Pattern[str]]] = {
    "smtp": {"password_secret": re.compile(r"^MOTCUA_SMTP_PASSWORD(_[A-Z0-9]+)*$")},
    "webhook": {"token_secret": re.compile(r"^MOTCUA_(SMS|ZALO|WEBHOOK)_TOKEN(_[A-Z0-9]+)*$")},
    "file": {},
}
DECLARED_SECRET_NAMES = {
    "smtp": "MOTCUA_SMTP_PASSWORD (hoặc MOTCUA_SMTP_PASSWORD_<TÊN>)",
    "webhook": "MOTCUA_SMS_TOKEN, MOTCUA_ZALO_TOKEN, MOTCUA_WEBHOOK_TOKEN (hoặc thêm _<TÊN>)",
}
MASK = "***"


class ChannelError(Exception):
    """A delivery that failed; ``permanent`` ones are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    """What one channel sends to one recipient."""

    contact: Contact
    address: str | None
    subject: str
    text: str
    slot: str
    digest_hash: str
    segments: int = 0


class Channel(Protocol):
    name: str
    address_field: str | None    # contact field holding the address; None: everyone
    form: str                    # 'full' | 'short'
    unaccented: bool | None      # short form without diacritics (None: office default)

    def send(self, message: Message) -> None: ...


# -- secrets ------------------------------------------------------------------

def default_secrets_paths() -> list[Path]:
    """Where Streamlit looks for secrets: the project's then the user's."""
    return [Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"]


def resolve_secret(
    name: str | None,
    *,
    environ: Mapping[str, str] | None = None,
    secrets_paths: Sequence[Path] | None = None,
) -> str | None:
    """A secret by name: the environment variable, else the Streamlit secrets
    file (top-level key, or the key inside a ``[reminders]`` table)."""
    if not name:
        return None
    env = os.environ if environ is None else environ
    if env.get(name):
        return env[name]
    for path in default_secrets_paths() if secrets_paths is None else secrets_paths:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        value = data.get(name)
        if value is None and isinstance(data.get("reminders"), dict):
            value = data["reminders"].get(name)
        if value not in (None, ""):
            return str(value)
    return None


# -- literal secrets -----------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")
_SCHEME = re.compile(r"(?i)\b(bearer|basic|token|apikey|key)\b")
# "Bearer xyz": an authorization scheme followed by a literal credential.
_AUTH_LITERAL = re.compile(r"(?i)\b(bearer|basic|token)(\s+)(?!\$)([^\s,;]+)")
# "https://user:password@host": a password in a URL's user information.
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)(?!\$)([^@/\s]+)(@)")
# "?token=xyz", "&key=xyz": a query parameter named like a credential.
_QUERY_PARAM = re.compile(r"([?&;]([A-Za-z0-9_.-]+)=)(?!\$)([^&#\s]+)")
# A word of 32 or more characters mixing letters and digits (API keys,
# access tokens), and JSON web tokens.
_TOKEN_WORD = re.compile(r"(?<![A-Za-z0-9_\-+=~])(?=[A-Za-z0-9_\-+=~]*[0-9])(?=[A-Za-z0-9_\-+=~]*[A-Za-z])"
                         r"[A-Za-z0-9_\-+=~]{32,}")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]*)?")
_SECRET_WORDS = ("password", "passwd", "secret", "token", "api_key", "apikey", "authorization",
                 "credential", "signature", "private_key", "access_key", "cookie")


def secretish(name: Any) -> bool:
    """Whether a key, header or query parameter is named like a credential."""
    key = fold(str(name)).replace("-", "_").replace(" ", "_")
    return key in ("key", "pass", "pwd", "sig", "auth") or key.endswith("_auth") \
        or any(word in key for word in _SECRET_WORDS)


def _mask_text(text: str) -> str:
    """The text with every literal credential it carries replaced by :data:`MASK`."""
    text = _AUTH_LITERAL.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}{m.group(3)}", text)
    text = _QUERY_PARAM.sub(lambda m: f"{m.group(1)}{MASK}" if secretish(m.group(2)) else m.group(0), text)
    text = _JWT.sub(MASK, text)
    return _TOKEN_WORD.sub(MASK, text)


def _literal_left(text: str) -> bool:
    """Whether anything but placeholders, scheme words and punctuation is left."""
    rest = _SCHEME.sub("", _PLACEHOLDER.sub("", text.replace(MASK, "")))
    return bool(re.sub(r"[\s:=,;\-_.]", "", rest))


def _mask_value(key: Any, value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _mask_value(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_value(key, v) for v in value]
    if isinstance(value, str):
        masked = _mask_text(value)
        if key is not None and secretish(key) and _literal_left(masked):
            return MASK
        return masked
    if key is not None and secretish(key) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return MASK
    return value


def _is_reference(key: Any) -> bool:
    return isinstance(key, str) and key.endswith("_secret")


def mask_secrets(config: Any) -> Any:
    """A copy of a channel configuration (or a list of them) with every
    literal secret replaced by ``***``.

    The channel's own secret references (top-level ``password_secret``,
    ``token_secret``: the *name* of a variable) are kept when they read like a
    variable name. Used wherever settings are shown or logged: the page,
    ``remind settings show``, the audit log.
    """
    if isinstance(config, list):
        return [mask_secrets(c) for c in config]
    if not isinstance(config, Mapping):
        return _mask_value(None, config)
    out = {}
    for k, v in config.items():
        if _is_reference(k):
            out[k] = v if isinstance(v, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", v) else MASK
        else:
            out[k] = _mask_value(k, v)
    return out


def _changed_paths(before: Any, after: Any, where: str) -> list[str]:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        return [p for k in before for p in _changed_paths(before[k], after.get(k), f"{where}.{k}" if where else str(k))]
    if isinstance(before, list) and isinstance(after, list):
        # Items beyond the shorter list are not compared: zip stops there.
        return [p for i, (b, a) in enumerate(zip(before, after, strict=False))
                for p in _changed_paths(b, a, f"{where}[{i}]")]
    return [] if before == after else [where]


def _masked_paths(value: Any, where: str) -> list[str]:
    """Where a value shown masked was saved back as it was shown."""
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in _masked_paths(v, f"{where}.{k}" if where else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _masked_paths(v, f"{where}[{i}]")]
    return [where] if isinstance(value, str) and MASK in value else []


def secret_problems(config: Mapping[str, Any]) -> list[str]:
    """Where a channel configuration holds a literal secret (Vietnamese), so it
    can be refused. Never quotes the value. Top-level keys named ``password``
    and the like are refused separately (:func:`validate_channel_config`)."""
    body = {k: v for k, v in config.items()
            if not _is_reference(k) and fold(str(k)) not in SECRET_KEYS}
    problems = [f"{path}: còn giá trị bị che ({MASK}) khi hiển thị; thay nó bằng ${{token}} và đặt bí mật "
                "trong biến môi trường ghi ở token_secret" for path in _masked_paths(body, "")]
    for path in _changed_paths(body, mask_secrets(body), ""):
        problems.append(
            f"{path}: có vẻ chứa bí mật ghi thẳng (mật khẩu, mã truy cập, khóa API); không lưu bí mật "
            "trong thiết lập: đặt nó trong biến môi trường (hoặc .streamlit/secrets.toml), ghi tên biến "
            "vào token_secret và dùng ${token} ở chỗ cần"
        )
    return problems


def reference_problems(config: Mapping[str, Any]) -> list[str]:
    """Secret references (``*_secret``) naming what this channel type may not read."""
    kind = config.get("type")
    allowed = DECLARED_SECRETS.get(kind, {}) if isinstance(kind, str) else {}
    allowed_names = DECLARED_SECRET_NAMES.get(kind, "") if isinstance(kind, str) else ""
    problems = []
    for key, value in config.items():
        if not _is_reference(key):
            continue
        pattern = allowed.get(key)
        if pattern is None:
            problems.append(f"kênh loại {kind} không dùng '{key}'"
                            + (f" (có: {', '.join(allowed)})" if allowed else ""))
        elif not isinstance(value, str) or not pattern.fullmatch(value):
            problems.append(
                f"{key}: chỉ được ghi tên biến bí mật dành cho kênh {kind}: {allowed_names}; "
                "không được trỏ tới biến môi trường khác của máy chủ"
            )
    return problems


# -- validation -----------------------------------------------------------------

def _template_problems(value: Any, allowed: Sequence[str], where: str) -> list[str]:
    problems: list[str] = []
    if isinstance(value, str):
        template = string.Template(value)
        if not template.is_valid():
            problems.append(f"{where}: dấu $ đặt sai chỗ")
        else:
            unknown = sorted(set(template.get_identifiers()) - set(allowed))
            if unknown:
                problems.append(f"{where}: không có biến {', '.join(unknown)} (có: {', '.join(allowed)})")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            problems += _template_problems(v, allowed, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            problems += _template_problems(v, allowed, f"{where}[{i}]")
    return problems


def validate_channel_config(config: Mapping[str, Any]) -> list[str]:
    """Problems of one channel configuration (Vietnamese), empty when usable."""
    if not isinstance(config, Mapping):
        return ["cấu hình kênh phải là một đối tượng"]
    problems: list[str] = []
    name = config.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        problems.append("tên kênh (name) gồm chữ thường không dấu, số, '-' hoặc '_'")
    kind = config.get("type")
    if kind not in CHANNEL_TYPES:
        problems.append(f"loại kênh (type) phải là một trong {', '.join(CHANNEL_TYPES)}")
    for key in config:
        if fold(str(key)) in SECRET_KEYS:
            problems.append(
                f"không lưu bí mật '{key}' trong thiết lập: đặt nó trong biến môi trường hoặc "
                f".streamlit/secrets.toml và ghi tên biến vào '{key}_secret'"
            )
    problems += reference_problems(config)
    problems += secret_problems(config)
    if config.get("form", "full" if kind != "webhook" else "short") not in FORMS:
        problems.append("form phải là 'full' (đầy đủ) hoặc 'short' (rút gọn như SMS)")
    if kind == "smtp":
        if not config.get("host"):
            problems.append("thiếu máy chủ SMTP (host)")
        if not config.get("sender"):
            problems.append("thiếu địa chỉ gửi (sender)")
        port = config.get("port", 587)
        if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
            problems.append("cổng (port) không hợp lệ")
        if config.get("security", "starttls") not in SMTP_SECURITY:
            problems.append("security phải là starttls, ssl hoặc none")
    elif kind == "webhook":
        url = config.get("url")
        if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
            problems.append("đường dẫn webhook (url) phải bắt đầu bằng http:// hoặc https://")
        else:
            problems += _template_problems(url, WEBHOOK_VARIABLES, "url")
        if config.get("address_field", "phone") not in ADDRESS_FIELDS:
            problems.append("address_field phải là phone, email hoặc zalo_id")
        headers = config.get("headers", {})
        if not isinstance(headers, Mapping) or not all(isinstance(v, str) for v in headers.values()):
            problems.append("headers phải là các cặp tên: giá trị (chuỗi)")
        else:
            problems += _template_problems(dict(headers), WEBHOOK_VARIABLES, "headers")
        body = config.get("body")
        if body is not None:
            problems += _template_problems(body, WEBHOOK_VARIABLES, "body")
        if config.get("method", "POST") not in ("POST", "PUT"):
            problems.append("method phải là POST hoặc PUT")
        if "expect" in config and not isinstance(config["expect"], Mapping):
            problems.append("expect phải là các cặp khóa: giá trị mong đợi trong phản hồi JSON")
    elif kind == "file":
        if not config.get("directory"):
            problems.append("thiếu thư mục lưu (directory)")
    return problems


# -- channels -------------------------------------------------------------------

class EmailChannel:
    """E-mail over SMTP: STARTTLS (or implicit TLS) and login when configured."""

    address_field: str | None = "email"

    def __init__(self, config: Mapping[str, Any], *, password: str | None = None):
        self.name = config["name"]
        self.host = config["host"]
        self.port = int(config.get("port", 587))
        self.security = config.get("security", "starttls")
        self.username = config.get("username")
        self.password = password
        self.password_secret = config.get("password_secret", DEFAULT_SMTP_SECRET)
        self.sender = config["sender"]
        self.sender_name = config.get("sender_name") or ""
        self.timeout = float(config.get("timeout", 30))
        self.ca_file = config.get("ca_file")
        self.verify = bool(config.get("verify", True))
        self.form = config.get("form", "full")
        self.unaccented = config.get("unaccented")

    def _tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.ca_file) if self.ca_file else ssl.create_default_context()
        if not self.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def build(self, message: Message) -> MIMEText:
        """The e-mail: UTF-8 text body, RFC 2047 headers.

        Built with the legacy ``MIMEText``/``Header`` API on purpose: the
        modern folder of Python 3.11 moves the space between two words out of
        the encoded words when it folds a long Vietnamese subject, and readers
        then show "hồ sơquá hạn".
        """
        email = MIMEText(message.text, "plain", "utf-8")
        email["From"] = formataddr((self.sender_name, self.sender), charset="utf-8") if self.sender_name \
            else self.sender
        email["To"] = formataddr((message.contact.name, message.address or ""), charset="utf-8")
        # typeshed types MIMEText's headers as str only; a Header is the documented legacy value.
        email["Subject"] = Header(message.subject, "utf-8")  # type: ignore[assignment]
        email["Date"] = formatdate(localtime=True)
        email["Message-ID"] = make_msgid(domain=self.sender.rsplit("@", 1)[-1])
        email["X-Motcua-Digest"] = message.digest_hash
        return email

    def _login(self, client: smtplib.SMTP, username: str) -> None:
        """Log in; a password with non-ASCII characters (smtplib only sends
        ASCII) goes as UTF-8 over AUTH PLAIN, which RFC 4616 allows."""
        password = self.password or ""
        if password.isascii() and username.isascii():
            client.login(username, password)
            return
        token = base64.b64encode(f"\0{username}\0{password}".encode("utf-8")).decode("ascii")
        code, response = client.docmd("AUTH", "PLAIN " + token)
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, response)

    def send(self, message: Message) -> None:
        if not message.address:
            raise ChannelError("người nhận không có email", permanent=True)
        if self.username and not self.password:
            raise ChannelError(
                f"thiếu mật khẩu SMTP: đặt biến môi trường {self.password_secret}", permanent=True
            )
        email = self.build(message)
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._tls_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if self.security == "starttls":
                    client.starttls(context=self._tls_context())
                    client.ehlo()
                if self.username:
                    self._login(client, self.username)
                refused = client.send_message(email)
            if refused:
                raise ChannelError(f"máy chủ từ chối người nhận: {refused}", permanent=True)
        except smtplib.SMTPAuthenticationError as exc:
            raise ChannelError(f"đăng nhập SMTP thất bại ({exc.smtp_code})", permanent=True) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(f"máy chủ từ chối người nhận {message.address}", permanent=True) from exc
        except smtplib.SMTPResponseException as exc:
            raise ChannelError(
                f"SMTP trả lời {exc.smtp_code}: {exc.smtp_error!r}", permanent=exc.smtp_code >= 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"lỗi gửi thư: {exc}") from exc


def _fill(value: Any, values: Mapping[str, Any]) -> Any:
    """Substitute placeholders inside a JSON structure, string by string, so
    the result is always valid JSON whatever the message contains. A string
    that is exactly one placeholder of a number stays a number."""
    if isinstance(value, str):
        match = re.fullmatch(r"\$\{?([a-z_]+)\}?", value)
        if match and isinstance(values.get(match.group(1)), int):
            return values[match.group(1)]
        return string.Template(value).safe_substitute({k: "" if v is None else str(v) for k, v in values.items()})
    if isinstance(value, Mapping):
        return {k: _fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value


class WebhookChannel:
    """A JSON POST per recipient: SMS gateways, Zalo OA, chat bots."""

    DEFAULT_BODY = {"to": "${to}", "subject": "${subject}", "text": "${text}"}

    def __init__(self, config: Mapping[str, Any], *, token: str | None = None):
        self.name = config["name"]
        self.url = config["url"]
        self.method = config.get("method", "POST")
        self.headers = dict(config.get("headers") or {})
        self.body = config.get("body") or self.DEFAULT_BODY
        self.address_field = config.get("address_field", "phone")
        self.form = config.get("form", "short")
        self.unaccented = config.get("unaccented")
        self.timeout = float(config.get("timeout", 20))
        self.expect = dict(config.get("expect") or {})
        self.token = token
        self.token_secret = config.get("token_secret")

    def values(self, message: Message) -> dict[str, Any]:
        contact = message.contact
        return {
            "to": message.address or "",
            "to_intl": phone_international(message.address) if self.address_field == "phone" else message.address,
            "text": message.text,
            "subject": message.subject,
            "name": contact.name,
            "agency": contact.agency or "",
            "role": contact.role,
            "slot": message.slot,
            "hash": message.digest_hash,
            "segments": message.segments,
            "token": self.token or "",
        }

    def request(self, message: Message) -> urllib.request.Request:
        values = self.values(message)
        payload = json.dumps(_fill(self.body, values), ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "motcua-nhacviec/1"}
        headers.update({k: _fill(v, values) for k, v in self.headers.items()})
        return urllib.request.Request(_fill(self.url, values), data=payload, headers=headers, method=self.method)

    def send(self, message: Message) -> None:
        if not message.address:
            raise ChannelError(f"người nhận không có {self.address_field}", permanent=True)
        if self.token_secret and not self.token:
            raise ChannelError(f"thiếu mã truy cập: đặt biến môi trường {self.token_secret}", permanent=True)
        try:
            with urllib.request.urlopen(self.request(message), timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            transient = exc.code in (408, 425, 429) or exc.code >= 500
            raise ChannelError(f"webhook trả lời HTTP {exc.code}", permanent=not transient) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise ChannelError(f"không gọi được webhook: {getattr(exc, 'reason', exc)}") from exc
        if self.expect:
            try:
                answer = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise ChannelError("webhook trả lời không phải JSON") from None
            for key, wanted in self.expect.items():
                got = answer.get(key) if isinstance(answer, Mapping) else None
                if str(got) != str(wanted):
                    raise ChannelError(f"webhook trả lời {key}={got!r}, cần {wanted!r}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "nguoi-nhan"


class FileChannel:
    """Writes each digest to ``<directory>/<slot>/<contact id>-<name>.txt``."""

    address_field: str | None = None

    def __init__(self, config: Mapping[str, Any], *, base_dir: Path | None = None):
        self.name = config["name"]
        directory = Path(config["directory"])
        self.directory = directory if directory.is_absolute() or base_dir is None else base_dir / directory
        self.form = config.get("form", "full")
        self.unaccented = config.get("unaccented")

    def path_for(self, message: Message) -> Path:
        slot_dir = re.sub(r"[^0-9A-Za-z_-]+", "_", message.slot).strip("_") or "thu-cong"
        return self.directory / slot_dir / f"{message.contact.id}-{_slug(message.contact.name)}.txt"

    def send(self, message: Message) -> None:
        path = self.path_for(message)
        tmp = path.with_name(path.name + ".tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(f"Tiêu đề: {message.subject}\n\n{message.text}\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise ChannelError(f"không ghi được tệp {path}: {exc}") from exc


def make_channel(
    config: Mapping[str, Any],
    *,
    environ: Mapping[str, str] | None = None,
    secrets_paths: Sequence[Path] | None = None,
    base_dir: Path | None = None,
) -> Channel:
    """A channel object from its configuration, with its secret resolved.

    Raises:
        ValueError: an invalid configuration (every problem listed).
    """
    problems = validate_channel_config(config)
    if problems:
        raise ValueError(f"kênh {config.get('name', '?')}: " + "; ".join(problems))
    kind = config["type"]
    if kind == "smtp":
        secret = config.get("password_secret", DEFAULT_SMTP_SECRET)
        return EmailChannel(config, password=resolve_secret(secret, environ=environ, secrets_paths=secrets_paths))
    if kind == "webhook":
        token = resolve_secret(config.get("token_secret"), environ=environ, secrets_paths=secrets_paths)
        return WebhookChannel(config, token=token)
    return FileChannel(config, base_dir=base_dir)


def enabled_channels(configs: Sequence[Mapping[str, Any]], **kwargs: Any) -> list[Channel]:
    """Channel objects of the enabled configurations (``"enabled": false`` skips one)."""
    return [make_channel(c, **kwargs) for c in configs if c.get("enabled", True)]
