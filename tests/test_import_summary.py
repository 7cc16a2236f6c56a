"""What the import page shows of a plan (analytics/ingest/summary.py), without
Streamlit: rows per table named for people, and where each column was read."""

from __future__ import annotations

from dataclasses import dataclass

from analytics.ingest.summary import import_counts, import_mapping


@dataclass
class Sheet:
    file: str
    sheet: str | None
    table: str
    header_row: int
    columns: dict


def test_import_summaries():
    counts = {"dossiers": {"accepted": 10, "rejected": 2, "changed": 7},
              "steps": {"accepted": 40, "rejected": 0, "changed": 40}}
    assert import_counts(counts, "vi") == [
        {"table": "Hồ sơ", "accepted": 10, "rejected": 2},
        {"table": "Quá trình xử lý", "accepted": 40, "rejected": 0}]
    assert import_counts(counts, "en", with_changed=True)[0] == {
        "table": "Dossiers", "accepted": 10, "rejected": 2, "changed": 7}
    sheets = [Sheet("/tmp/x/01/export.xlsx", "Danh sách hồ sơ", "dossiers", 3,
                    {"MÃ HỒ SƠ": "code", "Kênh nộp": "channel"})]
    assert import_mapping(sheets, "vi") == [
        {"file": "export.xlsx", "sheet": "Danh sách hồ sơ", "table": "Hồ sơ", "header_row": 3,
         "source": "MÃ HỒ SƠ", "target": "Mã hồ sơ"},
        {"file": "export.xlsx", "sheet": "Danh sách hồ sơ", "table": "Hồ sơ", "header_row": 3,
         "source": "Kênh nộp", "target": "Kênh nộp"}]
