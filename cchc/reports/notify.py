"""In-app notices and e-mail to the people a report concerns."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q

from cchc.accounts import authcache
from cchc.accounts.models import Role, User
from cchc.reports.models import Notification

log = logging.getLogger(__name__)


def unit_staff(unit_id: int):
    """The officers and the head of a unit: the people responsible for its report."""
    return staff_of_units([unit_id])


def staff_of_units(unit_ids):
    return User.objects.filter(unit_id__in=unit_ids, role__in=[Role.OFFICER, Role.HEAD], is_active=True)


@dataclass(frozen=True)
class Reach:
    """Whom a unit's reminders reach: its active officers and head (``accounts``), and how many of them have an
    e-mail address (``emails``). A unit with no account cannot be reminded at all; one whose accounts have no
    address gets the in-app notice only, seen when someone logs in."""

    accounts: int = 0
    emails: int = 0

    @property
    def reachable(self) -> bool:
        return self.accounts > 0

    @property
    def by_email(self) -> bool:
        return self.emails > 0


def reach_of_units(unit_ids) -> dict[int, Reach]:
    """``Reach`` of every unit in ``unit_ids`` (one query, whatever their number)."""
    unit_ids = list(unit_ids)
    rows = (
        staff_of_units(unit_ids)
        .order_by()
        .values("unit_id")
        .annotate(accounts=Count("pk"), emails=Count("pk", filter=~Q(email="")))
    )
    reach = {unit_id: Reach() for unit_id in unit_ids}
    for row in rows:
        reach[row["unit_id"]] = Reach(accounts=row["accounts"], emails=row["emails"])
    return reach


def coordinators():
    return User.objects.filter(role=Role.COORDINATOR, is_active=True)


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def notify(users, message: str, url: str = "", *, subject: str | None = None) -> list[User]:
    """A notice for each user; with ``subject``, an e-mail too, sent once the transaction commits."""
    users = list(users)
    Notification.objects.bulk_create(Notification(user=u, message=message[:500], url=url) for u in users)
    authcache.bump(u.pk for u in users)  # bulk_create sends no signal: the bells' counts kept with each user
    if subject:
        messages = [
            (subject, f"{message}\n\n{absolute(url)}" if url else message, settings.DEFAULT_FROM_EMAIL, [u.email])
            for u in users
            if u.email
        ]
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return users


def _send(messages) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # a mail server down must not undo the action that was already committed
        log.exception("could not send %d notification e-mails", len(messages))
