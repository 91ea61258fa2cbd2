"""Changes to the portal's content. Each checks who may make it, validates, runs in a transaction,
refuses to overwrite a colleague's newer save, and writes one audit row."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.lib.text import fold
from cchc.portal.models import (
    AgencyContact,
    CchcMessage,
    NewsPost,
    PostStatus,
    ReceiptBackPage,
    edits_for_agency,
    edits_news_for,
)


class ConcurrentEdit(ValidationError):
    """Someone saved since the user loaded the form: the save is refused, their input kept on screen."""


def _compare_and_bump(model, obj, expected_version: int, message: str) -> None:
    if not model.objects.filter(pk=obj.pk, version=expected_version).update(version=expected_version + 1):
        raise ConcurrentEdit(message)
    obj.version = expected_version + 1


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """An ASCII address from the title ("Tuyên truyền CCHC" → "tuyen-truyen-cchc"), made unique."""
    base = slugify(fold(title))[:100].strip("-") or "tin"
    slug, n = base, 2
    while NewsPost.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


NEWS_FIELDS = ("title", "summary", "body", "category", "unit")


@transaction.atomic
def do_create_post(fields: dict, *, actor) -> NewsPost:
    """A new draft. An agency officer writes for their own agency only."""
    unit = fields.get("unit") or actor.unit
    if not edits_news_for(actor, getattr(unit, "pk", None)):
        raise PermissionDenied
    post = NewsPost(**{**{name: fields[name] for name in NEWS_FIELDS if name in fields}, "unit": unit},
                    author=actor, status=PostStatus.DRAFT)
    post.slug = unique_slug(post.title)
    post.full_clean()
    post.save()
    record("portal.news_create", post, actor=actor, unit=unit)
    return post


@transaction.atomic
def do_update_post(post: NewsPost, fields: dict, *, actor, expected_version: int) -> NewsPost:
    if not edits_news_for(actor, post.unit_id):
        raise PermissionDenied
    if "unit" in fields and not edits_news_for(actor, fields["unit"].pk):
        raise PermissionDenied
    _compare_and_bump(NewsPost, post, expected_version, _(
        "Tin này vừa được người khác sửa. Nội dung bạn nhập vẫn còn dưới đây; hãy mở lại tin để xem bản mới "
        "rồi sửa tiếp."))
    changed = [name for name in NEWS_FIELDS if name in fields and getattr(post, name) != fields[name]]
    for name in changed:
        setattr(post, name, fields[name])
    post.full_clean()
    post.save(update_fields=[*changed, "updated_at"])
    record("portal.news_update", post, actor=actor, unit=post.unit, fields=changed, version=post.version)
    return post


@transaction.atomic
def do_publish_post(post: NewsPost, *, actor, expected_version: int, at=None) -> NewsPost:
    """Publish now, or at ``at`` (a scheduled post shows from then on)."""
    if not edits_news_for(actor, post.unit_id):
        raise PermissionDenied
    _compare_and_bump(NewsPost, post, expected_version, _("Tin này vừa được người khác thay đổi; hãy tải lại trang."))
    post.status = PostStatus.PUBLISHED
    post.published_at = at or timezone.now()
    post.full_clean()
    post.save(update_fields=["status", "published_at", "updated_at"])
    record("portal.news_publish", post, actor=actor, unit=post.unit, published_at=post.published_at.isoformat())
    return post


@transaction.atomic
def do_unpublish_post(post: NewsPost, *, actor, expected_version: int) -> NewsPost:
    """Back to draft: the post leaves the column and the feed."""
    if not edits_news_for(actor, post.unit_id):
        raise PermissionDenied
    _compare_and_bump(NewsPost, post, expected_version, _("Tin này vừa được người khác thay đổi; hãy tải lại trang."))
    post.status = PostStatus.DRAFT
    post.published_at = None
    post.save(update_fields=["status", "published_at", "updated_at"])
    record("portal.news_unpublish", post, actor=actor, unit=post.unit)
    return post


CONTACT_FIELDS = ("hotline", "phone", "email", "address", "hours", "note")


@transaction.atomic
def do_save_contact(unit, fields: dict, *, actor, expected_version: int | None) -> AgencyContact:
    """Create or change an agency's hotline and addresses; ``expected_version`` None creates."""
    if not edits_for_agency(actor, unit.pk):
        raise PermissionDenied
    contact = AgencyContact.objects.filter(unit=unit).first()
    conflict = _("Thông tin liên hệ vừa được người khác cập nhật. Nội dung bạn nhập vẫn còn dưới đây; hãy "
                 "tải lại trang để xem bản mới.")
    if contact is None:
        if expected_version is not None:
            raise ConcurrentEdit(conflict)
        contact = AgencyContact(unit=unit)
    else:
        _compare_and_bump(AgencyContact, contact, expected_version or 0, conflict)
    for name in CONTACT_FIELDS:
        setattr(contact, name, fields.get(name, ""))
    contact.updated_by = actor
    contact.full_clean()
    contact.save()
    record("portal.contact_save", contact, actor=actor, unit=unit, version=contact.version)
    return contact


@transaction.atomic
def do_save_back_page(unit, fields: dict, *, actor, expected_version: int | None) -> ReceiptBackPage:
    """Create or change an agency's receipt back page (messages chosen, own message, paper)."""
    if not edits_for_agency(actor, unit.pk):
        raise PermissionDenied
    page = ReceiptBackPage.objects.filter(unit=unit).first()
    conflict = _("Mặt sau phiếu hẹn vừa được người khác cập nhật; hãy tải lại trang để xem bản mới.")
    if page is None:
        if expected_version is not None:
            raise ConcurrentEdit(conflict)
        page = ReceiptBackPage(unit=unit)
    else:
        _compare_and_bump(ReceiptBackPage, page, expected_version or 0, conflict)
    page.paper = fields.get("paper", page.paper)
    page.title = fields.get("title") or page.title
    page.own_message = fields.get("own_message", "")
    page.updated_by = actor
    page.full_clean()
    page.save()
    messages = list(fields.get("messages", []))
    if any(not message.is_active for message in messages):
        raise ValidationError(_("Chỉ chọn được thông điệp đang dùng."))
    page.messages.set(messages)
    record("portal.back_page_save", page, actor=actor, unit=unit, messages=[m.pk for m in messages],
           paper=page.paper, version=page.version)
    return page


def active_messages():
    return CchcMessage.objects.filter(is_active=True)
