"""Result kinds that match the plan: contests, surveys, "Ngày Pháp luật", classes, programmes, with their figures."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from cchc.execution.actions import do_record_result
from cchc.execution.bulk import build_template
from cchc.execution.models import Result, ResultKind
from cchc.testing import obligation_of

pytestmark = pytest.mark.django_db


def _fields(obligation, **extra):
    return {
        "obligation": obligation,
        "kind": ResultKind.CONTEST,
        "title": "Cuộc thi tìm hiểu CCHC năm 2024",
        "occurred_on": dt.date(2024, 4, 2),
        "quantity": Decimal(1),
        **extra,
    }


class TestKinds:
    def test_a_contest_records_its_participants_and_prizes(self, personas, demo_plan):
        ob = obligation_of(demo_plan, personas.units.commune_a, "1")
        result = do_record_result(_fields(ob, participants=1250, prizes=12), actor=personas.officer_a)
        result.refresh_from_db()
        assert (result.kind, result.participants, result.prizes) == ("contest", 1250, 12)
        assert result.get_kind_display() == "Cuộc thi tìm hiểu"

    def test_a_programme_records_broadcasts_and_contract_cost(self, personas, demo_plan):
        ob = obligation_of(demo_plan, personas.units.commune_a, "1")
        result = do_record_result(
            _fields(ob, kind=ResultKind.BROADCAST, broadcasts=4, contract_cost=Decimal(45_000_000)),
            actor=personas.officer_a,
        )
        assert (result.broadcasts, result.contract_cost) == (4, Decimal(45_000_000))

    def test_a_figure_the_kind_does_not_have_is_refused_with_a_clear_message(self, personas, demo_plan):
        ob = obligation_of(demo_plan, personas.units.commune_a, "1")
        with pytest.raises(ValidationError) as err:
            do_record_result(_fields(ob, kind=ResultKind.POSTER, prizes=3), actor=personas.officer_a)
        assert "không có “số giải thưởng”" in str(err.value.message_dict["prizes"])
        assert not Result.objects.exists()

    def test_the_plans_kinds_are_all_there(self):
        assert {"contest", "survey", "law_day", "training", "broadcast"} <= set(ResultKind.values)
        assert ResultKind.values[-1] == ResultKind.OTHER  # "Hình thức khác" stays last in every table

    def test_the_form_takes_a_surveys_respondents(self, client, personas, demo_plan):
        client.force_login(personas.officer_a)
        data = {
            "obligation": obligation_of(demo_plan, personas.units.commune_a, "1").pk,
            "kind": ResultKind.SURVEY,
            "title": "Khảo sát SIPAS tại Bộ phận một cửa",
            "occurred_on": "2024-04-02",
            "quantity": "1",
            "cost": "0",
            "participants": "300",
            "topics_reviewed": "1",
        }
        response = client.post(reverse("execution:result_create"), data)
        assert response.status_code == 302
        result = Result.objects.get()
        assert (result.kind, result.participants, result.contract_cost) == ("survey", 300, None)
        assert "Số người tham gia" in client.get(reverse("execution:result", args=[result.pk])).content.decode()

    def test_the_excel_template_lists_the_new_kinds(self, personas, demo_plan):
        book = load_workbook(io.BytesIO(build_template(demo_plan, personas.units.commune_a)))
        listed = {c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
        assert {"Cuộc thi tìm hiểu", "Khảo sát, lấy ý kiến (SIPAS...)", "Ngày Pháp luật"} <= listed
