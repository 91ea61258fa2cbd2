import datetime as dt

import pytest

from cchc.orgs.actions import do_ensure_groups
from cchc.orgs.models import UnitGroup, UnitKind
from cchc.orgs.resolve import Resolver, name_key
from cchc.testing import make_province, make_unit

DAY = dt.date(2024, 1, 1)


def test_it_folds_names_for_matching():
    assert name_key("Ủy ban nhân dân xã Ia Kha") == name_key("UBND xã  Ia Kha")
    assert name_key("Sở Văn hóa, Thể thao và Du lịch") == name_key("Sở Văn hoá Thể thao và Du lịch")


@pytest.mark.django_db
class TestGroups:
    def test_it_expands_a_group_to_the_units_valid_on_the_date(self):
        units = make_province()
        make_unit(name="UBND xã Cũ", kind=UnitKind.COMMUNE_COMMITTEE, valid_to=dt.date(2023, 12, 31))
        make_unit(name="UBND xã Mới", kind=UnitKind.COMMUNE_COMMITTEE, valid_from=dt.date(2025, 7, 1))
        communes = UnitGroup.objects.get(code="ubnd-cap-xa").units_on(DAY, "gia-lai")
        assert set(communes) == {units.commune_a, units.commune_b}

    def test_it_keeps_groups_within_the_province(self):
        make_province()
        make_unit(name="UBND xã Bên Kia", kind=UnitKind.COMMUNE_COMMITTEE, province="binh-dinh")
        assert UnitGroup.objects.get(code="ubnd-cap-xa").units_on(DAY, "gia-lai").count() == 2
        assert UnitGroup.objects.get(code="ubnd-cap-xa").units_on(DAY).count() == 3

    def test_departments_group_has_departments_and_sector_agencies(self):
        units = make_province()
        police = make_unit(name="Công an tỉnh", kind=UnitKind.SECTOR_AGENCY)
        members = set(UnitGroup.objects.get(code="so-ban-nganh").units_on(DAY, "gia-lai"))
        assert {units.noi_vu, units.tttt, units.vp, police} <= members
        assert units.dai not in members and units.commune_a not in members


@pytest.mark.django_db
def test_ensuring_the_groups_creates_the_missing_mends_the_changed_and_leaves_the_rest(django_assert_num_queries):
    do_ensure_groups()
    communes = UnitGroup.objects.get(code="ubnd-cap-xa")
    written = (communes.name, communes.aliases)
    communes.name, communes.aliases = "nhóm sửa tay", []
    communes.save()
    UnitGroup.objects.filter(code="so-ban-nganh").delete()
    own = UnitGroup.objects.create(code="nhom-rieng", name="nhóm riêng của tỉnh", kinds=[UnitKind.DEPARTMENT])

    do_ensure_groups()

    communes.refresh_from_db()
    assert (communes.name, communes.aliases) == written
    assert UnitGroup.objects.filter(code="so-ban-nganh").exists()
    assert UnitGroup.objects.get(pk=own.pk).name == "nhóm riêng của tỉnh"  # a province's own group is its own
    with django_assert_num_queries(3):  # the transaction's savepoint, its release, and one read
        do_ensure_groups()


@pytest.mark.django_db
class TestResolver:
    @pytest.fixture(autouse=True)
    def _province(self):
        self.units = make_province()
        do_ensure_groups()
        self.resolver = Resolver(DAY, "gia-lai")

    @pytest.mark.parametrize("text", ["Sở Thông tin và Truyền thông", "Sở TT&TT", "sở thông tin và truyền thông"])
    def test_it_matches_names_and_aliases(self, text):
        match = self.resolver.match(text)
        assert match.unit == self.units.tttt and match.quality == "exact"

    def test_it_matches_ubnd_written_out(self):
        assert self.resolver.match("Văn phòng Ủy ban nhân dân tỉnh").unit == self.units.vp
        assert self.resolver.match("Văn phòng UBND tỉnh").unit == self.units.vp

    @pytest.mark.parametrize(
        "text,code",
        [
            ("các sở, ban, ngành tỉnh", "so-ban-nganh"),
            ("Các sở, ban, ngành", "so-ban-nganh"),
            ("UBND cấp xã", "ubnd-cap-xa"),
            ("UBND các xã, phường, thị trấn", "ubnd-cap-xa"),
            ("UBND cấp huyện", "ubnd-cap-huyen"),
            ("các cơ quan, đơn vị, địa phương", "co-quan-don-vi-dia-phuong"),
        ],
    )
    def test_it_matches_group_phrases(self, text, code):
        assert self.resolver.match(text).group.code == code

    def test_it_flags_a_close_match(self):
        match = self.resolver.match("Sở Thông tin và Truyền thôn")
        assert match.unit == self.units.tttt and match.quality == "close"

    def test_it_reports_no_match(self):
        assert not self.resolver.match("Bộ Ngoại giao").found
