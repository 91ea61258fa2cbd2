"""Plans, their content topics, their activities and the obligations activities create."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.versioning import Versioned


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")


class AgencyRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    IMPLEMENT = "implement", _("Thực hiện")
    COORDINATE = "coordinate", _("Phối hợp")


# When a unit is named twice in one activity, the stronger role wins.
ROLE_STRENGTH = {AgencyRole.LEAD: 3, AgencyRole.IMPLEMENT: 2, AgencyRole.COORDINATE: 1}


class Recurrence(models.TextChoices):
    WEEK = "week", _("tuần")
    MONTH = "month", _("tháng")
    QUARTER = "quarter", _("quý")
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("năm")


class CountingRule(models.TextChoices):
    """Whose results count toward an activity's target."""

    LEAD = "lead", _("Chỉ đơn vị chủ trì")
    LEAD_COORDINATE = "lead_coordinate", _("Đơn vị chủ trì và đơn vị phối hợp")
    ALL = "all", _("Mọi đơn vị được giao")


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanQuerySet:
        """Staff see active and closed plans; drafts only those who edit plans."""
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        return self.exclude(status=PlanStatus.DRAFT)


class Plan(Versioned):
    """A dated, numbered plan document and its structure (format cchc.plan/1).

    Its life: draft (edited freely) → active (after the activation check; obligations and deliverables
    exist, agencies are told) → amended as numbered ``PlanVersion``s → closed (read-only) → copied into
    the next year's draft (``copied_from``).
    """

    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_plans",
    )
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=50, blank=True)
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("trích yếu"), max_length=500)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    legal_bases = models.JSONField(_("căn cứ"), default=list, blank=True)
    objectives = models.JSONField(_("mục đích"), default=list, blank=True)
    requirements = models.JSONField(_("yêu cầu"), default=list, blank=True)
    audience = models.TextField(_("đối tượng"), blank=True)
    duties = models.JSONField(_("tổ chức thực hiện"), default=list, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    source = models.JSONField(_("dữ liệu gốc"), default=dict, blank=True, help_text=_("Tài liệu cchc.plan/1"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_plans",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao từ kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    activated_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # Warnings of the activation check the coordinator accepted on purpose (their codes), so the
    # check does not ask again.
    accepted_warnings = models.JSONField(_("cảnh báo đã chấp nhận"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "title"]

    def is_visible_to(self, user) -> bool:
        """What ``Plan.objects.visible_to(user)`` says of this plan, without a query (for a plan from the cache)."""
        if not user.is_authenticated:
            return False
        return user.sees_everything or self.status != PlanStatus.DRAFT

    def __str__(self) -> str:
        return f"Kế hoạch {self.reference} — {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.number or '…'}/{self.symbol}" if self.symbol else (self.number or "")

    @property
    def province(self) -> str:
        """The province whose registry the plan's agency names resolve in."""
        from cchc.orgs.structure import province_slug

        if self.issuer_unit_id and self.issuer_unit.province:
            return self.issuer_unit.province
        return province_slug(settings.CCHC_PROVINCE)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


# The plan's header: what the editor's first section changes.
PLAN_HEADER_FIELDS = (
    "title",
    "year",
    "issuer",
    "number",
    "symbol",
    "place",
    "issued_on",
    "signer_name",
    "signer_title",
    "audience",
)


class Topic(models.Model):
    """A content topic of the plan (section II, "Nội dung tuyên truyền")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="topics")
    number = models.CharField(_("số"), max_length=10)
    text = models.TextField(_("nội dung"))
    items = models.JSONField(_("các ý"), default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nội dung tuyên truyền")
        verbose_name_plural = _("nội dung tuyên truyền")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class ActivityQuerySet(models.QuerySet):
    def current(self) -> ActivityQuerySet:
        """The activities the plan has now (not those withdrawn by an amendment)."""
        return self.filter(removed_in__isnull=True)


class Activity(models.Model):
    """A form of activity (section III) or a row of a task table."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    number = models.CharField(_("số"), max_length=10)
    title = models.TextField(_("tên hoạt động"))
    content = models.JSONField(_("nội dung"), default=list, blank=True)
    period_start = models.DateField(_("bắt đầu"), null=True, blank=True)
    period_end = models.DateField(_("kết thúc"), null=True, blank=True)
    recurrence_every = models.CharField(_("lặp lại mỗi"), max_length=10, choices=Recurrence.choices, blank=True)
    recurrence_count = models.PositiveIntegerField(_("số lượng mỗi kỳ"), null=True, blank=True)
    recurrence_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    funding = models.TextField(_("kinh phí"), blank=True)
    agencies_text = models.TextField(_("cơ quan thực hiện (nguyên văn)"), blank=True)
    schedule_text = models.TextField(_("thời gian thực hiện (nguyên văn)"), blank=True)
    funding_amount = models.DecimalField(_("kinh phí (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True)
    counting = models.CharField(
        _("kết quả được tính"),
        max_length=20,
        choices=CountingRule.choices,
        default=CountingRule.LEAD_COORDINATE,
        help_text=_("Kết quả của những đơn vị nào được tính vào chỉ tiêu của hoạt động"),
    )
    order = models.PositiveIntegerField(default=0)
    # An activity taken out of an active plan after results were recorded under it stays (with those
    # results, its obligations no longer required) and is shown as withdrawn from this version on.
    removed_in = models.PositiveIntegerField(_("bỏ từ phiên bản"), null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động")
        verbose_name_plural = _("hoạt động")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_activity_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:100]}"

    @property
    def target_text(self) -> str:
        if not self.recurrence_every:
            return ""
        unit = self.recurrence_unit or _("lần")
        return f"{self.recurrence_count or 1:02d} {unit}/{Recurrence(self.recurrence_every).label}"


class ActivityAgency(models.Model):
    """An agency as the plan names it, with its role, and what it resolved to in the registry."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(_("tên như văn bản"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=12, choices=AgencyRole.choices)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("orgs.UnitGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    match_quality = models.CharField(max_length=10, default="exact")
    # Set when cchc chose the unit on the coordinator's behalf (a successor among several after a
    # reorganisation, a unit matched loosely): shown in the editor and the activation check.
    needs_review = models.BooleanField(_("cần rà soát"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = _("cơ quan thực hiện")
        ordering = ["activity", "order"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(unit__isnull=False) & Q(group__isnull=False)), name="plans_agency_unit_or_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def resolved(self) -> bool:
        return self.unit_id is not None or self.group_id is not None

    def as_document(self) -> dict:
        """The agency as a ``cchc.plan/1`` document holds it, with its registry match (load unit and group)."""
        return {
            "name": self.name,
            "role": self.role,
            "unit": self.unit.code if self.unit_id else None,
            "group": self.group.code if self.group_id else None,
            "match": self.match_quality,
        }


class ObligationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ObligationQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.sees_everything:
            return self
        if user.unit_id is None:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def for_unit(self, unit) -> ObligationQuerySet:
        return self.filter(unit=unit)


class Obligation(models.Model):
    """What one unit owes under one activity, once groups are expanded as of the plan's year."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="obligations")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="obligations")
    role = models.CharField(_("vai trò"), max_length=12, choices=AgencyRole.choices)
    # Kept when the unit reached the activity through a group ("UBND cấp xã").
    via_group = models.ForeignKey("orgs.UnitGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inherited_from = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Đơn vị tiền thân khi nghĩa vụ được chuyển sau sắp xếp"),
    )
    # An amendment that no longer names the unit keeps the obligation (and the results recorded
    # under it) but marks it no longer required from that plan version on.
    required = models.BooleanField(_("còn phải thực hiện"), default=True)
    dropped_in = models.PositiveIntegerField(_("bỏ từ phiên bản"), null=True, blank=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghĩa vụ")
        verbose_name_plural = _("nghĩa vụ")
        ordering = ["activity", "unit__kind", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "unit"], name="plans_obligation_unique"),
        ]
        indexes = [
            # "My work": every obligation of one unit.
            models.Index(fields=["unit", "activity"], name="plans_obligation_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.activity}"


class PlanVersion(models.Model):
    """One numbered version of a plan: version 1 is what was activated, each amendment adds one.

    ``snapshot`` is the whole plan as a ``cchc.plan/1`` document at that version (with each agency's
    registry match), so any two versions can be compared; ``changes`` is the reviewed summary of what
    this version changed from the one before, as shown in the history and told to the agencies.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    reason = models.TextField(_("lý do"), blank=True)
    snapshot = models.JSONField(_("nội dung"), default=dict)
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phiên bản kế hoạch")
        verbose_name_plural = _("phiên bản kế hoạch")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class ImportStatus(models.TextChoices):
    REVIEW = "review", _("Đang rà soát")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    DISCARDED = "discarded", _("Đã hủy")


class PlanImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlanImportQuerySet:
        """Imports are the plan editors' work in progress: coordinators and administrators only."""
        if not user.is_authenticated or not user.can_edit_plans:
            return self.none()
        return self

    def in_review(self) -> PlanImportQuerySet:
        return self.filter(status=ImportStatus.REVIEW)


def _original_path(instance: PlanImport, filename: str) -> str:
    # A random stored name: the user's file name is kept for display only (original_name).
    extension = {"docx": "docx", "doc": "doc", "odt": "odt", "rtf": "rtf", "pdf": "pdf", "scan": "pdf"}.get(
        instance.file_format, "txt"
    )
    return f"plan-imports/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class PlanImport(Versioned):
    """An uploaded plan document on its way to becoming a plan: the parsed structure, under review.

    ``document`` is the importer's ``cchc.plan/1`` dict with what the review adds: each agency's registry
    match (``unit``/``group`` codes and ``match`` quality) and the reviewer's corrections. Nothing becomes a
    plan until the import is confirmed.
    """

    original = models.FileField(_("tệp gốc"), upload_to=_original_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    file_format = models.CharField(_("định dạng"), max_length=10)
    document = models.JSONField(_("kế hoạch đọc được"), default=dict)
    # [[line number, text], ...]: the source as the importer read it, for the review screen.
    lines = models.JSONField(_("văn bản gốc"), default=list)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.REVIEW)
    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập kế hoạch")
        verbose_name_plural = _("lần nhập kế hoạch")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "Was this very file imported before?" on every upload and command-line import.
            models.Index(fields=["sha256", "status"], name="plans_import_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == ImportStatus.REVIEW


class SuccessorChoiceQuerySet(models.QuerySet):
    def visible_to(self, user) -> SuccessorChoiceQuerySet:
        """Choosing who carries a closed unit's work is the plan editors' decision."""
        if not user.is_authenticated or not user.can_edit_plans:
            return self.none()
        return self

    def pending(self) -> SuccessorChoiceQuerySet:
        return self.filter(decided_at__isnull=True)


class SuccessorChoice(models.Model):
    """A closed unit's obligation whose work went to several successors: which one carries it.

    ``inherit_obligations`` gives the obligation to the successor whose remit fits the activity
    (``proposed``), so the activity never goes without its lead meanwhile, and keeps this row for the
    coordinator, who confirms the proposal or picks another ``candidate``. ``obligation`` is the
    successor's obligation the inheritance created (``previous_role`` blank) or strengthened (its role
    before), so that another pick can undo it exactly.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="successor_choices")
    predecessor = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=12, choices=AgencyRole.choices)
    candidates = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name=_("các đơn vị kế thừa"))
    proposed = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị đề xuất"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("lý do đề xuất"), blank=True)
    chosen = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị được chọn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    previous_role = models.CharField(max_length=12, choices=AgencyRole.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SuccessorChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("lựa chọn đơn vị kế thừa")
        verbose_name_plural = _("lựa chọn đơn vị kế thừa")
        ordering = ["activity__plan", "activity__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "predecessor"], name="plans_successor_choice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → ? ({self.activity})"

    @property
    def current(self):
        return self.chosen or self.proposed


class PlanGroup(Versioned):
    """How one group phrase expands under one plan, as the coordinator decided: which kinds of unit it takes
    (whether "các sở, ban, ngành tỉnh" takes the central agencies based in the province) and units added to or
    left out of it by name. With no row the group's own kinds apply (``cchc.plans.groups``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="group_settings")
    group = models.ForeignKey("orgs.UnitGroup", verbose_name=_("nhóm"), on_delete=models.PROTECT, related_name="+")
    kinds = models.JSONField(_("loại đơn vị"), default=list, blank=True)
    included = models.ManyToManyField("orgs.Unit", verbose_name=_("thêm đơn vị"), blank=True, related_name="+")
    excluded = models.ManyToManyField("orgs.Unit", verbose_name=_("bớt đơn vị"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("nhóm đơn vị của kế hoạch")
        verbose_name_plural = _("nhóm đơn vị của kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["plan", "group"], name="plans_plangroup_once_per_plan"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} — {self.group}"
