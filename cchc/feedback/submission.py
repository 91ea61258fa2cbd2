"""The one way a submission is accepted, whichever door it comes in by: the public form, the desk's entry of a
letter or call, the JSON API and Open311.

``accept_submission`` runs the same steps in the same order for all of them:

1. **replay** — a token (the form's one-time token, an ``Idempotency-Key``) already stored returns the stored
   item when the content is the same (a double click, a retried request; it is not counted against the rate
   limit), and refuses with ``SubmissionConflict`` when the content differs;
2. **protection** — a browser posting for another web site is refused on the doors that carry no CSRF token,
   and one attempt is counted against the rate limit shared by every public door;
3. **validation** — the form's rules (the regulation's required contact details, lengths after trimming);
4. **submit** — ``actions.do_submit_feedback`` stores it once and writes its audit row.

A door only translates: it binds its input to a ``SubmissionForm`` (with its channel), calls this, and renders
the outcome or the refusal in its own format.
"""

from __future__ import annotations

from django.http import HttpRequest

from cchc.feedback import actions, protection
from cchc.feedback.forms import PROTECTION_FIELDS, SubmissionForm
from cchc.feedback.models import PUBLIC_CHANNELS, Channel, Feedback

# Doors that programs call without a session, hence without a CSRF token: the cross-site check stands in for it.
NO_CSRF_CHANNELS = {Channel.API, Channel.OPEN311}


class Refused(Exception):
    """Refused before validation: ``status`` 403 (another site's page) or 429 (rate limit, ``retry_after``)."""

    def __init__(self, status: int, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after


class InvalidSubmission(Exception):
    """The form's rules refused it; ``form.errors`` says why, field by field."""

    def __init__(self, form: SubmissionForm):
        super().__init__("invalid submission")
        self.form = form


def accept_submission(
    request: HttpRequest, form: SubmissionForm, *, token: str | None, actor=None
) -> actions.Submission:
    """Replay, protect, validate and store the submission bound to ``form`` (see the module's docstring).

    Raises ``Refused``, ``InvalidSubmission`` or ``actions.SubmissionConflict``; returns the stored item with
    ``created`` False when it is a repeat of one already stored.
    """
    channel = form.channel()
    if token and (stored := Feedback.objects.filter(submission_token=token).first()) is not None:
        return _replay(stored, form)
    if channel in NO_CSRF_CHANNELS and protection.from_another_site(request) and protection.api_client(request) is None:
        raise Refused(403, protection.cross_site_message())
    if channel in PUBLIC_CHANNELS:
        decision = protection.submission_allowed(request)
        if not decision.allowed:
            raise Refused(429, protection.rate_limited_message(decision), decision.retry_after)
    if not form.is_valid():
        raise InvalidSubmission(form)
    return actions.do_submit_feedback(
        form.submission(),
        channel=channel,
        files=form.attachments(),
        token=token,
        received_at=form.received_at(),
        actor=actor,
    )


def _replay(stored: Feedback, form: SubmissionForm) -> actions.Submission:
    """The stored item for the same content sent again. Only the submission's own fields are compared: a
    reload after the CAPTCHA expired still finds what was stored. Content that fails the form's rules cannot
    be what was stored: it is refused as invalid (the sender sees why)."""
    form.is_valid()
    if set(form.errors) - PROTECTION_FIELDS:
        raise InvalidSubmission(form)
    return actions.replay_submission(stored, form.submission(), form.attachments())
