"""Agency lists: names with commas kept whole, elliptical lists expanded, roles assigned."""

import pytest

from cchc.plans.importer.agencies import is_known, parse_agencies, split_agencies, subject_agencies


def _roles(text, default="implement"):
    return [(a["name"], a["role"]) for a in parse_agencies(text, default)]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Sở Văn hóa, Thể thao và Du lịch; Các sở, ban, ngành tỉnh",
            ["Sở Văn hóa, Thể thao và Du lịch", "Các sở, ban, ngành tỉnh"],
        ),
        ("các cơ quan, đơn vị, địa phương", ["các cơ quan, đơn vị, địa phương"]),
        (
            "Sở Lao động - Thương binh và Xã hội, Sở Khoa học và Công nghệ, Sở Giáo dục và Đào tạo",
            ["Sở Lao động - Thương binh và Xã hội", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo"],
        ),
        ("UBND cấp huyện, cấp xã", ["UBND cấp huyện", "UBND cấp xã"]),
        ("UBND tỉnh, huyện, xã", ["UBND tỉnh", "UBND huyện", "UBND xã"]),
        (
            "UBND các huyện, thị xã, thành phố; UBND các xã, phường, thị trấn",
            ["UBND các huyện, thị xã, thành phố", "UBND các xã, phường, thị trấn"],
        ),
        (
            "Trung tâm Văn hóa, Thông tin và Thể thao các huyện, thị xã, thành phố",
            ["Trung tâm Văn hóa, Thông tin và Thể thao các huyện, thị xã, thành phố"],
        ),
        ("Sở Nội vụ và Sở Tư pháp", ["Sở Nội vụ", "Sở Tư pháp"]),
        (
            "Văn phòng HĐND và UBND huyện, Công an tỉnh và Ban Quản lý Khu kinh tế tỉnh",
            ["Văn phòng HĐND và UBND huyện", "Công an tỉnh", "Ban Quản lý Khu kinh tế tỉnh"],
        ),
        ("các Sở: Nội vụ, Tư pháp, Kế hoạch và Đầu tư", ["Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư"]),
        (
            "Các sở, ban, ngành tỉnh, UBND các huyện, thị xã, thành phố, các cơ quan, đơn vị có liên quan",
            [
                "Các sở, ban, ngành tỉnh",
                "UBND các huyện, thị xã, thành phố",
                "các cơ quan, đơn vị có liên quan",
            ],
        ),
        ("Các sở, ban, ngành, Ban Dân tộc", ["Các sở, ban, ngành", "Ban Dân tộc"]),
        (
            "Sở Nội vụ (Trung tâm Phục vụ hành chính công, Văn phòng)",
            ["Sở Nội vụ (Trung tâm Phục vụ hành chính công, Văn phòng)"],
        ),
    ],
)
def test_it_splits_agency_lists_without_breaking_names(text, names):
    assert split_agencies(text) == names


def test_it_reads_a_plain_list_as_implementers():
    assert _roles("Văn phòng UBND tỉnh; Các sở, ban, ngành tỉnh; UBND cấp huyện, UBND cấp xã.") == [
        ("Văn phòng UBND tỉnh", "implement"),
        ("Các sở, ban, ngành tỉnh", "implement"),
        ("UBND cấp huyện", "implement"),
        ("UBND cấp xã", "implement"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sở Nội vụ phối hợp với các cơ sở đào tạo.",
            [("Sở Nội vụ", "lead"), ("các cơ sở đào tạo", "coordinate")],
        ),
        (
            "Sở Nội vụ phối hợp Đài Phát thanh và Truyền hình tỉnh.",
            [("Sở Nội vụ", "lead"), ("Đài Phát thanh và Truyền hình tỉnh", "coordinate")],
        ),
        (
            (
                "Sở Thông tin và Truyền thông chủ trì, hướng dẫn các cơ quan, "
                "đơn vị, địa phương thực hiện theo Kế hoạch."
            ),
            [("Sở Thông tin và Truyền thông", "lead"), ("các cơ quan, đơn vị, địa phương", "implement")],
        ),
        (
            "Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp và các cơ quan liên quan tổ chức thực hiện",
            [("Sở Nội vụ", "lead"), ("Sở Tư pháp", "coordinate"), ("các cơ quan liên quan", "coordinate")],
        ),
        (
            "Sở Nội vụ chủ trì; các sở, ngành liên quan phối hợp",
            [("Sở Nội vụ", "lead"), ("các sở, ngành liên quan", "coordinate")],
        ),
        (
            "Chủ trì: Sở Nội vụ; Phối hợp: Sở Tư pháp, Công an tỉnh",
            [("Sở Nội vụ", "lead"), ("Sở Tư pháp", "coordinate"), ("Công an tỉnh", "coordinate")],
        ),
        (
            "Sở Nội vụ (chủ trì), Sở Tư pháp (phối hợp), Công an tỉnh",
            [("Sở Nội vụ", "lead"), ("Sở Tư pháp", "coordinate"), ("Công an tỉnh", "implement")],
        ),
        (
            "Các cơ quan, đơn vị, địa phương chủ trì, phối hợp với Sở Thông tin và Truyền thông",
            [("Các cơ quan, đơn vị, địa phương", "lead"), ("Sở Thông tin và Truyền thông", "coordinate")],
        ),
    ],
)
def test_it_assigns_lead_coordinate_and_implement_roles(text, expected):
    assert _roles(text) == expected


def test_it_reads_the_one_who_directs_others_as_lead():
    text = "UBND các huyện, thị xã, thành phố chỉ đạo UBND cấp xã thực hiện"
    expected = [("UBND các huyện, thị xã, thành phố", "lead"), ("UBND cấp xã", "implement")]
    assert _roles(text) == expected


def test_it_uses_the_column_role_for_a_plain_list():
    assert _roles("Phòng Nội vụ, Phòng Tư pháp", "coordinate") == [
        ("Phòng Nội vụ", "coordinate"),
        ("Phòng Tư pháp", "coordinate"),
    ]


def test_it_returns_nothing_for_empty_text():
    assert parse_agencies("") == [] and parse_agencies(None) == []


def test_it_tells_agencies_from_other_text():
    assert is_known("Sở Nội vụ") and is_known("các sở, ban, ngành") and is_known("UBND cấp xã")
    assert not is_known("Về kinh phí")


def test_it_finds_the_agencies_a_duty_is_about():
    assert subject_agencies("Sở Nội vụ: Tổ chức triển khai, theo dõi.") == ["Sở Nội vụ"]
    assert subject_agencies("Sở Nội vụ theo dõi, đôn đốc, tổng hợp kết quả.") == ["Sở Nội vụ"]
    assert subject_agencies("Về kinh phí") == []
