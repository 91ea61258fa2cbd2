"""The plan's life on screen: the editor, the activation check, amendments' history and diff, closing.

Coordinators and administrators only (``can_edit_plans``). Every form carries ``expected_version``: a
save made on a page someone else has changed since is refused (HTTP 409) with the user's input kept on
screen and who saved first. An edit of an active plan asks why, and becomes a new version.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.lib.text import fold
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import UnitGroup
from cchc.plans import actions
from cchc.plans.checks import blocking, check_plan, group_sizes
from cchc.plans.forms import EditorAgencyFormSet, PlanActivityForm, PlanContentForm, PlanHeaderForm
from cchc.plans.imports import RegistryOptions, plan_resolver
from cchc.plans.models import Activity, ActivityAgency, Plan, PlanStatus, PlanVersion
from cchc.plans.versions import Change, compare
from cchc.plans.views import get_plan_for_user

SEARCH_LIMIT = 20


def get_plan_for_editor(user, pk: int) -> Plan:
    """The plan, for someone who edits plans (403 otherwise, 404 for a plan they may not see)."""
    if not user.can_edit_plans:
        raise PermissionDenied
    return get_object_or_404(Plan.objects.visible_to(user).select_related("updated_by"), pk=pk)


def _problem(err: ValidationError) -> str:
    return " ".join(err.messages)


def _status(err: ValidationError) -> int:
    return 409 if isinstance(err, StaleEdit) else 400


def _saved_message(request: HttpRequest, version) -> None:
    if version is not None:
        messages.success(request, _("Đã lưu thành phiên bản %(n)s của kế hoạch.") % {"n": version.number})
    else:
        messages.success(request, _("Đã lưu."))


def _closed(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.status == PlanStatus.CLOSED:
        messages.info(request, _("Kế hoạch đã kết thúc: chỉ xem, không sửa được nữa."))
        return redirect("plans:detail", pk=plan.pk)
    return None


# --- the editor page -----------------------------------------------------------------------------------


def _editor(request: HttpRequest, plan: Plan, *, header=None, content=None, problem: str = "", status: int = 200):
    activities = (
        plan.activities.current()
        .order_by("order", "pk")
        .prefetch_related(Prefetch("agencies", queryset=ActivityAgency.objects.select_related("unit", "group")))
    )
    context = {
        "plan": plan,
        "header_form": header or PlanHeaderForm(initial=PlanHeaderForm.initial_from_plan(plan)),
        "content_form": content or PlanContentForm(initial=PlanContentForm.initial_from_plan(plan)),
        "activities": activities,
        "problem": problem,
        "amending": plan.status == PlanStatus.ACTIVE,
    }
    return render(request, "plans/plan_edit.html", context, status=status)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_editor(request.user, pk)
    return _closed(request, plan) or _editor(request, plan)


def _save_section(request: HttpRequest, pk: int, form_class, section: str) -> HttpResponse:
    """Save the header or the lists of the plan from the editor page; on a refusal the page comes back with
    the user's input and the reason (409 when someone saved first)."""
    plan = get_plan_for_editor(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _editor(request, plan, **{section: form}, status=400)
    save, values = (
        (actions.do_save_plan_header, form.columns())
        if section == "header"
        else (actions.do_save_plan_content, form.values(plan))
    )
    try:
        _plan, version = save(
            plan,
            values,
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as err:
        return _editor(request, plan, **{section: form}, problem=_problem(err), status=_status(err))
    _saved_message(request, version)
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#{section}")


@require_POST
@login_required
def plan_edit_header(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_section(request, pk, PlanHeaderForm, "header")


@require_POST
@login_required
def plan_edit_content(request: HttpRequest, pk: int) -> HttpResponse:
    return _save_section(request, pk, PlanContentForm, "content")


# --- one activity ----------------------------------------------------------------------------------------


class _Registry:
    """The registry of the plan's year, for the agency rows of one activity."""

    def __init__(self, plan: Plan):
        self.resolver, _issuer = plan_resolver(plan.year, plan.issuer, province=plan.province)
        self.options = RegistryOptions.of(self.resolver)

    def formset(self, plan: Plan, activity: Activity | None, data=None):
        initial = []
        self.rows = list(activity.agencies.select_related("unit", "group")) if activity is not None else []
        for agency in self.rows:
            code = agency.unit.code if agency.unit_id else (agency.group.code if agency.group_id else "")
            initial.append({"name": agency.name, "role": agency.role, "match": self.options.by_code.get(code, "")})
        return EditorAgencyFormSet(
            data,
            initial=initial,
            prefix="agencies",
            form_kwargs={
                "options": self.options,
                "year": plan.year,
                "search_url": reverse("plans:agency_search", args=[plan.pk]),
            },
        )

    def previous(self) -> list[dict]:
        return [a.as_document() for a in self.rows]


def _activity_page(request, plan, activity, form, formset, registry, *, problem="", status=200):
    sizes = group_sizes(plan, [a.group_id for a in registry.rows if a.group_id])
    rows = []
    for i, agency_form in enumerate(formset.forms):
        saved = registry.rows[i] if i < len(registry.rows) else None
        rows.append(
            {
                "form": agency_form,
                "saved": saved,
                "group_size": sizes.get(saved.group_id) if saved is not None and saved.group_id else None,
            }
        )
    context = {
        "plan": plan,
        "activity": activity,
        "form": form,
        "formset": formset,
        "rows": rows,
        "problem": problem,
        "amending": plan.status == PlanStatus.ACTIVE,
    }
    return render(request, "plans/activity_edit.html", context, status=status)


@login_required
def activity_edit(request: HttpRequest, pk: int, activity_id: int | None = None) -> HttpResponse:
    plan = get_plan_for_editor(request.user, pk)
    closed = _closed(request, plan)
    if closed:
        return closed
    activity = None
    if activity_id is not None:
        activity = get_object_or_404(plan.activities.current(), pk=activity_id)
    registry = _Registry(plan)
    if request.method != "POST":
        form = PlanActivityForm(initial=PlanActivityForm.initial_from_activity(activity, plan))
        return _activity_page(request, plan, activity, form, registry.formset(plan, activity), registry)
    form = PlanActivityForm(request.POST)
    formset = registry.formset(plan, activity, data=request.POST)
    if not (form.is_valid() and formset.is_valid()):
        return _activity_page(request, plan, activity, form, formset, registry, status=400)
    agencies = formset.agencies(registry.previous(), registry.resolver)
    try:
        saved, version = actions.do_save_activity(
            plan,
            activity,
            form.columns(),
            agencies,
            actor=request.user,
            expected_version=form.cleaned_data["expected_version"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as err:
        return _activity_page(
            request, plan, activity, form, formset, registry, problem=_problem(err), status=_status(err)
        )
    _saved_message(request, version)
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#activity-{saved.pk}")


def _posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("expected_version", ""))
    except ValueError:
        return -1  # no version sent: treated as stale rather than applied blindly


@require_POST
@login_required
def activity_delete(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    plan = get_plan_for_editor(request.user, pk)
    activity = get_object_or_404(plan.activities.current(), pk=activity_id)
    try:
        version = actions.do_delete_activity(
            plan,
            activity,
            actor=request.user,
            expected_version=_posted_version(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as err:
        messages.error(request, _problem(err))
        return redirect(reverse("plans:edit", args=[plan.pk]) + f"#activity-{activity.pk}")
    messages.success(request, _("Đã bỏ hoạt động %(n)s.") % {"n": activity.number})
    if version is not None:
        _saved_message(request, version)
    return redirect(reverse("plans:edit", args=[plan.pk]) + "#activities")


@require_POST
@login_required
def activity_move(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    plan = get_plan_for_editor(request.user, pk)
    activity = get_object_or_404(plan.activities.current(), pk=activity_id)
    try:
        actions.do_move_activity(
            plan,
            activity,
            -1 if request.POST.get("direction") == "up" else 1,
            actor=request.user,
            expected_version=_posted_version(request),
        )
    except ValidationError as err:
        messages.error(request, _problem(err))
    return redirect(reverse("plans:edit", args=[plan.pk]) + f"#activity-{activity.pk}")


@login_required
def agency_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Options for an agency search box: units valid in the plan's year and groups, accent-insensitive.

    The box sends its own field (``agencies-N-match``) or ``q``; the answer is ``<option>`` rows for the
    box's ``<datalist>``, each group with how many units it expands to."""
    plan = get_plan_for_editor(request.user, pk)
    query = request.GET.get("q") or next(
        (v for k, v in request.GET.items() if k.endswith("-match")),
        "",
    )
    needle = fold(query).strip()
    options = []
    if needle:
        registry = _Registry(plan)
        sizes = group_sizes(plan, [g.pk for g in registry.resolver.groups if isinstance(g, UnitGroup)])
        for group in registry.resolver.groups:
            if needle in fold(group.name) or any(needle in fold(a) for a in group.aliases):
                n = sizes.get(group.pk, 0)
                options.append((registry.options.by_code[group.code], _("nhóm: %(n)s đơn vị") % {"n": n}, n == 0))
        for unit in registry.resolver.units:
            if needle in unit.search_key or needle in fold(unit.short_name or ""):
                options.append((registry.options.by_code[unit.code], unit.get_kind_display(), False))
            if len(options) >= SEARCH_LIMIT:
                break
    return render(request, "plans/_agency_options.html", {"options": options[:SEARCH_LIMIT]})


# --- activation -------------------------------------------------------------------------------------------


@login_required
def plan_activate(request: HttpRequest, pk: int) -> HttpResponse:
    """The activation check and its confirmation: what is still wrong, what activating locks and sends."""
    plan = get_plan_for_editor(request.user, pk)
    problem = ""
    status = 200
    if request.method == "POST":
        accept = request.POST.getlist("accept")
        try:
            actions.do_activate_plan(plan, actor=request.user, expected_version=_posted_version(request), accept=accept)
        except actions.ActivationRefused as err:
            problem, status = _problem(err), 400
        except ValidationError as err:
            problem, status = _problem(err), _status(err)
        else:
            messages.success(
                request,
                _("Đã kích hoạt kế hoạch: các đơn vị đã được thông báo và thấy nhiệm vụ trong “Việc của tôi”."),
            )
            return redirect("plans:detail", pk=plan.pk)
        plan.refresh_from_db()
    problems = check_plan(plan) if plan.status == PlanStatus.DRAFT else []
    accepted = set(request.POST.getlist("accept")) if request.method == "POST" else set(plan.accepted_warnings)
    units = (
        plan.activities.current().aggregate(n=Count("obligations__unit", distinct=True))["n"]
        if plan.status == PlanStatus.DRAFT
        else 0
    )
    context = {
        "plan": plan,
        "problems": problems,
        "errors": [p for p in problems if p.is_error],
        "warnings": [p for p in problems if not p.is_error],
        "accepted": accepted,
        "blocking": blocking(problems, accepted),
        "units": units,
        "problem": problem,
    }
    return render(request, "plans/plan_activate.html", context, status=status)


# --- closing ----------------------------------------------------------------------------------------------


@login_required
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_editor(request.user, pk)
    problem, status = "", 200
    if request.method == "POST":
        try:
            actions.do_close_plan(
                plan,
                actor=request.user,
                expected_version=_posted_version(request),
                override=request.POST.get("override") == "1" and request.user.is_superuser,
            )
        except ValidationError as err:
            problem, status = _problem(err), _status(err)
        else:
            messages.success(request, _("Đã kết thúc kế hoạch; từ nay kế hoạch chỉ để xem."))
            return redirect("plans:detail", pk=plan.pk)
        plan.refresh_from_db()
    context = {"plan": plan, "problem": problem, "can_override": request.user.is_superuser}
    return render(request, "plans/plan_close.html", context, status=status)


# --- history -----------------------------------------------------------------------------------------------


@login_required
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of the plan: who, when, why, what changed. Staff who see the plan read it."""
    plan = get_plan_for_user(request.user, pk)
    versions = PlanVersion.objects.filter(plan=plan).select_related("created_by").defer("snapshot").order_by("-number")
    rows = [{"version": v, "changes": [Change(**c) for c in v.changes]} for v in versions]
    return render(request, "plans/plan_history.html", {"plan": plan, "rows": rows})


@login_required
def plan_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two versions (``?a=1&b=3``; by default the last two)."""
    plan = get_plan_for_user(request.user, pk)
    numbers = list(plan.versions.order_by("number").values_list("number", flat=True))

    def pick(name: str, default):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() and int(value) in numbers else default

    b = pick("b", numbers[-1] if numbers else None)
    a = pick("a", numbers[-2] if len(numbers) > 1 else b)
    versions = {v.number: v for v in plan.versions.filter(number__in=[a, b]).select_related("created_by")}
    changes = compare(versions[a].snapshot, versions[b].snapshot) if a in versions and b in versions else []
    context = {
        "plan": plan,
        "numbers": numbers,
        "a": versions.get(a),
        "b": versions.get(b),
        "changes": changes,
    }
    return render(request, "plans/plan_diff.html", context)
