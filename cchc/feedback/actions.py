"""Changes to feedback. Each function checks who may do it, validates, runs in a transaction, writes one audit
row, and refuses to overwrite a change someone else made meanwhile (the ``version`` the caller saw)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
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
    ApiClient,
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
from cchc.feedback.permissions import can_enter_feedback, can_manage_api_clients, check_step, role_may
from cchc.feedback.redact import PUBLIC_FIELDS, redact, suggest_public_fields
from cchc.lib.uploads import CheckedUpload, files_removed_on_failure
from cchc.lib.versioning import bump_version
from cchc.orgs.models import Unit

SUBMISSION_FIELDS = [
    "kind",
    "sender_name",
    "organisation",
    "address",
    "phone",
    "email",
    "subject",
    "content",
    "procedure_code",
    "regulation",
]


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
        raise SubmissionConflict(
            _(
                "Mã gửi (submission token) này đã được dùng cho một phản ánh khác. "
                "Hãy mở biểu mẫu mới để gửi phản ánh, kiến nghị mới."
            ),
            code="conflict",
        )
    return Submission(existing, created=False)


def replay_submission(stored: Feedback, data: dict, files: Iterable[CheckedUpload] = ()) -> Submission:
    """The stored item for a repeated submission (same token, same content), or ``SubmissionConflict``."""
    return _replay(stored, fingerprint(data, files))


def do_submit_feedback(
    data: dict,
    *,
    channel: str,
    files: Iterable[CheckedUpload] = (),
    token: str | None = None,
    received_at: dt.datetime | None = None,
    actor=None,
) -> Submission:
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
            **values,
            channel=channel,
            submission_token=token or None,
            fingerprint=digest,
            received_at=received_at,
            sender_kind=SenderKind.ORGANISATION if values["organisation"] else SenderKind.INDIVIDUAL,
            entered_by=actor if channel not in PUBLIC_CHANNELS else None,
            due_on=due_after(timezone.localdate(received_at), Stage.CLASSIFY),
        )
        try:
            # A failed attempt (a race, the database gone) leaves none of its files behind (issue 15, finding 11).
            with files_removed_on_failure() as stored, transaction.atomic():
                # Uniqueness is the database's job (the race above); the check constraints concern later steps.
                feedback.full_clean(
                    exclude=["code", "public_id", "submission_token"], validate_unique=False, validate_constraints=False
                )
                feedback.save()
                for upload in files:
                    attachment = FeedbackAttachment(
                        feedback=feedback,
                        original_name=upload.download_name,
                        content_type=upload.kind.content_type,
                        size=upload.size,
                        sha256=hashlib.sha256(upload.data).hexdigest(),
                    )
                    attachment.file.save(upload.stored_name, ContentFile(upload.data), save=False)
                    stored.append(attachment.file.name)
                    attachment.save()
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


def _locked(feedback: Feedback, step: str, expected_version: int | None, actor) -> Feedback:
    """Check the step against ``permissions.STEPS``, re-read the row under a lock and move its version on,
    refusing (``StaleEdit``) if it changed since the caller looked at it, then check the step against the row
    as it is now."""
    if not role_may(actor, step, feedback):
        raise PermissionDenied
    current = Feedback.objects.select_for_update().get(pk=feedback.pk)
    bump_version(current, feedback.version if expected_version is None else expected_version, actor=actor)
    check_step(actor, step, current)
    return current


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value: str | None, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


def _save(feedback: Feedback, fields: list[str]) -> Feedback:
    feedback.full_clean(exclude=["code", "public_id", "submission_token"], validate_unique=False)
    feedback.save(update_fields=[*fields, "updated_at"])
    return feedback


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def do_accept_feedback(feedback: Feedback, *, actor, expected_version: int | None = None) -> Feedback:
    """Received → accepted: it is feedback on an administrative regulation and may be handled."""
    feedback = _locked(feedback, "accept", expected_version, actor)
    feedback.status, feedback.accepted_at = Status.ACCEPTED, timezone.now()
    _save(feedback, ["status", "accepted_at"])
    record("feedback.accept", feedback, actor=actor)
    return feedback


@transaction.atomic
def do_reject_feedback(feedback: Feedback, reason: str, *, actor, expected_version: int | None = None) -> Feedback:
    """Not accepted (out of scope: a complaint or denunciation, no sender details, not about a regulation...)."""
    feedback = _locked(feedback, "reject", expected_version, actor)
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
def do_assign_feedback(
    feedback: Feedback, unit: Unit, *, actor, note: str = "", expected_version: int | None = None
) -> Feedback:
    """Accepted → assigned to the agency that must answer; its answer period starts today."""
    feedback = _locked(feedback, "assign", expected_version, actor)
    feedback.assigned_unit = _check_unit(unit)
    feedback.status, feedback.assigned_at = Status.ASSIGNED, timezone.now()
    feedback.due_on = due_after(_today(), Stage.ANSWER)
    _save(feedback, ["status", "assigned_unit", "assigned_at", "due_on"])
    if note.strip():
        FeedbackNote.objects.create(feedback=feedback, author=actor, unit=actor.unit, text=note.strip())
    record("feedback.assign", feedback, actor=actor, unit=unit, agency=unit.code, due_on=str(feedback.due_on))
    return feedback


@transaction.atomic
def do_reassign_feedback(
    feedback: Feedback, unit: Unit, reason: str, *, actor, expected_version: int | None = None
) -> Feedback:
    """Assigned → assigned to another agency (the first was not competent). The new agency gets a full answer
    period from today: it receives the item today."""
    feedback = _locked(feedback, "reassign", expected_version, actor)
    reason = _text(reason, _("Hãy ghi lý do chuyển cho cơ quan khác."))
    unit = _check_unit(unit)
    if unit.pk == feedback.assigned_unit_id:
        raise ValidationError(_("Phản ánh, kiến nghị đang ở chính cơ quan này."), code="same_unit")
    previous = feedback.assigned_unit
    feedback.assigned_unit, feedback.assigned_at = unit, timezone.now()
    feedback.due_on = due_after(_today(), Stage.ANSWER)
    _save(feedback, ["assigned_unit", "assigned_at", "due_on"])
    FeedbackNote.objects.create(
        feedback=feedback,
        author=actor,
        unit=actor.unit,
        text=_("Chuyển từ %(old)s sang %(new)s: %(reason)s")
        % {"old": previous.name, "new": unit.name, "reason": reason},
    )
    record(
        "feedback.reassign",
        feedback,
        actor=actor,
        unit=unit,
        agency=unit.code,
        previous=previous.code,
        reason=reason,
        due_on=str(feedback.due_on),
    )
    return feedback


@transaction.atomic
def do_forward_feedback(
    feedback: Feedback, recipient: str, reason: str, *, actor, expected_version: int | None = None
) -> Feedback:
    """Outside the province's competence: forwarded to the competent authority (a ministry...), and closed here."""
    feedback = _locked(feedback, "forward", expected_version, actor)
    feedback.forwarded_to = _text(recipient, _("Hãy ghi cơ quan có thẩm quyền nhận phản ánh, kiến nghị."))
    feedback.decision_reason = (reason or "").strip()
    feedback.status, feedback.closed_at, feedback.due_on = Status.FORWARDED, timezone.now(), None
    _save(feedback, ["status", "forwarded_to", "decision_reason", "closed_at", "due_on"])
    record("feedback.forward", feedback, actor=actor, forwarded_to=feedback.forwarded_to)
    transaction.on_commit(lambda: notify.send_outcome(feedback))
    return feedback


@transaction.atomic
def do_answer_feedback(
    feedback: Feedback, answer: str, *, actor, reference: str = "", expected_version: int | None = None
) -> Feedback:
    """Assigned → answered, by the assigned agency; the desk then has its publication period."""
    feedback = _locked(feedback, "answer", expected_version, actor)
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
    feedback = _locked(feedback, "return", expected_version, actor)
    reason = _text(reason, _("Hãy ghi nội dung cần bổ sung, hoàn thiện."))
    feedback.status, feedback.due_on = Status.ASSIGNED, due_after(_today(), Stage.ANSWER)
    _save(feedback, ["status", "due_on"])
    FeedbackNote.objects.create(
        feedback=feedback,
        author=actor,
        unit=actor.unit,
        text=_("Đề nghị bổ sung câu trả lời: %(reason)s") % {"reason": reason},
    )
    record("feedback.return", feedback, actor=actor, reason=reason)
    return feedback


@transaction.atomic
def do_publish_feedback(
    feedback: Feedback,
    public_subject: str,
    public_content: str,
    *,
    actor,
    expected_version: int | None = None,
    **public_fields: str,
) -> Feedback:
    """Answered → published, with every public field as the desk cleaned it of personal data.

    ``public_fields`` may give ``public_answer``, ``public_answer_reference`` and ``public_regulation``; one not
    given is drawn from its internal twin. Whatever the desk wrote passes the redaction once more, so the
    sender's own details never reach the public even when the desk missed them.
    """
    feedback = _locked(feedback, "publish", expected_version, actor)
    unknown = set(public_fields) - set(PUBLIC_FIELDS)
    if unknown:
        raise TypeError(f"unknown public fields: {sorted(unknown)}")
    suggested = suggest_public_fields(feedback)
    given = {**suggested, **public_fields, "public_subject": public_subject, "public_content": public_content}
    for name in PUBLIC_FIELDS:
        setattr(feedback, name, redact(given[name] or "", feedback).strip())
    feedback.public_subject = _text(feedback.public_subject, _("Hãy nhập tiêu đề công khai."))
    feedback.public_content = _text(feedback.public_content, _("Hãy nhập nội dung công khai."))
    feedback.public_answer = _text(feedback.public_answer, _("Hãy nhập kết quả xử lý công khai."))
    feedback.status, feedback.published_at, feedback.closed_at = Status.PUBLISHED, timezone.now(), timezone.now()
    feedback.due_on = None
    _save(feedback, ["status", *PUBLIC_FIELDS, "published_at", "closed_at", "due_on"])
    record("feedback.publish", feedback, actor=actor)
    transaction.on_commit(lambda: notify.send_outcome(feedback))
    return feedback


@transaction.atomic
def do_add_feedback_note(feedback: Feedback, text: str, *, actor) -> FeedbackNote:
    """An internal note (never public) by the desk or the assigned agency."""
    check_step(actor, "note", feedback)
    note = FeedbackNote(
        feedback=feedback, author=actor, unit=actor.unit, text=_text(text, _("Hãy nhập nội dung ghi chú."))
    )
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
            record("feedback.rate", rating, actor=None, unit=rating.unit, source=rating.source, overall=rating.overall)
    except IntegrityError:
        raise ValidationError(_("Đánh giá này đã được gửi trước đó. Cảm ơn bạn!"), code="duplicate") from None
    return rating


def do_rate_feedback(feedback: Feedback, values: dict) -> SatisfactionRating:
    """The sender rates how their feedback was handled, once, after the answer is published."""
    if feedback.status != Status.PUBLISHED:
        raise ValidationError(_("Chỉ đánh giá được sau khi kết quả xử lý đã được công khai."), code="status")
    return _rating(
        values,
        unit=feedback.assigned_unit,
        feedback=feedback,
        source=RatingSource.FEEDBACK,
        procedure_code=feedback.procedure_code,
        rated_on=timezone.localdate(),
    )


def do_rate_service(
    unit: Unit, values: dict, *, dossier_code: str = "", procedure_code: str | None = None
) -> SatisfactionRating:
    """A citizen rates a one-stop desk after a procedure (the QR code on the receipt): once per dossier."""
    return _rating(
        values,
        unit=unit,
        source=RatingSource.ONE_STOP,
        dossier_code=(dossier_code or "").strip(),
        procedure_code=procedure_code or None,
        rated_on=timezone.localdate(),
    )


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


# --- Open311 client keys (issue 15, finding 8) ---------------------------------------------------------------


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def do_issue_api_key(name: str, rate: tuple[int, int], *, actor) -> tuple[ApiClient, str]:
    """An administrator gives a known application its own key and limit; returns the client and the key, which
    is shown this once and never stored."""
    _require(can_manage_api_clients(actor))
    key = secrets.token_urlsafe(32)
    client = ApiClient(
        name=_text(name, _("Hãy nhập tên ứng dụng.")),
        key_hash=api_key_digest(key),
        rate_count=rate[0],
        rate_seconds=rate[1],
        created_by=actor,
    )
    client.full_clean()
    client.save()
    record("feedback.api_key_issued", client, actor=actor, rate=f"{rate[0]}/{rate[1]}s")
    return client, key


@transaction.atomic
def do_revoke_api_key(client: ApiClient, *, actor) -> ApiClient:
    _require(can_manage_api_clients(actor))
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    client.is_active, client.revoked_at = False, timezone.now()
    client.full_clean()
    client.save(update_fields=["is_active", "revoked_at"])
    record("feedback.api_key_revoked", client, actor=actor)
    return client


# --- The detail page's steps -----------------------------------------------------------------------------------


def do_take_step(feedback: Feedback, step: str, data: dict, *, actor):
    """Take the step of ``permissions.STEPS`` named ``step`` with the cleaned data of its form (the detail page
    has one form per step; ``version`` is the item's version that page showed)."""
    version = data.get("version")
    match step:
        case "accept":
            return do_accept_feedback(feedback, actor=actor, expected_version=version)
        case "reject":
            return do_reject_feedback(feedback, data["reason"], actor=actor, expected_version=version)
        case "assign":
            return do_assign_feedback(feedback, data["unit"], actor=actor, note=data["note"], expected_version=version)
        case "reassign":
            return do_reassign_feedback(feedback, data["unit"], data["reason"], actor=actor, expected_version=version)
        case "forward":
            return do_forward_feedback(
                feedback, data["recipient"], data["reason"], actor=actor, expected_version=version
            )
        case "answer":
            return do_answer_feedback(
                feedback, data["answer"], reference=data["reference"], actor=actor, expected_version=version
            )
        case "return":
            return do_return_feedback(feedback, data["reason"], actor=actor, expected_version=version)
        case "publish":
            public = {name: data[name] for name in ("public_answer", "public_answer_reference", "public_regulation")}
            return do_publish_feedback(
                feedback,
                data["public_subject"],
                data["public_content"],
                actor=actor,
                expected_version=version,
                **public,
            )
        case "note":
            return do_add_feedback_note(feedback, data["text"], actor=actor)
    raise ValueError(f"unknown step: {step}")
