"""Every user-facing label, in Vietnamese and English, keyed by name.

One dict for the whole product: indicators and columns (named exactly like the
engine's result keys, so a column ``on_time_rate`` is labelled ``t("on_time_rate")``),
chart titles, period presets, channels, statuses and common messages. Pages add
their own keys in the "pages" section at the end. Text is NFC (see
``tests/test_labels.py``); ``{name}`` placeholders are filled by ``t(**kwargs)``.
"""

from __future__ import annotations

LANGS = ("vi", "en")

LABELS: dict[str, dict[str, str]] = {
    # --- indicators (keys of Engine.totals / the JSON contract) -------------
    "received_total": {"vi": "Tổng số hồ sơ tiếp nhận", "en": "Dossiers received (total)"},
    "carried_over": {"vi": "Từ kỳ trước chuyển sang", "en": "Carried over"},
    "received_new": {"vi": "Mới tiếp nhận", "en": "Newly received"},
    "online": {"vi": "Trực tuyến", "en": "Online"},
    "direct_postal": {"vi": "Trực tiếp và dịch vụ bưu chính", "en": "In person and postal"},
    "resolved": {"vi": "Đã giải quyết", "en": "Resolved"},
    "early": {"vi": "Trước hạn", "en": "Early"},
    "on_time": {"vi": "Đúng hạn", "en": "On time"},
    "late": {"vi": "Quá hạn", "en": "Late"},
    "pending": {"vi": "Đang giải quyết", "en": "Pending"},
    "pending_within": {"vi": "Trong hạn", "en": "Pending, within deadline"},
    "pending_overdue": {"vi": "Quá hạn", "en": "Pending, overdue"},
    "on_time_rate": {"vi": "Tỷ lệ đúng hạn", "en": "On-time rate"},
    "online_share": {"vi": "Tỷ lệ hồ sơ trực tuyến", "en": "Online share"},
    "progress_766": {"vi": "Chỉ số tiến độ (QĐ 766)", "en": "Progress index (Decision 766)"},
    "late_rate": {"vi": "Tỷ lệ trễ hạn", "en": "Late rate"},
    "early_on_time": {"vi": "Trước hạn và đúng hạn", "en": "Early and on time"},
    # --- dimensions and columns (keys of the engine's list rows) ------------
    "agency": {"vi": "Cơ quan/đơn vị", "en": "Agency"},
    "agency_level": {"vi": "Cấp đơn vị", "en": "Agency level"},
    "level": {"vi": "Cấp", "en": "Level"},
    "parent": {"vi": "Đơn vị cấp trên", "en": "Parent agency"},
    "field": {"vi": "Lĩnh vực", "en": "Field"},
    "stage": {"vi": "Giai đoạn", "en": "Stage"},
    "handler": {"vi": "Người thụ lý", "en": "Handler"},
    "steps": {"vi": "Số bước xử lý", "en": "Steps handled"},
    "late_steps": {"vi": "Số lần trễ hạn", "en": "Late steps"},
    "late_dossiers": {"vi": "Số hồ sơ trễ hạn", "en": "Late dossiers"},
    "days_late": {"vi": "Số ngày trễ", "en": "Days late"},
    "code": {"vi": "Mã hồ sơ", "en": "Dossier code"},
    "procedure": {"vi": "Thủ tục hành chính", "en": "Procedure"},
    "procedure_code": {"vi": "Mã TTHC", "en": "Procedure code"},
    "procedure_name": {"vi": "Tên TTHC", "en": "Procedure name"},
    "channel": {"vi": "Kênh nộp", "en": "Channel"},
    "received_at": {"vi": "Ngày tiếp nhận", "en": "Received"},
    "due_at": {"vi": "Ngày hẹn trả", "en": "Due"},
    "finished_at": {"vi": "Ngày kết thúc xử lý", "en": "Finished"},
    "returned_at": {"vi": "Ngày trả kết quả", "en": "Returned"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "late_stage": {"vi": "Giai đoạn trễ hạn", "en": "Stage where late"},
    "late_handler": {"vi": "Người thụ lý khi trễ hạn", "en": "Handler when late"},
    "online_level": {"vi": "Mức độ DVCTT", "en": "Online service level"},
    "published_on": {"vi": "Ngày công bố", "en": "Published on"},
    "last_received": {"vi": "Ngày tiếp nhận gần nhất", "en": "Last dossier received"},
    "years_without": {"vi": "Số năm không phát sinh hồ sơ", "en": "Years without dossiers"},
    "in_force": {"vi": "TTHC còn hiệu lực", "en": "Procedures in force"},
    "with_dossiers": {"vi": "TTHC có phát sinh hồ sơ", "en": "Procedures with dossiers"},
    "without_dossiers": {"vi": "TTHC không phát sinh hồ sơ", "en": "Procedures without dossiers"},
    "period_start": {"vi": "Kỳ", "en": "Period"},
    "month": {"vi": "Tháng", "en": "Month"},
    "quarter": {"vi": "Quý", "en": "Quarter"},
    "year": {"vi": "Năm", "en": "Year"},
    "row_kind": {"vi": "Loại dòng", "en": "Row kind"},
    "stt": {"vi": "STT", "en": "No."},
    "count": {"vi": "Số hồ sơ", "en": "Dossiers"},
    "rate": {"vi": "Tỷ lệ", "en": "Rate"},
    "share_of_resolved": {"vi": "{share} số hồ sơ đã giải quyết", "en": "{share} of resolved"},
    # --- channels (Filters.channel / dossiers.channel) ----------------------
    "channel_online": {"vi": "Trực tuyến", "en": "Online"},
    "channel_direct": {"vi": "Trực tiếp", "en": "In person"},
    "channel_postal": {"vi": "Bưu chính công ích", "en": "Public postal service"},
    # --- statuses (national sync codes 1..10) --------------------------------
    "status_1": {"vi": "Mới đăng ký", "en": "Newly registered"},
    "status_2": {"vi": "Được tiếp nhận", "en": "Accepted"},
    "status_3": {"vi": "Không được tiếp nhận", "en": "Not accepted"},
    "status_4": {"vi": "Đang xử lý", "en": "In progress"},
    "status_5": {"vi": "Yêu cầu bổ sung giấy tờ", "en": "Supplement requested"},
    "status_6": {"vi": "Yêu cầu thực hiện nghĩa vụ tài chính", "en": "Payment of fees requested"},
    "status_7": {"vi": "Công dân yêu cầu rút hồ sơ", "en": "Withdrawn by the applicant"},
    "status_8": {"vi": "Dừng xử lý", "en": "Processing stopped"},
    "status_9": {"vi": "Đã xử lý xong", "en": "Processed"},
    "status_10": {"vi": "Đã trả kết quả", "en": "Result returned"},
    # --- agency levels --------------------------------------------------------
    "level_province": {"vi": "Tỉnh", "en": "Province"},
    "level_district": {"vi": "Huyện", "en": "District"},
    "level_commune": {"vi": "Xã", "en": "Commune"},
    # --- period presets (analytics.periods) ----------------------------------
    "preset_this_month": {"vi": "Tháng này", "en": "This month"},
    "preset_last_month": {"vi": "Tháng trước", "en": "Last month"},
    "preset_this_quarter": {"vi": "Quý này", "en": "This quarter"},
    "preset_last_quarter": {"vi": "Quý trước", "en": "Last quarter"},
    "preset_first_half": {"vi": "6 tháng đầu năm", "en": "First half of the year"},
    "preset_nine_months": {"vi": "9 tháng", "en": "First nine months"},
    "preset_this_year": {"vi": "Năm nay", "en": "This year"},
    "preset_last_year": {"vi": "Năm trước", "en": "Last year"},
    "preset_report_this_month": {"vi": "Kỳ báo cáo tháng này", "en": "Reporting period: this month"},
    "preset_report_last_month": {"vi": "Kỳ báo cáo tháng trước", "en": "Reporting period: last month"},
    "preset_report_this_quarter": {"vi": "Kỳ báo cáo quý này", "en": "Reporting period: this quarter"},
    "preset_report_last_quarter": {"vi": "Kỳ báo cáo quý trước", "en": "Reporting period: last quarter"},
    "preset_report_first_half": {"vi": "Kỳ báo cáo 6 tháng", "en": "Reporting period: six months"},
    "preset_report_nine_months": {"vi": "Kỳ báo cáo 9 tháng", "en": "Reporting period: nine months"},
    "preset_report_year": {"vi": "Kỳ báo cáo năm", "en": "Reporting period: year"},
    "preset_custom": {"vi": "Tùy chọn", "en": "Custom range"},
    "preset_group_calendar": {"vi": "Theo lịch", "en": "Calendar"},
    "preset_group_report": {
        "vi": "Kỳ báo cáo (NĐ 09/2019/NĐ-CP)",
        "en": "Reporting periods (Decree 09/2019/ND-CP)",
    },
    "quarter_label": {"vi": "Quý {roman}/{year}", "en": "Q{number} {year}"},
    "month_label": {"vi": "Tháng {month:02d}/{year}", "en": "{month_name} {year}"},
    "previous_period": {"vi": "Kỳ trước", "en": "Previous period"},
    "same_period_last_year": {"vi": "Cùng kỳ năm trước", "en": "Same period last year"},
    # --- chart titles and chart text (analytics.charts) ----------------------
    "chart_kpi_trend": {
        "vi": "Tỷ lệ đúng hạn và tỷ lệ hồ sơ trực tuyến theo tháng",
        "en": "On-time rate and online share by month",
    },
    "chart_ranked_by_agency": {"vi": "{indicator} theo cơ quan/đơn vị", "en": "{indicator} by agency"},
    "chart_ranked_by_field": {"vi": "{indicator} theo lĩnh vực", "en": "{indicator} by field"},
    "chart_ranked": {"vi": "{indicator} theo {dimension}", "en": "{indicator} by {dimension}"},
    "chart_late_heatmap": {
        "vi": "Tỷ lệ trễ hạn theo giai đoạn và cơ quan/đơn vị",
        "en": "Late rate by stage and agency",
    },
    "chart_handler_bars": {
        "vi": "Số lần trễ hạn và số hồ sơ trễ hạn theo người thụ lý",
        "en": "Late steps and late dossiers by handler",
    },
    "chart_online_share_by": {"vi": "Tỷ lệ hồ sơ trực tuyến theo {dimension}", "en": "Online share by {dimension}"},
    "chart_online_trend": {"vi": "Tỷ lệ hồ sơ trực tuyến theo quý", "en": "Online share by quarter"},
    "chart_resolution": {"vi": "Kết quả giải quyết hồ sơ", "en": "Resolved dossiers by timeliness"},
    "average_line": {"vi": "Bình quân: {value}", "en": "Average: {value}"},
    "target_line": {"vi": "Chỉ tiêu: {value}", "en": "Target: {value}"},
    "most_late_stage": {
        "vi": "Trễ nhiều nhất: {stage} ({count} lần)",
        "en": "Most late: {stage} ({count} late steps)",
    },
    "cell_late_of_steps": {"vi": "{late}/{steps} bước trễ", "en": "{late}/{steps} steps late"},
    "no_late_steps": {"vi": "Không có bước xử lý trễ hạn trong kỳ", "en": "No late steps in the period"},
    # --- messages and common text --------------------------------------------
    "no_data": {"vi": "Không có hồ sơ trong kỳ", "en": "No dossiers in the period"},
    "no_rows": {"vi": "Không có dữ liệu", "en": "No data"},
    "data_date": {"vi": "Số liệu đến ngày {date}", "en": "Data as of {date}"},
    "period": {"vi": "Kỳ số liệu: {period}", "en": "Period: {period}"},
    "filters": {"vi": "Bộ lọc: {filters}", "en": "Filters: {filters}"},
    "all": {"vi": "Tất cả", "en": "All"},
    "yes": {"vi": "Có", "en": "Yes"},
    "no": {"vi": "Không", "en": "No"},
    "points_unit": {"vi": "điểm", "en": "pts"},
    "sheet_default": {"vi": "Dữ liệu", "en": "Data"},
    # --- pages (the app agent appends page-specific keys below) --------------
}


def t(key: str, lang: str = "vi", **kwargs: object) -> str:
    """The label ``key`` in ``lang`` ("vi" or "en"), formatted with ``kwargs``.

    An unknown key raises ``KeyError`` (a typo must fail loudly in tests); an
    unknown language falls back to Vietnamese, the product's default.
    """
    entry = LABELS[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**kwargs) if kwargs else text


def channel_name(channel: str | None, lang: str = "vi") -> str:
    """Display name of a channel code (``online`` / ``direct`` / ``postal``)."""
    if channel is None:
        return ""
    key = f"channel_{channel}"
    return t(key, lang) if key in LABELS else str(channel)


def status_name(status: int | str | None, lang: str = "vi") -> str:
    """Display name of a national status code 1..10 (unknown codes shown as given)."""
    if status is None:
        return ""
    try:
        key = f"status_{int(status)}"
    except (TypeError, ValueError):
        return str(status)
    return t(key, lang) if key in LABELS else str(status)


def column_label(name: str, lang: str = "vi") -> str:
    """Header for an engine column: its label when one exists, else the name itself."""
    return t(name, lang) if name in LABELS else name
