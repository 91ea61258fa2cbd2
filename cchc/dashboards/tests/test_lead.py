"""The lead's view: a lead agency's staff supervise the agencies its activity names, for that activity only."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.dashboards import figures
from cchc.execution.models import ResultKind
from cchc.reports.actions import do_remind_activity_agencies
from cchc.reports.models import AgencyReminder, Notification
from cchc.reports.tests.helpers import q1
from cchc.testing import make_result, make_small_plan, obligation_of, plan_document

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 3, 20)

ACTIVITY_7 = {
    "number": "7",
    "title": "Tuyên truyền trên Hệ thống thông tin cơ sở",
    "agencies": [
        {"name": "Sở Thông tin và Truyền thông", "role": "lead"},
        {"name": "UBND cấp xã", "role": "implement"},
    ],
    "period": {"start": "2024-01-01", "end": "2024-12-31"},
    "recurrence": None,
    "funding": None,
}


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: DAY)


@pytest.fixture
def plan(personas):
    doc = plan_document()
    return make_small_plan(personas, activities=[*doc["activities"], ACTIVITY_7])


@pytest.fixture
def world(personas, plan):
    u = personas.units
    period = q1(plan)
    return {
        "period": period,
        "a7_xa1": make_result(
            obligation_of(plan, u.commune_a, "7"), occurred_on=dt.date(2024, 2, 3), title="Loa truyền thanh xã Ia Kha"
        ),
        "a1_xa1": make_result(
            obligation_of(plan, u.commune_a, "1"), occurred_on=dt.date(2024, 2, 4), title="Niêm yết TTHC tại xã Ia Kha"
        ),
        "a7_xa2": make_result(
            obligation_of(plan, u.commune_b, "7"),
            occurred_on=dt.date(2024, 2, 5),
            kind=ResultKind.BROADCAST,
            title="Bản tin cơ sở xã Ia Ly",
        ),
    }


def page(client, user, plan, period, name, *args, query=""):
    client.force_login(user)
    return client.get(reverse(f"dashboards:{name}", args=[plan.pk, period.code, *args]) + query)


class TestTheLeadsView:
    def test_the_lead_of_activity_7_sees_every_implementers_progress_on_it(self, client, personas, plan, world):
        response = page(client, personas.officer_dept, plan, world["period"], "activity", "7")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'data-unit="xa-1"' in html and 'data-unit="xa-2"' in html
        assert "Đơn vị chủ trì và đơn vị phối hợp" in html  # the counting rule next to the figure
        assert "Báo cáo kỳ này" not in html  # the lead does not see the agencies' reports

    def test_the_lead_sees_an_implementers_results_for_activity_7_and_nothing_of_theirs_for_others(
        self, client, personas, plan, world
    ):
        lead, period = personas.officer_dept, world["period"]
        mine = page(client, lead, plan, period, "results", query="?unit=xa-1&activity=7")
        assert mine.status_code == 200
        assert "Loa truyền thanh xã Ia Kha" in mine.content.decode()
        assert "Niêm yết TTHC tại xã Ia Kha" not in mine.content.decode()
        every = page(client, lead, plan, period, "results", query="?activity=7").content.decode()
        assert "Loa truyền thanh xã Ia Kha" in every and "Bản tin cơ sở xã Ia Ly" in every
        assert "Niêm yết TTHC" not in every
        # Activity 1 Sở TT&TT only implements: no supervision there, nor without an activity.
        assert page(client, lead, plan, period, "results", query="?unit=xa-1&activity=1").status_code == 404
        assert page(client, lead, plan, period, "results", query="?unit=xa-1").status_code == 404
        assert page(client, lead, plan, period, "deliverables", query="?unit=xa-1&activity=1").status_code == 404
        assert page(client, lead, plan, period, "activity", "1").status_code == 404
        assert page(client, lead, plan, period, "agency", "xa-1").status_code == 404

    def test_an_implementer_of_activity_7_does_not_see_the_others(self, client, personas, plan, world):
        officer, period = personas.officer_a, world["period"]
        assert page(client, officer, plan, period, "activity", "7").status_code == 404
        assert page(client, officer, plan, period, "results", query="?unit=xa-2&activity=7").status_code == 404
        own = page(client, officer, plan, period, "results", query="?activity=7").content.decode()
        assert "Loa truyền thanh xã Ia Kha" in own and "Bản tin cơ sở xã Ia Ly" not in own

    def test_the_agency_page_links_the_lead_to_its_activity(self, client, personas, plan, world):
        html = page(client, personas.officer_dept, plan, world["period"], "agency", "so-tttt").content.decode()
        assert reverse("dashboards:activity", args=[plan.pk, world["period"].code, "7"]) in html


class TestReminders:
    def test_the_lead_reminds_those_behind_once_a_day(
        self, client, personas, plan, world, settings, django_capture_on_commit_callbacks
    ):
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        officer_b = personas.officer_b
        officer_b.email = "xa2@example.gov.vn"
        officer_b.save(update_fields=["email"])
        client.force_login(personas.officer_dept)
        url = reverse("dashboards:activity_remind", args=[plan.pk, world["period"].code, "7"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"unit": ["xa-2"]})
        assert response.status_code == 302
        assert Notification.objects.filter(user=officer_b).count() == 1
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["xa2@example.gov.vn"]
        assert AuditEntry.objects.filter(action="reports.remind_activity_agencies").count() == 1
        # A second time the same day: nothing sent, said so; still one audit row per action.
        client.post(url, {"unit": ["xa-2"]})
        assert Notification.objects.filter(user=officer_b).count() == 1
        assert AgencyReminder.objects.count() == 1
        entry = AuditEntry.objects.filter(action="reports.remind_activity_agencies").order_by("-pk").first()
        assert entry.details["skipped"] == ["xa-2"]

    def test_an_agency_with_no_account_is_reported_not_counted_as_reminded(self, client, personas, plan, world):
        """A commune whose staff have no account cannot be told: the lead hears so, and no reminder is claimed
        for it (one can be sent the same day once someone has an account)."""
        officer_b = personas.officer_b
        officer_b.is_active = False
        officer_b.save(update_fields=["is_active"])
        client.force_login(personas.officer_dept)
        url = reverse("dashboards:activity_remind", args=[plan.pk, world["period"].code, "7"])
        response = client.post(url, {"unit": ["xa-1", "xa-2"]}, follow=True)
        html = response.content.decode()
        assert "Đã nhắc 1 đơn vị" in html
        assert "chưa có tài khoản nào đang hoạt động nên không nhắc được" in html
        assert list(AgencyReminder.objects.values_list("unit__code", flat=True)) == ["xa-1"]
        entry = AuditEntry.objects.get(action="reports.remind_activity_agencies")
        assert entry.details["reminded"] == ["xa-1"] and entry.details["unreachable"] == ["xa-2"]
        officer_b.is_active = True
        officer_b.save(update_fields=["is_active"])
        reminded = do_remind_activity_agencies(
            plan.activities.get(number="7"), [personas.units.commune_b], actor=personas.officer_dept
        )
        assert reminded.sent == [personas.units.commune_b] and not reminded.unreachable

    def test_an_implementer_may_not_remind_and_units_outside_the_activity_are_refused(self, personas, plan, world):
        from django.core.exceptions import PermissionDenied, ValidationError

        activity = plan.activities.get(number="7")
        with pytest.raises(PermissionDenied):
            do_remind_activity_agencies(activity, [personas.units.commune_b], actor=personas.officer_a)
        with pytest.raises(ValidationError):
            do_remind_activity_agencies(activity, [personas.units.noi_vu], actor=personas.officer_dept)
        assert not AgencyReminder.objects.exists()
