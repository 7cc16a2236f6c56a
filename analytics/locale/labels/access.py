"""Labels: sign-in, roles, passwords and administration."""

LABELS: dict[str, dict[str, str]] = {
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
    # The units tab (issue 14): lineage of the two-tier local government.
    "adm_units_tab": {"vi": "Đơn vị và kế thừa", "en": "Units and lineage"},
    # The name an old unit goes by when a unit of today took its name
    # (analytics/store/units.split_namesake); stored in Vietnamese, the data's language.
    "unit_until_name": {"vi": "{name} (đến {date})", "en": "{name} (until {date})"},
    # One setting, one place: the office name is edited with the other office settings.
    "adm_office_name": {
        "vi": "Tên đơn vị (tên ứng dụng, đơn vị báo cáo của Biểu 06 và tài liệu họp): **{office}**. "
              "Sửa ở **Nhắc việc › Lịch gửi và kênh › Tên cơ quan**.",
        "en": "Office name (the app's name, reporting unit of Biểu 06 and the meeting pack): **{office}**. "
              "Edit it under **Reminders › Schedule and channels › Office name**.",
    },
    "adm_units_title": {"vi": "Đơn vị kế thừa sau 01/07/2025", "en": "Successor units since 1 July 2025"},
    "adm_units_help": {
        "vi": "Hồ sơ của đơn vị cũ (huyện, xã cũ) tính cho đơn vị kế thừa khi xem theo đơn vị hiện nay. "
              "Dòng “đề xuất” chỉ áp dụng khi được xác nhận. Sửa cột Đơn vị kế thừa hoặc đánh dấu Xác nhận, "
              "rồi bấm Lưu; mỗi thay đổi được ghi vào nhật ký.",
        "en": "An old unit's dossiers (past districts, old communes) count under its successor in the today's-units "
              "view. A proposal applies only once confirmed. Edit the successor or tick Confirmed, then Save; "
              "every change is written to the audit log.",
    },
    "adm_units_empty": {"vi": "Chưa có đơn vị kế thừa nào. Bấm Đề xuất để lập danh sách.",
                        "en": "No successor yet. Press Propose to draw up the list."},
    "adm_unit_old": {"vi": "Đơn vị cũ", "en": "Old unit"},
    "adm_unit_level": {"vi": "Cấp", "en": "Level"},
    "adm_unit_successor": {"vi": "Đơn vị kế thừa", "en": "Successor"},
    "adm_unit_rank": {"vi": "Thứ tự", "en": "Order"},
    "adm_unit_since": {"vi": "Từ ngày", "en": "From"},
    "adm_unit_source": {"vi": "Nguồn", "en": "Source"},
    "adm_unit_confirmed": {"vi": "Xác nhận", "en": "Confirmed"},
    "adm_unit_note": {"vi": "Ghi chú", "en": "Note"},
    "adm_unit_source_mapping": {"vi": "bảng đối chiếu xã", "en": "commune mapping"},
    "adm_unit_source_officer": {"vi": "cán bộ đặt", "en": "set by the officer"},
    "adm_unit_source_proposal": {"vi": "đề xuất", "en": "proposal"},
    "adm_units_save": {"vi": "Lưu thay đổi", "en": "Save changes"},
    "adm_units_saved": {"vi": "Đã lưu {count} thay đổi.", "en": "{count} changes saved."},
    "adm_units_propose_title": {"vi": "Đề xuất đơn vị kế thừa", "en": "Propose successors"},
    "adm_units_province": {"vi": "Tỉnh của văn phòng", "en": "The office's province"},
    "adm_units_propose": {"vi": "Đề xuất", "en": "Propose"},
    "adm_units_proposed": {
        "vi": "{communes} xã theo bảng đối chiếu đã áp dụng; {ambiguous} xã trùng tên và {offices} phòng ban "
              "cấp huyện chờ xác nhận; {created} xã mới thêm vào danh sách đơn vị; {namesakes} xã cũ trùng tên "
              "xã mới tách thành hai đơn vị.",
        "en": "{communes} communes from the mapping applied; {ambiguous} communes with repeated names and "
              "{offices} district offices wait for confirmation; {created} new communes added to the units; "
              "{namesakes} old communes sharing a new commune's name made two units.",
    },
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
    "adm_unit_id": {"vi": "Mã đơn vị", "en": "Unit id"},
    "adm_detail": {"vi": "Chi tiết", "en": "Detail"},
}
