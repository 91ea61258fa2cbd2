"""Users, each with one role scoped to one unit of the registry."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ đầu mối CCHC")
    HEAD = "head", _("Thủ trưởng đơn vị")
    COORDINATOR = "coordinator", _("Điều phối (Sở Nội vụ)")
    DESK = "desk", _("Tiếp nhận PAKN (Văn phòng UBND tỉnh)")
    OBSERVER = "observer", _("Lãnh đạo theo dõi")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles that see every agency's data (read-only for the observer).
GLOBAL_ROLES = {Role.COORDINATOR, Role.OBSERVER, Role.ADMIN}


class User(AbstractUser):
    """A staff account. Citizens do not have accounts: they use the public portal."""

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["coordinator", "observer", "admin"]) | models.Q(unit__isnull=False),
                name="accounts_user_scoped_role_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def sees_everything(self) -> bool:
        return self.role in GLOBAL_ROLES or self.is_superuser

    @property
    def can_edit_plans(self) -> bool:
        return self.role in {Role.COORDINATOR, Role.ADMIN} or self.is_superuser

    @property
    def is_agency_staff(self) -> bool:
        return self.role in {Role.OFFICER, Role.HEAD}
