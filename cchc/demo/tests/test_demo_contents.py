"""What the demo province holds, on the demo loaded once for the module (``loaded_demo``, conftest.py)."""

import pytest
from django.core.management import call_command

from cchc.accounts.models import User
from cchc.plans.models import Plan


@pytest.mark.django_db
def test_it_holds_the_seed_document_as_imported_and_a_2026_draft_to_finish(loaded_demo):
    from cchc.demo.plans import seed_document
    from cchc.plans.models import ActivityAgency, PlanStatus

    plan = Plan.objects.get(year=2024)
    seed = seed_document()
    # Word for word: legal basis 602 says "TTHC" as the document does, and section IV has all its duties.
    assert "Chương trình tổng thể TTHC nhà nước" in plan.legal_bases[1]["text"]
    assert plan.duties == seed["duties"] and len(plan.duties) == 3
    assert [a.title for a in plan.activities.all()] == [a["title"] for a in seed["activities"]]
    assert plan.objectives == seed["objectives"] and plan.recipients == seed["recipients"]

    draft = Plan.objects.get(year=2026)
    assert draft.status == PlanStatus.DRAFT and draft.copied_from == plan
    flagged = ActivityAgency.objects.filter(activity__plan=draft, needs_review=True).select_related("activity", "unit")
    assert {(a.activity.number, a.unit.code if a.unit else a.name) for a in flagged} == {
        ("1", "so-khcn"),
        ("7", "so-vhttdl"),
        ("3", "các cơ sở đào tạo"),
    }
    assert not ActivityAgency.objects.filter(activity__plan=draft, unit__valid_to__lt=draft.start).exists()
    # The personas of the two-tier province work in units open in 2026.
    for username in ("officer-khcn", "commune-officer-2026"):
        assert User.objects.get(username=username).unit.is_valid_on(draft.start)


@pytest.mark.django_db
def test_the_public_portal_shows_a_province_a_few_months_in(client, loaded_demo):
    from django.core.cache import cache
    from django.urls import reverse

    from cchc.audit.models import AuditEntry
    from cchc.feedback.models import Feedback, SatisfactionRating
    from cchc.portal.models import AgencyContact, NewsPost

    cache.clear()
    assert NewsPost.objects.published().count() == 6
    assert {"vp-ubnd", "ttpvhcc", "so-noi-vu"} <= set(AgencyContact.objects.values_list("unit__code", flat=True))
    assert Feedback.objects.published().count() == 3
    assert SatisfactionRating.objects.count() == 10
    # Made by the actions, as a person's click would: each left its audit row.
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"portal.news_publish", "portal.contact_save", "feedback.publish", "feedback.rate"} <= actions

    home = client.get(reverse("portal:home")).content.decode()
    assert "Sở Nội vụ kiểm tra công tác cải cách hành chính" in home
    # The demo plan has no number yet ("Số: /KH-UBND"): named by its title, at an address of a few words.
    assert '<a href="/tien-do/2024/tuyen-truyen-cchc/">Kế hoạch tuyên truyền công tác cải cách hành chính' in home
    assert "KH-UBND" not in home
    assert client.get("/tien-do/2024/tuyen-truyen-cchc/").status_code == 200
    hotlines = client.get(reverse("portal:hotlines")).content.decode()
    assert "1900 6100" in hotlines and "Trung tâm Phục vụ hành chính công tỉnh" in hotlines
    answers = client.get(reverse("feedback:public_list")).content.decode()
    assert "Chứng thực bản sao phải chờ đến chiều mới nhận" in answers
    assert "Nguyễn Văn Hùng" not in answers  # the sender is never public

    call_command("load_demo", verbosity=0)  # again: nothing doubled
    assert NewsPost.objects.count() == 6 and Feedback.objects.count() == 5
