"""Fair rankings by rate: a unit with very few cases is not ranked above one
with many.

A late rate of 50 % from 2 dossiers says little; 3 % from 900 says a lot.
Units (agencies, fields, handlers) are ranked by their rate only when their
volume (resolved dossiers, steps handled) reaches :data:`MIN_VOLUME`; the
others follow, unranked, largest volume first, so a chart or table still shows
them with their volume beside the rate (docs/INDICATORS.md, "Xếp hạng").
A minimum volume was chosen over a confidence bound because a leader can
check it by eye: "ranked from 20 dossiers up".
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from analytics.locale.text import fold

# Below this many cases (resolved dossiers, steps) a rate is shown, not ranked.
MIN_VOLUME = 20


def rank_by_rate(
    rows: Iterable[Mapping[str, Any]],
    rate_key: str,
    volume_key: str,
    label_keys: tuple[str, ...],
    *,
    worse_high: bool = True,
    min_volume: int = MIN_VOLUME,
) -> list[dict[str, Any]]:
    """``rows`` worst first, each with ``rank`` (1, 2, ...; None when unranked)
    and ``ranked`` (volume ≥ ``min_volume`` and a rate).

    Ranked rows come first, by rate (worst first: highest when
    ``worse_high``), ties by larger volume, then by name (folded, so Đ sorts
    with D); the unranked ones follow, by larger volume, then name.
    """
    def name(row: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(fold(str(row.get(k) or "")) for k in label_keys)

    ranked: list[dict[str, Any]] = []
    unranked: list[dict[str, Any]] = []
    for row in rows:
        out = dict(row)
        volume = out.get(volume_key) or 0
        out["ranked"] = out.get(rate_key) is not None and volume >= min_volume
        (ranked if out["ranked"] else unranked).append(out)
    ranked.sort(key=lambda r: (-r[rate_key] if worse_high else r[rate_key], -(r.get(volume_key) or 0), name(r)))
    unranked.sort(key=lambda r: (-(r.get(volume_key) or 0), name(r)))
    for i, row in enumerate(ranked, start=1):
        row["rank"] = i
    for row in unranked:
        row["rank"] = None
    return ranked + unranked
