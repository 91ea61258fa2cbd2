"""Page loads: requests per second beside the trivial view, and SQL queries at two data sizes.

Every page of issue 16's table: the public home page and the plan's public progress; a plan, an activity with every
commune under it, an officer's "my work", the unit list; the reports index, one agency's report, a period's reports,
its completeness and the province's consolidated report; the dashboard overview. Add a page here when its view
lands: one line in ``pages()``. (Every dashboard page's server time at 100,000 results: ``bench_dashboards.py``.)
"""

from __future__ import annotations


def pages() -> list[dict]:
    """The pages to measure, found in whatever data set the current database holds."""
    from django.conf import settings
    from django.db.models import Count

    from cchc.dashboards.scope import public_code
    from cchc.orgs.structure import province_slug
    from cchc.plans.models import Activity, Plan
    from cchc.reports.models import Period, Report

    slug = province_slug(settings.CCHC_PROVINCE)
    plan = Plan.objects.filter(issuer_unit__province=slug).order_by("pk").first()
    widest = Activity.objects.filter(plan=plan).annotate(n=Count("obligations")).order_by("-n", "order").first()
    coordinator = f"{slug}-coordinator"
    period = Period.objects.filter(plan=plan).order_by("end", "pk").first()
    report = Report.objects.filter(period=period).exclude(status="draft").order_by("pk").first()
    at = f"/reports/plans/{plan.pk}/{period.code}/"
    progress = f"/tien-do/{plan.year}/{public_code(plan)}/"
    return [
        {"name": "page:home", "path": "/", "user": None, "public": True},
        {"name": "page:public_progress", "path": progress, "user": None, "public": True},
        {"name": "page:plan", "path": f"/plans/{plan.pk}/", "user": coordinator, "public": False},
        {
            "name": "page:activity",
            "path": f"/plans/{plan.pk}/activities/{widest.number}/",
            "user": coordinator,
            "public": False,
        },
        {"name": "page:my_work", "path": "/my-work/", "user": f"{slug}-x0001-officer", "public": False},
        {"name": "page:units", "path": "/units/", "user": coordinator, "public": False},
        {"name": "page:reports", "path": "/reports/", "user": coordinator, "public": False},
        {"name": "page:report_detail", "path": f"/reports/{report.pk}/", "user": coordinator, "public": False},
        {"name": "page:report_period", "path": at, "user": coordinator, "public": False},
        {"name": "page:report_completeness", "path": at + "completeness/", "user": coordinator, "public": False},
        {"name": "page:province_report", "path": at + "province/", "user": coordinator, "public": False},
        {
            "name": "page:dashboard_overview",
            "path": f"/dashboards/plans/{plan.pk}/{period.code}/",
            "user": coordinator,
            "public": False,
        },
    ]


def run(ctx) -> list[dict]:
    small = ctx.query_counts("bench_pages:pages", "small")
    default = ctx.query_counts("bench_pages:pages", "default")
    cookies: dict[str | None, str | None] = {None: None}
    results = []
    measured_pages = pages()
    for page in measured_pages:
        user = page["user"]
        if user not in cookies:
            cookies[user] = ctx.login(user)
        measured = ctx.throughput(page["path"], cookies[user])
        results.append(
            ctx.page_result(
                page["name"],
                page["path"],
                measured,
                default[page["name"]]["queries"],
                small[page["name"]]["queries"],
                public=page["public"],
                server_ms=default[page["name"]]["server_ms"],
                cold_ms=default[page["name"]]["cold_ms"],
            )
        )
    coordinator = next(page["user"] for page in measured_pages if page["name"] == "page:plan")
    results.append(signed_in_floor(ctx, cookies[coordinator]))
    return results


def signed_in_floor(ctx, cookie: str) -> dict:
    """The trivial view asked with a coordinator's session: what every signed-in page costs before its view
    runs (the session, the user and their unit, the second factor's device, the account policies). No page
    can be faster; its share of the trivial view bounds what the signed-in pages' target can be."""
    measured = ctx.throughput("/healthz", cookie)
    return ctx.page_result(
        "page:signed_in_floor", "/healthz (signed in)", measured, None, None, public=False, bound=True
    )
