"""Next year's plan and the reorganisation's choices, for the coordinator.

- ``plan_copy``: "Start next year's plan from this one" (GET: choose the year; POST: make the draft).
- ``successor_choices``: obligations of closed units whose work went to several successors, each given
  to the proposed successor by ``inherit_obligations``; the coordinator confirms or picks another.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.lib.paging import paginate
from cchc.orgs.models import Unit
from cchc.plans.inherit import do_choose_successor
from cchc.plans.models import SuccessorChoice
from cchc.plans.nextyear import MAX_YEARS_AHEAD, do_copy_plan
from cchc.plans.views import get_plan_for_user

EDITORS = (Role.COORDINATOR, Role.ADMIN)
# Flags listed one by one after a copy; beyond that the plan page lists them.
SHOWN_FLAGS = 10


class CopyForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Năm của kế hoạch mới"), coerce=int)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        years = range(plan.year + 1, plan.year + MAX_YEARS_AHEAD + 1)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = plan.year + 1


@role_required(*EDITORS)
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    form = CopyForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            new, report = do_copy_plan(plan, form.cleaned_data["year"], actor=request.user)
        except ValidationError as err:
            form.add_error("year", err)
        else:
            messages.success(
                request,
                _(
                    "Đã lập kế hoạch dự thảo năm %(year)s từ kế hoạch năm %(old)s: %(replaced)s đơn vị hoặc nhóm "
                    "được thay theo danh mục mới, %(flags)s đề xuất cần rà soát, %(unmatched)s chưa ánh xạ được."
                )
                % {
                    "year": new.year,
                    "old": plan.year,
                    "replaced": len(report.replacements),
                    "flags": len(report.flags),
                    "unmatched": len(report.unmatched),
                },
            )
            for flag in report.flags[:SHOWN_FLAGS]:
                messages.warning(
                    request,
                    _("Hoạt động %(activity)s: đề xuất %(chosen)s thay cho %(agency)s; có thể chọn: %(others)s.")
                    % {**flag, "others": ", ".join(flag["alternatives"])},
                )
            return redirect("plans:detail", pk=new.pk)
    copies = plan.copies.order_by("-year", "-pk")
    return render(request, "plans/plan_copy.html", {"plan": plan, "form": form, "copies": copies})


@role_required(*EDITORS)
def successor_choices(request: HttpRequest) -> HttpResponse:
    choices = (
        SuccessorChoice.objects.visible_to(request.user)
        .select_related("activity__plan", "predecessor", "proposed", "chosen", "decided_by")
        .prefetch_related("candidates")
        .order_by("decided_at", "activity__plan__year", "activity__order", "pk")
    )
    pending = SuccessorChoice.objects.visible_to(request.user).pending().count()
    return render(request, "plans/successor_choices.html", {"page": paginate(request, choices), "pending": pending})


@require_POST
@role_required(*EDITORS)
def successor_choose(request: HttpRequest, pk: int) -> HttpResponse:
    choice = get_object_or_404(SuccessorChoice.objects.visible_to(request.user), pk=pk)
    raw = request.POST.get("unit", "")
    unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None:
        messages.error(request, _("Hãy chọn một đơn vị kế thừa."))
        return redirect("plans:successor_choices")
    try:
        choice = do_choose_successor(choice, unit, actor=request.user)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(
            request,
            _("Hoạt động %(activity)s: %(unit)s thực hiện phần việc của %(closed)s.")
            % {"activity": choice.activity.number, "unit": unit.name, "closed": choice.predecessor.name},
        )
    return redirect("plans:successor_choices")
