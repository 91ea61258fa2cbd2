"""What the plans commands look up from their arguments, with the messages they fail with."""

from __future__ import annotations

from django.core.management.base import CommandError

from cchc.accounts.models import User
from cchc.plans.models import Plan


def get_plan(value: str) -> Plan:
    try:
        return Plan.objects.get(pk=int(value))
    except (ValueError, Plan.DoesNotExist):
        raise CommandError(f"Không có kế hoạch #{value}. No such plan.") from None


def get_actor(username: str | None) -> User | None:
    """The user named by ``--user`` (None when not given: the audit log then says "a system command")."""
    if not username:
        return None
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"Không có người dùng “{username}”. No such user.") from None
