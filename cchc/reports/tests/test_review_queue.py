"""The coordinator's review queue on the period page: the "chờ xem xét" filter and the count that links to it."""

import datetime as dt

import pytest
from django.urls import reverse

from cchc.reports.tests.helpers import make_head, q1, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(personas, demo_plan):
    u = personas.units
    period = q1(demo_plan)
    submitted(period, u.tttt, make_head(u.tttt), day=dt.date(2024, 3, 18))
    submitted(period, u.commune_a, personas.head_a, day=dt.date(2024, 3, 12))
    return period


def test_the_waiting_filter_lists_the_reports_awaiting_review_longest_waiting_first(client, personas, period):
    client.force_login(personas.coordinator)
    url = reverse("reports:period", args=[period.plan_id, period.code])
    page = client.get(url, {"t": "waiting"}).content.decode()
    rows = page[page.index('<div id="agencies">') :]
    assert rows.index("UBND xã Ia Kha") < rows.index("Sở Thông tin và Truyền thông")  # sent 12/03, then 18/03
    assert "Đài Phát thanh" not in rows  # nothing sent: not waiting
    assert '<option value="waiting" selected>Chờ xem xét</option>' in page


def test_the_waiting_count_links_to_the_filter(client, personas, period):
    client.force_login(personas.coordinator)
    url = reverse("reports:period", args=[period.plan_id, period.code])
    page = client.get(url).content.decode()
    assert f'href="{url}?t=waiting"><div class="stat">2</div>' in page
