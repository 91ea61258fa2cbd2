from cchc.tests.matrix import REDIRECT, ROLES, Access, roles, staff

# Plans are shared by every agency (an active plan is what they all carry out): every signed-in role reads them.
# Importing a plan document is for those who edit plans (coordinator, administrator).
EDITORS = ("coordinator", "admin")


def world(w):
    from cchc.plans.actions import do_start_import
    from cchc.plans.tests.test_import_views import TABLE_PLAN

    w.plan_import = do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=w.personas.coordinator)


def _import(w):
    return {"pk": w.plan_import.pk}


def _post_only(post, kwargs):
    # require_POST comes first on these views: any GET, signed in or not, is 405 and reveals nothing.
    return Access(get={r: 405 for r in ROLES}, post=post, kwargs=kwargs)


ACCESS = {
    "plans:list": Access(get=staff()),
    "plans:detail": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk}),
    "plans:activity": Access(get=staff(), kwargs=lambda w: {"pk": w.plan.pk, "number": "1"}),
    "plans:my_work": Access(get=staff()),
    "plans:import_upload": Access(get=roles(*EDITORS), post=roles(*EDITORS)),
    "plans:import_review": Access(get=roles(*EDITORS), post=roles(*EDITORS), kwargs=_import),
    "plans:import_original": Access(get=roles(*EDITORS), kwargs=_import),
    # Empty corrections are bad requests (400), or a version conflict (409) when the form has no version.
    "plans:import_header": _post_only(roles(*EDITORS, ok=400), _import),
    "plans:import_lists": _post_only(roles(*EDITORS, ok=409), _import),
    "plans:import_activity": _post_only(roles(*EDITORS, ok=400), lambda w: {"pk": w.plan_import.pk, "index": 0}),
    "plans:import_confirm": _post_only(roles(*EDITORS, ok=REDIRECT), _import),
    "plans:import_discard": _post_only(roles(*EDITORS, ok=REDIRECT), _import),
}
