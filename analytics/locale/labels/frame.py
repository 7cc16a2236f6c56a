"""Labels: the dashboard's frame: sidebar, filters, header, errors, shared widgets."""

LABELS: dict[str, dict[str, str]] = {
    # --- pages (the app agent appends page-specific keys below) --------------
    # ----- dashboard frame (dashboard.py, glue.py) -----
    # The app's name: the office's own unit when set (office_name), else neutral.
    "app_name": {"vi": "Một cửa điện tử · Chỉ số CCHC", "en": "One-stop shop · Reform indicators"},
    "app_name_office": {"vi": "{office} · Chỉ số CCHC", "en": "{office} · Reform indicators"},
    "ui_demo_building": {"vi": "Đang tạo cơ sở dữ liệu mẫu (khoảng 10–30 giây, chỉ lần đầu)…",
                         "en": "Building the demo database (about 10–30 seconds, first time only)…"},
    "ui_db_upgrading": {"vi": "Đang cập nhật cơ sở dữ liệu cho phiên bản mới (chỉ một lần)…",
                        "en": "Updating the database for the new version (once only)…"},
    "ui_page_not_found": {"vi": "Không có trang này trong đường link; đang mở trang Tổng quan.",
                          "en": "The link's page does not exist; showing the overview instead."},
    # The browser tab's title (st.set_page_config).
    "app_title": {"vi": "Một cửa điện tử · Chỉ số cải cách hành chính",
                  "en": "One-stop shop · Administrative reform indicators"},
    "app_title_office": {"vi": "{office} · Chỉ số cải cách hành chính",
                         "en": "{office} · Administrative reform indicators"},
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
    "ui_compare_note_one": {
        "vi": "Mũi tên: thay đổi so với kỳ trước, cũng là cùng kỳ năm trước ({period}).",
        "en": "Arrows: change vs the previous period, which is also the same period last year ({period}).",
    },
    "kpi_late": {"vi": "Giải quyết quá hạn", "en": "Resolved late"},
    "kpi_pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending, overdue"},
    "col_pending_overdue": {"vi": "Đang giải quyết quá hạn", "en": "Pending, overdue"},
}
