"""Users, each with one role scoped to one unit of the registry."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.lib.versioning import Versioned


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ đầu mối CCHC")
    HEAD = "head", _("Thủ trưởng đơn vị")
    COORDINATOR = "coordinator", _("Điều phối (Sở Nội vụ)")
    DESK = "desk", _("Tiếp nhận PAKN (Văn phòng UBND tỉnh)")
    OBSERVER = "observer", _("Lãnh đạo theo dõi")
    ADMIN = "admin", _("Quản trị hệ thống")


# Roles that see every agency's data (read-only for the observer).
GLOBAL_ROLES = {Role.COORDINATOR, Role.OBSERVER, Role.ADMIN}


class User(Versioned, AbstractUser):
    """A staff account. Citizens do not have accounts: they use the public portal.

    ``version``/``updated_by`` (``Versioned``) guard the administrator's edits on the user-management
    screens against each other; the user's own log-ins and password changes do not move the version.
    """

    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lần cuối"), null=True, blank=True, editable=False)
    # A password an administrator set (a new account, a reset): the user must choose their own at next log-in.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu khi đăng nhập"), default=False)

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

    # What templates ask (never the role itself): the menus and buttons a user is offered.
    @property
    def can_record_results(self) -> bool:
        """An agency's CCHC officer records its results (``execution.permissions.can_write_results``)."""
        return self.role == Role.OFFICER and self.unit_id is not None

    @property
    def can_manage_portal(self) -> bool:
        """Coordinators run the news column; agency staff keep their own hotline, back page and news."""
        return self.role == Role.COORDINATOR or self.is_agency_staff or self.is_superuser

    @property
    def can_export_audit(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def can_manage_users(self) -> bool:
        """The province's administrator creates accounts, resets passwords, disables them (``/accounts/users/``)."""
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def requires_mfa(self) -> bool:
        """Administrators and coordinators must use a second factor (settings.MFA_REQUIRED_ROLES)."""
        return self.is_superuser or self.role in settings.MFA_REQUIRED_ROLES

    @property
    def password_expires(self) -> bool:
        """Administrators' passwords expire (settings.ADMIN_PASSWORD_MAX_AGE_DAYS); others' do not."""
        return self.is_superuser or self.is_staff or self.role == Role.ADMIN

    def password_expired(self, now: dt.datetime | None = None) -> bool:
        if not self.password_expires or not self.has_usable_password():
            return False
        changed = self.password_changed_at or self.date_joined
        return (now or timezone.now()) - changed > dt.timedelta(days=settings.ADMIN_PASSWORD_MAX_AGE_DAYS)

    def set_temporary_password(self, raw_password: str) -> None:
        """Set a password the administrator hands over: the user is made to replace it at next log-in."""
        self.set_password(raw_password)
        self._temporary_password = True

    def save(self, *args, **kwargs):
        # Django keeps the raw password in ``_password`` between set_password() and save(); it is None
        # when only the hash was upgraded at log-in, which is not a change of password.
        changed = self._password is not None
        adding = self._state.adding
        temporary = getattr(self, "_temporary_password", False)
        if changed:
            self.password_changed_at = timezone.now()
            # A password the user chose themselves ends the obligation to change it; a temporary one set by
            # an administrator (``set_temporary_password``) starts it.
            self.must_change_password = temporary
            self._temporary_password = False
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "password_changed_at", "must_change_password"}
        super().save(*args, **kwargs)
        if changed:
            PasswordHistory.remember(self, new_account=adding)
            # The administrator's action records the reset itself (one audit row per action).
            if not adding and not temporary:
                from cchc.accounts.actions import do_note_password_changed

                do_note_password_changed(self)


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, so that the last N cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("mật khẩu (đã băm)"), max_length=128)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("mật khẩu cũ")
        verbose_name_plural = _("mật khẩu cũ")
        ordering = ["user", "-created_at", "-id"]
        indexes = [
            # PasswordHistoryValidator: the latest N of one user.
            models.Index(fields=["user", "-created_at"], name="accounts_pwhistory_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y}"

    @classmethod
    def remember(cls, user: User, *, new_account: bool = False) -> None:
        cls.objects.create(user=user, password=user.password)
        if new_account:
            return  # nothing older to forget
        keep = list(
            cls.objects.filter(user=user)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_COUNT]
        )
        cls.objects.filter(user=user).exclude(pk__in=keep).delete()
