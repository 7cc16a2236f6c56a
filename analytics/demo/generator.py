"""The embedded default: a realistic, entirely invented district office.

``generate_frames`` builds the four analytics tables of a fictional district
(huyện An Phước: 20 communes/wards, 12 specialised offices, two partner
agencies for liên thông) with vectorised numpy, so five years (~225 thousand
dossiers, ~850 thousand steps) take a few seconds and the benchmark can ask
for millions (:func:`iter_frames` streams them in chunks). ``build_demo`` writes them into a fresh analytics database.

How the data is made (so the indicators tell a story worth showing):

- Time runs on a working-minute clock: office hours 07:30–11:30 and
  13:30–17:00 on Vietnamese working days (:mod:`analytics.locale.workdays`, holidays
  and announced swaps included). Every received, step and finished time falls
  inside office hours; a due date is the legal number of working days after
  receipt (a "within the day" procedure is due at 17:00, or the next working
  day when received after 15:00).
- Volume grows from ~40 to ~50 thousand dossiers a year, with a seasonal dip
  around Tết and a year-end rush. Communes get ~58% of dossiers, mostly
  Chứng thực and Hộ tịch; the land-registry branch and the environment office
  make Đất đai the largest field of the specialised offices.
- The late rate falls exponentially from ~4.5% in the first year to ~0.5% in
  the last; the online share rises linearly from ~20% to ~57%. Both are
  calibrated per year, so they hold for any number of years ≥ 2.
- Lateness is concentrated: land offices and a handful of named specialists
  ("markedly late handlers") carry most of it; a late dossier's delay sits in
  one step (usually appraisal), which overruns its own allowance. Each step
  has an allowance in working days (shares of the legal time, stored in
  steps.allowance_days) and, as one-stop systems compute it when the step is
  received, a deadline of its start plus that allowance: the steps after the
  culprit start late but are not late themselves.
- The catalogue has procedures never used, procedures that stopped receiving
  dossiers more than three years ago, procedures published during the period,
  and procedures abolished (with or without a replacement code).
- On the as-of date some dossiers are open within their deadline, some open
  and overdue, some waiting for the citizen's supplement (status 5) or for
  the financial obligation (6); a few are new online submissions (1), refused
  (3), withdrawn (7) or stopped (8).

No person in this data exists: staff names are random combinations of common
family, middle and given names, and no applicant data is generated at all.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics.demo import names
from analytics.demo.contacts import add_demo_contacts
from analytics.ingest.parsing import STATUS_NAMES  # re-exported (__all__): the one table of national status names
from analytics.locale.clock import office_now, office_today
from analytics.locale.text import clean_text
from analytics.locale.workdays import default_calendar
from analytics.store.agency_names import register_units
from analytics.store.database import AnalyticsStore
from analytics.store.ops import OpsStore
from analytics.store.unit_refs import UnitRegistry
from analytics.store.units import REFORM_DATE, SOURCE_OFFICER, set_successors, split_namesake

# -- the working-minute clock --------------------------------------------------
DAY_MINUTES = 450            # 07:30–11:30 (240) + 13:30–17:00 (210)
MORNING_MINUTES = 240
_MORNING_START = 7 * 60 + 30
_AFTERNOON_START = 13 * 60 + 30
_LATE_INTAKE = 330           # 15:00: a same-day procedure received later is due tomorrow
_CLOSE = 17 * 60
_NEVER = 2**30               # "not before the end of time" on the working-minute clock

CHANNELS = ("direct", "online", "postal")
ONLINE_LEVELS = ("Toàn trình", "Một phần", "Không")

# -- step templates ------------------------------------------------------------
_RECEPTION, _SPECIALIST, _DEPUTY, _LEADER, _PARTNER = range(5)
STEP_NAMES = (
    "Tiếp nhận hồ sơ",        # 0
    "Thẩm định hồ sơ",        # 1
    "Xử lý hồ sơ",            # 2
    "Trình lãnh đạo",         # 3
    "Phê duyệt",              # 4
    "Ký duyệt",               # 5
    "Trả kết quả",            # 6
    # partner steps (liên thông), appended from demo_names below
)
_PARTNER_SLOT = -1            # placeholder in a template: the partner's own step
_ROLE_OF_NAME = (_RECEPTION, _SPECIALIST, _SPECIALIST, _DEPUTY, _LEADER, _LEADER, _RECEPTION)
_TEMPLATES = {
    False: {3: (0, 2, 6), 4: (0, 1, 4, 6), 5: (0, 1, 3, 5, 6)},
    True: {3: (0, _PARTNER_SLOT, 6), 4: (0, 1, _PARTNER_SLOT, 6), 5: (0, 1, _PARTNER_SLOT, 4, 6)},
}
# Planned share of the legal time used up by the end of each step.
_DUE_SHARE = {
    False: {3: (0.1, 0.9, 1.0), 4: (0.1, 0.65, 0.9, 1.0), 5: (0.1, 0.55, 0.75, 0.9, 1.0)},
    # Liên thông: the partner agency's step (tax, land registry) takes a large
    # part of the time, as in the templates above.
    True: {3: (0.1, 0.9, 1.0), 4: (0.1, 0.35, 0.9, 1.0), 5: (0.1, 0.3, 0.75, 0.9, 1.0)},
}
# Typical share of the actual handling time each role takes.
_ROLE_EFFORT = np.array([0.05, 0.6, 0.1, 0.15, 0.5])

# Monthly volume factors: Tết falls in January/February, the year-end rush in December.
_MONTH_FACTOR = np.array([1.05, 0.72, 1.05, 1.0, 1.02, 1.0, 1.04, 1.02, 0.95, 1.0, 1.02, 1.12])
_WEEKDAY_FACTOR = np.array([1.18, 1.03, 1.0, 0.98, 0.86, 0.5, 0.5])  # make-up Saturdays are quiet

# Late-rate multipliers by agency key (communes use "xa").
_AGENCY_LATENESS = {
    "xa": 0.7, "vpdk": 2.0, "tnmt": 1.8, "ktht": 1.5, "tuphap": 0.6, "tckh": 0.5, "ldtbxh": 1.2,
    "gddt": 0.8, "noivu": 1.0, "vhtt": 1.0, "yte": 1.0, "nnptnt": 1.1, "thanhtra": 1.3,
}
_LATE_HANDLER_FACTOR = 8.0
_LATE_HANDLERS = (("vpdk", 1), ("tnmt", 1), ("ktht", 1), ("tckh", 1), ("xa", 1))  # (office, how many)

_FIRST_YEAR_LATE, _LAST_YEAR_LATE = 0.045, 0.005
_FIRST_YEAR_ONLINE, _LAST_YEAR_ONLINE = 0.20, 0.57
_ONLINE_FACTOR = np.array([1.4, 1.0, 0.0])        # by online level: Toàn trình, Một phần, Không
_PARTNER_SHARE = {"thue": 0.75, "bhxh": 1.0}       # share of a liên thông procedure's dossiers sent on
_DEFAULT_PARTNER_SHARE = 0.6


# -- calendar helpers ------------------------------------------------------------
def shift_years(d: date, years: int) -> date:
    """``d`` moved by whole years; 29 February falls back to 28."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def year_bounds(as_of: date, years: int) -> list[date]:
    """Boundaries of the generated years: year k covers (bounds[k], bounds[k+1]]."""
    return [shift_years(as_of, k - years) for k in range(years + 1)]


# The product's demo history starts on a fixed day, not counted back from the
# build day: it always spans 1/7/2025 (four years before it, and every day
# since up to the clock's today), whatever day it is built.
DEMO_START = date(2021, 7, 1)


def fixed_bounds(start: date, as_of: date) -> list[date]:
    """Year boundaries from a fixed first day to ``as_of``: whole years from
    ``start``, the last one cut at ``as_of``; year k covers (bounds[k], bounds[k+1]]."""
    if as_of < start:
        raise ValueError(f"as_of {as_of} is before the demo's first day {start}")
    bounds = [start - timedelta(days=1)]
    while bounds[-1] < as_of:
        bounds.append(min(shift_years(start, len(bounds)) - timedelta(days=1), as_of))
    return bounds


def _working_days(first: date, last: date) -> np.ndarray:
    cal = default_calendar()
    out = []
    d = first
    while d <= last:
        if cal.is_working_day(d):
            out.append(d)
        d += timedelta(days=1)
    return np.array(out, dtype="datetime64[D]")


def _clock(minute: np.ndarray) -> np.ndarray:
    """Office minute of the day (0..449) -> minutes after midnight."""
    return np.where(minute < MORNING_MINUTES, _MORNING_START + minute, _AFTERNOON_START + minute - MORNING_MINUTES)


def _to_timestamps(w: np.ndarray, days: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Working-minute values -> datetime64[us]; NaT where ``mask`` is false."""
    w = np.asarray(w, dtype=np.int64)
    day = np.clip(w // DAY_MINUTES, 0, len(days) - 1)
    minute = w % DAY_MINUTES
    ts = days[day].astype("datetime64[m]") + _clock(minute).astype("timedelta64[m]")
    ts = ts.astype("datetime64[us]")
    if mask is not None:
        ts = np.where(mask, ts, np.datetime64("NaT", "us"))
    return ts


# -- the office ----------------------------------------------------------------------
@dataclass
class _Office:
    agencies: pd.DataFrame
    key: np.ndarray           # agency -> office key ("xa" for communes, "" for non-receiving)
    weight: np.ndarray        # agency -> share of dossiers
    code: list[str]           # agency -> identifier used in dossier codes
    handlers: list[str]       # handler index -> name
    role_start: np.ndarray    # [agency, role] -> first handler index
    role_count: np.ndarray    # [agency, role] -> number of handlers
    lateness: np.ndarray      # handler -> late-rate multiplier (specialists)
    lateness_of_agency: np.ndarray  # agency -> late-rate multiplier
    partner_index: dict[str, int]
    # The two-tier structure from REFORM_DATE (names.NEW_COMMUNES ...): who
    # receives what an old unit would have received, and the lineage.
    after_index: np.ndarray   # agency -> the agency that handles its work from REFORM_DATE
    split_index: int          # the old commune split in two (-1: none)
    split_alt: int            # its second successor, which gets part of its area's new dossiers
    lineage: dict[str, tuple[str, ...]]   # old unit -> successors, the first taking its history


def _person_names(rng: np.random.Generator, count: int) -> list[str]:
    families = [f for f, _ in names.FAMILY_NAMES]
    fam_p = np.array([w for _, w in names.FAMILY_NAMES])
    fam_p = fam_p / fam_p.sum()
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        female = rng.random() < 0.55
        middle = names.FEMALE_MIDDLE if female else names.MALE_MIDDLE
        given = names.FEMALE_GIVEN if female else names.MALE_GIVEN
        name = " ".join((families[rng.choice(len(families), p=fam_p)],
                         middle[rng.integers(len(middle))], given[rng.integers(len(given))]))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _build_office(rng: np.random.Generator) -> _Office:
    rows: list[tuple[str, str, str | None]] = [(names.DISTRICT_AGENCY, "Huyện", None)]
    keys, weights, codes = [""], [0.0], [f"000.00.{names.DISTRICT_CODE}.{names.PROVINCE_CODE}"]
    commune_total = sum(size for _, size in names.COMMUNES)
    office_total = sum(share for _, share in names.OFFICES.values())
    staff: list[tuple[int, int]] = [(0, _LEADER), (0, _DEPUTY), (0, _DEPUTY)]  # (agency, role)
    for i, (key, (name, share)) in enumerate(names.OFFICES.items(), start=1):
        a = len(rows)
        rows.append((name, "Huyện", names.DISTRICT_AGENCY))
        keys.append(key)
        weights.append(0.42 * share / office_total)
        codes.append(f"000.{i:02d}.{names.DISTRICT_CODE}.{names.PROVINCE_CODE}")
        staff += [(a, _RECEPTION)] * int(np.clip(round(share / 8), 1, 4))
        staff += [(a, _SPECIALIST)] * int(np.clip(round(share / 2.5), 2, 10))
        staff += [(a, _DEPUTY)] * (1 + (share > 5)) + [(a, _LEADER)]
    for i, (name, size) in enumerate(names.COMMUNES, start=31):
        a = len(rows)
        rows.append((name, "Xã", names.DISTRICT_AGENCY))
        keys.append("xa")
        weights.append(0.58 * size / commune_total)
        codes.append(f"000.{i:02d}.{names.DISTRICT_CODE}.{names.PROVINCE_CODE}")
        staff += [(a, _RECEPTION)] * (2 + (size > 1.2)) + [(a, _SPECIALIST)] * (3 + (size > 1.5))
        staff += [(a, _DEPUTY)] * (1 + (size > 1.0)) + [(a, _LEADER)]
    partner_index = {}
    for i, (key, name) in enumerate(names.PARTNERS.items(), start=81):
        a = len(rows)
        partner_index[key] = a
        rows.append((name, "Huyện", None))
        keys.append("")
        weights.append(0.0)
        codes.append(f"000.{i:02d}.{names.DISTRICT_CODE}.{names.PROVINCE_CODE}")
        staff += [(a, _SPECIALIST)] * 3 + [(a, _LEADER)]
    # The units of the two-tier structure: they receive nothing of their own
    # (weight 0); from REFORM_DATE they handle what their predecessors would have.
    new_rows: list[tuple[str, str, str | None]] = [(names.SERVICE_CENTRE, "Tỉnh", names.PROVINCE_AGENCY)]
    new_rows += [(name, "Tỉnh", names.PROVINCE_AGENCY) for name in dict.fromkeys(names.PROVINCE_OFFICES.values())]
    new_rows += [(name, "Tỉnh", None) for name in names.PROVINCE_PARTNERS.values()]
    old_names = {r[0] for r in rows}
    new_rows += [(name, "Xã", names.PROVINCE_AGENCY) for name in names.NEW_COMMUNES if name not in old_names]
    for i, row in enumerate(new_rows, start=101):
        rows.append(row)
        keys.append("")
        weights.append(0.0)
        codes.append(f"000.{i:03d}.00.{names.PROVINCE_CODE}")
    index = {r[0]: i for i, r in enumerate(rows)}
    lineage = names.LINEAGE
    after_index = np.arange(len(rows))
    for old, new in lineage.items():
        after_index[index[old]] = index[new[0]]
    split = next((old for old, new in lineage.items() if len(new) > 1), None)
    # A new commune that took an old one's name: the province's (the old one,
    # split from it at the write, keeps the district: _write_lineage).
    rows = [(n, lvl, names.PROVINCE_AGENCY if n in names.NEW_COMMUNES else parent) for n, lvl, parent in rows]
    n_agencies = len(rows)
    staff.sort()   # by agency, then role: each (agency, role) is a run of handler indices
    role_start = np.zeros((n_agencies, 5), dtype=np.int64)
    role_count = np.zeros((n_agencies, 5), dtype=np.int64)
    for idx, (a, role) in enumerate(staff):
        if role_count[a, role] == 0:
            role_start[a, role] = idx
        role_count[a, role] += 1
    # Whoever receives a liên thông dossier from elsewhere, its specialists handle that step.
    role_start[:, _PARTNER], role_count[:, _PARTNER] = role_start[:, _SPECIALIST], role_count[:, _SPECIALIST]
    handlers = _person_names(rng, len(staff))
    lateness = np.exp(rng.normal(0.0, 0.3, len(staff)))
    key_arr = np.array(keys)
    agencies = pd.DataFrame(rows, columns=["name", "level", "parent"]).astype("str")
    agencies["parent"] = agencies["parent"].where(agencies["parent"] != "None", None)
    # The unit model of issue 14: partners are vertical-ministry offices; the
    # old units ended on 30/6/2025 and the new ones began on 1/7/2025.
    vertical = {*names.PARTNERS.values(), *names.PROVINCE_PARTNERS.values()}
    agencies["kind"] = np.where(agencies["name"].isin(vertical), "vertical", "local")
    ended = agencies["name"].isin(list(lineage))
    began = agencies["name"].isin([r[0] for r in new_rows])
    agencies["valid_from"] = pd.Series(np.where(began, np.datetime64(REFORM_DATE, "D"), np.datetime64("NaT")),
                                       dtype="datetime64[s]").dt.date.astype(object).where(began, None)
    agencies["valid_to"] = pd.Series(np.where(ended, np.datetime64(REFORM_DATE - timedelta(days=1), "D"),
                                              np.datetime64("NaT")),
                                     dtype="datetime64[s]").dt.date.astype(object).where(ended, None)
    # The one-stop system's agency codes ("000.01.22.H12"): the units' codes.
    agencies["code"] = pd.Series(codes, dtype=object)
    lateness_of_agency = np.array([_AGENCY_LATENESS.get(k, 1.0) for k in keys])
    return _Office(agencies, key_arr, np.array(weights), codes, handlers, role_start, role_count, lateness,
                   lateness_of_agency, partner_index, after_index,
                   index[split] if split else -1, index[lineage[split][1]] if split else -1, lineage)


def _mark_late_handlers(office: _Office, catalog: _Catalog) -> None:
    """Make the busiest specialists of a few offices markedly late.

    Busy on purpose: a late specialist who handles little would hide among the
    one-stop officers, whose return step inherits every late dossier's delay.
    A specialist's expected load is the catalogue weight of the procedures he
    or she usually handles (the same rule as in the chunks).
    """
    for key, how_many in _LATE_HANDLERS:
        agencies_ = np.flatnonzero(office.key == key)
        if key == "xa":   # only the busiest commune's
            agencies_ = agencies_[[int(np.argmax(office.weight[agencies_]))]]
        for a in agencies_:
            count = office.role_count[a, _SPECIALIST]
            procs = np.flatnonzero((catalog.pool == key) & (catalog.weight > 0))
            load = np.bincount((procs * 7 + a) % count, weights=catalog.weight[procs], minlength=count)
            for j in np.argsort(-load, kind="stable")[:how_many]:
                office.lateness[office.role_start[a, _SPECIALIST] + j] = _LATE_HANDLER_FACTOR


# -- the catalogue ---------------------------------------------------------------------
@dataclass
class _Catalog:
    frame: pd.DataFrame
    pool: np.ndarray          # procedure -> office key whose dossiers may use it
    weight: np.ndarray
    days: np.ndarray          # legal processing time, working days
    partner: np.ndarray       # procedure -> partner key ("" if none)
    online_level: np.ndarray  # index into ONLINE_LEVELS
    fee: np.ndarray
    active_from: np.ndarray   # datetime64[D], inclusive
    active_to: np.ndarray     # datetime64[D], inclusive


def _build_catalog(rng: np.random.Generator, as_of: date, start: date) -> _Catalog:
    recs: list[dict] = []
    for level, field, office, entries in names.CATALOG:
        lo, hi = names.FIELD_DAYS[field]
        online_p = names.FIELD_ONLINE.get(field, names.DEFAULT_ONLINE)
        for name, weight, days, partner in entries:
            online = int(rng.choice(3, p=online_p))
            if weight >= 2 and online == 2:   # busy procedures all have an online service
                online = 1
            recs.append(dict(
                name=clean_text(name), field=field, level=level, pool=office or "xa", weight=weight,
                days=int(rng.integers(lo, hi + 1)) if days is None else days, partner=partner or "",
                online=online, fee=field in names.FEE_FIELDS,
            ))
    span = (as_of - start).days
    never_before = np.datetime64(date(1900, 1, 1), "D")
    never_after = np.datetime64(date(2999, 12, 31), "D")

    def old_publication() -> date:
        return start - timedelta(days=int(rng.integers(30, 2200)))

    out: list[dict] = []
    for rec in recs:
        rec.update(published=old_publication(), in_force=True, active_from=never_before, active_to=never_after)
        # One roll decides the life story; the bands below are exclusive.
        roll = rng.random()
        if rec["name"] in names.ABOLISHED_WITHOUT_REPLACEMENT:
            end = as_of - timedelta(days=int(rng.integers(300, 1300)))
            rec.update(in_force=False, active_to=np.datetime64(end, "D"))
        elif rec["weight"] > 0 and roll < 0.07:
            # Replaced by a new code (same name) during the period.
            switch = start + timedelta(days=int(span * rng.uniform(0.15, 0.85)))
            new = dict(rec, published=switch, active_from=np.datetime64(switch, "D"))
            rec.update(in_force=False, active_to=np.datetime64(switch - timedelta(days=1), "D"))
            out.append(new)
        elif 0 < rec["weight"] < 1.0 and roll < 0.17:
            # Dormant: nothing received for more than three years.
            end = shift_years(as_of, -3) - timedelta(days=int(rng.integers(20, 500)))
            rec.update(active_to=np.datetime64(end, "D"))
        elif 0 < rec["weight"] < 2.0 and roll < 0.22:
            # Published during the period: dossiers only after publication.
            pub = as_of - timedelta(days=int(rng.integers(90, min(span, 900) + 91)))
            rec.update(published=pub, active_from=np.datetime64(pub, "D"))
        elif rec["weight"] == 0 and roll < 0.1:
            # Published but long since abolished, never used.
            rec.update(in_force=False)
        out.append(rec)
    # A handful of historic codes abolished before the period, kept in the catalogue.
    for i in rng.choice(len(recs), size=10, replace=False):
        old = dict(recs[int(i)], weight=0.0, in_force=False,
                   published=start - timedelta(days=int(rng.integers(2300, 3500))))
        out.append(old)

    numbers = rng.choice(np.arange(1000, 13000), size=len(out), replace=False)
    prefix = np.where(rng.random(len(out)) < 0.8, 1, 2)
    codes = [f"{p}.{n:06d}.000.00.00.{names.PROVINCE_CODE}" for p, n in zip(prefix, numbers, strict=True)]
    frame = pd.DataFrame({
        "code": codes,
        "name": [r["name"] for r in out],
        "field": [r["field"] for r in out],
        "level": [r["level"] for r in out],
        "online_level": [ONLINE_LEVELS[r["online"]] for r in out],
        "published_on": np.array([r["published"] for r in out], dtype="datetime64[D]").astype("datetime64[s]"),
        "in_force": np.array([r["in_force"] for r in out], dtype=bool),
        # Thời hạn giải quyết: the legal time limit the demo's due dates follow.
        "time_limit_value": np.array([r["days"] for r in out], dtype=float),
        "time_limit_unit": "working_days",
        # The 766 catalogue attributes are set by _catalog_766 (own random stream).
        "paper_result": pd.array([None] * len(out), dtype="boolean"),
        "fee_bearing": pd.array([r["fee"] for r in out], dtype="boolean"),
        "fully_online_eligible": pd.array([None] * len(out), dtype="boolean"),
    }).astype({"code": "str", "name": "str", "field": "str", "level": "str", "online_level": "str"})
    return _Catalog(
        frame=frame,
        pool=np.array([r["pool"] for r in out]),
        weight=np.array([r["weight"] for r in out], dtype=float),
        days=np.array([r["days"] for r in out], dtype=np.int64),
        partner=np.array([r["partner"] for r in out]),
        online_level=np.array([r["online"] for r in out], dtype=np.int64),
        fee=np.array([r["fee"] for r in out], dtype=bool),
        active_from=np.array([r["active_from"] for r in out], dtype="datetime64[D]"),
        active_to=np.array([r["active_to"] for r in out], dtype="datetime64[D]"),
    )


def _catalog_766(rng: np.random.Generator, catalog: _Catalog) -> None:
    """The catalogue attributes the 766 index's denominators use.

    Most procedures give a paper result (a certificate, a licence); every
    toàn trình procedure is eligible for toàn trình and a third of the
    một phần ones are too (the province has not yet moved them), none of
    the offline ones.
    """
    n = len(catalog.frame)
    level = catalog.online_level
    catalog.frame["paper_result"] = pd.array(rng.random(n) < 0.85, dtype="boolean")
    eligible = (level == 0) | ((level == 1) & (rng.random(n) < 0.35))
    catalog.frame["fully_online_eligible"] = pd.array(eligible, dtype="boolean")


def _categorical(codes: np.ndarray, categories: list[str] | np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype="str"))


# -- generation ------------------------------------------------------------------------
@dataclass
class _Context:
    """What every chunk of dossiers shares."""

    as_of: date
    start: date
    years: int
    days: np.ndarray          # working days, datetime64[D]
    cut_day: int              # index of the last working day on or before as_of
    w_cut: int                # last working minute on or before as_of
    office: _Office
    catalog: _Catalog
    field_of_proc: np.ndarray
    field_names: list[str]
    name_of_proc: np.ndarray
    procedure_names: list[str]
    step_names: list[str]
    partner_step: dict[str, int]
    steps_per_dossier: int | None
    day_text: pa.Array        # working day -> "yymmdd"
    agency_text: pa.Array     # agency -> identifier in dossier codes
    rng766: np.random.Generator  # the 766 sources' own stream (see _flags_766)


def _step_names() -> tuple[list[str], dict[str, int]]:
    """Every step name, and the index of each partner agency's own step."""
    extra = list(names.PARTNER_STEP.values()) + [names.DEFAULT_PARTNER_STEP]
    all_names = list(STEP_NAMES) + [s for s in dict.fromkeys(extra) if s not in STEP_NAMES]
    return all_names, {k: all_names.index(v) for k, v in names.PARTNER_STEP.items()}


def iter_frames(
    as_of: date,
    years: int = 5,
    dossiers_per_year: int | None = None,
    seed: int = 2026,
    steps_per_dossier: int | None = None,
    chunk_size: int = 1_000_000,
    start: date | None = None,
) -> Iterator[dict[str, pd.DataFrame]]:
    """The demo office in chunks of at most ``chunk_size`` dossiers, oldest first.

    The first chunk also carries ``agencies`` and ``procedures``; every chunk
    has ``dossiers`` and their ``steps``. Memory stays bounded by one chunk,
    so a benchmark can stream ten million dossiers into a database. The same
    arguments always give the same chunks. See :func:`generate_frames`.
    With ``start`` the history runs from that day to ``as_of`` (``years`` is
    then ignored; a last partial year gets its share of a year's dossiers).
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    if steps_per_dossier is not None and steps_per_dossier not in (3, 4, 5):
        raise ValueError("steps_per_dossier must be 3, 4 or 5")
    rng = np.random.default_rng(seed)
    bounds = fixed_bounds(start, as_of) if start is not None else year_bounds(as_of, years)
    years = len(bounds) - 1
    start = bounds[0] + timedelta(days=1)
    days = _working_days(start - timedelta(days=40), as_of + timedelta(days=500))
    cut_day = int(np.searchsorted(days, np.datetime64(as_of, "D"), side="right")) - 1
    office = _build_office(rng)
    catalog = _build_catalog(rng, as_of, start)
    # The 766 sources draw from their own stream, so adding them left every
    # other column of the demo as it was.
    rng766 = np.random.default_rng([seed, 766])
    _catalog_766(rng766, catalog)
    _mark_late_handlers(office, catalog)
    field_of_proc, field_uniques = pd.factorize(catalog.frame["field"])
    # Names repeat across codes (Xã and Huyện, old and new code): categories must be unique.
    name_of_proc, name_uniques = pd.factorize(catalog.frame["name"])
    step_names, partner_step = _step_names()
    ctx = _Context(
        as_of=as_of, start=start, years=years, days=days, cut_day=cut_day,
        w_cut=cut_day * DAY_MINUTES + DAY_MINUTES - 1, office=office, catalog=catalog,
        field_of_proc=field_of_proc, field_names=list(field_uniques),
        name_of_proc=name_of_proc, procedure_names=list(name_uniques),
        step_names=step_names, partner_step=partner_step, steps_per_dossier=steps_per_dossier,
        day_text=pa.array(pd.DatetimeIndex(days).strftime("%y%m%d").to_numpy(dtype=object), pa.string()),
        agency_text=pa.array(office.code, pa.string()),
        rng766=rng766,
    )

    month = days.astype("datetime64[M]").astype(np.int64) % 12
    weekday = (days.astype(np.int64) + 3) % 7   # 1970-01-01 was a Thursday
    day_weight = _MONTH_FACTOR[month] * _WEEKDAY_FACTOR[weekday]
    minute_p = np.where(np.arange(DAY_MINUTES) < MORNING_MINUTES, 1.3, 1.0)
    minute_p[DAY_MINUTES - 20:] = 0.2   # little is received in the last minutes of the day
    minute_p /= minute_p.sum()

    first = True
    for k in range(years):
        if dossiers_per_year is not None:
            n_k = int(dossiers_per_year)
        else:
            n_k = 45_000 if years == 1 else round(40_000 + 10_000 * k / (years - 1))
        if start is not None:  # the last year may be cut short at as_of
            n_k = round(n_k * min(1.0, (bounds[k + 1] - bounds[k]).days / 365))
        lo = int(np.searchsorted(days, np.datetime64(bounds[k], "D"), side="right"))
        hi = min(int(np.searchsorted(days, np.datetime64(bounds[k + 1], "D"), side="right")), cut_day + 1)
        if hi <= lo or n_k <= 0:
            continue
        p = day_weight[lo:hi] / day_weight[lo:hi].sum()
        rday = np.sort(lo + rng.choice(hi - lo, size=n_k, p=p))
        # Chunks end at day boundaries, so codes (numbered per agency and day) stay unique.
        pieces = max(1, math.ceil(n_k / chunk_size))
        cuts = [0] + [int(np.searchsorted(rday, rday[min(n_k - 1, i * n_k // pieces)], side="left"))
                      for i in range(1, pieces)] + [n_k]
        for a, b in zip(cuts[:-1], cuts[1:], strict=True):
            if b <= a:
                continue
            minute = rng.choice(DAY_MINUTES, size=b - a, p=minute_p)
            dossiers, steps = _generate_chunk(rng, ctx, rday[a:b], minute)
            chunk = {"dossiers": dossiers, "steps": steps}
            if first:
                chunk = {"agencies": office.agencies, "procedures": catalog.frame, **chunk}
                first = False
            yield chunk
    if first:   # nothing received at all (e.g. dossiers_per_year=0)
        empty = _generate_chunk(rng, ctx, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        yield {"agencies": office.agencies, "procedures": catalog.frame,
               "dossiers": empty[0], "steps": empty[1]}


def generate_frames(
    as_of: date,
    years: int = 5,
    dossiers_per_year: int | None = None,
    seed: int = 2026,
    steps_per_dossier: int | None = None,
    start: date | None = None,
) -> dict[str, pd.DataFrame]:
    """Generate the demo office's tables.

    Args:
        as_of: the data date; nothing happens after it except due dates.
        years: whole years of history up to ``as_of``.
        dossiers_per_year: fixed yearly volume; by default it grows from
            40 000 to 50 000.
        seed: the same seed gives the same frames.
        steps_per_dossier: 3, 4 or 5 steps for every dossier (the benchmark
            uses 4); by default 3–5 depending on the procedure.
        start: a fixed first day of the history instead of ``years``
            counted back from ``as_of`` (:data:`DEMO_START` for the product).

    Returns:
        ``{"agencies", "procedures", "dossiers", "steps"}``, columns exactly
        as the tables of ``analytics/store/sql/schema.sql`` without ``import_id``.
        Repeated text columns are categoricals and codes arrow-backed strings,
        so millions of rows stay compact. For more rows than fit in memory
        twice, stream :func:`iter_frames` instead.
    """
    chunks = list(iter_frames(as_of, years, dossiers_per_year, seed, steps_per_dossier, start=start))
    out = {"agencies": chunks[0]["agencies"], "procedures": chunks[0]["procedures"]}
    for table in ("dossiers", "steps"):
        parts = [c[table] for c in chunks]
        out[table] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    return out


def _generate_chunk(
    rng: np.random.Generator, ctx: _Context, rday: np.ndarray, minute: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dossiers received on the given working days and minutes, and their steps."""
    office, catalog, days = ctx.office, ctx.catalog, ctx.days
    cut_day, w_cut, years = ctx.cut_day, ctx.w_cut, ctx.years
    received = rday * DAY_MINUTES + minute
    order = np.argsort(received, kind="stable")
    received, rday, minute = received[order], rday[order], minute[order]
    n = len(received)
    t_years = (days[rday] - np.datetime64(ctx.start, "D")).astype(np.int64) / 365.25
    t_frac = np.clip(t_years / years, 0.0, 1.0)

    # ---- who and what: agency, procedure ----------------------------------------------
    agency = rng.choice(len(office.weight), size=n, p=office.weight / office.weight.sum())
    pool_of_agency = office.key[agency]
    proc = np.full(n, -1, dtype=np.int64)
    rdate = days[rday]
    for pool in np.unique(pool_of_agency):
        members = np.flatnonzero(pool_of_agency == pool)
        candidates = np.flatnonzero((catalog.pool == pool) & (catalog.weight > 0))
        p = catalog.weight[candidates] / catalog.weight[candidates].sum()
        pending = members
        # Rejection sampling: a procedure is drawn only while it is in use.
        for _ in range(60):
            if len(pending) == 0:
                break
            drawn = candidates[rng.choice(len(candidates), size=len(pending), p=p)]
            ok = (catalog.active_from[drawn] <= rdate[pending]) & (rdate[pending] <= catalog.active_to[drawn])
            proc[pending[ok]] = drawn[ok]
            pending = pending[~ok]
        if len(pending):
            always = candidates[(catalog.active_from[candidates] <= np.datetime64(ctx.start, "D"))
                                & (catalog.active_to[candidates] >= np.datetime64(ctx.as_of, "D"))]
            proc[pending] = always[np.argmax(catalog.weight[always])]
    del rdate, pool_of_agency

    # ---- channel: online share rising ----------------------------------------------------
    if years > 1:
        slope = (_LAST_YEAR_ONLINE - _FIRST_YEAR_ONLINE) / (years - 1)
        online_target = _FIRST_YEAR_ONLINE - slope / 2 + slope * t_years
    else:
        online_target = np.full(n, 0.4)
    online_factor = _ONLINE_FACTOR[catalog.online_level[proc]]
    p_online = np.clip(online_target * online_factor / max(online_factor.mean() if n else 1.0, 1e-9), 0.0, 0.95)
    online = rng.random(n) < p_online
    channel = np.where(online, 1, np.where(rng.random(n) < 0.02, 2, 0))
    del online_target, online_factor, p_online

    # ---- deadline ---------------------------------------------------------------------
    legal_days = catalog.days[proc]
    same_day = legal_days == 0
    due_day = np.where(same_day, rday + (minute >= _LATE_INTAKE), rday + legal_days)
    due = np.where(same_day, due_day * DAY_MINUTES + DAY_MINUTES - 1, received + legal_days * DAY_MINUTES)
    due_clock = np.where(same_day, _CLOSE, _clock(minute))
    allowed = due - received

    # ---- liên thông ---------------------------------------------------------------------
    partner_key = catalog.partner[proc]
    share = np.select([partner_key == k for k in _PARTNER_SHARE], list(_PARTNER_SHARE.values()),
                      default=_DEFAULT_PARTNER_SHARE)
    inter = (partner_key != "") & (rng.random(n) < share)
    partner_agency = np.zeros(n, dtype=np.int64)
    for key in np.unique(partner_key[inter]):
        target = office.partner_index.get(key)
        if target is None:   # a specialised office of the district
            target = int(np.flatnonzero(office.key == key)[0])
        partner_agency[inter & (partner_key == key)] = target

    # ---- handlers ---------------------------------------------------------------------
    def pick(role: int, agencies_: np.ndarray) -> np.ndarray:
        count = office.role_count[agencies_, role]
        return office.role_start[agencies_, role] + rng.integers(0, np.maximum(count, 1))

    field_code = ctx.field_of_proc[proc]
    spec_count = office.role_count[agency, _SPECIALIST]
    # Each procedure has its usual specialist in each commune/office; sometimes a colleague steps in.
    preferred = office.role_start[agency, _SPECIALIST] + (proc * 7 + agency) % np.maximum(spec_count, 1)
    specialist = np.where(rng.random(n) < 0.75, preferred, pick(_SPECIALIST, agency))
    receptionist = pick(_RECEPTION, agency)
    returner = np.where(rng.random(n) < 0.7, receptionist, pick(_RECEPTION, agency))
    deputy = pick(_DEPUTY, agency)
    leader = np.where(rng.random(n) < 0.55, office.role_start[agency, _LEADER], pick(_DEPUTY, agency))
    partner_handler = np.where(inter, pick(_PARTNER, np.where(inter, partner_agency, agency)), specialist)
    del preferred, spec_count

    # ---- outcome: late or not, when finished ---------------------------------------------
    status = np.zeros(n, dtype=np.int8)
    refused = rng.random(n) < 0.0025
    # Online submissions of the last days not yet accepted by an officer.
    new_online = (rday >= cut_day - 2) & online & (rng.random(n) < 0.25) & ~refused
    status[refused] = 3
    status[new_online] = 1
    active = status == 0

    late_factor = office.lateness_of_agency[agency] * office.lateness[specialist]
    if years > 1:
        decay = math.log(_FIRST_YEAR_LATE / _LAST_YEAR_LATE) / (years - 1)
        level0 = _FIRST_YEAR_LATE * decay / (1 - math.exp(-decay))
        base_late = level0 * np.exp(-decay * t_years)
    else:
        base_late = np.full(n, 0.02)
    mean_factor = late_factor.mean() if n else 1.0
    late = active & (rng.random(n) < np.clip(base_late * late_factor / mean_factor, 0, 0.9))
    del late_factor, base_late

    due_day_start = due_day * DAY_MINUTES
    on_due_day = rng.random(n) < 0.2
    early_finish = received + np.maximum(5, (rng.beta(1.3, 2.2, n) * allowed).astype(np.int64))
    on_day_finish = np.maximum(received + 5,
                               due_day_start + (rng.random(n) * (due - due_day_start)).astype(np.int64))
    finish = np.minimum(np.where(on_due_day, on_day_finish, early_finish), due)
    del early_finish, on_day_finish, on_due_day, due_day_start
    days_over = rng.geometric(0.3, n) + np.where(rng.random(n) < 0.06, rng.integers(5, 40, n), 0)
    late_finish = (due_day + days_over) * DAY_MINUTES + rng.integers(0, DAY_MINUTES, n)
    finish = np.where(late, late_finish, finish)
    del days_over, late_finish

    # Stuck: open and overdue on the as-of date (a few older ones too).
    age = cut_day - rday
    stuck_p = np.where(age <= 66, 0.02, np.where(age <= 250, 0.0004, 0.0))
    stuck = active & (due_day < cut_day) & (rng.random(n) < stuck_p)
    # Waiting for the citizen's supplement for months (status 5; counts as within deadline).
    waiting = active & ~stuck & (age > 20) & (age < 300) & (rng.random(n) < 0.0008)
    finish = np.where(stuck | waiting, _NEVER, finish)
    late_shape = late | stuck | waiting
    del age, stuck_p

    # Withdrawn (7) or stopped (8): handling ends early.
    ended_early = active & ~late_shape & (finish <= w_cut) & (rng.random(n) < 0.006)
    withdrawn_or_stopped = np.where(rng.random(n) < 0.65, 7, 8)
    finish = np.where(ended_early,
                      received + np.maximum(1, (rng.uniform(0.15, 0.9, n) * (finish - received)).astype(np.int64)),
                      finish)

    # ---- steps --------------------------------------------------------------------------
    if ctx.steps_per_dossier is not None:
        n_steps = np.full(n, ctx.steps_per_dossier, dtype=np.int64)
    else:
        u = rng.random(n)
        short = legal_days <= 1
        long_ = legal_days >= 10
        n_steps = np.where(short, np.where(u < 0.65, 3, np.where(u < 0.95, 4, 5)),
                           np.where(long_, np.where(u < 0.1, 3, np.where(u < 0.5, 4, 5)),
                                    np.where(u < 0.3, 3, np.where(u < 0.75, 4, 5))))
        del u, short, long_
    n_steps = np.where(active, n_steps, 0)
    width = max(int(n_steps.max()) if n else 0, 3)
    pos = np.arange(width)

    partner_step = np.full(n, ctx.step_names.index(names.DEFAULT_PARTNER_STEP))
    for key, idx in ctx.partner_step.items():
        partner_step[partner_key == key] = idx
    name_tab = np.full((2, 6, width), -2, dtype=np.int64)
    share_tab = np.zeros((2, 6, width))
    for is_inter, templates in _TEMPLATES.items():
        for count, template in templates.items():
            if count <= width:
                name_tab[int(is_inter), count, :count] = template
    for is_inter, table in _DUE_SHARE.items():
        for count, shares in table.items():
            if count <= width:
                share_tab[int(is_inter), count, :count] = shares
    slot = name_tab[inter.astype(np.int64), n_steps]
    valid = pos[None, :] < n_steps[:, None]
    # The role comes from the template slot: a partner's step may share a name with a home step.
    at_partner = slot == _PARTNER_SLOT
    step_name = np.where(at_partner, partner_step[:, None], slot)
    role = np.where(at_partner, _PARTNER,
                    np.where(valid, np.array(_ROLE_OF_NAME)[np.clip(slot, 0, None)], _RECEPTION)).astype(np.int8)
    del slot, at_partner
    last = n_steps[:, None] - 1

    # Step allowances (Thời hạn quy định of each step) in working days, part
    # days included as systems keep hours: shares of the legal time, summing
    # to it. A one-stop system sets a step's deadline when the step is
    # received: its start plus its allowance (below, once the starts are
    # known), so a step that starts late is not late unless it overruns its
    # own allowance.
    # The dossier's time is counted in working minutes: a same-day procedure
    # received late is due the next day, its steps share that time too.
    cum_share = share_tab[inter.astype(np.int64), n_steps]
    allowance = np.diff(cum_share, axis=1, prepend=0.0) * (allowed / DAY_MINUTES)[:, None] * valid
    # Thousandths of a day, rounded up, as stored: the deadline below is
    # computed from it, so a step on its planned share is never past it.
    allowance = np.ceil(np.maximum(allowance, 0.0) * 1000) / 1000

    # Actual ends: each step takes its allowance's share of the handling time,
    # so a dossier finished on time has no step over its allowance; a late one
    # is planned on its legal time until its culprit step (below).
    span = np.where(late_shape, allowed, finish - received)
    ends = received[:, None] + (cum_share * span[:, None]).astype(np.int64)
    del cum_share
    ends = np.maximum.accumulate(ends, axis=1)
    # Withdrawn/stopped dossiers stop in the middle: later steps never happen.
    visible_steps = np.where(ended_early, np.minimum(n_steps, 1 + (rng.random(n) * n_steps).astype(np.int64)),
                             n_steps)
    ends = np.where(pos[None, :] == (visible_steps - 1)[:, None], finish[:, None], ends)
    # Late ones: the culprit step (appraisal, sometimes the signature) absorbs the
    # delay; the steps after it start late and so end late too.
    markedly_late = office.lateness[specialist] >= _LATE_HANDLER_FACTOR
    culprit = np.where((n_steps >= 4) & ~markedly_late & (rng.random(n) < 0.25), n_steps - 2, 1)
    finish_day_start = (np.minimum(finish, _NEVER) // DAY_MINUTES) * DAY_MINUTES
    culprit_end = np.where(finish >= _NEVER, _NEVER,
                           finish - (rng.random(n) * (finish - finish_day_start)).astype(np.int64))
    after = np.clip((pos[None, :] - culprit[:, None]) / np.maximum(last - culprit[:, None], 1), 0, 1)
    late_ends = np.where(pos[None, :] < culprit[:, None], ends,
                         culprit_end[:, None] + (after * (finish - culprit_end)[:, None]).astype(np.int64))
    del after
    late_ends = np.where(pos[None, :] == last, finish[:, None], late_ends)
    ends = np.where(late_shape[:, None], late_ends, ends)
    del late_ends
    valid &= pos[None, :] < visible_steps[:, None]
    starts = np.concatenate([received[:, None], ends[:, :-1]], axis=1)
    # Step deadlines: the start plus the allowance in working days (the clock
    # counts working minutes); a step of no allowance is due at the end of
    # the day it starts.
    # (a minute more, as the ends above are rounded down one by one, but never
    # past the dossier's due time on that account).
    raw_due = starts + np.ceil(allowance * DAY_MINUTES).astype(np.int64)
    step_due = np.where(allowance == 0, (starts // DAY_MINUTES) * DAY_MINUTES + DAY_MINUTES - 1,
                        np.minimum(raw_due + 1, np.maximum(due[:, None], raw_due)))
    del raw_due

    # What has happened by the as-of date.
    started = valid & (starts <= w_cut)
    done = started & (ends <= w_cut)
    finished = active & (finish <= w_cut)
    open_ = active & ~finished
    current = np.argmin(np.where(valid, done, True), axis=1)   # first step not done

    # ---- statuses --------------------------------------------------------------------------
    status = np.where(finished, 10, status).astype(np.int8)
    status = np.where(ended_early & finished, withdrawn_or_stopped, status).astype(np.int8)
    status = np.where(open_, np.where(current == 0, 2, 4), status).astype(np.int8)
    current_name = step_name[np.arange(n), np.minimum(current, width - 1)]
    awaiting_tax = open_ & inter & (current_name == ctx.partner_step["thue"]) & (rng.random(n) < 0.7)
    status = np.where(awaiting_tax, 6, status).astype(np.int8)
    supplement = open_ & ~stuck & (current > 0) & (rng.random(n) < 0.12)
    status = np.where(waiting | supplement | (stuck & (rng.random(n) < 0.15)), 5, status).astype(np.int8)

    # Returned to the citizen: electronic results at once, paper ones within days.
    electronic = online & (catalog.online_level[proc] == 0)
    r = rng.random(n)
    delay = np.where(electronic, rng.integers(0, 30, n),
                     np.where(r < 0.6, rng.integers(0, 120, n),
                              np.where(r < 0.9, rng.integers(1, 4, n) * DAY_MINUTES,
                                       rng.integers(4, 16, n) * DAY_MINUTES)))
    returned = finish + delay
    never_collected = rng.random(n) < 0.015
    is_result = finished & (status == 10)
    returned_ok = is_result & (returned <= w_cut) & ~never_collected
    status = np.where(is_result & ~returned_ok, 9, status).astype(np.int8)

    # ---- flags ------------------------------------------------------------------------
    fee = catalog.fee[proc]
    result_attached = (status >= 9) & (rng.random(n) < 0.35 + 0.6 * t_frac)
    paid = online & (status != 3) & (rng.random(n) < 0.25 + 0.5 * t_frac)
    paid_online = pd.array(paid & fee, dtype="boolean")
    paid_online[~fee] = pd.NA
    # Digitisation rises from about 40 % in the first year to about 85 % now.
    digitised = (status != 1) & (status != 3) & (rng.random(n) < 0.4 + 0.47 * t_frac)
    rated = (status == 10) & (rng.random(n) < 0.12)
    good = rng.choice(np.arange(1, 6), size=n, p=[0.01, 0.02, 0.07, 0.30, 0.60])
    bad = rng.choice(np.arange(1, 6), size=n, p=[0.15, 0.20, 0.30, 0.20, 0.15])
    satisfaction = pd.array(np.where(late, bad, good).astype(np.int8), dtype="Int8")
    satisfaction[~rated] = pd.NA

    flags766 = _flags_766(ctx.rng766, ctx, received, finish, status, online, fee, paid, t_frac)

    # ---- dossier codes: <agency id>-<yymmdd>-<sequence of the agency's day> -------------
    key = agency * len(days) + rday
    by_key = np.argsort(key, kind="stable")
    sorted_key = key[by_key]
    first = np.r_[True, sorted_key[1:] != sorted_key[:-1]] if n else np.zeros(0, dtype=bool)
    run_start = np.maximum.accumulate(np.where(first, np.arange(n), 0)) if n else np.zeros(0, dtype=np.int64)
    seq = np.empty(n, dtype=np.int64)
    seq[by_key] = np.arange(n) - run_start + 1
    code = pc.binary_join_element_wise(
        pc.take(ctx.agency_text, pa.array(agency)), pc.take(ctx.day_text, pa.array(rday)),
        pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), 4, "0"), "-")

    # ---- frames -------------------------------------------------------------------------
    def ts(w: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        return _to_timestamps(w, days, mask)

    due_ts = (days[np.clip(due_day, 0, len(days) - 1)].astype("datetime64[m]")
              + due_clock.astype("timedelta64[m]")).astype("datetime64[us]")
    has_finish = finished & (status >= 7)
    agency_names = office.agencies["name"].tolist()
    # From REFORM_DATE the two-tier units handle what their predecessors would
    # have (the handlers moved with the work); part of the split commune's
    # area goes to its second successor (a fixed share, no draw: the random
    # stream stays that of the district office).
    after = days[rday] >= np.datetime64(REFORM_DATE, "D")
    shown = np.where(after, office.after_index[agency], agency)
    if office.split_index >= 0:
        shown = np.where(after & (agency == office.split_index) & ((rday + proc) % 5 < 2), office.split_alt, shown)
    dossiers = pd.DataFrame({
        "code": pd.Series(code.to_pandas(), dtype="str"),
        "procedure_code": _categorical(proc, catalog.frame["code"].to_numpy()),
        "procedure_name": _categorical(ctx.name_of_proc[proc], ctx.procedure_names),
        "field": _categorical(field_code, ctx.field_names),
        "agency": _categorical(shown, agency_names),
        "channel": _categorical(channel, list(CHANNELS)),
        "received_at": ts(received),
        "due_at": due_ts,
        "finished_at": ts(finish, has_finish),
        "returned_at": ts(returned, returned_ok),
        "status": status.astype(np.int8),
        "inter_agency": inter,
        "result_attached": pd.array(result_attached, dtype="boolean"),
        "paid_online": paid_online,
        "digitised": pd.array(digitised, dtype="boolean"),
        "satisfaction": satisfaction,
        # Every demo dossier has its own due date, one date, one resolving
        # agency (the receiving one) and handlers on its steps.
        "due_computed": np.zeros(len(received), dtype=bool),
        "due_rescheduled_at": pd.Series(pd.NaT, index=range(len(received)), dtype="datetime64[us]"),
        "resolving_agency": pd.Series(None, index=range(len(received)), dtype="str"),
        "handler": pd.Series(None, index=range(len(received)), dtype="str"),
        "payment_gateway": flags766["payment_gateway"],
        "supplement_count": flags766["supplement_count"],
        "supplement_requested_at": ts(flags766["requested"], flags766["has_request"]),
        "supplement_completed_at": ts(flags766["completed"], flags766["has_completion"]),
        "data_reused": pd.array(flags766["data_reused"], dtype="boolean"),
        "citizen_store": pd.array(flags766["citizen_store"], dtype="boolean"),
        "vneid": pd.array(flags766["vneid"], dtype="boolean"),
        # The demo's exports name agencies, not their codes (the units carry them).
        "agency_code": pd.Series(None, index=range(len(received)), dtype="str"),
    })

    rows, cols = np.nonzero(started)
    role_rc = role[rows, cols]
    handler = np.select(
        [role_rc == _RECEPTION, role_rc == _SPECIALIST, role_rc == _DEPUTY, role_rc == _LEADER],
        [np.where(cols == 0, receptionist[rows], returner[rows]), specialist[rows], deputy[rows], leader[rows]],
        default=partner_handler[rows])
    step_agency = np.where(role_rc == _PARTNER,
                           np.where(after[rows], office.after_index[partner_agency[rows]], partner_agency[rows]),
                           shown[rows])
    steps = pd.DataFrame({
        "dossier_code": pd.Series(pc.take(code, pa.array(rows)).to_pandas(), dtype="str"),
        "step_no": (cols + 1).astype(np.int16),
        "step_name": _categorical(step_name[rows, cols], ctx.step_names),
        "handler": _categorical(handler, office.handlers),
        "agency": _categorical(step_agency, agency_names),
        "started_at": ts(starts[rows, cols]),
        "due_at": ts(step_due[rows, cols]),
        "finished_at": ts(ends[rows, cols], done[rows, cols]),
        "allowance_days": allowance[rows, cols],
    })
    return dossiers, steps


def _flags_766(
    rng: np.random.Generator, ctx: _Context, received: np.ndarray, finish: np.ndarray, status: np.ndarray,
    online: np.ndarray, fee: np.ndarray, paid: np.ndarray, t_frac: np.ndarray,
) -> dict:
    """The 766 index's per-dossier sources, improving over the years.

    Payment gateway (DuocThanhToanTrucTuyen) only for the online dossiers of
    fee-bearing procedures, agreeing with ``paid_online``: 0 not paid online,
    1 Cổng DVCQG, 2 the province's gateway (its share grows). Supplement
    requests on a few per cent of dossiers, with request and completion
    inside the handling time (the clock stops between them); a status 5
    dossier waits: its request date is set, its completion not. Data reuse,
    the citizen's store and VNeID accounts are known for every dossier;
    VNeID concerns online accounts, so direct dossiers have none.
    """
    n = len(received)
    counted = (status != 1) & (status != 3)
    gateway = np.where(paid, np.where(rng.random(n) < 0.15 + 0.45 * t_frac, 2, 1), 0).astype(np.int8)
    payment_gateway = pd.array(gateway, dtype="Int8")
    payment_gateway[~(fee & online)] = pd.NA

    waiting = status == 5
    requested_some = counted & ((rng.random(n) < 0.04) | waiting)
    u = rng.random(n)
    count = np.where(u < 0.8, 1, np.where(u < 0.97, 2, 3))
    supplement_count = pd.array(np.where(requested_some, count, 0).astype(np.int16), dtype="Int16")
    end = np.minimum(finish, ctx.w_cut)
    span = np.maximum(end - received, 2)
    # The (last) request comes in the first half of the handling, the answer before the end.
    requested = received + 1 + (rng.uniform(0.05, 0.5, n) * span).astype(np.int64)
    requested = np.where(waiting, np.minimum(requested, ctx.w_cut), requested)
    completed = requested + (rng.uniform(0.1, 0.9, n) * np.maximum(end - requested, 1)).astype(np.int64)
    has_completion = requested_some & ~waiting & (completed <= end)

    data_reused = rng.random(n) < 0.15 + 0.6 * t_frac
    citizen_store = rng.random(n) < 0.05 + 0.5 * t_frac
    vneid = online & (rng.random(n) < 0.3 + 0.65 * t_frac)
    return {
        "payment_gateway": payment_gateway, "supplement_count": supplement_count,
        "requested": requested, "has_request": requested_some,
        "completed": completed, "has_completion": has_completion,
        "data_reused": data_reused, "citizen_store": citizen_store, "vneid": vneid,
    }


# -- writing ---------------------------------------------------------------------------
# Fixed statements over fixed table names: nothing user-supplied reaches SQL text.
_CLEAR = (
    "delete from steps", "delete from dossiers", "delete from procedures", "delete from agencies",
    "delete from import_rejects", "delete from import_log", "delete from unit_lineage",
    "delete from unit_overrides", "delete from agency_current", "delete from unit_namesakes",
)
_LOAD = (
    ("agencies", "insert into agencies by name select * from demo_agencies"),
    ("procedures", "insert into procedures by name select * from demo_procedures"),
    ("dossiers", "insert into dossiers by name select *, $import_id as import_id from demo_dossiers"),
    ("steps", "insert into steps by name select *, $import_id as import_id from demo_steps"),
)
_LOG = """
insert into import_log (
    import_id, started_at, finished_at, files,
    dossiers_accepted, dossiers_rejected, steps_accepted, steps_rejected,
    procedures_accepted, procedures_rejected, agencies_accepted, agencies_rejected,
    dropped_columns, ignored_columns, rejects_file, source)
values ($import_id, $started, $finished, [],
    $dossiers, 0, $steps, 0, $procedures, 0, $agencies, 0, [], [], null, 'demo')
"""


def insert_frames(con, frames: dict[str, pd.DataFrame], import_id: int | None = None) -> dict[str, int]:
    """Insert generated frames (one chunk) into an open analytics database.

    Returns the number of rows inserted per table.
    """
    counts: dict[str, int] = {}
    for table, statement in _LOAD:
        if table not in frames:
            continue
        view = f"demo_{table}"   # table names come from the fixed tuple above
        con.register(view, frames[table])
        if "$import_id" in statement:
            con.execute(statement, {"import_id": import_id})
        else:
            con.execute(statement)
        con.unregister(view)
        counts[table] = len(frames[table])
    return counts


def _write_lineage(con) -> None:
    """The demo's lineage, confirmed as an officer would set it (inside the write)."""
    register_units(con)  # the units get their ids before the lineage names them
    ids = dict(con.execute("select name, unit_id from agencies").fetchall())
    for old, new in names.LINEAGE.items():
        if old in ids and all(n in ids for n in new):
            set_successors(con, ids[old], [ids[n] for n in new], REFORM_DATE, source=SOURCE_OFFICER)
    for name in names.NAMESAKES:
        if name in ids:
            # The old commune was the district's; the new one is the province's.
            split_namesake(con, ids[name], REFORM_DATE, source=SOURCE_OFFICER, parent=names.DISTRICT_AGENCY)


def build_demo(
    db_path: str | os.PathLike[str],
    as_of: date | None = None,
    seed: int = 2026,
    *,
    years: int | None = None,
    dossiers_per_year: int | None = None,
    contacts: bool = True,
) -> dict:
    """Write a fresh demo database at ``db_path``, replacing all its rows atomically.

    Existing rows are deleted inside the same write, so readers see either the
    old data or the complete demo, never a mixture. One ``import_log`` row with
    ``source = 'demo'`` records the build.

    With ``contacts``, every handler and a leader per agency get unreachable
    contacts in the operational store beside the database, so reminders can
    be previewed (:mod:`analytics.demo.contacts`; only into an empty book).

    ``years`` and ``dossiers_per_year`` are for tests; the product uses the
    defaults: the history from :data:`DEMO_START` to ``as_of`` (about 45
    thousand dossiers a year, ~225 thousand over five years), always spanning
    1/7/2025, with the lineage of the two-tier structure
    (:data:`names.LINEAGE`) written as an officer would set it.

    Returns:
        Row counts per table (``agencies``, ``procedures``, ``dossiers``,
        ``steps``) plus ``as_of`` (ISO date), ``seconds``, and
        ``contacts_added`` / ``contacts_kept`` (see ``add_demo_contacts``).
    """
    as_of = as_of or office_today()
    t0 = time.perf_counter()
    started = office_now().replace(microsecond=0, tzinfo=None)
    counts = dict.fromkeys(("agencies", "procedures", "dossiers", "steps"), 0)
    store = AnalyticsStore(db_path)
    staff: set[tuple[str, str]] = set()
    agencies: set[str] = set()
    with store.write() as con:
        for statement in _CLEAR:
            con.execute(statement)
        import_id = con.execute("select coalesce(max(import_id), 0) + 1 from import_log").fetchall()[0][0]
        start = DEMO_START if years is None else None
        for chunk in iter_frames(as_of, years=years or 5, dossiers_per_year=dossiers_per_year, seed=seed,
                                 start=start):
            for table, n in insert_frames(con, chunk, import_id).items():
                counts[table] += n
            pairs = chunk["steps"][["handler", "agency"]].astype("object").drop_duplicates()
            staff.update(pairs.itertuples(index=False, name=None))
            if "agencies" in chunk:  # the catalogue comes with the first chunk only
                agencies.update(chunk["agencies"]["name"].astype("object"))
        _write_lineage(con)
        con.execute(_LOG, {
            "import_id": import_id, "started": started, "finished": office_now().replace(microsecond=0, tzinfo=None),
            **counts,
        })
    # Contacts for today's units only: the old ones no longer receive anything.
    staff = {(h, a) for h, a in staff if a not in names.LINEAGE}
    agencies = {a for a in agencies if a not in names.LINEAGE}
    added, kept = (add_demo_contacts(OpsStore.beside(db_path), staff, agencies, units=UnitRegistry(db_path))
                   if contacts else (0, 0))
    return {**counts, "as_of": as_of.isoformat(), "seconds": round(time.perf_counter() - t0, 2),
            "contacts_added": added, "contacts_kept": kept}


__all__ = ["generate_frames", "iter_frames", "insert_frames", "build_demo", "year_bounds", "shift_years",
           "fixed_bounds", "DEMO_START", "STATUS_NAMES", "CHANNELS"]
