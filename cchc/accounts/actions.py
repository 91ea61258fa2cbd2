"""Changes to accounts: inactive accounts disabled, second factors set up and removed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

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


@transaction.atomic
def do_start_mfa_setup(user: User) -> TOTPDevice:
    """A fresh, unconfirmed TOTP device for ``user`` (replacing an earlier unfinished one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


@transaction.atomic
def do_confirm_mfa(device: TOTPDevice, *, actor) -> TOTPDevice:
    """The user proved the new device works: it becomes their only confirmed device."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record("accounts.mfa_enabled", device.user, actor=actor)
    return device


@transaction.atomic
def do_remove_mfa(user: User, *, actor) -> int:
    """Remove every second factor of ``user`` (lost phone: an administrator does it; or the user, when allowed)."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    record("accounts.mfa_removed", user, actor=actor, by_self=bool(actor and actor.pk == user.pk))
    return count
