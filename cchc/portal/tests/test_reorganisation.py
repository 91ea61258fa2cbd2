"""Public pages after a reorganisation: a closed agency's hotline and back page lead to its successor."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.plans.tests.reorg import reorganise
from cchc.portal import actions


@pytest.fixture
def reorg(personas):
    return reorganise(personas.units)


def _contact(unit, personas, hotline):
    actions.do_save_contact(
        unit, {"hotline": hotline, "address": "Gia Lai"}, actor=personas.admin, expected_version=None
    )


@pytest.mark.django_db
class TestHotlinesAfterTheReform:
    def test_a_closed_agency_is_no_longer_listed(self, client, personas, reorg):
        _contact(personas.units.tttt, personas, "0269 111 111")
        _contact(reorg.khcn, personas, "0269 222 222")
        page = client.get(reverse("portal:hotlines")).text
        assert "0269 222 222" in page and "0269 111 111" not in page

    def test_searching_a_closed_agency_leads_to_its_successors(self, client, personas, reorg):
        _contact(reorg.khcn, personas, "0269 222 222")
        page = client.get(reverse("portal:hotlines") + "?q=thong tin va truyen thong").text
        assert "Sở Thông tin và Truyền thông không còn hoạt động sau khi sắp xếp" in page
        assert "Sở Khoa học và Công nghệ" in page and "Sở Văn hóa, Thể thao và Du lịch" in page
        district = client.get(reverse("portal:hotlines") + "?q=chu pah").text
        assert reorg.new_a.name in district and reorg.new_b.name in district


@pytest.mark.django_db
class TestBackPageAfterTheReform:
    def test_a_closed_agencys_back_page_is_its_successors(self, client, personas, reorg):
        response = client.get(reverse("portal:back_page_pdf", args=[personas.units.dai.code]) + "?paper=A5")
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:back_page_pdf", args=[reorg.bao.code]) + "?paper=A5"
        assert client.get(response["Location"]).status_code == 200

    def test_a_closed_agency_without_successor_is_not_found(self, client, personas):
        personas.units.vp.valid_to = dt.date(2020, 1, 1)
        personas.units.vp.save()
        assert client.get(reverse("portal:back_page_pdf", args=[personas.units.vp.code])).status_code == 404
