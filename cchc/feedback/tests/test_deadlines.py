import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cchc.feedback import actions
from cchc.feedback.models import Feedback, FeedbackReminder, Urgency, due_after, urgency_of
from cchc.feedback.reminders import send_feedback_reminders
from cchc.feedback.tests.factory import make_accepted, make_assigned, make_feedback

pytestmark = pytest.mark.django_db

# Tết Bính Ngọ 2026: Monday 16/02 to Friday 20/02/2026 are public holidays.
BEFORE_TET = dt.date(2026, 2, 12)  # a Thursday


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class TestWorkingDayDeadlines:
    def test_classification_deadline_skips_the_tet_holiday(self, personas):
        feedback = make_feedback(received_at=at(BEFORE_TET))
        # Fri 13, then Tết (16–20) and two weekends do not count: Mon 23, Tue 24, Wed 25, Thu 26.
        assert feedback.due_on == dt.date(2026, 2, 26)

    def test_received_during_tet_the_count_starts_after_it(self, personas):
        feedback = make_feedback(received_at=at(dt.date(2026, 2, 17)))
        assert feedback.due_on == dt.date(2026, 2, 27)  # Mon 23 .. Fri 27

    def test_answer_and_publication_periods_are_working_days_from_each_step(self, personas, settings):
        with mock.patch("cchc.feedback.actions._today", return_value=dt.date(2026, 2, 11)):
            feedback = make_assigned(personas)
        # Thu 12, Fri 13, Mon 23 ... Fri 27 (7), Mon 02/03 (8), Tue 03 (9), Wed 04 (10).
        assert feedback.due_on == dt.date(2026, 3, 4)
        with mock.patch("cchc.feedback.actions._today", return_value=dt.date(2026, 2, 13)):
            feedback = actions.do_answer_feedback(feedback, "Đã xử lý", actor=personas.officer_dept)
        assert feedback.due_on == dt.date(2026, 2, 27)

    def test_periods_come_from_the_settings(self, personas, settings):
        settings.FEEDBACK_DEADLINE_DAYS = {"classify": 3, "answer": 15, "publish": 2}
        assert due_after(BEFORE_TET, "classify") == dt.date(2026, 2, 24)
        assert due_after(BEFORE_TET, "answer") == dt.date(2026, 3, 12)  # 13, 23–27, 2–6, 9–12

    def test_near_and_past_deadlines_stand_out(self, personas, settings):
        settings.FEEDBACK_DEADLINE_WARN_DAYS = 2
        due = dt.date(2026, 2, 26)
        assert urgency_of(due, dt.date(2026, 2, 12)) == Urgency.ON_TIME  # 4 working days left
        assert urgency_of(due, dt.date(2026, 2, 24)) == Urgency.DUE_SOON  # 2 left
        assert urgency_of(due, dt.date(2026, 2, 26)) == Urgency.DUE_SOON  # due today
        assert urgency_of(due, dt.date(2026, 2, 27)) == Urgency.OVERDUE

    def test_querysets_for_overdue_and_due_soon(self, personas):
        late = make_feedback(received_at=at(dt.date(2026, 1, 5)))  # due 12/01
        soon = make_feedback(received_at=at(dt.date(2026, 2, 12)))  # due 26/02
        later = make_feedback(received_at=at(dt.date(2026, 3, 2)))  # due 09/03
        today = dt.date(2026, 2, 24)
        assert list(Feedback.objects.overdue(today)) == [late]
        assert list(Feedback.objects.due_soon(today)) == [soon]
        assert later not in Feedback.objects.due_soon(today)
        actions.do_reject_feedback(late, "Khiếu nại", actor=personas.desk)
        assert not Feedback.objects.overdue(today).exists()  # closed items are never overdue


class TestReminders:
    @pytest.fixture
    def emails(self, personas):
        for user, address in [
            (personas.desk, "desk@example.vn"),
            (personas.officer_dept, "tttt@example.vn"),
            (personas.officer_a, "xa1@example.vn"),
        ]:
            user.email = address
            user.save(update_fields=["email"])

    def test_it_reminds_the_desk_and_the_agency_once(self, personas, emails):
        classify = make_feedback(received_at=at(dt.date(2026, 2, 12)))  # due 26/02, desk's step
        with mock.patch("cchc.feedback.actions._today", return_value=dt.date(2026, 2, 5)):
            answer = make_assigned(personas)  # due 26/02 (10 working days around Tết), Sở TT&TT's step
        mail.outbox.clear()
        run = send_feedback_reminders(dt.date(2026, 2, 24))
        assert {(r.feedback_id, r.kind, r.scope) for r in run.sent} == {
            (classify.pk, "due_soon", "desk"),
            (answer.pk, "due_soon", f"unit:{personas.units.tttt.pk}"),
        }
        by_recipient = {tuple(m.to): m for m in mail.outbox}
        assert set(by_recipient) == {("desk@example.vn",), ("tttt@example.vn",)}
        assert classify.code in by_recipient[("desk@example.vn",)].body
        assert answer.code in by_recipient[("tttt@example.vn",)].body
        assert classify.code not in by_recipient[("tttt@example.vn",)].body
        # The same day again, and the next day before the deadline: nothing new.
        assert send_feedback_reminders(dt.date(2026, 2, 24)).sent == []
        assert send_feedback_reminders(dt.date(2026, 2, 24)).sent == []
        assert len(mail.outbox) == 2
        # Past the deadline: one "overdue" reminder each, once.
        run = send_feedback_reminders(dt.date(2026, 2, 27))
        assert sorted(r.kind for r in run.sent) == ["overdue", "overdue"]
        assert send_feedback_reminders(dt.date(2026, 3, 2)).sent == []
        assert FeedbackReminder.objects.count() == 4

    def test_a_reassigned_item_reminds_its_new_agency(self, personas, emails):
        with mock.patch("cchc.feedback.actions._today", return_value=dt.date(2026, 2, 5)):
            feedback = make_assigned(personas)
        send_feedback_reminders(dt.date(2026, 2, 24))
        with mock.patch("cchc.feedback.actions._today", return_value=dt.date(2026, 2, 5)):
            actions.do_reassign_feedback(feedback, personas.units.commune_a, "Thẩm quyền cấp xã", actor=personas.desk)
        mail.outbox.clear()
        run = send_feedback_reminders(dt.date(2026, 2, 24))
        assert [r.scope for r in run.sent] == [f"unit:{personas.units.commune_a.pk}"]
        assert mail.outbox[0].to == ["xa1@example.vn"]

    def test_a_failed_mail_is_retried_on_the_next_run(self, personas, emails):
        make_feedback(received_at=at(dt.date(2026, 2, 12)))
        with mock.patch("cchc.feedback.notify.EmailMessage.send", side_effect=OSError("smtp down")):
            run = send_feedback_reminders(dt.date(2026, 2, 25))
        assert run.sent == [] and run.failed_scopes == ["desk"]
        assert FeedbackReminder.objects.count() == 0
        assert len(send_feedback_reminders(dt.date(2026, 2, 25)).sent) == 1

    def test_nobody_to_remind_is_reported_and_nothing_recorded(self, personas):
        make_feedback(received_at=at(dt.date(2026, 2, 12)))
        run = send_feedback_reminders(dt.date(2026, 2, 25))
        assert run.without_recipients == ["desk"] and FeedbackReminder.objects.count() == 0

    def test_closed_and_far_items_get_no_reminder(self, personas, emails):
        feedback = make_accepted(personas)
        actions.do_forward_feedback(feedback, "Bộ Tư pháp", "", actor=personas.desk)
        make_feedback()  # due in 5 working days, warn window is 2
        assert send_feedback_reminders(timezone.localdate()).sent == []

    def test_the_command_sends_once_and_supports_a_dry_run(self, personas, emails, capsys):
        make_feedback(received_at=at(dt.date(2026, 2, 12)))
        call_command("send_feedback_reminders", "--today", "2026-02-25", "--dry-run")
        assert "would send due_soon" in capsys.readouterr().out
        assert FeedbackReminder.objects.count() == 0 and mail.outbox == []
        call_command("send_feedback_reminders", "--today", "2026-02-25")
        call_command("send_feedback_reminders", "--today", "2026-02-25")
        out = capsys.readouterr().out
        assert "1 reminder(s) sent" in out and "0 reminder(s) sent" in out
        assert len(mail.outbox) == 1
