import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.orgs.actions import do_load_units
from cchc.orgs.models import Succession, Unit

Y2024 = dt.date(2024, 1, 1)
Y2025 = dt.date(2025, 7, 1)


def units_json(*args) -> list[dict]:
    out = StringIO()
    call_command("units", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
class TestLoad2024:
    def test_it_loads_the_three_levels_of_2024(self):
        do_load_units("Gia Lai", Y2024)
        rows = units_json("--as-of", "2024-01-01")
        kinds = Counter(r["kind"] for r in rows)
        assert kinds["district_committee"] == 17
        assert kinds["commune_committee"] == 218
        assert kinds["provincial_committee"] == 1
        assert kinds["department"] == 20
        assert kinds["sector_agency"] == 9
        assert set(rows[0]) >= {"code", "name", "kind", "parent", "valid_from", "valid_to"}

    def test_it_puts_communes_under_their_district(self):
        do_load_units("Gia Lai", Y2024)
        commune = Unit.objects.get(name="UBND xã Ia Khai")
        assert commune.parent.kind == "district_committee"
        assert commune.parent.parent.code == "ubnd-tinh"
        assert "Ủy ban nhân dân xã Ia Khai" in commune.aliases

    def test_it_is_idempotent(self):
        first = do_load_units("Gia Lai", Y2024)
        before = list(Unit.objects.order_by("code").values())
        second = do_load_units("Gia Lai", Y2024)
        assert len(first.created) == 272
        assert second.as_dict() == {"created": 0, "updated": 0, "closed": 0, "unchanged": 272, "succession_links": 0}
        assert list(Unit.objects.order_by("code").values()) == before

    def test_it_filters_by_kind(self):
        do_load_units("Gia Lai", Y2024)
        rows = units_json("--as-of", "2024-01-01", "--kind", "district_committee")
        assert len(rows) == 17 and {r["parent"] for r in rows} == {"ubnd-tinh"}

    def test_it_refuses_an_unknown_province(self):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError, match="Không tìm thấy"):
            call_command("load_units", "--province", "Atlantis", "--as-of", "2024-01-01")


@pytest.fixture(scope="class")
def reorganised(django_db_setup, django_db_blocker, tmp_path_factory):
    """Gia Lai's units of 2024, then of the 2025 reform, loaded once for the class's tests."""
    from cchc.testing import built_once

    with built_once(django_db_blocker, tmp_path_factory.mktemp("media")):
        do_load_units("Gia Lai", Y2024)
        yield do_load_units("Gia Lai", Y2025)


@pytest.mark.django_db
@pytest.mark.usefixtures("reorganised")
class TestReorganisation2025:
    def test_it_has_135_communes_and_no_districts_after_the_reform(self):
        rows = units_json("--as-of", "2025-07-01", "--province", "Gia Lai")
        kinds = Counter(r["kind"] for r in rows)
        assert kinds["commune_committee"] == 135
        assert kinds["district_committee"] == 0
        assert all(r["parent"] == "ubnd-tinh" for r in rows if r["kind"] == "commune_committee")

    def test_it_keeps_the_old_units_closed_not_deleted(self):
        old = Unit.objects.get(name="UBND xã Ia Khai", code__startswith="xa-")
        assert old.valid_to == dt.date(2025, 6, 30)
        rows = units_json("--as-of", "2024-01-01", "--province", "Gia Lai")
        assert Counter(r["kind"] for r in rows)["commune_committee"] == 218

    def test_it_links_each_new_commune_to_its_predecessors(self):
        new = Unit.objects.filter(code__startswith="xa2025-")
        assert new.count() == 135
        assert all(unit.predecessors.exists() for unit in new)
        # The merged province brings Bình Định's communes in as predecessors too.
        preds = Unit.objects.filter(successors__in=new).distinct()
        assert set(preds.values_list("province", flat=True)) == {"gia-lai", "binh-dinh"}

    def test_departments_carry_their_remit_words_and_a_2024_reload_keeps_them(self):
        assert "chuyển đổi số" in Unit.objects.get(code="so-khcn").remit
        assert "thông tin cơ sở" in Unit.objects.get(code="so-vhttdl").remit
        do_load_units("Gia Lai", Y2024)  # the 2024 list says nothing of remits
        assert "chuyển đổi số" in Unit.objects.get(code="so-khcn").remit

    def test_a_link_the_data_now_calls_partial_is_corrected(self):
        Succession.objects.filter(predecessor__code="so-tttt").update(partial=False)
        do_load_units("Gia Lai", Y2025)
        assert Succession.objects.get(predecessor__code="so-tttt", successor__code="so-vhttdl").partial

    def test_it_closes_merged_departments_with_their_successor(self):
        tttt = Unit.objects.get(code="so-tttt")
        assert tttt.valid_to == dt.date(2025, 2, 28)
        # Its digital work went to Sở KH&CN; press, broadcasting and grassroots information, in part, to Sở VHTT&DL.
        assert sorted(tttt.successors.values_list("code", flat=True)) == ["so-khcn", "so-vhttdl"]
        assert set(Succession.objects.filter(predecessor=tttt).values_list("successor__code", "partial")) == {
            ("so-khcn", False),
            ("so-vhttdl", True),
        }
        assert Unit.objects.get(code="so-khcn").valid_to is None

    def test_it_is_idempotent_in_both_directions(self):
        links = Succession.objects.count()
        again = do_load_units("Gia Lai", Y2025)
        assert (again.created, again.updated, again.closed, again.links) == ([], [], [], 0)
        back = do_load_units("Gia Lai", Y2024)
        assert (back.created, back.updated, back.closed) == ([], [], [])
        assert Succession.objects.count() == links


@pytest.mark.django_db
class TestNamesakes:
    def test_it_tells_two_wards_of_the_same_name_apart(self):
        do_load_units("Gia Lai", Y2024)
        labels = sorted(u.label for u in Unit.objects.filter(name="UBND phường Tây Sơn"))
        assert labels == ["UBND phường Tây Sơn (thành phố Pleiku)", "UBND phường Tây Sơn (thị xã An Khê)"]

    def test_every_label_is_unique_after_the_reform(self):
        do_load_units("Gia Lai", Y2024)
        do_load_units("Gia Lai", Y2025)
        labels = Counter(u.label for u in Unit.objects.all())
        assert [label for label, n in labels.items() if n > 1] == []
        merged = Unit.objects.get(code="huyen-547")  # a district of the former Bình Định
        assert merged.label == "UBND huyện Tây Sơn (tỉnh Bình Định)"
        new = Unit.objects.filter(code__startswith="xa2025-").first()
        assert new.context == "tỉnh Gia Lai"

    def test_the_place_is_searched_with_the_name(self):
        do_load_units("Gia Lai", Y2024)
        assert Unit.objects.filter(search_key__contains="tay son (thanh pho pleiku").count() == 1
