"""The news column, hotlines and receipt back pages: who may do what, and what the public sees."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cchc.audit.models import AuditEntry
from cchc.portal import actions
from cchc.portal.models import AgencyContact, CchcMessage, NewsCategory, NewsPost, PostStatus, ReceiptBackPage
from cchc.portal.testing import ensure_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(db):
    ensure_defaults()


def make_post(personas, *, unit=None, title="Một cửa xã Ia Kha nhận hồ sơ cả sáng thứ Bảy", publish=True, **extra):
    fields = {
        "title": title,
        "summary": "Tóm tắt ngắn.",
        "body": "Đoạn một.\n\nĐoạn hai <b>đậm</b>.",
        "category": NewsCategory.objects.get(slug="hoat-dong-cchc"),
        "unit": unit or personas.units.commune_a,
        **extra,
    }
    author = personas.coordinator
    post = actions.do_create_post(fields, actor=author)
    if publish:
        actions.do_publish_post(post, actor=author, expected_version=post.version)
    return post


def post_form(post=None, **overrides):
    data = {
        "title": "Tin mới",
        "category": NewsCategory.objects.get(slug="van-ban-moi").pk,
        "summary": "",
        "body": "Nội dung.",
        "version": post.version if post else "",
    }
    if post:
        data["unit"] = post.unit_id
    data.update(overrides)
    return data


class TestNewsColumn:
    def test_published_posts_are_public_and_drafts_are_not(self, client, personas):
        published = make_post(personas)
        draft = make_post(personas, title="Bản nháp chưa đăng", publish=False)
        page = client.get(reverse("portal:news")).content.decode()
        assert published.title in page and draft.title not in page
        assert client.get(published.get_absolute_url()).status_code == 200
        assert client.get(draft.get_absolute_url()).status_code == 404
        home = client.get(reverse("portal:home")).content.decode()
        assert published.title in home and draft.title not in home

    def test_a_scheduled_post_waits_for_its_time(self, client, personas):
        post = make_post(personas, publish=False)
        actions.do_publish_post(
            post, actor=personas.coordinator, expected_version=post.version, at=timezone.now() + dt.timedelta(days=1)
        )
        assert client.get(post.get_absolute_url()).status_code == 404
        client.force_login(personas.officer_a)
        assert "Tin hẹn giờ đăng" in client.get(post.get_absolute_url()).content.decode()

    def test_the_body_is_shown_as_escaped_paragraphs(self, client, personas):
        post = make_post(personas)
        page = client.get(post.get_absolute_url()).content.decode()
        assert "<p>Đoạn một.</p>" in page and "Đoạn hai &lt;b&gt;đậm&lt;/b&gt;." in page

    def test_the_rss_feed_lists_published_posts(self, client, personas):
        make_post(personas)
        make_post(personas, title="Chưa đăng", publish=False)
        response = client.get(reverse("portal:news_feed"))
        body = response.content.decode()
        assert response["Content-Type"].startswith("application/rss+xml")
        assert "<language>vi</language>" in body and "Một cửa xã Ia Kha" in body and "Chưa đăng" not in body
        assert client.get(reverse("portal:news_category_feed", args=["van-ban-moi"])).status_code == 200
        assert client.get(reverse("portal:news_category_feed", args=["khong-co"])).status_code == 404

    def test_the_list_costs_the_same_queries_with_more_posts(self, client, personas):
        make_post(personas)
        cache.clear()  # the public pages are cached: measure the views themselves
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("portal:news"))
            client.get(reverse("portal:home"))
        for n in range(15):
            make_post(personas, title=f"Tin số {n}", unit=personas.units.tttt)
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("portal:news"))
            client.get(reverse("portal:home"))
        assert len(large) == len(small) > 0


class TestNewsEditors:
    def test_an_agency_officer_writes_and_publishes_for_their_own_agency(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(reverse("portal:news_create"), post_form(unit=personas.units.commune_a.pk))
        post = NewsPost.objects.get()
        assert response.status_code == 302 and post.unit == personas.units.commune_a
        assert post.status == PostStatus.DRAFT and post.slug == "tin-moi"
        client.post(reverse("portal:news_publish", args=[post.pk]), {"version": post.version + 0})
        post.refresh_from_db()
        assert post.is_public
        assert AuditEntry.objects.filter(action="portal.news_publish", object_id=str(post.pk)).exists()

    def test_an_agency_officer_cannot_write_for_another_agency(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(reverse("portal:news_create"), post_form(unit=personas.units.commune_b.pk))
        assert response.status_code == 200 and not NewsPost.objects.exists()  # not a choice they have
        other = make_post(personas, unit=personas.units.commune_b)
        assert client.get(reverse("portal:news_edit", args=[other.pk])).status_code == 403
        assert (
            client.post(
                reverse("portal:news_publish", args=[other.pk]), {"version": other.version, "action": "unpublish"}
            ).status_code
            == 403
        )
        draft = make_post(personas, unit=personas.units.commune_b, publish=False)
        assert client.get(reverse("portal:news_edit", args=[draft.pk])).status_code == 404
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_a_coordinator_edits_any_agencys_posts(self, client, personas):
        post = make_post(personas, unit=personas.units.commune_b)
        client.force_login(personas.coordinator)
        response = client.post(reverse("portal:news_edit", args=[post.pk]), post_form(post, title="Tiêu đề đã sửa"))
        assert response.status_code == 302
        post.refresh_from_db()
        assert post.title == "Tiêu đề đã sửa"

    @pytest.mark.parametrize("persona", ["observer", "desk"])
    def test_observers_and_the_desk_are_refused(self, client, personas, persona):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("portal:news_create")).status_code == 403
        post = make_post(personas)
        assert client.get(reverse("portal:news_edit", args=[post.pk])).status_code == 403

    def test_the_public_is_sent_to_log_in(self, client, personas):
        response = client.get(reverse("portal:news_create"))
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_a_stale_save_is_refused_and_the_input_kept(self, client, personas):
        post = make_post(personas, unit=personas.units.commune_a)
        stale_version = post.version
        actions.do_update_post(post, {"title": "Sửa trước"}, actor=personas.coordinator, expected_version=post.version)
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("portal:news_edit", args=[post.pk]), {**post_form(post, title="Sửa sau"), "version": stale_version}
        )
        assert response.status_code == 409 and "sau khi bạn mở trang" in response.content.decode()
        assert 'value="Sửa sau"' in response.content.decode()
        post.refresh_from_db()
        assert post.title == "Sửa trước"


class TestHotlines:
    def test_an_agency_keeps_its_own_hotline(self, client, personas):
        client.force_login(personas.officer_a)
        url = reverse("portal:contact_edit", args=[personas.units.commune_a.code])
        response = client.post(
            url,
            {
                "hotline": "0269 3 812 345",
                "phone": "0269 3 812 346",
                "email": "motcua.iakha@gialai.gov.vn",
                "address": "Thôn 1, xã Ia Kha",
                "hours": "Giờ hành chính",
                "note": "",
                "version": "",
            },
        )
        assert response.status_code == 302
        contact = AgencyContact.objects.get()
        page = client.get(reverse("portal:hotlines")).content.decode()
        assert "0269 3 812 345" in page and 'href="tel:02693812345"' in page
        assert contact.updated_by == personas.officer_a

    @pytest.mark.parametrize("persona", ["officer_b", "coordinator", "observer", "desk", "officer_dept"])
    def test_other_people_cannot_change_it(self, client, personas, persona):
        client.force_login(getattr(personas, persona))
        url = reverse("portal:contact_edit", args=[personas.units.commune_a.code])
        assert client.get(url).status_code == 403
        assert client.post(url, {"hotline": "1", "address": "x"}).status_code == 403
        assert not AgencyContact.objects.exists()

    def test_a_bad_phone_number_is_explained(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("portal:contact_edit", args=[personas.units.commune_a.code]),
            {"hotline": "gọi tôi", "address": "Thôn 1"},
        )
        assert response.status_code == 200 and "Số điện thoại chỉ gồm chữ số" in response.content.decode()

    def test_the_page_costs_the_same_queries_with_more_agencies(self, client, personas):
        actions.do_save_contact(
            personas.units.commune_a, {"hotline": "1", "address": "a"}, actor=personas.admin, expected_version=None
        )
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("portal:hotlines") + "?q=ia")
        cache.clear()
        for unit in [personas.units.commune_b, personas.units.tttt, personas.units.noi_vu]:
            actions.do_save_contact(unit, {"hotline": "2", "address": "b"}, actor=personas.admin, expected_version=None)
        with CaptureQueriesContext(connection) as large:
            client.get(reverse("portal:hotlines") + "?q=ia")
        assert len(large) == len(small)


class TestReceiptBackPage:
    def test_an_agency_chooses_its_messages_and_prints_a_pdf(self, client, personas):
        client.force_login(personas.head_a)
        chosen = list(CchcMessage.objects.all()[:2])
        unit = personas.units.commune_a
        actions.do_save_contact(
            unit,
            {"hotline": "0269 3 812 345", "address": "Thôn 1, xã Ia Kha"},
            actor=personas.officer_a,
            expected_version=None,
        )
        response = client.post(
            reverse("portal:back_page_edit", args=[unit.code]),
            {
                "paper": "A4",
                "title": "Thông tin dành cho công dân",
                "messages": [m.pk for m in chosen],
                "own_message": "Xã Ia Kha nhận hồ sơ cả sáng thứ Bảy.",
                "version": "",
            },
        )
        assert response.status_code == 302
        page = ReceiptBackPage.objects.get()
        assert set(page.messages.all()) == set(chosen) and page.paper == "A4"

        pdf = client.get(reverse("portal:back_page_pdf", args=[unit.code]))
        assert pdf["Content-Type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(pdf.content))
        text = reader.pages[0].extract_text()
        assert len(reader.pages) == 1
        assert round(float(reader.pages[0].mediabox.width)) == 595  # A4
        for expected in [
            "UBND XÃ IA KHA",
            "0269 3 812 345",
            "Xã Ia Kha nhận hồ sơ cả sáng thứ Bảy",
            "Tra cứu thủ tục hành chính",
            "Gửi phản ánh, kiến nghị",
            chosen[0].text[:30],
        ]:
            assert expected in " ".join(text.split()), expected
        a5 = PdfReader(io.BytesIO(client.get(reverse("portal:back_page_pdf", args=[unit.code]) + "?paper=A5").content))
        assert round(float(a5.pages[0].mediabox.width)) == 420

    def test_the_pdf_of_an_agency_without_settings_uses_the_provinces_messages(self, client, personas):
        response = client.get(reverse("portal:back_page_pdf", args=[personas.units.commune_b.code]))
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "chưa cập nhật đường dây nóng" in " ".join(text.split())

    @pytest.mark.parametrize("persona", ["officer_b", "coordinator", "observer"])
    def test_other_people_cannot_change_it(self, client, personas, persona):
        client.force_login(getattr(personas, persona))
        url = reverse("portal:back_page_edit", args=[personas.units.commune_a.code])
        assert client.get(url).status_code == 403
        assert client.post(url, {"paper": "A5", "title": "x"}).status_code == 403
        assert not ReceiptBackPage.objects.exists()

    def test_an_unknown_agency_or_paper_is_not_found(self, client, personas):
        assert client.get(reverse("portal:back_page_pdf", args=["khong-co"])).status_code == 404
        url = reverse("portal:back_page_pdf", args=[personas.units.commune_a.code]) + "?paper=A3"
        assert client.get(url).status_code == 404
