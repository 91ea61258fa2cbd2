"""The plan's page keeps its body in the cache until the plan changes (``{% datacache %}``, cchc.lib.figcache).

These tests commit (``transaction=True``): the cache moves on when a transaction commits.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.plans.actions import do_create_plan, do_save_activity
from cchc.testing import plan_document

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.CCHC_FIGURE_CACHE = True


def _page(client, plan):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<h2 id="topics">') : html.index("</main>")], len(queries)


def test_the_body_is_kept_until_an_activity_changes(client, personas):
    plan = do_create_plan(plan_document())
    client.force_login(personas.coordinator)
    first, computed = _page(client, plan)
    again, kept = _page(client, plan)
    assert again == first
    assert kept < computed  # the activities, their agencies and the groups' sizes are not read again

    activity = plan.activities.get(number="1")
    plan.refresh_from_db()
    do_save_activity(
        plan,
        activity,
        {"title": "Công khai thủ tục hành chính trên cổng mới"},
        None,
        actor=personas.coordinator,
        expected_version=plan.version,
    )
    changed, recomputed = _page(client, plan)
    assert "Công khai thủ tục hành chính trên cổng mới" in changed
    assert recomputed == computed


def test_a_form_inside_the_block_gets_each_visitors_own_token(settings):
    """The block is kept with a hole where the CSRF token goes, filled in for each visitor."""
    from django.core.cache import cache
    from django.template import Context, Template

    settings.CCHC_FIGURE_CACHE = True
    cache.clear()
    template = Template("{% load cchc %}{% datacache 'x' %}<form>{% csrf_token %}</form>{% enddatacache %}")
    first = template.render(Context({"csrf_token": "token-of-visitor-1"}))
    second = template.render(Context({"csrf_token": "token-of-visitor-2"}))
    assert 'value="token-of-visitor-1"' in first and "visitor-2" not in first
    assert 'value="token-of-visitor-2"' in second and "visitor-1" not in second
    cache.clear()
