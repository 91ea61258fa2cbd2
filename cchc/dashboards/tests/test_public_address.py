"""The public plan's name and address as a citizen would say them (issue 14, item 7): its number where it has one,
otherwise its title and year; old addresses answer with a permanent redirect."""

import pytest
from django.urls import reverse

from cchc.dashboards.scope import legacy_code, public_code, public_name
from cchc.plans.models import Plan

pytestmark = pytest.mark.django_db


def unnumbered(plan: Plan) -> Plan:
    # As the demo imports Gia Lai's 2024 plan: "Số: /KH-UBND", a number still to be given.
    Plan.objects.filter(pk=plan.pk).update(
        number="", title="Tuyên truyền công tác cải cách hành chính năm 2024 của tỉnh Gia Lai"
    )
    return Plan.objects.get(pk=plan.pk)


def test_a_numbered_plan_is_named_and_addressed_by_its_number(demo_plan):
    assert public_code(demo_plan) == "94-kh-ubnd"
    assert public_name(demo_plan) == "Kế hoạch số 94/KH-UBND"


def test_a_plan_without_a_number_is_named_by_its_title_and_addressed_by_a_few_words(demo_plan):
    plan = unnumbered(demo_plan)
    assert public_code(plan) == "tuyen-truyen-cchc"
    assert public_name(plan) == "Kế hoạch tuyên truyền công tác cải cách hành chính năm 2024 của tỉnh Gia Lai"
    assert "KH-UBND" not in public_name(plan) and "…" not in public_name(plan)
    plan.title = "CCHC trong nội bộ cơ quan"
    assert public_name(plan) == "Kế hoạch CCHC trong nội bộ cơ quan năm 2024"
    assert public_code(plan) == "cchc-trong-noi-bo-co-quan"


def test_the_progress_page_answers_at_the_new_address_and_redirects_the_old_one(client, demo_plan):
    plan = unnumbered(demo_plan)
    assert legacy_code(plan) == "kh-ubnd"
    page = client.get("/tien-do/2024/tuyen-truyen-cchc/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Tiến độ thực hiện Kế hoạch tuyên truyền công tác cải cách hành chính năm 2024" in body
    assert "…/KH-UBND" not in body and "/kh-ubnd/" not in body

    old = client.get("/tien-do/2024/kh-ubnd/?page=2")
    assert old.status_code == 301 and old["Location"] == "/tien-do/2024/tuyen-truyen-cchc/?page=2"
    activity = client.get("/tien-do/2024/kh-ubnd/hoat-dong/1/")
    assert activity.status_code == 301 and activity["Location"] == "/tien-do/2024/tuyen-truyen-cchc/hoat-dong/1/"
    assert client.get("/tien-do/2024/tuyen-truyen-cchc/hoat-dong/1/").status_code == 200
    assert client.get("/tien-do/2024/khong-co/").status_code == 404
    assert client.get("/tien-do/2023/tuyen-truyen-cchc/").status_code == 404

    index = client.get(reverse("dashboards:public_index")).content.decode()
    assert 'href="/tien-do/2024/tuyen-truyen-cchc/"' in index


def test_the_home_page_plan_card_links_to_the_progress_page(client, demo_plan):
    body = client.get(reverse("portal:home")).content.decode()
    assert '<a href="/tien-do/2024/94-kh-ubnd/">Kế hoạch số 94/KH-UBND</a>' in body
    unnumbered(demo_plan)
    from django.core.cache import cache

    cache.clear()
    body = client.get(reverse("portal:home")).content.decode()
    assert 'href="/tien-do/2024/tuyen-truyen-cchc/"' in body and "KH-UBND" not in body


def test_in_english_the_title_stays_as_written(demo_plan):
    from django.utils import translation

    plan = unnumbered(demo_plan)
    with translation.override("en"):
        assert public_name(plan) == "Plan: Tuyên truyền công tác cải cách hành chính năm 2024 của tỉnh Gia Lai"
        assert public_name(demo_plan) == "Plan no. 94/KH-UBND"
