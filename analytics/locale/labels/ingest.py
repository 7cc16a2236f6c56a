"""Labels: the import page and the importer's messages."""

LABELS: dict[str, dict[str, str]] = {
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
}
