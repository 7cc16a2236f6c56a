"""Text normalisation shared by the importer, the engine and the pages."""

from __future__ import annotations

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
    text = unicodedata.normalize("NFD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", text).strip().lower()
