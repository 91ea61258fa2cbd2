import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc.audit.models import AuditEntry
from cchc.lib.versioning import StaleEdit
from cchc.reports import actions
from cchc.reports.figures import report_figures
from cchc.reports.models import Notification, Report, ReportOutcome, ReportStatus, ReportVersion
from cchc.reports.tests.helpers import make_result, on, q1, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(demo_plan):
    return q1(demo_plan)


@pytest.fixture
def draft(period, personas):
    return actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_a)


class TestDrafting:
    def test_the_draft_is_drafted_from_recorded_results(self, demo_plan, personas, draft):
        unit = personas.units.commune_a
        make_result(unit, plan=demo_plan, quantity=3, reach=120, cost=500_000)
        make_result(unit, plan=demo_plan, quantity=2, reach=80, kind="broadcast", quantity_unit="chương trình")
        make_result(unit, plan=None, title="Không gắn nhiệm vụ")  # counted under "other"
        make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 3, 15))  # after the cut-off: next period
        make_result(personas.units.commune_b, plan=demo_plan)  # another unit
        figures, items = report_figures(draft)
        first = figures["activities"][0]
        assert first["number"] == "1" and first["results"] == 2 and first["reach"] == 200
        assert first["cost"] == 500_000
        assert [(r["kind"], r["quantity"]) for r in first["rows"]] == [("news_article", "3"), ("broadcast", "2")]
        assert figures["activities"][-1]["activity_id"] is None
        assert figures["totals"]["results"] == 3
        assert len(items) == 3

    def test_officers_start_their_own_report_once(self, period, personas, draft):
        again = actions.do_start_report(period, personas.units.commune_a, actor=personas.head_a)
        assert again.pk == draft.pk
        with pytest.raises(PermissionDenied):
            actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_b)
        assert draft.status == ReportStatus.DRAFT
        assert draft.signer_authority == "TM. ỦY BAN NHÂN DÂN" and draft.signer_title == "CHỦ TỊCH"


class TestStateMachine:
    def test_the_whole_cycle_keeps_every_version(self, demo_plan, period, personas, draft):
        unit = personas.units.commune_a
        make_result(unit, plan=demo_plan)
        report = actions.do_save_report(
            draft, {"results_text": "Kết quả quý I."}, expected_version=draft.version, actor=personas.officer_a
        )
        with pytest.raises(PermissionDenied, match="Thủ trưởng"):
            actions.do_submit_report(report, actor=personas.officer_a)
        report = actions.do_submit_report(report, actor=personas.head_a, now=on(dt.date(2024, 3, 14)))
        assert report.status == ReportStatus.SUBMITTED and report.submission_count == 1
        assert report.first_submitted_on == dt.date(2024, 3, 14)
        assert Notification.objects.filter(user=personas.coordinator).count() == 1

        with pytest.raises(PermissionDenied):
            actions.do_return_report(report, "Thiếu số liệu tháng 2.", actor=personas.officer_a)
        with pytest.raises(ValidationError, match="lý do"):
            actions.do_return_report(report, "  ", actor=personas.coordinator)
        report = actions.do_return_report(report, "Thiếu số liệu tháng 2.", actor=personas.coordinator)
        assert report.status == ReportStatus.RETURNED and report.return_reason == "Thiếu số liệu tháng 2."
        assert Notification.objects.filter(user=personas.officer_a, message__contains="Thiếu số liệu").exists()

        make_result(unit, plan=demo_plan, title="Bổ sung tháng 2")
        report = actions.do_save_report(
            report,
            {"results_text": "Kết quả quý I, đã bổ sung."},
            expected_version=report.version,
            actor=personas.officer_a,
        )
        assert report.status == ReportStatus.REVISED
        report = actions.do_submit_report(report, actor=personas.head_a, now=on(dt.date(2024, 3, 25)))
        assert report.status == ReportStatus.SUBMITTED and report.submission_count == 2
        assert report.first_submitted_on == dt.date(2024, 3, 14)  # timeliness follows the first submission
        report = actions.do_accept_report(report, actor=personas.coordinator)
        assert report.status == ReportStatus.ACCEPTED

        first, second = ReportVersion.objects.filter(report=report).order_by("number")
        assert (first.outcome, first.outcome_reason) == (ReportOutcome.RETURNED, "Thiếu số liệu tháng 2.")
        assert first.narratives["results_text"] == "Kết quả quý I."
        assert first.figures["totals"]["results"] == 1 and second.figures["totals"]["results"] == 2
        assert second.outcome == ReportOutcome.ACCEPTED
        actions_logged = list(
            AuditEntry.objects.filter(object_type="reports.report", object_id=str(report.pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions_logged == [
            "reports.start",
            "reports.save",
            "reports.submit",
            "reports.return",
            "reports.save",
            "reports.submit",
            "reports.accept",
        ]

    def test_a_submitted_report_cannot_be_edited_or_reviewed_twice(self, period, personas):
        report = submitted(period, personas.units.commune_a, personas.head_a)
        with pytest.raises(ValidationError, match="Đã gửi"):
            actions.do_save_report(
                report, {"results_text": "sửa"}, expected_version=report.version, actor=personas.officer_a
            )
        with pytest.raises(ValidationError):
            actions.do_submit_report(report, actor=personas.head_a)
        actions.do_accept_report(report, actor=personas.coordinator)
        with pytest.raises(ValidationError, match="Đã tiếp nhận"):
            actions.do_return_report(report, "Đổi ý, trả lại.", actor=personas.coordinator)

    def test_an_empty_report_is_not_sent(self, period, personas, draft):
        with pytest.raises(ValidationError, match="Kết quả đạt được"):
            actions.do_submit_report(draft, actor=personas.head_a)
        draft.refresh_from_db()
        assert draft.status == ReportStatus.DRAFT

    def test_the_snapshot_does_not_move_when_results_change_later(self, demo_plan, period, personas):
        unit = personas.units.commune_a
        make_result(unit, plan=demo_plan)
        report = submitted(period, unit, personas.head_a)
        make_result(unit, plan=demo_plan)  # the execution app would refuse this (locked): the snapshot holds
        figures, _items = report_figures(Report.objects.get(pk=report.pk))
        assert figures["totals"]["results"] == 1

    def test_versions_are_immutable(self, period, personas):
        report = submitted(period, personas.units.commune_a, personas.head_a)
        version = report.current_version
        version.narratives = {"results_text": "đã sửa"}
        with pytest.raises(PermissionError):
            version.save()
        with pytest.raises(PermissionError):
            version.save(update_fields=["narratives"])
        with pytest.raises(PermissionError):
            version.delete()
        with pytest.raises(PermissionError):
            ReportVersion.objects.filter(pk=version.pk).update(narratives={})
        with pytest.raises(PermissionError):
            ReportVersion.objects.filter(pk=version.pk).delete()
        actions.do_accept_report(report, actor=personas.coordinator)
        version.refresh_from_db()
        version.outcome = ReportOutcome.RETURNED
        with pytest.raises(PermissionError, match="once"):
            version.save(update_fields=["outcome"])


class TestConcurrentEdits:
    def test_the_second_save_is_refused_and_nothing_is_lost(self, personas, draft):
        opened = draft.version
        actions.do_save_report(
            draft, {"results_text": "Bản của cán bộ."}, expected_version=opened, actor=personas.officer_a
        )
        with pytest.raises(StaleEdit) as refused:
            actions.do_save_report(
                Report.objects.get(pk=draft.pk),
                {"results_text": "Bản của thủ trưởng."},
                expected_version=opened,
                actor=personas.head_a,
            )
        assert refused.value.current.results_text == "Bản của cán bộ."
        assert "đã lưu thay đổi lúc" in str(refused.value)
        assert Report.objects.get(pk=draft.pk).results_text == "Bản của cán bộ."

    def test_a_head_cannot_submit_text_they_have_not_seen(self, personas, draft):
        seen = draft.version
        actions.do_save_report(
            draft, {"results_text": "Sửa sau cùng."}, expected_version=seen, actor=personas.officer_a
        )
        with pytest.raises(StaleEdit):
            actions.do_submit_report(Report.objects.get(pk=draft.pk), actor=personas.head_a, expected_version=seen)
        assert Report.objects.get(pk=draft.pk).status == ReportStatus.DRAFT

    def test_two_reviews_of_the_same_submission_do_not_both_apply(self, period, personas):
        report = submitted(period, personas.units.commune_a, personas.head_a)
        seen = report.version
        actions.do_accept_report(report, actor=personas.coordinator, expected_version=seen)
        with pytest.raises(ValidationError):
            actions.do_return_report(
                report, "Trả lại vì thiếu số liệu.", actor=personas.coordinator, expected_version=seen
            )
