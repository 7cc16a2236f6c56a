"""Labels: the data pages and the meeting pack."""

LABELS: dict[str, dict[str, str]] = {
    # ----- Tổng quan -----
    "ov_report06_line": {"vi": "Dòng tổng hợp Biểu 06", "en": "Form 06 summary line"},
    "ov_compare_table": {"vi": "Các chỉ số so với kỳ trước và cùng kỳ năm trước",
                         "en": "Indicators against the previous period and last year"},
    "ov_compare_table_one": {"vi": "Các chỉ số so với kỳ trước (cũng là cùng kỳ năm trước)",
                             "en": "Indicators vs the previous period (also the same period last year)"},
    "ov_worst_title": {"vi": "{top} cơ quan/đơn vị có tỷ lệ trễ hạn cao nhất",
                       "en": "The {top} agencies with the highest late rate"},
    "ov_worst_note": {"vi": "Xếp hạng theo tỷ lệ trễ hạn từ {min} hồ sơ đã giải quyết trở lên; đơn vị ít hồ sơ hơn "
                            "được ghi kèm số hồ sơ, không xếp hạng.",
                      "en": "Ranked by late rate from {min} resolved dossiers up; smaller units are shown with "
                            "their volume, unranked."},
    "ov_worst_link": {"vi": "Xem đủ các cơ quan và hồ sơ trễ hạn (Đúng hạn / trễ hạn)",
                      "en": "Every agency and the late dossiers (On time / late)"},
    "ov_indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "ov_current": {"vi": "Kỳ này", "en": "This period"},
    "ov_change_previous": {"vi": "Thay đổi so với kỳ trước", "en": "Change vs previous"},
    "ov_change_last_year": {"vi": "Thay đổi so với cùng kỳ", "en": "Change vs last year"},
    # ----- Đúng hạn / trễ hạn -----
    "dh_drill_title": {"vi": "Hồ sơ trễ hạn của một cơ quan", "en": "Late dossiers of one agency"},
    "dh_drill_pick": {"vi": "Cơ quan/đơn vị", "en": "Agency"},
    "dh_drill_placeholder": {"vi": "Chọn cơ quan hoặc bấm vào biểu đồ…",
                             "en": "Choose an agency or click the chart…"},
    "dh_resolved_late_title": {"vi": "Giải quyết quá hạn trong kỳ: {count} hồ sơ",
                               "en": "Resolved late in the period: {count} dossiers"},
    "dh_pending_overdue_title": {"vi": "Đang giải quyết quá hạn tại ngày {date}: {count} hồ sơ",
                                 "en": "Pending and overdue on {date}: {count} dossiers"},
    "dh_resolved_file_title": {"vi": "Hồ sơ giải quyết quá hạn – {agency}", "en": "Dossiers resolved late – {agency}"},
    "dh_pending_file_title": {"vi": "Hồ sơ đang giải quyết quá hạn – {agency}",
                              "en": "Dossiers pending and overdue – {agency}"},
    "dh_no_resolved_late": {"vi": "{agency}: không có hồ sơ giải quyết quá hạn trong kỳ.",
                            "en": "{agency}: no dossier resolved late in the period."},
    "dh_no_pending_overdue": {"vi": "{agency}: không có hồ sơ đang giải quyết quá hạn.",
                              "en": "{agency}: no dossier pending and overdue."},
    "dh_state_open": {"vi": "Chưa trả kết quả", "en": "Not returned yet"},
    "dh_state_done_after": {"vi": "Đã trả sau kỳ, ngày {date}", "en": "Returned after the period, on {date}"},
    "dh_state": {"vi": "Tình trạng cuối kỳ", "en": "State at the period's end"},
    "dh_click_hint": {"vi": "Biểu đồ: {top} đơn vị có tỷ lệ trễ hạn cao nhất, xếp hạng từ {min} hồ sơ đã giải "
                                "quyết trở lên (bảng dưới có đủ, cùng thứ tự). Bấm vào một cột để xem hồ sơ trễ hạn "
                                "của cơ quan đó.",
                          "en": "Chart: the {top} agencies with the highest late rate, ranked from {min} resolved "
                                "dossiers up (the table below has all, in the same order). Click a bar to list that "
                                "agency's late dossiers."},
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
    "pk_none": {"vi": "Không có TTHC nào để đề xuất: mọi TTHC còn hiệu lực, công bố từ 3 năm trước, đều có "
                      "hồ sơ trong 3 năm tính đến ngày {date}.",
                "en": "Nothing to propose: every procedure in force published three years ago or earlier had "
                      "dossiers in the three years up to {date}."},
    "pk_period_empty": {"vi": "Kỳ đang xem không có hồ sơ nào được tiếp nhận, nên không TTHC nào phát sinh hồ sơ "
                              "trong kỳ. Danh sách dưới đây xét 3 năm tính đến ngày {date}, không chỉ kỳ này.",
                        "en": "No dossier was received in this period, so no procedure had dossiers in it. "
                              "The list below looks at the three years up to {date}, not only this period."},
    # ----- Báo cáo Biểu 06 -----
    "r06_title": {"vi": "Biểu số 06/VPCP/KSTT – Tình hình, kết quả giải quyết TTHC",
                  "en": "Form 06/VPCP/KSTT – Handling of administrative procedures"},
    "r06_counting": {"vi": "Cách đếm", "en": "Counting"},
    "r06_counting_help": {
        "vi": "Cách đếm Biểu 06 là cách của biểu mẫu (Thông tư 01/2020/TT-VPCP). Cách đếm của Cổng (Chỉ số 766) "
              "không tính thời gian chờ công dân bổ sung hồ sơ và tính là quá hạn hồ sơ yêu cầu bổ sung hơn 1 lần.",
        "en": "Biểu 06 counting is the form's (Circular 01/2020/TT-VPCP). The portal's counting (766 index) leaves "
              "out the time waiting for the citizen's supplement and counts a dossier asked for a supplement "
              "more than once as late."},
    "r06_caption": {"vi": "Theo Thông tư 01/2020/TT-VPCP: các lĩnh vực theo cấp, dòng cộng của từng cấp và dòng tổng cộng.",
                    "en": "As in Circular 01/2020/TT-VPCP: fields by level, a subtotal per level and the total."},
    "r06_unit": {"vi": "Đơn vị báo cáo", "en": "Reporting unit"},
    "r06_unit_placeholder": {"vi": "Ví dụ: UBND xã Phú Lâm", "en": "e.g. Phu Lam Commune People's Committee"},
    "r06_unit_help": {"vi": "In ở đầu biểu mẫu.", "en": "Printed at the top of the form."},
    "r06_download_form": {"vi": "Tải Biểu 06 (.xlsx)", "en": "Download Form 06 (.xlsx)"},
    "r06_total": {"vi": "Tổng cộng", "en": "Total"},
    "r06_level": {"vi": "Cấp {level}", "en": "{level} level"},
    "r06_level_province": {"vi": "Cấp tỉnh", "en": "Province level"},
    "r06_level_district": {"vi": "Cấp huyện (trước 01/07/2025)", "en": "District level (before 1 July 2025)"},
    "r06_level_commune": {"vi": "Cấp xã", "en": "Commune level"},
    "r06_level_unknown": {"vi": "Chưa xác định cấp", "en": "Level not recorded"},
    "r06_field_unknown": {"vi": "Chưa xác định lĩnh vực", "en": "Field not recorded"},
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
}
