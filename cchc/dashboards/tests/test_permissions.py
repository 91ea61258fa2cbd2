"""Each role sees only what it may: anonymous, officer A, officer B, head A, coordinator, observer, desk, admin."""

import pytest
from django.urls import reverse

from cchc.dashboards import figures
from cchc.dashboards.tests import scenario

pytestmark = pytest.mark.django_db

PROVINCE_PAGES = ["overview", "agencies", "grid", "spending", "summary", "summary_pdf"]
PROVINCE_ROLES = ["coordinator", "observer", "admin"]


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def url(world, name, *args):
    return reverse(f"dashboards:{name}", args=[world.plan.pk, "2024-Q1", *args])


def status(client, user, path) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(path).status_code


def all_pages(world) -> list[str]:
    return (
        [url(world, name) for name in PROVINCE_PAGES]
        + [url(world, "activity", "1")]
        + [
            url(world, "agency", "xa-1"),
            url(world, "results"),
            url(world, "deliverables"),
            reverse("dashboards:index"),
            reverse("dashboards:plan", args=[world.plan.pk]),
        ]
    )


def test_the_public_is_sent_to_log_in_for_every_dashboard(client, world):
    for path in all_pages(world):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], path


def test_the_public_sees_the_public_pages(client, world):
    code = "94-kh-ubnd"
    for path in (
        reverse("dashboards:public_index"),
        reverse("dashboards:public_plan", args=[2024, code]),
        reverse("dashboards:public_activity", args=[2024, code, "1"]),
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", PROVINCE_ROLES)
def test_province_roles_see_every_page(client, world, personas, role):
    user = getattr(personas, role)
    for path in all_pages(world) + [url(world, "agency", "xa-2"), url(world, "agency", "so-noi-vu")]:
        assert status(client, user, path) in (200, 302), (role, path)
    assert status(client, user, url(world, "overview")) == 200


def test_the_observer_reads_only(client, world, personas):
    """Leadership: the same pages, with no form that changes anything (only sign-out and language)."""
    client.force_login(personas.observer)
    for name in ("overview", "agencies", "grid", "spending", "summary"):
        body = client.get(url(world, name)).content.decode()
        posts = [m for m in body.split('method="post"')[1:]]
        assert len(posts) == 2, name  # language switch and sign-out in the header


@pytest.mark.parametrize("role", ["officer_a", "head_a"])
def test_agency_staff_see_their_own_agency_only(client, world, personas, role):
    user = getattr(personas, role)
    for name in PROVINCE_PAGES:
        assert status(client, user, url(world, name)) == 403, name
    # Activity 1 has no lead: an implementing commune does not see the others' progress on it.
    assert status(client, user, url(world, "activity", "1")) == 404
    assert status(client, user, url(world, "agency", "xa-1")) == 200
    assert status(client, user, url(world, "agency", "xa-2")) == 404  # another commune: as if it did not exist
    assert status(client, user, url(world, "agency", "so-noi-vu")) == 404
    client.force_login(user)
    results = client.get(url(world, "results"))
    assert results.status_code == 200
    assert {r.unit.code for r in results.context["page"]} == {"xa-1"}
    assert results.context["totals"]["n"] == 3
    # Filters cannot widen the list beyond the agency.
    widened = client.get(url(world, "results") + "?group=provincial")
    assert {r.unit.code for r in widened.context["page"]} == {"xa-1"}
    assert client.get(url(world, "results") + "?unit=xa-2").status_code == 404
    assert client.get(url(world, "deliverables") + "?unit=so-noi-vu").status_code == 404
    deliverables = client.get(url(world, "deliverables"))
    assert deliverables.context["page"].paginator.count == 0  # xã Ia Kha owes no dated deliverable
    index = client.get(reverse("dashboards:index"))
    assert index.status_code == 302 and index["Location"].endswith("/agencies/xa-1/")


def test_officer_b_does_not_see_officer_a(client, world, personas):
    user = personas.officer_b
    assert status(client, user, url(world, "agency", "xa-2")) == 200
    assert status(client, user, url(world, "agency", "xa-1")) == 404
    client.force_login(user)
    results = client.get(url(world, "results"))
    assert results.context["totals"]["n"] == 0
    assert "Tin công khai TTHC" not in results.content.decode()


def test_the_desk_sees_no_dashboard(client, world, personas):
    for path in all_pages(world) + [url(world, "agency", "vp-ubnd")]:
        assert status(client, personas.desk, path) == 403, path


def test_an_agency_outside_the_registry_is_404(client, world, personas):
    assert status(client, personas.coordinator, url(world, "agency", "khong-co")) == 404
    assert status(client, personas.coordinator, url(world, "activity", "99")) == 404
    bad_period = reverse("dashboards:overview", args=[world.plan.pk, "2024-Q9"])
    assert status(client, personas.coordinator, bad_period) == 404
