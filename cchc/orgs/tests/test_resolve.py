"""How names written in plans find their unit: abbreviations, variants, level phrases, slips of the pen."""

import datetime as dt

import pytest

from cchc.orgs.actions import do_load_units
from cchc.orgs.models import UnitKind
from cchc.orgs.resolve import Resolver, loose_key, name_key
from cchc.testing import make_province, make_unit

DAY = dt.date(2024, 1, 1)


def test_abbreviations_inside_names_share_the_key_of_the_full_name():
    assert name_key("VP UBND tỉnh") == name_key("Văn phòng Ủy ban nhân dân tỉnh")
    assert name_key("Đài PT-TH tỉnh") == name_key("Đài PTTH tỉnh") == name_key("Đài Phát thanh Truyền hình tỉnh")
    assert name_key("UBND TP. Pleiku") == name_key("Ủy ban nhân dân thành phố Pleiku")
    assert name_key("BHXH tỉnh") == name_key("Bảo hiểm xã hội tỉnh")
    # "TT" is trung tâm, thông tin or thị trấn: left alone.
    assert name_key("TT Hành chính công") == "tt hanh chinh cong"


def test_the_loose_key_ignores_spaces_and_conjunctions():
    assert loose_key(name_key("Sở TT&TT")) == loose_key(name_key("Sở TT - TT")) == loose_key(name_key("Sở TTTT"))
    assert loose_key(name_key("Sở Thông tin - Truyền thông")) == loose_key(name_key("Sở Thông tin và Truyền thông"))


@pytest.mark.django_db
class TestVariants:
    @pytest.fixture(autouse=True)
    def _province(self):
        self.units = make_province()
        self.post = make_unit(code="buu-dien", name="Bưu điện tỉnh", kind=UnitKind.PUBLIC_SERVICE)
        self.insurance = make_unit(
            code="bhxh", name="Bảo hiểm xã hội tỉnh", kind=UnitKind.SECTOR_AGENCY, short_name="BHXH tỉnh"
        )
        self.city = make_unit(code="huyen-9", name="UBND thành phố Pleiku", kind=UnitKind.DISTRICT_COMMITTEE)
        self.resolver = Resolver(DAY, "gia-lai")

    def match(self, text):
        return self.resolver.match(text)

    @pytest.mark.parametrize(
        "text",
        [
            "Sở TT&TT",
            "Sở TTTT",
            "Sở TT-TT",
            "Sở Thông tin - Truyền thông",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
            "Sở Thông tin và Truyền thông tỉnh Gia Lai",
            "Sở Thông tin và Truyền thông tỉnh",
        ],
    )
    def test_it_matches_the_ways_a_department_is_written(self, text):
        match = self.match(text)
        assert match.unit == self.units.tttt and match.quality == "exact"

    @pytest.mark.parametrize(
        "text",
        [
            "Sở Nội vụ",
            "Sở Nội Vụ tỉnh",
            "Sở Nội vụ tỉnh Gia Lai",
            "SNV",
            "Sở Nội vụ (cơ quan thường trực)",
            "sở nội vụ.",
        ],
    )
    def test_it_matches_sở_nội_vụ_however_written(self, text):
        assert self.match(text).unit == self.units.noi_vu

    @pytest.mark.parametrize(
        "text", ["UBND tỉnh", "Ủy ban nhân dân tỉnh", "UBND tỉnh Gia Lai", "Uỷ ban nhân dân tỉnh Gia Lai"]
    )
    def test_it_matches_the_provincial_committee(self, text):
        assert self.match(text).unit == self.units.province

    @pytest.mark.parametrize(
        "text",
        ["VP UBND tỉnh", "Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh Gia Lai", "VP UBND", "Văn phòng Ủy ban nhân dân"],
    )
    def test_it_matches_the_office_of_the_committee(self, text):
        assert self.match(text).unit == self.units.vp

    def test_it_expands_other_abbreviations(self):
        assert self.match("Đài PT-TH tỉnh").unit == self.units.dai
        assert self.match("BHXH tỉnh Gia Lai").unit == self.insurance
        assert self.match("UBND TP Pleiku").unit == self.city

    def test_an_ocr_slip_is_a_close_match_for_the_reviewer(self):
        match = self.match("Bru điện tỉnh")
        assert match.unit == self.post and match.quality == "close"

    def test_a_close_spelling_never_crosses_kind_or_level(self):
        # "Phòng Nội vụ" (a district office) is not a misspelt "Sở Nội vụ"; nor a commune's body the province's.
        assert not self.match("Phòng Nội vụ").found
        assert not self.match("Bưu điện xã").found

    @pytest.mark.parametrize(
        "text,code",
        [
            ("UBND các huyện, thành phố", "ubnd-cap-huyen"),
            ("UBND các huyện, thị xã", "ubnd-cap-huyen"),
            ("các huyện, thị xã, thành phố thuộc tỉnh", "ubnd-cap-huyen"),
            ("UBND huyện, thị xã, thành phố", "ubnd-cap-huyen"),
            ("UBND các xã, thị trấn", "ubnd-cap-xa"),
            ("UBND các phường, xã", "ubnd-cap-xa"),
            ("các xã, phường, thị trấn trên địa bàn tỉnh", "ubnd-cap-xa"),
        ],
    )
    def test_level_phrases_are_the_level_group(self, text, code):
        match = self.match(text)
        assert match.group is not None and match.group.code == code and match.quality == "exact"

    def test_one_named_committee_is_not_a_level(self):
        assert self.match("UBND thành phố Pleiku").unit == self.city
        assert not self.match("UBND thành phố").found

    def test_the_documents_own_committee_written_without_its_name(self):
        resolver = Resolver(DAY, "gia-lai", home=self.units.commune_a)
        assert resolver.match("UBND xã").unit == self.units.commune_a
        assert resolver.match("UBND").unit == self.units.commune_a
        assert not resolver.match("UBND huyện").found
        assert not self.resolver.match("UBND xã").found  # no home: no guess

    def test_a_name_two_units_share_is_only_a_close_match(self):
        twin = make_unit(name="UBND xã Ia Kha", kind=UnitKind.COMMUNE_COMMITTEE, parent=self.city)
        match = Resolver(DAY, "gia-lai").match("UBND xã Ia Kha")
        assert match.unit in (self.units.commune_a, twin) and match.quality == "close"

    def test_units_of_another_year_or_province_are_not_matched(self):
        make_unit(name="Sở Khoa học và Công nghệ", valid_from=dt.date(2025, 3, 1))
        make_unit(name="Sở Tư pháp", province="binh-dinh")
        assert not self.match("Sở Khoa học và Công nghệ").found
        assert Resolver(dt.date(2025, 7, 1), "gia-lai").match("Sở Khoa học và Công nghệ").found
        assert not self.match("Sở Tư pháp").found

    def test_an_unknown_name_stays_unmatched(self):
        assert self.match("Các phòng chuyên môn").quality == "none"
        assert self.match("").quality == "none"


@pytest.mark.django_db
def test_the_2024_registry_resolves_what_plans_write():
    do_load_units("Gia Lai", DAY)
    resolver = Resolver(DAY, "gia-lai")
    expected = {
        "Sở TT&TT": "so-tttt",
        "VP UBND tỉnh": "vp-ubnd",
        "UBND tỉnh": "ubnd-tinh",
        "Sở LĐ-TB&XH": "so-ldtbxh",
        "Sở VHTT&DL": "so-vhttdl",
        "Sở Văn hóa - Thể thao và Du lịch": "so-vhttdl",
        "Sở GD&ĐT": "so-gddt",
        "Đài PTTH tỉnh": "dai-ptth",
        "Đài Phát thanh - Truyền hình tỉnh": "dai-ptth",
        "Công an tỉnh Gia Lai": "cong-an",
        "Trung tâm PVHCC tỉnh": "ttpvhcc",
        "BQL KKT tỉnh": "bql-kkt",
        "Ủy ban MTTQ Việt Nam tỉnh": "mttq",
        "UBND TP Pleiku": "huyen-622",
        "UBND thị xã An Khê": "huyen-623",
    }
    for text, code in expected.items():
        match = resolver.match(text)
        assert match.unit is not None and match.unit.code == code and match.quality == "exact", text
    slip = resolver.match("Bru điện tỉnh")
    assert slip.unit.code == "buu-dien" and slip.quality == "close"
