"""Access rows for reports (format: cchc/tests/matrix.py, docs/security.md).

Agency A's report for the first quarter, written and submitted by A's head: A's staff and the province-wide
roles read it, officer B gets 404, the feedback desk (no reports of its own) 403.
"""

from cchc.tests.matrix import REDIRECT, Access, roles, staff


def world(w):
    from cchc.reports.tests.helpers import q1, submitted

    w.period = q1(w.plan)
    w.report_a = submitted(w.period, w.units.commune_a, w.personas.head_a, text="Báo cáo riêng của xã A")
    w.private_a.append("Báo cáo riêng của xã A")
    # For the admin pages (every registered model needs one object).
    from cchc.reports.actions import do_start_province_report
    from cchc.reports.models import ReminderDispatch, ReminderStage

    do_start_province_report(w.period, actor=w.personas.coordinator)
    ReminderDispatch.objects.create(report=w.report_a, stage=ReminderStage.values[0], claimed_by="matrix")


def _period(w):
    return {"plan": w.plan.pk, "code": w.period.code}


def _report(w):
    return {"pk": w.report_a.pk}


def _post_only(post, kwargs):
    """require_POST under login_required: anonymous is sent to log in, every signed-in GET is 405."""
    return Access(get=staff(405), post=post, kwargs=kwargs or {})


READERS = ("officer_a", "officer_b", "head_a", "coordinator", "observer", "admin")
PROVINCE = ("coordinator", "observer", "admin")
EDITORS = ("coordinator", "admin")
A_AND_PROVINCE = staff(officer_b=404, desk=404)

ACCESS = {
    "reports:index": Access(get=roles(*READERS)),
    # A plan's reporting calendar is read by every signed-in role; Sở Nội vụ (and administrators) change it.
    "reports:calendar": Access(kwargs=lambda w: {"plan": w.plan.pk}, get=staff(), post=roles(*EDITORS)),
    # Agency staff are sent on to their own unit's report; others see the period's list.
    "reports:period": Access(
        kwargs=_period,
        get=roles(*READERS, officer_a=REDIRECT, head_a=REDIRECT),
        post=roles(*READERS, officer_a=REDIRECT, head_a=REDIRECT),
    ),
    "reports:start": _post_only(roles("officer_a", "officer_b", "head_a", ok=REDIRECT), _period),
    "reports:completeness": Access(kwargs=_period, get=roles(*PROVINCE), post=roles(*PROVINCE)),
    "reports:province": Access(kwargs=_period, get=roles(*PROVINCE), post=roles(*PROVINCE)),
    # An empty save is refused as unprocessable (422) for those who may write it.
    "reports:province_save": _post_only(roles(*EDITORS, ok=422), _period),
    "reports:province_issue": _post_only(roles(*EDITORS, ok=REDIRECT), _period),
    "reports:province_export": Access(kwargs=lambda w: {**_period(w), "fmt": "docx"}, get=roles(*PROVINCE)),
    "reports:detail": Access(kwargs=_report, get=A_AND_PROVINCE, post=A_AND_PROVINCE),
    "reports:save": _post_only(roles("officer_a", "head_a", ok=422, officer_b=404, desk=404), _report),
    "reports:submit": _post_only(roles("head_a", ok=REDIRECT, officer_b=404, desk=404), _report),
    "reports:review": Access(kwargs=_report, get=roles(*EDITORS), post=roles(*EDITORS, ok=422)),
    "reports:version": Access(kwargs=lambda w: {**_report(w), "number": 1}, get=A_AND_PROVINCE),
    "reports:export": Access(kwargs=lambda w: {**_report(w), "fmt": "docx"}, get=A_AND_PROVINCE),
    # Each user's own notifications.
    "reports:notifications": Access(get=staff(), post=staff()),
    "reports:notifications_read": _post_only(staff(REDIRECT), None),
}
