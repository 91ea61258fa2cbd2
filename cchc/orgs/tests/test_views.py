import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.orgs.models import UnitKind
from cchc.testing import make_unit


@pytest.mark.django_db
class TestUnitPages:
    def test_anonymous_is_sent_to_log_in(self, client, personas):
        for url in [reverse("orgs:list"), reverse("orgs:detail", args=["xa-1"])]:
            assert client.get(url)["Location"].startswith(reverse("accounts:login"))

    def test_it_searches_without_accents(self, client, personas):
        client.force_login(personas.officer_a)
        page = client.get(reverse("orgs:list"), {"q": "ia kha"}).content.decode()
        assert "UBND xã Ia Kha" in page and "UBND xã Ia Ly" not in page

    def test_a_search_that_finds_nothing_names_the_day_and_the_way_to_older_units(self, client, personas):
        client.force_login(personas.officer_a)
        page = client.get(reverse("orgs:list"), {"q": "khong co", "as_of": "2025-07-01"}).content.decode()
        assert "Không có đơn vị nào có hiệu lực ngày 01/07/2025 khớp" in page
        assert "chọn một ngày trước đó" in page

    def test_own_unit_shows_its_obligations(self, client, personas, demo_plan):
        client.force_login(personas.officer_a)
        page = client.get(reverse("orgs:detail", args=["xa-1"])).content.decode()
        assert "Nhiệm vụ theo kế hoạch" in page and "Công khai TTHC" in page

    def test_another_units_officer_does_not_see_its_work(self, client, personas, demo_plan):
        client.force_login(personas.officer_b)
        page = client.get(reverse("orgs:detail", args=["xa-1"])).content.decode()
        assert "UBND xã Ia Kha" in page
        assert "Nhiệm vụ theo kế hoạch" not in page and "Công khai TTHC" not in page

    def test_the_coordinator_sees_every_units_work(self, client, personas, demo_plan):
        client.force_login(personas.coordinator)
        assert "Công khai TTHC" in client.get(reverse("orgs:detail", args=["xa-1"])).content.decode()

    def test_unknown_unit_is_404(self, client, personas):
        client.force_login(personas.coordinator)
        assert client.get(reverse("orgs:detail", args=["nope"])).status_code == 404

    def test_unit_list_costs_the_same_with_more_units(self, client, personas):
        client.force_login(personas.coordinator)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("orgs:list"))
        for _ in range(80):
            make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=personas.units.district)
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("orgs:list"))
        assert len(large) == len(small)
