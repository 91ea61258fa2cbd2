"""One way for each thing (issue 17, item 4): every door stores a submission through ``accept_submission``, in
the same order of steps; the workflow's steps and who takes them are one table that the actions enforce and
the detail page offers."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.feedback import actions, submission, views
from cchc.feedback.models import Feedback, Status
from cchc.feedback.permissions import STEPS, role_may, status_allows
from cchc.feedback.tests.factory import (
    make_accepted,
    make_answered,
    make_assigned,
    make_feedback,
    make_published,
    public_post_data,
)

ROOT = Path(__file__).resolve().parents[2]


def calls_outside_tests(name: str) -> set[str]:
    """The modules (not tests) that call a function named ``name``."""
    found = set()
    for path in ROOT.rglob("*.py"):
        if {"tests", "migrations", "demo"} & set(path.parts):
            continue  # the demo's ready-made items are data written through the actions, not a door
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if called == name:
                    found.add(path.relative_to(ROOT.parent).as_posix())
    return found


class TestOneSubmissionPath:
    def test_it_is_the_only_caller_of_the_submit_action_and_the_limits(self):
        only = {"cchc/feedback/submission.py"}
        assert calls_outside_tests("do_submit_feedback") == only
        assert calls_outside_tests("replay_submission") == only
        assert calls_outside_tests("submission_allowed") == only

    @pytest.mark.django_db
    def test_every_door_goes_through_it(self, client, personas, monkeypatch):
        channels = []
        real = submission.accept_submission

        def spy(request, form, **kwargs):
            channels.append(form.channel())
            return real(request, form, **kwargs)

        monkeypatch.setattr(submission, "accept_submission", spy)
        html = client.get(reverse("feedback:submit")).content.decode()
        assert client.post(reverse("feedback:submit"), public_post_data(html)).status_code == 302
        api_body = {
            "subject": "Bỏ bản sao",
            "content": "Đề nghị bỏ bản sao chứng thực.",
            "sender": {"name": "A", "address": "B", "phone": "0912345678"},
        }
        assert client.post("/api/v1/feedback", json.dumps(api_body), content_type="application/json").status_code == 201
        open311 = {
            "service_code": "phan_anh",
            "description": "Nội dung",
            "first_name": "A",
            "phone": "0912345678",
            "address_string": "B",
        }
        assert client.post("/open311/v2/requests.json", open311).status_code == 201
        desk = Client()
        desk.force_login(personas.desk)
        staff = public_post_data(html, channel_choice="post", received_on="2024-03-01", form_token="b" * 32)
        assert desk.post(reverse("feedback:staff_new"), staff).status_code == 302
        assert channels == ["web", "api", "open311", "post"]
        assert Feedback.objects.count() == 4

    @pytest.mark.django_db
    def test_a_replay_comes_before_the_rate_limit_and_the_limit_before_validation(self, client, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        html = client.get(reverse("feedback:submit")).content.decode()
        data = public_post_data(html)
        first = client.post(reverse("feedback:submit"), data)
        assert first.status_code == 302
        assert client.post(reverse("feedback:submit"), data)["Location"] == first["Location"]  # not limited
        other = public_post_data(client.get(reverse("feedback:submit")).content.decode(), content="")
        assert client.post(reverse("feedback:submit"), other).status_code == 429  # counted although invalid
        assert Feedback.objects.count() == 1

    @pytest.mark.django_db
    def test_the_desk_entering_letters_is_not_rate_limited(self, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        desk = Client()
        desk.force_login(personas.desk)
        html = desk.get(reverse("feedback:submit")).content.decode()
        for n in range(3):
            data = public_post_data(html, channel_choice="phone", received_on="2024-03-01", form_token=f"{n}" * 32)
            assert desk.post(reverse("feedback:staff_new"), data).status_code == 302
        assert Feedback.objects.count() == 3


def item_in(status: str, personas) -> Feedback:
    makers = {
        Status.RECEIVED: lambda: make_feedback(),
        Status.ACCEPTED: lambda: make_accepted(personas),
        Status.ASSIGNED: lambda: make_assigned(personas),
        Status.ANSWERED: lambda: make_answered(personas),
        Status.PUBLISHED: lambda: make_published(personas),
    }
    return makers[status]()


STEP_DATA = {
    "reject": {"reason": "Không thuộc phạm vi."},
    "assign": {"note": ""},
    "reassign": {"reason": "Không đúng thẩm quyền."},
    "forward": {"recipient": "Bộ Tư pháp", "reason": ""},
    "answer": {"answer": "Đã xử lý.", "reference": ""},
    "return": {"reason": "Bổ sung căn cứ."},
    "publish": {
        "public_subject": "Tiêu đề",
        "public_content": "Nội dung",
        "public_answer": "Trả lời",
        "public_answer_reference": "",
        "public_regulation": "",
    },
    "note": {"text": "Ghi chú."},
}
TAKERS = {step: ("officer_dept" if step == "answer" else "desk") for step in STEPS}


def step_data(step: str, personas, feedback: Feedback) -> dict:
    data = {"version": feedback.version, **STEP_DATA.get(step, {})}
    if step in {"assign", "reassign"}:
        data["unit"] = personas.units.commune_a if feedback.assigned_unit_id else personas.units.tttt
    return data


@pytest.mark.django_db
class TestOneTableOfSteps:
    def test_the_detail_page_offers_exactly_the_tables_steps(self):
        assert set(views.STEP_FORMS) == set(STEPS)

    @pytest.mark.parametrize("step", sorted(STEPS))
    def test_the_action_refuses_a_role_the_table_does_not_name(self, personas, step):
        source = next(iter(STEPS[step].sources), Status.ASSIGNED)
        feedback = item_in(source, personas)
        for name in ["observer", "coordinator", "officer_b"]:
            user = getattr(personas, name)
            assert not role_may(user, step, feedback)
            with pytest.raises(PermissionDenied):
                actions.do_take_step(feedback, step, step_data(step, personas, feedback), actor=user)

    @pytest.mark.parametrize("step", sorted(name for name, s in STEPS.items() if s.sources))
    def test_the_action_refuses_a_status_the_table_does_not_start_from(self, personas, step):
        wrong = next(s for s in [Status.PUBLISHED, Status.RECEIVED] if s not in STEPS[step].sources)
        feedback = item_in(wrong, personas)
        user = getattr(personas, TAKERS[step])
        assert not status_allows(step, feedback)
        rows = AuditEntry.objects.count()
        with pytest.raises((ValidationError, PermissionDenied)):
            actions.do_take_step(feedback, step, step_data(step, personas, feedback), actor=user)
        assert AuditEntry.objects.count() == rows

    @pytest.mark.parametrize("step", sorted(STEPS))
    def test_the_role_the_table_names_takes_it_with_one_audit_row(self, personas, step):
        source = next(iter(sorted(STEPS[step].sources)), Status.ASSIGNED)
        feedback = item_in(source, personas)
        rows = AuditEntry.objects.count()
        actions.do_take_step(feedback, step, step_data(step, personas, feedback), actor=getattr(personas, TAKERS[step]))
        assert AuditEntry.objects.count() == rows + 1
