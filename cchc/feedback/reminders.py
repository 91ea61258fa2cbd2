"""Reminders to the officers responsible for items near or past their deadline, each sent once.

Run daily (``cchc send_feedback_reminders``). For each open item due within ``FEEDBACK_DEADLINE_WARN_DAYS``
working days, or overdue, the people responsible for its current step get one e-mail listing their items: the
desk for classifying and publishing, the assigned agency's officers and head for answering. A reminder row per
(item, step, due date, kind, recipients) with a unique constraint makes each reminder go out once, even when
two runs overlap; if the mail cannot be sent the rows are rolled back and the next run tries again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.audit.actions import record
from cchc.feedback import notify
from cchc.feedback.models import (
    STAGE_OF_STATUS,
    Feedback,
    FeedbackReminder,
    ReminderKind,
    Stage,
    due_soon_limit,
)

log = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    sent: list[FeedbackReminder] = field(default_factory=list)
    failed_scopes: list[str] = field(default_factory=list)
    without_recipients: list[str] = field(default_factory=list)


def _scope(feedback: Feedback) -> str:
    return f"unit:{feedback.assigned_unit_id}" if STAGE_OF_STATUS[feedback.status] == Stage.ANSWER else "desk"


def recipients_for(scope: str) -> list[str]:
    users = User.objects.filter(is_active=True).exclude(email="")
    if scope == "desk":
        users = users.filter(role=Role.DESK)
    else:
        users = users.filter(role__in=[Role.OFFICER, Role.HEAD], unit_id=int(scope.split(":", 1)[1]))
    return sorted(set(users.values_list("email", flat=True)))


def send_feedback_reminders(today: dt.date | None = None, *, dry_run: bool = False) -> ReminderRun:
    today = today or timezone.localdate()
    run = ReminderRun()
    due = (
        Feedback.objects.open()
        .filter(due_on__lte=due_soon_limit(today))
        .select_related("assigned_unit")
        .order_by("due_on", "id")
    )
    by_scope: dict[str, list[tuple[Feedback, str]]] = defaultdict(list)
    for feedback in due:
        kind = ReminderKind.OVERDUE if feedback.due_on < today else ReminderKind.DUE_SOON
        by_scope[_scope(feedback)].append((feedback, kind))
    for scope, items in by_scope.items():
        recipients = recipients_for(scope)
        if not recipients:
            run.without_recipients.append(scope)
            log.warning("feedback reminders: nobody with an e-mail address for %s", scope)
            continue
        try:
            run.sent.extend(do_remind_scope(scope, items, recipients, dry_run=dry_run))
        except Exception:  # the mail server refused: nothing is marked sent, the next run retries
            log.exception("feedback reminders for %s could not be sent", scope)
            run.failed_scopes.append(scope)
    return run


def do_remind_scope(
    scope: str, items: list[tuple[Feedback, str]], recipients: list[str], *, dry_run: bool
) -> list[FeedbackReminder]:
    """Remind ``recipients`` of the items of one scope in one digest; an item already reminded at this stage
    (by an earlier or a concurrent run) is skipped. The action of a reminder run: one audit row per digest."""
    with transaction.atomic():
        created = []
        for feedback, kind in items:
            reminder = FeedbackReminder(
                feedback=feedback,
                stage=STAGE_OF_STATUS[feedback.status],
                kind=kind,
                due_on=feedback.due_on,
                scope=scope,
                recipients=recipients,
            )
            try:
                with transaction.atomic():
                    reminder.save()
            except IntegrityError:
                continue  # already sent (by an earlier or a concurrent run)
            created.append((feedback, kind, reminder))
        if not created:
            return []
        if dry_run:
            transaction.set_rollback(True)
            return [r for _f, _k, r in created]
        notify.send_reminder_digest(recipients, [(f, k) for f, k, _r in created])
        record(
            "feedback.remind",
            None,
            actor=None,
            scope=scope,
            items=[f.code for f, _k, _r in created],
            recipients=len(recipients),
        )
    return [r for _f, _k, r in created]
