"""Carrying out the plan: dated deliverables per obligated unit, recorded results and their evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.periods import compute_period
from cchc.lib.versioning import Versioned
from cchc.plans.models import Recurrence


class DeliverableStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Chưa đến hạn")
    DUE = "due", _("Đến hạn")
    MET_ON_TIME = "met_on_time", _("Đạt đúng hạn")
    MET_LATE = "met_late", _("Đạt trễ hạn")
    MISSED = "missed", _("Không thực hiện")


def agency_scoped(queryset: models.QuerySet, user, unit_field: str) -> models.QuerySet:
    """An agency's work is seen by its own officers and head, and by the province-wide roles; the
    feedback desk has no part in it. ``unit_field`` is the lookup to the owning unit."""
    if not user.is_authenticated:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if not user.is_agency_staff or user.unit_id is None:
        return queryset.none()
    return queryset.filter(**{unit_field: user.unit_id})


class DeliverableQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeliverableQuerySet:
        return agency_scoped(self, user, "obligation__unit_id")

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
    # The calendar slot the deliverable covers ("2024-M03", "2024-Q2", "2024-Y", "2024-W05"): the key that
    # keeps a deliverable (and the results attached to it) across re-generations. See cchc.execution.schedule.
    slot = models.CharField(_("kỳ"), max_length=12, default="")
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
            models.UniqueConstraint(fields=["obligation", "slot"], name="execution_deliverable_slot_unique"),
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
    CONTEST = "contest", _("Cuộc thi tìm hiểu")
    SURVEY = "survey", _("Khảo sát, lấy ý kiến (SIPAS...)")
    LAW_DAY = "law_day", _("Ngày Pháp luật")
    OTHER = "other", _("Hình thức khác")


# The figures a kind of result carries besides quantity, reach and cost (plan section III): a contest's
# participants and prizes, a survey's respondents, a class's attendance, a programme's broadcasts and contract.
KIND_DETAILS: dict[str, tuple[str, ...]] = {
    ResultKind.CONTEST: ("participants", "prizes"),
    ResultKind.SURVEY: ("participants",),
    ResultKind.LAW_DAY: ("participants",),
    ResultKind.TRAINING: ("participants",),
    ResultKind.CONFERENCE: ("participants",),
    ResultKind.BROADCAST: ("broadcasts", "contract_cost"),
}
DETAIL_FIELDS = ("participants", "prizes", "broadcasts", "contract_cost")


class Audience(models.TextChoices):
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
    CITIZENS = "citizens", _("Người dân")
    BUSINESSES = "businesses", _("Doanh nghiệp")
    ETHNIC_MINORITIES = "ethnic_minorities", _("Đồng bào dân tộc thiểu số")
    STUDENTS = "students", _("Học sinh, sinh viên")
    OTHER = "other", _("Đối tượng khác")


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> ResultQuerySet:
        return agency_scoped(self, user, "unit_id")

    def with_locks(self) -> ResultQuerySet:
        """Annotate the rules of ``cchc.execution.locks`` so ``lock_reason`` needs no further query."""
        from cchc.execution.locks import lock_annotations

        return self.annotate(**lock_annotations())

    def published(self) -> ResultQuerySet:
        """Results the unit marked public: the only ones the public progress page may count."""
        return self.filter(is_public=True)

    def between(self, start: dt.date, end: dt.date) -> ResultQuerySet:
        return self.filter(occurred_on__gte=start, occurred_on__lte=end)


class Result(Versioned):
    """Something a unit did under the plan: an article, an episode, a class, posters..."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="results")
    obligation = models.ForeignKey(
        "plans.Obligation",
        verbose_name=_("nhiệm vụ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("sản phẩm định kỳ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=ResultKind.choices)
    title = models.CharField(_("tên, tiêu đề"), max_length=300)
    occurred_on = models.DateField(_("ngày thực hiện"))
    quantity = models.DecimalField(_("số lượng"), max_digits=12, decimal_places=2, default=1)
    quantity_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)  # "tin, bài", "lớp", "pa nô"
    topics = models.ManyToManyField(
        "plans.Topic", verbose_name=_("nội dung tuyên truyền"), blank=True, related_name="results"
    )
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    reach = models.PositiveIntegerField(_("số người được tuyên truyền"), null=True, blank=True)
    cost = models.DecimalField(_("kinh phí (đồng)"), max_digits=15, decimal_places=0, default=0)
    funding_source = models.CharField(_("nguồn kinh phí"), max_length=200, blank=True)
    # Figures of some kinds only (``KIND_DETAILS``).
    participants = models.PositiveIntegerField(
        _("số người tham gia"),
        null=True,
        blank=True,
        help_text=_("Người dự thi, người trả lời phiếu khảo sát, học viên dự lớp, đại biểu dự hội nghị"),
    )
    prizes = models.PositiveIntegerField(_("số giải thưởng"), null=True, blank=True)
    broadcasts = models.PositiveIntegerField(_("số lần phát sóng"), null=True, blank=True)
    contract_cost = models.DecimalField(
        _("giá trị hợp đồng (đồng)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    description = models.TextField(_("mô tả"), blank=True)
    is_public = models.BooleanField(
        _("công khai"), default=False, help_text=_("Được hiển thị trên trang tiến độ công khai")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    import_batch = models.ForeignKey(
        "ResultImport",
        verbose_name=_("nhập từ tệp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="results",
    )

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
            # Lists, newest first (dashboards' results, a period's rows): walked backwards to the first page
            # (1 ms against 55 ms on PostgreSQL at 100,000 results).
            models.Index(fields=["occurred_on", "id"], name="execution_result_date_id"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} {self.title}"

    def clean(self) -> None:
        """Rules that tie a result to its obligation: same unit, same deliverable, inside the plan's year."""
        errors: dict[str, str] = {}
        obligation = self.obligation if self.obligation_id else None
        if obligation is not None and self.unit_id is not None and obligation.unit_id != self.unit_id:
            errors["obligation"] = _("Nhiệm vụ này không phải của đơn vị ghi nhận kết quả.")
        if self.deliverable_id is not None:
            if obligation is None or self.deliverable.obligation_id != obligation.pk:
                errors["deliverable"] = _("Kỳ sản phẩm không thuộc nhiệm vụ đã chọn.")
        if obligation is not None and self.occurred_on is not None:
            plan = obligation.activity.plan
            first = plan_first_day(plan)
            if not first <= self.occurred_on <= plan.end:
                errors["occurred_on"] = _(
                    "Ngày thực hiện phải nằm trong thời gian của kế hoạch: từ %(a)s đến %(b)s."
                ) % {"a": f"{first:%d/%m/%Y}", "b": f"{plan.end:%d/%m/%Y}"}
        if self.occurred_on is not None and self.occurred_on > timezone.localdate():
            errors["occurred_on"] = _("Ngày thực hiện không thể ở tương lai: chỉ ghi nhận việc đã làm.")
        allowed = KIND_DETAILS.get(self.kind, ())
        for name in DETAIL_FIELDS:
            if getattr(self, name) is not None and name not in allowed:
                errors[name] = _("Hình thức “%(kind)s” không có “%(field)s”; hãy để trống ô này.") % {
                    "kind": self.get_kind_display(),
                    "field": self._meta.get_field(name).verbose_name,
                }
        unknown = [a for a in self.audiences or [] if a not in Audience.values]
        if unknown:
            errors["audiences"] = _("Đối tượng không hợp lệ: %(v)s.") % {"v": ", ".join(map(str, unknown))}
        if errors:
            raise ValidationError(errors)

    @property
    def period_warning(self) -> str:
        """Said beside a result dated outside its activity's own period: accepted (the plan's year and its
        first reporting period count), but not silently."""
        if self.obligation_id is None or self.occurred_on is None:
            return ""
        activity = self.obligation.activity
        start, end = activity.period_start, activity.period_end
        if start is None or end is None or start <= self.occurred_on <= end:
            return ""
        return _(
            "Ngày thực hiện %(day)s nằm ngoài thời gian của hoạt động (%(a)s – %(b)s): kết quả vẫn được ghi nhận, "
            "hãy kiểm tra lại ngày."
        ) % {"day": f"{self.occurred_on:%d/%m/%Y}", "a": f"{start:%d/%m/%Y}", "b": f"{end:%d/%m/%Y}"}

    @property
    def lock_reason(self) -> str | None:
        """Why the result may no longer change (a submitted report counts it), or None."""
        from cchc.execution.locks import lock_reason

        return lock_reason(self)

    @property
    def audience_labels(self) -> list[str]:
        return [str(Audience(a).label) for a in self.audiences if a in Audience.values]


def plan_first_day(plan) -> dt.date:
    """The first day a result may be dated for ``plan``: the start of its year's first reporting period
    (15 December of the year before, ``cchc.lib.periods``), or the plan's issue date if earlier."""
    first = compute_period(plan.year, "Q1").start
    return min(first, plan.issued_on) if plan.issued_on else first


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


class ResultImport(models.Model):
    """One Excel file of results imported at once (all its rows, or none)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("số dòng"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần nhập kết quả từ Excel")
        verbose_name_plural = _("các lần nhập kết quả từ Excel")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.row_count})"


# --- Sub-plans: an agency's own plan, derived from the province plan -----------------------------------


class SubPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ thủ trưởng phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")


class SubPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubPlanQuerySet:
        """An agency's plan is its own business until approved: other agencies never see it."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if not user.is_agency_staff or user.unit_id is None:
            return self.none()
        return self.filter(unit_id=user.unit_id)


class SubPlan(Versioned):
    """An agency's plan for carrying out its part of a province plan (section IV: "chủ động xây dựng kế hoạch")."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch của tỉnh"), on_delete=models.PROTECT, related_name="agency_plans"
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="agency_plans"
    )
    title = models.CharField(_("trích yếu"), max_length=500)
    reference = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubPlanStatus.choices, default=SubPlanStatus.DRAFT
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)

    objects = SubPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch của đơn vị")
        verbose_name_plural = _("kế hoạch của đơn vị")
        ordering = ["plan", "unit__kind", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="execution_subplan_one_per_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status != SubPlanStatus.SUBMITTED


class SubPlanItem(models.Model):
    """One line of an agency's plan: an obligation that came across from the province plan, or the agency's own.

    ``source`` is the snapshot of the province activity the line was derived from (or last reconciled with):
    when the province changes the activity, the difference is shown and the agency accepts or keeps its line.
    """

    subplan = models.ForeignKey(SubPlan, on_delete=models.CASCADE, related_name="items")
    # The province's obligation the line carries out; null for the agency's own lines, and when the
    # province later drops the obligation (the line then says so).
    obligation = models.ForeignKey(
        "plans.Obligation",
        verbose_name=_("nhiệm vụ của tỉnh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subplan_items",
    )
    # The province activity the line derives from, or (own lines) falls under; its window bounds the dates.
    activity = models.ForeignKey(
        "plans.Activity",
        verbose_name=_("thuộc hoạt động"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subplan_items",
    )
    is_own = models.BooleanField(_("hoạt động riêng của đơn vị"), default=False)
    title = models.TextField(_("tên hoạt động"))
    content = models.TextField(_("cách thực hiện"), blank=True)
    period_start = models.DateField(_("bắt đầu"))
    period_end = models.DateField(_("kết thúc"))
    recurrence_every = models.CharField(_("lặp lại mỗi"), max_length=10, choices=Recurrence.choices, blank=True)
    target_quantity = models.PositiveIntegerField(_("số lượng"), null=True, blank=True)
    target_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    source = models.JSONField(_("bản chụp hoạt động của tỉnh"), default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dòng kế hoạch của đơn vị")
        verbose_name_plural = _("dòng kế hoạch của đơn vị")
        ordering = ["subplan", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="execution_subplanitem_period"
            ),
            models.UniqueConstraint(
                fields=["subplan", "obligation"],
                condition=Q(obligation__isnull=False),
                name="execution_subplanitem_obligation_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title[:100]

    @property
    def target_text(self) -> str:
        if not self.target_quantity:
            return ""
        unit = self.target_unit or _("lần")
        if self.recurrence_every:
            return f"{self.target_quantity:02d} {unit}/{Recurrence(self.recurrence_every).label}"
        return f"{self.target_quantity:02d} {unit}"
