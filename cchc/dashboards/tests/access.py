"""Access rows for the dashboards (format: cchc/tests/matrix.py, docs/security.md).

The province-wide pages are for Sở Nội vụ, the leadership and administrators; agency staff read their own
agency's page (officer B gets 404 on agency A's); the public progress pages are for everyone.
"""

from cchc.tests.matrix import REDIRECT, Access, everyone, roles, staff


def world(w):
    from cchc.dashboards.scope import public_code
    from cchc.reports.tests.helpers import q1

    w.period = getattr(w, "period", None) or q1(w.plan)
    w.public_code = public_code(w.plan)


def _period(w):
    return {"plan": w.plan.pk, "code": w.period.code}


PROVINCE = ("coordinator", "observer", "admin")
READERS = ("officer_a", "officer_b", "head_a", "coordinator", "observer", "admin")


def _p(**extra):
    def kwargs(w):
        return {**_period(w), **{k: (v(w) if callable(v) else v) for k, v in extra.items()}}

    return kwargs


ACCESS = {
    # Everyone's home after logging in: their own work; the leadership goes on to its summary of the current period.
    "dashboards:home": Access(get=staff(observer=REDIRECT)),
    # The landing pages send each reader on to the current period (agency staff straight to their agency).
    "dashboards:index": Access(get=roles(*READERS, ok=REDIRECT, coordinator=200, observer=200, admin=200)),
    "dashboards:plan": Access(kwargs=lambda w: {"plan": w.plan.pk}, get=roles(*READERS, ok=REDIRECT)),
    # Who has made its own plan (section IV); the coordinator (or the administrator standing in) reminds.
    "dashboards:subplans": Access(kwargs=lambda w: {"plan": w.plan.pk}, get=roles(*PROVINCE)),
    "dashboards:subplans_remind": Access(
        kwargs=lambda w: {"plan": w.plan.pk},
        get=roles(*PROVINCE, ok=405),
        post=roles("coordinator", "admin", ok=REDIRECT),
    ),
    "dashboards:overview": Access(kwargs=_period, get=roles(*PROVINCE)),
    "dashboards:agencies": Access(kwargs=_period, get=roles(*PROVINCE)),
    "dashboards:agency": Access(kwargs=_p(unit=lambda w: w.units.commune_a.code), get=roles(*READERS, officer_b=404)),
    # An activity across its agencies: the province-wide roles and the activity's lead (activity 1 of the test
    # plan has none: its implementing agencies get 404, as for any other agency's data).
    "dashboards:activity": Access(
        kwargs=_p(number="1"), get=roles(*PROVINCE, officer_a=404, officer_b=404, head_a=404)
    ),
    "dashboards:activity_remind": Access(
        kwargs=_p(number="1"),
        get=roles(*READERS, ok=405),
        post=roles("coordinator", ok=REDIRECT, officer_a=404, officer_b=404, head_a=404),
    ),
    "dashboards:grid": Access(kwargs=_period, get=roles(*PROVINCE)),
    "dashboards:spending": Access(kwargs=_period, get=roles(*PROVINCE)),
    # Lists scoped to what each reader may see (officer B's holds nothing of A: w.private_a).
    "dashboards:results": Access(kwargs=_period, get=roles(*READERS)),
    "dashboards:deliverables": Access(kwargs=_period, get=roles(*READERS)),
    "dashboards:summary": Access(kwargs=_period, get=roles(*PROVINCE)),
    "dashboards:summary_pdf": Access(kwargs=_period, get=roles(*PROVINCE)),
    # Public progress, by the plan's year and number-symbol.
    "dashboards:public_index": Access(get=everyone(200)),
    "dashboards:public_plan": Access(kwargs=lambda w: {"year": w.plan.year, "code": w.public_code}, get=everyone(200)),
    "dashboards:public_activity": Access(
        kwargs=lambda w: {"year": w.plan.year, "code": w.public_code, "number": "1"}, get=everyone(200)
    ),
}
