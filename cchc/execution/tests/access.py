"""Access rows for execution's views (format: cchc/tests/matrix.py, docs/security.md).

Against agency A's result, evidence and unit plan: A's officer writes results, A's officer and head draft
the unit plan and the head approves it, the province-wide roles read, officer B gets 404 on A's objects,
the feedback desk 403 everywhere. Superusers pass ``role_required`` (the administrator persona is one) but
no write check, so they read and are refused writes. Empty POSTs: the pages always send the row's version,
so a POST without it is refused as forged (403).
"""

from cchc.tests.matrix import REDIRECT, Access, roles

READERS = ("officer_a", "officer_b", "head_a", "coordinator", "observer", "admin")
AGENCY_A_READERS = ("officer_a", "head_a", "coordinator", "observer", "admin")
OFFICERS = ("officer_a", "officer_b", "admin")  # role_required(OFFICER): officers, and superusers pass
PLAN_STAFF = ("officer_a", "officer_b", "head_a", "admin")  # role_required(OFFICER, HEAD)


def world(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.execution.actions import do_add_evidence, do_create_subplan
    from cchc.lib.uploads import check_upload
    from cchc.testing import PDF_BYTES, make_result, obligation_of

    obligation = obligation_of(w.plan, w.units.commune_a, "1")
    w.result_a = make_result(obligation, title="Kết quả riêng của xã A")
    w.private_a.append("Kết quả riêng của xã A")
    checked = check_upload(SimpleUploadedFile("minh-chung.pdf", PDF_BYTES))
    w.evidence_a = do_add_evidence(w.result_a, actor=w.personas.officer_a, files=[checked])[0]
    w.subplan_a = do_create_subplan(w.plan, w.units.commune_a, actor=w.personas.officer_a)
    w.subplan_item_a = w.subplan_a.items.order_by("pk").first()
    # For the admin pages (cchc/tests/access.py gives every registered model one object).
    from cchc.execution.actions import do_generate_deliverables
    from cchc.execution.models import ResultImport

    do_generate_deliverables(w.plan)
    ResultImport.objects.create(
        unit=w.units.commune_a,
        plan=w.plan,
        original_name="ket-qua.xlsx",
        sha256="0" * 64,
        row_count=1,
        created_by=w.personas.officer_a,
    )


def _result(w):
    return {"pk": w.result_a.pk}


def _evidence(w):
    return {"pk": w.evidence_a.pk}


def _subplan(w):
    return {"pk": w.subplan_a.pk}


def _item(w):
    return {"pk": w.subplan_a.pk, "item_pk": w.subplan_item_a.pk}


def _post_only(allowed, post, **kwargs):
    """A POST-only view: roles that pass the role check get 405 on GET, the others 403."""
    return Access(get=roles(*allowed, ok=405), post=post, **kwargs)


ACCESS = {
    "execution:results": Access(get=roles(*READERS)),
    "execution:deliverables": Access(get=roles(*READERS)),
    "execution:subplans": Access(get=roles(*READERS)),
    "execution:result_create": Access(get=roles(*OFFICERS), post=roles(*OFFICERS)),
    "execution:import": Access(get=roles(*OFFICERS), post=roles(*OFFICERS)),
    # The administrator belongs to no agency: there is no template to give.
    "execution:import_template": Access(get=roles(*OFFICERS, admin=404)),
    "execution:result": Access(kwargs=_result, get=roles(*AGENCY_A_READERS, officer_b=404)),
    "execution:result_edit": Access(
        kwargs=_result, get=roles("officer_a", officer_b=404), post=roles("officer_a", officer_b=404)
    ),
    "execution:result_delete": Access(
        kwargs=_result, get=roles("officer_a", officer_b=404), post=roles("officer_a", ok=REDIRECT, officer_b=404)
    ),
    # An empty POST adds nothing: a bad request for A's officer.
    "execution:evidence_add": _post_only(OFFICERS, kwargs=_result, post=roles("officer_a", ok=400, officer_b=404)),
    "execution:evidence_download": Access(kwargs=_evidence, get=roles(*AGENCY_A_READERS, officer_b=404)),
    "execution:evidence_delete": _post_only(
        OFFICERS, kwargs=_evidence, post=roles("officer_a", ok=REDIRECT, officer_b=404)
    ),
    "execution:subplan_create": _post_only(
        PLAN_STAFF, kwargs=lambda w: {"plan_pk": w.plan.pk}, post=roles("officer_a", "officer_b", "head_a", ok=REDIRECT)
    ),
    "execution:subplan": Access(kwargs=_subplan, get=roles(*AGENCY_A_READERS, officer_b=404)),
    "execution:subplan_edit": Access(
        kwargs=_subplan,
        get=roles("officer_a", "head_a", officer_b=404),
        post=roles("officer_a", "head_a", officer_b=404),
    ),
    "execution:subplan_item_add": Access(
        kwargs=_subplan,
        get=roles("officer_a", "head_a", officer_b=404),
        post=roles("officer_a", "head_a", officer_b=404),
    ),
    "execution:subplan_item": Access(
        kwargs=_item, get=roles("officer_a", "head_a", officer_b=404), post=roles("officer_a", "head_a", officer_b=404)
    ),
    "execution:subplan_item_delete": _post_only(PLAN_STAFF, kwargs=_item, post=roles(officer_b=404)),
    "execution:subplan_resolve": _post_only(
        PLAN_STAFF, kwargs=_item, post=roles("officer_a", "head_a", ok=REDIRECT, officer_b=404)
    ),
    "execution:subplan_sync": _post_only(PLAN_STAFF, kwargs=_subplan, post=roles(officer_b=404)),
    "execution:subplan_submit": _post_only(PLAN_STAFF, kwargs=_subplan, post=roles(officer_b=404)),
    "execution:subplan_approve": _post_only(("head_a", "admin"), kwargs=_subplan, post=roles()),
    # The head's empty "return" has no reason: refused as a bad request.
    "execution:subplan_return": _post_only(("head_a", "admin"), kwargs=_subplan, post=roles(head_a=400)),
}
