"""The filters every engine query takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

CHANNELS = ("online", "direct", "postal")
LEVELS = ("Tỉnh", "Huyện", "Xã")


class FilterError(ValueError):
    """Filters that make no sense (``from`` after ``to``, unknown channel...)."""


@dataclass(frozen=True)
class Filters:
    """A period ``[date_from, date_to]`` (whole days, inclusive) and optional filters.

    ``agency`` is a canonical agency name (see ``Engine.resolve_agency``);
    ``procedure`` a procedure code. ``scope`` is the set of agencies the user
    may see (``None``: all); it is applied in SQL like every other filter.
    """

    date_from: date
    date_to: date
    agency: str | None = None
    field: str | None = None
    channel: str | None = None
    procedure: str | None = None
    agency_level: str | None = None
    scope: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise FilterError(
                f"Ngày bắt đầu {self.date_from:%d/%m/%Y} sau ngày kết thúc {self.date_to:%d/%m/%Y}"
            )
        if self.channel is not None and self.channel not in CHANNELS:
            raise FilterError(f"Kênh nộp không hợp lệ: {self.channel!r} (online, direct, postal)")
        if self.scope is not None and not isinstance(self.scope, frozenset):
            object.__setattr__(self, "scope", frozenset(self.scope))

    def with_period(self, date_from: date, date_to: date) -> "Filters":
        return replace(self, date_from=date_from, date_to=date_to)

    def params(self) -> dict[str, object]:
        """Bound parameters for the SQL files (names match ``$name`` in them)."""
        return {
            "from": self.date_from,
            "to": self.date_to,
            "agency": self.agency,
            "field": self.field,
            "channel": self.channel,
            "procedure": self.procedure,
            "agency_level": self.agency_level,
            "scope": sorted(self.scope) if self.scope is not None else None,
        }
