"""Periodic reporting: each plan's calendar of periods, agencies' reports and their review, the
province's consolidated report, and the notices and reminders that keep the cycle moving."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.lib import periods as lib_periods
from cchc.lib.versioning import Versioned


class ReportingCalendar(Versioned):
    """How one plan cuts its reporting periods; the defaults are those of the CCHC reporting regime."""

    plan = models.OneToOneField("plans.Plan", on_delete=models.CASCADE, related_name="reporting_calendar")
    cutoff_day = models.PositiveSmallIntegerField(
        _("ngày chốt số liệu"),
        default=lib_periods.DEFAULT_CUTOFF_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Số liệu tính đến ngày này của tháng cuối kỳ (31: hết tháng)."),
    )
    due_day = models.PositiveSmallIntegerField(
        _("hạn báo cáo của đơn vị (ngày)"),
        default=lib_periods.DEFAULT_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Ngày trong tháng, sau ngày chốt số liệu, mà các đơn vị phải gửi báo cáo."),
    )
    province_due_day = models.PositiveSmallIntegerField(
        _("hạn báo cáo của tỉnh (ngày)"),
        default=lib_periods.DEFAULT_PROVINCE_DUE_DAY,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    extra_kinds = models.JSONField(
        _("kỳ báo cáo bổ sung"), default=list, blank=True, help_text=_("Q2, Q4 và/hoặc M (hằng tháng)")
    )
    shift_to_working_day = models.BooleanField(
        _("dời hạn rơi vào ngày nghỉ sang ngày làm việc tiếp theo"),
        default=True,
        help_text=_("Theo khoản 5 Điều 148 Bộ luật Dân sự 2015."),
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("nhắc trước hạn (ngày làm việc)"), default=3, validators=[MaxValueValidator(30)]
    )

    class Meta:
        verbose_name = _("lịch báo cáo")
        verbose_name_plural = _("lịch báo cáo")

    def __str__(self) -> str:
        return f"Lịch báo cáo — {self.plan}"

    def rules(self) -> lib_periods.Rules:
        return lib_periods.Rules(
            cutoff_day=self.cutoff_day,
            due_day=self.due_day,
            province_due_day=self.province_due_day,
            extra_kinds=tuple(self.extra_kinds or ()),
            shift_to_working_day=self.shift_to_working_day,
        )

    def clean(self):
        try:
            self.rules()
        except lib_periods.PeriodError as err:
            raise ValidationError(str(err)) from None


class PeriodQuerySet(models.QuerySet):
    def visible_to(self, user) -> PeriodQuerySet:
        from cchc.plans.models import Plan

        return self.filter(plan__in=Plan.objects.visible_to(user))

    def due_between(self, start: dt.date, end: dt.date) -> PeriodQuerySet:
        return self.filter(due_on__gte=start, due_on__lte=end)


class Period(models.Model):
    """One reporting period of one plan (``2024-Q1``), with the dates its calendar gives it."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("mã kỳ"), max_length=12)
    kind = models.CharField(_("loại kỳ"), max_length=4)
    start = models.DateField(_("số liệu từ ngày"))
    end = models.DateField(_("số liệu đến ngày"))
    nominal_due_on = models.DateField(_("hạn theo lịch"))
    due_on = models.DateField(_("hạn gửi báo cáo"))
    nominal_province_due_on = models.DateField(_("hạn báo cáo của tỉnh theo lịch"))
    province_due_on = models.DateField(_("hạn báo cáo của tỉnh"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["plan", "end", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="reports_period_code_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="reports_period_range"),
        ]
        indexes = [
            # Reminders: periods whose due date is near or past.
            models.Index(fields=["due_on"], name="reports_period_due"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def year(self) -> int:
        return int(self.code[:4])

    @property
    def label(self) -> str:
        return lib_periods.period_label(self.year, self.kind)

    @property
    def due(self) -> lib_periods.DueDate:
        return lib_periods.DueDate(self.nominal_due_on, self.due_on)

    @property
    def province_due(self) -> lib_periods.DueDate:
        return lib_periods.DueDate(self.nominal_province_due_on, self.province_due_on)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Bị trả lại")
    REVISED = "revised", _("Đã sửa, chờ gửi lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


# A report in these states freezes the results it counts.
LOCKED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
# The agency may still write in these states.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.REVISED)

NARRATIVE_FIELDS = ("results_text", "shortcomings_text", "proposals_text")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReportQuerySet:
        """Province-wide roles see every report; an agency's officer and head see their own; nobody else."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.is_agency_staff and user.unit_id:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def locked(self) -> ReportQuerySet:
        return self.filter(status__in=LOCKED_STATUSES)

    def covering(self, day: dt.date) -> ReportQuerySet:
        return self.filter(period__start__lte=day, period__end__gte=day)


class Report(Versioned):
    """One agency's report for one period: figures drafted from its results, and its own words.

    While the agency writes (draft, returned, revised) the figures are computed from the results as
    they stand; each submission freezes them with the narratives in an immutable ``ReportVersion``.
    """

    period = models.ForeignKey(Period, verbose_name=_("kỳ báo cáo"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    results_text = models.TextField(_("kết quả đạt được"), blank=True)
    shortcomings_text = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    proposals_text = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    doc_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    signer_authority = models.CharField(
        _("thẩm quyền ký"), max_length=100, blank=True, help_text=_("Ví dụ: KT. GIÁM ĐỐC; TM. ỦY BAN NHÂN DÂN")
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    first_submitted_on = models.DateField(_("ngày gửi lần đầu"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    current_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["period_id", "unit_id"]  # no join: lists order by unit name themselves
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="reports_report_once_per_period"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_on__isnull=False),
                name="reports_report_submitted_has_date",
            ),
        ]
        indexes = [
            # is_result_locked: one unit's submitted reports.
            models.Index(fields=["unit", "status"], name="reports_report_unit_status"),
            # Period lists, completeness and consolidation: every report of a period by status.
            models.Index(fields=["period", "status"], name="reports_report_period_status"),
        ]

    def is_visible_to(self, user) -> bool:
        """What ``Report.objects.visible_to(user)`` says of this report, without a query (a report from the cache)."""
        if not user.is_authenticated:
            return False
        if user.sees_everything:
            return True
        return bool(user.is_agency_staff and user.unit_id and self.unit_id == user.unit_id)

    def __str__(self) -> str:
        return f"{self.unit} — {self.period.label}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def narratives(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in NARRATIVE_FIELDS}


class ReportOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Tiếp nhận")
    RETURNED = "returned", _("Trả lại")


class ReportVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002 - versions are immutable
        raise PermissionError("submitted versions are immutable")

    def delete(self):
        raise PermissionError("submitted versions are never deleted")


class ReportVersion(models.Model):
    """What an agency submitted, frozen: the figures and narratives of one submission.

    Never changed or deleted; only the review outcome is written, once, when the coordinator decides.
    """

    REVIEW_FIELDS = frozenset({"outcome", "outcome_reason", "reviewed_at", "reviewed_by"})

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("lần gửi"))
    figures = models.JSONField(_("số liệu"))
    # The individual results counted, kept apart so that consolidation reads only the figures.
    items = models.JSONField(_("danh sách kết quả"), default=list)
    narratives = models.JSONField(_("nội dung"))
    signer = models.JSONField(_("người ký"), default=dict)
    submitted_at = models.DateTimeField(_("gửi lúc"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by_label = models.CharField(max_length=150, blank=True)
    outcome = models.CharField(_("kết quả xem xét"), max_length=10, choices=ReportOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("lý do"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — lần {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.REVIEW_FIELDS:
                raise PermissionError("a submitted version is immutable")
            stored = type(self).objects.filter(pk=self.pk).values_list("outcome", flat=True).first()
            if stored:
                raise PermissionError("the review outcome of a version is written once")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("a submitted version is never deleted")


class ProvinceReportStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class TextSource(models.TextChoices):
    """Where a narrative that cchc pre-fills from figures came from."""

    GENERATED = "generated", _("Soạn tự động từ số liệu")
    EDITED = "edited", _("Đã được sửa")


class ProvinceReport(Versioned):
    """The province's consolidated report for a period, drafted from the accepted agency reports."""

    period = models.OneToOneField(Period, on_delete=models.PROTECT, related_name="province_report")
    # The body that issues it: the coordinator's agency (Sở Nội vụ).
    issuer = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ProvinceReportStatus.choices, default=ProvinceReportStatus.DRAFT
    )
    general_text = models.TextField(_("đánh giá chung"), blank=True)
    # "Đánh giá chung" is pre-filled from the figures. While nobody has edited it, it follows them (the text
    # shown, exported and issued is regenerated from the figures of the moment). Once a person has edited it,
    # ``general_text_basis`` keeps the generated text they saw: when the figures no longer give that text,
    # the page warns and issuing is refused until the text is brought up to date.
    general_text_source = models.CharField(
        _("nguồn đoạn đánh giá chung"), max_length=10, choices=TextSource.choices, default=TextSource.GENERATED
    )
    general_text_basis = models.TextField(_("số liệu mà đoạn đánh giá chung dựa vào"), blank=True)
    shortcomings_text = models.TextField(_("tồn tại, hạn chế và nguyên nhân"), blank=True)
    proposals_text = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    doc_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận"))
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=150, blank=True)
    # Frozen at issue: the consolidation as it stood (empty while a draft).
    figures = models.JSONField(_("số liệu khi ban hành"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tổng hợp của tỉnh")
        verbose_name_plural = _("báo cáo tổng hợp của tỉnh")

    def __str__(self) -> str:
        return f"Báo cáo tổng hợp — {self.period.label}"

    @property
    def is_issued(self) -> bool:
        return self.status == ProvinceReportStatus.ISSUED


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notice to one user (the bell in the header)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: a user's unread count.
            models.Index(fields=["user", "read_at"], name="reports_notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message[:80]


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class ReminderDispatch(models.Model):
    """The claim that one reminder stage of one report has been (or is being) sent.

    The row is inserted before anything is sent; the unique constraint makes a second sender —
    the same command run twice, or on another machine at the same moment — find it and skip.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    claimed_at = models.DateTimeField(auto_now_add=True)
    # Which run inserted the row (host, process, random token): the run sends only what it claimed.
    claimed_by = models.CharField(max_length=100, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lượt nhắc hạn")
        verbose_name_plural = _("lượt nhắc hạn")
        constraints = [
            models.UniqueConstraint(fields=["report", "stage"], name="reports_reminder_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.get_stage_display()}"


class AgencyReminder(models.Model):
    """A reminder sent by hand to one agency about one matter: by an activity's lead to an agency behind on it
    (``about`` = "activity:<pk>"), or by the coordinator to an agency with no plan of its own under a province
    plan ("subplan:<pk>"). At most one a day per agency and matter: the unique constraint refuses a second."""

    about = models.CharField(_("về việc"), max_length=40)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("ngày nhắc"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("lượt nhắc đơn vị")
        verbose_name_plural = _("lượt nhắc đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["about", "unit", "sent_on"], name="reports_agency_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.about} — {self.unit_id} — {self.sent_on:%d/%m/%Y}"
