"""Names for the demo office: places, offices, staff names and the TTHC catalog.

The demo is a small section of the invented province "Bình Sơn" in the
two-tier local government (issue 14): until 30/6/2025 the district "An
Phước" with its offices and 20 old communes handled the dossiers; from
1/7/2025 six merged communes and wards, the province's departments and the
service-centre branch do, and a lineage links them (:data:`COMMUNE_SUCCESSORS`,
:data:`OFFICE_SUCCESSORS`).

Everything here is invented or public. The province, the district and its
communes are made up from common Vietnamese place-name syllables; staff names
are drawn at random from lists of common family, middle and given names, so
they belong to no one. Procedure names follow the wording of the national
TTHC catalogue (public administrative text), grouped by field (lĩnh vực).

Each catalogue entry is ``(name, weight, days, partner)``:

- ``weight``: relative dossier volume within the receiving agency; 0 means the
  procedure is published but never used (real districts have many of these).
- ``days``: the legal processing time in working days (0 = within the day);
  ``None`` takes the field's default range.
- ``partner``: the key of the second agency of a liên thông procedure, if any.
"""

from __future__ import annotations

DISTRICT = "An Phước"
PROVINCE_CODE = "H12"
DISTRICT_CODE = "22"

DISTRICT_AGENCY = f"UBND huyện {DISTRICT}"
PROVINCE = "Bình Sơn"
PROVINCE_AGENCY = f"UBND tỉnh {PROVINCE}"

# (name, relative size). Xã level; thị trấn and phường are the busiest.
COMMUNES: tuple[tuple[str, float], ...] = (
    (f"UBND thị trấn {DISTRICT}", 2.2),
    ("UBND thị trấn Phú Lâm", 1.6),
    ("UBND phường Bình Minh", 1.7),
    ("UBND phường Hòa Thuận", 1.5),
    ("UBND xã An Bình", 1.1),
    ("UBND xã An Hòa", 0.9),
    ("UBND xã Bình Thạnh", 1.0),
    ("UBND xã Hòa Lợi", 0.8),
    ("UBND xã Hưng Long", 1.2),
    ("UBND xã Long Hưng", 0.7),
    ("UBND xã Minh Đức", 0.9),
    ("UBND xã Phú Mỹ", 1.0),
    ("UBND xã Phước Hưng", 0.8),
    ("UBND xã Quang Trung", 0.6),
    ("UBND xã Tân Lập", 0.7),
    ("UBND xã Tân Thành", 1.0),
    ("UBND xã Thạnh Phú", 0.6),
    ("UBND xã Thuận Hòa", 0.8),
    ("UBND xã Vĩnh Lộc", 0.9),
    ("UBND xã Xuân Sơn", 0.5),
)

# Specialised offices at Huyện level: key -> (name, share of the Huyện-level dossiers).
OFFICES: dict[str, tuple[str, float]] = {
    "vpdk": (f"Chi nhánh Văn phòng đăng ký đất đai huyện {DISTRICT}", 36.0),
    "tnmt": ("Phòng Tài nguyên và Môi trường", 9.0),
    "tuphap": ("Phòng Tư pháp", 8.0),
    "ktht": ("Phòng Kinh tế - Hạ tầng", 8.0),
    "ldtbxh": ("Phòng Lao động - Thương binh và Xã hội", 8.0),
    "tckh": ("Phòng Tài chính - Kế hoạch", 11.0),
    "gddt": ("Phòng Giáo dục và Đào tạo", 6.0),
    "noivu": ("Phòng Nội vụ", 3.5),
    "vhtt": ("Phòng Văn hóa và Thông tin", 3.0),
    "yte": ("Phòng Y tế", 3.0),
    "nnptnt": ("Phòng Nông nghiệp và Phát triển nông thôn", 2.5),
    "thanhtra": (f"Thanh tra huyện {DISTRICT}", 2.0),
}

# Agencies that only take part in liên thông dossiers (no dossiers of their own).
PARTNERS: dict[str, str] = {
    "thue": f"Chi cục Thuế huyện {DISTRICT}",
    "bhxh": f"Bảo hiểm xã hội huyện {DISTRICT}",
}

# -- the two-tier structure from 1/7/2025 -----------------------------------------
# New communes and wards: name -> the old communes merged into it, in the order
# of the (invented) resolution. "UBND xã Tân Lập" was split: its area went to
# Bình Thạnh and Long Hưng; its history goes whole to the first (the split
# rule, analytics/store/units.py) and from 1/7/2025 its area's dossiers are
# received by both. A new commune that took the name of one of the old ones
# it was formed from is another unit than that old one (NAMESAKES).
NEW_COMMUNES: dict[str, tuple[str, ...]] = {
    f"UBND phường {DISTRICT}": (f"UBND thị trấn {DISTRICT}", "UBND phường Bình Minh", "UBND phường Hòa Thuận"),
    "UBND xã Phú Lâm": ("UBND thị trấn Phú Lâm", "UBND xã An Bình", "UBND xã An Hòa"),
    "UBND xã Bình Thạnh": ("UBND xã Bình Thạnh", "UBND xã Hòa Lợi", "UBND xã Hưng Long", "UBND xã Tân Lập"),
    "UBND xã Long Hưng": ("UBND xã Long Hưng", "UBND xã Minh Đức", "UBND xã Phú Mỹ", "UBND xã Tân Lập"),
    "UBND xã Phước Hưng": ("UBND xã Phước Hưng", "UBND xã Quang Trung", "UBND xã Tân Thành", "UBND xã Thạnh Phú"),
    "UBND xã Vĩnh Lộc": ("UBND xã Thuận Hòa", "UBND xã Vĩnh Lộc", "UBND xã Xuân Sơn"),
}
# Old commune -> its successors, first the one its dossiers go to.
COMMUNE_SUCCESSORS: dict[str, tuple[str, ...]] = {
    old: tuple(new for new, olds in NEW_COMMUNES.items() if old in olds)
    for olds in NEW_COMMUNES.values() for old in olds
}
# The province's units that took over the district's work (office key ->
# name), and the partners' (vertical-ministry offices, shown under the province).
SERVICE_CENTRE = f"Trung tâm Phục vụ hành chính công tỉnh {PROVINCE} - Chi nhánh {DISTRICT}"
PROVINCE_OFFICES: dict[str, str] = {
    "vpdk": f"Chi nhánh Văn phòng đăng ký đất đai khu vực {DISTRICT}",
    "tnmt": f"Sở Nông nghiệp và Môi trường tỉnh {PROVINCE}",
    "nnptnt": f"Sở Nông nghiệp và Môi trường tỉnh {PROVINCE}",
    "tuphap": f"Sở Tư pháp tỉnh {PROVINCE}",
    "ktht": f"Sở Xây dựng tỉnh {PROVINCE}",
    "ldtbxh": f"Sở Nội vụ tỉnh {PROVINCE}",
    "noivu": f"Sở Nội vụ tỉnh {PROVINCE}",
    "tckh": f"Sở Tài chính tỉnh {PROVINCE}",
    "gddt": f"Sở Giáo dục và Đào tạo tỉnh {PROVINCE}",
    "vhtt": f"Sở Văn hóa, Thể thao và Du lịch tỉnh {PROVINCE}",
    "yte": f"Sở Y tế tỉnh {PROVINCE}",
    "thanhtra": f"Thanh tra tỉnh {PROVINCE}",
}
PROVINCE_PARTNERS: dict[str, str] = {
    "thue": f"Thuế cơ sở 3 tỉnh {PROVINCE}",
    "bhxh": f"Bảo hiểm xã hội cơ sở {DISTRICT}",
}
# Every old district unit -> its successor.
OFFICE_SUCCESSORS: dict[str, str] = {
    DISTRICT_AGENCY: SERVICE_CENTRE,
    **{name: PROVINCE_OFFICES[key] for key, (name, _) in OFFICES.items()},
    **{name: PROVINCE_PARTNERS[key] for key, name in PARTNERS.items()},
}
# The demo's lineage: old unit -> its successors, the first taking its history
# (the old namesake of a new commune is split from it at the write, and
# handed to it then: analytics/store/units.split_namesake).
LINEAGE: dict[str, tuple[str, ...]] = {
    **{old: new for old, new in COMMUNE_SUCCESSORS.items() if new != (old,)},
    **{old: (new,) for old, new in OFFICE_SUCCESSORS.items()},
}
# New communes that took an old one's name: two units, the old one's
# dossiers (received until 30/6/2025) under "… (đến 30/06/2025)".
NAMESAKES: tuple[str, ...] = tuple(new for new, olds in NEW_COMMUNES.items() if new in olds)

# The step a partner agency performs in a liên thông dossier.
PARTNER_STEP = {
    "thue": "Xác định nghĩa vụ tài chính",
    "bhxh": "Cấp thẻ bảo hiểm y tế",
}
DEFAULT_PARTNER_STEP = "Xử lý hồ sơ"

# Default processing time (working days, inclusive range) by field.
FIELD_DAYS: dict[str, tuple[int, int]] = {
    "Chứng thực": (0, 2),
    "Hộ tịch": (1, 5),
    "Nuôi con nuôi": (20, 30),
    "Hòa giải ở cơ sở": (3, 10),
    "Bồi thường nhà nước": (30, 45),
    "Đất đai": (10, 30),
    "Đăng ký biện pháp bảo đảm": (1, 3),
    "Môi trường": (10, 20),
    "Tài nguyên nước": (10, 20),
    "Xây dựng": (15, 20),
    "Quy hoạch xây dựng, kiến trúc": (15, 25),
    "Lưu thông hàng hóa trong nước": (10, 15),
    "Đường bộ": (7, 10),
    "Thành lập và hoạt động của hộ kinh doanh": (3, 3),
    "Thành lập và hoạt động của hợp tác xã": (3, 5),
    "Quản lý công sản": (15, 30),
    "Bảo trợ xã hội": (7, 20),
    "Người có công": (10, 20),
    "Phòng, chống tệ nạn xã hội": (5, 10),
    "Trẻ em": (5, 15),
    "Việc làm": (10, 15),
    "Giáo dục và Đào tạo": (3, 20),
    "Y tế": (10, 20),
    "An toàn thực phẩm": (10, 20),
    "Văn hóa": (5, 15),
    "Thể dục, thể thao": (7, 10),
    "Xuất bản, in và phát hành": (3, 5),
    "Tôn giáo": (10, 20),
    "Thi đua, khen thưởng": (10, 20),
    "Chính quyền địa phương": (20, 30),
    "Tổ chức phi chính phủ": (15, 30),
    "Công chức, viên chức": (15, 30),
    "Nông nghiệp": (7, 20),
    "Phòng, chống thiên tai": (5, 10),
    "Lâm nghiệp": (3, 7),
    "Giải quyết khiếu nại": (30, 45),
    "Giải quyết tố cáo": (30, 60),
    "Tiếp công dân": (1, 5),
    "Xử lý đơn thư": (10, 10),
}

# Share of a field's procedures by online level (Toàn trình, Một phần, Không).
FIELD_ONLINE: dict[str, tuple[float, float, float]] = {
    "Chứng thực": (0.5, 0.4, 0.1),
    "Hộ tịch": (0.6, 0.35, 0.05),
    "Đất đai": (0.2, 0.7, 0.1),
    "Đăng ký biện pháp bảo đảm": (0.7, 0.3, 0.0),
    "Thành lập và hoạt động của hộ kinh doanh": (0.9, 0.1, 0.0),
    "Thành lập và hoạt động của hợp tác xã": (0.8, 0.2, 0.0),
    "Xây dựng": (0.3, 0.6, 0.1),
}
DEFAULT_ONLINE = (0.35, 0.4, 0.25)

# Fields whose procedures carry a fee or charge (lệ phí / phí), for paid_online.
FEE_FIELDS = frozenset({
    "Chứng thực", "Hộ tịch", "Đất đai", "Đăng ký biện pháp bảo đảm", "Xây dựng",
    "Thành lập và hoạt động của hộ kinh doanh", "Thành lập và hoạt động của hợp tác xã",
    "Lưu thông hàng hóa trong nước", "Văn hóa", "An toàn thực phẩm",
})

_CT_BAN_SAO = (
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền "
    "của Việt Nam cấp hoặc chứng nhận"
)
_CT_CHU_KY = (
    "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ "
    "và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)"
)
_GPXD = (
    "công trình cấp III, cấp IV (công trình không theo tuyến/theo tuyến trong đô thị/tín ngưỡng, "
    "tôn giáo/tượng đài, tranh hoành tráng/theo giai đoạn/dự án) và nhà ở riêng lẻ"
)

# (level, field, office key or None for every commune, entries)
CATALOG: tuple[tuple[str, str, str | None, tuple[tuple[str, float, int | None, str | None], ...]], ...] = (
    # ---------------------------------------------------------------- Xã
    ("Xã", "Chứng thực", None, (
        (_CT_BAN_SAO, 42.0, 0, None),
        (_CT_CHU_KY, 11.0, 0, None),
        ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", 6.0, 2, None),
        ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", 0.8, 2, None),
        ("Sửa lỗi sai sót trong hợp đồng, giao dịch", 0.4, 2, None),
        ("Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", 0.9, 1, None),
        ("Chứng thực di chúc", 0.3, 2, None),
        ("Chứng thực văn bản từ chối nhận di sản", 0.2, 2, None),
        ("Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản, quyền sử dụng đất, nhà ở", 0.8, 2, None),
        ("Chứng thực văn bản khai nhận di sản mà di sản là động sản, quyền sử dụng đất, nhà ở", 0.7, 2, None),
    )),
    ("Xã", "Hộ tịch", None, (
        ("Đăng ký khai sinh", 13.0, 0, None),
        ("Đăng ký kết hôn", 4.5, 0, None),
        ("Đăng ký khai tử", 3.5, 0, None),
        ("Cấp Giấy xác nhận tình trạng hôn nhân", 8.0, 3, None),
        ("Cấp bản sao Trích lục hộ tịch", 6.0, 0, None),
        ("Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", 1.6, 3, None),
        ("Đăng ký nhận cha, mẹ, con", 0.4, 3, None),
        ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con", 0.4, 3, None),
        ("Đăng ký lại khai sinh", 0.9, 5, None),
        ("Đăng ký khai sinh cho người đã có hồ sơ, giấy tờ cá nhân", 0.7, 5, None),
        ("Đăng ký lại kết hôn", 0.2, 5, None),
        ("Đăng ký lại khai tử", 0.15, 5, None),
        ("Đăng ký giám hộ", 0.2, 3, None),
        ("Đăng ký chấm dứt giám hộ", 0.1, 2, None),
        ("Đăng ký thay đổi giám hộ", 0.05, 3, None),
        ("Đăng ký khai sinh lưu động", 0.1, 5, None),
        ("Đăng ký kết hôn lưu động", 0.05, 5, None),
        ("Đăng ký khai tử lưu động", 0.05, 5, None),
        ("Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi", 3.0, 5, "bhxh"),
        ("Liên thông các thủ tục hành chính về đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ tử tuất, trợ cấp mai táng, hỗ trợ chi phí mai táng", 0.9, 5, "bhxh"),
        ("Đăng ký khai sinh có yếu tố nước ngoài tại khu vực biên giới", 0.0, 3, None),
        ("Đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới", 0.0, 5, None),
        ("Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài tại khu vực biên giới", 0.0, 5, None),
        ("Đăng ký khai tử có yếu tố nước ngoài tại khu vực biên giới", 0.0, 3, None),
    )),
    ("Xã", "Nuôi con nuôi", None, (
        ("Đăng ký việc nuôi con nuôi trong nước", 0.05, None, None),
        ("Đăng ký lại việc nuôi con nuôi trong nước", 0.01, None, None),
        ("Giải quyết việc người nước ngoài cư trú ở khu vực biên giới nước láng giềng nhận trẻ em Việt Nam làm con nuôi", 0.0, None, None),
    )),
    ("Xã", "Hòa giải ở cơ sở", None, (
        ("Công nhận hòa giải viên", 0.05, None, None),
        ("Công nhận tổ trưởng tổ hòa giải", 0.03, None, None),
        ("Thôi làm hòa giải viên", 0.01, None, None),
        ("Thanh toán thù lao cho hòa giải viên", 0.08, None, None),
    )),
    ("Xã", "Đất đai", None, (
        ("Hòa giải tranh chấp đất đai", 0.6, 45, None),
        ("Xác nhận tiếp tục sử dụng đất nông nghiệp của hộ gia đình, cá nhân khi hết hạn sử dụng đất", 0.3, 10, "vpdk"),
        ("Đăng ký đất đai, tài sản gắn liền với đất lần đầu (nộp hồ sơ tại Ủy ban nhân dân cấp xã)", 0.8, 20, "vpdk"),
        ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất (nộp hồ sơ tại Ủy ban nhân dân cấp xã)", 0.9, 10, "vpdk"),
    )),
    ("Xã", "Môi trường", None, (
        ("Đăng ký môi trường cấp xã", 0.05, 15, None),
        ("Tham vấn báo cáo đánh giá tác động môi trường", 0.01, 15, None),
    )),
    ("Xã", "Bảo trợ xã hội", None, (
        ("Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng", 2.4, 20, "ldtbxh"),
        ("Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", 1.4, 20, None),
        ("Đổi, cấp lại Giấy xác nhận khuyết tật", 0.3, 5, None),
        ("Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở, sửa chữa nhà ở", 0.15, 15, None),
        ("Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", 0.7, 10, "ldtbxh"),
        ("Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm", 0.5, 10, None),
        ("Công nhận hộ thoát nghèo, hộ thoát cận nghèo trong năm", 0.3, 10, None),
        ("Công nhận hộ làm nông nghiệp, lâm nghiệp, ngư nghiệp và diêm nghiệp có mức sống trung bình", 0.2, 10, None),
        ("Chi trả trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng khi đối tượng thay đổi nơi cư trú", 0.15, 10, None),
        ("Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng có hoàn cảnh khó khăn", 0.0, 10, None),
    )),
    ("Xã", "Người có công", None, (
        ("Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", 0.2, 12, "ldtbxh"),
        ("Giải quyết chế độ mai táng phí đối với cựu chiến binh", 0.3, 10, "ldtbxh"),
        ("Thăm viếng mộ liệt sĩ", 0.25, 5, None),
        ("Di chuyển hài cốt liệt sĩ đang an táng tại nghĩa trang liệt sĩ đi nơi khác theo nguyện vọng của đại diện thân nhân", 0.03, 10, None),
        ("Giải quyết chế độ hỗ trợ để theo học đến trình độ đại học tại các cơ sở giáo dục thuộc hệ thống giáo dục quốc dân", 0.08, 10, None),
        ("Giải quyết chế độ mai táng phí đối với thanh niên xung phong thời kỳ chống Pháp", 0.02, 10, None),
        ("Giải quyết chế độ ưu đãi đối với Bà mẹ Việt Nam anh hùng", 0.0, 15, None),
    )),
    ("Xã", "Phòng, chống tệ nạn xã hội", None, (
        ("Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình", 0.02, None, None),
        ("Quyết định cai nghiện ma túy tự nguyện tại cộng đồng", 0.015, None, None),
        ("Hỗ trợ học văn hóa, học nghề, trợ cấp khó khăn ban đầu cho nạn nhân bị mua bán", 0.0, None, None),
    )),
    ("Xã", "Trẻ em", None, (
        ("Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em", 0.0, None, None),
        ("Chấm dứt việc chăm sóc thay thế cho trẻ em", 0.0, None, None),
        ("Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc thay thế không phải là người thân thích của trẻ em", 0.0, None, None),
        ("Phê duyệt kế hoạch hỗ trợ, can thiệp đối với trẻ em bị xâm hại hoặc có nguy cơ bị bạo lực, bóc lột, bỏ rơi và trẻ em có hoàn cảnh đặc biệt", 0.01, None, None),
    )),
    ("Xã", "Giáo dục và Đào tạo", None, (
        ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", 0.02, 20, None),
        ("Thành lập nhóm trẻ, lớp mẫu giáo độc lập", 0.015, 20, None),
        ("Sáp nhập, chia, tách nhóm trẻ, lớp mẫu giáo độc lập", 0.0, 20, None),
        ("Giải thể nhóm trẻ, lớp mẫu giáo độc lập", 0.0, 15, None),
        ("Cho phép cơ sở giáo dục khác thực hiện chương trình giáo dục tiểu học", 0.0, 20, None),
    )),
    ("Xã", "Văn hóa", None, (
        ("Xét tặng danh hiệu Gia đình văn hóa", 0.4, 10, None),
        ("Xét tặng Giấy khen Gia đình văn hóa", 0.1, 10, None),
        ("Thông báo tổ chức lễ hội cấp xã", 0.08, 5, None),
        ("Đăng ký tổ chức lễ hội cấp xã", 0.04, 10, None),
        ("Xét tặng danh hiệu Khu dân cư văn hóa", 0.05, 10, None),
        ("Thông báo thành lập thư viện đối với thư viện cộng đồng", 0.0, 5, None),
    )),
    ("Xã", "Thể dục, thể thao", None, (
        ("Công nhận câu lạc bộ thể thao cơ sở", 0.02, 7, None),
    )),
    ("Xã", "Tôn giáo", None, (
        ("Đăng ký hoạt động tín ngưỡng", 0.04, 15, None),
        ("Đăng ký bổ sung hoạt động tín ngưỡng", 0.01, 15, None),
        ("Đăng ký sinh hoạt tôn giáo tập trung", 0.01, 20, None),
        ("Thông báo danh mục hoạt động tôn giáo đối với tổ chức có địa bàn hoạt động tôn giáo ở một xã", 0.02, 10, None),
        ("Thông báo tổ chức quyên góp trong địa bàn một xã của cơ sở tín ngưỡng, tổ chức tôn giáo, tổ chức tôn giáo trực thuộc", 0.02, 10, None),
        ("Đề nghị thay đổi địa điểm sinh hoạt tôn giáo tập trung trong địa bàn một xã", 0.0, 20, None),
    )),
    ("Xã", "Thi đua, khen thưởng", None, (
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thực hiện nhiệm vụ chính trị", 0.3, 20, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã về thành tích thi đua theo đợt hoặc chuyên đề", 0.2, 20, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho gia đình", 0.08, 20, None),
        ("Xét tặng danh hiệu Lao động tiên tiến cấp xã", 0.1, 20, None),
    )),
    ("Xã", "Nông nghiệp", None, (
        ("Đăng ký chuyển đổi cơ cấu cây trồng trên đất trồng lúa", 0.05, 5, None),
        ("Hỗ trợ dự án liên kết", 0.005, 20, None),
        ("Phê duyệt kế hoạch khuyến nông địa phương", 0.0, 20, None),
    )),
    ("Xã", "Phòng, chống thiên tai", None, (
        ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai", 0.1, 10, None),
    )),
    ("Xã", "Lâm nghiệp", None, (
        ("Xác nhận bảng kê lâm sản", 0.04, 3, None),
    )),
    ("Xã", "Giải quyết khiếu nại", None, (
        ("Giải quyết khiếu nại lần đầu tại cấp xã", 0.03, 30, None),
    )),
    ("Xã", "Giải quyết tố cáo", None, (
        ("Giải quyết tố cáo tại cấp xã", 0.01, 30, None),
    )),
    ("Xã", "Tiếp công dân", None, (
        ("Tiếp công dân tại cấp xã", 0.05, None, None),
    )),
    ("Xã", "Xử lý đơn thư", None, (
        ("Xử lý đơn tại cấp xã", 0.05, None, None),
    )),
    # ------------------------------------------------------------- Huyện
    ("Huyện", "Chứng thực", "tuphap", (
        ("Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của nước ngoài; "
         "cơ quan tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận", 6.0, 0, None),
        (_CT_BAN_SAO, 14.0, 0, None),
        (_CT_CHU_KY, 5.0, 0, None),
        ("Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật của Phòng Tư pháp", 4.0, 0, None),
        ("Chứng thực chữ ký người dịch mà người dịch không phải là cộng tác viên dịch thuật", 1.0, 0, None),
        ("Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", 0.8, 2, None),
        ("Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", 0.3, 2, None),
        ("Sửa lỗi sai sót trong hợp đồng, giao dịch", 0.1, 2, None),
        ("Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", 0.3, 1, None),
        ("Chứng thực văn bản thỏa thuận phân chia di sản mà di sản là động sản", 0.1, 2, None),
        ("Chứng thực văn bản khai nhận di sản mà di sản là động sản", 0.1, 2, None),
    )),
    ("Huyện", "Hộ tịch", "tuphap", (
        ("Đăng ký khai sinh có yếu tố nước ngoài", 0.8, 3, None),
        ("Đăng ký kết hôn có yếu tố nước ngoài", 1.0, 10, None),
        ("Đăng ký khai tử có yếu tố nước ngoài", 0.1, 3, None),
        ("Đăng ký nhận cha, mẹ, con có yếu tố nước ngoài", 0.2, 10, None),
        ("Đăng ký khai sinh kết hợp nhận cha, mẹ, con có yếu tố nước ngoài", 0.15, 10, None),
        ("Đăng ký giám hộ có yếu tố nước ngoài", 0.0, 5, None),
        ("Đăng ký chấm dứt giám hộ có yếu tố nước ngoài", 0.0, 5, None),
        ("Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc", 1.5, 3, None),
        ("Ghi vào Sổ hộ tịch việc hộ tịch của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", 0.3, 5, None),
        ("Ghi vào Sổ hộ tịch việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", 0.4, 5, None),
        ("Ghi vào Sổ hộ tịch việc ly hôn, hủy việc kết hôn của công dân Việt Nam đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", 0.3, 5, None),
        ("Đăng ký lại khai sinh có yếu tố nước ngoài", 0.05, 5, None),
        ("Đăng ký lại kết hôn có yếu tố nước ngoài", 0.02, 5, None),
        ("Đăng ký lại khai tử có yếu tố nước ngoài", 0.0, 5, None),
    )),
    ("Huyện", "Bồi thường nhà nước", "tuphap", (
        ("Giải quyết yêu cầu bồi thường tại cơ quan trực tiếp quản lý người thi hành công vụ gây thiệt hại", 0.01, None, None),
        ("Phục hồi danh dự", 0.0, None, None),
        ("Trả tiền bồi thường tại cơ quan giải quyết bồi thường", 0.0, None, None),
    )),
    ("Huyện", "Đất đai", "vpdk", (
        ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp chuyển nhượng, "
         "cho thuê, cho thuê lại, thừa kế, tặng cho, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất; "
         "chuyển quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất của vợ hoặc chồng thành của chung vợ và chồng", 20.0, 10, "thue"),
        ("Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu", 7.0, 20, "thue"),
        ("Đăng ký đất đai, tài sản gắn liền với đất lần đầu", 1.5, 15, None),
        ("Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", 4.5, 7, None),
        ("Cấp lại Giấy chứng nhận hoặc cấp lại Trang bổ sung của Giấy chứng nhận do bị mất", 0.8, 10, None),
        ("Đăng ký biến động về sử dụng đất, tài sản gắn liền với đất do thay đổi thông tin về người được cấp Giấy chứng nhận "
         "(đổi tên hoặc giấy tờ pháp nhân, giấy tờ nhân thân, địa chỉ); giảm diện tích thửa đất do sạt lở tự nhiên; "
         "thay đổi về hạn chế quyền sử dụng đất; thay đổi về nghĩa vụ tài chính", 3.0, 10, None),
        ("Tách thửa hoặc hợp thửa đất", 5.0, 15, None),
        ("Đính chính Giấy chứng nhận đã cấp", 0.8, 10, None),
        ("Xóa đăng ký cho thuê, cho thuê lại, góp vốn bằng quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", 0.2, 3, None),
        ("Đăng ký xác lập quyền sử dụng hạn chế thửa đất liền kề", 0.1, 10, None),
        ("Cung cấp dữ liệu đất đai", 2.0, 2, None),
        ("Chuyển đổi quyền sử dụng đất nông nghiệp của hộ gia đình, cá nhân", 0.4, 10, "thue"),
        ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp giải quyết tranh chấp, "
         "khiếu nại, tố cáo về đất đai; xử lý nợ hợp đồng thế chấp, góp vốn; kê biên, đấu giá quyền sử dụng đất để thi hành án", 0.8, 10, "thue"),
        ("Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế", 0.2, 7, None),
        ("Đăng ký biến động đối với trường hợp chuyển từ hình thức thuê đất trả tiền hằng năm sang thuê đất trả tiền một lần cho cả thời gian thuê", 0.02, 20, "thue"),
    )),
    ("Huyện", "Đăng ký biện pháp bảo đảm", "vpdk", (
        ("Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", 7.0, 1, None),
        ("Xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất", 5.0, 1, None),
        ("Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký", 0.8, 1, None),
        ("Sửa chữa sai sót nội dung biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất đã đăng ký do lỗi của cơ quan đăng ký", 0.05, 1, None),
        ("Chuyển tiếp đăng ký thế chấp quyền tài sản phát sinh từ hợp đồng mua bán nhà ở", 0.02, 3, None),
        ("Đăng ký văn bản thông báo về việc xử lý tài sản thế chấp bằng quyền sử dụng đất, tài sản gắn liền với đất", 0.02, 1, None),
        ("Cung cấp thông tin về biện pháp bảo đảm bằng quyền sử dụng đất, tài sản gắn liền với đất", 0.3, 1, None),
    )),
    ("Huyện", "Đất đai", "tnmt", (
        ("Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân", 8.0, 15, "thue"),
        ("Giao đất, cho thuê đất cho hộ gia đình, cá nhân; giao đất cho cộng đồng dân cư đối với trường hợp giao đất, "
         "cho thuê đất không thông qua hình thức đấu giá quyền sử dụng đất", 1.2, 20, "thue"),
        ("Giải quyết tranh chấp đất đai thuộc thẩm quyền của Chủ tịch Ủy ban nhân dân cấp huyện", 1.0, 45, None),
        ("Thẩm định nhu cầu sử dụng đất để xem xét giao đất, cho thuê đất không thông qua hình thức đấu giá quyền sử dụng đất đối với hộ gia đình, cá nhân", 0.6, 20, None),
        ("Thu hồi đất ở trong khu vực bị ô nhiễm môi trường có nguy cơ đe dọa tính mạng con người", 0.0, 30, None),
        ("Gia hạn sử dụng đất nông nghiệp của cơ sở tôn giáo", 0.0, 20, None),
        ("Cưỡng chế thực hiện quyết định giải quyết tranh chấp đất đai, quyết định công nhận hòa giải thành", 0.05, 30, None),
    )),
    ("Huyện", "Môi trường", "tnmt", (
        ("Cấp giấy phép môi trường (cấp huyện)", 0.8, 15, None),
        ("Cấp đổi giấy phép môi trường (cấp huyện)", 0.1, 10, None),
        ("Cấp điều chỉnh giấy phép môi trường (cấp huyện)", 0.15, 10, None),
        ("Cấp lại giấy phép môi trường (cấp huyện)", 0.05, 15, None),
        ("Xác nhận kế hoạch bảo vệ môi trường", 0.6, 10, None),
        ("Xác nhận đề án bảo vệ môi trường đơn giản", 0.2, 10, None),
    )),
    ("Huyện", "Tài nguyên nước", "tnmt", (
        ("Đăng ký khai thác nước dưới đất", 0.2, 10, None),
        ("Lấy ý kiến Ủy ban nhân dân cấp huyện đối với các dự án đầu tư có chuyển nước từ nguồn nước nội tỉnh", 0.0, 20, None),
    )),
    ("Huyện", "Xây dựng", "ktht", (
        (f"Cấp giấy phép xây dựng mới đối với {_GPXD}", 9.0, 15, None),
        (f"Cấp giấy phép xây dựng sửa chữa, cải tạo đối với {_GPXD}", 2.0, 15, None),
        (f"Cấp giấy phép di dời đối với {_GPXD}", 0.03, 15, None),
        (f"Cấp điều chỉnh giấy phép xây dựng đối với {_GPXD}", 0.6, 15, None),
        (f"Gia hạn giấy phép xây dựng đối với {_GPXD}", 0.5, 5, None),
        (f"Cấp lại giấy phép xây dựng đối với {_GPXD}", 0.2, 5, None),
        ("Thẩm định Báo cáo kinh tế - kỹ thuật đầu tư xây dựng/điều chỉnh Báo cáo kinh tế - kỹ thuật đầu tư xây dựng", 0.6, 20, None),
        ("Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở/điều chỉnh thiết kế xây dựng triển khai sau thiết kế cơ sở", 0.4, 20, None),
        ("Kiểm tra công tác nghiệm thu hoàn thành công trình", 0.2, 15, None),
    )),
    ("Huyện", "Quy hoạch xây dựng, kiến trúc", "ktht", (
        ("Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của Ủy ban nhân dân cấp huyện", 1.2, 10, None),
        ("Thẩm định nhiệm vụ, nhiệm vụ điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của Ủy ban nhân dân cấp huyện", 0.08, 20, None),
        ("Thẩm định đồ án, đồ án điều chỉnh quy hoạch chi tiết của dự án đầu tư xây dựng công trình theo hình thức kinh doanh thuộc thẩm quyền phê duyệt của Ủy ban nhân dân cấp huyện", 0.06, 25, None),
        ("Cấp giấy phép quy hoạch dự án đầu tư xây dựng công trình thuộc thẩm quyền của Ủy ban nhân dân cấp huyện", 0.0, 25, None),
    )),
    ("Huyện", "Lưu thông hàng hóa trong nước", "ktht", (
        ("Cấp Giấy phép bán lẻ rượu", 0.8, 10, None),
        ("Cấp sửa đổi, bổ sung Giấy phép bán lẻ rượu", 0.1, 10, None),
        ("Cấp lại Giấy phép bán lẻ rượu", 0.05, 7, None),
        ("Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh", 0.1, 10, None),
        ("Cấp Giấy phép bán lẻ sản phẩm thuốc lá", 0.8, 10, None),
        ("Cấp sửa đổi, bổ sung Giấy phép bán lẻ sản phẩm thuốc lá", 0.08, 10, None),
        ("Cấp lại Giấy phép bán lẻ sản phẩm thuốc lá", 0.04, 7, None),
        ("Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", 0.1, 15, None),
    )),
    ("Huyện", "Đường bộ", "ktht", (
        ("Cấp giấy phép thi công xây dựng công trình đường bộ trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã", 0.15, 7, None),
        ("Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ của đường huyện, đường xã", 0.05, 7, None),
    )),
    ("Huyện", "Thành lập và hoạt động của hộ kinh doanh", "tckh", (
        ("Đăng ký thành lập hộ kinh doanh", 9.0, 3, None),
        ("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", 4.0, 3, None),
        ("Tạm ngừng hoạt động hộ kinh doanh", 1.2, 3, None),
        ("Chấm dứt hoạt động hộ kinh doanh", 2.0, 3, None),
        ("Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", 0.4, 3, None),
    )),
    ("Huyện", "Thành lập và hoạt động của hợp tác xã", "tckh", (
        ("Đăng ký thành lập hợp tác xã", 0.2, 3, None),
        ("Đăng ký thay đổi tên, địa chỉ trụ sở chính, ngành, nghề sản xuất, kinh doanh, vốn điều lệ, người đại diện theo pháp luật của hợp tác xã", 0.3, 3, None),
        ("Giải thể tự nguyện hợp tác xã", 0.05, 5, None),
        ("Đăng ký khi hợp tác xã chia", 0.0, 5, None),
        ("Đăng ký khi hợp tác xã tách", 0.0, 5, None),
        ("Đăng ký khi hợp tác xã hợp nhất", 0.0, 5, None),
        ("Đăng ký khi hợp tác xã sáp nhập", 0.0, 5, None),
        ("Tạm ngừng hoạt động của hợp tác xã, chi nhánh, văn phòng đại diện, địa điểm kinh doanh của hợp tác xã", 0.05, 3, None),
        ("Cấp lại giấy chứng nhận đăng ký hợp tác xã", 0.03, 3, None),
        ("Thu hồi Giấy chứng nhận đăng ký hợp tác xã", 0.0, 5, None),
    )),
    ("Huyện", "Quản lý công sản", "tckh", (
        ("Quyết định thanh lý tài sản công", 0.1, None, None),
        ("Quyết định điều chuyển tài sản công", 0.05, None, None),
        ("Quyết định bán tài sản công", 0.02, None, None),
        ("Quyết định xử lý tài sản công trong trường hợp bị mất, bị hủy hoại", 0.0, None, None),
    )),
    ("Huyện", "Bảo trợ xã hội", "ldtbxh", (
        ("Tiếp nhận đối tượng bảo trợ xã hội có hoàn cảnh đặc biệt khó khăn vào cơ sở trợ giúp xã hội cấp tỉnh, cấp huyện", 0.2, 15, None),
        ("Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội cấp tỉnh, cấp huyện", 0.05, 5, None),
        ("Trợ giúp xã hội khẩn cấp về hỗ trợ chi phí mai táng", 0.4, 5, None),
        ("Thành lập cơ sở trợ giúp xã hội công lập thuộc Ủy ban nhân dân cấp huyện", 0.0, 20, None),
        ("Cấp giấy chứng nhận đăng ký thành lập đối với cơ sở trợ giúp xã hội ngoài công lập thuộc thẩm quyền thành lập của Phòng Lao động - Thương binh và Xã hội", 0.0, 15, None),
    )),
    ("Huyện", "Người có công", "ldtbxh", (
        ("Giải quyết chế độ ưu đãi đối với thân nhân liệt sĩ", 0.3, 20, None),
        ("Giải quyết chế độ trợ cấp một lần đối với người được cử làm chuyên gia sang giúp Lào, Căm-pu-chia", 0.05, 20, None),
        ("Hưởng lại chế độ ưu đãi", 0.05, 12, None),
        ("Đính chính thông tin trên bia mộ liệt sĩ", 0.05, 15, None),
        ("Cấp giấy xác nhận thân nhân của người có công", 0.5, 5, None),
        ("Giải quyết chế độ ưu đãi đối với người hoạt động cách mạng, kháng chiến, bảo vệ Tổ quốc, làm nghĩa vụ quốc tế bị địch bắt tù, đày", 0.05, 20, None),
        ("Giải quyết chế độ người hoạt động kháng chiến bị nhiễm chất độc hóa học", 0.15, 20, None),
    )),
    ("Huyện", "Việc làm", "ldtbxh", (
        ("Hỗ trợ cho người lao động thuộc đối tượng là người dân tộc thiểu số, người thuộc hộ nghèo, hộ cận nghèo, thân nhân người có công với cách mạng đi làm việc ở nước ngoài theo hợp đồng", 0.05, None, None),
        ("Hỗ trợ đào tạo nghề cho lao động nông thôn", 0.6, None, None),
    )),
    ("Huyện", "Giáo dục và Đào tạo", "gddt", (
        ("Chuyển trường đối với học sinh trung học cơ sở", 3.0, 3, None),
        ("Chuyển trường đối với học sinh tiểu học", 2.0, 3, None),
        ("Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú đang học tại các trường tiểu học, trung học cơ sở ở xã, thôn đặc biệt khó khăn", 0.8, 15, None),
        ("Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", 1.2, 1, None),
        ("Chỉnh sửa nội dung văn bằng, chứng chỉ", 0.2, 5, None),
        ("Công nhận trường tiểu học đạt chuẩn quốc gia", 0.04, 20, None),
        ("Công nhận trường mầm non đạt chuẩn quốc gia", 0.04, 20, None),
        ("Công nhận trường trung học cơ sở đạt chuẩn quốc gia", 0.03, 20, None),
        ("Thành lập trường tiểu học công lập, cho phép thành lập trường tiểu học tư thục", 0.0, 20, None),
        ("Sáp nhập, chia, tách trường trung học cơ sở", 0.0, 20, None),
        ("Cho phép trường mầm non hoạt động giáo dục", 0.03, 20, None),
        ("Tiếp nhận đối tượng học bổ túc trung học cơ sở", 0.02, 5, None),
        ("Hỗ trợ ăn trưa đối với trẻ em mẫu giáo", 1.0, 10, None),
        ("Trợ cấp đối với trẻ em mầm non là con công nhân, người lao động làm việc tại khu công nghiệp", 0.1, 10, None),
        ("Cấp giấy phép, gia hạn giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học cơ sở", 0.4, 10, None),
        ("Công nhận xã đạt chuẩn phổ cập giáo dục, xóa mù chữ", 0.02, 20, None),
    )),
    ("Huyện", "An toàn thực phẩm", "yte", (
        ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", 1.5, 15, None),
        ("Cấp lại Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", 0.3, 15, None),
        ("Cấp Giấy xác nhận kiến thức về an toàn thực phẩm", 0.4, 10, None),
    )),
    ("Huyện", "Y tế", "yte", (
        ("Cấp giấy phép hoạt động đối với trạm y tế cấp xã", 0.02, 30, None),
        ("Công nhận xã đạt tiêu chí quốc gia về y tế", 0.03, 20, None),
        ("Cho phép người hành nghề được tiếp tục hành nghề khám bệnh, chữa bệnh tại trạm y tế cấp xã", 0.0, 20, None),
    )),
    ("Huyện", "Văn hóa", "vhtt", (
        ("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke (do cơ quan quản lý nhà nước về văn hóa cấp huyện cấp)", 0.4, 5, None),
        ("Cấp Giấy phép điều chỉnh Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", 0.05, 4, None),
        ("Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng", 0.2, 4, None),
        ("Gia hạn Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng", 0.05, 4, None),
        ("Xét tặng danh hiệu Thôn văn hóa, Tổ dân phố văn hóa", 0.1, 10, None),
        ("Đăng ký tổ chức lễ hội cấp huyện", 0.02, 15, None),
        ("Thông báo tổ chức lễ hội cấp huyện", 0.02, 5, None),
        ("Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản đến dưới 1.000 bản", 0.0, 5, None),
    )),
    ("Huyện", "Xuất bản, in và phát hành", "vhtt", (
        ("Khai báo hoạt động cơ sở dịch vụ photocopy", 0.15, 3, None),
        ("Thay đổi thông tin khai báo hoạt động cơ sở dịch vụ photocopy", 0.03, 3, None),
    )),
    ("Huyện", "Tôn giáo", "noivu", (
        ("Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện", 0.1, 15, None),
        ("Đề nghị giảng đạo ngoài địa bàn phụ trách, cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký có quy mô tổ chức ở một huyện", 0.04, 20, None),
        ("Thông báo về việc thay đổi địa điểm sinh hoạt tôn giáo tập trung đến địa bàn xã khác", 0.0, 10, None),
        ("Đăng ký thay đổi người đại diện của nhóm sinh hoạt tôn giáo tập trung", 0.03, 15, None),
        ("Thông báo tổ chức quyên góp ngoài địa bàn một xã nhưng trong địa bàn một huyện", 0.04, 10, None),
    )),
    ("Huyện", "Thi đua, khen thưởng", "noivu", (
        ("Tặng danh hiệu Chiến sĩ thi đua cơ sở", 1.0, 20, None),
        ("Tặng danh hiệu Lao động tiên tiến", 1.0, 20, None),
        ("Tặng danh hiệu Tập thể lao động tiên tiến", 0.5, 20, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thực hiện nhiệm vụ chính trị", 1.2, 20, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích thi đua theo đợt hoặc chuyên đề", 0.8, 20, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện về thành tích đột xuất", 0.2, 10, None),
        ("Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện cho gia đình", 0.15, 20, None),
    )),
    ("Huyện", "Chính quyền địa phương", "noivu", (
        ("Thành lập thôn mới, tổ dân phố mới", 0.0, None, None),
        ("Phân loại đơn vị hành chính cấp xã", 0.0, None, None),
    )),
    ("Huyện", "Tổ chức phi chính phủ", "noivu", (
        ("Công nhận ban vận động thành lập hội", 0.0, None, None),
        ("Thành lập hội", 0.0, None, None),
        ("Phê duyệt điều lệ hội", 0.02, None, None),
        ("Đổi tên hội", 0.0, None, None),
        ("Hội tự giải thể", 0.0, None, None),
        ("Báo cáo tổ chức đại hội nhiệm kỳ, đại hội bất thường của hội", 0.03, None, None),
    )),
    ("Huyện", "Công chức, viên chức", "noivu", (
        ("Thi tuyển viên chức", 0.05, None, None),
        ("Xét tuyển viên chức", 0.05, None, None),
        ("Thăng hạng chức danh nghề nghiệp viên chức", 0.03, None, None),
    )),
    ("Huyện", "Nông nghiệp", "nnptnt", (
        ("Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh nông, lâm, thủy sản", 0.6, 15, None),
        ("Hỗ trợ đầu tư xây dựng phát triển thủy lợi nhỏ, thủy lợi nội đồng và tưới tiên tiến, tiết kiệm nước", 0.05, 20, None),
        ("Thẩm định, phê duyệt đề cương, kết quả kiểm định an toàn đập, hồ chứa thủy lợi thuộc thẩm quyền của Ủy ban nhân dân cấp huyện", 0.0, 20, None),
        ("Công nhận và giao quyền quản lý cho tổ chức cộng đồng", 0.0, 20, None),
        ("Phê duyệt kế hoạch khuyến nông địa phương cấp huyện", 0.0, 20, None),
        ("Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do dịch bệnh", 0.25, 10, None),
    )),
    ("Huyện", "Lâm nghiệp", "nnptnt", (
        ("Phê duyệt phương án khai thác thực vật rừng thông thường thuộc loài thông thường", 0.05, 10, None),
    )),
    ("Huyện", "Giải quyết khiếu nại", "thanhtra", (
        ("Giải quyết khiếu nại lần đầu tại cấp huyện", 0.8, 30, None),
        ("Giải quyết khiếu nại lần hai tại cấp huyện", 0.3, 45, None),
    )),
    ("Huyện", "Giải quyết tố cáo", "thanhtra", (
        ("Giải quyết tố cáo tại cấp huyện", 0.3, 30, None),
    )),
    ("Huyện", "Tiếp công dân", "thanhtra", (
        ("Tiếp công dân tại cấp huyện", 1.0, None, None),
    )),
    ("Huyện", "Xử lý đơn thư", "thanhtra", (
        ("Xử lý đơn tại cấp huyện", 1.0, None, None),
    )),
)

# Procedures abolished without replacement (in_force false), dossiers only
# until the abolition, e.g. the environmental-plan confirmations replaced by
# the 2020 Law on Environmental Protection.
ABOLISHED_WITHOUT_REPLACEMENT = frozenset({
    "Xác nhận kế hoạch bảo vệ môi trường",
    "Xác nhận đề án bảo vệ môi trường đơn giản",
    "Cấp giấy phép, gia hạn giấy phép tổ chức hoạt động dạy thêm, học thêm đối với cấp trung học cơ sở",
})

# ---------------------------------------------------------------- people
FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 2.0), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.6), ("Mai", 0.4), ("Lương", 0.3),
)
MALE_MIDDLE = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Xuân", "Công", "Đình", "Ngọc", "Anh", "Trọng", "Quốc")
FEMALE_MIDDLE = ("Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Kim", "Phương", "Thúy", "Mai", "Bích", "Diệu")
MALE_GIVEN = (
    "Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Long",
    "Lâm", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành",
    "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hưng", "Đông", "Lộc", "Thịnh",
)
FEMALE_GIVEN = (
    "An", "Anh", "Châu", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hòa",
    "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh",
    "Phương", "Quyên", "Tâm", "Thảo", "Thủy", "Trang", "Trinh", "Uyên", "Vân", "Yến", "Xuân",
)
