"""Staff pages kept in the cache until the data changes ({% datacache %}, cchc.lib.figcache), the header's menu kept
per role ({% keep %}), and the bell's count: each shown again from the cache, and never stale.

These tests commit (``transaction=True``): the cache moves on when a transaction commits.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template, TemplateSyntaxError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.plans.models import Activity
from cchc.reports.actions import do_mark_notifications_read
from cchc.reports.notify import notify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _caches(settings):
    settings.CCHC_FIGURE_CACHE = True
    settings.CCHC_AUTH_CACHE = True
    settings.DEBUG = False
    cache.clear()
    yield
    cache.clear()


def get(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    return response.content.decode(), len(queries)


def test_the_plan_page_is_kept_and_shows_a_change_at_once(client, personas, demo_plan):
    client.force_login(personas.coordinator)
    url = reverse("plans:detail", args=[demo_plan.pk])
    _first, computed = get(client, url)
    _again, kept = get(client, url)
    assert kept < computed, (kept, computed)
    activity = demo_plan.activities.order_by("order").first()
    activity.title = "Hoạt động đổi tên"
    activity.save()
    changed, _queries = get(client, url)
    assert "Hoạt động đổi tên" in changed


def test_the_plan_page_offers_each_user_only_their_own_steps(client, personas, demo_plan):
    url = reverse("plans:detail", args=[demo_plan.pk])
    edit = reverse("plans:edit", args=[demo_plan.pk])
    client.force_login(personas.coordinator)
    assert edit in get(client, url)[0]
    client.force_login(personas.observer)
    assert edit not in get(client, url)[0]  # the same plan, kept: without the coordinator's buttons


def test_the_activity_page_is_kept_and_shows_a_renamed_unit(client, personas, demo_plan):
    client.force_login(personas.coordinator)
    activity = demo_plan.activities.order_by("order").first()
    url = reverse("plans:activity", args=[demo_plan.pk, activity.number])
    first, computed = get(client, url)
    _again, kept = get(client, url)
    assert kept < computed, (kept, computed)
    unit = activity.obligations.select_related("unit").first().unit
    unit.name = "Đơn vị mới đổi tên"
    unit.save()
    assert "Đơn vị mới đổi tên" in get(client, url)[0]
    assert get(client, url + "?kind=commune")[0] != first  # another filter: another page


def test_the_unit_list_is_kept_and_shows_a_new_name(client, personas):
    client.force_login(personas.officer_a)
    url = reverse("orgs:list")
    _first, computed = get(client, url)
    _again, kept = get(client, url)
    assert kept < computed, (kept, computed)
    unit = personas.units.commune_b
    unit.name = "Xã Tên Mới"
    unit.save()
    assert "Xã Tên Mới" in get(client, url)[0]


def test_my_work_is_each_units_own(client, personas, demo_plan):
    titles = set(Activity.objects.filter(plan=demo_plan).values_list("title", flat=True))
    client.force_login(personas.officer_a)
    mine, _queries = get(client, reverse("plans:my_work"))
    client.force_login(personas.officer_dept)
    theirs, _queries = get(client, reverse("plans:my_work"))
    assert mine != theirs
    assert any(t in mine for t in titles) or any(t in theirs for t in titles)
    assert personas.units.commune_a.name in mine and personas.units.commune_a.name not in theirs


def test_the_bell_counts_a_new_notice_and_a_read_one(client, personas):
    client.force_login(personas.officer_a)
    url = reverse("plans:list")
    assert "bell-count" not in get(client, url)[0]
    notify([personas.officer_a], "Báo cáo quý I đã bị trả lại")
    assert '<span class="bell-count">1</span>' in get(client, url)[0]
    do_mark_notifications_read(personas.officer_a)
    assert "bell-count" not in get(client, url)[0]


def test_the_menu_is_kept_for_each_role(client, personas):
    audit = reverse("audit:list")
    client.force_login(personas.coordinator)
    assert audit in get(client, reverse("plans:list"))[0]
    client.force_login(personas.officer_a)
    assert audit not in get(client, reverse("plans:list"))[0]  # the officer's menu is not the coordinator's
    client.force_login(personas.coordinator)
    assert audit in get(client, reverse("plans:list"))[0]


@pytest.mark.parametrize(
    "inner",
    ["{% csrf_token %}", "{% block title %}{% endblock %}"],
    ids=["a form's token", "a block"],
)
def test_keep_refuses_what_would_be_served_to_others(inner):
    with pytest.raises(TemplateSyntaxError):
        Template('{% load cchc %}{% keep "x" %}' + inner + "{% endkeep %}")


def test_keep_renders_once_for_the_same_parts_and_again_for_others():
    template = Template('{% load cchc %}{% keep "x" role %}{{ role }}:{{ name }}{% endkeep %}')
    assert template.render(Context({"role": "officer", "name": "A"})) == "officer:A"
    assert template.render(Context({"role": "officer", "name": "B"})) == "officer:A"  # kept: name is not a part
    assert template.render(Context({"role": "head", "name": "B"})) == "head:B"


def test_a_draft_kept_for_the_coordinator_is_still_refused_to_an_officer(client, personas, demo_plan):
    demo_plan.status = "draft"
    demo_plan.save()
    activity = demo_plan.activities.order_by("order").first()
    urls = [
        reverse("plans:detail", args=[demo_plan.pk]),
        reverse("plans:activity", args=[demo_plan.pk, activity.number]),
    ]
    client.force_login(personas.coordinator)
    for url in urls:
        get(client, url)  # the plan and the activity are now in the cache
    client.force_login(personas.officer_a)
    for url in urls:
        assert client.get(url).status_code == 404


def test_the_province_report_keeps_the_draft_and_never_someone_elses_input(client, personas, demo_plan):
    from cchc.reports.tests.helpers import q1

    period = q1(demo_plan)
    client.force_login(personas.coordinator)
    url = reverse("reports:province", args=[period.plan_id, period.code])
    assert "Dự thảo tự động" in get(client, url)[0]
    save = reverse("reports:province_save", args=[period.plan_id, period.code])
    assert client.post(save, {"version": 0, "general_text": "Đánh giá của Sở."}).status_code == 302
    assert "Đánh giá của Sở." in get(client, url)[0]  # the saved draft, not the one kept before it
    stale = client.post(save, {"version": 0, "general_text": "Bản khác của tôi."})
    assert stale.status_code == 409
    assert "Bản khác của tôi." in stale.content.decode()  # the user's own input, not the kept form
    assert "Bản khác của tôi." not in get(client, url)[0]


def test_the_reports_pages_refuse_what_the_role_may_not_see_though_kept(client, personas, demo_plan):
    from cchc.reports import actions
    from cchc.reports.tests.helpers import q1

    period = q1(demo_plan)
    report = actions.do_start_report(period, personas.units.commune_a, actor=personas.officer_a)
    client.force_login(personas.coordinator)
    get(client, reverse("reports:detail", args=[report.pk]))  # now in the cache
    get(client, reverse("reports:index"))
    client.force_login(personas.officer_b)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    page, _queries = get(client, reverse("reports:index"))
    assert reverse("reports:completeness", args=[period.plan_id, period.code]) not in page  # not the coordinator's
