import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.feedback import actions
from cchc.feedback.models import Channel, Feedback, FeedbackNote, Status
from cchc.feedback.tests.factory import (
    make_accepted,
    make_answered,
    make_assigned,
    make_feedback,
    make_published,
    submission,
)
from cchc.lib.uploads import PDF, CheckedUpload
from cchc.lib.workdays import add_working_days
from cchc.testing import make_unit

pytestmark = pytest.mark.django_db

NOT_DESK = ["officer_a", "officer_dept", "head_a", "coordinator", "observer"]


def audit_actions(feedback) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="feedback.feedback", object_id=str(feedback.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


class TestSubmission:
    def test_it_stores_a_submission_with_a_code_a_deadline_and_an_audit_row(
        self, personas, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            feedback = make_feedback()
        assert feedback.status == Status.RECEIVED
        assert feedback.code.startswith("PAKN-") and len(feedback.code) == 16
        assert feedback.due_on == add_working_days(timezone.localdate(), 5)
        assert audit_actions(feedback) == ["feedback.submit"]
        assert len(mail.outbox) == 1
        assert feedback.code in mail.outbox[0].body and mail.outbox[0].to == ["rieng.tu@example.vn"]

    def test_the_same_token_twice_stores_it_once(self, personas):
        first = actions.do_submit_feedback(submission(), channel=Channel.WEB, token="t" * 32)
        again = actions.do_submit_feedback(submission(), channel=Channel.WEB, token="t" * 32)
        assert first.created and not again.created
        assert again.feedback.pk == first.feedback.pk
        assert Feedback.objects.count() == 1

    def test_a_reused_token_with_other_content_is_refused(self, personas):
        actions.do_submit_feedback(submission(), channel=Channel.WEB, token="t" * 32)
        with pytest.raises(actions.SubmissionConflict):
            actions.do_submit_feedback(submission(subject="Khác"), channel=Channel.WEB, token="t" * 32)
        assert Feedback.objects.count() == 1

    def test_attachments_are_stored_under_a_random_name(self, personas):
        upload = CheckedUpload(
            kind=PDF, data=b"%PDF-1.4 test", original_name="đơn.pdf", stored_name="abc123.pdf", size=13
        )
        feedback = make_feedback(files=[upload])
        attachment = feedback.attachments.get()
        assert attachment.original_name == "đơn.pdf" and attachment.file.name.endswith("abc123.pdf")
        assert attachment.file.read() == b"%PDF-1.4 test"

    def test_staff_entry_needs_the_desk_and_keeps_the_day_received(self, personas):
        received = timezone.make_aware(dt.datetime(2026, 2, 12, 12))
        with pytest.raises(PermissionDenied):
            make_feedback(channel=Channel.POST, actor=personas.officer_a, received_at=received)
        feedback = make_feedback(channel=Channel.POST, actor=personas.desk, received_at=received, phone="", email="")
        assert feedback.entered_by == personas.desk and feedback.channel == Channel.POST
        # Thursday 12/02/2026 + 5 working days, across the Tết week (16–20/02/2026).
        assert feedback.due_on == dt.date(2026, 2, 26)


class TestDesk:
    def test_accept_then_assign_starts_the_answer_period(self, personas):
        feedback = make_accepted(personas)
        assert feedback.status == Status.ACCEPTED and feedback.accepted_at
        feedback = actions.do_assign_feedback(feedback, personas.units.tttt, actor=personas.desk, note="Gấp")
        assert feedback.status == Status.ASSIGNED and feedback.assigned_unit == personas.units.tttt
        assert feedback.due_on == add_working_days(timezone.localdate(), 10)
        assert FeedbackNote.objects.get(feedback=feedback).text == "Gấp"
        assert audit_actions(feedback) == ["feedback.submit", "feedback.accept", "feedback.assign"]

    @pytest.mark.parametrize("who", NOT_DESK)
    def test_only_the_desk_accepts(self, personas, who):
        feedback = make_feedback()
        with pytest.raises(PermissionDenied):
            actions.do_accept_feedback(feedback, actor=getattr(personas, who))
        assert Feedback.objects.get().status == Status.RECEIVED

    @pytest.mark.parametrize("who", NOT_DESK)
    def test_only_the_desk_assigns_reassigns_forwards_rejects_returns_and_publishes(self, personas, who):
        user = getattr(personas, who)
        accepted = make_accepted(personas)
        with pytest.raises(PermissionDenied):
            actions.do_assign_feedback(accepted, personas.units.tttt, actor=user)
        with pytest.raises(PermissionDenied):
            actions.do_forward_feedback(accepted, "Bộ Tư pháp", "", actor=user)
        with pytest.raises(PermissionDenied):
            actions.do_reject_feedback(accepted, "Khiếu nại", actor=user)
        assigned = make_assigned(personas)
        with pytest.raises(PermissionDenied):
            actions.do_reassign_feedback(assigned, personas.units.noi_vu, "Sai thẩm quyền", actor=user)
        answered = make_answered(personas)
        with pytest.raises(PermissionDenied):
            actions.do_return_feedback(answered, "Bổ sung", actor=user)
        with pytest.raises(PermissionDenied):
            actions.do_publish_feedback(answered, "T", "N", actor=user)

    def test_not_accepted_needs_a_reason_and_tells_the_sender(self, personas, django_capture_on_commit_callbacks):
        feedback = make_feedback()
        with pytest.raises(ValidationError):
            actions.do_reject_feedback(feedback, "  ", actor=personas.desk)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            feedback = actions.do_reject_feedback(
                feedback, "Nội dung là khiếu nại, giải quyết theo Luật Khiếu nại.", actor=personas.desk
            )
        assert feedback.status == Status.NOT_ACCEPTED and feedback.due_on is None and feedback.closed_at
        assert "Luật Khiếu nại" in mail.outbox[0].body

    def test_forwarding_outside_the_province_closes_it(self, personas, django_capture_on_commit_callbacks):
        feedback = make_accepted(personas)
        with pytest.raises(ValidationError):
            actions.do_forward_feedback(feedback, "", "", actor=personas.desk)
        with django_capture_on_commit_callbacks(execute=True):
            feedback = actions.do_forward_feedback(
                feedback, "Bộ Tư pháp", "Quy định của Trung ương", actor=personas.desk
            )
        assert feedback.status == Status.FORWARDED and feedback.forwarded_to == "Bộ Tư pháp"
        assert "Bộ Tư pháp" in mail.outbox[-1].body

    def test_reassignment_moves_it_with_a_reason_and_a_new_period(self, personas):
        feedback = make_assigned(personas)
        with pytest.raises(ValidationError):
            actions.do_reassign_feedback(feedback, personas.units.noi_vu, "", actor=personas.desk)
        with pytest.raises(ValidationError):
            actions.do_reassign_feedback(feedback, personas.units.tttt, "Lý do", actor=personas.desk)
        feedback = actions.do_reassign_feedback(
            feedback, personas.units.noi_vu, "Thuộc lĩnh vực nội vụ", actor=personas.desk
        )
        assert feedback.assigned_unit == personas.units.noi_vu and feedback.status == Status.ASSIGNED
        assert "Thuộc lĩnh vực nội vụ" in feedback.notes.get().text
        assert audit_actions(feedback)[-1] == "feedback.reassign"

    def test_a_unit_no_longer_valid_cannot_be_assigned(self, personas):
        old = make_unit(valid_to=dt.date(2025, 6, 30))
        with pytest.raises(ValidationError):
            actions.do_assign_feedback(make_accepted(personas), old, actor=personas.desk)

    def test_steps_out_of_order_are_refused(self, personas):
        feedback = make_feedback()
        with pytest.raises(ValidationError):
            actions.do_assign_feedback(feedback, personas.units.tttt, actor=personas.desk)
        with pytest.raises(ValidationError):
            actions.do_publish_feedback(feedback, "T", "N", actor=personas.desk)
        published = make_published(personas)
        with pytest.raises(ValidationError):
            actions.do_accept_feedback(published, actor=personas.desk)

    def test_a_decision_on_a_stale_page_is_refused(self, personas):
        feedback = make_feedback()
        seen = feedback.version
        actions.do_accept_feedback(Feedback.objects.get(pk=feedback.pk), actor=personas.desk)
        with pytest.raises(ValidationError, match="sau khi bạn mở trang"):
            actions.do_reject_feedback(feedback, "Lý do", actor=personas.desk, expected_version=seen)
        assert Feedback.objects.get().status == Status.ACCEPTED


class TestAgency:
    def test_only_the_assigned_agency_answers(self, personas):
        feedback = make_assigned(personas)  # to Sở TT&TT
        for who in ["officer_a", "officer_b", "desk", "coordinator", "observer"]:
            with pytest.raises(PermissionDenied):
                actions.do_answer_feedback(feedback, "Trả lời", actor=getattr(personas, who))
        feedback = actions.do_answer_feedback(feedback, "Đã xử lý.", reference="12/STTTT", actor=personas.officer_dept)
        assert feedback.status == Status.ANSWERED and feedback.answered_by == personas.officer_dept
        assert feedback.due_on == add_working_days(timezone.localdate(), 5)

    def test_an_empty_answer_is_refused(self, personas):
        with pytest.raises(ValidationError):
            actions.do_answer_feedback(make_assigned(personas), " ", actor=personas.officer_dept)

    def test_after_reassignment_the_first_agency_can_no_longer_answer(self, personas):
        feedback = make_assigned(personas)
        feedback = actions.do_reassign_feedback(
            feedback, personas.units.commune_a, "Thẩm quyền cấp xã", actor=personas.desk
        )
        with pytest.raises(PermissionDenied):
            actions.do_answer_feedback(feedback, "Trả lời", actor=personas.officer_dept)
        assert actions.do_answer_feedback(feedback, "Trả lời", actor=personas.head_a).status == Status.ANSWERED

    def test_the_desk_returns_an_incomplete_answer(self, personas):
        feedback = actions.do_return_feedback(make_answered(personas), "Nêu rõ thời điểm áp dụng", actor=personas.desk)
        assert feedback.status == Status.ASSIGNED
        assert (
            actions.do_answer_feedback(feedback, "Áp dụng từ 01/7", actor=personas.officer_dept).status
            == Status.ANSWERED
        )

    def test_publishing_needs_public_text_and_makes_it_searchable(self, personas, django_capture_on_commit_callbacks):
        answered = make_answered(personas)
        with pytest.raises(ValidationError):
            actions.do_publish_feedback(answered, "", "N", actor=personas.desk)
        with django_capture_on_commit_callbacks(execute=True):
            feedback = make_published(personas)
        assert feedback.status == Status.PUBLISHED and feedback.due_on is None and feedback.published_at
        assert "giam giay to" in feedback.public_search
        assert "rieng tu" not in feedback.public_search  # the sender's name is never searchable in public
        assert "rieng tu" in feedback.desk_search
        assert "Sở đã đề nghị" in mail.outbox[-1].body

    def test_notes_by_the_desk_and_the_assigned_agency_only(self, personas):
        feedback = make_assigned(personas)
        actions.do_add_feedback_note(feedback, "Đã gọi điện cho người gửi", actor=personas.officer_dept)
        actions.do_add_feedback_note(feedback, "Nhắc Sở", actor=personas.desk)
        for who in ["officer_a", "observer", "coordinator"]:
            with pytest.raises(PermissionDenied):
                actions.do_add_feedback_note(feedback, "x", actor=getattr(personas, who))
        assert feedback.notes.count() == 2
        assert audit_actions(feedback).count("feedback.note") == 2


class TestVisibility:
    def test_an_officer_sees_only_items_assigned_to_their_agency(self, personas):
        mine = make_assigned(personas, unit=personas.units.commune_a)
        make_assigned(personas, unit=personas.units.commune_b)
        make_accepted(personas)
        assert list(Feedback.objects.visible_to(personas.officer_a)) == [mine]
        assert list(Feedback.objects.visible_to(personas.head_a)) == [mine]
        assert Feedback.objects.visible_to(personas.officer_dept).count() == 0
        for who in ["desk", "coordinator", "observer", "admin"]:
            assert Feedback.objects.visible_to(getattr(personas, who)).count() == 3

    def test_an_item_moved_away_disappears_from_the_first_agency(self, personas):
        feedback = make_assigned(personas, unit=personas.units.commune_a)
        actions.do_reassign_feedback(feedback, personas.units.commune_b, "Sai địa bàn", actor=personas.desk)
        assert Feedback.objects.visible_to(personas.officer_a).count() == 0
        assert Feedback.objects.visible_to(personas.officer_b).count() == 1
