"""Labels: the import page and the importer's messages."""

LABELS: dict[str, dict[str, str]] = {
    # ----- Nhập dữ liệu -----
    "imp_intro": {
        "vi": "Tải lên một hoặc nhiều tệp xuất từ phần mềm một cửa (.xlsx, .csv hoặc .json). Hệ thống kiểm tra "
              "trước, chưa ghi gì; chỉ khi bấm **Xác nhận nhập** dữ liệu mới được ghi, một lần trọn vẹn. "
              "Các cột thông tin cá nhân của người nộp (họ tên, CCCD, địa chỉ, điện thoại, email) bị bỏ, không lưu.",
        "en": "Upload one or more exports of the one-stop software (.xlsx, .csv or .json). They are checked first and "
              "nothing is written until you press **Confirm import**, which writes everything at once. "
              "Applicants' personal columns (name, ID, address, phone, e-mail) are dropped, never stored.",
    },
    "imp_upload": {"vi": "Chọn tệp xuất (.xlsx, .csv, .json)", "en": "Export files (.xlsx, .csv, .json)"},
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
    # ----- the layout of a file, as detected (issue 13) -----
    "imp_tab_import": {"vi": "Nhập tệp", "en": "Import files"},
    "imp_tab_attach": {"vi": "Gắn mã thủ tục", "en": "Attach procedures"},
    "imp_tab_merge": {"vi": "Gộp tên đơn vị", "en": "Merge agencies"},
    "imp_layout_title": {"vi": "Bố cục tệp", "en": "File layout"},
    "imp_layout_new": {
        "vi": "{where}: bố cục mới, hệ thống tự nhận dạng ({system}; tiêu đề ở dòng {rows}). Kiểm tra nghĩa của "
              "từng cột bên dưới, sửa nếu cần; khi xác nhận nhập, bố cục được ghi nhớ và lần sau tệp cùng bố cục "
              "được nhập ngay.",
        "en": "{where}: a new layout, detected automatically ({system}; header on row {rows}). Check what each "
              "column means below and correct it if needed; confirming the import remembers the layout, so a "
              "later file with the same layout imports in one step.",
    },
    "imp_layout_profile": {
        "vi": "{where}: đọc theo bố cục đã lưu **{name}** (tiêu đề ở dòng {rows}).",
        "en": "{where}: read with the saved layout **{name}** (header on row {rows}).",
    },
    "imp_where_file": {"vi": "Tệp '{file}'", "en": "File '{file}'"},
    "imp_where_sheet": {"vi": "Tệp '{file}', trang '{sheet}'", "en": "File '{file}', sheet '{sheet}'"},
    "imp_system_list": {"vi": "danh sách", "en": "a plain list"},
    "imp_system_report": {"vi": "dạng báo cáo, có dòng tiêu đề phía trên", "en": "report-style, title rows above"},
    "imp_system_sync": {"vi": "tên trường đồng bộ quốc gia", "en": "national sync field names"},
    "imp_header": {"vi": "Cột trong tệp", "en": "Column in the file"},
    "imp_meaning": {"vi": "Nghĩa", "en": "Meaning"},
    "imp_m_dropped": {"vi": "Bỏ: thông tin cá nhân, không lưu", "en": "Dropped: personal data, never stored"},
    "imp_m_ignored": {"vi": "Bỏ qua", "en": "Ignored"},
    "imp_m_staff": {"vi": "Bỏ qua: cột cán bộ", "en": "Ignored: staff column"},
    "imp_m_cross_check": {"vi": "Bỏ qua: chỉ để đối chiếu (quá hạn tính từ các ngày)",
                          "en": "Ignored: cross-check only (lateness comes from the dates)"},
    "imp_m_duplicate": {"vi": "Bỏ qua: cột khác đã là {column}", "en": "Ignored: another column is {column}"},
    "imp_skipped_rows": {"vi": "Bỏ qua, không phải hồ sơ: {items}", "en": "Skipped, not dossiers: {items}"},
    "imp_skip_title": {"vi": "{n} dòng tiêu đề", "en": "{n} title rows"},
    "imp_skip_numbering": {"vi": "{n} dòng đánh số cột", "en": "{n} column-number rows"},
    "imp_skip_group": {"vi": "{n} dòng nhóm", "en": "{n} group rows"},
    "imp_skip_total": {"vi": "{n} dòng tổng", "en": "{n} total rows"},
    "imp_skip_signature": {"vi": "{n} dòng ký tên", "en": "{n} signature rows"},
    "imp_fix_title": {"vi": "Sửa nghĩa một cột", "en": "Correct a column's meaning"},
    "imp_fix_column": {"vi": "Cột trong tệp", "en": "Column in the file"},
    "imp_fix_meaning": {"vi": "Nghĩa đúng", "en": "Its meaning"},
    "imp_fix_apply": {"vi": "Lưu bố cục và kiểm tra lại", "en": "Save the layout and check again"},
    "imp_fix_done": {"vi": "Đã lưu bố cục; các tệp được kiểm tra lại theo bố cục này.",
                     "en": "Layout saved; the files were checked again with it."},
    "imp_fix_citizen": {"vi": "Các cột thông tin cá nhân luôn bị bỏ, không sửa được.",
                        "en": "Personal-data columns are always dropped and cannot be changed."},
    # ----- procedures filed under a name, waiting for their catalogue code -----
    "imp_attach_intro": {
        "vi": "Thủ tục trong tệp không có mã và tên không khớp danh mục TTHC được ghi tạm theo tên. Gắn vào "
              "mã TTHC đúng: các hồ sơ đã nhập chuyển sang mã đó, và lần nhập sau tên này tự khớp.",
        "en": "Procedures that came with no code and whose name matched nothing in the catalogue are filed under "
              "their name. Attach one to its catalogue code: its dossiers move to that code, and later imports "
              "match the name by themselves.",
    },
    "imp_attach_none": {"vi": "Không có thủ tục nào chờ gắn mã.", "en": "No procedure is waiting for a code."},
    "imp_attach_no_catalogue": {"vi": "Danh mục TTHC chưa có thủ tục nào: hãy nhập danh mục trước.",
                                "en": "The procedure catalogue is empty: import it first."},
    "imp_attach_table": {"vi": "Thủ tục chờ gắn mã", "en": "Procedures waiting for a code"},
    "imp_attach_name": {"vi": "Tên thủ tục", "en": "Procedure name"},
    "imp_attach_key": {"vi": "Mã tạm", "en": "Temporary key"},
    "imp_attach_dossiers": {"vi": "Số hồ sơ", "en": "Dossiers"},
    "imp_attach_code": {"vi": "Mã TTHC trong danh mục", "en": "Catalogue code"},
    "imp_attach_button": {"vi": "Gắn mã", "en": "Attach"},
    "imp_attach_done": {"vi": "Đã gắn thủ tục '{name}' vào mã TTHC {code}: {n} hồ sơ mang mã này.",
                        "en": "Procedure '{name}' attached to code {code}: {n} dossiers now carry it."},
    # ----- two spellings of one agency -----
    "imp_merge_intro": {
        "vi": "Hai tên chỉ cùng một đơn vị (ví dụ \"UBND xã Tân Lập\" và \"Ủy ban nhân dân xã Tân Lập\" đã tự "
              "gộp; các tên khác nhau hơn thì gộp ở đây). Hồ sơ cũ và mới, phạm vi của tài khoản, danh bạ nhắc "
              "việc đều chuyển sang đơn vị giữ lại; việc gộp được ghi vào nhật ký.",
        "en": "Two names of one agency that differ only in case, accents, spacing or the usual abbreviations "
              "(UBND, TT, CN, VP) are merged already; names that differ more are merged here. "
              "Past and future dossiers, users' scopes and reminder contacts all move to the agency kept; the merge is written to the audit log.",
    },
    "imp_merge_source": {"vi": "Tên bị gộp", "en": "Name merged away"},
    "imp_merge_target": {"vi": "Gộp vào đơn vị", "en": "Into agency"},
    "imp_merge_button": {"vi": "Gộp hai đơn vị", "en": "Merge the two agencies"},
    "imp_merge_confirm": {"vi": "Tôi đã kiểm tra: hai tên này là một đơn vị",
                          "en": "I checked: these two names are one agency"},
    "imp_merge_done": {
        "vi": "Đã gộp '{source}' vào '{target}': {dossiers} hồ sơ, {users} tài khoản, {contacts} liên hệ chuyển sang.",
        "en": "'{source}' merged into '{target}': {dossiers} dossiers, {users} accounts, {contacts} contacts moved.",
    },
    "imp_merge_failed": {"vi": "Không gộp được: {message}", "en": "Could not merge: {message}"},
    "imp_merge_too_few": {"vi": "Cần ít nhất hai đơn vị để gộp.", "en": "Merging needs at least two agencies."},
    "imp_agency_units": {"vi": "Đơn vị và các cách viết tên", "en": "Agencies and their spellings"},
    "imp_agency_name": {"vi": "Đơn vị", "en": "Agency"},
    "imp_agency_spellings": {"vi": "Các cách viết", "en": "Spellings"},
}
