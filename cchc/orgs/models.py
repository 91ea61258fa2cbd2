"""The organisation registry: units with validity periods, reorganisation links and named groups."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.lib.text import fold


class UnitKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("UBND tỉnh")
    DEPARTMENT = "department", _("Sở, ban")
    SECTOR_AGENCY = "sector_agency", _("Cơ quan ngành dọc")
    PRESS = "press", _("Cơ quan báo chí")
    SERVICE_CENTER = "service_center", _("Trung tâm phục vụ hành chính công")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp, dịch vụ công")
    MASS_ORGANIZATION = "mass_organization", _("Tổ chức chính trị - xã hội")
    DISTRICT_COMMITTEE = "district_committee", _("UBND cấp huyện")
    COMMUNE_COMMITTEE = "commune_committee", _("UBND cấp xã")
    TRAINING = "training", _("Cơ sở đào tạo")
    OTHER = "other", _("Khác")


PROVINCIAL_KINDS = {
    UnitKind.DEPARTMENT,
    UnitKind.SECTOR_AGENCY,
    UnitKind.PRESS,
    UnitKind.SERVICE_CENTER,
    UnitKind.PUBLIC_SERVICE,
    UnitKind.MASS_ORGANIZATION,
}
LOCAL_KINDS = {UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE}


def unit_label(name: str, context: str) -> str:
    """The name with its place, unique where a name alone is not: "UBND phường Tây Sơn (thành phố Pleiku)"."""
    return f"{name} ({context})" if context else name


def with_unit_labels(row: dict) -> dict:
    """A ``.values()`` row holding a unit's ``name``, ``context`` and ``kind``, with what a table shows of
    it: ``label`` and ``kind_label`` (cchc.lib.paging.paginate_rows)."""
    row["label"] = unit_label(row["name"], row["context"])
    row["kind_label"] = UnitKind(row["kind"]).label
    return row


class UnitQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )

    def visible_to(self, user) -> UnitQuerySet:
        """Every staff member may see the registry itself (it is public information)."""
        if not user.is_authenticated:
            return self.none()
        return self


class Unit(models.Model):
    """An agency or a local People's Committee, valid from one date to another."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=30, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    # Code of the General Statistics Office for districts and communes (vietnam-provinces).
    admin_code = models.PositiveIntegerField(_("mã đơn vị hành chính"), null=True, blank=True)
    division_type = models.CharField(_("loại đơn vị hành chính"), max_length=30, blank=True)
    # The province the unit belongs to (slug, e.g. "gia-lai"): plans resolve groups within it.
    province = models.SlugField(_("tỉnh"), max_length=40, blank=True, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        through="Succession",
        symmetrical=False,
        related_name="successors",
        blank=True,
        through_fields=("successor", "predecessor"),
    )
    # What the unit is in charge of, as words an activity's text would use ("báo chí", "chuyển đổi số"):
    # when a closed unit's work went to several successors, the one whose remit fits an activity is
    # proposed for it (see ``cchc.orgs.succession``).
    remit = models.JSONField(_("lĩnh vực phụ trách (từ khóa)"), default=list, blank=True)
    # Where the unit is, for telling apart two units of the same name ("UBND phường Tây Sơn" of Pleiku and of
    # An Khê): a commune's former district (and province, when it was another), a 2025 commune's province.
    context = models.CharField(_("thuộc"), max_length=150, blank=True)
    search_key = models.CharField(max_length=255, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgs_unit_valid_range",
            ),
        ]
        indexes = [
            # "units of a kind valid on a date": group expansion and the units command.
            models.Index(fields=["kind", "valid_from", "valid_to"], name="orgs_unit_kind_validity"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The place is searched too: "tay son pleiku" finds the one of Pleiku.
        self.search_key = fold(self.label)[:255]
        if kwargs.get("update_fields") is not None and {"name", "context"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return unit_label(self.name, self.context)


class Succession(models.Model):
    """A reorganisation link: ``successor`` took over (part of) ``predecessor`` on ``effective_on``."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")

    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    effective_on = models.DateField(_("ngày hiệu lực"))
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MERGE)
    partial = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("kế thừa")
        verbose_name_plural = _("kế thừa")
        constraints = [
            models.UniqueConstraint(fields=["successor", "predecessor"], name="orgs_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UnitGroup(models.Model):
    """A phrase plans use for many units at once ("UBND cấp xã"), resolved on a date by kinds."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    aliases = models.JSONField(_("cách gọi khác"), default=list, blank=True)
    kinds = models.JSONField(_("loại đơn vị"), default=list, help_text=_("Các loại đơn vị thuộc nhóm"))
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def units_on(self, day: dt.date, province: str = "") -> UnitQuerySet:
        units = Unit.objects.valid_on(day).filter(kind__in=self.kinds)
        return units.filter(province=province) if province else units
