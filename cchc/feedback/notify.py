"""E-mails to senders (their tracking code, the outcome) and to officers (reminders).

Mail is sent after the change is committed; a mail server that is down never loses a submission or a
decision: the failure is logged and the sender can still follow the item with the code shown on screen.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from cchc.feedback.models import Feedback, Status

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def tracking_url(feedback: Feedback) -> str:
    return absolute(reverse("feedback:track_detail", args=[feedback.code]))


def _send(subject: str, body: str, to: list[str]) -> bool:
    if not to:
        return False
    try:
        EmailMessage(subject=subject, body=body, to=to).send()
    except Exception:  # any mail failure is logged, never allowed to undo the change
        log.exception("feedback mail to %d recipient(s) failed: %s", len(to), subject)
        return False
    return True


def send_receipt(feedback: Feedback) -> bool:
    """The tracking code, by e-mail, to a sender who gave an address."""
    if not feedback.email:
        return False
    body = render_to_string("feedback/email/receipt.txt", {"f": feedback, "url": tracking_url(feedback)})
    return _send(
        _("[PAKN] Đã nhận phản ánh, kiến nghị — mã tra cứu %(code)s") % {"code": feedback.code}, body, [feedback.email]
    )


def send_outcome(feedback: Feedback) -> bool:
    """Not accepted, forwarded elsewhere, or answered and published: the sender is told, with the reason."""
    if not feedback.email or feedback.status not in {Status.NOT_ACCEPTED, Status.FORWARDED, Status.PUBLISHED}:
        return False
    body = render_to_string("feedback/email/outcome.txt", {"f": feedback, "url": tracking_url(feedback)})
    subject = _("[PAKN] %(code)s: %(status)s") % {"code": feedback.code, "status": feedback.get_status_display()}
    return _send(subject, body, [feedback.email])


def send_reminder_digest(recipients: list[str], items: list[tuple[Feedback, str]]) -> None:
    """One mail listing the items (and whether each is due soon or overdue). Raises if it cannot be sent,
    so the caller rolls back the reminder rows and tries again next run."""
    body = render_to_string(
        "feedback/email/reminder.txt",
        {
            "items": [(f, kind, absolute(reverse("feedback:detail", args=[f.code]))) for f, kind in items],
            "desk_url": absolute(reverse("feedback:desk")),
        },
    )
    overdue = sum(1 for _f, kind in items if kind == "overdue")
    subject = _("[PAKN] Nhắc hạn: %(n)d phản ánh, kiến nghị (%(overdue)d quá hạn)") % {
        "n": len(items),
        "overdue": overdue,
    }
    EmailMessage(subject=subject, body=body, to=recipients).send()
