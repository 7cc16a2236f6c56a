"""The indicators computed a second way, in plain pandas.

Not used by the product, so it lives in scripts/. The benchmark
(scripts/bench_engine.py) times it against the engine, and
tests/test_pandas_reference.py checks that both agree on generated data: two
independent implementations of docs/INDICATORS.md.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from analytics.indicators.filters import Filters
from analytics.locale.workdays import default_calendar


def prepare(dossiers: pd.DataFrame, steps: pd.DataFrame, agencies: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Frames with day-resolution columns, status 1 and 3 left out (done once, untimed)."""
    d = _plain(dossiers[~dossiers["status"].isin([1, 3])])
    for col in ("received_at", "due_at", "finished_at"):
        d[col.replace("_at", "_on")] = pd.to_datetime(d[col]).dt.normalize()
    d = d.merge(agencies[["name", "level"]].rename(columns={"name": "agency", "level": "agency_level"}),
                on="agency", how="left")
    s = _plain(steps[steps["dossier_code"].isin(d["code"])])
    s = s.merge(d[["code", "procedure_code", "field", "channel"]].rename(columns={"code": "dossier_code"}),
                on="dossier_code", how="left")
    s = s.merge(agencies[["name", "level"]].rename(columns={"name": "agency", "level": "agency_level"}),
                on="agency", how="left")
    s["due_on"] = pd.to_datetime(s["due_at"]).dt.normalize()
    s["finished_on"] = pd.to_datetime(s["finished_at"]).dt.normalize()
    s["caused_late"] = _caused(s, d)
    return {"dossiers": d, "steps": s}


def _caused(s: pd.DataFrame, d: pd.DataFrame) -> pd.Series:
    """Whether each step caused lateness (docs/INDICATORS.md, "Trễ do bước
    nào"), step by step with the Python calendar: only late steps can."""
    calendar = default_calendar()
    wd = calendar.working_days_between
    s = s.sort_values(["dossier_code", "step_no"])
    received = s["dossier_code"].map(d.set_index("code")["received_at"])
    by_dossier = s.groupby("dossier_code", sort=False)
    previous_due = by_dossier["due_at"].shift().fillna(received)
    start = s["started_at"].fillna(by_dossier["finished_at"].shift()).fillna(received)
    caused = pd.Series(False, index=s.index)
    late = s["finished_on"] > s["due_on"]
    for i in s.index[late]:
        due_on = s.at[i, "due_on"].date()
        finished_on = s.at[i, "finished_on"].date()
        start_on = pd.Timestamp(start[i]).date()
        given = s.at[i, "allowance_days"] if "allowance_days" in s.columns else None
        allowance = (float(given) if given is not None and not pd.isna(given)
                     else max(wd(pd.Timestamp(previous_due[i]).date(), due_on), 0))
        if wd(start_on, due_on) >= math.floor(allowance):  # started in time: its own lateness
            days = max(wd(due_on, finished_on), 1)
        else:
            days = max(wd(start_on, finished_on) - math.ceil(allowance), 0)
        caused[i] = days > 0
    return caused.reindex(s.index)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as plain strings: grouping several categoricals trips pandas."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
    return out


def _filter(frame: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The optional filters; ``agency`` and ``agency_level`` are the frame's own."""
    mask = pd.Series(True, index=frame.index)
    for key, column in (("agency", "agency"), ("field", "field"), ("channel", "channel"),
                        ("procedure", "procedure_code"), ("agency_level", "agency_level")):
        value = getattr(f, key)
        if value is not None:
            mask &= frame[column] == value
    if f.scope is not None:
        mask &= frame["agency"].isin(f.scope)
    return frame[mask]


def _classify(d: pd.DataFrame, f: Filters, as_of: date) -> pd.DataFrame:
    d = _filter(d, f)
    start, end, as_of_ts = pd.Timestamp(f.date_from), pd.Timestamp(f.date_to), pd.Timestamp(as_of)
    d = d[d["received_on"] <= end]
    fin = d["finished_on"]
    out = pd.DataFrame(index=d.index)
    out["agency"], out["field"], out["agency_level"] = d["agency"], d["field"], d["agency_level"]
    out["is_new"] = d["received_on"] >= start
    out["is_carried"] = (d["received_on"] < start) & (fin.isna() | (fin >= start))
    out["is_resolved"] = (fin >= start) & (fin <= end)
    out["is_pending"] = fin.isna() | (fin > end)
    out["is_online"] = d["channel"] == "online"
    out["channel_known"] = d["channel"].notna()
    # No due date: resolved on time, pending within time (docs/INDICATORS.md).
    no_due = d["due_on"].isna()
    out["no_due"] = no_due
    out["due_computed"] = d["due_computed"].fillna(False).astype(bool) if "due_computed" in d else False
    out["rescheduled"] = d["due_rescheduled_at"].notna() if "due_rescheduled_at" in d else False
    out["early"] = out["is_resolved"] & (fin < d["due_on"])
    out["on_time"] = out["is_resolved"] & ((fin == d["due_on"]) | no_due)
    out["late"] = out["is_resolved"] & (fin > d["due_on"])
    within = no_due | (d["due_on"] >= as_of_ts) | (d["status"] == 5)
    out["pending_within"] = out["is_pending"] & within
    out["pending_overdue"] = out["is_pending"] & ~within
    return out[out["is_new"] | out["is_carried"]]


def _counts(c: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "carried_over": c["is_carried"], "received_new": c["is_new"],
        "online": c["is_new"] & c["is_online"],
        "direct_postal": c["is_new"] & c["channel_known"] & ~c["is_online"],
        "channel_unknown": c["is_new"] & ~c["channel_known"], "no_due_date": c["no_due"],
        "due_computed": c["due_computed"], "rescheduled": c["rescheduled"],
        "resolved": c["is_resolved"], "early": c["early"], "on_time": c["on_time"], "late": c["late"],
        "pending": c["is_pending"], "pending_within": c["pending_within"],
        "pending_overdue": c["pending_overdue"],
    }).astype("int64")


def totals(frames: dict[str, pd.DataFrame], f: Filters, as_of: date) -> dict[str, float | int | None]:
    sums = _counts(_classify(frames["dossiers"], f, as_of)).sum()
    t = {k: int(v) for k, v in sums.items()}
    t["received_total"] = t["carried_over"] + t["received_new"]

    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    t["on_time_rate"] = ratio(t["early"] + t["on_time"], t["resolved"])
    t["online_share"] = ratio(t["online"], t["online"] + t["direct_postal"])
    t["progress_766"] = ratio(t["early"] + t["on_time"] + t["pending_within"], t["received_total"])
    return t


def by_dimension(frames: dict[str, pd.DataFrame], f: Filters, as_of: date, dim: str) -> pd.DataFrame:
    c = _classify(frames["dossiers"], f, as_of)
    grouped = _counts(c).groupby(c[dim], dropna=False).sum()
    grouped["late_rate"] = grouped["late"] / grouped["resolved"].replace(0, np.nan)
    return grouped.reset_index().sort_values(["late", dim], ascending=[False, True])


def _period_steps(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    s = _filter(frames["steps"], f)
    in_period = (s["finished_on"] >= pd.Timestamp(f.date_from)) & (s["finished_on"] <= pd.Timestamp(f.date_to))
    s = s[in_period]
    # late counts the lateness a step caused (contract of 2026-12-07).
    return s.assign(is_late=s["caused_late"])


def by_stage(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    s = _period_steps(frames, f)
    g = s.groupby("step_name").agg(steps=("is_late", "size"), late=("is_late", "sum")).reset_index()
    g["late_rate"] = g["late"] / g["steps"]
    return g.sort_values(["late", "step_name"], ascending=[False, True])


def by_handler(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    s = _period_steps(frames, f)
    g = s.groupby(["handler", "agency"]).agg(steps=("is_late", "size"), late=("is_late", "sum"))
    late_dossiers = s[s["is_late"]].groupby(["handler", "agency"])["dossier_code"].nunique()
    g["late_dossiers"] = late_dossiers.reindex(g.index, fill_value=0)
    return g.reset_index().sort_values(["late", "handler"], ascending=[False, True])


def procedures_without_dossiers(
    frames: dict[str, pd.DataFrame], procedures: pd.DataFrame, f: Filters
) -> pd.DataFrame:
    end = pd.Timestamp(f.date_to)
    window_start = end - pd.DateOffset(years=3)
    d = frames["dossiers"]
    last = d[d["received_on"] <= end].groupby("procedure_code")["received_on"].max()
    catalog = procedures[procedures["in_force"]].copy()
    catalog["last_received"] = catalog["code"].map(last)
    published = pd.to_datetime(catalog["published_on"])
    keep = (published.isna() | (published <= window_start)) & (
        catalog["last_received"].isna() | (catalog["last_received"] <= window_start)
    )
    return catalog[keep].sort_values("name")


def trend(frames: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    d = _filter(frames["dossiers"], f)
    start, end = pd.Timestamp(f.date_from), pd.Timestamp(f.date_to)
    new = d[(d["received_on"] >= start) & (d["received_on"] <= end)]
    received = new.groupby(new["received_on"].dt.to_period("M")).agg(
        received_new=("code", "size"), online=("channel", lambda c: int((c == "online").sum())))
    done = d[(d["finished_on"] >= start) & (d["finished_on"] <= end)]
    resolved = done.groupby(done["finished_on"].dt.to_period("M")).agg(
        resolved=("code", "size"))
    resolved["late"] = (done["finished_on"] > done["due_on"]).groupby(done["finished_on"].dt.to_period("M")).sum()
    return received.join(resolved, how="outer").fillna(0)
