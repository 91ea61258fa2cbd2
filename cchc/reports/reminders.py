"""Reminders before a report falls due and when it is overdue: an e-mail and an in-app notice to the
officers and the head of each agency that has not sent its report.

At most once per report and stage, even when the sender runs twice or on two machines at the same
moment: each run first *claims* its (report, stage) pairs by inserting ``ReminderDispatch`` rows
with its own token, conflicts ignored — the unique constraint lets exactly one insert through —
then sends only what it claimed. A run that dies after claiming leaves the claim without
``sent_at``: the reminder is lost rather than sent twice, and the row shows it.

An agency with no one to tell (no active officer or head) is not claimed and not counted as reminded: the
run lists it (``RunSummary.unreachable``) so that the coordinator sees who could not be reached, and it is
reminded by the first run after someone there has an account. An agency whose accounts have no e-mail address
gets the in-app notice only and is listed too (``RunSummary.without_email``).

"Before" means within the plan's ``remind_days_before`` *working* days of the due date (a due date
after Tết is announced before the holiday); "overdue" means the due date has passed, for periods
that fell due within ``OVERDUE_WINDOW_DAYS`` (a newly installed system does not chase the reports
of years gone by).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import authcache
from cchc.audit.actions import record
from cchc.lib.workdays import working_days_between
from cchc.orgs.models import Unit
from cchc.plans.models import PlanStatus
from cchc.reports.actions import do_open_reports, get_calendar
from cchc.reports.models import (
    EDITABLE_STATUSES,
    Notification,
    Period,
    ReminderDispatch,
    ReminderStage,
    Report,
)
from cchc.reports.notify import absolute, reach_of_units, staff_of_units

log = logging.getLogger(__name__)
OVERDUE_WINDOW_DAYS = 30
LOOKAHEAD_DAYS = 60  # covers 30 working days plus the longest holiday


@dataclass
class RunSummary:
    token: str
    claimed: int = 0
    skipped: int = 0
    notices: int = 0
    emails: int = 0
    errors: list[str] = field(default_factory=list)
    # Agencies that owe a report but have no active officer or head: nobody was told.
    unreachable: list[Unit] = field(default_factory=list)
    # Agencies told in the app only: none of their accounts has an e-mail address.
    without_email: list[Unit] = field(default_factory=list)


def stage_for(period: Period, today: dt.date, days_before: int) -> str | None:
    if today > period.due_on:
        return ReminderStage.OVERDUE if (today - period.due_on).days <= OVERDUE_WINDOW_DAYS else None
    if working_days_between(today, period.due_on) <= days_before:
        return ReminderStage.BEFORE
    return None


def _message(report: Report, stage: str, today: dt.date) -> tuple[str, str]:
    period = report.period
    due = f"{period.due_on:%d/%m/%Y}"
    if stage == ReminderStage.BEFORE:
        left = working_days_between(today, period.due_on)
        when = "hôm nay" if left == 0 else f"còn {left} ngày làm việc"
        subject = f"[CCHC] Nhắc hạn gửi báo cáo {period.label}"
        text = (
            f"Báo cáo kết quả tuyên truyền cải cách hành chính {period.label} của {report.unit.name} "
            f"cần được gửi Sở Nội vụ chậm nhất ngày {due} ({when})."
        )
        if period.due.moved:
            text += f" {period.due.note}"
    else:
        subject = f"[CCHC] Báo cáo {period.label} đã quá hạn"
        text = (
            f"Báo cáo kết quả tuyên truyền cải cách hành chính {period.label} của {report.unit.name} "
            f"đã quá hạn gửi (hạn {due}). Đề nghị đơn vị hoàn thành và gửi ngay."
        )
    return subject, text


def _candidates(today: dt.date) -> list[tuple[Period, str]]:
    periods = Period.objects.filter(
        plan__status=PlanStatus.ACTIVE,
        due_on__gte=today - dt.timedelta(days=OVERDUE_WINDOW_DAYS),
        due_on__lte=today + dt.timedelta(days=LOOKAHEAD_DAYS),
    ).select_related("plan", "plan__reporting_calendar")
    out = []
    for period in periods:
        calendar = getattr(period.plan, "reporting_calendar", None) or get_calendar(period.plan)
        stage = stage_for(period, today, calendar.remind_days_before)
        if stage is not None:
            out.append((period, stage))
    return out


def do_send_reminders(today: dt.date | None = None, *, actor=None) -> RunSummary:
    today = today or timezone.localdate()
    summary = RunSummary(token=f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:16]}")
    for period, stage in _candidates(today):
        do_open_reports(period)
        owing = list(
            Report.objects.filter(period=period, status__in=EDITABLE_STATUSES).select_related("unit").order_by("unit")
        )
        waiting = _reachable(owing, summary)
        if not waiting:
            continue
        with transaction.atomic():
            ReminderDispatch.objects.bulk_create(
                [ReminderDispatch(report_id=pk, stage=stage, claimed_by=summary.token) for pk in waiting],
                ignore_conflicts=True,
            )
        claims = list(
            ReminderDispatch.objects.filter(
                claimed_by=summary.token, stage=stage, report__period=period
            ).select_related("report", "report__unit", "report__period")
        )
        summary.claimed += len(claims)
        summary.skipped += len(waiting) - len(claims)
        if claims:
            _deliver(claims, stage, today, summary)
    if summary.claimed:
        record(
            "reports.reminders",
            None,
            actor=actor,
            token=summary.token,
            claimed=summary.claimed,
            notices=summary.notices,
            emails=summary.emails,
            errors=len(summary.errors),
            unreachable=[u.code for u in summary.unreachable],
            without_email=[u.code for u in summary.without_email],
        )
    return summary


def _reachable(reports: list[Report], summary: RunSummary) -> list[int]:
    """The reports whose agency has someone to tell; the others go on the summary's list of the unreachable."""
    reach = reach_of_units({r.unit_id for r in reports})
    known = {u.pk for u in summary.unreachable} | {u.pk for u in summary.without_email}
    out = []
    for report in reports:
        unit_reach = reach[report.unit_id]
        if not unit_reach.by_email and report.unit_id not in known:
            (summary.without_email if unit_reach.reachable else summary.unreachable).append(report.unit)
            known.add(report.unit_id)
        if unit_reach.reachable:
            out.append(report.pk)
    return out


def _deliver(claims: list[ReminderDispatch], stage: str, today: dt.date, summary: RunSummary) -> None:
    unit_ids = {c.report.unit_id for c in claims}
    staff: dict[int, list] = {}
    for user in staff_of_units(unit_ids).order_by("pk"):
        staff.setdefault(user.unit_id, []).append(user)
    notices, emails = [], []
    for claim in claims:
        subject, text = _message(claim.report, stage, today)
        url = reverse("reports:detail", args=[claim.report_id])
        people = staff.get(claim.report.unit_id, [])
        notices += [Notification(user=u, message=text, url=url) for u in people]
        addresses = [u.email for u in people if u.email]
        if addresses:
            emails.append(
                (
                    claim,
                    mail.EmailMessage(subject, f"{text}\n\n{absolute(url)}", settings.DEFAULT_FROM_EMAIL, addresses),
                )
            )
        claim.recipients = [u.username for u in people]
        claim.sent_at = timezone.now()
    Notification.objects.bulk_create(notices)
    authcache.bump(n.user_id for n in notices)  # bulk_create sends no signal: the bells' counts kept with each user
    summary.notices += len(notices)
    if emails:
        try:
            with mail.get_connection() as connection:
                for claim, message in emails:
                    try:
                        connection.send_messages([message])
                        summary.emails += 1
                    except Exception as err:  # one bad address must not stop the others
                        claim.error = f"{type(err).__name__}: {err}"[:1000]
                        summary.errors.append(claim.error)
        except Exception as err:  # the mail server is unreachable: notices went out, say so on every claim
            log.exception("reminder e-mail connection failed")
            for claim, _unused in emails:
                claim.error = claim.error or f"{type(err).__name__}: {err}"[:1000]
            summary.errors.append(str(err))
    ReminderDispatch.objects.bulk_update(claims, ["recipients", "sent_at", "error"])
