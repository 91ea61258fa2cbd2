"""The plan's groups page: which units each group phrase stands for under the plan, and (draft plans, plan
editors) the coordinator's changes to it. Thin: reads through ``cchc.plans.groups``, writes through
``do_save_plan_group``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cchc.accounts.models import Role
from cchc.accounts.permissions import role_required
from cchc.lib.versioning import StaleEdit
from cchc.orgs.models import Unit, UnitGroup, UnitKind
from cchc.plans.actions import do_save_plan_group
from cchc.plans.groups import plan_groups, units_for
from cchc.plans.models import PlanStatus
from cchc.plans.views import get_plan_for_user


def _context(request: HttpRequest, plan) -> dict:
    uses = plan_groups(plan)
    for use in uses:
        # One query per group the plan names (a handful), whatever the number of units.
        use.members = list(
            units_for(plan, use.group, setting=use.setting)
            .only("id", "code", "name", "context", "kind")
            .order_by("kind", "name")
        )
        use.excluded = list(use.setting.excluded.only("id", "code", "name", "context")) if use.setting else []
        use.included_codes = "\n".join(u.code for u in use.setting.included.all()) if use.setting else ""
    return {
        "plan": plan,
        "uses": uses,
        "kinds": UnitKind.choices,
        "can_edit": request.user.can_edit_plans and plan.status == PlanStatus.DRAFT,
    }


@role_required(Role.COORDINATOR, Role.OBSERVER, Role.ADMIN)
def plan_groups_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if request.method == "POST":
        if not request.user.can_edit_plans:
            raise PermissionDenied
        group = get_object_or_404(UnitGroup.objects.all(), code=request.POST.get("group", ""))
        codes = [c.strip() for c in request.POST.get("included", "").replace(",", "\n").splitlines() if c.strip()]
        included = list(Unit.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {u.code for u in included})
        excluded = list(Unit.objects.filter(code__in=request.POST.getlist("excluded")))
        version = request.POST.get("expected_version", "")
        try:
            if unknown:
                raise ValidationError(_("Không có đơn vị mang mã: %(codes)s.") % {"codes": ", ".join(unknown)})
            size = do_save_plan_group(
                plan,
                group,
                kinds=request.POST.getlist("kinds"),
                included=included,
                excluded=excluded,
                actor=request.user,
                expected_version=int(version) if version.isdigit() else None,
            )
        except StaleEdit as err:
            messages.error(request, " ".join(err.messages))
            return render(request, "plans/groups.html", _context(request, plan), status=409)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
            return render(request, "plans/groups.html", _context(request, plan), status=422)
        messages.success(request, _("Đã lưu nhóm “%(name)s”: %(n)d đơn vị.") % {"name": group.name, "n": size})
        return redirect("plans:groups", plan.pk)
    return render(request, "plans/groups.html", _context(request, plan))
