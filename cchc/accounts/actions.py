"""Changes to accounts: the administrator's user management (create, edit, reset a password, disable and
enable, remove a second factor), inactive accounts disabled, second factors set up and removed."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from cchc.accounts.models import Role, User
from cchc.accounts.permissions import can_manage_account
from cchc.audit.actions import record
from cchc.lib.versioning import bump_version

# The fields the administrator edits on cchc's own screens; the rest (staff, superuser, groups) is the
# Django admin's, for IT only.
EDITABLE_FIELDS = ("full_name", "email", "position", "role", "unit")
# Read aloud over the phone or copied from a note: no 0/O, 1/l/I.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # pragma: allowlist secret


def new_temporary_password(user: User | None = None) -> str:
    """A password the administrator hands over, e.g. ``kx7m-p3qa-w9rt``: 14 characters that pass every
    password rule (settings.AUTH_PASSWORD_VALIDATORS), to be replaced by the user at next log-in."""
    for _attempt in range(20):
        groups = ["".join(secrets.choice(_TEMPORARY_ALPHABET) for _i in range(4)) for _j in range(3)]
        password = "-".join(groups)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no temporary password passed the password rules in 20 attempts")


def _check_may_manage(target: User, actor) -> None:
    if not can_manage_account(actor, target):
        raise PermissionDenied


def _refuse_self(target: User, actor, message: str) -> None:
    if target.pk == actor.pk:
        raise ValidationError(message, code="self")


@transaction.atomic
def do_create_user(data: dict, *, actor) -> tuple[User, str]:
    """A new account for a unit and role, with a temporary password (returned, shown once, never stored in
    clear) that the user must change at first log-in."""
    if not getattr(actor, "can_manage_users", False):
        raise PermissionDenied
    user = User(username=data["username"], **{name: data.get(name) for name in EDITABLE_FIELDS})
    user.email = user.email or ""
    user.full_name, user.position = user.full_name or "", user.position or ""
    user.updated_by = actor
    user.full_clean(exclude=["password"])
    password = new_temporary_password(user)
    user.set_temporary_password(password)
    user.save()
    record("accounts.user_created", user, actor=actor, role=user.role, unit=user.unit, email=bool(user.email))
    return user, password


@transaction.atomic
def do_update_user(user: User, data: dict, *, expected_version: int | None, actor) -> list[str]:
    """Change an account's name, e-mail, position, role or unit; returns the names of the fields changed."""
    _check_may_manage(user, actor)
    changed = [name for name in EDITABLE_FIELDS if name in data and getattr(user, name) != data[name]]
    if user.pk == actor.pk and "role" in changed and data["role"] != Role.ADMIN and not actor.is_superuser:
        raise ValidationError(
            _("Bạn không thể tự bỏ vai trò quản trị của chính mình; hãy nhờ một quản trị viên khác."), code="self"
        )
    bump_version(user, expected_version, actor=actor)
    before = {name: str(getattr(user, name) or "") for name in changed}
    for name in changed:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=[*changed, "version", "updated_by", "updated_at"])
    if changed:
        after = {name: str(getattr(user, name) or "") for name in changed}
        record("accounts.user_updated", user, actor=actor, unit=user.unit, before=before, after=after)
    return changed


@transaction.atomic
def do_reset_password(user: User, *, expected_version: int | None, actor) -> str:
    """A new temporary password for ``user`` (forgotten password): their other sessions end (Django ties a
    session to the password), and they must choose their own at next log-in. Returns it, to be shown once."""
    _check_may_manage(user, actor)
    _refuse_self(user, actor, _("Hãy đổi mật khẩu của chính bạn tại trang “Bảo mật tài khoản”."))
    bump_version(user, expected_version, actor=actor)
    password = new_temporary_password(user)
    user.set_temporary_password(password)
    user.save(update_fields=["password", "version", "updated_by", "updated_at"])
    record("accounts.password_reset", user, actor=actor, unit=user.unit)
    return password


@transaction.atomic
def do_set_user_active(user: User, active: bool, *, expected_version: int | None, actor) -> None:
    """Disable an account (it can no longer log in; open sessions end at their next request) or enable it."""
    _check_may_manage(user, actor)
    _refuse_self(user, actor, _("Bạn không thể tự khóa tài khoản của chính mình."))
    bump_version(user, expected_version, actor=actor)
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active", "version", "updated_by", "updated_at"])
    record("accounts.user_enabled" if active else "accounts.user_disabled", user, actor=actor, unit=user.unit)


def inactive_users(now: dt.datetime, days: int):
    """Active accounts with no log-in for ``days`` days (never logged in: counted from creation)."""
    cutoff = now - dt.timedelta(days=days)
    return (
        User.objects.filter(is_active=True)
        .annotate(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
    )


@transaction.atomic
def do_disable_inactive_users(
    *, now: dt.datetime | None = None, days: int | None = None, actor=None, dry_run: bool = False
) -> list[User]:
    """Disable every account unused for ``days`` (settings.INACTIVE_ACCOUNT_DAYS); one audit row each."""
    now = now or timezone.now()
    days = settings.INACTIVE_ACCOUNT_DAYS if days is None else days
    users = list(inactive_users(now, days).select_for_update().order_by("username"))
    if dry_run:
        return users
    for user in users:
        user.is_active = False
        user.save(update_fields=["is_active"])
        last = user.last_login or user.date_joined
        record("accounts.disabled_inactive", user, actor=actor, unit=user.unit, last_seen=last.isoformat(), days=days)
    return users


def new_totp_key() -> str:
    """A fresh TOTP secret (hex), kept in the session until the user proves their app has it."""
    return default_key()


def totp_matches(key: str, token: str, *, at: float | None = None) -> int | None:
    """The time step ``token`` matches for ``key`` (one step of clock drift either way), or None."""
    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6, drift=0)
    if at is not None:
        totp.time = at
    if totp.verify(int(token), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def do_enable_mfa(user: User, key: str, *, last_step: int, actor) -> TOTPDevice:
    """The user proved their app holds ``key``: it becomes their only device (replacing an older phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name="Ứng dụng xác thực", key=key, confirmed=True, last_t=last_step)
    device.full_clean()
    device.save()
    record("accounts.mfa_enabled", user, actor=actor)
    return device


@transaction.atomic
def do_remove_mfa(user: User, *, actor, expected_version: int | None = None) -> int:
    """Remove every second factor of ``user`` (lost phone: an administrator does it; or the user, when allowed).

    From the user-management screen the administrator's page version is checked (``expected_version``).
    """
    if expected_version is not None:
        _check_may_manage(user, actor)
        bump_version(user, expected_version, actor=actor)
    count, _unused = TOTPDevice.objects.filter(user=user).delete()
    record("accounts.mfa_removed", user, actor=actor, by_self=bool(actor and actor.pk == user.pk))
    return count


def do_note_mfa_attempt(user: User, *, verified: bool, step: str = "verify") -> None:
    """A two-step code someone typed: a failure (and a success at log-in) is on record for the security officer."""
    if verified:
        record("accounts.mfa_verified", user, actor=user)
    else:
        record("accounts.mfa_failed", user, actor=user, step=step)


# Sign-in events come from Django's and django-axes's signals (cchc.accounts.signals), the session's end from
# the idle time-out middleware, a changed password from User.save(): each goes through one of these.
def do_note_login(user: User) -> None:
    record("accounts.login", user, actor=user)


def do_note_logout(user: User) -> None:
    record("accounts.logout", user, actor=user)


def do_note_failed_login(username: str) -> None:
    """The username tried is kept (to spot guessing), never the password."""
    record("accounts.login_failed", None, username=str(username or "")[:150])


def do_note_lock_out(username: str) -> None:
    """django-axes refused further log-ins (AXES_FAILURE_LIMIT failures): the security officer must see it."""
    record("accounts.locked_out", None, username=str(username or "")[:150])


def do_note_password_changed(user: User) -> None:
    """A password the user changed (the administrator's reset records itself, in ``do_reset_password``)."""
    record("accounts.password_changed", user)


def do_end_session(request, event: str, **details) -> None:
    """End the signed-in user's session (``accounts.session_expired`` or ``accounts.idle_timeout``)."""
    from django.contrib.auth import logout

    user = request.user
    record(event, user, actor=user, **details)
    logout(request)
