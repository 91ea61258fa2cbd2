from cchc.tests.matrix import REDIRECT, ROLES, Access, roles, staff

# Plans are shared by every agency (an active plan is what they all carry out): every signed-in role reads them.
# Importing a plan document is for those who edit plans (coordinator, administrator).
EDITORS = ("coordinator", "admin")


def world(w):
    from cchc.plans.actions import do_start_import
    from cchc.plans.tests.test_import_views import TABLE_PLAN

    w.plan_import = do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=w.personas.coordinator)
    w.successor_choice = _successor_choice(w)


def _successor_choice(w):
    from cchc.plans.models import AgencyRole, SuccessorChoice

    choice = SuccessorChoice.objects.create(
        activity=w.plan.activities.order_by("order").first(),
        predecessor=w.units.tttt,
        role=AgencyRole.LEAD,
        proposed=w.units.noi_vu,
    )
    choice.candidates.set([w.units.noi_vu, w.units.vp])
    return choice


def _import(w):
    return {"pk": w.plan_import.pk}


def _plan(w):
    return {"pk": w.plan.pk}


def _activity(w):
    return {"pk": w.plan.pk, "activity_id": w.plan.activities.get(number="1").pk}


def _post_only(post, kwargs):
    # require_POST comes first on these views: any GET, signed in or not, is 405 and reveals nothing.
    return Access(get={r: 405 for r in ROLES}, post=post, kwargs=kwargs)


ACCESS = {
    "plans:list": Access(get=staff()),
    "plans:detail": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:activity": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk, "number": "1"}),
    "plans:my_work": Access(get=staff()),
    # The plan's life: the editor and its steps are for those who edit plans; history is read by all staff.
    # Empty forms are bad requests (400); a delete or move without a version goes back to the editor.
    "plans:edit": Access(get=roles(*EDITORS), kwargs=_plan),
    "plans:edit_header": _post_only(roles(*EDITORS, ok=400), _plan),
    "plans:edit_content": _post_only(roles(*EDITORS, ok=400), _plan),
    "plans:activity_new": Access(get=roles(*EDITORS), post=roles(*EDITORS, ok=400), kwargs=_plan),
    "plans:activity_edit": Access(get=roles(*EDITORS), post=roles(*EDITORS, ok=400), kwargs=_activity),
    "plans:activity_delete": _post_only(roles(*EDITORS, ok=REDIRECT), _activity),
    "plans:activity_move": _post_only(roles(*EDITORS, ok=REDIRECT), _activity),
    "plans:agency_search": Access(get=roles(*EDITORS), kwargs=_plan, query="q=so"),
    # The world's plan is active: activating it again, or closing it before its year report, is refused (400).
    "plans:activate": Access(get=roles(*EDITORS), post=roles(*EDITORS, ok=400), kwargs=_plan),
    "plans:close": Access(get=roles(*EDITORS), post=roles(*EDITORS, ok=400), kwargs=_plan),
    "plans:history": Access(get=staff(), kwargs=_plan),
    "plans:diff": Access(get=staff(), kwargs=_plan),
    # Next year's plan and the reorganisation's choices: plan editors only. An empty form is shown again
    # with its error (copy) or sent back with a message (choice).
    "plans:copy": Access(get=roles(*EDITORS), post=roles(*EDITORS), kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:successor_choices": Access(get=roles(*EDITORS)),
    "plans:successor_choose": _post_only(roles(*EDITORS, ok=REDIRECT), lambda w: {"pk": w.successor_choice.pk}),
    # Which units each group phrase stands for under the plan: province-wide roles read it; plan editors change it
    # (an empty form names no group: 404).
    "plans:groups": Access(
        get=roles("coordinator", "observer", "admin"),
        post=roles(*EDITORS, ok=404),
        kwargs=lambda w: {"pk": w.plan.pk},
    ),
    "plans:import_upload": Access(get=roles(*EDITORS), post=roles(*EDITORS)),
    "plans:import_review": Access(get=roles(*EDITORS), post=roles(*EDITORS), kwargs=_import),
    "plans:import_original": Access(get=roles(*EDITORS), kwargs=_import),
    # The world's import is a text plan: it has no page images (404 to editors, refused to the others).
    "plans:import_page": Access(get=roles(*EDITORS, ok=404), kwargs=lambda w: {"pk": w.plan_import.pk, "page": 1}),
    # Empty corrections are bad requests (400), or a version conflict (409) when the form has no version.
    "plans:import_header": _post_only(roles(*EDITORS, ok=400), _import),
    "plans:import_lists": _post_only(roles(*EDITORS, ok=409), _import),
    "plans:import_activity": _post_only(roles(*EDITORS, ok=400), lambda w: {"pk": w.plan_import.pk, "index": 0}),
    "plans:import_confirm": _post_only(roles(*EDITORS, ok=REDIRECT), _import),
    "plans:import_discard": _post_only(roles(*EDITORS, ok=REDIRECT), _import),
}
