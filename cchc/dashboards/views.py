"""Dashboards: read-only pages over plans, execution and reports (who sees what: ``cchc.dashboards.scope``).

Every page costs a fixed number of queries (``tests/test_queries.py``) and every figure links to the rows it
counts: the results and deliverables lists here, filtered the same way as the figure.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.dashboards import charts, figures
from cchc.dashboards import home as home_lists
from cchc.dashboards.figures import (
    GROUP_CHOICES,
    NO_SOURCE,
    Counts,
    DeliverableState,
    Filters,
    State,
    area_choices,
    report_state,
)
from cchc.dashboards.panels import panels
from cchc.dashboards.scope import (
    PROVINCE_ROLES,
    READER_ROLES,
    current_period,
    default_plan_for,
    find_period,
    find_public_plan,
    get_activity_for_user,
    get_plan_for_user,
    get_supervised_unit,
    get_unit_for_user,
    plan_periods,
    public_code,
    public_plans,
    sees_province,
)
from cchc.dashboards.templatetags.dashboards_tags import state_badge
from cchc.execution.models import Deliverable, Evidence, Result, ResultKind
from cchc.execution.permissions import can_supervise_activity, leads_activity
from cchc.execution.progress import progress_by_kind, results_between
from cchc.feedback.permissions import is_desk
from cchc.lib import figcache
from cchc.lib.pagecache import public_page_cache
from cchc.lib.paging import paginate, when_shown
from cchc.lib.vnformat import vn_number
from cchc.orgs.models import Unit
from cchc.plans.models import Activity, Plan, PlanStatus
from cchc.reports.actions import do_remind_activity_agencies, do_remind_missing_subplans
from cchc.reports.completeness import expected_units
from cchc.reports.models import Period, ReportStatus
from cchc.reports.permissions import is_coordinator
from cchc.reports.topics import coverage as topic_coverage

province_required = role_required(*PROVINCE_ROLES)
reader_required = role_required(*READER_ROLES)


# --- Shared ----------------------------------------------------------------------------------------------------


def parse_filters(params, areas) -> Filters:
    """Kind of agency and area from the query string; unknown values are ignored, not refused."""
    group = params.get("group", "")
    group = group if group in dict(GROUP_CHOICES) else ""
    code = params.get("area", "")
    area = next((a for a in areas if a.code == code), None) if code else None
    return Filters(group=group, area=area)


def _page(request: HttpRequest, plan_pk: int, code: str, *, with_filters: bool = True) -> dict:
    """What every page of one plan and period shows in its header: the plan, its periods and its areas, from the
    figure cache until the data changes (three queries when they are not there)."""
    plan, periods, all_areas = figcache.cached("dashboard-head", (plan_pk,), lambda: _head(plan_pk))
    if plan is None or not plan.is_visible_to(request.user):
        raise Http404
    period = find_period(periods, code)
    areas = all_areas if with_filters else []
    return {
        "plan": plan,
        "periods": periods,
        "period": period,
        "areas": areas,
        "groups": GROUP_CHOICES,
        "filters": parse_filters(request.GET, areas),
        "day": figures.today(),
        "state_legend": charts.legend(State.ORDER, State.LABELS, State.ICONS),
        "deliverable_legend": charts.legend(DeliverableState.ORDER, DeliverableState.LABELS, DeliverableState.ICONS),
        "chart_defs": charts.defs(),
    }


def _head(plan_pk: int) -> tuple:
    """The plan (without its document), its periods and the areas its pages can be narrowed to."""
    plan = Plan.objects.select_related("issuer_unit").defer("source", "accepted_warnings").filter(pk=plan_pk).first()
    if plan is None:
        return None, [], []
    return plan, plan_periods(plan), area_choices(plan)


class RowLinks:
    """The addresses a long table repeats on every row (an agency's page, its results, its deliverables, its
    report), reversed once per page and filled in per row: ``reverse()`` on each of 250 rows × 5 links would
    cost more than the page's queries."""

    MARK = "0x0MARK0x0"

    def __init__(self, plan: Plan, period: Period):
        def pattern(name: str, *args) -> str:
            return reverse(name, args=args).replace(self.MARK, "{}")

        self._agency = pattern("dashboards:agency", plan.pk, period.code, self.MARK)
        self._results = reverse("dashboards:results", args=[plan.pk, period.code])
        self._deliverables = reverse("dashboards:deliverables", args=[plan.pk, period.code])
        self._report = pattern("reports:detail", 987654321).replace("987654321", "{}")

    def agency(self, code: str) -> str:
        return self._agency.format(code)

    def results(self, **params) -> str:
        return f"{self._results}?{urlencode(params)}"

    def deliverables(self, **params) -> str:
        return f"{self._deliverables}?{urlencode(params)}"

    def report(self, pk: int | None) -> str:
        return self._report.format(pk) if pk else ""

    def badges(self, keys=State.ORDER + (State.NOT_EXPECTED,)) -> dict:
        return {key: state_badge(key) for key in keys}


def _render(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """The whole page, or (htmx, after a filter changed) only the part below the filters."""
    return render(request, partial if request.htmx else template, context)


def _label(activity: Activity) -> str:
    return f"{activity.number}. {activity.title}"


# --- Index ---------------------------------------------------------------------------------------------------


# --- Home: each role's own work ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where everyone lands after logging in: the coordinator's review queue, an agency's reports and tasks, the
    desk's inbox; the leadership goes to its one-page summary."""
    user = request.user
    day = figures.today()
    context: dict = {"day": day}
    if is_coordinator(user) or user.role == Role.ADMIN:
        queue, waiting = home_lists.review_queue()
        context |= {
            "queue": queue,
            "waiting": waiting,
            "periods_due": home_lists.periods_due(day),
            "drafts": home_lists.draft_plans(user),
        }
    elif sees_province(user):  # the leadership: the summary of the plan being carried out
        plan = default_plan_for(user)
        period = current_period(plan_periods(plan), day) if plan is not None else None
        if period is not None:
            return redirect("dashboards:summary", plan.pk, period.code)
        context["no_plan"] = True
    elif user.is_agency_staff and user.unit_id:
        tasks, task_count = home_lists.agency_tasks(user, day)
        reports = home_lists.agency_reports(user.unit_id)
        not_started = home_lists.periods_not_started(user.unit_id, day)
        context |= {
            "unit": user.unit,
            "reports": reports,
            "not_started": not_started,
            "report_count": len(reports) + len(not_started),
            "tasks": tasks,
            "task_count": task_count,
            "reports_first": user.role == Role.HEAD,
        }
    if is_desk(user) or (user.is_agency_staff and user.unit_id):
        items, counts = home_lists.feedback_inbox(user, day)
        context |= {"inbox": items, "inbox_counts": counts, "inbox_always": is_desk(user)}
    return render(request, "dashboards/home.html", context)


@reader_required
def index(request: HttpRequest) -> HttpResponse:
    """Province-wide roles choose a plan and a period; an agency's staff go straight to their agency's page."""
    user = request.user
    day = figures.today()
    if not sees_province(user):
        plan = default_plan_for(user)
        period = current_period(plan_periods(plan), day) if plan is not None else None
        if period is None:
            return render(request, "dashboards/index.html", {"rows": [], "day": day})
        return redirect("dashboards:agency", plan.pk, period.code, user.unit.code)
    plans = list(Plan.objects.visible_to(user).exclude(status=PlanStatus.DRAFT).order_by("-year", "-pk")[:10])
    by_plan: dict[int, list[Period]] = {p.pk: [] for p in plans}
    for period in Period.objects.filter(plan__in=plans).order_by("end", "-start"):
        by_plan[period.plan_id].append(period)
    rows = []
    for plan in plans:
        periods = by_plan[plan.pk] or plan_periods(plan)
        rows.append({"plan": plan, "periods": periods, "current": current_period(periods, day)})
    return render(request, "dashboards/index.html", {"rows": rows, "day": day})


@reader_required
def plan_home(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_plan_for_user(request.user, plan)
    period = current_period(plan_periods(plan_obj), figures.today())
    if period is None:
        raise Http404("the plan has no reporting periods")
    if sees_province(request.user):
        return redirect("dashboards:overview", plan_obj.pk, period.code)
    return redirect("dashboards:agency", plan_obj.pk, period.code, request.user.unit.code)


# --- Province-wide pages -------------------------------------------------------------------------------------------


def _activity_rows(snap) -> list[tuple[str, str, Counts]]:
    """Activities with deliverables due in the period (the others have no dated target to draw)."""
    return [(_label(a.activity), _label(a.activity), a.counts) for a in snap.activities if a.counts.deliverables_due]


def _coverage_rows(snap) -> list[tuple[str, str, int, int]]:
    return [
        (_label(a.activity), _label(a.activity), a.counts.with_results, a.counts.obligations) for a in snap.activities
    ]


# Charts in a half-width column: a narrower drawing keeps their text the size of the page's.
HALF = charts.Layout(width=520, label_width=180, note_width=130, label_chars=26)

COVERAGE_LEGEND = [
    ("with_results", "", _lazy("Đơn vị đã có kết quả")),
    ("without_results", "", _lazy("Đơn vị chưa có kết quả trong kỳ")),
]


@province_required
def overview(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    context = _page(request, plan, code)
    # The body is kept until the data changes ({% datacache %} in dashboards/_overview_body.html): its figures, charts
    # and panels are computed only when it is rendered.
    snap = when_shown(lambda: figures.snapshot(context["plan"], context["period"], context["filters"], context["day"]))
    context.update(
        snap=snap,
        tab="overview",
        activity_rows_due=when_shown(lambda: any(a.counts.deliverables_due for a in snap.activities)),
        coverage_chart=when_shown(
            lambda: charts.coverage(
                "chart-coverage",
                _coverage_rows(snap),
                title=_("Đơn vị đã có kết quả theo từng hoạt động"),
                desc=_(
                    "Mỗi thanh là một hoạt động: trong số các đơn vị được giao, bao nhiêu đơn vị đã ghi nhận ít "
                    "nhất một kết quả trong kỳ. Số liệu ở bảng bên dưới."
                ),
            )
        ),
        coverage_legend=[
            {"key": k, "swatch": charts.swatch(k), "icon": i, "label": lbl} for k, i, lbl in COVERAGE_LEGEND
        ],
        activity_chart=when_shown(
            lambda: charts.activity_progress(
                "chart-activities",
                _activity_rows(snap),
                title=_("Tiến độ sản phẩm định kỳ theo hoạt động"),
                desc=_(
                    "Mỗi thanh là một hoạt động: số kỳ đạt đúng hạn, đạt trễ hạn, quá hạn chưa đạt và chưa đến "
                    "hạn; bên phải là số kỳ đã đạt trên số kỳ đến hạn. Số liệu ở bảng ngay dưới."
                ),
            )
        ),
        report_chart=when_shown(
            lambda: charts.report_states(
                "chart-reports",
                [(g.label, g.states) for g in snap.groups] + [(_("Tổng cộng"), snap.states)],
                title=_("Tình hình gửi báo cáo theo loại cơ quan"),
                desc=_(
                    "Mỗi thanh là một nhóm cơ quan: số đơn vị gửi đúng hạn, trễ hạn, bị trả lại, quá hạn chưa gửi "
                    "và chưa đến hạn; bên phải là số đã gửi trên số phải gửi. Số liệu ở bảng ngay dưới."
                ),
            )
        ),
        panels=when_shown(lambda: panels(plan=context["plan"], period=context["period"], user=request.user)),
        topics=when_shown(
            lambda: figcache.cached(
                "topics",
                (context["plan"].pk, context["period"].pk, context["filters"].key, context["day"]),
                lambda: topic_coverage(
                    context["plan"].pk,
                    results_between(context["plan"], context["period"].start, context["period"].end, snap.unit_ids),
                    total=snap.result_count,
                ),
            )
        ),
    )
    return _render(request, "dashboards/overview.html", "dashboards/_overview_body.html", context)


@province_required
def agencies(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    context = _page(request, plan, code)
    snap = figures.snapshot(context["plan"], context["period"], context["filters"], context["day"])
    state = request.GET.get("state", "")
    rows = snap.agencies
    if state in State.ORDER:
        rows = [row for row in rows if row.state == state]
    else:
        state = ""
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        rows = [row for row in rows if row.report is not None and row.report.status == status]
    else:
        status = ""
    totals = Counts()
    links = RowLinks(context["plan"], context["period"])
    for row in rows:
        totals.merge(row.counts)
        code_ = row.unit.code
        row.links = {
            "agency": links.agency(code_),
            "report": links.report(row.report.pk if row.report else None),
            "met": links.deliverables(unit=code_, state=DeliverableState.MET),
            "missed": links.deliverables(unit=code_, state=DeliverableState.MISSED),
            "results": links.results(unit=code_),
        }
    context.update(
        snap=snap,
        rows=rows,
        badges=links.badges(),
        state=state,
        state_label=State.LABELS.get(state, ""),
        totals=totals,
        status=status,
        status_label=dict(ReportStatus.choices).get(status, ""),
        keep=[(k, v) for k, v in (("state", state), ("status", status)) if v],
        tab="agencies",
        states=[(k, State.LABELS[k]) for k in State.ORDER],
    )
    return _render(request, "dashboards/agencies.html", "dashboards/_agencies_body.html", context)


@province_required
def grid(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    context = _page(request, plan, code)
    rows = figures.status_grid(context["plan"], context["periods"], context["filters"], context["day"])
    links = RowLinks(context["plan"], context["period"])
    for row in rows:
        row.href = links.agency(row.unit.code)
        for cell in row.cells:
            cell.href = links.report(cell.report.pk if cell.report else None)
    columns = []
    for i, period in enumerate(context["periods"]):
        counts = dict.fromkeys(State.ORDER, 0)
        for row in rows:
            state = row.cells[i].state
            if state in counts:
                counts[state] += 1
        columns.append({"period": period, "counts": counts})
    context.update(rows=rows, columns=columns, tab="grid")
    return _render(request, "dashboards/grid.html", "dashboards/_grid_body.html", context)


@province_required
def spending(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    context = _page(request, plan, code)
    snap = figures.snapshot(context["plan"], context["period"], context["filters"], context["day"])
    sources = figures.spending_by_source(context["plan"], context["period"], snap.unit_ids)
    activity_bars = [
        charts.BarRow(
            f"{a.activity.number}. {a.activity.title}",
            float(a.counts.cost),
            f"{vn_number(a.counts.cost)} đ",
            _label(a.activity),
        )
        for a in snap.activities
    ]
    source_bars = [
        charts.BarRow(s.source or _("(không ghi nguồn)"), float(s.cost), f"{vn_number(s.cost)} đ") for s in sources
    ]
    group_bars = [charts.BarRow(g.label, float(g.counts.cost), f"{vn_number(g.counts.cost)} đ") for g in snap.groups]
    context.update(
        snap=snap,
        sources=sources,
        tab="spending",
        no_source=NO_SOURCE,
        activity_chart=charts.bars(
            "chart-spending-activities",
            _("Kinh phí đã chi theo hoạt động"),
            _("Tổng kinh phí các đơn vị ghi nhận cho từng hoạt động trong kỳ, đơn vị: đồng. Số liệu ở bảng ngay dưới."),
            activity_bars,
        ),
        source_chart=charts.bars(
            "chart-spending-sources",
            _("Kinh phí đã chi theo nguồn kinh phí"),
            _("Tổng kinh phí theo nguồn kinh phí các đơn vị ghi cho kết quả, đơn vị: đồng. Số liệu ở bảng ngay dưới."),
            source_bars,
            HALF,
        ),
        group_chart=charts.bars(
            "chart-spending-groups",
            _("Kinh phí đã chi theo loại cơ quan"),
            _("Tổng kinh phí theo nhóm cơ quan, đơn vị: đồng. Số liệu ở bảng ngay dưới."),
            group_bars,
            HALF,
        ),
    )
    return _render(request, "dashboards/spending.html", "dashboards/_spending_body.html", context)


def _activity_units(request: HttpRequest, context: dict, activity_obj: Activity) -> dict:
    """The agencies the activity page lists, as completeness rows (unit, report) or bare units: for province-wide
    roles the agencies that owe a report and pass the filters; for the lead, every agency the activity names."""
    if context["province"]:
        return {
            row.unit.pk: row for row in figures.selected_rows(context["period"], context["filters"], context["day"])
        }
    return {
        unit.pk: figures.NamedUnit(unit)
        for unit in Unit.objects.filter(obligations__activity=activity_obj)
        .only("id", "code", "name", "context", "kind", "search_key")
        .order_by("kind", "search_key", "pk")
    }


@reader_required
def activity(request: HttpRequest, plan: int, code: str, number: str) -> HttpResponse:
    """One activity across the agencies that owe it: province → activity → agency → results. Its lead agency's
    staff see it too, for every agency the activity names, and remind those behind."""
    province = sees_province(request.user)
    context = _page(request, plan, code, with_filters=province)
    context["province"] = province
    plan_obj, period, day = context["plan"], context["period"], context["day"]
    activity_obj = get_activity_for_user(request.user, plan_obj, number)
    units = _activity_units(request, context, activity_obj)
    agencies = []
    total = Counts()
    links = RowLinks(plan_obj, period)
    reminded = figures.reminded_today(activity_obj, timezone.localdate())  # reminders go out today, not 'as of'
    rows, by_kind = figcache.cached(
        "activity_progress",
        (plan_obj.pk, period.pk, activity_obj.pk, day, hashlib.sha256(repr(sorted(units)).encode()).hexdigest()),
        lambda: progress_by_kind(
            plan_obj, period.start, period.end, unit_ids=list(units), as_of=day, activity_ids=[activity_obj.pk]
        ),
    )
    for row in rows.values():
        counts = Counts()
        counts.add(row)
        total.add(row)
        source = units[row.unit_id]
        unit_code = source.unit.code
        agencies.append(
            {
                "unit": source.unit,
                "role": row.role,
                "counts": counts,
                "report": source.report,
                "state": report_state(source.report, period, day) if province else "",
                "behind": bool(counts.missed) or not counts.results,
                "reminded": row.unit_id in reminded,
                "links": {
                    "agency": links.agency(unit_code) if province else "",
                    "met": links.deliverables(unit=unit_code, activity=number, state=DeliverableState.MET),
                    "missed": links.deliverables(unit=unit_code, activity=number, state=DeliverableState.MISSED),
                    "results": links.results(unit=unit_code, activity=number),
                },
            }
        )
    order = {pk: i for i, pk in enumerate(units)}
    agencies.sort(key=lambda a: order[a["unit"].pk])
    kinds = [figures.KindRow(kind, t.results, t.quantity, t.cost, t.reach) for (_activity, kind), t in by_kind.items()]
    kinds.sort(key=lambda k: figures.KIND_ORDER.get(k.kind, 99))
    context.update(
        activity=activity_obj,
        agencies=agencies,
        total=total,
        kinds=kinds,
        tab="overview" if province else "agency",
        badges=links.badges(),
        silent=sum(1 for a in agencies if not a["counts"].results),
        behind=[a for a in agencies if a["behind"] and not a["reminded"]],
        can_remind=can_supervise_activity(request.user, activity_obj),
    )
    return _render(request, "dashboards/activity.html", "dashboards/_activity_body.html", context)


@reader_required
@require_POST
def activity_remind(request: HttpRequest, plan: int, code: str, number: str) -> HttpResponse:
    """The lead (or a coordinator) reminds the agencies it chose among those behind on the activity."""
    plan_obj = get_plan_for_user(request.user, plan)
    activity_obj = get_activity_for_user(request.user, plan_obj, number)
    if not can_supervise_activity(request.user, activity_obj):
        raise PermissionDenied
    codes = request.POST.getlist("unit")
    units = list(Unit.objects.filter(code__in=codes, obligations__activity=activity_obj).distinct())
    try:
        reminded = do_remind_activity_agencies(activity_obj, units, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        _reminded_messages(request, reminded)
    return redirect("dashboards:activity", plan_obj.pk, code, number)


# --- One agency ------------------------------------------------------------------------------------------------


@reader_required
def agency(request: HttpRequest, plan: int, code: str, unit: str) -> HttpResponse:
    """An agency's page: its reports in every period, what is due this month, what is late, and its progress
    under each of its obligations in the period. The agency's own staff see it; so do province-wide roles."""
    unit_obj = get_unit_for_user(request.user, unit)
    context = _page(request, plan, code, with_filters=False)
    plan_obj, period, day = context["plan"], context["period"], context["day"]
    cells = figures.agency_reports(plan_obj, context["periods"], unit_obj, day)
    obligations = figures.agency_obligations(plan_obj, period, unit_obj, day)
    due, late = figures.agency_deadlines(plan_obj, unit_obj, day)
    total = Counts()
    for row in obligations:
        total.merge(row.counts)
    current = next(c for c in cells if c.period.pk == period.pk)
    late_reports = [c for c in cells if c.state in (State.MISSING, State.RETURNED) and c.period.due_on < day]
    context.update(
        unit=unit_obj,
        cells=cells,
        current=current,
        obligations=obligations,
        total=total,
        due=[(d, DeliverableState.of(d.due_on, d.met_on, day)) for d in due],
        late=late,
        late_reports=late_reports,
        tab="agency",
        province=sees_province(request.user),
        chart=charts.activity_progress(
            "chart-agency",
            [
                (f"{r.activity.number}. {r.activity.title}", _label(r.activity), r.counts)
                for r in obligations
                if r.counts.deliverables_due
            ],
            title=_("Tiến độ sản phẩm định kỳ của đơn vị"),
            desc=_("Mỗi thanh là một nhiệm vụ có sản phẩm định kỳ đến hạn trong kỳ. Số liệu ở bảng ngay dưới."),
        ),
    )
    return render(request, "dashboards/agency.html", context)


# --- The rows a figure counts -------------------------------------------------------------------------------------


def _list_scope(request: HttpRequest, context: dict, activity_obj: Activity | None = None):
    """The unit a list is narrowed to: the ``unit`` asked for (checked), or the user's own for agency staff.

    The lead of an activity may ask for any agency the activity names, when the list is narrowed to that
    activity (``get_supervised_unit``)."""
    user = request.user
    code = request.GET.get("unit", "")
    if code:
        if activity_obj is not None and not sees_province(user) and code != getattr(user.unit, "code", None):
            return get_supervised_unit(user, activity_obj, code)
        return get_unit_for_user(user, code)
    if not sees_province(user):
        if activity_obj is not None and leads_activity(user, activity_obj):
            return None  # every agency the activity names, for that activity only
        return user.unit
    return None


def _activity_param(request: HttpRequest, plan: Plan) -> Activity | None:
    number = request.GET.get("activity", "")
    return get_object_or_404(Activity.objects.filter(plan=plan), number=number) if number else None


@reader_required
def results(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    """The results a figure counts: the plan's, recorded in the period's data window, by the selected agencies."""
    context = _page(request, plan, code)
    plan_obj, period, filters = context["plan"], context["period"], context["filters"]
    activity_obj = _activity_param(request, plan_obj)
    unit = _list_scope(request, context, activity_obj)
    rows = Result.objects.filter(obligation__activity__plan=plan_obj).between(period.start, period.end)
    if unit is not None:
        rows = rows.filter(unit=unit)
    else:
        rows = rows.filter(unit__in=expected_units(period).values("pk")).filter(filters.unit_q())
    if activity_obj is not None:
        rows = rows.filter(obligation__activity=activity_obj)
    kind = request.GET.get("kind", "")
    if kind in ResultKind.values:
        rows = rows.filter(kind=kind)
    else:
        kind = ""
    funding = request.GET.get("funding")
    if funding is not None:
        rows = rows.filter(funding_source="" if funding == NO_SOURCE else funding)
    totals = rows.order_by().aggregate(n=Count("pk"), cost=Sum("cost"), reach=Sum("reach"))
    page = paginate(
        request,
        rows.select_related("unit", "obligation__activity")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.only("id", "result_id", "file", "link", "original_name"))
        )
        .order_by("-occurred_on", "-pk"),
        count=totals["n"],
    )
    context.update(
        unit=unit,
        activity=activity_obj,
        kind=kind,
        kind_label=dict(ResultKind.choices).get(kind, ""),
        funding=funding,
        no_source=NO_SOURCE,
        page=page,
        totals=totals,
        tab="rows",
    )
    return _render(request, "dashboards/results.html", "dashboards/_results_body.html", context)


@reader_required
def deliverables(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    """The deliverables a figure counts: due in the period's window, owed by the selected agencies, in a state."""
    context = _page(request, plan, code)
    plan_obj, period, filters, day = context["plan"], context["period"], context["filters"], context["day"]
    activity_obj = _activity_param(request, plan_obj)
    unit = _list_scope(request, context, activity_obj)
    rows = Deliverable.objects.filter(obligation__activity__plan=plan_obj).due_between(period.start, period.end)
    if unit is not None:
        rows = rows.filter(obligation__unit=unit)
    else:
        rows = rows.filter(obligation__unit__in=expected_units(period).values("pk")).filter(
            filters.unit_q("obligation__unit__")
        )
    if activity_obj is not None:
        rows = rows.filter(obligation__activity=activity_obj)
    state = request.GET.get("state", "")
    condition = DeliverableState.condition(state, day)
    if condition is not None:
        rows = rows.filter(condition)
    else:
        state = ""
    page = paginate(
        request,
        rows.select_related("obligation__unit", "obligation__activity").order_by(
            "due_on", "obligation__activity__order", "obligation__unit__search_key", "pk"
        ),
    )
    context.update(
        unit=unit,
        activity=activity_obj,
        state=state,
        state_label=DeliverableState.LABELS.get(state, ""),
        page=page,
        rows=[(d, DeliverableState.of(d.due_on, d.met_on, day)) for d in page],
        states=[(k, DeliverableState.LABELS[k]) for k in (*DeliverableState.ORDER, DeliverableState.MET)],
        tab="rows",
    )
    return _render(request, "dashboards/deliverables.html", "dashboards/_deliverables_body.html", context)


# --- Who has made its own plan ---------------------------------------------------------------------------------


@province_required
def subplans(request: HttpRequest, plan: int) -> HttpResponse:
    """Per plan, which agencies have an approved plan of their own, a draft, or none (section IV)."""
    plan_obj = get_plan_for_user(request.user, plan)
    day = figures.today()
    rows = figures.subplan_states(plan_obj, timezone.localdate())
    state = request.GET.get("state", "")
    counts = {key: sum(1 for r in rows if r.state == key) for key in figures.SubPlanState.ORDER}
    shown = [r for r in rows if r.state == state] if state in figures.SubPlanState.ORDER else rows
    context = {
        "plan": plan_obj,
        "rows": shown,
        "state": state if state in figures.SubPlanState.ORDER else "",
        "states": [(k, figures.SubPlanState.LABELS[k], counts[k]) for k in figures.SubPlanState.ORDER],
        "total": len(rows),
        "day": day,
        "can_remind": is_coordinator(request.user),
        "to_remind": [r for r in rows if r.state == figures.SubPlanState.NONE and not r.reminded],
    }
    return render(request, "dashboards/subplans.html", context)


@province_required
@require_POST
def subplans_remind(request: HttpRequest, plan: int) -> HttpResponse:
    """The coordinator reminds the agencies it chose among those without a plan of their own."""
    plan_obj = get_plan_for_user(request.user, plan)
    if not is_coordinator(request.user):
        raise PermissionDenied
    without = {r.unit.code: r.unit for r in figures.subplan_states(plan_obj, timezone.localdate()) if r.state == "none"}
    units = [without[code] for code in request.POST.getlist("unit") if code in without]
    try:
        reminded = do_remind_missing_subplans(plan_obj, units, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        _reminded_messages(request, reminded)
    return redirect("dashboards:subplans", plan_obj.pk)


def _names(units) -> str:
    shown = ", ".join(u.label for u in units[:10])
    return shown + (_(" và %(n)d đơn vị khác") % {"n": len(units) - 10} if len(units) > 10 else "")


def _reminded_messages(request: HttpRequest, reminded) -> None:
    if reminded.sent:
        messages.success(request, _("Đã nhắc %(n)d đơn vị (thông báo và thư điện tử).") % {"n": len(reminded.sent)})
    if reminded.without_email:
        messages.info(
            request,
            _("%(n)d đơn vị chỉ nhận thông báo trong hệ thống (chưa tài khoản nào có thư điện tử): %(names)s.")
            % {"n": len(reminded.without_email), "names": _names(reminded.without_email)},
        )
    if reminded.skipped:
        messages.info(
            request,
            _("%(n)d đơn vị đã được nhắc hôm nay, không nhắc lại: %(names)s.")
            % {"n": len(reminded.skipped), "names": _names(reminded.skipped)},
        )
    if reminded.unreachable:
        messages.warning(
            request,
            _(
                "%(n)d đơn vị chưa có tài khoản nào đang hoạt động nên không nhắc được: %(names)s. "
                "Hãy tạo tài khoản cho đơn vị hoặc liên hệ trực tiếp."
            )
            % {"n": len(reminded.unreachable), "names": _names(reminded.unreachable)},
        )


# --- Leadership summary -----------------------------------------------------------------------------------------

SUMMARY_LATE_NAMES = 12


def summary_context(request: HttpRequest, plan: int, code: str) -> dict:
    context = _page(request, plan, code)
    snap = figures.snapshot(context["plan"], context["period"], context["filters"], context["day"])
    lagging = [row for row in snap.agencies if row.state in (State.MISSING, State.RETURNED)]
    context.update(
        snap=snap,
        tab="summary",
        lagging=lagging[:SUMMARY_LATE_NAMES],
        lagging_more=max(0, len(lagging) - SUMMARY_LATE_NAMES),
        lagging_count=len(lagging),
        sources=figures.spending_by_source(context["plan"], context["period"], snap.unit_ids)[:5],
        panels=panels(plan=context["plan"], period=context["period"], user=request.user),
        report_chart=charts.report_states(
            "chart-summary-reports",
            [(g.label, g.states) for g in snap.groups] + [(_("Tổng cộng"), snap.states)],
            title=_("Tình hình gửi báo cáo"),
            desc=_("Số liệu ở bảng ngay dưới."),
            layout=charts.Layout(width=520, label_width=190, note_width=70, label_chars=28),
        ),
    )
    return context


@province_required
def summary(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    """One page for the provincial leadership: prints on one A4 sheet, and exists as a PDF."""
    return render(request, "dashboards/summary.html", summary_context(request, plan, code))


@province_required
def summary_pdf(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    from cchc.dashboards.pdf import summary_pdf as build

    context = summary_context(request, plan, code)
    data = build(context)
    period = context["period"]
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tom-tat-tien-do-{period.code}.pdf"'
    return response


# --- Public ---------------------------------------------------------------------------------------------------

# Public pages: the same for every visitor who is not signed in, and their figures change only when a report is
# accepted, so a minute in the shared cache spares the database the bursts citizens bring (cchc.lib.pagecache).
PUBLIC_CACHE_SECONDS = 60


@public_page_cache(PUBLIC_CACHE_SECONDS)
def public_index(request: HttpRequest) -> HttpResponse:
    plans = list(public_plans().order_by("-year", "-pk")[:20])
    return render(request, "dashboards/public_index.html", {"plans": [(plan, public_code(plan)) for plan in plans]})


def _moved_permanently(request: HttpRequest, plan: Plan, name: str, *args) -> HttpResponse:
    """An old public address of ``plan`` (before issue 14) to its current one, query string kept."""
    url = reverse(f"dashboards:{name}", args=[plan.year, public_code(plan), *args])
    query = request.GET.urlencode()
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@public_page_cache(PUBLIC_CACHE_SECONDS)
def public_plan(request: HttpRequest, year: int, code: str) -> HttpResponse:
    """The plan's progress for citizens: only results their agency made public, inside accepted reports;
    no officer's name, no evidence file, nothing a report has not been accepted for."""
    plan, current = find_public_plan(year, code)
    if not current:
        return _moved_permanently(request, plan, "public_plan")
    data = figures.public_progress(plan)
    rows = [
        (_label(a.activity), _label(a.activity), a.deliverables)
        for a in data.activities
        if a.deliverables.deliverables_due
    ]
    context = {
        "plan": plan,
        "code": code,
        "data": data,
        "panels": panels(plan=plan, public=True),
        "chart_defs": charts.defs(),
        "coverage_chart": charts.coverage(
            "chart-public-coverage",
            [(_label(a.activity), _label(a.activity), a.reporting, a.agencies) for a in data.activities],
            title=_("Đơn vị đã có kết quả công khai theo từng hoạt động"),
            desc=_(
                "Mỗi thanh là một hoạt động: trong số các cơ quan, đơn vị được giao, bao nhiêu đơn vị đã có kết quả "
                "công khai thuộc báo cáo đã được tiếp nhận. Số liệu ở bảng ngay dưới."
            ),
        ),
        "coverage_legend": [
            {"key": k, "swatch": charts.swatch(k), "icon": i, "label": lbl} for k, i, lbl in COVERAGE_LEGEND
        ],
        "deliverable_legend": charts.legend(DeliverableState.ORDER, DeliverableState.LABELS, DeliverableState.ICONS),
        "chart": rows
        and charts.activity_progress(
            "chart-public",
            rows,
            title=_("Tiến độ các hoạt động của kế hoạch"),
            desc=_(
                "Mỗi thanh là một hoạt động: số kỳ đạt đúng hạn, đạt trễ hạn, quá hạn chưa đạt và chưa đến hạn, "
                "theo các báo cáo đã được tiếp nhận. Số liệu ở bảng ngay dưới."
            ),
        ),
    }
    return render(request, "dashboards/public_plan.html", context)


@public_page_cache(PUBLIC_CACHE_SECONDS)
def public_activity(request: HttpRequest, year: int, code: str, number: str) -> HttpResponse:
    """The public results one activity's figures count: agency, date, kind, title, quantity — nothing else."""
    plan, current = find_public_plan(year, code)
    if not current:
        return _moved_permanently(request, plan, "public_activity", number)
    activity_obj = get_object_or_404(Activity.objects.filter(plan=plan), number=number)
    rows = (
        figures.public_results(plan)
        .filter(obligation__activity=activity_obj)
        .order_by("-occurred_on", "-pk")
        .values("occurred_on", "unit__name", "kind", "title", "quantity", "quantity_unit")
    )
    page = paginate(request, rows)
    labels = dict(ResultKind.choices)
    context = {
        "plan": plan,
        "code": code,
        "activity": activity_obj,
        "page": page,
        "rows": [{**r, "kind_label": labels.get(r["kind"], r["kind"])} for r in page],
    }
    return render(request, "dashboards/public_activity.html", context)
