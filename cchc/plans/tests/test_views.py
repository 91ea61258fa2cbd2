import pytest
from django.urls import reverse

from cchc.orgs.models import UnitKind
from cchc.plans.actions import do_expand_obligations
from cchc.plans.models import PlanStatus
from cchc.testing import make_unit


@pytest.mark.django_db
class TestPlanPages:
    def test_anonymous_is_sent_to_log_in(self, client, demo_plan):
        for url in [
            reverse("plans:list"),
            reverse("plans:detail", args=[demo_plan.pk]),
            reverse("plans:activity", args=[demo_plan.pk, "1"]),
            reverse("plans:my_work"),
        ]:
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))

    def test_it_shows_the_plan_with_topics_and_agencies(self, client, personas, demo_plan):
        client.force_login(personas.officer_a)
        page = client.get(reverse("plans:detail", args=[demo_plan.pk])).content.decode()
        assert "Tầm quan trọng của CCHC" in page
        assert "Sở Nội vụ · Chủ trì" in page
        assert "01 chuyên mục/tháng" in page
        assert "chưa khớp danh mục" in page

    def test_drafts_are_hidden_from_agency_staff(self, client, personas, demo_plan):
        demo_plan.status = PlanStatus.DRAFT
        demo_plan.save(update_fields=["status"])
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:detail", args=[demo_plan.pk])).status_code == 404
        client.force_login(personas.coordinator)
        assert client.get(reverse("plans:detail", args=[demo_plan.pk])).status_code == 200

    def test_activity_page_lists_obliged_units_and_filters_by_kind(self, client, personas, demo_plan):
        client.force_login(personas.coordinator)
        url = reverse("plans:activity", args=[demo_plan.pk, "1"])
        page = client.get(url).content.decode()
        assert "UBND xã Ia Kha" in page and "Sở Thông tin và Truyền thông" in page
        partial = client.get(url, {"kind": "commune_committee"}, HTTP_HX_REQUEST="true").content.decode()
        assert "UBND xã Ia Ly" in partial and "Sở Thông tin và Truyền thông" not in partial
        assert "<html" not in partial

    def test_the_activity_says_who_carries_it_out_in_the_documents_words_or_from_its_agencies(
        self, client, personas, demo_plan
    ):
        client.force_login(personas.coordinator)
        url = reverse("plans:activity", args=[demo_plan.pk, "2"])
        meta = client.get(url).content.decode().split('<dl class="meta">')[1].split("</dl>")[0]
        assert "Sở Nội vụ (chủ trì); Đài Phát thanh và Truyền hình tỉnh (phối hợp)" in meta
        demo_plan.activities.filter(number="2").update(agencies_text="Sở Nội vụ chủ trì, phối hợp với Đài tỉnh")
        meta = client.get(url).content.decode().split('<dl class="meta">')[1].split("</dl>")[0]
        assert "Sở Nội vụ chủ trì, phối hợp với Đài tỉnh" in meta and "(chủ trì)" not in meta

    def test_my_work_lists_only_the_users_unit(self, client, personas, demo_plan):
        client.force_login(personas.officer_a)
        page = client.get(reverse("plans:my_work")).content.decode()
        assert "Công khai TTHC" in page and "Chuyên mục CCHC trên Đài" not in page
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:my_work")).content.decode()
        assert "Chuyên mục CCHC trên Đài" in page and "Công khai TTHC" not in page


@pytest.mark.django_db
class TestQueryCounts:
    def _grow(self, plan, n):
        district = plan.activities.first().obligations.first().unit.parent
        for _ in range(n):
            make_unit(kind=UnitKind.COMMUNE_COMMITTEE, parent=district)
        do_expand_obligations(plan)

    @pytest.mark.parametrize("name,args", [("plans:activity", ["1"]), ("plans:detail", []), ("plans:list", [])])
    def test_pages_cost_the_same_with_more_rows(
        self, client, personas, demo_plan, django_assert_max_num_queries, name, args
    ):
        client.force_login(personas.coordinator)
        url = reverse(name, args=[demo_plan.pk, *args] if name != "plans:list" else [])
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        self._grow(demo_plan, 60)
        with CaptureQueriesContext(connection) as large:
            assert client.get(url).status_code == 200
        assert len(large) == len(small)

    def test_my_work_costs_the_same_with_more_obligations(self, client, personas, demo_plan):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from cchc.testing import make_small_plan

        client.force_login(personas.officer_a)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("plans:my_work"))
        for year in (2025, 2026, 2027):
            make_small_plan(year=year)
        with CaptureQueriesContext(connection) as large:
            page = client.get(reverse("plans:my_work")).content.decode()
        assert page.count("Công khai TTHC") == 4
        assert len(large) == len(small)


@pytest.mark.django_db
def test_a_plan_is_visible_to_whom_the_query_shows_it(personas, demo_plan):
    """``Plan.is_visible_to`` (for a plan from the cache) agrees with ``Plan.objects.visible_to`` for every role and
    every state of a plan."""
    from django.contrib.auth.models import AnonymousUser

    from cchc.plans.models import Plan

    users = [getattr(personas, name) for name in vars(personas) if name != "units"] + [AnonymousUser()]
    for status in PlanStatus.values:
        Plan.objects.filter(pk=demo_plan.pk).update(status=status)
        plan = Plan.objects.get(pk=demo_plan.pk)
        for user in users:
            shown = Plan.objects.visible_to(user).filter(pk=plan.pk).exists()
            assert plan.is_visible_to(user) == shown, (user, status)
