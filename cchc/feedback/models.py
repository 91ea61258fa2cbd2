"""Citizens' feedback and petitions on administrative regulations (PAKN), the desk's work on them, the
reminders it sends and the satisfaction ratings citizens give.

The sender's personal data (name, organisation, address, phone, e-mail) and the original text stay inside the
desk: public pages and the API show only ``public_subject``/``public_content`` (set, and cleaned of personal
data, by the desk when it publishes), the answer, the agency and dates.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.accounts.models import Role
from cchc.lib import workdays
from cchc.lib.versioning import Versioned

# Unambiguous characters only (no 0/O, 1/I/L), so a code read out on the phone is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIX = "PAKN"
CODE_RE = re.compile(rf"^{CODE_PREFIX}-[{CODE_ALPHABET}]{{5}}-[{CODE_ALPHABET}]{{5}}$")
CODE_PATTERN = CODE_RE.pattern
PUBLIC_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PUBLIC_ID_PATTERN = rf"^[{PUBLIC_ID_ALPHABET}]{{10}}$"

# Shared by the forms, the API and the OpenAPI document, so what the document promises is what is accepted.
PHONE_PATTERN = r"^\+?[0-9][0-9 .\-]{6,18}[0-9]$"
PROCEDURE_CODE_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,39}$"
MAX_CONTENT_CHARS = 10_000


def new_code() -> str:
    """``PAKN-7K3MQ-9XD2H``: about 50 random bits, so codes cannot be guessed one after another."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{CODE_PREFIX}-{chars[:5]}-{chars[5:]}"


def new_public_id() -> str:
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(10))


def normalize_code(text: str | None) -> str:
    """What a citizen types (``pakn 7k3mq 9xd2h``, ``7K3MQ9XD2H``) → ``PAKN-7K3MQ-9XD2H``, or ``""``."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if cleaned.startswith(CODE_PREFIX):
        cleaned = cleaned[len(CODE_PREFIX) :]
    if len(cleaned) != 10:
        return ""
    code = f"{CODE_PREFIX}-{cleaned[:5]}-{cleaned[5:]}"
    return code if CODE_RE.match(code) else ""


class FeedbackKind(models.TextChoices):
    # Nghị định 20/2008/NĐ-CP distinguishes the two: a "phản ánh" reports how a regulation is carried out
    # (or that it is wrong, inconsistent, impractical); a "kiến nghị" proposes a change.
    FEEDBACK = "phan_anh", _("Phản ánh")
    PETITION = "kien_nghi", _("Kiến nghị")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin (biểu mẫu)")
    API = "api", _("Ứng dụng (API)")
    OPEN311 = "open311", _("Ứng dụng (Open311)")
    POST = "post", _("Văn bản, bưu chính")
    IN_PERSON = "in_person", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    EMAIL = "email", _("Thư điện tử")


PUBLIC_CHANNELS = {Channel.WEB, Channel.API, Channel.OPEN311}
STAFF_CHANNELS = [Channel.POST, Channel.IN_PERSON, Channel.PHONE, Channel.EMAIL]


class SenderKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Status(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận, chờ phân loại")
    ACCEPTED = "accepted", _("Đã tiếp nhận, chờ chuyển xử lý")
    NOT_ACCEPTED = "not_accepted", _("Không tiếp nhận")
    ASSIGNED = "assigned", _("Đang được cơ quan có thẩm quyền xử lý")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền ngoài tỉnh")
    ANSWERED = "answered", _("Đã có kết quả xử lý, chờ công khai")
    PUBLISHED = "published", _("Đã công khai kết quả xử lý")


OPEN_STATUSES = [Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.ANSWERED]
CLOSED_STATUSES = [Status.NOT_ACCEPTED, Status.FORWARDED, Status.PUBLISHED]
# Statuses in which an agency holds the item (and so its officers see it).
AGENCY_STATUSES = [Status.ASSIGNED, Status.ANSWERED, Status.PUBLISHED]


class Stage(models.TextChoices):
    """A step with a deadline in working days (see ``deadline_days``)."""

    CLASSIFY = "classify", _("Phân loại, chuyển xử lý")
    ANSWER = "answer", _("Xử lý, trả lời")
    PUBLISH = "publish", _("Công khai kết quả")


STAGE_OF_STATUS = {
    Status.RECEIVED: Stage.CLASSIFY,
    Status.ACCEPTED: Stage.CLASSIFY,
    Status.ASSIGNED: Stage.ANSWER,
    Status.ANSWERED: Stage.PUBLISH,
}


def deadline_days(stage: str) -> int:
    """Working days allowed for ``stage`` (settings ``FEEDBACK_DEADLINE_DAYS``; see the README)."""
    return int(settings.FEEDBACK_DEADLINE_DAYS[str(stage)])


def due_after(start: dt.date, stage: str) -> dt.date:
    return workdays.add_working_days(start, deadline_days(stage))


class Urgency(models.TextChoices):
    ON_TIME = "", _("Trong hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


def urgency_of(due_on: dt.date | None, today: dt.date) -> str:
    if due_on is None:
        return Urgency.ON_TIME
    if today > due_on:
        return Urgency.OVERDUE
    if workdays.working_days_between(today, due_on) <= settings.FEEDBACK_DEADLINE_WARN_DAYS:
        return Urgency.DUE_SOON
    return Urgency.ON_TIME


def due_soon_limit(today: dt.date) -> dt.date:
    """The last due date that counts as "due soon" today."""
    return workdays.add_working_days(today, settings.FEEDBACK_DEADLINE_WARN_DAYS)


class FeedbackQuerySet(models.QuerySet):
    def visible_to(self, user) -> FeedbackQuerySet:
        """The desk and province-wide roles see every item; an agency only the items assigned to it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.role in {Role.DESK, Role.COORDINATOR, Role.OBSERVER, Role.ADMIN}:
            return self
        if user.is_agency_staff and user.unit_id:
            return self.filter(assigned_unit_id=user.unit_id, status__in=AGENCY_STATUSES)
        return self.none()

    def published(self) -> FeedbackQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def open(self) -> FeedbackQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date) -> FeedbackQuerySet:
        return self.open().filter(due_on__lt=today)

    def due_soon(self, today: dt.date) -> FeedbackQuerySet:
        return self.open().filter(due_on__gte=today, due_on__lte=due_soon_limit(today))


class Feedback(Versioned):
    """One feedback or petition (PAKN), from its receipt to its published answer."""

    code = models.CharField(_("mã tra cứu"), max_length=20, unique=True, editable=False)
    public_id = models.CharField(_("mã công khai"), max_length=12, unique=True, editable=False)
    # The form's (or API client's) one-time token: a second POST of the same submission finds this row.
    submission_token = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    kind = models.CharField(_("loại"), max_length=12, choices=FeedbackKind.choices, default=FeedbackKind.FEEDBACK)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("trạng thái"), max_length=15, choices=Status.choices, default=Status.RECEIVED)

    sender_kind = models.CharField(
        _("người gửi là"), max_length=15, choices=SenderKind.choices, default=SenderKind.INDIVIDUAL
    )
    sender_name = models.CharField(_("họ và tên"), max_length=150)
    organisation = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(PHONE_PATTERN, _("Số điện thoại không hợp lệ."))],
    )
    email = models.EmailField(_("thư điện tử"), blank=True)

    subject = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"), validators=[MaxLengthValidator(MAX_CONTENT_CHARS)])
    # The catalogue code of the procedure concerned ("1.001234"); becomes a foreign key to procedures later.
    procedure_code = models.CharField(
        _("mã thủ tục hành chính"),
        max_length=40,
        null=True,
        blank=True,
        db_index=True,
        validators=[RegexValidator(PROCEDURE_CODE_PATTERN, _("Mã thủ tục không hợp lệ."))],
    )
    regulation = models.CharField(_("quy định hành chính liên quan"), max_length=500, blank=True)

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The deadline of the step the item is in (null once it is closed).
    due_on = models.DateField(_("hạn của bước hiện tại"), null=True, blank=True)

    accepted_at = models.DateTimeField(_("thời điểm tiếp nhận xử lý"), null=True, blank=True)
    decision_reason = models.TextField(_("lý do"), blank=True)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    assigned_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_feedback",
    )
    assigned_at = models.DateTimeField(_("thời điểm chuyển xử lý"), null=True, blank=True)

    answer = models.TextField(_("kết quả xử lý, trả lời"), blank=True)
    answer_reference = models.CharField(_("số, ký hiệu văn bản trả lời"), max_length=100, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)

    public_subject = models.CharField(_("tiêu đề công khai"), max_length=200, blank=True)
    public_content = models.TextField(_("nội dung công khai"), blank=True)
    # What the public sees of the answer and the references, cleaned of personal data by the desk (redact.py).
    public_answer = models.TextField(_("kết quả xử lý công khai"), blank=True)
    public_answer_reference = models.CharField(_("số, ký hiệu văn bản trả lời công khai"), max_length=100, blank=True)
    public_regulation = models.CharField(_("quy định hành chính liên quan công khai"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)

    # Accent-insensitive search keys (cchc.lib.text.fold): the public one holds only published, public text.
    public_search = models.TextField(editable=False, blank=True)
    desk_search = models.TextField(editable=False, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="feedback_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=AGENCY_STATUSES) | Q(assigned_unit__isnull=False),
                name="feedback_assigned_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.NOT_ACCEPTED) | ~Q(decision_reason=""),
                name="feedback_not_accepted_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.FORWARDED) | ~Q(forwarded_to=""), name="feedback_forwarded_has_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.PUBLISHED) | (~Q(answer="") & ~Q(public_subject="")),
                name="feedback_published_has_answer",
            ),
        ]
        indexes = [
            # The desk's work list and the reminders: open items by status, nearest deadline first.
            models.Index(fields=["status", "due_on"], name="feedback_status_due"),
            # An agency's list: items assigned to it.
            models.Index(fields=["assigned_unit", "status"], name="feedback_unit_status"),
            # The public list: published items, newest first.
            models.Index(fields=["status", "published_at"], name="feedback_published"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.subject[:80]}"

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = new_code()
        if not self.public_id:
            self.public_id = new_public_id()
        self.refresh_search_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "public_search", "desk_search", "updated_at"}
        super().save(*args, **kwargs)

    def refresh_search_keys(self) -> None:
        from cchc.lib.text import fold

        self.desk_search = fold(
            " ".join(
                [
                    self.code,
                    self.subject,
                    self.content,
                    self.sender_name,
                    self.organisation,
                    self.regulation,
                    self.procedure_code or "",
                ]
            )
        )
        if self.status == Status.PUBLISHED:
            agency = self.assigned_unit.name if self.assigned_unit_id else ""
            self.public_search = fold(
                " ".join(
                    [
                        self.public_subject,
                        self.public_content,
                        self.public_answer,
                        self.public_regulation,
                        self.procedure_code or "",
                        agency,
                    ]
                )
            )
        else:
            self.public_search = ""

    @property
    def stage(self) -> str | None:
        return STAGE_OF_STATUS.get(self.status)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def urgency(self, today: dt.date | None = None) -> str:
        if not self.is_open:
            return Urgency.ON_TIME
        return urgency_of(self.due_on, today or timezone.localdate())

    @property
    def received_on(self) -> dt.date:
        return timezone.localdate(self.received_at)


def attachment_path(instance: FeedbackAttachment, filename: str) -> str:
    # Random name from cchc.lib.uploads; the user's file name is kept only for display.
    return f"feedback/{timezone.now():%Y/%m}/{filename}"


class FeedbackAttachment(models.Model):
    """A file sent with the feedback (or scanned by the desk). Served only to staff who see the item."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.original_name


class FeedbackNote(models.Model):
    """An internal note of the desk or the agency; never shown to the public."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("ghi chú"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        ordering = ["feedback", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class FeedbackReminder(models.Model):
    """A reminder sent about one step of one item to one set of recipients: the unique constraint makes it once.

    ``scope`` is ``desk`` or ``unit:<id>``: reassigning an item to another agency is a new step instance with
    its own reminders, and so is a new deadline (``due_on``).
    """

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    scope = models.CharField(max_length=40)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc hạn")
        verbose_name_plural = _("nhắc hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "stage", "kind", "due_on", "scope"], name="feedback_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback.code} {self.stage} {self.kind}"


class RatingSource(models.TextChoices):
    FEEDBACK = "feedback", _("Sau khi nhận trả lời phản ánh, kiến nghị")
    ONE_STOP = "one_stop", _("Sau khi giải quyết thủ tục tại Bộ phận Một cửa")


SCORE = [MinValueValidator(1), MaxValueValidator(5)]
# The SIPAS criteria (Chỉ số hài lòng về sự phục vụ hành chính) and their labels, in the order of the form.
CRITERIA = [
    ("access", _("Tiếp cận dịch vụ")),
    ("procedure", _("Thủ tục hành chính")),
    ("officials", _("Công chức trực tiếp giải quyết công việc")),
    ("result", _("Kết quả giải quyết công việc")),
    ("feedback_handling", _("Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")),
]


class SatisfactionRatingQuerySet(models.QuerySet):
    def between(self, start: dt.date, end: dt.date) -> SatisfactionRatingQuerySet:
        return self.filter(rated_on__gte=start, rated_on__lte=end)


class SatisfactionRating(models.Model):
    """One citizen's rating of one agency's service on the SIPAS criteria (1 = very poor … 5 = very good).

    A criterion the citizen did not rate (it did not apply) is null and left out of the averages.
    """

    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("cơ quan được đánh giá"),
        on_delete=models.PROTECT,
        related_name="satisfaction_ratings",
    )
    rated_on = models.DateField(_("ngày đánh giá"), default=timezone.localdate)
    source = models.CharField(_("nguồn"), max_length=10, choices=RatingSource.choices)
    feedback = models.OneToOneField(Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="rating")
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=60, blank=True)
    procedure_code = models.CharField(
        _("mã thủ tục hành chính"),
        max_length=40,
        null=True,
        blank=True,
        validators=[RegexValidator(PROCEDURE_CODE_PATTERN)],
    )
    access = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    procedure = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    officials = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    result = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    feedback_handling = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE)
    overall = models.PositiveSmallIntegerField(_("đánh giá chung"), validators=SCORE)
    comment = models.TextField(_("góp ý thêm"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SatisfactionRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá mức độ hài lòng")
        verbose_name_plural = _("đánh giá mức độ hài lòng")
        ordering = ["-rated_on", "-id"]
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"feedback_rating_{name}_range",
                )
                for name, _label in CRITERIA
            ],
            models.CheckConstraint(condition=Q(overall__gte=1, overall__lte=5), name="feedback_rating_overall_range"),
            # One rating per dossier at a desk (the QR code on the receipt carries the dossier number).
            models.UniqueConstraint(
                fields=["unit", "dossier_code"],
                condition=~Q(dossier_code=""),
                name="feedback_rating_once_per_dossier",
                violation_error_message=_("Hồ sơ này đã được đánh giá. Cảm ơn bạn!"),
            ),
        ]
        indexes = [
            # Dashboards: averages per agency over a period.
            models.Index(fields=["unit", "rated_on"], name="feedback_rating_unit_date"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.rated_on:%d/%m/%Y} {self.overall}/5"


class ApiClient(models.Model):
    """A known application (a district's one-stop software, a mobile app) given an Open311 ``api_key`` by an
    administrator. Its submissions count in its own bucket with its own, higher limit instead of its address's.
    Only the key's SHA-256 is stored: the key is shown once, when issued."""

    name = models.CharField(_("ứng dụng"), max_length=200)
    key_hash = models.CharField(max_length=64, unique=True)
    rate_count = models.PositiveIntegerField(_("số lần gửi tối đa"), default=600)
    rate_seconds = models.PositiveIntegerField(_("trong khoảng (giây)"), default=3600)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ứng dụng dùng API")
        verbose_name_plural = _("ứng dụng dùng API")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=models.Q(rate_seconds__gt=0), name="api_client_period")]

    def __str__(self) -> str:
        return self.name

    @property
    def rate(self) -> tuple[int, int]:
        return self.rate_count, self.rate_seconds
