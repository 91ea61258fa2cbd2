"""Changes to periods, reports and the province report. Each validates, runs in a transaction and
writes one audit row; each refuses a save that started from an older version (optimistic locking).

The report cycle::

    draft ──submit (head)──▶ submitted ──accept (coordinator)──▶ accepted
      ▲                         │
      │                      return (coordinator, reason required)
      │                         ▼
      └──── (edit) revised ◀── returned ──submit (head)──▶ submitted ...
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.audit.actions import record
from cchc.lib.periods import periods_for_year
from cchc.orgs.models import Unit, UnitKind
from cchc.reports.completeness import expected_units
from cchc.reports.consolidation import consolidate, default_general_text
from cchc.reports.figures import agency_figures
from cchc.reports.models import (
    EDITABLE_STATUSES,
    NARRATIVE_FIELDS,
    Period,
    ProvinceReport,
    ProvinceReportStatus,
    Report,
    ReportingCalendar,
    ReportOutcome,
    ReportStatus,
    ReportVersion,
)
from cchc.reports.notify import coordinators, notify, unit_staff
from cchc.reports.permissions import is_coordinator, is_staff_of

REPORT_FIELDS = (*NARRATIVE_FIELDS, "doc_number", "signer_authority", "signer_title", "signer_name")
PROVINCE_FIELDS = ("general_text", "shortcomings_text", "proposals_text", "doc_number", "recipients",
                   "signer_authority", "signer_title", "signer_name")
CALENDAR_FIELDS = ("cutoff_day", "due_day", "province_due_day", "extra_kinds", "shift_to_working_day",
                   "remind_days_before")
MIN_REASON = 10
DEFAULT_PROVINCE_RECIPIENTS = "UBND tỉnh (b/c);\nBộ Nội vụ (Vụ CCHC) (b/c);\nCác sở, ban, ngành tỉnh;\n" \
                              "UBND các huyện, thị xã, thành phố;\nLưu: VT, CCHC."


class EditConflict(Exception):
    """Someone else saved first. ``current`` is the object as they left it; the caller shows it
    beside the text this user typed, so that nothing is lost."""

    def __init__(self, current, message: str = ""):
        self.current = current
        who = getattr(current, "updated_by", None)
        when = getattr(current, "updated_at", None)
        by = f" bởi {who}" if who else ""
        at = f" lúc {timezone.localtime(when):%H:%M %d/%m/%Y}" if when else ""
        super().__init__(message or (
            f"Nội dung đã được lưu{by}{at} sau khi anh/chị mở trang, nên lần lưu này chưa được thực hiện. "
            "Nội dung anh/chị vừa nhập vẫn còn trong ô bên dưới; hãy đối chiếu với bản đã lưu rồi lưu lại."))


# --- Calendar and periods ----------------------------------------------------------------------------

def get_calendar(plan) -> ReportingCalendar:
    calendar, _created = ReportingCalendar.objects.get_or_create(plan=plan)
    return calendar


@transaction.atomic
def do_ensure_periods(plan, *, actor=None) -> list[Period]:
    """Make the plan's periods match its calendar (creating the calendar with the regime's defaults).

    Dates of existing periods follow the calendar; a period the calendar no longer asks for is
    removed unless a report was already written for it.
    """
    calendar = get_calendar(plan)
    specs = periods_for_year(plan.year, calendar.rules())
    existing = {p.code: p for p in Period.objects.filter(plan=plan)}
    changed, created = [], []
    for spec in specs:
        values = {"kind": spec.kind, "start": spec.start, "end": spec.end, "nominal_due_on": spec.due.nominal,
                  "due_on": spec.due.effective, "nominal_province_due_on": spec.province_due.nominal,
                  "province_due_on": spec.province_due.effective}
        period = existing.get(spec.code)
        if period is None:
            created.append(Period(plan=plan, code=spec.code, **values))
        elif any(getattr(period, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(period, k, v)
            changed.append(period)
    Period.objects.bulk_create(created)
    Period.objects.bulk_update(changed, ["kind", "start", "end", "nominal_due_on", "due_on",
                                         "nominal_province_due_on", "province_due_on"])
    wanted = {spec.code for spec in specs}
    stale = [p.pk for code, p in existing.items() if code not in wanted]
    if stale:
        Period.objects.filter(pk__in=stale, reports__isnull=True, province_report__isnull=True).delete()
    if actor is not None:
        record("reports.ensure_periods", plan, actor=actor, created=len(created), changed=len(changed))
    return list(Period.objects.filter(plan=plan).order_by("end", "-start"))


@transaction.atomic
def do_save_calendar(calendar: ReportingCalendar, data: dict, *, expected_version: int, actor) -> ReportingCalendar:
    if not actor.can_edit_plans:
        raise PermissionDenied
    for name in CALENDAR_FIELDS:
        if name in data:
            setattr(calendar, name, data[name])
    calendar.full_clean()
    updated = ReportingCalendar.objects.filter(pk=calendar.pk, version=expected_version).update(
        **{name: getattr(calendar, name) for name in CALENDAR_FIELDS}, updated_by=actor,
        updated_at=timezone.now(), version=F("version") + 1)
    if not updated:
        raise EditConflict(ReportingCalendar.objects.get(pk=calendar.pk))
    calendar.refresh_from_db()
    periods = do_ensure_periods(calendar.plan)
    record("reports.save_calendar", calendar.plan, actor=actor,
           **{name: getattr(calendar, name) for name in CALENDAR_FIELDS}, periods=[p.code for p in periods])
    return calendar


# --- Agency reports ------------------------------------------------------------------------------------

def default_signers(units) -> dict[int, dict]:
    """Who signs each unit's report by default: its head if it has exactly one, with the title the
    unit's kind calls for. One query for any number of units."""
    units = list(units)
    heads: dict[int, list[str]] = {}
    for unit_id, name in (User.objects.filter(unit__in=units, role=Role.HEAD, is_active=True)
                          .values_list("unit_id", "full_name")):
        heads.setdefault(unit_id, []).append(name)
    out = {}
    for unit in units:
        if unit.kind in (UnitKind.COMMUNE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.PROVINCIAL_COMMITTEE):
            authority, title = "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
        elif unit.name.startswith("Sở "):
            authority, title = "", "GIÁM ĐỐC"
        else:
            authority, title = "", "THỦ TRƯỞNG CƠ QUAN"
        names = heads.get(unit.pk, [])
        out[unit.pk] = {"signer_authority": authority, "signer_title": title,
                        "signer_name": names[0] if len(names) == 1 else ""}
    return out


@transaction.atomic
def do_start_report(period: Period, unit: Unit, *, actor) -> Report:
    """The unit's report for the period, created as a draft the first time someone opens it."""
    if not (is_staff_of(actor, unit.pk) or is_coordinator(actor)):
        raise PermissionDenied
    report, created = Report.objects.get_or_create(period=period, unit=unit, defaults={
        **default_signers([unit])[unit.pk], "updated_by": actor})
    if created:
        record("reports.start", report, actor=actor, unit=unit, period=period.code)
    return report


@transaction.atomic
def do_open_reports(period: Period, *, actor=None) -> int:
    """Drafts for every expected unit that has none yet (before reminders go out). Returns how many."""
    have = set(Report.objects.filter(period=period).values_list("unit_id", flat=True))
    missing = [u for u in expected_units(period).only("id", "kind", "name") if u.pk not in have]
    signers = default_signers(missing)
    Report.objects.bulk_create([Report(period=period, unit=u, **signers[u.pk]) for u in missing],
                               ignore_conflicts=True)
    if missing:
        record("reports.open", period, actor=actor, created=len(missing))
    return len(missing)


def _conflict_or_state(report: Report, allowed=EDITABLE_STATUSES) -> Exception:
    current = Report.objects.select_related("updated_by", "period").get(pk=report.pk)
    if current.status not in allowed:
        return ValidationError(
            f"Báo cáo đang ở trạng thái “{current.get_status_display()}”, không thể thực hiện thao tác này. "
            "Hãy tải lại trang.")
    return EditConflict(current)


@transaction.atomic
def do_save_report(report: Report, data: dict, *, expected_version: int, actor) -> Report:
    """Save what the agency wrote. A returned report becomes "revised" at its first save."""
    if not is_staff_of(actor, report.unit_id):
        raise PermissionDenied
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, (data[name] or "").strip() if name in NARRATIVE_FIELDS else data[name] or "")
    report.full_clean(exclude=["period", "unit", "current_version", "status"])
    status = ReportStatus.REVISED if report.status == ReportStatus.RETURNED else report.status
    updated = (Report.objects.filter(pk=report.pk, version=expected_version, status__in=EDITABLE_STATUSES)
               .update(**{name: getattr(report, name) for name in REPORT_FIELDS}, status=status,
                       updated_by=actor, updated_at=timezone.now(), version=F("version") + 1))
    if not updated:
        raise _conflict_or_state(report)
    report.refresh_from_db()
    record("reports.save", report, actor=actor, unit=report.unit, fields=sorted(n for n in REPORT_FIELDS if n in data))
    return report


@transaction.atomic
def do_submit_report(report: Report, *, actor, expected_version: int | None = None, now=None) -> Report:
    """The head sends the report: its figures and narratives are frozen as a new version, and the
    results it counts are locked until the coordinator returns it."""
    if not (is_staff_of(actor, report.unit_id) and actor.role == Role.HEAD):
        raise PermissionDenied("Chỉ Thủ trưởng đơn vị mới được gửi báo cáo.")
    locked = Report.objects.select_for_update().select_related("period", "period__plan").get(pk=report.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise _conflict_or_state(locked)
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(Report.objects.select_related("updated_by").get(pk=report.pk), (
            "Báo cáo vừa được sửa sau khi anh/chị mở trang; hãy xem lại nội dung mới nhất rồi gửi lại."))
    if not locked.results_text.strip():
        raise ValidationError("Chưa viết phần “Kết quả đạt được”; không thể gửi báo cáo trống.")
    now = now or timezone.now()
    period = locked.period
    figures, items = agency_figures(period.plan, locked.unit_id, period.start, period.end)
    if not locked.signer_name:
        locked.signer_name = actor.full_name or ""
    version = ReportVersion.objects.create(
        report=locked, number=locked.submission_count + 1, figures=figures, items=items,
        narratives=locked.narratives(), submitted_at=now, submitted_by=actor, submitted_by_label=str(actor),
        signer={"authority": locked.signer_authority, "title": locked.signer_title, "name": locked.signer_name,
                "doc_number": locked.doc_number},
    )
    first_day = locked.first_submitted_on or timezone.localdate(now)
    Report.objects.filter(pk=locked.pk).update(
        status=ReportStatus.SUBMITTED, submission_count=version.number, first_submitted_on=first_day,
        submitted_at=now, submitted_by=actor, current_version=version, signer_name=locked.signer_name,
        return_reason="", updated_at=now, updated_by=actor, version=F("version") + 1)
    locked.refresh_from_db()
    url = reverse("reports:detail", args=[locked.pk])
    again = f" (lần {version.number})" if version.number > 1 else ""
    notify(coordinators(), f"{locked.unit.name} đã gửi báo cáo {period.label}{again}.", url)
    record("reports.submit", locked, actor=actor, unit=locked.unit, version=version.number,
           on_time=first_day <= period.due_on, results=figures["totals"]["results"])
    return locked


def _review(report: Report, outcome: str, reason: str, actor, expected_version: int | None) -> Report:
    if not is_coordinator(actor):
        raise PermissionDenied("Chỉ Sở Nội vụ mới được xem xét báo cáo.")
    locked = Report.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise _conflict_or_state(locked, allowed=(ReportStatus.SUBMITTED,))
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked, "Báo cáo đã thay đổi sau khi anh/chị mở trang; hãy tải lại trang.")
    now = timezone.now()
    version = ReportVersion.objects.get(pk=locked.current_version_id)
    version.outcome, version.outcome_reason, version.reviewed_at, version.reviewed_by = outcome, reason, now, actor
    version.save(update_fields=["outcome", "outcome_reason", "reviewed_at", "reviewed_by"])
    status = ReportStatus.ACCEPTED if outcome == ReportOutcome.ACCEPTED else ReportStatus.RETURNED
    Report.objects.filter(pk=locked.pk).update(status=status, reviewed_at=now, reviewed_by=actor,
                                               return_reason=reason, version=F("version") + 1)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def do_accept_report(report: Report, *, actor, expected_version: int | None = None) -> Report:
    report = _review(report, ReportOutcome.ACCEPTED, "", actor, expected_version)
    notify(unit_staff(report.unit_id), f"Sở Nội vụ đã tiếp nhận báo cáo {report.period.label} của đơn vị.",
           reverse("reports:detail", args=[report.pk]))
    record("reports.accept", report, actor=actor, unit=report.unit, version=report.submission_count)
    return report


@transaction.atomic
def do_return_report(report: Report, reason: str, *, actor, expected_version: int | None = None) -> Report:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(f"Phải ghi rõ lý do trả lại (ít nhất {MIN_REASON} ký tự) để đơn vị biết cần sửa gì.")
    report = _review(report, ReportOutcome.RETURNED, reason, actor, expected_version)
    message = f"Sở Nội vụ đã trả lại báo cáo {report.period.label} của đơn vị. Lý do: {reason}"
    notify(unit_staff(report.unit_id), message, reverse("reports:detail", args=[report.pk]),
           subject=f"[CCHC] Báo cáo {report.period.label} bị trả lại")
    record("reports.return", report, actor=actor, unit=report.unit, version=report.submission_count, reason=reason)
    return report


# --- Province report -------------------------------------------------------------------------------------

@transaction.atomic
def do_start_province_report(period: Period, *, actor) -> ProvinceReport:
    """The province report of the period, drafted from the consolidation the first time it is opened."""
    if not is_coordinator(actor):
        raise PermissionDenied
    existing = ProvinceReport.objects.filter(period=period).first()
    if existing is not None:
        return existing
    data = consolidate(period)
    report = ProvinceReport.objects.create(
        period=period, issuer=actor.unit, general_text=default_general_text(data),
        recipients=DEFAULT_PROVINCE_RECIPIENTS,
        signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", updated_by=actor)
    record("reports.start_province", report, actor=actor, period=period.code)
    return report


@transaction.atomic
def do_save_province_report(report: ProvinceReport, data: dict, *, expected_version: int, actor) -> ProvinceReport:
    if not is_coordinator(actor):
        raise PermissionDenied
    for name in PROVINCE_FIELDS:
        if name in data:
            setattr(report, name, (data[name] or "").strip())
    report.full_clean(exclude=["period", "figures"])
    updated = (ProvinceReport.objects.filter(pk=report.pk, version=expected_version,
                                             status=ProvinceReportStatus.DRAFT)
               .update(**{name: getattr(report, name) for name in PROVINCE_FIELDS}, updated_by=actor,
                       updated_at=timezone.now(), version=F("version") + 1))
    if not updated:
        current = ProvinceReport.objects.select_related("updated_by").get(pk=report.pk)
        if current.is_issued:
            raise ValidationError("Báo cáo tổng hợp đã ban hành, không thể sửa.")
        raise EditConflict(current)
    report.refresh_from_db()
    record("reports.save_province", report, actor=actor, fields=sorted(n for n in PROVINCE_FIELDS if n in data))
    return report


@transaction.atomic
def do_issue_province_report(report: ProvinceReport, *, actor, expected_version: int | None = None,
                             now=None) -> ProvinceReport:
    """Issue the province report: the consolidation as it stands is frozen with it."""
    if not is_coordinator(actor):
        raise PermissionDenied
    locked = ProvinceReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if locked.is_issued:
        raise ValidationError("Báo cáo tổng hợp đã được ban hành.")
    if expected_version is not None and locked.version != expected_version:
        raise EditConflict(locked)
    now = now or timezone.now()
    data = consolidate(locked.period, timezone.localdate(now))
    ProvinceReport.objects.filter(pk=locked.pk).update(
        status=ProvinceReportStatus.ISSUED, figures=data, issued_at=now, issued_by=actor, updated_by=actor,
        updated_at=now, version=F("version") + 1)
    locked.refresh_from_db()
    record("reports.issue_province", locked, actor=actor, period=locked.period.code,
           counted=data["counts"]["counted"], expected=data["counts"]["expected"])
    return locked


# --- Notifications -----------------------------------------------------------------------------------

def do_mark_notifications_read(user, ids=None) -> int:
    """Not audited: reading one's own notices changes nothing anyone else relies on."""
    notices = user.notifications.unread()
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    return notices.update(read_at=timezone.now())
