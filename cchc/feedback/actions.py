"""Changes to feedback. Each function checks who may do it, validates, runs in a transaction, writes one audit
row, and refuses to overwrite a change someone else made meanwhile (the ``version`` the caller saw)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.feedback import notify
from cchc.feedback.models import (
    PUBLIC_CHANNELS,
    Feedback,
    FeedbackAttachment,
    FeedbackNote,
    RatingSource,
    SatisfactionRating,
    SenderKind,
    Stage,
    Status,
    due_after,
)
from cchc.feedback.permissions import (
    can_add_note,
    can_answer,
    can_classify,
    can_enter_feedback,
    can_publish,
)
from cchc.lib.uploads import CheckedUpload
from cchc.orgs.models import Unit

SUBMISSION_FIELDS = ["kind", "sender_name", "organisation", "address", "phone", "email", "subject", "content",
                     "procedure_code", "regulation"]


class SubmissionConflict(ValidationError):
    """The submission token was already used for a different submission."""


@dataclass(frozen=True)
class Submission:
    feedback: Feedback
    created: bool  # False: the same submission arrived again and the stored one is returned


def fingerprint(data: dict, files: Iterable[CheckedUpload] = ()) -> str:
    """A digest of what was submitted, to tell a repeated POST from a different submission with a reused token."""
    payload = {name: (data.get(name) or "") for name in SUBMISSION_FIELDS}
    payload["files"] = sorted(hashlib.sha256(f.data).hexdigest() for f in files)
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _replay(existing: Feedback, digest: str) -> Submission:
    if existing.fingerprint != digest:
        raise SubmissionConflict(_("Mã gửi (submission token) này đã được dùng cho một phản ánh khác. "
                                   "Hãy mở biểu mẫu mới để gửi phản ánh, kiến nghị mới."), code="conflict")
    return Submission(existing, created=False)


def replay_submission(stored: Feedback, data: dict, files: Iterable[CheckedUpload] = ()) -> Submission:
    """The stored item for a repeated submission (same token, same content), or ``SubmissionConflict``."""
    return _replay(stored, fingerprint(data, files))


def do_submit_feedback(data: dict, *, channel: str, files: Iterable[CheckedUpload] = (), token: str | None = None,
                       received_at: dt.datetime | None = None, actor=None) -> Submission:
    """Store a submission once, whatever the load: ``token`` (unique) makes a repeated POST return the stored item.

    ``data`` holds the cleaned fields of ``SUBMISSION_FIELDS``; files have passed ``check_upload``. The sender
    gets the tracking code by e-mail after the commit. Staff entering a letter, a call or an e-mail pass
    ``actor`` and the day it was received.
    """
    files = list(files)
    if channel not in PUBLIC_CHANNELS and not can_enter_feedback(actor):
        raise PermissionDenied
    digest = fingerprint(data, files)
    if token and (existing := Feedback.objects.filter(submission_token=token).first()) is not None:
        return _replay(existing, digest)
    values = {name: data.get(name) or "" for name in SUBMISSION_FIELDS}
    values["procedure_code"] = values["procedure_code"] or None
    received_at = received_at or timezone.now()
    for attempt in range(5):
        feedback = Feedback(
            **values, channel=channel, submission_token=token or None, fingerprint=digest, received_at=received_at,
            sender_kind=SenderKind.ORGANISATION if values["organisation"] else SenderKind.INDIVIDUAL,
            entered_by=actor if channel not in PUBLIC_CHANNELS else None,
            due_on=due_after(timezone.localdate(received_at), Stage.CLASSIFY),
        )
        try:
            with transaction.atomic():
                # Uniqueness is the database's job (the race above); the check constraints concern later steps.
                feedback.full_clean(exclude=["code", "public_id", "submission_token"], validate_unique=False,
                                    validate_constraints=False)
                feedback.save()
                for upload in files:
                    FeedbackAttachment.objects.create(
                        feedback=feedback, file=ContentFile(upload.data, name=upload.stored_name),
                        original_name=upload.original_name, content_type=upload.kind.content_type,
                        size=upload.size, sha256=hashlib.sha256(upload.data).hexdigest(),
                    )
                record("feedback.submit", feedback, actor=actor, channel=channel, attachments=len(files))
            break
        except IntegrityError:
            # Either the same submission won a race with this one (its token is now stored), or, vanishingly
            # rarely, a random code collided: then draw new codes.
            if token:
                existing = Feedback.objects.filter(submission_token=token).first()
                if existing is not None:
                    return _replay(existing, digest)
            if attempt == 4:
                raise
    transaction.on_commit(lambda: notify.send_receipt(feedback))
    return Submission(feedback, created=True)


# --- The desk's workflow ------------------------------------------------------------------------------------

def _locked(feedback: Feedback, expected_version: int | None) -> Feedback:
    """Re-read the row under a lock and refuse if it changed since the caller looked at it."""
    current = Feedback.objects.select_for_update().get(pk=feedback.pk)
    seen = feedback.version if expected_version is None else expected_version
    if current.version != seen:
        raise ValidationError(_("Phản ánh, kiến nghị này vừa được người khác cập nhật. Hãy tải lại trang để xem "
                                "thay đổi rồi thực hiện lại."), code="stale")
    return current


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_status(feedback: Feedback, *statuses: str) -> None:
    if feedback.status not in statuses:
        raise ValidationError(_("Không thực hiện được ở trạng thái hiện tại (“%(status)s”).")
                              % {"status": feedback.get_status_display()}, code="status")


def _text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def _save(feedback: Feedback, fields: list[str]) -> Feedback:
    feedback.version += 1
    feedback.full_clean(exclude=["code", "public_id", "submission_token"], validate_unique=False)
    feedback.save(update_fields=[*fields, "version"])
    return feedback


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def do_accept_feedback(feedback: Feedback, *, actor, expected_version: int | None = None) -> Feedback:
    """Received → accepted: it is feedback on an administrative regulation and may be handled."""
    _require(can_classify(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.RECEIVED)
    feedback.status, feedback.accepted_at = Status.ACCEPTED, timezone.now()
    _save(feedback, ["status", "accepted_at"])
    record("feedback.accept", feedback, actor=actor)
    return feedback


@transaction.atomic
def do_reject_feedback(feedback: Feedback, reason: str, *, actor, expected_version: int | None = None) -> Feedback:
    """Not accepted (out of scope: a complaint or denunciation, no sender details, not about a regulation...)."""
    _require(can_classify(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.RECEIVED, Status.ACCEPTED)
    feedback.decision_reason = _text(reason, _("Hãy ghi lý do không tiếp nhận để thông báo cho người gửi."))
    feedback.status, feedback.closed_at, feedback.due_on = Status.NOT_ACCEPTED, timezone.now(), None
    _save(feedback, ["status", "decision_reason", "closed_at", "due_on"])
    record("feedback.reject", feedback, actor=actor, reason=feedback.decision_reason)
    transaction.on_commit(lambda: notify.send_outcome(feedback))
    return feedback


def _check_unit(unit: Unit | None) -> Unit:
    if unit is None or not unit.is_valid_on(_today()):
        raise ValidationError(_("Hãy chọn cơ quan xử lý đang hoạt động."), code="unit")
    return unit


@transaction.atomic
def do_assign_feedback(feedback: Feedback, unit: Unit, *, actor, note: str = "",
                       expected_version: int | None = None) -> Feedback:
    """Accepted → assigned to the agency that must answer; its answer period starts today."""
    _require(can_classify(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.ACCEPTED)
    feedback.assigned_unit = _check_unit(unit)
    feedback.status, feedback.assigned_at = Status.ASSIGNED, timezone.now()
    feedback.due_on = due_after(_today(), Stage.ANSWER)
    _save(feedback, ["status", "assigned_unit", "assigned_at", "due_on"])
    if note.strip():
        FeedbackNote.objects.create(feedback=feedback, author=actor, unit=actor.unit, text=note.strip())
    record("feedback.assign", feedback, actor=actor, unit=unit, agency=unit.code, due_on=str(feedback.due_on))
    return feedback


@transaction.atomic
def do_reassign_feedback(feedback: Feedback, unit: Unit, reason: str, *, actor,
                         expected_version: int | None = None) -> Feedback:
    """Assigned → assigned to another agency (the first was not competent). The new agency gets a full answer
    period from today: it receives the item today."""
    _require(can_classify(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.ASSIGNED)
    reason = _text(reason, _("Hãy ghi lý do chuyển cho cơ quan khác."))
    unit = _check_unit(unit)
    if unit.pk == feedback.assigned_unit_id:
        raise ValidationError(_("Phản ánh, kiến nghị đang ở chính cơ quan này."), code="same_unit")
    previous = feedback.assigned_unit
    feedback.assigned_unit, feedback.assigned_at = unit, timezone.now()
    feedback.due_on = due_after(_today(), Stage.ANSWER)
    _save(feedback, ["assigned_unit", "assigned_at", "due_on"])
    FeedbackNote.objects.create(feedback=feedback, author=actor, unit=actor.unit,
                                text=_("Chuyển từ %(old)s sang %(new)s: %(reason)s")
                                % {"old": previous.name, "new": unit.name, "reason": reason})
    record("feedback.reassign", feedback, actor=actor, unit=unit, agency=unit.code, previous=previous.code,
           reason=reason, due_on=str(feedback.due_on))
    return feedback


@transaction.atomic
def do_forward_feedback(feedback: Feedback, recipient: str, reason: str, *, actor,
                        expected_version: int | None = None) -> Feedback:
    """Outside the province's competence: forwarded to the competent authority (a ministry...), and closed here."""
    _require(can_classify(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.RECEIVED, Status.ACCEPTED)
    feedback.forwarded_to = _text(recipient, _("Hãy ghi cơ quan có thẩm quyền nhận phản ánh, kiến nghị."))
    feedback.decision_reason = (reason or "").strip()
    feedback.status, feedback.closed_at, feedback.due_on = Status.FORWARDED, timezone.now(), None
    _save(feedback, ["status", "forwarded_to", "decision_reason", "closed_at", "due_on"])
    record("feedback.forward", feedback, actor=actor, forwarded_to=feedback.forwarded_to)
    transaction.on_commit(lambda: notify.send_outcome(feedback))
    return feedback


@transaction.atomic
def do_answer_feedback(feedback: Feedback, answer: str, *, actor, reference: str = "",
                       expected_version: int | None = None) -> Feedback:
    """Assigned → answered, by the assigned agency; the desk then has its publication period."""
    _require(can_answer(actor, feedback))
    feedback = _locked(feedback, expected_version)
    _require(can_answer(actor, feedback))
    feedback.answer = _text(answer, _("Hãy nhập nội dung trả lời."))
    feedback.answer_reference = (reference or "").strip()
    feedback.status, feedback.answered_at, feedback.answered_by = Status.ANSWERED, timezone.now(), actor
    feedback.due_on = due_after(_today(), Stage.PUBLISH)
    _save(feedback, ["status", "answer", "answer_reference", "answered_at", "answered_by", "due_on"])
    record("feedback.answer", feedback, actor=actor, reference=feedback.answer_reference)
    return feedback


@transaction.atomic
def do_return_feedback(feedback: Feedback, reason: str, *, actor, expected_version: int | None = None) -> Feedback:
    """Answered → assigned again: the desk asks the agency to complete its answer (a new answer period)."""
    _require(can_publish(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.ANSWERED)
    reason = _text(reason, _("Hãy ghi nội dung cần bổ sung, hoàn thiện."))
    feedback.status, feedback.due_on = Status.ASSIGNED, due_after(_today(), Stage.ANSWER)
    _save(feedback, ["status", "due_on"])
    FeedbackNote.objects.create(feedback=feedback, author=actor, unit=actor.unit,
                                text=_("Đề nghị bổ sung câu trả lời: %(reason)s") % {"reason": reason})
    record("feedback.return", feedback, actor=actor, reason=reason)
    return feedback


@transaction.atomic
def do_publish_feedback(feedback: Feedback, public_subject: str, public_content: str, *, actor,
                        expected_version: int | None = None) -> Feedback:
    """Answered → published, with the subject and text as the desk cleaned them of personal data."""
    _require(can_publish(actor))
    feedback = _locked(feedback, expected_version)
    _require_status(feedback, Status.ANSWERED)
    feedback.public_subject = _text(public_subject, _("Hãy nhập tiêu đề công khai."))
    feedback.public_content = _text(public_content, _("Hãy nhập nội dung công khai."))
    feedback.status, feedback.published_at, feedback.closed_at = Status.PUBLISHED, timezone.now(), timezone.now()
    feedback.due_on = None
    _save(feedback, ["status", "public_subject", "public_content", "published_at", "closed_at", "due_on"])
    record("feedback.publish", feedback, actor=actor)
    transaction.on_commit(lambda: notify.send_outcome(feedback))
    return feedback


@transaction.atomic
def do_add_feedback_note(feedback: Feedback, text: str, *, actor) -> FeedbackNote:
    """An internal note (never public) by the desk or the assigned agency."""
    _require(can_add_note(actor, feedback))
    note = FeedbackNote(feedback=feedback, author=actor, unit=actor.unit,
                        text=_text(text, _("Hãy nhập nội dung ghi chú.")))
    note.full_clean()
    note.save()
    record("feedback.note", feedback, actor=actor)
    return note


# --- Satisfaction ----------------------------------------------------------------------------------------

def _rating(values: dict, **fields) -> SatisfactionRating:
    rating = SatisfactionRating(**fields, **values)
    rating.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            rating.save()
            record("feedback.rate", rating, actor=None, unit=rating.unit, source=rating.source,
                   overall=rating.overall)
    except IntegrityError:
        raise ValidationError(_("Đánh giá này đã được gửi trước đó. Cảm ơn bạn!"), code="duplicate") from None
    return rating


def do_rate_feedback(feedback: Feedback, values: dict) -> SatisfactionRating:
    """The sender rates how their feedback was handled, once, after the answer is published."""
    if feedback.status != Status.PUBLISHED:
        raise ValidationError(_("Chỉ đánh giá được sau khi kết quả xử lý đã được công khai."), code="status")
    return _rating(values, unit=feedback.assigned_unit, feedback=feedback, source=RatingSource.FEEDBACK,
                   procedure_code=feedback.procedure_code, rated_on=timezone.localdate())


def do_rate_service(unit: Unit, values: dict, *, dossier_code: str = "",
                    procedure_code: str | None = None) -> SatisfactionRating:
    """A citizen rates a one-stop desk after a procedure (the QR code on the receipt): once per dossier."""
    return _rating(values, unit=unit, source=RatingSource.ONE_STOP, dossier_code=(dossier_code or "").strip(),
                   procedure_code=procedure_code or None, rated_on=timezone.localdate())


ANONYMISED = "[đã ẩn]"


@transaction.atomic
def do_anonymise_senders(cutoff, *, actor=None, dry_run: bool = False) -> int:
    """Clear the sender's personal data from items closed before ``cutoff`` (the retention period).

    The item itself, its answer and its dates stay for statistics and the public record; the name becomes
    "[đã ẩn]" and the organisation, address, phone and e-mail are emptied. Registered with
    ``cchc.privacy.retention`` and run by ``cchc anonymise_personal_data``.
    """
    due = Feedback.objects.filter(closed_at__lt=cutoff).exclude(sender_name=ANONYMISED)
    if dry_run:
        return due.count()
    changed = 0
    for item in due.select_for_update():
        item.sender_name, item.organisation, item.address, item.phone, item.email = ANONYMISED, "", "", "", ""
        item.save(update_fields=["sender_name", "organisation", "address", "phone", "email"])
        changed += 1
    if changed:
        record("feedback.anonymise_senders", None, actor=actor, cutoff=cutoff.isoformat(), items=changed)
    return changed
