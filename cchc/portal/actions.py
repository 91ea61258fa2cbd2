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
from cchc.lib.versioning import StaleEdit, bump_version
from cchc.portal.models import (
    AgencyContact,
    NewsPost,
    PostStatus,
    ReceiptBackPage,
    edits_for_agency,
    edits_news_for,
)


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
    post = NewsPost(
        **{**{name: fields[name] for name in NEWS_FIELDS if name in fields}, "unit": unit},
        author=actor,
        status=PostStatus.DRAFT,
    )
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
    bump_version(post, expected_version, actor=actor)
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
    bump_version(post, expected_version, actor=actor)
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
    bump_version(post, expected_version, actor=actor)
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
    if contact is None:
        if expected_version is not None:
            raise StaleEdit(None)
        contact = AgencyContact(unit=unit)
    else:
        bump_version(contact, expected_version or 0, actor=actor)
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
    if page is None:
        if expected_version is not None:
            raise StaleEdit(None)
        page = ReceiptBackPage(unit=unit)
    else:
        bump_version(page, expected_version or 0, actor=actor)
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
    record(
        "portal.back_page_save",
        page,
        actor=actor,
        unit=unit,
        messages=[m.pk for m in messages],
        paper=page.paper,
        version=page.version,
    )
    return page
