"""What the public portal publishes besides the catalogue: the CCHC news column, each agency's
hotline and addresses for feedback, and the back page of its dossier receipts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Role
from cchc.lib.versioning import Versioned

# Who may write for an agency: its own CCHC officer and head; coordinators (Sở Nội vụ) also for
# the news column, which they run for the whole province.
AGENCY_EDITOR_ROLES = {Role.OFFICER, Role.HEAD}


def edits_for_agency(user, unit_id: int | None) -> bool:
    """The agency's own staff (and administrators) keep its hotline and receipt back page."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role in AGENCY_EDITOR_ROLES and unit_id is not None and user.unit_id == unit_id


def edits_news_for(user, unit_id: int | None) -> bool:
    """News editors: coordinators for every agency, agency officers for their own."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in {Role.COORDINATOR, Role.ADMIN}:
        return True
    return user.role in AGENCY_EDITOR_ROLES and unit_id is not None and user.unit_id == unit_id


def is_news_editor(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser
        or user.role in {Role.COORDINATOR, Role.ADMIN}
        or (user.role in AGENCY_EDITOR_ROLES and user.unit_id is not None)
    )


class NewsCategory(models.Model):
    """A heading of the news column ("Hoạt động CCHC", "Hỏi đáp TTHC", ...)."""

    slug = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chuyên mục tin")
        verbose_name_plural = _("chuyên mục tin")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã đăng")


class NewsPostQuerySet(models.QuerySet):
    def published(self) -> NewsPostQuerySet:
        """Public: published, and the publication time has come (a post may be scheduled)."""
        return self.filter(status=PostStatus.PUBLISHED, published_at__lte=timezone.now())

    def editable_by(self, user) -> NewsPostQuerySet:
        if not is_news_editor(user):
            return self.none()
        if user.is_superuser or user.role in {Role.COORDINATOR, Role.ADMIN}:
            return self
        return self.filter(unit_id=user.unit_id)

    def visible_to(self, user) -> NewsPostQuerySet:
        """What a reader may open: the published posts, and the drafts they may edit."""
        visible = Q(status=PostStatus.PUBLISHED, published_at__lte=timezone.now())
        if is_news_editor(user):
            visible |= Q(pk__in=self.editable_by(user).values("pk"))
        return self.filter(visible)


class NewsPost(Versioned):
    """A post of the CCHC news column, from one agency. The body is plain text: paragraphs
    separated by blank lines (shown escaped, so a post can never carry markup or scripts)."""

    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    summary = models.TextField(_("tóm tắt"), max_length=600, blank=True)
    body = models.TextField(_("nội dung"))
    category = models.ForeignKey(
        NewsCategory,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan đăng"),
        on_delete=models.PROTECT,
        related_name="news_posts",
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin CCHC")
        verbose_name_plural = _("tin CCHC")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="portal_newspost_published_has_time",
            ),
        ]
        indexes = [
            # The public column and the feed: published posts, newest first.
            models.Index(fields=["status", "-published_at"], name="portal_news_published"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:news_detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status == PostStatus.PUBLISHED
            and self.published_at is not None
            and (self.published_at <= timezone.now())
        )

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.body.replace("\r", "").split("\n\n") if part.strip()]


class AgencyContact(Versioned):
    """Where citizens reach an agency about administrative procedures and feedback (PAKN):
    kept by the agency's own staff."""

    unit = models.OneToOneField(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="public_contact",
    )
    hotline = models.CharField(_("đường dây nóng"), max_length=40)
    phone = models.CharField(_("điện thoại tiếp nhận phản ánh, kiến nghị"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.TextField(_("địa chỉ tiếp nhận phản ánh, kiến nghị"), max_length=500)
    hours = models.CharField(_("thời gian tiếp nhận"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("đường dây nóng, địa chỉ tiếp nhận")
        verbose_name_plural = _("đường dây nóng, địa chỉ tiếp nhận")

    def __str__(self) -> str:
        return f"{self.unit}: {self.hotline}"


class CchcMessage(models.Model):
    """A message for the back of dossier receipts, from the province's list (kept by coordinators
    and administrators); each agency picks the ones it prints."""

    text = models.TextField(_("nội dung"), max_length=400)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("thông điệp CCHC")
        verbose_name_plural = _("thông điệp CCHC")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4")
    A5 = "A5", _("A5")


class ReceiptBackPage(Versioned):
    """The back page of an agency's dossier receipts: the CCHC messages it chose, its own words,
    its hotline and QR codes to the procedure lookup and the feedback form."""

    unit = models.OneToOneField(
        "orgs.Unit",
        verbose_name=_("cơ quan"),
        on_delete=models.CASCADE,
        related_name="receipt_back_page",
    )
    paper = models.CharField(_("khổ giấy"), max_length=2, choices=PaperSize.choices, default=PaperSize.A5)
    title = models.CharField(_("tiêu đề"), max_length=200, default=_("Thông tin dành cho tổ chức, công dân"))
    messages = models.ManyToManyField(CchcMessage, verbose_name=_("thông điệp CCHC"), blank=True, related_name="+")
    own_message = models.TextField(_("thông điệp riêng của cơ quan"), max_length=600, blank=True)

    class Meta:
        verbose_name = _("mặt sau phiếu hẹn")
        verbose_name_plural = _("mặt sau phiếu hẹn")

    def __str__(self) -> str:
        return str(self.unit)
