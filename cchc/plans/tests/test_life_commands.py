"""``cchc activate_plan`` and ``cchc close_plan``: the same actions as the buttons, with exit statuses."""

import io
import json

import pytest
from django.core.management import call_command

from cchc.audit.models import AuditEntry
from cchc.plans.actions import do_create_plan
from cchc.plans.models import PlanStatus
from cchc.reports.models import Notification
from cchc.testing import plan_document


def run(name, *args) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *map(str, args), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = exit_.code
    return out.getvalue(), err.getvalue(), status


@pytest.mark.django_db
class TestActivatePlan:
    def test_it_lists_the_problems_and_activates_nothing(self, personas):
        plan = do_create_plan(plan_document())
        out, err, status = run("activate_plan", plan.pk)
        assert status == 1 and "unmatched:3:0" in err and "--accept-warnings" in err
        plan.refresh_from_db()
        assert plan.status == PlanStatus.DRAFT and not Notification.objects.exists()

    def test_it_activates_with_warnings_accepted_and_prints_json(self, personas):
        plan = do_create_plan(plan_document())
        out, err, status = run("activate_plan", plan.pk, "--accept-warnings", "--user", "coordinator", "--json")
        data = json.loads(out)
        assert status == 0 and data["activated"] and data["obligations"] == 5 and data["deliverables"] == 12
        assert "unmatched:3:0" in data["accepted_warnings"] and data["warnings_left"] == []
        entry = AuditEntry.objects.get(action="plans.activate")
        assert entry.actor == personas.coordinator
        # A second run is refused: the plan is no longer a draft.
        _out, err, status = run("activate_plan", plan.pk, "--accept-warnings")
        assert status == 1 and "dự thảo" in err

    def test_an_unknown_plan_is_a_clear_error(self, personas):
        with pytest.raises(Exception, match="Không có kế hoạch #999"):
            run("activate_plan", 999)


@pytest.mark.django_db
class TestClosePlan:
    def test_it_waits_for_the_year_report_then_closes(self, personas):
        from cchc.reports.actions import do_ensure_periods, do_issue_province_report, do_start_province_report

        plan = do_create_plan(plan_document())
        run("activate_plan", plan.pk, "--accept-warnings")
        _out, err, status = run("close_plan", plan.pk)
        assert status == 1 and "chưa được ban hành" in err
        period = next(p for p in do_ensure_periods(plan) if p.kind == "Y")
        do_issue_province_report(
            do_start_province_report(period, actor=personas.coordinator), actor=personas.coordinator
        )
        out, _err, status = run("close_plan", plan.pk, "--user", "coordinator")
        plan.refresh_from_db()
        assert status == 0 and "Đã kết thúc" in out and plan.status == PlanStatus.CLOSED

    def test_force_is_for_an_administrator(self, personas):
        plan = do_create_plan(plan_document())
        run("activate_plan", plan.pk, "--accept-warnings")
        _out, err, status = run("close_plan", plan.pk, "--force", "--user", "coordinator")
        assert status == 1 and "quản trị" in err
        _out, _err, status = run("close_plan", plan.pk, "--force", "--user", "admin")
        plan.refresh_from_db()
        assert status == 0 and plan.status == PlanStatus.CLOSED
