"""Changes to accounts: inactive accounts disabled, second factors set up and removed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from cchc.accounts.models import User
from cchc.audit.actions import record


def inactive_users(now: dt.datetime, days: int):
    """Active accounts with no log-in for ``days`` days (never logged in: counted from creation)."""
    cutoff = now - dt.timedelta(days=days)
    return (User.objects.filter(is_active=True)
            .annotate(last_seen=Coalesce("last_login", "date_joined"))
            .filter(last_seen__lt=cutoff))


@transaction.atomic
def do_disable_inactive_users(*, now: dt.datetime | None = None, days: int | None = None, actor=None,
                              dry_run: bool = False) -> list[User]:
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
        record("accounts.disabled_inactive", user, actor=actor, unit=user.unit,
               last_seen=last.isoformat(), days=days)
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
def do_remove_mfa(user: User, *, actor) -> int:
    """Remove every second factor of ``user`` (lost phone: an administrator does it; or the user, when allowed)."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    record("accounts.mfa_removed", user, actor=actor, by_self=bool(actor and actor.pk == user.pk))
    return count
