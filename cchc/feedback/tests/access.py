"""Access rows for feedback (PAKN) and its API (format: cchc/tests/matrix.py, docs/security.md).

Public pages (published answers, the form, tracking by code, ratings) answer everyone alike; the desk pages
show an item to the desk and the province-wide roles, and to an agency only when the item is assigned to it:
the world's item is assigned to agency A, so officer B gets 404. The sender's name never reaches officer B.
"""

from cchc.tests.matrix import LOGIN, REDIRECT, ROLES, Access, everyone, roles, staff


def world(w):
    from cchc.feedback.tests.factory import SENDER, make_assigned, make_published
    from cchc.lib.uploads import PDF, CheckedUpload
    from cchc.testing import PDF_BYTES

    upload = CheckedUpload(
        kind=PDF, data=PDF_BYTES, original_name="don.pdf", stored_name="matrix.pdf", size=len(PDF_BYTES)
    )
    w.feedback_a = make_assigned(w.personas, unit=w.units.commune_a, files=[upload])
    w.feedback_attachment_a = w.feedback_a.attachments.get()
    w.published = make_published(w.personas)
    w.private_a.append(SENDER["sender_name"])
    # For the admin pages (every registered model needs one object).
    from django.utils import timezone

    from cchc.feedback.actions import do_issue_api_key
    from cchc.feedback.models import FeedbackReminder, SatisfactionRating

    do_issue_api_key("Ứng dụng thử", (100, 3600), actor=w.personas.admin)
    FeedbackReminder.objects.create(
        feedback=w.feedback_a, stage="answer", kind="due_soon", due_on=timezone.localdate(), scope="unit", recipients=[]
    )
    SatisfactionRating.objects.create(unit=w.units.commune_a, source="one_stop", overall=5)


def _code(w):
    return {"code": w.feedback_a.code}


def _everyone(get=200, post=None):
    return Access(get=everyone(get), post=everyone(post) if post is not None else None)


ACCESS = {
    # Public pages. Empty POSTs to the forms: refused as bad requests (missing token and CAPTCHA).
    "feedback:public_list": _everyone(),
    "feedback:public_detail": Access(kwargs=lambda w: {"public_id": w.published.public_id}, get=everyone(200)),
    "feedback:submit": _everyone(200, post=400),
    "feedback:sent": Access(kwargs=_code, get=everyone(200)),
    "feedback:track": _everyone(),
    "feedback:track_detail": Access(kwargs=_code, get=everyone(200)),
    # Rating is offered once the item is answered; before that the page sends back to tracking.
    "feedback:rate_feedback": Access(kwargs=_code, get=everyone(REDIRECT), post=everyone(REDIRECT)),
    "feedback:rate_service": Access(
        kwargs=lambda w: {"unit_code": w.units.commune_a.code}, get=everyone(200), post=everyone(400)
    ),
    # Staff pages: the desk list shows each role what it may see (officer B's list has no item of A).
    "feedback:desk": Access(get=staff()),
    "feedback:staff_new": Access(get=roles("desk", "admin"), post=roles("desk", "admin")),
    "feedback:detail": Access(kwargs=_code, get=staff(officer_b=404)),
    "feedback:attachment": Access(
        kwargs=lambda w: {"code": w.feedback_a.code, "pk": w.feedback_attachment_a.pk}, get=staff(officer_b=404)
    ),
    # POST only. An empty "note" is a bad request for those who may write one; read-only roles get 403.
    "feedback:decide": Access(
        kwargs=lambda w: {"code": w.feedback_a.code, "name": "note"},
        get={**{r: 405 for r in ROLES}, "anonymous": LOGIN},
        post=staff(400, officer_b=404, coordinator=403, observer=403),
    ),
    # The public JSON API and Open311: the same answers for everyone, never the sender's data.
    "api:openapi": _everyone(200, post=405),
    "api:feedback": _everyone(200, post=415),
    "api:feedback_item": Access(kwargs=_code, get=everyone(200), post=everyone(405)),
    "api:open311_services": _everyone(200, post=405),
    "api:open311_service": Access(kwargs={"code": "phan_anh"}, get=everyone(200), post=everyone(405)),
    "api:open311_requests": _everyone(200, post=400),
    "api:open311_request": Access(
        kwargs=lambda w: {"request_id": w.feedback_a.code}, get=everyone(200), post=everyone(405)
    ),
}
