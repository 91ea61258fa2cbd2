import pytest

from cchc.reports.demo import do_load_demo_reports
from cchc.reports.models import ProvinceReport, Report, ReportVersion

pytestmark = pytest.mark.django_db


def test_it_is_deterministic(demo_plan, personas):
    first = do_load_demo_reports(demo_plan)
    fingerprint = sorted(Report.objects.values_list("unit__code", "period__code", "status", "first_submitted_on"))
    Report.objects.update(current_version=None)
    ReportVersion.objects.all()._raw_delete(ReportVersion.objects.db)
    ProvinceReport.objects.all().delete()
    Report.objects.all().delete()
    from cchc.execution.models import Result

    Result.objects.all().delete()
    assert do_load_demo_reports(demo_plan) == first
    again = sorted(Report.objects.values_list("unit__code", "period__code", "status", "first_submitted_on"))
    assert again == fingerprint
