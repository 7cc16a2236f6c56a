"""Build the commune mapping the product ships from the public dvhcvn data.

Reads ``mapping/splits.json`` (old commune -> the new units it went to, in
the resolutions' order) and ``mapping/merges.json`` (new province -> new
communes) of dvhcvn/20250701 (MIT licence, copyright 2025 dvhcvn) and writes
``analytics/store/data/dvhcvn-20250701/communes.csv``: one row per (old
commune, new commune), ``rank`` 1 being the new unit named first (the one a
split commune's dossiers go to unless the officer sets another; see
analytics/store/units.py). Run again only to refresh from a newer release of
the public data: ``python scripts/commune_mapping.py SOURCE_FOLDER``.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "analytics" / "store" / "data" / "dvhcvn-20250701" / "communes.csv"


def main(source: Path) -> int:
    merges = json.loads((source / "merges.json").read_text(encoding="utf-8"))["data"]
    splits = json.loads((source / "splits.json").read_text(encoding="utf-8"))["data"]
    new_province = {c["level2_id"]: p["name"] for p in merges for c in p["level2s"]}
    rows = []
    for province in splits:
        for old in province["level3s"]:
            for rank, new in enumerate(old["splits"], start=1):
                rows.append((province["name"], old["level3_id"], old["name"].strip(), rank,
                             new_province.get(new["new_id"], ""), new["new_id"], new["name"].strip()))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(("old_province", "old_code", "old_name", "rank", "new_province", "new_code", "new_name"))
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
