"""Carrying out the plan: dated deliverables per obligated unit, recorded results and their evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DeliverableStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Chưa đến hạn")
    DUE = "due", _("Đến hạn")
    MET_ON_TIME = "met_on_time", _("Đạt đúng hạn")
    MET_LATE = "met_late", _("Đạt trễ hạn")
    MISSED = "missed", _("Không thực hiện")


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeliverableQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(obligation__unit_id=user.unit_id) if user.unit_id else self.none()

    def due_between(self, start: dt.date, end: dt.date) -> DeliverableQuerySet:
        return self.filter(due_on__gte=start, due_on__lte=end)

    def overdue(self, today: dt.date) -> DeliverableQuerySet:
        return self.filter(due_on__lt=today, met_on__isnull=True)


class Deliverable(models.Model):
    """One dated thing an obligated unit must deliver: the March episode of the monthly TV column.

    ``met_on`` is the date of the first result that met it (null while unmet); the status follows from
    it, the due date and today (see ``status_on``).
    """

    obligation = models.ForeignKey("plans.Obligation", on_delete=models.CASCADE, related_name="deliverables")
    sequence = models.PositiveIntegerField(_("thứ tự"))
    label = models.CharField(_("tên kỳ"), max_length=60)  # "Tháng 3/2024", "Quý II/2024"
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn"))
    target_quantity = models.PositiveIntegerField(_("chỉ tiêu"), default=1)
    target_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    achieved_quantity = models.DecimalField(_("đã thực hiện"), max_digits=12, decimal_places=2, default=0)
    met_on = models.DateField(_("ngày đạt"), null=True, blank=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("sản phẩm định kỳ")
        verbose_name_plural = _("sản phẩm định kỳ")
        ordering = ["obligation", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["obligation", "sequence"], name="execution_deliverable_unique"),
        ]
        indexes = [
            # "What is due this month / overdue" on the agency view and reminders.
            models.Index(fields=["due_on", "met_on"], name="execution_deliverable_due"),
        ]

    def __str__(self) -> str:
        return f"{self.obligation.unit} — {self.label}"

    def status_on(self, today: dt.date) -> DeliverableStatus:
        if self.met_on is not None:
            return DeliverableStatus.MET_ON_TIME if self.met_on <= self.due_on else DeliverableStatus.MET_LATE
        if today > self.due_on:
            return DeliverableStatus.MISSED
        if today >= self.period_start:
            return DeliverableStatus.DUE
        return DeliverableStatus.UPCOMING


class ResultKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", _("Tin, bài")
    BROADCAST = "broadcast", _("Phát thanh, truyền hình")
    TRAINING = "training", _("Lớp tập huấn, bồi dưỡng")
    CONFERENCE = "conference", _("Hội nghị, hội thảo")
    INTERNAL_MEETING = "internal_meeting", _("Lồng ghép trong cuộc họp")
    POSTER = "poster", _("Pa nô, áp phích, băng rôn")
    LEAFLET = "leaflet", _("Tờ gấp, tờ rơi")
    PERFORMANCE = "performance", _("Chương trình văn nghệ, lưu động")
    PORTAL_UPDATE = "portal_update", _("Cập nhật cổng/trang thông tin")
    OTHER = "other", _("Hình thức khác")


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
    CITIZENS = "citizens", _("Người dân")
    BUSINESSES = "businesses", _("Doanh nghiệp")
    ETHNIC_MINORITIES = "ethnic_minorities", _("Đồng bào dân tộc thiểu số")
    STUDENTS = "students", _("Học sinh, sinh viên")
    OTHER = "other", _("Đối tượng khác")


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResultQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.filter(unit_id=user.unit_id) if user.unit_id else self.none()

    def published(self) -> ResultQuerySet:
        """Results the unit marked public: the only ones the public progress page may count."""
        return self.filter(is_public=True)

    def between(self, start: dt.date, end: dt.date) -> ResultQuerySet:
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)


class Result(models.Model):
    """Something a unit did under the plan: an article, an episode, a class, posters..."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="results")
    obligation = models.ForeignKey(
        "plans.Obligation", verbose_name=_("nhiệm vụ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="results",
    )
    deliverable = models.ForeignKey(
        Deliverable, verbose_name=_("sản phẩm định kỳ"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="results",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=ResultKind.choices)
    title = models.CharField(_("tên, tiêu đề"), max_length=300)
    occurred_on = models.DateField(_("ngày thực hiện"))
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2, default=1)
    quantity_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)  # "tin, bài", "lớp", "pa nô"
    topics = models.ManyToManyField("plans.Topic", verbose_name=_("nội dung tuyên truyền"), blank=True,
                                    related_name="results")
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    reach = models.PositiveIntegerField(_("số người được tuyên truyền"), null=True, blank=True)
    cost = models.DecimalField(_("kinh phí (đồng)"), max_digits=15, decimal_places=0, default=0)
    funding_source = models.CharField(_("nguồn kinh phí"), max_length=200, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    is_public = models.BooleanField(_("công khai"), default=False,
                                    help_text=_("Được hiển thị trên trang tiến độ công khai"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="execution_result_quantity_positive"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="execution_result_cost_positive"),
        ]
        indexes = [
            # Report drafting and dashboards: one unit's results in a period.
            models.Index(fields=["unit", "occurred_on"], name="execution_result_unit_date"),
            # Consolidation: every result of an activity's obligations in a period.
            models.Index(fields=["obligation", "occurred_on"], name="execution_result_obligation"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} {self.title}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Random name (see cchc.lib.uploads) under the unit's folder; never the user's file name.
    return f"evidence/{instance.result.unit_id}/{filename}"


class Evidence(models.Model):
    """A file or a link proving a result. Files are served only through a permission-checked view."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, blank=True, max_length=255)
    link = models.URLField(_("đường dẫn"), blank=True, max_length=500)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["result", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="execution_evidence_file_or_link"),
        ]

    def __str__(self) -> str:
        return self.original_name or self.link
