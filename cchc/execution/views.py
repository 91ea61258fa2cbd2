"""Pages of the execution app: results and their evidence, Excel import, deliverables, agencies' sub-plans."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.execution import actions, bulk
from cchc.execution.forms import (
    DecisionForm,
    EvidenceForm,
    ImportForm,
    ResultFilterForm,
    ResultForm,
    ReturnForm,
    SubPlanForm,
    SubPlanItemForm,
    VersionForm,
    result_initial,
)
from cchc.execution.models import Deliverable, DeliverableStatus, Result, SubPlan, SubPlanItem, SubPlanStatus
from cchc.execution.periods import calendar_periods, parse_period
from cchc.execution.permissions import (
    can_approve_subplan,
    can_edit_subplan,
    can_write_results,
    get_evidence_for_user,
    get_result_for_user,
    get_subplan_for_user,
)
from cchc.execution.subplans import changes, outside_window
from cchc.lib.paging import paginate
from cchc.lib.text import fold
from cchc.lib.uploads import XLSX, UploadRejected, attachment_response, check_upload, served_name
from cchc.lib.versioning import StaleEdit, keep_input
from cchc.plans.models import Activity, Plan, PlanStatus

# Who may open execution pages at all: agency staff (their own unit) and the province-wide readers.
READERS = (Role.OFFICER, Role.HEAD, Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
staff_required = role_required(*READERS)
officer_required = role_required(Role.OFFICER)


def _form_errors(form, err: ValidationError) -> None:
    """Put an action's ValidationError on the form: on its fields when it names them, otherwise on top."""
    if hasattr(err, "error_dict"):
        for name, errors in err.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, err)


# --- Results ----------------------------------------------------------------------------------------


def _visible_years(user) -> list[int]:
    plans = Plan.objects.visible_to(user).exclude(status=PlanStatus.DRAFT)
    years = sorted(set(plans.values_list("year", flat=True)), reverse=True)
    return years or [timezone.localdate().year]


@staff_required
def result_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    results = (
        Result.objects.visible_to(user)
        .with_locks()
        .select_related("unit", "obligation__activity__plan", "deliverable")
        .annotate(evidence_count=Count("evidence"))
    )
    form = ResultFilterForm(request.GET or None)
    activities = Activity.objects.filter(plan__in=Plan.objects.visible_to(user)).select_related("plan")
    if not user.sees_everything:
        activities = activities.filter(obligations__unit_id=user.unit_id)
    form.fields["activity"].queryset = activities.order_by("-plan__year", "order")
    form.fields["activity"].label_from_instance = lambda a: f"{a.plan.year} · {a.number}. {a.title[:80]}"
    periods = calendar_periods(_visible_years(user))
    form.fields["period"].choices = [("", _("Tất cả"))] + [(p.key, p.label) for p in periods]
    if not user.sees_everything:
        del form.fields["unit"]
    period = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("activity"):
            results = results.filter(obligation__activity=data["activity"])
        if data.get("kind"):
            results = results.filter(kind=data["kind"])
        period = parse_period(data.get("period") or "")
        if period is not None:
            results = results.between(period.start, period.end)
        if data.get("unit"):
            needle = data["unit"].strip()
            results = results.filter(Q(unit__code=needle) | Q(unit__search_key__contains=fold(needle)))
        if data.get("q"):
            results = results.filter(title__icontains=data["q"])
    totals = results.order_by().aggregate(n=Count("pk", distinct=True), cost=Sum("cost"))
    context = {
        "form": form,
        "page": paginate(request, results.order_by("-occurred_on", "-pk")),
        "totals": totals,
        "period": period,
        "can_record": can_write_results(user),
    }
    template = "execution/_result_table.html" if request.htmx else "execution/result_list.html"
    return render(request, template, context)


@officer_required
def result_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {}
    wanted = request.GET.get("obligation", "")
    if request.method == "GET" and wanted.isascii() and wanted.isdigit():  # "²" is a digit int() refuses
        initial["obligation"] = int(wanted)
    form = ResultForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    suggested = form.suggested_topics() if request.method == "POST" and form.is_valid() else []
    if suggested:
        # Nothing saved yet: the form comes back with the topics the title suggests ticked, for the officer to
        # confirm (or change) with a second press of the button.
        data = request.POST.copy()
        data.setlist("topics", [str(t.pk) for t in suggested])
        data["topics_reviewed"] = "1"
        form = ResultForm(data, user=user)
        form.is_valid()
        messages.info(
            request,
            _(
                "Theo tiêu đề, kết quả có thể thuộc nội dung tuyên truyền: %(topics)s. "
                "Hãy xem lại rồi bấm lưu để xác nhận."
            )
            % {"topics": "; ".join(f"{t.number}. {t.text[:60]}" for t in suggested)},
        )
    elif request.method == "POST" and form.is_valid():
        try:
            result = actions.do_record_result(
                form.result_fields(), actor=user, files=form.cleaned_data["files"], links=form.cleaned_data["links"]
            )
        except ValidationError as err:
            _form_errors(form, err)
        else:
            messages.success(request, _("Đã ghi nhận kết quả “%(t)s”.") % {"t": result.title})
            if result.period_warning:
                messages.warning(request, result.period_warning)
            return redirect("execution:result", result.pk)
    return render(request, "execution/result_form.html", {"form": form, "result": None})


@staff_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk)
    context = {
        "result": result,
        "evidence": result.evidence.select_related("uploaded_by"),
        "topics": result.topics.all(),
        "can_write": can_write_results(request.user, result.unit_id),
        "lock_reason": result.lock_reason,
        "evidence_form": EvidenceForm(),
        "deliverable_status": result.deliverable.status_on(timezone.localdate()) if result.deliverable else None,
    }
    return render(request, "execution/result_detail.html", context)


@officer_required
def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    result = get_result_for_user(user, pk, write=True)
    lock = result.lock_reason
    status = 200
    if request.method == "POST":
        form = ResultForm(request.POST, request.FILES, user=user)
        if lock:
            form.is_valid()
            form.add_error(None, lock)
        elif form.is_valid():
            try:
                actions.do_update_result(
                    result,
                    form.result_fields(),
                    actor=user,
                    expected_version=form.cleaned_data.get("version") or 0,
                    files=form.cleaned_data["files"],
                    links=form.cleaned_data["links"],
                )
            except StaleEdit as err:
                status = keep_input(form, err)
                result.refresh_from_db()
            except ValidationError as err:
                _form_errors(form, err)
                result.refresh_from_db()
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("execution:result", result.pk)
    else:
        form = ResultForm(user=user, initial=result_initial(result))
    return render(
        request, "execution/result_form.html", {"form": form, "result": result, "lock_reason": lock}, status=status
    )


@officer_required
def result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            actions.do_delete_result(result, actor=request.user)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return redirect("execution:result", result.pk)
        messages.success(request, _("Đã xóa kết quả “%(t)s”.") % {"t": result.title})
        return redirect("execution:results")
    return render(request, "execution/result_delete.html", {"result": result, "lock_reason": result.lock_reason})


@officer_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            created = actions.do_add_evidence(
                result, actor=request.user, files=form.cleaned_data["files"], links=form.cleaned_data["links"]
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Đã thêm %(n)d minh chứng.") % {"n": len(created)})
        return redirect("execution:result", result.pk)
    context = {
        "result": result,
        "evidence": result.evidence.select_related("uploaded_by"),
        "topics": result.topics.all(),
        "can_write": True,
        "lock_reason": result.lock_reason,
        "evidence_form": form,
        "deliverable_status": result.deliverable.status_on(timezone.localdate()) if result.deliverable else None,
    }
    return render(request, "execution/result_detail.html", context, status=400)


@officer_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_evidence_for_user(request.user, pk, write=True)
    try:
        actions.do_delete_evidence(evidence, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("Đã xóa minh chứng."))
    return redirect("execution:result", evidence.result_id)


@staff_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence files are served only here: permission-checked, as a download, never rendered by the browser."""
    evidence = get_evidence_for_user(request.user, pk)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(
        handle, served_name(evidence.original_name or evidence.file.name, evidence.content_type), evidence.content_type
    )


# --- Excel import --------------------------------------------------------------------------------------


def _import_plans(user):
    if user.unit_id is None:
        # A superuser passes officer_required but has no unit: nothing to import into (was a 500).
        return Plan.objects.none()
    return (
        Plan.objects.filter(status=PlanStatus.ACTIVE, activities__obligations__unit_id=user.unit_id)
        .distinct()
        .order_by("-year")
    )


@officer_required
def import_template(request: HttpRequest) -> HttpResponse:
    plans = _import_plans(request.user)
    plan = get_object_or_404(plans, pk=request.GET.get("plan")) if request.GET.get("plan") else plans.first()
    if plan is None:
        raise Http404
    data = bulk.build_template(plan, request.user.unit)
    response = HttpResponse(data, content_type=XLSX.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-nhap-ket-qua-{plan.year}-{request.user.unit.code}.xlsx"'
    )
    return response


@officer_required
def import_results(request: HttpRequest) -> HttpResponse:
    user = request.user
    plans = _import_plans(user)
    form = ImportForm(request.POST or None, request.FILES or None, plans=plans)
    outcome = None
    if request.method == "POST" and form.is_valid():
        plan = form.cleaned_data["plan"]
        try:
            checked = check_upload(form.cleaned_data["file"], allowed=(XLSX,))
            outcome = bulk.read_workbook(checked.data, plan=plan, unit=user.unit)
            if outcome.ok:
                batch = actions.do_import_results(
                    plan,
                    user.unit,
                    outcome.rows,
                    actor=user,
                    original_name=checked.original_name,
                    sha256=hashlib.sha256(checked.data).hexdigest(),
                )
                messages.success(
                    request,
                    _("Đã nhập %(n)d kết quả từ tệp “%(f)s”.") % {"n": batch.row_count, "f": batch.original_name},
                )
                return redirect("execution:results")
        except UploadRejected as err:
            form.add_error("file", str(err))
        except ValidationError as err:
            # A rule of the model that the row checks did not catch names a model field, not one of this
            # form's: shown as a message of the whole file (passing the error itself raised a 500).
            form.add_error(None, err.messages)
    return render(request, "execution/import.html", {"form": form, "outcome": outcome, "plans": plans})


# --- Deliverables ----------------------------------------------------------------------------------------


@staff_required
def deliverable_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    deliverables = (
        Deliverable.objects.visible_to(user)
        .filter(obligation__activity__plan__status=PlanStatus.ACTIVE)
        .select_related("obligation__unit", "obligation__activity__plan")
        .order_by("due_on", "obligation__unit__name", "pk")
    )
    status = request.GET.get("status", "")
    if status == DeliverableStatus.MISSED:
        deliverables = deliverables.overdue(today)
    elif status == DeliverableStatus.UPCOMING:
        deliverables = deliverables.filter(period_start__gt=today, met_on__isnull=True)
    elif status == DeliverableStatus.DUE:
        deliverables = deliverables.filter(period_start__lte=today, due_on__gte=today, met_on__isnull=True)
    elif status == "met":
        deliverables = deliverables.filter(met_on__isnull=False)
    page = paginate(request, deliverables)
    rows = [(d, d.status_on(today)) for d in page]
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "today": today,
        "statuses": [
            (s.value, s.label) for s in (DeliverableStatus.UPCOMING, DeliverableStatus.DUE, DeliverableStatus.MISSED)
        ],
    }
    return render(request, "execution/deliverable_list.html", context)


# --- Sub-plans ------------------------------------------------------------------------------------------


@staff_required
def subplan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    subplans = (
        SubPlan.objects.visible_to(user)
        .select_related("plan", "unit")
        .prefetch_related(Prefetch("items", queryset=SubPlanItem.objects.select_related("activity", "obligation")))
        .order_by("-plan__year", "unit__name", "pk")
    )
    status = request.GET.get("status", "")
    if status in SubPlanStatus.values:
        subplans = subplans.filter(status=status)
    page = paginate(request, subplans)
    rows = [
        (s, sum(1 for item in s.items.all() if changes(item, s.plan) or outside_window(item, s.plan))) for s in page
    ]
    missing = []
    if user.is_agency_staff and user.unit_id:
        # Province plans the unit has obligations under but no plan of its own yet.
        missing = list(
            Plan.objects.filter(status=PlanStatus.ACTIVE, activities__obligations__unit_id=user.unit_id)
            .exclude(agency_plans__unit_id=user.unit_id)
            .distinct()
            .order_by("-year")
        )
    context = {
        "page": page,
        "rows": rows,
        "missing": missing,
        "status": status,
        "statuses": SubPlanStatus.choices,
        "can_create": user.is_agency_staff,
    }
    return render(request, "execution/subplan_list.html", context)


@role_required(Role.OFFICER, Role.HEAD)
@require_POST
def subplan_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    if request.user.unit is None:
        # A superuser passes role_required but belongs to no agency (was a 500).
        raise PermissionDenied
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    try:
        subplan = actions.do_create_subplan(plan, request.user.unit, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("execution:subplans")
    messages.success(request, _("Đã lập dự thảo kế hoạch của đơn vị từ kế hoạch của tỉnh."))
    return redirect("execution:subplan", subplan.pk)


def _subplan_context(request, subplan: SubPlan, **extra) -> dict:
    items = list(subplan.items.select_related("activity", "obligation"))
    rows = [(item, changes(item, subplan.plan), outside_window(item, subplan.plan)) for item in items]
    user = request.user
    context = {
        "subplan": subplan,
        "rows": rows,
        "pending": sum(1 for _i, c, _w in rows if c),
        "outside": sum(1 for _i, _c, w in rows if w),
        "new_obligations": list(actions.new_obligations(subplan)),
        "can_edit": can_edit_subplan(user, subplan.unit_id),
        "can_approve": can_approve_subplan(user, subplan.unit_id),
        "return_form": ReturnForm(initial={"version": subplan.version}),
    }
    context.update(extra)
    return context


@staff_required
def subplan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subplan = get_subplan_for_user(request.user, pk)
    return render(request, "execution/subplan_detail.html", _subplan_context(request, subplan))


@role_required(Role.OFFICER, Role.HEAD)
def subplan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subplan = get_subplan_for_user(request.user, pk, write=True)
    form = SubPlanForm(
        request.POST or None,
        initial={
            "title": subplan.title,
            "reference": subplan.reference,
            "notes": subplan.notes,
            "version": subplan.version,
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_subplan(
                subplan, form.cleaned_data, actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as err:
            _form_errors(form, err)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("execution:subplan", subplan.pk)
    return render(request, "execution/subplan_form.html", {"form": form, "subplan": subplan}, status=status)


@role_required(Role.OFFICER, Role.HEAD)
def subplan_item(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    """Add one of the agency's own lines, or change a line."""
    subplan = get_subplan_for_user(request.user, pk, write=True)
    item = get_object_or_404(subplan.items.select_related("activity", "obligation"), pk=item_pk) if item_pk else None
    own = item is None or item.is_own
    initial = {"version": subplan.version}
    if item is not None:
        initial.update({name: getattr(item, name) for name in actions.ITEM_FIELDS})
        initial["activity"] = item.activity_id
    else:
        initial.update({"period_start": subplan.plan.start, "period_end": subplan.plan.end})
    form = SubPlanItemForm(request.POST or None, plan=subplan.plan, own=own, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        status_before = subplan.status
        try:
            actions.do_save_subplan_item(
                subplan, item, form.item_fields(), actor=request.user, expected_version=form.cleaned_data["version"]
            )
        except StaleEdit as err:
            status = keep_input(form, err)
        except ValidationError as err:
            _form_errors(form, err)
        else:
            if status_before != subplan.status:
                messages.info(request, _("Kế hoạch đã được đưa về dự thảo; cần thủ trưởng phê duyệt lại."))
            messages.success(request, _("Đã lưu."))
            return redirect("execution:subplan", subplan.pk)
    return render(
        request, "execution/subplan_item_form.html", {"form": form, "subplan": subplan, "item": item}, status=status
    )


def _subplan_post(request: HttpRequest, pk: int, *, approve: bool = False):
    subplan = get_subplan_for_user(request.user, pk, write=not approve, approve=approve)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied  # a forged form: the page always sends the version
    return subplan, form.cleaned_data["version"]


def _run(request, subplan: SubPlan, action, *args, success: str) -> HttpResponse:
    try:
        action(*args, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, success)
    return redirect("execution:subplan", subplan.pk)


@role_required(Role.OFFICER, Role.HEAD)
@require_POST
def subplan_item_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    subplan, version = _subplan_post(request, pk)
    item = get_object_or_404(subplan.items.all(), pk=item_pk)
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_delete_subplan_item(item, actor=actor, expected_version=version),
        success=_("Đã xóa dòng kế hoạch."),
    )


@role_required(Role.OFFICER, Role.HEAD)
@require_POST
def subplan_resolve(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    subplan = get_subplan_for_user(request.user, pk, write=True)
    item = get_object_or_404(subplan.items.select_related("activity", "obligation"), pk=item_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn chấp nhận hoặc giữ nguyên."))
        return redirect("execution:subplan", subplan.pk)
    decision = form.cleaned_data["decision"]
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_resolve_change(
            item, decision, actor=actor, expected_version=form.cleaned_data["version"]
        ),
        success=_("Đã chấp nhận thay đổi của tỉnh.") if decision == "accept" else _("Đã giữ nguyên dòng kế hoạch."),
    )


@role_required(Role.OFFICER, Role.HEAD)
@require_POST
def subplan_sync(request: HttpRequest, pk: int) -> HttpResponse:
    subplan, version = _subplan_post(request, pk)
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_sync_subplan(subplan, actor=actor, expected_version=version),
        success=_("Đã thêm các nhiệm vụ mới của tỉnh vào kế hoạch."),
    )


@role_required(Role.OFFICER, Role.HEAD)
@require_POST
def subplan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    subplan, version = _subplan_post(request, pk)
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_submit_subplan(subplan, actor=actor, expected_version=version),
        success=_("Đã trình thủ trưởng phê duyệt."),
    )


@role_required(Role.HEAD)
@require_POST
def subplan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    subplan, version = _subplan_post(request, pk, approve=True)
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_approve_subplan(subplan, actor=actor, expected_version=version),
        success=_("Đã phê duyệt kế hoạch của đơn vị."),
    )


@role_required(Role.HEAD)
@require_POST
def subplan_return(request: HttpRequest, pk: int) -> HttpResponse:
    subplan = get_subplan_for_user(request.user, pk, approve=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return render(
            request, "execution/subplan_detail.html", _subplan_context(request, subplan, return_form=form), status=400
        )
    return _run(
        request,
        subplan,
        lambda *, actor: actions.do_return_subplan(
            subplan, form.cleaned_data["reason"], actor=actor, expected_version=form.cleaned_data["version"]
        ),
        success=_("Đã trả lại kế hoạch cho cán bộ."),
    )
