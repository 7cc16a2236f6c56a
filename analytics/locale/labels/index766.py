"""Labels: Chỉ số 766 (issue 15): groups, sub-criteria, statuses, the
choices made where the formula document is silent, the counting conventions,
the page and the meeting pack's slide and section."""

LABELS: dict[str, dict[str, str]] = {
    # --- groups -----------------------------------------------------------------
    "i766_g_public": {"vi": "Công khai, minh bạch", "en": "Publicity and transparency"},
    "i766_g_progress": {"vi": "Tiến độ giải quyết", "en": "Handling progress"},
    "i766_g_online": {"vi": "Dịch vụ công trực tuyến", "en": "Online public services"},
    "i766_g_payment": {"vi": "Thanh toán trực tuyến", "en": "Online payment"},
    "i766_g_satisfaction": {"vi": "Mức độ hài lòng", "en": "Satisfaction"},
    "i766_g_digitisation": {"vi": "Số hóa hồ sơ", "en": "Digitisation of dossiers"},
    # --- sub-criteria -------------------------------------------------------------
    "i766_c_1_1": {"vi": "1.1 TTHC công bố đúng hạn", "en": "1.1 Procedures published on time"},
    "i766_c_1_2": {"vi": "1.2 TTHC cập nhật, công khai đúng hạn", "en": "1.2 Procedures updated and made public on time"},
    "i766_c_1_3": {"vi": "1.3 TTHC công khai đầy đủ các bộ phận",
                   "en": "1.3 Procedures published with every required part"},
    "i766_c_1_4": {"vi": "1.4 Hồ sơ đồng bộ lên Cổng DVCQG", "en": "1.4 Dossiers synced to the national portal"},
    "i766_c_2_1": {"vi": "2.1 Hồ sơ xử lý trước hạn, đúng hạn", "en": "2.1 Dossiers handled early or on time"},
    "i766_c_dvc": {"vi": "Hồ sơ toàn trình / hồ sơ của TTHC đủ điều kiện toàn trình",
                   "en": "Fully online dossiers / dossiers of procedures eligible to be fully online"},
    "i766_c_3_1": {"vi": "3.1 TTHC cung cấp dịch vụ công trực tuyến", "en": "3.1 Procedures offered online"},
    "i766_c_3_2": {"vi": "3.2 DVCTT có phát sinh hồ sơ", "en": "3.2 Online services with dossiers"},
    "i766_c_3_3": {"vi": "3.3 Hồ sơ nộp trực tuyến", "en": "3.3 Dossiers submitted online"},
    "i766_c_3_5": {"vi": "3.5 TTHC có phí được tích hợp thanh toán trên Cổng DVCQG",
                   "en": "3.5 Fee-bearing procedures integrated for payment on the national portal"},
    "i766_c_3_5b": {"vi": "3.5b TTHC có giao dịch thanh toán trực tuyến",
                    "en": "3.5b Procedures with an online payment"},
    "i766_c_3_6": {"vi": "3.6 Hồ sơ thanh toán trực tuyến", "en": "3.6 Dossiers paid online"},
    "i766_c_4_1": {"vi": "4.1 Hồ sơ có kết quả điện tử", "en": "4.1 Dossiers with an electronic result"},
    "i766_c_4_2": {"vi": "4.2 Hồ sơ được số hóa", "en": "4.2 Dossiers digitised"},
    "i766_c_4_3": {"vi": "4.3 Hồ sơ sử dụng lại dữ liệu số hóa", "en": "4.3 Dossiers reusing digitised data"},
    "i766_c_4_4": {"vi": "4.4 Hồ sơ lấy dữ liệu từ kho của công dân",
                   "en": "4.4 Dossiers using the citizen's data store"},
    "i766_c_4_5a": {"vi": "4.5a TTHC kết nối dữ liệu dân cư", "en": "4.5a Procedures connected to population data"},
    "i766_c_4_5b": {"vi": "4.5b Hồ sơ sử dụng CSDL quốc gia về dân cư (VNeID)",
                    "en": "4.5b Dossiers using the population database (VNeID)"},
    "i766_c_e_copy": {"vi": "Chứng thực bản sao điện tử từ bản chính",
                      "en": "Electronic certified copies from originals"},
    "i766_c_5_1": {"vi": "5.1 Phản ánh, kiến nghị theo phân loại", "en": "5.1 Feedback by kind"},
    "i766_c_5_2": {"vi": "5.2 Tiến độ xử lý phản ánh, kiến nghị", "en": "5.2 Feedback handled on time"},
    "i766_c_5_3": {"vi": "5.3 Hài lòng trong xử lý phản ánh, kiến nghị", "en": "5.3 Satisfaction with feedback handling"},
    "i766_c_5_4": {"vi": "5.4 Hài lòng trong tiếp nhận, giải quyết TTHC",
                   "en": "5.4 Satisfaction with dossier handling"},
    # --- statuses -----------------------------------------------------------------
    "i766_status_computed": {"vi": "Đã tính", "en": "Computed"},
    "i766_status_partial": {"vi": "Tính một phần", "en": "Partly computed"},
    "i766_status_no_data": {"vi": "Không có dữ liệu", "en": "No data"},
    "i766_status_needs_national_db": {"vi": "Cần CSDL quốc gia", "en": "Needs the national database"},
    "i766_missing_columns": {"vi": "thiếu cột {columns}", "en": "missing column {columns}"},
    "i766_partial_missing": {"vi": "{n} hồ sơ thiếu dữ liệu nguồn, không tính",
                             "en": "{n} dossiers lack the source data and are left out"},
    "i766_partial_pakn": {"vi": "chưa có phần phản ánh, kiến nghị (hệ thống PAKN của Cổng)",
                          "en": "the feedback part (the portal's feedback system) is missing"},
    "i766_partial_sync_ratio": {"vi": "chưa nhân hệ số đồng bộ (tiêu chí 1.4, cần CSDL quốc gia)",
                                "en": "not multiplied by the sync ratio (1.4 needs the national database)"},
    "i766_partial_result_store": {"vi": "chưa tính kết quả điện tử đồng bộ vào kho của công dân",
                                  "en": "results synced to the citizen's store are not counted"},
    # --- choices (docs/INDICATORS.md, "Chỉ số 766") ---------------------------------
    "i766_note_display": {"vi": "Không có ngưỡng: điểm = tỷ lệ × điểm tối đa (cách hiển thị của Cổng; "
                                "tài liệu công thức không quy đổi)",
                          "en": "No threshold: points = ratio × maximum (the portal's display convention; "
                                "the formula document gives no conversion)"},
    "i766_note_convention": {"vi": "Tiến độ theo cách đếm của Cổng: thời gian chờ bổ sung không tính, "
                                   "yêu cầu bổ sung hơn 1 lần là trễ hạn",
                             "en": "Progress as the portal counts it: time waiting for a supplement does not "
                                   "count, more than one supplement request is late"},
    "i766_note_dvc_metrics": {"vi": "12 điểm theo bảng METRICS (không có trong tài liệu mô tả công thức)",
                              "en": "12 points as the METRICS sheet has it (not in the formula document)"},
    "i766_note_tracked": {"vi": "Chỉ theo dõi: Cổng ghi điểm tối đa \"Chưa xác định\"",
                          "en": "Tracked only: the portal gives its maximum as \"not decided\""},
    "i766_note_channel_direct": {"vi": "Hồ sơ không có kênh nộp được tính là trực tiếp, như Cổng tính",
                                 "en": "A dossier with no channel counts as direct, as the portal counts it"},
    "i766_note_payment_whole": {"vi": "10 điểm cho 3.6 theo bảng METRICS; cách chia 2 + 2 + 6 là một lựa chọn",
                                "en": "10 points on 3.6 as the METRICS sheet has it; the 2 + 2 + 6 split is "
                                      "an option"},
    "i766_note_payment_split": {"vi": "Chia 2 + 2 + 6 (3.5, 3.5b, 3.6) theo bản cấu hình 08/10/2026, không có "
                                      "trong tài liệu công thức",
                                "en": "Split 2 + 2 + 6 (3.5, 3.5b, 3.6) as the 08/10/2026 configuration has "
                                      "it, not in the formula document"},
    "i766_note_dislike": {"vi": "Không hài lòng = điểm đánh giá dưới 50/100; mỗi hồ sơ tính một lần",
                          "en": "Disliked = rating under 50/100; each dossier counts once"},
    # --- conventions -----------------------------------------------------------------
    "convention_bieu06": {"vi": "Cách đếm Biểu 06", "en": "Biểu 06 counting"},
    "convention_portal766": {"vi": "Cách đếm của Cổng (Chỉ số 766)", "en": "The portal's counting (766 index)"},
    "r06_note_portal_counting": {
        "vi": "Biểu này đếm theo cách đếm của Cổng Dịch vụ công quốc gia (Chỉ số 766): thời gian chờ công dân "
              "bổ sung hồ sơ không tính vào thời gian giải quyết, hồ sơ yêu cầu bổ sung hơn 1 lần tính là quá "
              "hạn, hồ sơ đang chờ bổ sung dừng đồng hồ ở ngày yêu cầu.",
        "en": "This form counts as the national portal does (766 index): time waiting for the citizen's "
              "supplement does not count, a dossier asked for a supplement more than once is late, a dossier "
              "waiting for a supplement stopped its clock on the request day."},
    # --- the page ---------------------------------------------------------------------
    "i766_title": {"vi": "Chỉ số 766", "en": "The 766 index"},
    "i766_caption": {"vi": "Điểm của đơn vị theo Quyết định 766/QĐ-TTg, tính từ dữ liệu một cửa của đơn vị, "
                           "trước khi Cổng công bố; phần nào không tính được và vì sao; hồ sơ nào làm mất điểm.",
                     "en": "The office's score under Decision 766/QĐ-TTg, computed from its own one-stop data "
                           "before the portal publishes it; what cannot be computed and why; which dossiers "
                           "cost points."},
    "i766_total": {"vi": "Điểm tính được", "en": "Points computed"},
    "i766_total_of": {"vi": "trên 100 điểm", "en": "out of 100"},
    "i766_reachable": {"vi": "Tối đa tính được từ dữ liệu", "en": "Maximum the data can tell"},
    "i766_lost": {"vi": "Điểm bị mất", "en": "Points lost"},
    "i766_points_of": {"vi": "{points} / {maximum} điểm", "en": "{points} / {maximum} points"},
    "i766_counting": {"vi": "Cách đếm tiến độ", "en": "Progress counting"},
    "i766_payment_split": {"vi": "Chia điểm thanh toán 2 + 2 + 6", "en": "Split payment points 2 + 2 + 6"},
    "i766_bars_title": {"vi": "Điểm từng tiêu chí", "en": "Points by sub-criterion"},
    "i766_criteria_title": {"vi": "Bảng tiêu chí", "en": "Sub-criteria"},
    "i766_trend_title": {"vi": "Điểm theo tháng", "en": "Points by month"},
    "i766_agencies_title": {"vi": "Đơn vị xếp theo điểm bị mất", "en": "Agencies by points lost"},
    "i766_levels_title": {"vi": "Theo cấp", "en": "By level"},
    "i766_losses_title": {"vi": "Mất điểm ở đâu", "en": "What costs points"},
    "i766_losses_pick": {"vi": "Tiêu chí", "en": "Sub-criterion"},
    "i766_losses_none": {"vi": "Không có hồ sơ nào làm mất điểm ở tiêu chí này.",
                         "en": "No dossier costs points on this sub-criterion."},
    "i766_losses_procedures": {"vi": "Theo thủ tục", "en": "By procedure"},
    "i766_simulation_title": {"vi": "Mô phỏng", "en": "Simulation"},
    "i766_simulation_n": {"vi": "Số hồ sơ khắc phục được", "en": "Dossiers fixed"},
    "i766_simulation_result": {"vi": "Nếu {n} hồ sơ này đạt (đúng hạn, trực tuyến, thanh toán trực tuyến, số hóa…): "
                                     "thêm {gain} điểm ở {criterion}, tổng {total} điểm.",
                               "en": "Had these {n} dossiers scored (on time, online, paid online, digitised…): "
                                     "{gain} more points on {criterion}, {total} in all."},
    "i766_unscored": {"vi": "Không tính được", "en": "Not computed"},
    "i766_no_dossiers": {"vi": "không có hồ sơ trong kỳ", "en": "no dossiers in the period"},
    "page_index766": {"vi": "Chỉ số 766", "en": "766 index"},
    # --- table columns ------------------------------------------------------------------
    "i766_col_received_on": {"vi": "Ngày tiếp nhận", "en": "Received"},
    "i766_col_due_on": {"vi": "Ngày hẹn trả", "en": "Due"},
    "i766_col_finished_on": {"vi": "Ngày kết thúc xử lý", "en": "Finished"},
    "i766_col_supplements": {"vi": "Số lần yêu cầu bổ sung", "en": "Supplement requests"},
    "i766_col_rating": {"vi": "Điểm đánh giá", "en": "Rating"},
    "i766_col_why": {"vi": "Ghi chú", "en": "Notes"},
    "i766_col_criterion": {"vi": "Tiêu chí", "en": "Sub-criterion"},
    "i766_col_group": {"vi": "Nhóm", "en": "Group"},
    "i766_col_numerator": {"vi": "Tử số", "en": "Numerator"},
    "i766_col_denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "i766_col_ratio": {"vi": "Tỷ lệ", "en": "Ratio"},
    "i766_col_points": {"vi": "Điểm", "en": "Points"},
    "i766_col_maximum": {"vi": "Tối đa", "en": "Maximum"},
    "i766_col_status": {"vi": "Trạng thái", "en": "Status"},
    "i766_col_reachable": {"vi": "Tối đa tính được", "en": "Reachable"},
    "i766_col_lost": {"vi": "Điểm mất", "en": "Points lost"},
    "i766_col_dossiers": {"vi": "Số hồ sơ", "en": "Dossiers"},
    # --- meeting pack ----------------------------------------------------------------------
    "i766_pack_title": {"vi": "Chỉ số 766: {points} điểm tính được / {reachable} điểm tối đa tính được",
                        "en": "The 766 index: {points} points computed / {reachable} the data can tell"},
    "i766_pack_losses": {"vi": "Ba nguồn mất điểm lớn nhất", "en": "The three biggest sources of lost points"},
    "i766_pack_loss_line": {"vi": "{criterion}: mất {lost} điểm ({dossiers} hồ sơ)",
                            "en": "{criterion}: {lost} points lost ({dossiers} dossiers)"},
    "i766_pack_unscored": {"vi": "Chưa tính được {n} điểm: cần CSDL quốc gia hoặc thiếu cột dữ liệu.",
                           "en": "{n} points not computed: they need the national database or missing columns."},
}
