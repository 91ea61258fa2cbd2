"""Names the agency splitter must know: the words that start an agency name, the nouns of group phrases,
and the official names that themselves contain a comma or "và" ("Sở Văn hóa, Thể thao và Du lịch").

These are the national naming conventions (Nghị định 24/2014, 107/2020, 150/2025 and their district- and
commune-level counterparts), so they hold for every province; nothing here is specific to Gia Lai.
"""

from __future__ import annotations

# Official names that a comma or "và" would otherwise cut in two. Province and district variants both.
COMPOUND_NAMES = (
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao",
    "Sở Văn hóa, Thông tin, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài nguyên và Môi trường",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Giao thông vận tải",
    "Sở Xây dựng và Giao thông",
    "Sở Dân tộc và Tôn giáo",
    "Sở Quy hoạch - Kiến trúc",
    "Sở Du lịch",
    "Văn phòng Ủy ban nhân dân",
    "Văn phòng UBND",
    "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân",
    "Văn phòng HĐND và UBND",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
    "Văn phòng Đoàn ĐBQH và HĐND",
    "Văn phòng Đoàn ĐBQH, HĐND và UBND",
    "Văn phòng Đảng ủy, HĐND và UBND",
    "Đài Phát thanh và Truyền hình",
    "Báo và Phát thanh, Truyền hình",
    "Đài Phát thanh - Truyền hình",
    "Trung tâm Văn hóa, Thông tin và Thể thao",
    "Trung tâm Văn hóa, Thể thao và Truyền thanh",
    "Trung tâm Văn hóa - Thông tin và Thể thao",
    "Trung tâm Văn hóa, Thông tin, Thể thao và Du lịch",
    "Trung tâm Văn hóa - Thể thao và Truyền thanh",
    "Trung tâm Truyền thông và Văn hóa",
    "Trung tâm Công nghệ thông tin và Truyền thông",
    "Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch",
    "Trung tâm Phục vụ hành chính công",
    "Bộ phận Tiếp nhận và Trả kết quả",
    "Bộ phận Tiếp nhận và trả kết quả",
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Bộ Thông tin và Truyền thông",
    "Bộ Khoa học và Công nghệ",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Lao động - Thương binh và Xã hội",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Phòng Văn hóa và Thông tin",
    "Phòng Văn hóa - Thông tin",
    "Phòng Văn hóa, Khoa học và Thông tin",
    "Phòng Văn hóa - Xã hội",
    "Phòng Văn hóa, Xã hội",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Phòng Kinh tế - Hạ tầng",
    "Phòng Kinh tế và Hạ tầng",
    "Phòng Quản lý đô thị",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Tài chính và Kế hoạch",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Nông nghiệp và Môi trường",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Nội vụ và Lao động",
    "Phòng Dân tộc và Tôn giáo",
    "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "Ủy ban MTTQ Việt Nam",
    "Mặt trận Tổ quốc Việt Nam",
    "Hội Liên hiệp Phụ nữ",
    "Liên hiệp các Hội Khoa học và Kỹ thuật",
    "Liên minh Hợp tác xã",
    "Hiệp hội Doanh nghiệp",
    "Ban Tuyên giáo và Dân vận",
    "Ban Quản lý Khu kinh tế",
    "Ban Quản lý các khu công nghiệp",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Bảo hiểm xã hội",
    "Kho bạc Nhà nước",
    "Viện Kiểm sát nhân dân",
    "Tòa án nhân dân",
    "Bộ Chỉ huy Quân sự",
    "Bộ Chỉ huy Bộ đội Biên phòng",
    "Ban Chỉ huy Quân sự",
    "Công đoàn Viên chức",
    "Cổng Dịch vụ công",
    "Cổng thông tin điện tử",
)

# Words that begin a new agency name in a list. Folded (fold()), longest first is not needed: matching
# is by whole words at the start of a segment.
HEAD_WORDS = (
    "so", "bo", "ban", "uy ban", "ubnd", "hdnd", "hoi dong", "van phong", "thanh tra", "cong an", "cuc",
    "chi cuc", "kho bac", "bao hiem", "ngan hang", "dai", "bao", "tap chi", "trung tam", "phong", "hoi",
    "lien doan", "lien minh", "lien hiep", "doan", "tinh doan", "huyen doan", "thanh doan", "cong doan",
    "mat tran", "mttq", "vien", "truong", "hoc vien", "benh vien", "buu dien", "nha hat", "thu vien",
    "bao tang", "tinh uy", "huyen uy", "thanh uy", "thi uy", "dang uy", "cong", "toa an", "chi nhanh",
    "cong ty", "tong cong ty", "hat kiem lam", "bo phan", "to", "cac", "chu tich", "pho chu tich",
    "giam doc", "thu truong", "lanh dao", "nguoi dung dau", "hiep hoi", "bch", "bql", "vp", "ttdt",
    "bhxh", "kbnn", "nhnn", "vien kiem sat", "bo chi huy", "ban chi huy", "quan doi", "doanh nghiep",
    "ho kinh doanh", "nguoi dan", "can bo", "cong chuc", "vnpt", "viettel", "mobifone", "hop tac xa",
)  # fmt: skip

# Heads that are ordinary words too ("báo cáo", "đài", "bộ"); they start a name only when capitalised.
AMBIGUOUS_HEADS = frozenset({"bao", "dai", "bo", "ban", "so", "hoi", "doan", "vien", "truong", "phong",
                             "cuc", "to", "cong", "doanh nghiep", "can bo", "cong chuc", "nguoi dan"})  # fmt: skip

# Nouns of group phrases: "các sở, ban, ngành tỉnh", "các cơ quan, đơn vị, địa phương",
# "UBND các xã, phường, thị trấn". After "các ...", a segment made of these continues the group.
COLLECTIVE_NOUNS = (
    "so", "ban", "nganh", "co quan", "don vi", "dia phuong", "phong", "huyen", "quan", "thi xa",
    "thanh pho", "xa", "phuong", "thi tran", "cap", "doan the", "to chuc", "hoi", "doanh nghiep",
    "truong", "truong hoc", "co so", "thon", "lang", "lang", "buon", "plei", "to dan pho", "khu pho",
    "ap", "khoi", "dia ban", "chi bo", "dang uy", "chi hoi", "trung tam", "tram", "hoi doan the",
    "mat tran", "co quan bao chi", "bo", "nganh tinh", "don vi su nghiep", "hop tac xa", "dac khu",
)  # fmt: skip

# Administrative levels, for elliptical lists: "UBND tỉnh, huyện, xã" / "UBND cấp huyện, cấp xã".
LEVEL_WORDS = ("tinh", "huyen", "quan", "thi xa", "thanh pho", "xa", "phuong", "thi tran")
