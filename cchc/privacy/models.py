"""Personal data protection: the data-subject request register, the incident register and consent records.

Deadlines follow the Personal Data Protection Law 91/2025/QH15 and Nghị định 356/2025/NĐ-CP; the numbers
are settings (``PRIVACY_DSR_*``, ``PRIVACY_INCIDENT_*``) so the province's legal officer can align them with
the text in force without a code change (docs/security.md lists them).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.versioning import Versioned
from cchc.lib.workdays import add_working_days


class LegalBasis(models.TextChoices):
    """Why personal data may be processed (Luật 91/2025/QH15: consent, or a case where none is needed)."""

    CONSENT = "consent", _("Sự đồng ý của chủ thể dữ liệu")
    PUBLIC_TASK = "public_task", _("Thực hiện nhiệm vụ, quyền hạn của cơ quan nhà nước theo quy định của pháp luật")
    LEGAL_OBLIGATION = "legal_obligation", _("Thực hiện nghĩa vụ theo quy định của pháp luật")
    CONTRACT = "contract", _("Thực hiện hợp đồng với chủ thể dữ liệu")
    VITAL_INTEREST = "vital_interest", _("Bảo vệ tính mạng, sức khỏe của chủ thể dữ liệu hoặc người khác")


class Clock(models.TextChoices):
    """Where a statutory clock stands."""

    RUNNING = "running", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    MET = "met", _("Đã thực hiện đúng hạn")
    MET_LATE = "met_late", _("Đã thực hiện, trễ hạn")
    NOT_APPLICABLE = "n/a", _("Không áp dụng")


def clock_state(due, done, now, soon) -> Clock:
    """``due``/``done``/``now`` are all dates or all datetimes; ``soon`` is how close counts as "due soon"."""
    if due is None:
        return Clock.NOT_APPLICABLE
    if done is not None:
        return Clock.MET if done <= due else Clock.MET_LATE
    if now > due:
        return Clock.OVERDUE
    if due - now <= soon:
        return Clock.DUE_SOON
    return Clock.RUNNING


# --- Data-subject requests ------------------------------------------------------------------------


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Xem, được cung cấp dữ liệu cá nhân")
    CORRECTION = "correction", _("Chỉnh sửa dữ liệu cá nhân")
    DELETION = "deletion", _("Xóa dữ liệu cá nhân")
    RESTRICTION = "restriction", _("Hạn chế xử lý")
    OBJECTION = "objection", _("Phản đối xử lý")
    WITHDRAW_CONSENT = "withdraw_consent", _("Rút lại sự đồng ý")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã phản hồi, đang xử lý")
    COMPLETED = "completed", _("Đã thực hiện")
    REFUSED = "refused", _("Từ chối (có lý do)")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Điện thoại")
    PORTAL = "portal", _("Cổng thông tin")


def request_deadlines(kind: str, received_on: dt.date) -> tuple[dt.date, dt.date]:
    """(acknowledge by, carry out by), in working days from the day of receipt (cchc.lib.workdays)."""
    ack = add_working_days(received_on, settings.PRIVACY_DSR_ACK_WORKING_DAYS)
    due = add_working_days(received_on, settings.PRIVACY_DSR_WORKING_DAYS[kind])
    return ack, due


class DataSubjectRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> DataSubjectRequestQuerySet:
        from cchc.privacy.permissions import can_handle_requests

        return self if user.is_authenticated and can_handle_requests(user) else self.none()

    def open(self) -> DataSubjectRequestQuerySet:
        return self.filter(status__in=[RequestStatus.RECEIVED, RequestStatus.ACKNOWLEDGED])

    def overdue(self, today: dt.date) -> DataSubjectRequestQuerySet:
        return self.open().filter(due_on__lt=today)


class DataSubjectRequest(Versioned):
    """A person asked to see, correct or delete their data (or to restrict, object, withdraw consent)."""

    code = models.CharField(_("số yêu cầu"), max_length=20, unique=True)
    kind = models.CharField(_("loại yêu cầu"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    requester_name = models.CharField(_("người yêu cầu"), max_length=200)
    requester_contact = models.CharField(_("liên hệ (điện thoại, thư điện tử, địa chỉ)"), max_length=300)
    channel = models.CharField(
        _("hình thức tiếp nhận"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON
    )
    subject = models.TextField(_("nội dung yêu cầu"), help_text=_("Dữ liệu nào, ở đâu (ví dụ: phản ánh số ...)."))
    received_on = models.DateField(_("ngày nhận"))
    acknowledge_due = models.DateField(_("hạn phản hồi"), editable=False)
    due_on = models.DateField(_("hạn thực hiện"), editable=False)
    acknowledged_on = models.DateField(_("ngày phản hồi"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    outcome = models.TextField(_("kết quả, lý do"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DataSubjectRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("yêu cầu của chủ thể dữ liệu")
        verbose_name_plural = _("yêu cầu của chủ thể dữ liệu")
        ordering = ["-received_on", "-id"]
        indexes = [
            # The register's "open, by deadline" view and the overdue count.
            models.Index(fields=["status", "due_on"], name="privacy_dsr_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(status__in=["completed", "refused"]),
                name="privacy_dsr_completed_has_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.get_kind_display()}"

    def audit_repr(self) -> str:
        # Never the requester's name or contact in the audit log.
        return str(self)

    def acknowledge_clock(self, today: dt.date) -> Clock:
        done = self.acknowledged_on or self.completed_on
        return clock_state(self.acknowledge_due, done, today, dt.timedelta(days=1))

    def clock(self, today: dt.date) -> Clock:
        return clock_state(self.due_on, self.completed_on, today, dt.timedelta(days=1))


# --- Incidents ------------------------------------------------------------------------------------


class Severity(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    CRITICAL = "critical", _("Nghiêm trọng")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    CONTAINED = "contained", _("Đã ngăn chặn")
    CLOSED = "closed", _("Đã kết thúc")


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        from cchc.privacy.permissions import can_read_incidents

        return self if user.is_authenticated and can_read_incidents(user) else self.none()

    def open(self) -> IncidentQuerySet:
        return self.exclude(status=IncidentStatus.CLOSED)


class Incident(Versioned):
    """A security incident or personal-data breach, with its notification clocks.

    Two clocks start when the incident is detected: the initial report to the body in charge of the
    system's security (``PRIVACY_INCIDENT_INITIAL_HOURS``, 24 h) and, when personal data is involved,
    the notification to the personal-data protection authority (``PRIVACY_INCIDENT_AUTHORITY_HOURS``,
    72 h). A late notification must say why (``late_reason``).
    """

    code = models.CharField(_("số sự cố"), max_length=20, unique=True)
    title = models.CharField(_("tóm tắt"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    detected_at = models.DateTimeField(_("thời điểm phát hiện"))
    occurred_at = models.DateTimeField(_("thời điểm xảy ra (nếu biết)"), null=True, blank=True)
    severity = models.CharField(_("mức độ"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN
    )
    personal_data_involved = models.BooleanField(_("có liên quan dữ liệu cá nhân"), default=False)
    data_categories = models.CharField(_("loại dữ liệu bị ảnh hưởng"), max_length=300, blank=True)
    subjects_affected = models.PositiveIntegerField(_("số người bị ảnh hưởng (ước tính)"), null=True, blank=True)
    initial_report_due = models.DateTimeField(_("hạn báo cáo ban đầu"), editable=False)
    authority_notice_due = models.DateTimeField(_("hạn thông báo cơ quan chuyên trách"), null=True, editable=False)
    initial_reported_at = models.DateTimeField(_("đã báo cáo ban đầu lúc"), null=True, blank=True)
    authority_notified_at = models.DateTimeField(_("đã thông báo cơ quan chuyên trách lúc"), null=True, blank=True)
    subjects_notified_at = models.DateTimeField(_("đã thông báo người bị ảnh hưởng lúc"), null=True, blank=True)
    contained_at = models.DateTimeField(_("đã ngăn chặn lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    actions_taken = models.TextField(_("biện pháp đã thực hiện"), blank=True)
    late_reason = models.TextField(_("lý do thông báo trễ"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người báo")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự cố")
        verbose_name_plural = _("sự cố")
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["status", "detected_at"], name="privacy_incident_open")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def set_clocks(self) -> None:
        self.initial_report_due = self.detected_at + dt.timedelta(hours=settings.PRIVACY_INCIDENT_INITIAL_HOURS)
        self.authority_notice_due = (
            self.detected_at + dt.timedelta(hours=settings.PRIVACY_INCIDENT_AUTHORITY_HOURS)
            if self.personal_data_involved
            else None
        )

    def initial_clock(self, now: dt.datetime | None = None) -> Clock:
        return clock_state(
            self.initial_report_due, self.initial_reported_at, now or timezone.now(), dt.timedelta(hours=6)
        )

    def authority_clock(self, now: dt.datetime | None = None) -> Clock:
        return clock_state(
            self.authority_notice_due, self.authority_notified_at, now or timezone.now(), dt.timedelta(hours=12)
        )


# --- Consent --------------------------------------------------------------------------------------


class ConsentRecord(models.Model):
    """A person's consent, as given on a form: what they were told, when, for which record.

    ``subject_type``/``subject_id`` point to the record holding their data (a feedback, a rating), so
    that anonymising or deleting it can find and withdraw the consent too.
    """

    purpose = models.CharField(_("mục đích"), max_length=80)  # a stable code: "feedback.contact"
    statement = models.TextField(_("nội dung được đồng ý"))  # the exact text shown, as shown
    notice_version = models.CharField(_("phiên bản thông báo"), max_length=20)
    subject_type = models.CharField(_("loại hồ sơ"), max_length=60)
    subject_id = models.CharField(_("mã hồ sơ"), max_length=64)
    given_at = models.DateTimeField(_("thời điểm đồng ý"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("thời điểm rút lại"), null=True, blank=True)

    class Meta:
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")
        ordering = ["-given_at", "-id"]
        indexes = [
            # "Consents given for this record" (withdrawal, anonymisation, a data-subject request).
            models.Index(fields=["subject_type", "subject_id"], name="privacy_consent_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.subject_type}#{self.subject_id}"
