"""The pages show the hand-worked figures, and every figure links to the rows it counts."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.dashboards import figures
from cchc.dashboards.tests import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day(monkeypatch):
    monkeypatch.setattr(figures, "today", lambda: scenario.DAY)


@pytest.fixture
def world(personas, demo_plan):
    return scenario.build(personas, demo_plan)


def url(world, name, *args, code="2024-Q1"):
    return reverse(f"dashboards:{name}", args=[world.plan.pk, code, *args])


def get(client, user, path):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def figure(response, name) -> tuple[str, str]:
    """(text, href) of the element marked ``data-figure=name``."""
    text = response.content.decode()
    marker = f'data-figure="{re.escape(name)}">'
    match = re.search(r'<a [^>]*href="([^"]*)"[^>]*' + marker + r"([^<]*)<", text)
    if match:
        return html.unescape(match.group(2)).strip(), html.unescape(match.group(1))
    match = re.search(marker + r"([^<]*)<", text)
    assert match, f"no figure {name}"
    return html.unescape(match.group(1)).strip(), ""


def test_the_overview_shows_the_hand_worked_figures(client, world, personas):
    response = get(client, personas.coordinator, url(world, "overview"))
    assert figure(response, "submitted")[0] == "2/5"
    assert figure(response, "missing")[0] == "2"
    assert figure(response, "accepted")[0] == "1"
    assert figure(response, "deliverables")[0] == "2/2"
    assert figure(response, "results")[0] == "7"
    assert figure(response, "cost")[0] == "13.800.000 đ"
    assert figure(response, "state-returned")[0] == "1"
    assert figure(response, "met-2")[0] == "2/2"
    assert figure(response, "missed-2")[0] == "0"
    assert figure(response, "results-1")[0] == "4"
    assert figure(response, "coverage-1")[0] == "2/3"
    snap = response.context["snap"]
    assert (snap.expected, snap.submitted, snap.totals.results) == (5, 2, 7)
    # The charts carry their numbers too, and say what they show.
    body = response.content.decode()
    assert '<svg class="chart" id="chart-reports"' in body and 'role="img"' in body
    assert ">2/5</text>" in body and ">2/2</text>" in body


def test_every_figure_links_to_the_rows_it_counts(client, world, personas):
    overview = get(client, personas.coordinator, url(world, "overview"))
    _text, href = figure(overview, "results")
    rows = get(client, personas.coordinator, href)
    assert rows.context["totals"]["n"] == 7 and rows.context["page"].paginator.count == 7
    _text, href = figure(overview, "results-1")
    rows = get(client, personas.coordinator, href)
    titles = {r.title for r in rows.context["page"]}
    assert titles == {
        "Tin công khai TTHC tháng 1",
        "Pa nô tại trụ sở xã",
        "Tin công khai TTHC tháng 3",
        "Bài viết về TTHC trực tuyến",
    }
    _text, href = figure(overview, "met-2")
    rows = get(client, personas.coordinator, href)
    assert [d.slot for d, _s in rows.context["rows"]] == ["2024-M01", "2024-M02"]
    _text, href = figure(overview, "missing")
    rows = get(client, personas.coordinator, href)
    assert sorted(r.unit.code for r in rows.context["rows"]) == ["dai-ptth", "xa-2"]
    _text, href = figure(overview, "accepted")
    rows = get(client, personas.coordinator, href)
    assert [r.unit.code for r in rows.context["rows"]] == ["xa-1"]


def test_links_keep_the_filters(client, world, personas):
    response = get(client, personas.coordinator, url(world, "overview") + "?group=commune")
    assert figure(response, "submitted")[0] == "1/2"
    assert figure(response, "results")[0] == "3"
    _text, href = figure(response, "results")
    assert "group=commune" in href
    rows = get(client, personas.coordinator, href)
    assert rows.context["totals"]["n"] == 3
    assert {r.unit.code for r in rows.context["page"]} == {"xa-1"}
    response = get(client, personas.coordinator, url(world, "overview") + "?area=huyen-1")
    assert figure(response, "results")[0] == "3"
    # Unknown filter values are ignored, not refused.
    response = get(client, personas.coordinator, url(world, "overview") + "?group=nonsense&area=nowhere")
    assert figure(response, "results")[0] == "7"


def test_the_agency_table_lists_each_agency_with_its_figures(client, world, personas):
    response = get(client, personas.coordinator, url(world, "agencies"))
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert len(rows) == 5 and rows["so-tttt"].days_late == 3
    assert response.context["totals"].results == 7
    late = get(client, personas.coordinator, url(world, "agencies") + "?state=late")
    assert [r.unit.code for r in late.context["rows"]] == ["so-tttt"]
    assert "trễ 3 ngày" in late.content.decode()


def test_the_spending_page_adds_up(client, world, personas):
    response = get(client, personas.coordinator, url(world, "spending"))
    assert figure(response, "cost")[0] == "13.800.000 đ"
    assert figure(response, "cost-2")[0] == "10.000.000 đ"
    assert [(s.source, s.cost) for s in response.context["sources"]] == [
        ("Ngân sách tỉnh", Decimal(10_300_000)),
        ("Ngân sách xã", Decimal(2_500_000)),
        ("", Decimal(1_000_000)),
    ]
    none_given = get(client, personas.coordinator, url(world, "results") + "?funding=-")
    assert none_given.context["totals"]["n"] == 3 and none_given.context["totals"]["cost"] == 1_000_000


def test_the_grid_colours_every_cell_with_an_icon_and_words(client, world, personas):
    response = get(client, personas.coordinator, url(world, "grid"))
    body = response.content.decode()
    assert re.search(
        r'data-period="2024-Q1" data-state="late"[^>]*>.*?<span class="icon" aria-hidden="true">!</span> '
        r"Trễ hạn",
        body,
        re.S,
    )
    assert body.count('data-state="missing"') == 2
    assert body.count('data-state="not_due"') == 15


def test_drill_down_from_province_to_evidence(client, world, personas):
    """province → activity → agency → results → evidence."""
    activity = get(client, personas.coordinator, url(world, "activity", "1"))
    agencies = {a["unit"].code: a for a in activity.context["agencies"]}
    assert sorted(agencies) == ["so-tttt", "xa-1", "xa-2"]
    assert agencies["xa-1"]["counts"].results == 3
    agency = get(client, personas.coordinator, url(world, "agency", "xa-1"))
    assert figure(agency, "results")[0] == "3"
    _text, href = figure(agency, "results")
    results = get(client, personas.coordinator, href)
    body = results.content.decode()
    assert reverse("execution:evidence_download", args=[world.evidence.pk]) in body
    assert "bien-ban-nghiem-thu-ky-ten.pdf" in body
    download = client.get(reverse("execution:evidence_download", args=[world.evidence.pk]))
    assert download.status_code == 200


def test_the_agency_view_shows_what_is_due_this_month_and_what_is_late(client, world, personas, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(figures, "today", lambda: dt.date(2024, 4, 5))
    head = world.heads.noi_vu
    client.force_login(head)
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302 and response["Location"].endswith("/agencies/so-noi-vu/")
    response = get(client, head, response["Location"])
    assert response.context["period"].code == "2024-H1"  # the period being reported on
    assert [d.slot for d, _s in response.context["due"]] == ["2024-M04"]
    assert [d.slot for d in response.context["late"]] == ["2024-M03"]
    assert [c.period.code for c in response.context["late_reports"]] == ["2024-Q1"]  # returned, past due
    body = response.content.decode()
    assert "Tháng 4/2024" in body and "Tháng 3/2024" in body


def test_the_summary_and_its_pdf(client, world, personas):
    response = get(client, personas.observer, url(world, "summary"))
    assert figure(response, "submitted")[0] == "2/5"
    assert figure(response, "deliverables")[0] == "2/2"
    assert sorted(row.unit.code for row in response.context["lagging"]) == ["dai-ptth", "so-noi-vu", "xa-2"]
    pdf = client.get(url(world, "summary_pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert len(reader.pages) == 1  # one page
    text = reader.pages[0].extract_text()
    assert "Tiến độ thực hiện Kế hoạch" in text and "2/5" in text and "13.800.000 đ" in text
    assert "UBND xã Ia Ly" in text  # an agency behind, by name


def test_the_public_page_shows_only_what_the_public_may_see(client, world, personas):
    from cchc.dashboards.scope import public_code

    code = public_code(world.plan)
    assert code == "94-kh-ubnd"
    response = client.get(reverse("dashboards:public_plan", args=[2024, code]))
    assert response.status_code == 200
    assert figure(response, "results")[0] == "2"
    body = response.content.decode()
    for secret in (
        "Pa nô tại trụ sở xã",
        "bien-ban-nghiem-thu",
        "Thủ trưởng",
        "head-a",
        "officer",
        "/evidence/",
        "Thiếu số liệu chuyên mục",
    ):
        assert secret not in body, secret
    listing = client.get(reverse("dashboards:public_activity", args=[2024, code, "1"]))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "Tin công khai TTHC tháng 1" in body and "Tin công khai TTHC tháng 3" in body
    assert "Pa nô tại trụ sở xã" not in body and "Tin sau kỳ quý I" not in body
    assert "Bài viết về TTHC trực tuyến" not in body  # its report is not accepted yet
    assert client.get(reverse("dashboards:public_plan", args=[2024, "khong-co"])).status_code == 404
    index = client.get(reverse("dashboards:public_index"))
    assert reverse("dashboards:public_plan", args=[2024, code]) in index.content.decode()


def test_a_draft_plan_is_not_public(client, world):
    world.plan.status = "draft"
    world.plan.save(update_fields=["status"])
    from cchc.dashboards.scope import public_code

    assert client.get(reverse("dashboards:public_plan", args=[2024, public_code(world.plan)])).status_code == 404


def test_htmx_gets_the_part_below_the_filters(client, world, personas):
    client.force_login(personas.coordinator)
    response = client.get(url(world, "overview") + "?group=commune", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'data-figure="results"' in body


def test_a_panel_from_another_app_fills_the_slot(client, world, personas, settings):
    settings.CCHC_DASHBOARD_PANELS = ["cchc.dashboards.tests.test_views.sample_panel"]
    response = get(client, personas.coordinator, url(world, "overview"))
    assert "Mức độ hài lòng (thử)" in response.content.decode()
    public = client.get(reverse("dashboards:public_plan", args=[2024, "94-kh-ubnd"]))
    assert "Mức độ hài lòng (thử)" in public.content.decode()


def sample_panel(*, plan, period, user, public):
    from cchc.lib.panels import Panel

    return Panel(title="Mức độ hài lòng (thử)", template="dashboards/_legend.html", context={})


def test_the_public_page_is_cached_for_visitors_but_not_for_staff(client, world, personas, django_assert_num_queries):
    path = reverse("dashboards:public_plan", args=[2024, "94-kh-ubnd"])
    assert client.get(path).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200
    client.force_login(personas.coordinator)
    assert figure(client.get(path), "results")[0] == "2"  # signed in: computed, not the cached copy


def test_the_overview_shows_citizens_satisfaction_by_agency(client, world, personas):
    import datetime as dt

    from cchc.feedback.models import RatingSource, SatisfactionRating

    for overall, access in ((5, 4), (3, 2)):
        SatisfactionRating.objects.create(
            unit=personas.units.commune_a,
            rated_on=dt.date(2024, 2, 1),
            source=RatingSource.ONE_STOP,
            overall=overall,
            access=access,
        )
    SatisfactionRating.objects.create(
        unit=personas.units.commune_b, rated_on=dt.date(2024, 6, 1), source=RatingSource.ONE_STOP, overall=1
    )  # after quarter I: not counted
    page = get(client, personas.coordinator, url(world, "overview")).content.decode()
    assert "Mức độ hài lòng của người dân, doanh nghiệp (SIPAS)" in page
    panel = page.split("(SIPAS)")[1].split("</section>")[0]
    assert "2 lượt đánh giá" in panel and "4,0/5" in panel  # (5 + 3) / 2, written the Vietnamese way
    assert "UBND xã Ia Kha" in panel and "UBND xã Ia Ly" not in panel
