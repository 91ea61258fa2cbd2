"""A receipt printed before a reorganisation: its rating QR code leads to the agency that carries the work now."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.plans.tests.reorg import reorganise


@pytest.fixture
def reorg(personas):
    return reorganise(personas.units)


def _rate(unit, query=""):
    return reverse("feedback:rate_service", args=[unit.code]) + query


@pytest.mark.django_db
class TestRatingAfterTheReform:
    def test_a_closed_desk_leads_to_its_only_successor_keeping_the_dossier(self, client, personas, reorg):
        response = client.get(_rate(personas.units.commune_a, "?ho_so=H21-0001&tthc=1.001612"))
        assert response.status_code == 302
        assert response["Location"] == _rate(reorg.new_a, "?ho_so=H21-0001&tthc=1.001612")
        page = client.get(response["Location"]).text
        assert reorg.new_a.name in page and "H21-0001" in page

    def test_a_closed_district_lists_the_communes_that_took_over_its_area(self, client, personas, reorg):
        page = client.get(_rate(personas.units.district, "?ho_so=H21-0002"))
        assert page.status_code == 200 and "không còn hoạt động sau khi sắp xếp" in page.text
        assert _rate(reorg.new_a, "?ho_so=H21-0002") in page.text and _rate(reorg.new_b, "?ho_so=H21-0002") in page.text

    def test_a_closed_desk_without_successor_is_not_found(self, client, personas):
        personas.units.vp.valid_to = dt.date(2020, 1, 1)
        personas.units.vp.save()
        assert client.get(_rate(personas.units.vp)).status_code == 404


@pytest.mark.django_db
def test_the_desk_routes_items_only_to_units_that_exist_today(personas, reorg):
    from cchc.feedback.forms import AssignForm, ReassignForm

    for form in (AssignForm(), ReassignForm()):
        choices = set(form.fields["unit"].queryset)
        assert {reorg.khcn, reorg.vhttdl, reorg.new_a} <= choices
        assert not choices & {personas.units.tttt, personas.units.district, personas.units.commune_a}
