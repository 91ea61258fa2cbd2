"""Access rows for the public portal and its editors (format: cchc/tests/matrix.py, docs/security.md).

Public pages answer everyone alike. The editor's pages: coordinators write news for the province, an agency's
officers for their own agency; agency A's draft is invisible (404) to officer B and edited by A's staff only.
"""

from cchc.tests.matrix import REDIRECT, Access, everyone, roles, staff


def world(w):
    from cchc.portal import actions
    from cchc.portal.models import NewsCategory
    from cchc.portal.testing import ensure_defaults

    ensure_defaults()
    category = NewsCategory.objects.order_by("pk").first()
    fields = {"summary": "Tóm tắt.", "body": "Nội dung.", "category": category, "unit": w.units.commune_a}
    w.news_public = actions.do_create_post({**fields, "title": "Tin công khai của xã A"}, actor=w.personas.coordinator)
    actions.do_publish_post(w.news_public, actor=w.personas.coordinator, expected_version=w.news_public.version)
    w.news_public.refresh_from_db()
    w.news_draft_a = actions.do_create_post({**fields, "title": "Bản nháp riêng của xã A"}, actor=w.personas.officer_a)
    w.private_a.append("Bản nháp riêng của xã A")
    w.news_category = category
    # For the admin pages (every registered model needs one object).
    from cchc.portal.models import AgencyContact, ReceiptBackPage

    AgencyContact.objects.create(unit=w.units.commune_a, hotline="0269 3 123 456", address="Xã Ia Kha")
    ReceiptBackPage.objects.create(unit=w.units.commune_a)


def _public(post=405, **kw):
    return Access(get=everyone(200), post=everyone(post), **kw)


NEWS_EDITORS = ("officer_a", "officer_b", "head_a", "coordinator", "admin")
A_EDITORS = ("officer_a", "head_a", "admin")

ACCESS = {
    "portal:home": _public(),
    "portal:news": _public(),
    # Django's syndication view answers any method with the feed; it changes nothing.
    "portal:news_feed": _public(post=200),
    "portal:news_category_feed": _public(post=200, kwargs=lambda w: {"category": w.news_category.slug}),
    "portal:news_detail": _public(kwargs=lambda w: {"slug": w.news_public.slug}),
    "portal:hotlines": _public(),
    "portal:favicon": Access(get=everyone(REDIRECT), post=everyone(405)),
    "portal:back_page_pdf": _public(kwargs=lambda w: {"code": w.units.commune_a.code}),
    "portal:manage": Access(get=roles(*NEWS_EDITORS), post=roles(*NEWS_EDITORS)),
    "portal:news_create": Access(get=roles(*NEWS_EDITORS), post=roles(*NEWS_EDITORS)),
    # Agency A's draft: A's staff and the coordinator edit it; officer B, the observer and the desk never see it.
    "portal:news_edit": Access(
        kwargs=lambda w: {"pk": w.news_draft_a.pk},
        get=staff(officer_b=404, observer=404, desk=404),
        post=staff(officer_b=404, observer=404, desk=404),
    ),
    "portal:news_publish": Access(
        kwargs=lambda w: {"pk": w.news_draft_a.pk},
        get=staff(405),
        post=staff(REDIRECT, officer_b=404, observer=404, desk=404),
    ),
    # An agency's own hotline and receipt back page: its staff (and administrators) only.
    "portal:contact_edit": Access(
        kwargs=lambda w: {"code": w.units.commune_a.code}, get=roles(*A_EDITORS), post=roles(*A_EDITORS)
    ),
    "portal:back_page_edit": Access(
        kwargs=lambda w: {"code": w.units.commune_a.code}, get=roles(*A_EDITORS), post=roles(*A_EDITORS)
    ),
}
