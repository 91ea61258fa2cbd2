"""Changes to the personal-data registers and consent records; each writes one audit row."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.lib.versioning import bump_version
from cchc.privacy.models import (
    ConsentRecord,
    DataSubjectRequest,
    Incident,
    IncidentStatus,
    RequestStatus,
    request_deadlines,
)


def _next_code(model, prefix: str) -> str:
    last = model.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _create_with_code(model, prefix: str, **fields):
    # Two desks registering at the same moment may pick the same number: the unique index refuses the
    # second, which takes the next one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                obj = model(code=_next_code(model, prefix), **fields)
                if isinstance(obj, Incident):
                    obj.set_clocks()
                obj.full_clean()
                obj.save()
                return obj
        except IntegrityError:
            continue
    raise IntegrityError(f"could not allocate a {model.__name__} code")


# --- Data-subject requests ------------------------------------------------------------------------


@transaction.atomic
def do_register_request(
    *, kind: str, requester_name: str, requester_contact: str, subject: str, received_on: dt.date, channel: str, actor
) -> DataSubjectRequest:
    ack, due = request_deadlines(kind, received_on)
    obj = _create_with_code(
        DataSubjectRequest,
        f"YC-{received_on.year}-",
        kind=kind,
        requester_name=requester_name,
        requester_contact=requester_contact,
        subject=subject,
        received_on=received_on,
        channel=channel,
        acknowledge_due=ack,
        due_on=due,
        created_by=actor,
    )
    record("privacy.request_registered", obj, actor=actor, kind=kind, due_on=due.isoformat())
    return obj


@transaction.atomic
def do_acknowledge_request(
    obj: DataSubjectRequest, *, on: dt.date, expected_version: int | None, actor
) -> DataSubjectRequest:
    obj = DataSubjectRequest.objects.select_for_update().get(pk=obj.pk)
    bump_version(obj, expected_version, actor=actor)
    if obj.status != RequestStatus.RECEIVED:
        raise ValidationError(_("Yêu cầu này đã được phản hồi."))
    if on < obj.received_on:
        raise ValidationError(_("Ngày phản hồi không thể trước ngày nhận."))
    obj.status, obj.acknowledged_on = RequestStatus.ACKNOWLEDGED, on
    obj.full_clean()
    obj.save(update_fields=["status", "acknowledged_on", "updated_at"])
    record("privacy.request_acknowledged", obj, actor=actor, on=on.isoformat(), late=on > obj.acknowledge_due)
    return obj


@transaction.atomic
def do_close_request(
    obj: DataSubjectRequest, *, refused: bool, outcome: str, on: dt.date, expected_version: int | None, actor
) -> DataSubjectRequest:
    obj = DataSubjectRequest.objects.select_for_update().get(pk=obj.pk)
    bump_version(obj, expected_version, actor=actor)
    if obj.status in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise ValidationError(_("Yêu cầu này đã được giải quyết xong."))
    if refused and not outcome.strip():
        raise ValidationError(_("Từ chối yêu cầu thì phải nêu lý do để thông báo cho người yêu cầu."))
    if on < obj.received_on:
        raise ValidationError(_("Ngày hoàn thành không thể trước ngày nhận."))
    obj.status = RequestStatus.REFUSED if refused else RequestStatus.COMPLETED
    obj.completed_on, obj.outcome = on, outcome
    if obj.acknowledged_on is None:
        obj.acknowledged_on = on
    obj.full_clean()
    obj.save(update_fields=["status", "completed_on", "acknowledged_on", "outcome", "updated_at"])
    record("privacy.request_closed", obj, actor=actor, status=obj.status, on=on.isoformat(), late=on > obj.due_on)
    return obj


# --- Incidents ------------------------------------------------------------------------------------

INCIDENT_EDITABLE = (
    "title",
    "description",
    "detected_at",
    "occurred_at",
    "severity",
    "status",
    "personal_data_involved",
    "data_categories",
    "subjects_affected",
    "initial_reported_at",
    "authority_notified_at",
    "subjects_notified_at",
    "contained_at",
    "closed_at",
    "actions_taken",
    "late_reason",
)


@transaction.atomic
def do_report_incident(*, actor, **fields) -> Incident:
    unknown = set(fields) - set(INCIDENT_EDITABLE)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    detected = fields.get("detected_at") or timezone.now()
    fields["detected_at"] = detected
    obj = _create_with_code(Incident, f"SC-{timezone.localtime(detected).year}-", reported_by=actor, **fields)
    record(
        "privacy.incident_reported", obj, actor=actor, severity=obj.severity, personal_data=obj.personal_data_involved
    )
    return obj


@transaction.atomic
def do_update_incident(obj: Incident, *, changes: dict, expected_version: int | None, actor) -> Incident:
    unknown = set(changes) - set(INCIDENT_EDITABLE)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    obj = Incident.objects.select_for_update().get(pk=obj.pk)
    bump_version(obj, expected_version, actor=actor)
    changed = [name for name, value in changes.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, changes[name])
    obj.set_clocks()
    now = timezone.now()
    for name in ("initial_reported_at", "authority_notified_at", "subjects_notified_at", "contained_at", "closed_at"):
        value = getattr(obj, name)
        if value is not None and value > now + dt.timedelta(minutes=5):
            raise ValidationError({name: _("Thời điểm này nằm trong tương lai.")})
    due = obj.authority_notice_due
    if obj.authority_notified_at and due and obj.authority_notified_at > due and not obj.late_reason.strip():
        hours = int((due - obj.detected_at).total_seconds() // 3600)
        raise ValidationError(
            {
                "late_reason": _("Thông báo sau %(h)d giờ thì phải ghi lý do chậm trễ (pháp luật yêu cầu nêu lý do).")
                % {"h": hours}
            }
        )
    if obj.status == IncidentStatus.CLOSED and obj.closed_at is None:
        obj.closed_at = now
        changed.append("closed_at")
    if obj.status == IncidentStatus.CONTAINED and obj.contained_at is None:
        obj.contained_at = now
        changed.append("contained_at")
    obj.full_clean()
    obj.save()
    record("privacy.incident_updated", obj, actor=actor, fields=sorted(set(changed)))
    return obj


# --- Consent --------------------------------------------------------------------------------------


@transaction.atomic
def do_record_consent(subject, *, purpose: str, statement: str, notice_version: str, actor=None) -> ConsentRecord:
    """Keep what the person agreed to, for the record that holds their data (``subject``)."""
    consent = ConsentRecord(
        purpose=purpose,
        statement=statement,
        notice_version=notice_version,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
    )
    consent.full_clean()
    consent.save()
    record("privacy.consent_given", subject, actor=actor, purpose=purpose, notice_version=notice_version)
    return consent


@transaction.atomic
def do_withdraw_consents(subject, *, actor=None, purpose: str | None = None) -> int:
    consents = ConsentRecord.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=str(subject.pk), withdrawn_at__isnull=True
    )
    if purpose:
        consents = consents.filter(purpose=purpose)
    count = consents.update(withdrawn_at=timezone.now())
    if count:
        record("privacy.consent_withdrawn", subject, actor=actor, purpose=purpose or "", count=count)
    return count
