import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction

from cchc.reports import actions
from cchc.reports.models import Notification, ReminderDispatch, ReminderStage, Report
from cchc.reports.reminders import do_send_reminders, stage_for
from cchc.reports.tests.helpers import make_head, q1, submitted

Q1_DUE = dt.date(2024, 3, 15)  # a Friday


@pytest.fixture
def period(demo_plan, personas):
    personas.officer_a.email = "officer-a@example.vn"
    personas.officer_a.save(update_fields=["email"])
    personas.head_a.email = "head-a@example.vn"
    personas.head_a.save(update_fields=["email"])
    return q1(demo_plan)


@pytest.mark.django_db
class TestStages:
    def test_before_means_within_the_plans_working_days(self, period):
        assert stage_for(period, dt.date(2024, 3, 12), 3) == ReminderStage.BEFORE  # Tue: 3 working days left
        assert stage_for(period, dt.date(2024, 3, 11), 3) is None  # Mon: 4 left
        assert stage_for(period, Q1_DUE, 3) == ReminderStage.BEFORE
        assert stage_for(period, dt.date(2024, 3, 16), 3) == ReminderStage.OVERDUE
        assert stage_for(period, dt.date(2024, 6, 1), 3) is None  # long past: not chased

    def test_working_days_count_tet(self, demo_plan, personas):
        calendar = actions.get_calendar(demo_plan)
        actions.do_save_calendar(
            calendar, {"extra_kinds": ["M"]}, expected_version=calendar.version, actor=personas.coordinator
        )
        february = demo_plan.periods.get(code="2024-M02")  # due Thu 15/02/2024, right after Tết (08–14/02)
        assert february.due_on == dt.date(2024, 2, 15)
        # Two working days' notice reaches back over the Tết week: Tue 06/02 (07/02 and 15/02 left), not 13/02.
        assert stage_for(february, dt.date(2024, 2, 6), 2) == ReminderStage.BEFORE
        assert stage_for(february, dt.date(2024, 2, 5), 2) is None


@pytest.mark.django_db
class TestSending:
    def test_it_reminds_everyone_responsible_once_per_stage(self, period, personas):
        head_b = make_head(personas.units.commune_b)
        head_b.email = "head-b@example.vn"
        head_b.save(update_fields=["email"])
        submitted(period, personas.units.tttt, make_head(personas.units.tttt))  # sent: not reminded

        summary = do_send_reminders(dt.date(2024, 3, 13))
        reports = Report.objects.filter(period=period)
        assert reports.count() == 5  # drafts opened for every expected unit
        # Sở Nội vụ (a coordinator only) and the radio station (no account) have no one to tell: not counted.
        assert summary.claimed == 2 and summary.skipped == 0
        assert {u.code for u in summary.unreachable} == {"dai-ptth", "so-noi-vu"}
        recipients = sorted(address for message in mail.outbox for address in message.to)
        assert recipients == ["head-a@example.vn", "head-b@example.vn", "officer-a@example.vn"]
        assert "Nhắc hạn" in mail.outbox[0].subject and "15/03/2024" in mail.outbox[0].body
        notices = Notification.objects.filter(user=personas.officer_a)
        assert notices.count() == 1 and "còn 2 ngày làm việc" in notices.get().message

        again = do_send_reminders(dt.date(2024, 3, 14))
        assert again.claimed == 0 and again.skipped == 2
        assert len(mail.outbox) == 2  # one message per report, to its officers and head

        overdue = do_send_reminders(dt.date(2024, 3, 18))
        assert overdue.claimed == 2
        assert "quá hạn" in mail.outbox[-1].subject
        assert ReminderDispatch.objects.filter(stage=ReminderStage.OVERDUE, sent_at__isnull=False).count() == 2

    def test_an_agency_with_no_one_to_tell_is_reminded_once_it_has_an_account(self, period, personas):
        first = do_send_reminders(dt.date(2024, 3, 13))
        assert personas.units.dai not in [c.report.unit for c in ReminderDispatch.objects.all()]
        assert personas.units.dai in first.unreachable
        # commune B's officer has no e-mail address: told in the app only, and listed as such.
        assert personas.units.commune_b in first.without_email and personas.units.commune_b not in first.unreachable
        make_head(personas.units.dai)
        later = do_send_reminders(dt.date(2024, 3, 14))
        assert later.claimed == 1 and personas.units.dai not in later.unreachable
        assert ReminderDispatch.objects.get(report__unit=personas.units.dai).recipients

    def test_the_command_names_the_agencies_it_could_not_reach(self, period, capsys):
        call_command("send_reminders", "--today", "2024-03-13")
        out = capsys.readouterr().out
        assert "Đã nhắc 3 báo cáo (4 thông báo, 1 e-mail)" in out
        assert "Không nhắc được 2 đơn vị" in out and "Đài Phát thanh và Truyền hình tỉnh (dai-ptth)" in out
        assert "Sở Nội vụ (so-noi-vu)" in out
        assert "chỉ nhận thông báo trong hệ thống" in out and "UBND xã Ia Ly (xa-2)" in out

    def test_the_database_refuses_a_second_claim(self, period, personas):
        report = actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_a)
        ReminderDispatch.objects.create(report=report, stage=ReminderStage.BEFORE, claimed_by="a")
        with pytest.raises(IntegrityError), transaction.atomic():
            ReminderDispatch.objects.create(report=report, stage=ReminderStage.BEFORE, claimed_by="b")

    def test_the_command_runs_and_reports(self, period, capsys):
        call_command("send_reminders", "--today", "2024-03-18")
        assert "Đã nhắc" in capsys.readouterr().out
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="không hợp lệ"):
            call_command("send_reminders", "--today", "18/03/2024")


@pytest.mark.django_db
def test_a_sender_that_starts_while_another_is_sending_skips_what_was_claimed(period, personas, monkeypatch):
    """Run B starts after run A has claimed but before A has sent anything: B sends nothing twice."""
    from cchc.reports import reminders

    deliver = reminders._deliver
    inner = []

    def deliver_after_a_second_run(claims, stage, today, summary):
        if not inner:
            inner.append(do_send_reminders(today))  # the other machine, in between
        deliver(claims, stage, today, summary)

    monkeypatch.setattr(reminders, "_deliver", deliver_after_a_second_run)
    first = do_send_reminders(dt.date(2024, 3, 18))
    # Sở Nội vụ and the radio station have no officer or head: three agencies can be told.
    assert first.claimed == 3 and inner[0].claimed == 0 and inner[0].skipped == 3
    assert sorted(a for m in mail.outbox for a in m.to) == ["head-a@example.vn", "officer-a@example.vn"]


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database raises 'table is "
    "locked' instead of waiting; run on PostgreSQL (DATABASE_URL) for real concurrency",
)
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_the_same_moment_send_each_reminder_once(period, personas):
    """Two runs started together (as on two machines): every (report, stage) goes out exactly once."""
    head_b = make_head(personas.units.commune_b)
    head_b.email = "head-b@example.vn"
    head_b.save(update_fields=["email"])
    for report_unit in (personas.units.commune_a, personas.units.commune_b):
        actions.do_start_report(period, report_unit, actor=personas.admin)
    barrier = threading.Barrier(2)
    summaries, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            summaries.append(do_send_reminders(dt.date(2024, 3, 18)))
        except Exception as err:  # surfaced below
            errors.append(err)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Report.objects.filter(period=period).count() == 5
    # Sở Nội vụ and the radio station have no one to tell: the other three are claimed, each once.
    assert sum(s.claimed for s in summaries) == ReminderDispatch.objects.count() == 3
    addresses = sorted(a for m in mail.outbox for a in m.to)
    assert addresses == ["head-a@example.vn", "head-b@example.vn", "officer-a@example.vn"]
    assert Notification.objects.filter(user=personas.officer_a).count() == 1
