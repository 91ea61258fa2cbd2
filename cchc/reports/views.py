from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.lib import figcache
from cchc.lib.paging import paginate, when_shown
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.plans.models import Plan
from cchc.reports import actions
from cchc.reports.completeness import AGENCY_GROUPS, Timeliness, completeness, timeliness_of
from cchc.reports.consolidation import consolidate, general_text_state
from cchc.reports.exports import export_agency, export_province
from cchc.reports.figures import report_figures
from cchc.reports.forms import CalendarForm, ProvinceReportForm, ReportForm, ReviewForm
from cchc.reports.models import Period, ProvinceReport, Report, ReportStatus
from cchc.reports.notify import reach_of_units
from cchc.reports.permissions import (
    can_review_report,
    can_submit_report,
    can_write_report,
    get_report_for_user,
    is_coordinator,
)
from cchc.reports.topics import for_items

EXPORT_FORMATS = ("docx", "xlsx")
# The period page's status filter beside the timeliness ones: reports sent and waiting for review.
WAITING = "waiting"


# --- Fetching, permission-checked ----------------------------------------------------------------------


def get_period_for_user(user, plan_pk: int, code: str, *, to_show: bool = False) -> Period:
    """The period of a plan the user may see, with its plan, in one query (404 for anything else).

    ``to_show``: for a page that only shows it: from the figure cache until the data changes (no query), without
    the plan's document and accepted warnings (read if ever asked for)."""
    if not to_show:
        return get_object_or_404(
            Period.objects.select_related("plan").filter(plan__in=Plan.objects.visible_to(user)),
            plan_id=plan_pk,
            code=code,
        )
    period = figcache.cached(
        "period-row",
        (plan_pk, code),
        lambda: (
            Period.objects.select_related("plan")
            .defer("plan__source", "plan__accepted_warnings")
            .filter(plan_id=plan_pk, code=code)
            .first()
        ),
    )
    if period is None or not period.plan.is_visible_to(user):
        raise Http404
    return period


def _require_report_staff(user) -> None:
    if not (user.sees_everything or user.is_agency_staff):
        raise PermissionDenied


def _attachment(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- Periods --------------------------------------------------------------------------------------------


def _index_rows(user, today) -> list[tuple]:
    """The reports index's plans, each with its periods and where the user's (or everyone's) reports stand."""
    plans = list(
        Plan.objects.visible_to(user)
        .order_by("-year", "title", "pk")
        .only("id", "year", "title", "number", "symbol", "status")[:10]  # not the plan's document
    )
    periods = list(Period.objects.filter(plan__in=plans).order_by("plan", "end", "-start"))
    mine, counts = {}, {}
    if user.is_agency_staff and user.unit_id:
        mine = {
            r.period_id: r
            for r in Report.objects.filter(unit_id=user.unit_id, period__in=periods).only(
                "id", "period_id", "status", "first_submitted_on"
            )
        }
    if user.sees_everything:
        for row in (
            Report.objects.filter(period__in=periods)
            .exclude(status=ReportStatus.DRAFT)
            .values("period_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        ):
            status = ReportStatus.RETURNED if row["status"] == ReportStatus.REVISED else row["status"]
            bucket = counts.setdefault(row["period_id"], {})
            bucket[status] = bucket.get(status, 0) + row["n"]
    by_plan = []
    for plan in plans:
        rows = []
        for period in (p for p in periods if p.plan_id == plan.pk):
            report = mine.get(period.pk)
            rows.append(
                {
                    "period": period,
                    "report": report,
                    "counts": counts.get(period.pk, {}),
                    "timeliness": Timeliness.LABELS[timeliness_of(report, period)] if report else "",
                    "current": period.start <= today <= period.due_on,
                }
            )
        by_plan.append((plan, rows))
    return by_plan


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Every period of every plan the user sees: due dates, and where the user's reports stand."""
    user = request.user
    _require_report_staff(user)
    today = timezone.localdate()
    # The table is kept until the data changes ({% datacache %} in reports/index.html): its queries run only when it
    # is rendered.
    by_plan = when_shown(lambda: _index_rows(user, today))
    return render(request, "reports/index.html", {"by_plan": by_plan, "today": today})


@login_required
def calendar(request: HttpRequest, plan: int) -> HttpResponse:
    plan_obj = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan)
    calendar_obj = actions.get_calendar(plan_obj)
    can_edit = request.user.can_edit_plans
    form, status = None, 200
    if can_edit:
        form = CalendarForm(instance=calendar_obj, initial={"version": calendar_obj.version})
        if request.method == "POST":
            form = CalendarForm(request.POST, instance=actions.get_calendar(plan_obj))
            if form.is_valid():
                try:
                    actions.do_save_calendar(
                        actions.get_calendar(plan_obj),
                        form.cleaned_data,
                        expected_version=form.cleaned_data["version"],
                        actor=request.user,
                    )
                    messages.success(request, _("Đã lưu lịch báo cáo; các kỳ báo cáo đã được tính lại."))
                    return redirect("reports:calendar", plan=plan_obj.pk)
                except StaleEdit as err:
                    status = keep_input(form, err)
                except ValidationError as err:
                    form.add_error(None, err)
    elif request.method == "POST":
        raise PermissionDenied
    periods = Period.objects.filter(plan=plan_obj).order_by("end", "-start")
    return render(
        request,
        "reports/calendar.html",
        {"plan": plan_obj, "calendar": calendar_obj, "form": form, "periods": periods, "can_edit": can_edit},
        status=status,
    )


@login_required
def period_reports(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    """Coordinator and observer: every agency that owes a report, with its status. Agency staff: their own."""
    user = request.user
    _require_report_staff(user)
    period = get_period_for_user(user, plan, code, to_show=True)
    if not user.sees_everything:
        own = Report.objects.filter(period=period, unit_id=user.unit_id).first()
        if own is not None:
            return redirect("reports:detail", pk=own.pk)
        return render(request, "reports/period_mine.html", {"period": period, "unit": user.unit})
    group, status = request.GET.get("group", ""), request.GET.get("t", "")
    # Kept until the data changes ({% datacache %} in reports/period.html and reports/_period_rows.html): the figures
    # and the table are computed only when they are rendered.
    state = when_shown(lambda: completeness(period))
    context = {
        "period": period,
        "state": state,
        "page": when_shown(lambda: paginate(request, _period_rows(state.rows, group, status))),
        "group": group,
        "t": status,
        "groups": AGENCY_GROUPS,
        "timeliness": [*Timeliness.LABELS.items(), (WAITING, _("Chờ xem xét"))],
        "is_coordinator": is_coordinator(user),
        "today": timezone.localdate(),
    }
    template = "reports/_period_rows.html" if request.htmx else "reports/period.html"
    return render(request, template, context)


def _period_rows(rows, group: str, status: str) -> list:
    """The period's agencies of one group and one state (or all); the review queue the longest waiting first."""
    if group in dict(AGENCY_GROUPS):
        rows = [r for r in rows if r.group == group]
    if status in Timeliness.LABELS:
        rows = [r for r in rows if r.timeliness == status]
    elif status == WAITING:  # the review queue: sent and not yet reviewed, the longest waiting first
        rows = sorted(
            (r for r in rows if r.report and r.report.status == ReportStatus.SUBMITTED),
            key=lambda r: (r.report.submitted_at is None, r.report.submitted_at, r.report.pk),
        )
    return rows


@login_required
@require_POST
def start_report(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    user = request.user
    if not (user.is_agency_staff and user.unit_id):
        raise PermissionDenied
    period = get_period_for_user(user, plan, code)
    report = actions.do_start_report(period, user.unit, actor=user)
    return redirect("reports:detail", pk=report.pk)


@login_required
def completeness_page(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    if not request.user.sees_everything:
        raise PermissionDenied
    period = get_period_for_user(request.user, plan, code, to_show=True)
    # Kept until the data changes ({% datacache %} in reports/completeness.html): computed only when rendered.
    state = when_shown(lambda: completeness(period))
    lists = when_shown(
        lambda: [
            (key, label, [r for r in state.rows if r.timeliness == key])
            for key, label in Timeliness.LABELS.items()
            if key != Timeliness.ON_TIME
        ]
    )
    unreachable = when_shown(lambda: _unreachable(state))
    context = {
        "period": period,
        "state": state,
        "lists": lists,
        "today": timezone.localdate(),
        **{name: when_shown(lambda name=name: unreachable[name]) for name in UNREACHABLE},
    }
    return render(request, "reports/completeness.html", context)


UNREACHABLE = ("no_account", "no_email", "unreachable_total")


def _unreachable(state) -> dict:
    """Agencies that still owe the report and that reminders cannot reach: no account, or no e-mail address."""
    owing = [r for r in state.rows if r.timeliness in (Timeliness.MISSING, Timeliness.RETURNED)]
    reach = reach_of_units(r.unit.pk for r in owing)
    no_account = [r for r in owing if not reach[r.unit.pk].reachable]
    no_email = [r for r in owing if reach[r.unit.pk].reachable and not reach[r.unit.pk].by_email]
    return {"no_account": no_account, "no_email": no_email, "unreachable_total": len(no_account) + len(no_email)}


# --- One agency's report -----------------------------------------------------------------------------------


def _report_form(report: Report, data=None) -> ReportForm:
    initial = {name: getattr(report, name) for name in actions.REPORT_FIELDS} | {"version": report.version}
    return ReportForm(data, initial=initial)


def _detail_context(request, report: Report, form=None, conflict=None) -> dict:
    user = request.user
    # The figures, topics, items and versions are kept until the data changes ({% datacache %} in
    # reports/detail.html): computed only when rendered.
    computed = when_shown(lambda: report_figures(report))
    items = when_shown(lambda: computed[1])
    writable = can_write_report(user, report)
    return {
        "report": report,
        "period": report.period,
        "figures": when_shown(lambda: computed[0]),
        "items": items,
        "topics": when_shown(lambda: for_items(report.period.plan_id, items)),
        "form": form or (_report_form(report) if writable else None),
        "conflict": conflict,
        "can_write": writable,
        "can_submit": can_submit_report(user, report),
        "can_review": can_review_report(user, report),
        "versions": when_shown(
            lambda: report.versions.select_related("submitted_by", "reviewed_by").order_by("-number")
        ),
        "timeliness": Timeliness.LABELS[timeliness_of(report, report.period)],
        "overdue": report.is_editable and timezone.localdate() > report.period.due_on,
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, to_show=True)
    return render(request, "reports/detail.html", _detail_context(request, report))


@login_required
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = ReportForm(request.POST)
    conflict = None
    status = 200
    if form.is_valid():
        try:
            report = actions.do_save_report(
                report, form.cleaned_data, expected_version=form.cleaned_data["version"], actor=request.user
            )
        except StaleEdit as err:
            # Keep what this user typed in the form; show the saved text beside it.
            conflict = err.current
            form = _rebound_at(ReportForm, request.POST, conflict)
            status = keep_input(form, err)
            report = conflict
        except ValidationError as err:
            form.add_error(None, err)
            status = 422
        else:
            if request.POST.get("and_submit"):
                return _submit_after_save(request, report)
            if not request.htmx:
                messages.success(request, _("Đã lưu báo cáo."))
                return redirect("reports:detail", pk=report.pk)
            form = _report_form(report)
    else:
        status = 422
    if request.htmx:
        response = render(
            request,
            "reports/_narratives.html",
            {
                "report": report,
                "form": form,
                "conflict": conflict,
                "saved": status == 200,
                "can_write": True,
                "can_submit": can_submit_report(request.user, report),
            },
        )
        response.status_code = status
        return response
    response = render(request, "reports/detail.html", _detail_context(request, report, form=form, conflict=conflict))
    response.status_code = status
    return response


def _rebound_at(form_class, post, current):
    """The user's input bound again at the current version: saving it after comparing is a deliberate overwrite."""
    data = post.copy()
    data["version"] = current.version
    form = form_class(data)
    form.is_valid()
    return form


def _submit(request, report: Report, expected_version: int | None) -> Report:
    """Submit and say how it went (as a message on the next page)."""
    try:
        report = actions.do_submit_report(report, actor=request.user, expected_version=expected_version)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        note = (
            ""
            if report.first_submitted_on <= report.period.due_on
            else _(" (sau hạn %(due)s)") % {"due": report.period.due_on.strftime("%d/%m/%Y")}
        )
        messages.success(
            request, _("Đã gửi báo cáo tới Sở Nội vụ%(note)s. Các kết quả trong kỳ đã được khóa.") % {"note": note}
        )
    return report


def _submit_after_save(request, report: Report) -> HttpResponse:
    if not can_submit_report(request.user, report):
        raise PermissionDenied
    report = _submit(request, report, report.version)
    url = reverse("reports:detail", args=[report.pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    report = _submit(request, report, version)
    return redirect("reports:detail", pk=report.pk)


@login_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    report = get_report_for_user(request.user, pk)
    form = ReviewForm(initial={"version": report.version})
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "accept":
                    actions.do_accept_report(report, actor=request.user, expected_version=data["version"])
                    messages.success(request, _("Đã tiếp nhận báo cáo của %(unit)s.") % {"unit": report.unit.name})
                else:
                    actions.do_return_report(
                        report, data["reason"], actor=request.user, expected_version=data["version"]
                    )
                    messages.success(
                        request,
                        _("Đã trả lại báo cáo của %(unit)s; đơn vị đã được thông báo.") % {"unit": report.unit.name},
                    )
                # The home page's review queue accepts in one click and comes back to the queue.
                target = request.POST.get("next", "")
                if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    return redirect(target)
                return redirect("reports:period", plan=report.period.plan_id, code=report.period.code)
            except StaleEdit as err:
                keep_input(form, err)
            except ValidationError as err:
                form.add_error(None, err)
    context = _detail_context(request, report) | {"review_form": form}
    status = 409 if form.has_error(NON_FIELD_ERRORS, "stale") else 422 if form.errors else 200
    return render(request, "reports/review.html", context, status=status)


@login_required
def report_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    version = get_object_or_404(report.versions.select_related("submitted_by", "reviewed_by"), number=number)
    return render(
        request,
        "reports/version.html",
        {
            "report": report,
            "period": report.period,
            "version": version,
            "figures": version.figures,
            "items": version.items,
        },
    )


@login_required
def report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if fmt not in EXPORT_FORMATS:
        raise PermissionDenied
    report = Report.objects.select_related("period__plan", "unit__parent", "current_version").get(pk=report.pk)
    return _attachment(export_agency(report, fmt))


# --- The province report ---------------------------------------------------------------------------------


def _province_form(province: ProvinceReport | None, data: dict, post=None) -> ProvinceReportForm:
    text = general_text_state(province, data)
    if province is None:
        initial = {
            "version": 0,
            "recipients": actions.DEFAULT_PROVINCE_RECIPIENTS,
            "signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
        }
    else:
        initial = {name: getattr(province, name) for name in actions.PROVINCE_FIELDS} | {"version": province.version}
    # While nobody has edited it, "Đánh giá chung" is the one the figures give now.
    initial |= {"general_text": text.text, "general_basis": text.generated}
    return ProvinceReportForm(post, initial=initial)


def _province_context(request, period: Period, form=None, conflict=None) -> dict:
    province = figcache.cached(
        "province-row",
        (period.pk,),
        lambda: ProvinceReport.objects.filter(period=period).select_related("issued_by", "updated_by").first(),
    )
    # The figures, the general text's state and an unbound form are rendered inside {% datacache %} blocks of
    # reports/province.html: computed only when those are not in the cache.
    data = when_shown(lambda: province.figures if province is not None and province.is_issued else consolidate(period))
    editable = is_coordinator(request.user) and not (province and province.is_issued)
    return {
        "period": period,
        "province": province,
        "data": data,
        "groups": when_shown(lambda: data["groups"]),
        "general": when_shown(lambda: general_text_state(province, data)),
        "form": form or (when_shown(lambda: _province_form(province, data)) if editable else None),
        "form_bound": form is not None,  # the user's own input (and errors): never from the cache
        "editable": editable,
        "conflict": conflict,
        "today": timezone.localdate(),
    }


@login_required
def province_report(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    if not request.user.sees_everything:
        raise PermissionDenied
    period = get_period_for_user(request.user, plan, code, to_show=True)
    return render(request, "reports/province.html", _province_context(request, period))


@login_required
@require_POST
def province_save(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    period = get_period_for_user(request.user, plan, code)
    form = ProvinceReportForm(request.POST)
    conflict, status = None, 200
    if form.is_valid():
        regenerate = bool(request.POST.get("regenerate"))
        try:
            actions.do_save_province_draft(
                period,
                form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                actor=request.user,
                basis=form.cleaned_data["general_basis"] or None,
                regenerate=regenerate,
            )
            if regenerate:
                messages.success(request, _("Đã thay đoạn “Đánh giá chung” bằng đoạn văn theo số liệu hiện tại."))
            else:
                messages.success(request, _("Đã lưu dự thảo báo cáo tổng hợp."))
            return redirect("reports:province", plan=plan, code=code)
        except StaleEdit as err:
            conflict = err.current
            form = _rebound_at(ProvinceReportForm, request.POST, conflict)
            status = keep_input(form, err)
        except ValidationError as err:
            form.add_error(None, err)
            status = 422
    else:
        status = 422
    return render(
        request,
        "reports/province.html",
        _province_context(request, period, form=form, conflict=conflict),
        status=status,
    )


@login_required
@require_POST
def province_issue(request: HttpRequest, plan: int, code: str) -> HttpResponse:
    if not is_coordinator(request.user):
        raise PermissionDenied
    period = get_period_for_user(request.user, plan, code)
    try:
        version = int(request.POST["version"])
    except (KeyError, ValueError):
        version = None
    try:
        actions.do_issue_period_report(period, actor=request.user, expected_version=version)
        messages.success(request, _("Đã ban hành báo cáo tổng hợp %(label)s.") % {"label": period.label})
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    return redirect("reports:province", plan=plan, code=code)


@login_required
def province_export(request: HttpRequest, plan: int, code: str, fmt: str) -> HttpResponse:
    if not request.user.sees_everything or fmt not in EXPORT_FORMATS:
        raise PermissionDenied
    period = get_period_for_user(request.user, plan, code)
    return _attachment(export_province(period, fmt))


# --- Notifications ---------------------------------------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    notices = request.user.notifications.all()
    return render(request, "reports/notifications.html", {"page": paginate(request, notices)})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    # isascii: "²" is a digit to str.isdigit() but not to int().
    ids = [int(i) for i in request.POST.getlist("id") if i.isascii() and i.isdigit()] or None
    actions.do_mark_notifications_read(request.user, ids)
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("reports:notifications"))
