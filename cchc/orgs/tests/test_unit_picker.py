"""The unit picker: a search box (accent-insensitive, by name and place) instead of a dropdown of hundreds of units."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse

from cchc.orgs.forms import UnitChoiceField
from cchc.orgs.models import Unit, UnitKind
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def wards(personas):
    pleiku = make_unit(code="tp-pleiku", name="UBND thành phố Pleiku", kind=UnitKind.DISTRICT_COMMITTEE)
    an_khe = make_unit(code="tx-an-khe", name="UBND thị xã An Khê", kind=UnitKind.DISTRICT_COMMITTEE)
    return [
        make_unit(
            code="tay-son-pk",
            name="UBND phường Tây Sơn",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=pleiku,
            context="thành phố Pleiku",
        ),
        make_unit(
            code="tay-son-ak",
            name="UBND phường Tây Sơn",
            kind=UnitKind.COMMUNE_COMMITTEE,
            parent=an_khe,
            context="thị xã An Khê",
        ),
    ]


def search(client, q: str, **extra) -> list[str]:
    response = client.get(reverse("orgs:search"), {"q": q, **extra})
    assert response.status_code == 200
    return [row["label"] for row in response.json()["results"]]


def test_it_finds_units_without_accents_and_tells_namesakes_apart(client, personas, wards):
    client.force_login(personas.desk)
    assert search(client, "tay son") == [
        "UBND phường Tây Sơn (thành phố Pleiku)",
        "UBND phường Tây Sơn (thị xã An Khê)",
    ]
    assert search(client, "TÂY SƠN an khe") == ["UBND phường Tây Sơn (thị xã An Khê)"]
    assert search(client, "không có đơn vị này") == []


def test_closed_units_are_found_only_when_asked(client, personas, wards):
    wards[0].valid_to = dt.date(2025, 6, 30)
    wards[0].save(update_fields=["valid_to"])
    client.force_login(personas.coordinator)
    assert search(client, "tay son") == ["UBND phường Tây Sơn (thị xã An Khê)"]
    assert len(search(client, "tay son", all="1")) == 2


def test_it_answers_a_bounded_list(client, personas):
    for i in range(30):
        make_unit(code=f"xa-thu-{i}", name=f"UBND xã Thử {i}", kind=UnitKind.COMMUNE_COMMITTEE)
    client.force_login(personas.officer_a)
    data = client.get(reverse("orgs:search"), {"q": "xa thu"}).json()
    assert len(data["results"]) == 20 and data["more"] is True


def test_the_field_reads_as_labels_in_a_search_box(personas, wards):
    class Form(forms.Form):
        unit = UnitChoiceField(queryset=Unit.objects.filter(kind=UnitKind.COMMUNE_COMMITTEE))

    html = str(Form()["unit"])
    assert f'data-unit-picker="{reverse("orgs:search")}"' in html
    assert "UBND phường Tây Sơn (thành phố Pleiku)</option>" in html
    assert "— Chọn —" in html and "---------" not in html


def test_the_desks_assignment_uses_the_picker(personas):
    from cchc.feedback.forms import AssignForm

    html = str(AssignForm()["unit"])
    assert "data-unit-picker" in html
