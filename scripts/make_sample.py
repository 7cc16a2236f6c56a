"""Write the sample one-stop export shipped in data/sample/.

    .venv/bin/python scripts/make_sample.py [--out data/sample]

The workbook is laid out the way one-stop software prints its lists: title
rows above the header, Vietnamese headers, dates partly as real Excel date
cells and partly as ``dd/mm/yyyy HH:MM`` text, status and channel as words,
flags as Có/Không and x/blank, an extra notes sheet an importer must skip,
and the applicant columns real exports carry (Chủ hồ sơ, Số CCCD, Địa chỉ,
Số điện thoại, Email). Those applicant values are obviously fake ("Người
nộp mẫu 001", CCCD 000000000001, 0900000001, @example.com): the importer must
drop them, and no real person's data is ever written.

The dossiers are the second quarter of a small run of the demo generator
(:func:`analytics.demo.generator.generate_frames`, fixed seed), so the file is the
same every time it is rebuilt.
"""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:   # run as a plain script from anywhere
    sys.path.insert(0, str(ROOT))

from analytics.demo.generator import STATUS_NAMES, generate_frames  # noqa: E402 - after the sys.path set-up above

XLSX_NAME = "mot-cua-export-mau.xlsx"
CSV_NAME = "ho-so-mau.csv"
AS_OF = date(2026, 6, 30)
PERIOD = (date(2026, 4, 1), date(2026, 6, 30))
SEED = 2026
CSV_ROWS = 50

SHEET_DOSSIERS = "Danh sách hồ sơ"
SHEET_STEPS = "Quá trình xử lý"
SHEET_CATALOG = "Danh mục TTHC"
SHEET_AGENCIES = "Danh mục đơn vị"
SHEET_NOTES = "Ghi chú"

CITIZEN_HEADERS = ("Chủ hồ sơ", "Số CCCD", "Địa chỉ", "Số điện thoại", "Email")
DOSSIER_HEADERS = (
    "STT", "Mã hồ sơ", "Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cơ quan giải quyết", "Cấp", "Kênh nộp",
    *CITIZEN_HEADERS,
    "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý", "Ngày trả kết quả", "Trạng thái",
    "Liên thông", "Đã gắn kết quả",
)
STEP_HEADERS = ("Mã hồ sơ", "Bước", "Tên bước", "Người xử lý", "Đơn vị xử lý", "Ngày bắt đầu", "Hạn xử lý",
                "Ngày kết thúc")
CATALOG_HEADERS = ("Mã TTHC", "Tên TTHC", "Lĩnh vực", "Cấp thực hiện", "Mức độ DVCTT", "Ngày công bố", "Trạng thái")
AGENCY_HEADERS = ("Tên đơn vị", "Cấp", "Đơn vị cấp trên")

CHANNEL_TEXT = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính công ích"}
# The fixed creation time keeps the file byte-for-byte reproducible.
CREATED = datetime(2026, 7, 1, 8, 0, 0)


def sample_frames() -> dict[str, pd.DataFrame]:
    """The demo frames cut down to the dossiers of the sample period."""
    frames = generate_frames(AS_OF, years=1, dossiers_per_year=1200, seed=SEED)
    d = frames["dossiers"]
    day = d["received_at"].dt.normalize()
    d = d[(day >= pd.Timestamp(PERIOD[0])) & (day <= pd.Timestamp(PERIOD[1]))].reset_index(drop=True)
    s = frames["steps"]
    s = s[s["dossier_code"].isin(d["code"])].reset_index(drop=True)
    return {"agencies": frames["agencies"], "procedures": frames["procedures"], "dossiers": d, "steps": s}


def fake_citizen(i: int, agency: str) -> tuple[str, str, str, str, str]:
    """Obviously invented applicant values for row ``i`` (1-based)."""
    # Applicants of a commune live there; those of a district office in the district town.
    place = agency.removeprefix("UBND ") if agency.startswith("UBND ") else "thị trấn An Phước"
    return (
        f"Người nộp mẫu {i:03d}",
        f"{i:012d}",
        f"Số {i}, đường Mẫu, {place}, huyện An Phước",
        f"0900{i:06d}",
        f"nguoinop{i:03d}@example.com",
    )


def text_datetime(value: pd.Timestamp) -> str:
    return "" if pd.isna(value) else value.strftime("%d/%m/%Y %H:%M")


def text_date(value: pd.Timestamp) -> str:
    return "" if pd.isna(value) else value.strftime("%d/%m/%Y")


def dossier_rows(frames: dict[str, pd.DataFrame]) -> list[dict[str, object]]:
    """One dict per dossier, keyed by the export headers (timestamps left as values)."""
    level = dict(zip(frames["agencies"]["name"], frames["agencies"]["level"], strict=True))
    rows = []
    for i, r in enumerate(frames["dossiers"].itertuples(index=False), start=1):
        citizen = fake_citizen(i, str(r.agency))
        rows.append({
            "STT": i, "Mã hồ sơ": r.code, "Mã TTHC": str(r.procedure_code), "Tên TTHC": str(r.procedure_name),
            "Lĩnh vực": str(r.field), "Cơ quan giải quyết": str(r.agency), "Cấp": level[str(r.agency)],
            "Kênh nộp": CHANNEL_TEXT[str(r.channel)], **dict(zip(CITIZEN_HEADERS, citizen, strict=True)),
            "Ngày tiếp nhận": r.received_at, "Ngày hẹn trả": r.due_at, "Ngày kết thúc xử lý": r.finished_at,
            "Ngày trả kết quả": r.returned_at, "Trạng thái": STATUS_NAMES[int(r.status)],
            "Liên thông": "Có" if bool(r.inter_agency) else "Không",
            "Đã gắn kết quả": "x" if pd.notna(r.result_attached) and bool(r.result_attached) else "",
        })
    return rows


def write_xlsx(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": "Danh sách hồ sơ tiếp nhận (dữ liệu mẫu)", "author": "Phần mềm một cửa điện tử",
                       "created": CREATED})
    title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
    subtitle = wb.add_format({"italic": True, "align": "center"})
    head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "vcenter"})
    cell = wb.add_format({"border": 1})
    when = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy hh:mm"})
    day = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy"})

    def header(ws, row: int, headers: tuple[str, ...], widths: dict[str, int]) -> None:
        for c, h in enumerate(headers):
            ws.write_string(row, c, h, head)
            ws.set_column(c, c, widths.get(h, 14))

    def put_date(ws, row: int, col: int, value: pd.Timestamp, fmt) -> None:
        if pd.isna(value):
            ws.write_blank(row, col, None, cell)
        else:
            ws.write_datetime(row, col, value.to_pydatetime(), fmt)

    # Dossiers: two title rows and a blank row above the header, as the software prints it.
    ws = wb.add_worksheet(SHEET_DOSSIERS)
    last_col = len(DOSSIER_HEADERS) - 1
    ws.merge_range(0, 0, 0, last_col, "DANH SÁCH HỒ SƠ TIẾP NHẬN", title)
    ws.merge_range(1, 0, 1, last_col,
                   f"Từ ngày {PERIOD[0]:%d/%m/%Y} đến ngày {PERIOD[1]:%d/%m/%Y}", subtitle)
    header(ws, 3, DOSSIER_HEADERS, {"STT": 5, "Mã hồ sơ": 26, "Mã TTHC": 22, "Tên TTHC": 60,
                                    "Cơ quan giải quyết": 34, "Địa chỉ": 40, "Email": 26, "Trạng thái": 24})
    ws.freeze_panes(4, 2)
    # Received and finished as text, due and returned as Excel dates: real exports mix both.
    for r, row in enumerate(dossier_rows(frames), start=4):
        for c, h in enumerate(DOSSIER_HEADERS):
            v = row[h]
            if h in ("Ngày hẹn trả", "Ngày trả kết quả"):
                put_date(ws, r, c, v, when)
            elif h in ("Ngày tiếp nhận", "Ngày kết thúc xử lý"):
                ws.write_string(r, c, text_datetime(v), cell)
            elif h == "STT":
                ws.write_number(r, c, v, cell)
            else:
                ws.write_string(r, c, str(v), cell)
    ws.autofilter(3, 0, 3 + len(frames["dossiers"]), last_col)

    # Steps: one title row.
    ws = wb.add_worksheet(SHEET_STEPS)
    ws.merge_range(0, 0, 0, len(STEP_HEADERS) - 1, "QUÁ TRÌNH XỬ LÝ HỒ SƠ", title)
    header(ws, 1, STEP_HEADERS, {"Mã hồ sơ": 26, "Bước": 6, "Tên bước": 28, "Người xử lý": 24,
                                 "Đơn vị xử lý": 34, "Ngày bắt đầu": 17, "Hạn xử lý": 17, "Ngày kết thúc": 17})
    for r, s in enumerate(frames["steps"].itertuples(index=False), start=2):
        ws.write_string(r, 0, s.dossier_code, cell)
        ws.write_number(r, 1, int(s.step_no), cell)
        ws.write_string(r, 2, str(s.step_name), cell)
        ws.write_string(r, 3, str(s.handler), cell)
        ws.write_string(r, 4, str(s.agency), cell)
        ws.write_string(r, 5, text_datetime(s.started_at), cell)
        put_date(ws, r, 6, s.due_at, when)
        ws.write_string(r, 7, text_datetime(s.finished_at), cell)

    # Catalogue: header on the first row, publication date as an Excel date.
    ws = wb.add_worksheet(SHEET_CATALOG)
    header(ws, 0, CATALOG_HEADERS, {"Mã TTHC": 22, "Tên TTHC": 70, "Lĩnh vực": 30, "Mức độ DVCTT": 14,
                                    "Ngày công bố": 13, "Trạng thái": 15})
    for r, p in enumerate(frames["procedures"].itertuples(index=False), start=1):
        ws.write_string(r, 0, p.code, cell)
        ws.write_string(r, 1, p.name, cell)
        ws.write_string(r, 2, p.field, cell)
        ws.write_string(r, 3, p.level, cell)
        ws.write_string(r, 4, p.online_level, cell)
        put_date(ws, r, 5, p.published_on, day)
        ws.write_string(r, 6, "Còn hiệu lực" if p.in_force else "Đã bãi bỏ", cell)

    ws = wb.add_worksheet(SHEET_AGENCIES)
    header(ws, 0, AGENCY_HEADERS, {"Tên đơn vị": 48, "Cấp": 8, "Đơn vị cấp trên": 28})
    for r, a in enumerate(frames["agencies"].itertuples(index=False), start=1):
        ws.write_string(r, 0, a.name, cell)
        ws.write_string(r, 1, a.level, cell)
        if isinstance(a.parent, str):
            ws.write_string(r, 2, a.parent, cell)
        else:
            ws.write_blank(r, 2, None, cell)

    ws = wb.add_worksheet(SHEET_NOTES)
    ws.set_column(0, 0, 110)
    notes = (
        "Ghi chú",
        "Tệp mẫu do phần mềm tạo ra để thử chức năng nhập dữ liệu; các số liệu không phản ánh một đơn vị có thật.",
        "Họ tên chủ hồ sơ, số CCCD, địa chỉ, số điện thoại, email trong tệp là giả; khi nhập, các cột này bị loại bỏ.",
        "Tên cán bộ xử lý được ghép ngẫu nhiên từ các họ, tên đệm, tên phổ biến.",
        f"Số hồ sơ: {len(frames['dossiers'])}; số bước xử lý: {len(frames['steps'])}.",
    )
    for r, line in enumerate(notes):
        ws.write_string(r, 0, line, title if r == 0 else None)
    wb.close()


def write_csv(path: Path, frames: dict[str, pd.DataFrame], rows: int = CSV_ROWS) -> None:
    """The first ``rows`` dossiers as a CSV export (UTF-8 with BOM, dates as text)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(DOSSIER_HEADERS)
        for row in dossier_rows(frames)[:rows]:
            values = []
            for h in DOSSIER_HEADERS:
                v = row[h]
                if h in ("Ngày tiếp nhận", "Ngày kết thúc xử lý"):
                    v = text_datetime(v)
                elif h in ("Ngày hẹn trả", "Ngày trả kết quả"):
                    v = text_date(v)
                values.append(v)
            out.writerow(values)


def write_sample(out_dir: str | Path) -> dict[str, object]:
    """Write both sample files into ``out_dir``; returns their paths and row counts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = sample_frames()
    xlsx, csv_path = out_dir / XLSX_NAME, out_dir / CSV_NAME
    write_xlsx(xlsx, frames)
    write_csv(csv_path, frames)
    return {"xlsx": str(xlsx), "csv": str(csv_path), "dossiers": len(frames["dossiers"]),
            "steps": len(frames["steps"]), "procedures": len(frames["procedures"]),
            "agencies": len(frames["agencies"]), "csv_rows": min(CSV_ROWS, len(frames["dossiers"]))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ghi tệp xuất mẫu của phần mềm một cửa vào data/sample/")
    parser.add_argument("--out", default=str(ROOT / "data" / "sample"), help="thư mục ghi tệp")
    args = parser.parse_args(argv)
    result = write_sample(args.out)
    print(f"Đã ghi {result['xlsx']} ({result['dossiers']} hồ sơ, {result['steps']} bước) "
          f"và {result['csv']} ({result['csv_rows']} hồ sơ)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
