#!/usr/bin/env bash
# The whole test suite with the real wall clock moved (time-machine, ticking)
# to dates where date code breaks: a month end in the past, a Tết holiday,
# 29 February, and years after the demo data. The office clock is pinned by
# tests/conftest.py, so every run must pass: a failure is code that read the
# wall clock instead of analytics/clock.py.
#
#   scripts/test_dates.sh                      the four dates below
#   scripts/test_dates.sh 2027-02-06 -k pages  one date, extra pytest arguments
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

DATES=(
    2026-09-30   # a month and quarter end, before the test data's "today"
    2027-02-06   # Mùng 1 Tết Đinh Mùi: a public holiday in the VN calendar
    2028-02-29   # a leap day
    2031-06-15   # years after the demo data
)
if [[ $# -gt 0 && $1 =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2} ]]; then
    DATES=("$1")
    shift
fi

failed=()
for day in "${DATES[@]}"; do
    echo "== wall clock at $day"
    if ! "$PY" -m pytest --wall-date "$day" "$@"; then
        failed+=("$day")
    fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "FAILED on: ${failed[*]}" >&2
    exit 1
fi
echo "passed on: ${DATES[*]}"
