"""Text normalisation shared by the importer, the engine and the pages."""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str | None:
    """NFC-normalise and collapse whitespace; empty text becomes None."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = _SPACES.sub(" ", text).strip()
    return text or None


def fold(value: object) -> str:
    """Fold text for matching: lower case, no diacritics, single spaces.

    ``đ``/``Đ`` is a letter of its own, not ``d`` with a combining mark, so
    NFD leaves it alone; it is folded explicitly.
    """
    return _fold(value if isinstance(value, str) else str(value))


# The same few thousand names (agencies, handlers, contacts) are folded on
# every page run: remembered, a fold is a dictionary look-up.
@functools.lru_cache(maxsize=65536)
def _fold(value: str) -> str:
    text = unicodedata.normalize("NFD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", text).strip().lower()


_PUNCTUATION = re.compile(r"[^\w\s]|_")
# The usual abbreviations of agency names, as folded words (agency_key).
AGENCY_ABBREVIATIONS: dict[str, str] = {
    "ubnd": "uy ban nhan dan",
    "tt": "trung tam",
    "cn": "chi nhanh",
    "vp": "van phong",
}


def agency_key(value: object) -> str:
    """The key that makes spellings of one agency equal.

    ``fold`` (case, diacritics, đ, spacing), punctuation read as a space, and
    the usual abbreviations spelt out (:data:`AGENCY_ABBREVIATIONS`), so
    "UBND xã Tân Lập", "Ủy ban nhân dân xã Tân Lập" and "UBND Xã Tân Lập "
    share one key. Used by the agency alias table (analytics/store/agency_names.py).
    """
    words = _PUNCTUATION.sub(" ", fold(value)).split()
    return " ".join(AGENCY_ABBREVIATIONS.get(w, w) for w in words)
