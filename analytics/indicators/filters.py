"""The filters every engine query takes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

CHANNELS = ("online", "direct", "postal")
LEVELS = ("Tỉnh", "Huyện", "Xã")
# How a dossier is attributed to a unit (issue 14): under today's units (the
# unit that carries on its work, following the lineage of 1/7/2025) or as
# recorded (the unit that handled it). Where no lineage applies both agree.
ATTRIBUTION_CURRENT, ATTRIBUTION_RECORDED = "current", "recorded"
ATTRIBUTIONS = (ATTRIBUTION_CURRENT, ATTRIBUTION_RECORDED)


class FilterError(ValueError):
    """Filters that make no sense (``from`` after ``to``, unknown channel...)."""


@dataclass(frozen=True)
class Filters:
    """A period ``[date_from, date_to]`` (whole days, inclusive) and optional filters.

    ``agency`` is a canonical agency name (see ``Engine.resolve_agency``);
    ``procedure`` a procedure code. ``scope`` is the set of agencies the user
    may see (``None``: all); it is applied in SQL like every other filter.
    ``attribution`` is ``"current"`` (today's units, the default) or
    ``"recorded"`` (indicators/sql/base.sql).
    """

    date_from: date
    date_to: date
    agency: str | None = None
    field: str | None = None
    channel: str | None = None
    procedure: str | None = None
    agency_level: str | None = None
    scope: frozenset[str] | None = None
    attribution: str = ATTRIBUTION_CURRENT

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise FilterError(
                f"Ngày bắt đầu {self.date_from:%d/%m/%Y} sau ngày kết thúc {self.date_to:%d/%m/%Y}"
            )
        if self.channel is not None and self.channel not in CHANNELS:
            raise FilterError(f"Kênh nộp không hợp lệ: {self.channel!r} (online, direct, postal)")
        if self.attribution not in ATTRIBUTIONS:
            raise FilterError(f"Cách tính theo đơn vị không hợp lệ: {self.attribution!r} (current, recorded)")
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
            "attribution": self.attribution,
        }
