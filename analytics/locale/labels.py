"""Every user-facing label, in Vietnamese and English, keyed by name.

One dict for the whole product: indicators and columns (named exactly like the
engine's result keys, so a column ``on_time_rate`` is labelled ``t("on_time_rate")``),
chart titles, period presets, channels, statuses and common messages. Pages add
their own keys in the "pages" section at the end. Text is NFC (see
``tests/test_labels.py``); ``{name}`` placeholders are filled by ``t(**kwargs)``.
"""

from __future__ import annotations

from typing import Any

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
    # --- period presets (analytics.indicators.periods) ----------------------------------
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
    # --- chart titles and chart text (analytics.reports.charts) ----------------------
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
    # ----- dashboard frame (dashboard.py, glue.py) -----
    "app_name": {"vi": "Một cửa điện tử · Chỉ số CCHC", "en": "One-stop shop · Reform indicators"},
    "nav_analysis": {"vi": "Phân tích", "en": "Analysis"},
    "nav_reports": {"vi": "Báo cáo", "en": "Reports"},
    "nav_data": {"vi": "Dữ liệu", "en": "Data"},
    "page_overview": {"vi": "Tổng quan", "en": "Overview"},
    "page_on_time": {"vi": "Đúng hạn / trễ hạn", "en": "On time / late"},
    "page_stage": {"vi": "Trễ hạn theo giai đoạn", "en": "Late by stage"},
    "page_handler": {"vi": "Người thụ lý", "en": "Handlers"},
    "page_online": {"vi": "Trực tuyến", "en": "Online submission"},
    "page_unused": {"vi": "TTHC không phát sinh hồ sơ", "en": "Procedures without dossiers"},
    "page_report06": {"vi": "Báo cáo Biểu 06", "en": "Form 06 report"},
    "page_reminders": {"vi": "Nhắc việc", "en": "Reminders"},
    "page_import": {"vi": "Nhập dữ liệu", "en": "Import data"},
    "ui_language": {"vi": "Ngôn ngữ", "en": "Language"},
    "ui_filters_title": {"vi": "Bộ lọc", "en": "Filters"},
    "ui_period": {"vi": "Kỳ số liệu", "en": "Period"},
    "ui_period_help": {
        "vi": "Kỳ theo lịch, hoặc kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước "
              "đến ngày 14 của tháng báo cáo), hoặc Tùy chọn để chọn từ ngày – đến ngày.",
        "en": "A calendar period, a reporting period of Decree 09/2019/ND-CP (the 15th of the previous "
              "month to the 14th of the reporting month), or Custom range.",
    },
    "ui_range": {"vi": "Từ ngày – đến ngày", "en": "From – to"},
    "ui_range_half": {"vi": "Hãy chọn ngày kết thúc; đang dùng khoảng ngày trước đó.",
                      "en": "Pick the end date; the previous range is used meanwhile."},
    "ui_url_range_clamped": {
        "vi": "Khoảng ngày trong đường link vượt ngoài {first} – {last}: đã thu về trong khoảng này.",
        "en": "The link's dates lay outside {first} – {last}: they were brought inside it.",
    },
    "ui_url_range_invalid": {
        "vi": "Ngày trong đường link không hợp lệ (cần dạng yyyy-mm-dd, ngày đầu không sau ngày cuối): "
              "đang dùng kỳ {period}.",
        "en": "The link's dates are not valid (yyyy-mm-dd, the start not after the end): showing {period}.",
    },
    "ui_choose": {"vi": "Chọn…", "en": "Choose…"},
    "ui_download_xlsx": {"vi": "Tải Excel", "en": "Download Excel"},
    "ui_error": {
        "vi": "Đã có lỗi khi hiển thị trang này. Lỗi đã được ghi lại để kiểm tra; "
              "hãy thử đổi bộ lọc hoặc tải lại trang.",
        "en": "Something went wrong while showing this page. The error was logged; "
              "try other filters or reload the page.",
    },
    "ui_no_database": {
        "vi": "Chưa có cơ sở dữ liệu ({path}). Hãy vào trang Nhập dữ liệu để nhập tệp xuất từ phần mềm một cửa.",
        "en": "There is no database yet ({path}). Open Import data to load exports from the one-stop software.",
    },
    "ui_print_view": {"vi": "Bản in", "en": "Print view"},
    "ui_print_help": {"vi": "Trang khổ A4 ngang để in hoặc lưu PDF (Ctrl+P).",
                      "en": "An A4 landscape page to print or save as PDF (Ctrl+P)."},
    "ui_print_hint": {"vi": "Bản in khổ A4 ngang: nhấn Ctrl+P để in hoặc lưu PDF; tắt “Bản in” để quay lại.",
                      "en": "A4 landscape print view: press Ctrl+P to print or save as PDF; "
                            "switch “Print view” off to go back."},
    "ui_rows_truncated": {"vi": "Đang hiển thị {shown}/{total} dòng; tệp Excel có đủ mọi dòng.",
                          "en": "Showing {shown} of {total} rows; the Excel file has every row."},
    "ui_vs_previous": {"vi": "so với kỳ trước", "en": "vs previous period"},
    "ui_vs_last_year": {"vi": "Cùng kỳ năm trước: {delta}", "en": "Vs last year: {delta}"},
    "ui_compare_note": {
        "vi": "Mũi tên: thay đổi so với kỳ trước ({previous}); dòng dưới: so với cùng kỳ năm trước ({last_year}).",
        "en": "Arrows: change vs the previous period ({previous}); second line: vs the same period last year ({last_year}).",
    },
    "kpi_late": {"vi": "Giải quyết quá hạn", "en": "Resolved late"},
    "kpi_pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending, overdue"},
    "col_pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending, overdue"},
    # ----- Tổng quan -----
    "ov_report06_line": {"vi": "Dòng tổng hợp Biểu 06", "en": "Form 06 summary line"},
    "ov_compare_table": {"vi": "Các chỉ số so với kỳ trước và cùng kỳ năm trước",
                         "en": "Indicators against the previous period and last year"},
    "ov_indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "ov_current": {"vi": "Kỳ này", "en": "This period"},
    "ov_change_previous": {"vi": "Thay đổi so với kỳ trước", "en": "Change vs previous"},
    "ov_change_last_year": {"vi": "Thay đổi so với cùng kỳ", "en": "Change vs last year"},
    # ----- Đúng hạn / trễ hạn -----
    "dh_click_hint": {"vi": "Biểu đồ: {top} đơn vị có tỷ lệ thấp nhất (bảng dưới có đủ). "
                            "Bấm vào một cột để xem danh sách hồ sơ trễ hạn của cơ quan đó.",
                      "en": "Chart: the {top} lowest agencies (the table has all). "
                            "Click a bar to list that agency's late dossiers."},
    "dh_drill_title": {"vi": "Hồ sơ trễ hạn của một cơ quan", "en": "Late dossiers of one agency"},
    "dh_drill_pick": {"vi": "Cơ quan/đơn vị", "en": "Agency"},
    "dh_drill_placeholder": {"vi": "Chọn cơ quan hoặc bấm vào biểu đồ…",
                             "en": "Choose an agency or click the chart…"},
    "dh_drill_file_title": {"vi": "Danh sách hồ sơ trễ hạn – {agency}", "en": "Late dossiers – {agency}"},
    "dh_no_late": {"vi": "{agency} không có hồ sơ trễ hạn trong kỳ.", "en": "{agency} has no late dossiers in the period."},
    "dh_avg_days_late": {"vi": "Số ngày trễ bình quân", "en": "Average days late"},
    "dh_max_days_late": {"vi": "Trễ nhiều nhất (ngày)", "en": "Most days late"},
    "dh_trend_title": {"vi": "Kết quả giải quyết theo tháng", "en": "Resolved dossiers by month"},
    # ----- Trễ hạn theo giai đoạn -----
    "gd_top_stage": {"vi": "Giai đoạn trễ nhiều nhất", "en": "Most late stage"},
    "gd_top_stage_count": {"vi": "{count} lần trễ hạn", "en": "{count} late steps"},
    "gd_by_stage": {"vi": "Số lần trễ hạn theo giai đoạn", "en": "Late steps by stage"},
    "gd_no_steps": {"vi": "Không có bước xử lý nào kết thúc trong kỳ", "en": "No processing steps finished in the period"},
    # ----- Người thụ lý -----
    "ntl_handlers": {"vi": "Số người thụ lý", "en": "Handlers"},
    "ntl_late_handlers": {"vi": "Người có bước trễ hạn", "en": "Handlers with late steps"},
    "ntl_top_handler": {"vi": "Trễ hạn nhiều nhất", "en": "Most late handler"},
    "ntl_top_detail": {"vi": "{late} lần · {agency}", "en": "{late} late steps · {agency}"},
    "ntl_click_hint": {"vi": "Bấm vào tên một người để xem các hồ sơ trễ hạn của người đó.",
                       "en": "Click a handler to list their late dossiers."},
    "ntl_table_title": {"vi": "Thống kê trễ hạn theo người thụ lý", "en": "Late steps by handler"},
    "ntl_pick_title": {"vi": "Hồ sơ trễ hạn của một người thụ lý", "en": "Late dossiers of one handler"},
    "ntl_pick": {"vi": "Người thụ lý", "en": "Handler"},
    "ntl_pick_placeholder": {"vi": "Chọn người thụ lý hoặc bấm vào biểu đồ…",
                             "en": "Choose a handler or click the chart…"},
    "ntl_file_title": {"vi": "Các bước xử lý trễ hạn – {handler}", "en": "Late steps – {handler}"},
    # ----- Trực tuyến -----
    "tt_dim_field": {"vi": "lĩnh vực", "en": "field"},
    "tt_dim_agency": {"vi": "cơ quan/đơn vị", "en": "agency"},
    "tt_paper_heavy_count": {"vi": "TTHC toàn trình còn nộp giấy nhiều", "en": "Fully online, mostly paper"},
    "tt_paper_heavy_title": {"vi": "TTHC cung cấp trực tuyến toàn trình nhưng hồ sơ trực tuyến dưới 50%",
                             "en": "Procedures offered fully online with under 50% online dossiers"},
    "tt_paper_heavy_note": {"vi": "Các thủ tục này đã có dịch vụ công trực tuyến toàn trình nhưng phần lớn "
                                  "hồ sơ trong kỳ vẫn nộp trực tiếp hoặc qua bưu chính.",
                            "en": "These procedures can be done fully online, yet most of the period's "
                                  "dossiers were still submitted in person or by post."},
    "tt_paper_heavy_none": {"vi": "Không có TTHC toàn trình nào dưới 50% hồ sơ trực tuyến trong kỳ.",
                            "en": "No fully online procedure is under 50% online in the period."},
    # ----- TTHC không phát sinh hồ sơ -----
    "pk_ratio": {"vi": "{used}/{total}", "en": "{used}/{total}"},
    "pk_ratio_help": {"vi": "Số TTHC còn hiệu lực có hồ sơ trong kỳ / tổng số TTHC còn hiệu lực.",
                      "en": "Procedures in force with dossiers in the period / all procedures in force."},
    "pk_without_help": {"vi": "TTHC còn hiệu lực không có hồ sơ nào trong kỳ đang xem.",
                        "en": "Procedures in force with no dossier in the period shown."},
    "pk_three_years": {"vi": "Không phát sinh hồ sơ 3 năm", "en": "No dossiers for 3 years"},
    "pk_three_years_help": {"vi": "TTHC còn hiệu lực, công bố từ 3 năm trước, không có hồ sơ trong 3 năm tính đến {date}.",
                            "en": "Procedures in force, published 3+ years ago, with no dossier in the 3 years up to {date}."},
    "pk_sentence": {"vi": "**{used}/{total} TTHC có phát sinh hồ sơ** trong kỳ.",
                    "en": "**{used}/{total} procedures had dossiers** in the period."},
    "pk_by_field": {"vi": "Số TTHC không phát sinh hồ sơ theo lĩnh vực", "en": "Procedures without dossiers by field"},
    "pk_list_title": {"vi": "TTHC không phát sinh hồ sơ trong 3 năm", "en": "Procedures without dossiers for three years"},
    "pk_list_note": {"vi": "Tính đến ngày {date}. Danh sách này có thể dùng làm đề xuất cắt giảm, đơn giản hóa TTHC.",
                     "en": "Up to {date}. The list can serve as the proposal for cutting or simplifying procedures."},
    "pk_file_title": {"vi": "Danh sách TTHC không phát sinh hồ sơ trong 3 năm – đề xuất cắt giảm, đơn giản hóa",
                      "en": "Procedures without dossiers for three years – proposal for cutting or simplifying"},
    "pk_download": {"vi": "Tải danh sách đề xuất (Excel)", "en": "Download the proposal list (Excel)"},
    "pk_no_catalog": {"vi": "Không có TTHC còn hiệu lực trong danh mục: hãy nhập Danh mục TTHC.",
                      "en": "No procedure in force in the catalog: import the procedure catalog."},
    "pk_none": {"vi": "Mọi TTHC còn hiệu lực đều có hồ sơ trong 3 năm qua.",
                "en": "Every procedure in force had dossiers in the last three years."},
    # ----- Báo cáo Biểu 06 -----
    "r06_title": {"vi": "Biểu số 06/VPCP/KSTT – Tình hình, kết quả giải quyết TTHC",
                  "en": "Form 06/VPCP/KSTT – Handling of administrative procedures"},
    "r06_caption": {"vi": "Theo Thông tư 01/2020/TT-VPCP: các lĩnh vực theo cấp, dòng cộng của từng cấp và dòng tổng cộng.",
                    "en": "As in Circular 01/2020/TT-VPCP: fields by level, a subtotal per level and the total."},
    "r06_unit": {"vi": "Đơn vị báo cáo", "en": "Reporting unit"},
    "r06_unit_placeholder": {"vi": "Ví dụ: UBND huyện An Phước", "en": "e.g. An Phuoc District People's Committee"},
    "r06_unit_help": {"vi": "In ở đầu biểu mẫu.", "en": "Printed at the top of the form."},
    "r06_download_form": {"vi": "Tải Biểu 06 (.xlsx)", "en": "Download Form 06 (.xlsx)"},
    "r06_total": {"vi": "Tổng cộng", "en": "Total"},
    "r06_level": {"vi": "Cấp {level}", "en": "{level} level"},
    "r06_c2": {"vi": "Lĩnh vực, công việc giải quyết theo cấp", "en": "Field, by level"},
    "r06_c3": {"vi": "(3) Tổng số nhận", "en": "(3) Received, total"},
    "r06_c4": {"vi": "(4) Trực tuyến", "en": "(4) Online"},
    "r06_c5": {"vi": "(5) Trực tiếp, bưu chính", "en": "(5) In person, postal"},
    "r06_c6": {"vi": "(6) Từ kỳ trước", "en": "(6) Carried over"},
    "r06_c7": {"vi": "(7) Đã giải quyết", "en": "(7) Resolved, total"},
    "r06_c8": {"vi": "(8) Trước hạn", "en": "(8) Early"},
    "r06_c9": {"vi": "(9) Đúng hạn", "en": "(9) On time"},
    "r06_c10": {"vi": "(10) Quá hạn", "en": "(10) Late"},
    "r06_c11": {"vi": "(11) Đang giải quyết", "en": "(11) Pending, total"},
    "r06_c12": {"vi": "(12) Trong hạn", "en": "(12) Within deadline"},
    "r06_c13": {"vi": "(13) Quá hạn", "en": "(13) Overdue"},
    # ----- Báo cáo cho cuộc họp (analytics.reports.deck, analytics.reports.docreport) -----
    "pack_title": {"vi": "Tài liệu cho cuộc họp", "en": "Meeting pack"},
    "pack_caption": {
        "vi": "Theo kỳ và bộ lọc đang chọn. Biểu đồ trong PowerPoint là biểu đồ gốc, sửa được kiểu dáng và "
              "số liệu; báo cáo Word là dự thảo theo thể thức văn bản hành chính, để chỉnh sửa trước khi ký. "
              "Tệp chỉ được tạo khi bấm nút.",
        "en": "For the selected period and filters. The PowerPoint charts are native charts (restyle them, "
              "edit their numbers); the Word report is an editable draft in the official layout. "
              "Files are built only when you click.",
    },
    "pack_deck": {"vi": "Tải bộ trình chiếu (.pptx)", "en": "Download the slides (.pptx)"},
    "pack_report": {"vi": "Tải dự thảo báo cáo (.docx)", "en": "Download the report draft (.docx)"},
    # ----- Nhập dữ liệu -----
    "imp_intro": {
        "vi": "Tải lên một hoặc nhiều tệp xuất từ phần mềm một cửa (.xlsx hoặc .csv). Hệ thống kiểm tra "
              "trước, chưa ghi gì; chỉ khi bấm **Xác nhận nhập** dữ liệu mới được ghi, một lần trọn vẹn. "
              "Các cột thông tin cá nhân của người nộp (họ tên, CCCD, địa chỉ, điện thoại, email) bị bỏ, không lưu.",
        "en": "Upload one or more exports of the one-stop software (.xlsx or .csv). They are checked first and "
              "nothing is written until you press **Confirm import**, which writes everything at once. "
              "Applicants' personal columns (name, ID, address, phone, e-mail) are dropped, never stored.",
    },
    "imp_upload": {"vi": "Chọn tệp xuất (.xlsx, .csv)", "en": "Export files (.xlsx, .csv)"},
    "imp_upload_help": {"vi": "Kéo thả tệp vào ô, hoặc bấm để chọn. Có thể chọn nhiều tệp; tệp được áp dụng theo thứ tự.",
                        "en": "Drag files here or click to choose. Several files apply in order."},
    "imp_size_limit": {"vi": "Mỗi tệp tối đa {mb} MB. Tệp lớn hơn: hãy chia theo thời gian rồi nhập từng phần.",
                       "en": "At most {mb} MB per file. Split a larger export by period and import the parts."},
    "imp_too_large": {"vi": "Tệp '{name}' lớn {size} MB, quá giới hạn {mb} MB mỗi tệp; hãy chia tệp theo thời gian "
                            "rồi nhập từng phần.",
                      "en": "File '{name}' is {size} MB, over the {mb} MB limit per file; split it by period "
                            "and import the parts."},
    "imp_waiting": {"vi": "Chưa chọn tệp nào.", "en": "No file chosen yet."},
    "imp_reading": {"vi": "Đang đọc tệp…", "en": "Reading files…"},
    "imp_writing": {"vi": "Đang ghi vào cơ sở dữ liệu…", "en": "Writing to the database…"},
    "imp_failed": {"vi": "Không nhập được: {message}. Cơ sở dữ liệu giữ nguyên như trước.",
                   "en": "Import failed: {message}. The database is unchanged."},
    "imp_check_title": {"vi": "Kết quả kiểm tra (chưa ghi)", "en": "Check result (nothing written yet)"},
    "imp_result_title": {"vi": "Kết quả nhập", "en": "Import result"},
    "imp_done": {"vi": "Đã nhập lần số {import_id}: {n} hồ sơ hợp lệ, {changed} hồ sơ mới hoặc thay đổi.",
                 "en": "Import {import_id} done: {n} valid dossiers, {changed} new or changed."},
    "imp_dropped": {"vi": "Đã bỏ các cột thông tin cá nhân (không lưu): {columns}",
                    "en": "Personal columns dropped (not stored): {columns}"},
    "imp_ignored": {"vi": "Các cột không nhận ra, bỏ qua: {columns}", "en": "Unrecognised columns, ignored: {columns}"},
    "imp_skipped": {"vi": "Các trang tính bỏ qua: {sheets}", "en": "Sheets skipped: {sheets}"},
    "imp_mapping_title": {"vi": "Ánh xạ cột của tệp vào dữ liệu", "en": "How the columns were mapped"},
    "imp_preview_title": {"vi": "Xem trước hồ sơ hợp lệ", "en": "Preview of valid dossiers"},
    "imp_no_dossiers": {"vi": "Các tệp không có hồ sơ hợp lệ.", "en": "The files hold no valid dossiers."},
    "imp_rejects_title": {"vi": "Các dòng bị loại và lý do", "en": "Rejected rows and reasons"},
    "imp_no_rejects": {"vi": "Không có dòng nào bị loại.", "en": "No row was rejected."},
    "imp_confirm": {"vi": "Xác nhận nhập", "en": "Confirm import"},
    "imp_table": {"vi": "Bảng dữ liệu", "en": "Table"},
    "imp_accepted": {"vi": "Số dòng hợp lệ", "en": "Rows accepted"},
    "imp_rejected": {"vi": "Số dòng bị loại", "en": "Rows rejected"},
    "imp_changed": {"vi": "Số dòng mới/thay đổi", "en": "Rows new or changed"},
    "imp_file": {"vi": "Tệp", "en": "File"},
    "imp_sheet": {"vi": "Trang tính", "en": "Sheet"},
    "imp_row": {"vi": "Dòng", "en": "Row"},
    "imp_column": {"vi": "Cột", "en": "Column"},
    "imp_reason": {"vi": "Lý do", "en": "Reason"},
    "imp_value": {"vi": "Giá trị", "en": "Value"},
    "imp_header_row": {"vi": "Dòng tiêu đề", "en": "Header row"},
    "imp_source": {"vi": "Cột trong tệp", "en": "Column in the file"},
    "imp_target": {"vi": "Dữ liệu", "en": "Maps to"},
    "imp_t_dossiers": {"vi": "Hồ sơ", "en": "Dossiers"},
    "imp_t_steps": {"vi": "Quá trình xử lý", "en": "Processing steps"},
    "imp_t_procedures": {"vi": "Danh mục TTHC", "en": "Procedure catalog"},
    "imp_t_agencies": {"vi": "Danh mục đơn vị", "en": "Agencies"},
    # ----- Nhắc việc -----
    "nv_as_of": {"vi": "Ngày nhắc", "en": "Reminder date"},
    "nv_inter_agency": {"vi": "Liên thông", "en": "Inter-agency"},
    "nv_inter_only": {"vi": "Chỉ hồ sơ liên thông", "en": "Inter-agency only"},
    "nv_inter_none": {"vi": "Không liên thông", "en": "Not inter-agency"},
    "nv_basis": {
        "vi": "Nhắc ngày {as_of} theo dữ liệu đến ngày {data}; sắp đến hạn: hạn đến {cutoff} "
              "({n} ngày làm việc, trừ ngày nghỉ lễ). Danh sách không phụ thuộc kỳ số liệu.",
        "en": "Reminders for {as_of} from data up to {data}; near due: due by {cutoff} "
              "({n} working days, holidays excluded). The list does not depend on the period.",
    },
    "nv_stale": {
        "vi": "Dữ liệu chỉ cập nhật đến {data}: hồ sơ đã xử lý xong sau ngày đó vẫn có trong danh sách. "
              "Hãy nhập dữ liệu mới trước khi gửi nhắc việc.",
        "en": "The data only go up to {data}: dossiers finished since then are still listed. "
              "Import fresh data before sending reminders.",
    },
    "nv_overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "nv_near_due": {"vi": "Sắp đến hạn", "en": "Near due"},
    "nv_handlers": {"vi": "Người xử lý cần nhắc", "en": "Handlers to remind"},
    "nv_inter_count": {"vi": "Hồ sơ liên thông", "en": "Inter-agency dossiers"},
    "nv_total": {"vi": "Tổng số", "en": "Total"},
    "nv_codes": {"vi": "Mã hồ sơ", "en": "Dossier codes"},
    "nv_leaders": {"vi": "Lãnh đạo phụ trách", "en": "Leaders in charge"},
    "nv_handler_count": {"vi": "Số người xử lý", "en": "Handlers"},
    "nv_state": {"vi": "Tình trạng", "en": "State"},
    "nv_holding_agency": {"vi": "Đơn vị đang xử lý", "en": "Holding agency"},
    "nv_receiving_agency": {"vi": "Đơn vị tiếp nhận", "en": "Receiving agency"},
    "nv_due": {"vi": "Hạn xử lý", "en": "Due"},
    "nv_days_left": {"vi": "Còn (ngày làm việc)", "en": "Working days left"},
    "nv_tab_handler": {"vi": "Theo người xử lý", "en": "By handler"},
    "nv_tab_agency": {"vi": "Theo đơn vị", "en": "By agency"},
    "nv_tab_items": {"vi": "Danh sách hồ sơ", "en": "Dossiers"},
    "nv_tab_contacts": {"vi": "Danh bạ", "en": "Contacts"},
    "nv_tab_schedule": {"vi": "Lịch gửi và kênh", "en": "Schedule and channels"},
    "nv_tab_preview": {"vi": "Xem trước bản tin", "en": "Digest preview"},
    "nv_tab_history": {"vi": "Lịch sử gửi", "en": "Send history"},
    "nv_by_handler_title": {"vi": "Hồ sơ sắp đến hạn, quá hạn theo người xử lý",
                            "en": "Near-due and overdue dossiers by handler"},
    "nv_by_agency_title": {"vi": "Hồ sơ sắp đến hạn, quá hạn theo đơn vị",
                           "en": "Near-due and overdue dossiers by agency"},
    "nv_items_title": {"vi": "Danh sách hồ sơ cần nhắc", "en": "Dossiers to remind about"},
    "nv_nothing": {"vi": "Không có hồ sơ sắp đến hạn hoặc quá hạn.", "en": "No dossier is near due or overdue."},
    "nv_contacts_help": {
        "vi": "Mỗi cán bộ một dòng; họ tên phải trùng với tên người xử lý trong dữ liệu (không phân biệt "
              "hoa thường, dấu). Số di động 10 số (03, 05, 07, 08, 09) hoặc dạng +84. Lãnh đạo nhận "
              "bản tổng hợp của các đơn vị phụ trách.",
        "en": "One row per person; the name must match the handler name in the data (case and "
              "diacritics ignored). Mobile numbers: 10 digits (03, 05, 07, 08, 09) or +84. Leaders "
              "get the roll-up of the agencies they are in charge of.",
    },
    "nv_c_id": {"vi": "Mã", "en": "Id"},
    "nv_leads_help": {"vi": "Đơn vị lãnh đạo phụ trách, cách nhau bằng dấu ';' (để trống: đơn vị của mình).",
                      "en": "Agencies the leader is in charge of, separated by ';' (empty: their own)."},
    "nv_save_contacts": {"vi": "Lưu danh bạ", "en": "Save contacts"},
    "nv_saved_contacts": {"vi": "Đã lưu: thêm {added}, sửa {updated}, xóa {deleted}.",
                          "en": "Saved: {added} added, {updated} changed, {deleted} deleted."},
    "nv_contact_errors": {"vi": "Chưa lưu: hãy sửa các dòng sau.", "en": "Not saved: fix these rows."},
    "nv_import_title": {"vi": "Nhập danh bạ từ tệp", "en": "Import contacts from a file"},
    "nv_import_upload": {"vi": "Tệp danh bạ (.xlsx, .csv)", "en": "Contacts file (.xlsx, .csv)"},
    "nv_import_help": {
        "vi": "Các cột: Họ và tên (hoặc Người xử lý), Đơn vị, Số điện thoại, Email, Zalo, "
              "Vai trò (Lãnh đạo / Cán bộ), Phụ trách đơn vị. Dòng trùng được cập nhật.",
        "en": "Columns: Họ và tên (or Người xử lý), Đơn vị, Số điện thoại, Email, Zalo, "
              "Vai trò (Lãnh đạo / Cán bộ), Phụ trách đơn vị. Existing people are updated.",
    },
    "nv_import_button": {"vi": "Nhập danh bạ", "en": "Import contacts"},
    "nv_imported": {"vi": "Đã nhập: thêm {added}, cập nhật {updated}, không đổi {unchanged}, lỗi {errors} dòng.",
                    "en": "Imported: {added} added, {updated} updated, {unchanged} unchanged, {errors} rows with errors."},
    "nv_unmatched_title": {"vi": "Người xử lý chưa có trong danh bạ (không nhận được nhắc việc)",
                           "en": "Handlers without a contact (they get no reminder)"},
    "nv_schedule_now": {"vi": "Lịch gửi hiện tại: **{schedule}**.", "en": "Current schedule: **{schedule}**."},
    "nv_next_slots": {"vi": "Các đợt gửi tới: {slots}", "en": "Next sends: {slots}"},
    "nv_times": {"vi": "Giờ gửi", "en": "Times of day"},
    "nv_times_help": {"vi": "Dạng HH:MM, cách nhau bằng dấu phẩy, ví dụ 07:30, 13:30.",
                      "en": "HH:MM, separated by commas, e.g. 07:30, 13:30."},
    "nv_weekdays": {"vi": "Ngày trong tuần", "en": "Weekdays"},
    "nv_near_days": {"vi": "Sắp đến hạn: trong số ngày làm việc", "en": "Near due: within working days"},
    "nv_near_days_help": {"vi": "0: chỉ hồ sơ đến hạn trong ngày.", "en": "0: only dossiers due that day."},
    "nv_skip_holidays": {"vi": "Không gửi ngày lễ, ngày nghỉ", "en": "Skip public holidays"},
    "nv_notify_handlers": {"vi": "Gửi cho người xử lý", "en": "Send to handlers"},
    "nv_notify_leaders": {"vi": "Gửi cho lãnh đạo", "en": "Send to leaders"},
    "nv_sms_limit": {"vi": "Số tin SMS tối đa mỗi bản tin", "en": "Most SMS segments per digest"},
    "nv_sms_unaccented": {"vi": "SMS không dấu", "en": "SMS without diacritics"},
    "nv_sms_unaccented_help": {"vi": "Không dấu: 160 ký tự/tin; có dấu: 70 ký tự/tin.",
                               "en": "Unaccented: 160 characters a segment; with diacritics: 70."},
    "nv_send_empty": {"vi": "Gửi cả khi không có hồ sơ", "en": "Send even when nothing is due"},
    "nv_dashboard_url": {"vi": "Đường dẫn trang Nhắc việc (đưa vào bản tin)",
                         "en": "Link to this page (put in digests)"},
    "nv_office_name": {"vi": "Tên cơ quan (chữ ký bản tin)", "en": "Office name (digest signature)"},
    "nv_channels": {"vi": "Kênh gửi (JSON)", "en": "Channels (JSON)"},
    "nv_channels_help": {
        "vi": "Danh sách kênh smtp / webhook / file. Không ghi mật khẩu ở đây: ghi tên biến môi "
              "trường (password_secret, token_secret). Xem docs/REMINDERS.md.",
        "en": "A list of smtp / webhook / file channels. No passwords here: name the environment "
              "variable (password_secret, token_secret). See docs/REMINDERS.md.",
    },
    "nv_channels_json": {"vi": "Kênh gửi không phải JSON hợp lệ: {error}", "en": "Channels are not valid JSON: {error}"},
    "nv_templates": {"vi": "Mẫu bản tin", "en": "Message templates"},
    "nv_templates_help": {"vi": "Các biến dùng được:", "en": "Variables you can use:"},
    "nv_save_settings": {"vi": "Lưu thiết lập", "en": "Save settings"},
    "nv_settings_errors": {"vi": "Chưa lưu: hãy sửa các điểm sau.", "en": "Not saved: fix the following."},
    "nv_settings_saved": {"vi": "Đã lưu thiết lập nhắc việc.", "en": "Reminder settings saved."},
    "nv_send_now": {"vi": "Gửi ngay (ngoài lịch)", "en": "Send now (outside the schedule)"},
    "nv_send_now_help": {
        "vi": "Gửi bản tin của ngày nhắc đang chọn tới mọi người nhận qua các kênh đã bật. "
              "Mỗi lần bấm là một đợt gửi riêng.",
        "en": "Sends the digests of the chosen reminder date to every recipient on the enabled "
              "channels. Each click is a separate send.",
    },
    "nv_send_now_confirm": {"vi": "Tôi muốn gửi ngay", "en": "I want to send now"},
    "nv_send_now_button": {"vi": "Gửi nhắc việc", "en": "Send reminders"},
    "nv_sending": {"vi": "Đang gửi…", "en": "Sending…"},
    "nv_preview_help": {"vi": "Bản tin theo danh sách và bộ lọc đang xem; chưa gửi.",
                        "en": "Digests for the list and filters shown; nothing is sent."},
    "nv_no_digests": {"vi": "Không có bản tin nào: không có hồ sơ cần nhắc hoặc chưa có danh bạ phù hợp.",
                      "en": "No digest: nothing is due, or no matching contacts yet."},
    "nv_recipient": {"vi": "Người nhận", "en": "Recipient"},
    "nv_email": {"vi": "Thư điện tử", "en": "E-mail"},
    "nv_sms_accented": {"vi": "SMS có dấu", "en": "SMS with diacritics"},
    "nv_sms_plain": {"vi": "SMS không dấu", "en": "SMS without diacritics"},
    "nv_sms_measure": {"vi": "{units} ký tự, {segments} tin", "en": "{units} characters, {segments} segments"},
    "nv_slot": {"vi": "Đợt gửi", "en": "Send slot"},
    "nv_sent": {"vi": "Đã gửi", "en": "Sent"},
    "nv_failed": {"vi": "Lỗi", "en": "Failed"},
    "nv_attempts": {"vi": "Số lần thử", "en": "Attempts"},
    "nv_first_at": {"vi": "Bắt đầu (UTC)", "en": "First (UTC)"},
    "nv_last_at": {"vi": "Kết thúc (UTC)", "en": "Last (UTC)"},
    "nv_slots_title": {"vi": "Các đợt gửi", "en": "Send slots"},
    "nv_no_history": {"vi": "Chưa gửi lần nào.", "en": "Nothing sent yet."},
    "nv_time": {"vi": "Thời điểm (UTC)", "en": "Time (UTC)"},
    "nv_channel": {"vi": "Kênh", "en": "Channel"},
    "nv_address": {"vi": "Địa chỉ", "en": "Address"},
    "nv_attempt": {"vi": "Lần thử", "en": "Attempt"},
    "nv_result": {"vi": "Kết quả", "en": "Result"},
    "nv_error": {"vi": "Lỗi", "en": "Error"},
    "nv_hash": {"vi": "Mã bản tin", "en": "Digest hash"},
    "nv_log_title": {"vi": "Nhật ký gửi nhắc việc", "en": "Reminder send log"},
    # Sign-in, roles and administration (issue 6: signin.py, pages/quan_tri.py).
    "auth_title": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth_intro": {"vi": "Số liệu hồ sơ thủ tục hành chính là dữ liệu nội bộ: hãy đăng nhập để xem.",
                   "en": "Administrative procedure data is internal: please sign in."},
    "auth_username": {"vi": "Tên đăng nhập", "en": "Username"},
    "auth_password": {"vi": "Mật khẩu", "en": "Password"},
    "auth_submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth_sso": {"vi": "Đăng nhập một lần (SSO)", "en": "Single sign-on (SSO)"},
    # One message for a wrong password, an unknown username and a locked or
    # disabled account: a different one would tell who has an account here.
    "auth_invalid": {"vi": "Sai tên đăng nhập hoặc mật khẩu. Sau {attempts} lần nhập sai liên tiếp, tài khoản "
                           "bị tạm khóa {minutes} phút; nếu vẫn không vào được, hãy liên hệ quản trị viên.",
                     "en": "Wrong username or password. After {attempts} wrong passwords in a row an account "
                           "is locked for {minutes} minutes; if you still cannot sign in, contact an "
                           "administrator."},
    "auth_disk_full": {"vi": "Không đăng nhập được lúc này: ổ đĩa của máy chủ đã đầy nên không ghi được nhật ký "
                             "đăng nhập. Hãy báo quản trị viên giải phóng dung lượng ổ đĩa.",
                       "en": "Signing in is not possible right now: the server's disk is full, so the sign-in "
                             "cannot be written to the audit log. Please ask an administrator to free disk "
                             "space."},
    "ops_disk_full": {"vi": "Ổ đĩa đầy: không ghi được vào {path}. Chưa có gì được lưu; hãy giải phóng dung lượng "
                            "ổ đĩa rồi thử lại.",
                      "en": "The disk is full: nothing could be written to {path}. Nothing was saved; free "
                            "some disk space and try again."},
    "import_concurrent_change": {"vi": "Dữ liệu vừa được một lần nhập khác thay đổi trong lúc chờ ghi; lần nhập "
                                       "này chưa ghi gì. Hãy nhập lại các tệp.",
                                 "en": "Another import changed the data while this one waited to write; nothing "
                                       "was written. Please import the files again."},
    # Password policy (analytics.access.auth.check_password_strength).
    "pw_too_short": {"vi": "Mật khẩu phải có ít nhất {n} ký tự (nên dùng một câu dễ nhớ).",
                     "en": "A password needs at least {n} characters (a memorable sentence works well)."},
    "pw_spaces": {"vi": "Mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng.",
                  "en": "A password cannot start or end with a space."},
    "pw_username": {"vi": "Mật khẩu không được là tên đăng nhập (hay tên đăng nhập thêm vài chữ số).",
                    "en": "A password cannot be the username (or the username and a few digits)."},
    "pw_repeated": {"vi": "Mật khẩu không được chỉ lặp lại một hoặc vài ký tự (như 111111111111).",
                    "en": "A password cannot be one or a few characters repeated (like 111111111111)."},
    "pw_sequence": {"vi": "Mật khẩu không được là một dãy liền nhau trên bàn phím hay bảng chữ cái, chữ số "
                          "(như 123456789012, qwertyuiop).",
                    "en": "A password cannot be a run of keys, letters or digits (like 123456789012, "
                          "qwertyuiop)."},
    "pw_common": {"vi": "Mật khẩu này quá phổ biến (có trong danh sách mật khẩu hay bị dò). Hãy chọn mật khẩu "
                        "khác, ví dụ một câu dễ nhớ.",
                  "en": "This password is too common (it is on the list of passwords attackers try first). "
                        "Choose another, e.g. a memorable sentence."},
    "auth_no_users": {"vi": "Chưa có tài khoản nào. Người quản trị máy chủ tạo tài khoản đầu tiên bằng lệnh "
                            "`python -m analytics users add <tên> --role admin --db {db}`.",
                      "en": "There is no account yet. The server administrator creates the first one with "
                            "`python -m analytics users add <name> --role admin --db {db}`."},
    "auth_no_access": {"vi": "{who} chưa được cấp quyền xem dữ liệu này. Hãy liên hệ quản trị viên.",
                       "en": "{who} has no access to this data yet. Please contact an administrator."},
    "auth_account_gone": {"vi": "Tài khoản đã bị khóa hoặc xóa. Hãy đăng nhập lại.",
                          "en": "The account was disabled or removed. Please sign in again."},
    "auth_sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth_demo": {"vi": "Dữ liệu mẫu: không cần đăng nhập.", "en": "Demo data: no sign-in needed."},
    "auth_off": {"vi": "Đăng nhập đang tắt (MOTCUA_AUTH=off): ai mở trang cũng xem được toàn bộ dữ liệu.",
                 "en": "Sign-in is off (MOTCUA_AUTH=off): anyone who opens the page sees all data."},
    "auth_refused": {"vi": "Trang này chỉ dành cho quản trị viên.", "en": "This page is for administrators only."},
    "auth_scope": {"vi": "Phạm vi dữ liệu: {agency}", "en": "Data scope: {agency}"},
    "auth_scope_all": {"vi": "Phạm vi dữ liệu: toàn bộ", "en": "Data scope: everything"},
    "role_leader": {"vi": "Lãnh đạo", "en": "Leader"},
    "role_reform_officer": {"vi": "Cán bộ cải cách hành chính", "en": "Reform officer"},
    "role_agency_officer": {"vi": "Cán bộ đơn vị", "en": "Agency officer"},
    "role_admin": {"vi": "Quản trị viên", "en": "Administrator"},
    "page_admin": {"vi": "Quản trị", "en": "Administration"},
    "adm_users_tab": {"vi": "Tài khoản", "en": "Accounts"},
    "adm_audit_tab": {"vi": "Nhật ký", "en": "Audit log"},
    "adm_users_title": {"vi": "Danh sách tài khoản", "en": "Accounts"},
    "adm_audit_title": {"vi": "Nhật ký hệ thống", "en": "Audit log"},
    "adm_audit_empty": {"vi": "Không có mục nào trong khoảng này.", "en": "No entries in this range."},
    "adm_display_name": {"vi": "Họ tên", "en": "Name"},
    "adm_role": {"vi": "Vai trò", "en": "Role"},
    "adm_agency": {"vi": "Đơn vị", "en": "Agency"},
    "adm_agency_help": {"vi": "Bắt buộc với cán bộ đơn vị: họ chỉ xem được dữ liệu của đơn vị này.",
                        "en": "Required for agency officers: they see only this agency's data."},
    "adm_email": {"vi": "Thư điện tử công vụ", "en": "Work e-mail"},
    "adm_status": {"vi": "Trạng thái", "en": "Status"},
    "adm_last_sign_in": {"vi": "Đăng nhập lần cuối", "en": "Last sign-in"},
    "adm_state_active": {"vi": "Hoạt động", "en": "Active"},
    "adm_state_disabled": {"vi": "Đã khóa", "en": "Disabled"},
    "adm_state_locked": {"vi": "Tạm khóa đến {until}", "en": "Locked until {until}"},
    "adm_add_title": {"vi": "Thêm tài khoản", "en": "Add an account"},
    "adm_oidc_only": {"vi": "Chỉ đăng nhập một lần (SSO), không có mật khẩu riêng",
                      "en": "Single sign-on only, no local password"},
    "adm_add_button": {"vi": "Thêm tài khoản", "en": "Add account"},
    "adm_added": {"vi": "Đã thêm tài khoản {user}.", "en": "Account {user} added."},
    "adm_change_title": {"vi": "Sửa tài khoản", "en": "Change an account"},
    "adm_pick_user": {"vi": "Tài khoản", "en": "Account"},
    "adm_disable": {"vi": "Khóa tài khoản", "en": "Disable"},
    "adm_enable": {"vi": "Mở khóa tài khoản", "en": "Enable"},
    "adm_self_disable": {"vi": "Không thể tự khóa tài khoản đang dùng.",
                         "en": "You cannot disable the account you are using."},
    "adm_new_password": {"vi": "Mật khẩu mới", "en": "New password"},
    "adm_reset": {"vi": "Đặt lại mật khẩu", "en": "Reset password"},
    "adm_done": {"vi": "Đã cập nhật tài khoản {user}.", "en": "Account {user} updated."},
    "adm_save_role": {"vi": "Lưu vai trò và đơn vị", "en": "Save role and agency"},
    "adm_since": {"vi": "Từ ngày", "en": "Since"},
    "adm_time": {"vi": "Thời gian", "en": "Time"},
    "adm_actor": {"vi": "Người thực hiện", "en": "Who"},
    "adm_action": {"vi": "Hành động", "en": "Action"},
    "adm_target": {"vi": "Đối tượng", "en": "What"},
    "adm_detail": {"vi": "Chi tiết", "en": "Detail"},
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


# Columns holding codes that users read by name.
CODE_COLUMNS = {"channel": channel_name, "status": status_name}


def localise_codes(df, lang: str = "vi"):
    """A copy of the DataFrame ``df`` with channel and status codes shown by name.

    ``online`` → "Trực tuyến", ``10`` → "Đã trả kết quả"; missing values stay
    missing. For on-screen tables; ``excel.table_to_xlsx`` does it itself.
    """
    out = df.copy()
    for column, name_of in CODE_COLUMNS.items():
        if column in out.columns:
            out[column] = [None if _missing(v) else name_of(v, lang) for v in out[column].tolist()]
    return out


def _missing(value: object) -> bool:
    return value is None or value != value  # NaN / NaT


def column_label(name: str, lang: str = "vi") -> str:
    """Header for an engine column: its label when one exists, else the name itself."""
    return t(name, lang) if name in LABELS else name


_LEVEL_KEYS = {"Tỉnh": "level_province", "Huyện": "level_district", "Xã": "level_commune"}


def level_name(level: str | None, lang: str = "vi") -> str:
    """Display name of an agency level ("Tỉnh" / "Huyện" / "Xã")."""
    if level is None:
        return ""
    key = _LEVEL_KEYS.get(level)
    return t(key, lang) if key else level


def describe_filters(f: Any, lang: str = "vi") -> str:
    """The filters other than the period, as people read them:
    "Cấp đơn vị: Xã; Cơ quan/đơn vị: UBND xã An Bình; Kênh nộp: Trực tuyến"
    (empty when none is set). ``f`` is an :class:`analytics.indicators.filters.Filters`."""
    parts = []
    if f.agency_level:
        parts.append(f"{t('agency_level', lang)}: {level_name(f.agency_level, lang)}")
    if f.agency:
        parts.append(f"{t('agency', lang)}: {f.agency}")
    if f.field:
        parts.append(f"{t('field', lang)}: {f.field}")
    if f.procedure:
        parts.append(f"{t('procedure_code', lang)}: {f.procedure}")
    if f.channel:
        parts.append(f"{t('channel', lang)}: {channel_name(f.channel, lang)}")
    return "; ".join(parts)
