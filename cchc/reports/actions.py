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

from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cchc.accounts import authcache
from cchc.accounts.models import Role, User
from cchc.audit.actions import record
from cchc.lib.periods import periods_for_year
from cchc.lib.versioning import StaleEdit, bump_version
from cchc.orgs.models import Unit, UnitKind
from cchc.reports.completeness import expected_units
from cchc.reports.consolidation import consolidate, default_general_text, general_text_state, same_text
from cchc.reports.figures import agency_figures
from cchc.reports.models import (
    EDITABLE_STATUSES,
    NARRATIVE_FIELDS,
    AgencyReminder,
    Period,
    ProvinceReport,
    ProvinceReportStatus,
    Report,
    ReportingCalendar,
    ReportOutcome,
    ReportStatus,
    ReportVersion,
    TextSource,
)
from cchc.reports.notify import coordinators, notify, reach_of_units, staff_of_units, unit_staff
from cchc.reports.permissions import is_coordinator, is_staff_of

REPORT_FIELDS = (*NARRATIVE_FIELDS, "doc_number", "signer_authority", "signer_title", "signer_name")
PROVINCE_FIELDS = (
    "general_text",
    "shortcomings_text",
    "proposals_text",
    "doc_number",
    "recipients",
    "signer_authority",
    "signer_title",
    "signer_name",
)
CALENDAR_FIELDS = (
    "cutoff_day",
    "due_day",
    "province_due_day",
    "extra_kinds",
    "shift_to_working_day",
    "remind_days_before",
)
MIN_REASON = 10
DEFAULT_PROVINCE_RECIPIENTS = (
    "UBND tỉnh (b/c);\nBộ Nội vụ (Vụ CCHC) (b/c);\nCác sở, ban, ngành tỉnh;\n"
    "UBND các huyện, thị xã, thành phố;\nLưu: VT, CCHC."
)


# --- Calendar and periods ----------------------------------------------------------------------------


def get_calendar(plan) -> ReportingCalendar:
    """The plan's calendar (read only: ``do_ensure_periods`` creates it with the plan)."""
    return ReportingCalendar.objects.filter(plan=plan).first() or ReportingCalendar(plan=plan)


@transaction.atomic
def do_ensure_periods(plan, *, actor=None) -> list[Period]:
    """Make the plan's periods match its calendar (creating the calendar with the regime's defaults).

    Dates of existing periods follow the calendar; a period the calendar no longer asks for is
    removed unless a report was already written for it.
    """
    calendar, _created = ReportingCalendar.objects.get_or_create(plan=plan)
    specs = periods_for_year(plan.year, calendar.rules())
    existing = {p.code: p for p in Period.objects.filter(plan=plan)}
    changed, created = [], []
    for spec in specs:
        values = {
            "kind": spec.kind,
            "start": spec.start,
            "end": spec.end,
            "nominal_due_on": spec.due.nominal,
            "due_on": spec.due.effective,
            "nominal_province_due_on": spec.province_due.nominal,
            "province_due_on": spec.province_due.effective,
        }
        period = existing.get(spec.code)
        if period is None:
            created.append(Period(plan=plan, code=spec.code, **values))
        elif any(getattr(period, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(period, k, v)
            changed.append(period)
    Period.objects.bulk_create(created)
    Period.objects.bulk_update(
        changed, ["kind", "start", "end", "nominal_due_on", "due_on", "nominal_province_due_on", "province_due_on"]
    )
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
    bump_version(calendar, expected_version, actor=actor)
    calendar.save(update_fields=[*CALENDAR_FIELDS, "updated_at"])
    periods = do_ensure_periods(calendar.plan)
    record(
        "reports.save_calendar",
        calendar.plan,
        actor=actor,
        **{name: getattr(calendar, name) for name in CALENDAR_FIELDS},
        periods=[p.code for p in periods],
    )
    return calendar


# --- Agency reports ------------------------------------------------------------------------------------


def default_signers(units) -> dict[int, dict]:
    """Who signs each unit's report by default: its head if it has exactly one, with the title the
    unit's kind calls for. One query for any number of units."""
    units = list(units)
    heads: dict[int, list[str]] = {}
    for unit_id, name in User.objects.filter(unit__in=units, role=Role.HEAD, is_active=True).values_list(
        "unit_id", "full_name"
    ):
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
        out[unit.pk] = {
            "signer_authority": authority,
            "signer_title": title,
            "signer_name": names[0] if len(names) == 1 else "",
        }
    return out


@transaction.atomic
def do_start_report(period: Period, unit: Unit, *, actor) -> Report:
    """The unit's report for the period, created as a draft the first time someone opens it."""
    if not (is_staff_of(actor, unit.pk) or is_coordinator(actor)):
        raise PermissionDenied
    report, created = Report.objects.get_or_create(
        period=period, unit=unit, defaults={**default_signers([unit])[unit.pk], "updated_by": actor}
    )
    if created:
        record("reports.start", report, actor=actor, unit=unit, period=period.code)
    return report


@transaction.atomic
def do_open_reports(period: Period, *, actor=None) -> int:
    """Drafts for every expected unit that has none yet (before reminders go out). Returns how many."""
    have = set(Report.objects.filter(period=period).values_list("unit_id", flat=True))
    missing = [u for u in expected_units(period).only("id", "kind", "name") if u.pk not in have]
    signers = default_signers(missing)
    Report.objects.bulk_create([Report(period=period, unit=u, **signers[u.pk]) for u in missing], ignore_conflicts=True)
    if missing:
        record("reports.open", period, actor=actor, created=len(missing))
    return len(missing)


def _conflict_or_state(report: Report, allowed=EDITABLE_STATUSES) -> Exception:
    current = Report.objects.select_related("updated_by", "period").get(pk=report.pk)
    if current.status not in allowed:
        return ValidationError(
            _("Báo cáo đang ở trạng thái “%(status)s”, không thể thực hiện thao tác này. Hãy tải lại trang.")
            % {"status": current.get_status_display()}
        )
    return StaleEdit(current)


@transaction.atomic
def do_save_report(report: Report, data: dict, *, expected_version: int, actor) -> Report:
    """Save what the agency wrote. A returned report becomes "revised" at its first save."""
    if not is_staff_of(actor, report.unit_id):
        raise PermissionDenied
    for name in REPORT_FIELDS:
        if name in data:
            setattr(report, name, (data[name] or "").strip() if name in NARRATIVE_FIELDS else data[name] or "")
    report.full_clean(exclude=["period", "unit", "current_version", "status"])
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise _conflict_or_state(report)
    bump_version(report, expected_version, actor=actor)
    report.status = ReportStatus.REVISED if locked.status == ReportStatus.RETURNED else locked.status
    report.save(update_fields=[*REPORT_FIELDS, "status", "updated_at"])
    record("reports.save", report, actor=actor, unit=report.unit, fields=sorted(n for n in REPORT_FIELDS if n in data))
    return report


@transaction.atomic
def do_submit_report(report: Report, *, actor, expected_version: int | None = None, now=None) -> Report:
    """The head sends the report: its figures and narratives are frozen as a new version, and the
    results it counts are locked until the coordinator returns it."""
    if not (is_staff_of(actor, report.unit_id) and actor.role == Role.HEAD):
        raise PermissionDenied(_("Chỉ Thủ trưởng đơn vị mới được gửi báo cáo."))
    locked = Report.objects.select_for_update().select_related("period", "period__plan").get(pk=report.pk)
    if locked.status not in EDITABLE_STATUSES:
        raise _conflict_or_state(locked)
    bump_version(locked, expected_version, actor=actor)
    if not locked.results_text.strip():
        raise ValidationError(_("Chưa viết phần “Kết quả đạt được”; không thể gửi báo cáo trống."))
    now = now or timezone.now()
    period = locked.period
    figures, items = agency_figures(period.plan, locked.unit_id, period.start, period.end)
    if not locked.signer_name:
        locked.signer_name = actor.full_name or ""
    version = ReportVersion.objects.create(
        report=locked,
        number=locked.submission_count + 1,
        figures=figures,
        items=items,
        narratives=locked.narratives(),
        submitted_at=now,
        submitted_by=actor,
        submitted_by_label=str(actor),
        signer={
            "authority": locked.signer_authority,
            "title": locked.signer_title,
            "name": locked.signer_name,
            "doc_number": locked.doc_number,
        },
    )
    first_day = locked.first_submitted_on or timezone.localdate(now)
    Report.objects.filter(pk=locked.pk).update(
        status=ReportStatus.SUBMITTED,
        submission_count=version.number,
        first_submitted_on=first_day,
        submitted_at=now,
        submitted_by=actor,
        current_version=version,
        signer_name=locked.signer_name,
        return_reason="",
        updated_at=now,
    )
    locked.refresh_from_db()
    url = reverse("reports:detail", args=[locked.pk])
    if version.number > 1:
        text = _("%(unit)s đã gửi báo cáo %(period)s (lần %(n)d).")
    else:
        text = _("%(unit)s đã gửi báo cáo %(period)s.")
    notify(coordinators(), text % {"unit": locked.unit.name, "period": period.label, "n": version.number}, url)
    record(
        "reports.submit",
        locked,
        actor=actor,
        unit=locked.unit,
        version=version.number,
        on_time=first_day <= period.due_on,
        results=figures["totals"]["results"],
    )
    return locked


def _review(report: Report, outcome: str, reason: str, actor, expected_version: int | None) -> Report:
    if not is_coordinator(actor):
        raise PermissionDenied(_("Chỉ Sở Nội vụ mới được xem xét báo cáo."))
    locked = Report.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
    if locked.status != ReportStatus.SUBMITTED:
        raise _conflict_or_state(locked, allowed=(ReportStatus.SUBMITTED,))
    bump_version(locked, expected_version, actor=actor)
    now = timezone.now()
    version = ReportVersion.objects.get(pk=locked.current_version_id)
    version.outcome, version.outcome_reason, version.reviewed_at, version.reviewed_by = outcome, reason, now, actor
    version.save(update_fields=["outcome", "outcome_reason", "reviewed_at", "reviewed_by"])
    status = ReportStatus.ACCEPTED if outcome == ReportOutcome.ACCEPTED else ReportStatus.RETURNED
    Report.objects.filter(pk=locked.pk).update(status=status, reviewed_at=now, reviewed_by=actor, return_reason=reason)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def do_accept_report(report: Report, *, actor, expected_version: int | None = None) -> Report:
    report = _review(report, ReportOutcome.ACCEPTED, "", actor, expected_version)
    notify(
        unit_staff(report.unit_id),
        _("Sở Nội vụ đã tiếp nhận báo cáo %(period)s của đơn vị.") % {"period": report.period.label},
        reverse("reports:detail", args=[report.pk]),
    )
    record("reports.accept", report, actor=actor, unit=report.unit, version=report.submission_count)
    return report


@transaction.atomic
def do_return_report(report: Report, reason: str, *, actor, expected_version: int | None = None) -> Report:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            _("Phải ghi rõ lý do trả lại (ít nhất %(n)d ký tự) để đơn vị biết cần sửa gì.") % {"n": MIN_REASON}
        )
    report = _review(report, ReportOutcome.RETURNED, reason, actor, expected_version)
    message = _("Sở Nội vụ đã trả lại báo cáo %(period)s của đơn vị. Lý do: %(reason)s") % {
        "period": report.period.label,
        "reason": reason,
    }
    notify(
        unit_staff(report.unit_id),
        message,
        reverse("reports:detail", args=[report.pk]),
        subject=_("[CCHC] Báo cáo %(period)s bị trả lại") % {"period": report.period.label},
    )
    record("reports.return", report, actor=actor, unit=report.unit, version=report.submission_count, reason=reason)
    return report


# --- Province report -------------------------------------------------------------------------------------


STALE_GENERAL_TEXT = _lazy(
    "Đoạn “Đánh giá chung” đã được sửa khi số liệu còn khác hiện nay, nên không khớp với các bảng số liệu. "
    "Hãy sửa đoạn văn theo số liệu hiện tại rồi lưu, hoặc bấm “Thay bằng đoạn văn theo số liệu hiện tại”, "
    "trước khi ban hành."
)


@transaction.atomic
def do_start_province_report(period: Period, *, actor) -> ProvinceReport:
    """The province report of the period, drafted from the consolidation the first time it is opened."""
    if not is_coordinator(actor):
        raise PermissionDenied
    existing = ProvinceReport.objects.filter(period=period).first()
    if existing is not None:
        return existing
    generated = default_general_text(consolidate(period))
    report = ProvinceReport.objects.create(
        period=period,
        issuer=actor.unit,
        general_text=generated,
        general_text_source=TextSource.GENERATED,
        general_text_basis=generated,
        recipients=DEFAULT_PROVINCE_RECIPIENTS,
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        updated_by=actor,
    )
    record("reports.start_province", report, actor=actor, period=period.code)
    return report


def do_open_province_draft(period: Period, expected_version: int, *, actor) -> ProvinceReport:
    """The province report a change goes into: version 0 means the page was opened before any draft
    existed, so the draft is started now — unless a colleague started it meanwhile (``StaleEdit``)."""
    existing = ProvinceReport.objects.filter(period=period).select_related("updated_by").first()
    if expected_version == 0:
        if existing is not None:
            raise StaleEdit(existing)
        return do_start_province_report(period, actor=actor)
    if existing is None:
        raise ValidationError(_("Không tìm thấy bản dự thảo báo cáo tổng hợp; hãy tải lại trang."))
    return existing


def _follow_figures(report: ProvinceReport, data: dict, old_text: str, shown: str | None, regenerate: bool) -> None:
    """Decide where the saved "Đánh giá chung" comes from. ``shown`` is the generated text the page offered."""
    generated = default_general_text(consolidate(report.period))
    shown = generated if shown is None else shown
    if regenerate:
        report.general_text = generated
    elif "general_text" not in data:
        return
    was_generated = report.general_text_source == TextSource.GENERATED
    if same_text(report.general_text, generated) or (was_generated and same_text(report.general_text, shown)):
        # Left as offered: it keeps following the figures.
        report.general_text, report.general_text_source, report.general_text_basis = (
            generated,
            TextSource.GENERATED,
            generated,
        )
    elif was_generated or not same_text(report.general_text, old_text):
        # A person wrote it, against the figures the page showed them.
        report.general_text_source, report.general_text_basis = TextSource.EDITED, shown


@transaction.atomic
def do_save_province_report(
    report: ProvinceReport,
    data: dict,
    *,
    expected_version: int,
    actor,
    basis: str | None = None,
    regenerate: bool = False,
) -> ProvinceReport:
    """Save the draft. ``basis`` is the generated "Đánh giá chung" the page showed; ``regenerate`` replaces the
    text with the one the figures give now (and it follows them again)."""
    if not is_coordinator(actor):
        raise PermissionDenied
    old_text = report.general_text
    for name in PROVINCE_FIELDS:
        if name in data:
            setattr(report, name, (data[name] or "").strip())
    report.full_clean(exclude=["period", "figures"])
    if ProvinceReport.objects.select_for_update().get(pk=report.pk).is_issued:
        raise ValidationError(_("Báo cáo tổng hợp đã ban hành, không thể sửa."))
    bump_version(report, expected_version, actor=actor)
    _follow_figures(report, data, old_text, basis, regenerate)
    report.save(update_fields=[*PROVINCE_FIELDS, "general_text_source", "general_text_basis", "updated_at"])
    record(
        "reports.save_province",
        report,
        actor=actor,
        fields=sorted(n for n in PROVINCE_FIELDS if n in data),
        general_text=report.general_text_source,
        regenerated=regenerate,
    )
    return report


@transaction.atomic
def do_save_province_draft(
    period: Period, data: dict, *, expected_version: int, actor, basis: str | None = None, regenerate: bool = False
) -> ProvinceReport:
    """Save the province draft of ``period`` from a page opened at ``expected_version`` (0: before any draft
    existed — the draft is started now)."""
    province = do_open_province_draft(period, expected_version, actor=actor)
    expected = province.version if expected_version == 0 else expected_version
    return do_save_province_report(
        province, data, expected_version=expected, actor=actor, basis=basis, regenerate=regenerate
    )


@transaction.atomic
def do_issue_province_report(
    report: ProvinceReport, *, actor, expected_version: int | None = None, now=None
) -> ProvinceReport:
    """Issue the province report: the consolidation as it stands is frozen with it, and its text must agree
    with it — a generated "Đánh giá chung" is written from these figures, an edited one that was written
    against other figures is refused."""
    if not is_coordinator(actor):
        raise PermissionDenied
    locked = ProvinceReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if locked.is_issued:
        raise ValidationError(_("Báo cáo tổng hợp đã được ban hành."))
    bump_version(locked, expected_version, actor=actor)
    now = now or timezone.now()
    data = consolidate(locked.period, timezone.localdate(now))
    text = general_text_state(locked, data)
    if text.stale:
        raise ValidationError(str(STALE_GENERAL_TEXT), code="stale_text")
    ProvinceReport.objects.filter(pk=locked.pk).update(
        status=ProvinceReportStatus.ISSUED,
        figures=data,
        general_text=text.text,
        general_text_basis=text.generated,
        issued_at=now,
        issued_by=actor,
    )
    locked.refresh_from_db()
    record(
        "reports.issue_province",
        locked,
        actor=actor,
        period=locked.period.code,
        counted=data["counts"]["counted"],
        expected=data["counts"]["expected"],
        general_text=locked.general_text_source,
    )
    return locked


@transaction.atomic
def do_issue_period_report(period: Period, *, actor, expected_version: int | None = None) -> ProvinceReport:
    """Issue the province report of ``period`` from a page opened at ``expected_version`` (0: no draft
    existed then — it is drafted from the figures and issued at once; None: whatever draft there is)."""
    if expected_version is None:
        province = do_start_province_report(period, actor=actor)
        expected_version = province.version
    else:
        province = do_open_province_draft(period, expected_version, actor=actor)
        if expected_version == 0:
            expected_version = province.version
    return do_issue_province_report(province, actor=actor, expected_version=expected_version)


# --- Notifications -----------------------------------------------------------------------------------


def do_mark_notifications_read(user, ids=None) -> int:
    """Not audited: reading one's own notices changes nothing anyone else relies on."""
    notices = user.notifications.unread()
    if ids is not None:
        notices = notices.filter(pk__in=ids)
    count = notices.update(read_at=timezone.now())
    authcache.bump([user.pk])  # update() sends no signal: the bell's count kept with the user
    return count


# --- Reminders sent by hand: the lead to agencies behind on its activity, the coordinator to agencies without
# a plan of their own. At most once a day per agency and matter (``AgencyReminder``'s unique constraint).


class Reminded(NamedTuple):
    """What a reminder sent by hand did: ``sent`` to these units' staff; ``skipped``, reminded already today;
    ``unreachable``, no active account to tell (nothing claimed, so a reminder is possible once someone has
    an account); ``without_email``, among ``sent``, told in the app only (no account has an e-mail address)."""

    sent: list[Unit]
    skipped: list[Unit]
    unreachable: list[Unit]
    without_email: list[Unit]


def _remind(about: str, units, message: str, url: str, subject: str, actor) -> Reminded:
    """Claim today's reminder for each reachable unit (conflicts skipped), then notify the claimed units' staff."""
    today = timezone.localdate()
    units = list(units)
    reach = reach_of_units([u.pk for u in units])
    unreachable = [u for u in units if not reach[u.pk].reachable]
    units = [u for u in units if reach[u.pk].reachable]
    already = set(
        AgencyReminder.objects.filter(about=about, sent_on=today, unit__in=units).values_list("unit_id", flat=True)
    )
    fresh = [u for u in units if u.pk not in already]
    AgencyReminder.objects.bulk_create(
        [AgencyReminder(about=about, unit=u, sent_on=today, sent_by=actor) for u in fresh], ignore_conflicts=True
    )
    claimed = set(
        AgencyReminder.objects.filter(about=about, sent_on=today, unit__in=fresh, sent_by=actor).values_list(
            "unit_id", flat=True
        )
    )
    sent = [u for u in fresh if u.pk in claimed]
    people = list(staff_of_units([u.pk for u in sent]))
    notify(people, message, url, subject=subject)
    return Reminded(
        sent=sent,
        skipped=[u for u in units if u.pk not in claimed],
        unreachable=unreachable,
        without_email=[u for u in sent if not reach[u.pk].by_email],
    )


def _record_reminded(action: str, obj, reminded: Reminded, *, actor, **extra) -> None:
    record(
        action,
        obj,
        actor=actor,
        reminded=[u.code for u in reminded.sent],
        skipped=[u.code for u in reminded.skipped],
        unreachable=[u.code for u in reminded.unreachable],
        **extra,
    )


@transaction.atomic
def do_remind_activity_agencies(activity, units, *, actor) -> Reminded:
    """The lead of ``activity`` (or a coordinator) reminds agencies named in it that are behind on it, by notice
    and e-mail."""
    from cchc.execution.permissions import can_supervise_activity
    from cchc.plans.models import Obligation

    if not can_supervise_activity(actor, activity):
        raise PermissionDenied
    units = list(units)
    named = set(Obligation.objects.filter(activity=activity).values_list("unit_id", flat=True))
    if not units or any(u.pk not in named for u in units):
        raise ValidationError(_("Hãy chọn các đơn vị được giao thực hiện hoạt động này."))
    sender = actor.unit.name if actor.unit_id else _("Sở Nội vụ")
    message = _(
        "%(sender)s nhắc đơn vị đẩy nhanh tiến độ và cập nhật kết quả thực hiện hoạt động %(number)s "
        "“%(title)s” của kế hoạch tuyên truyền cải cách hành chính năm %(year)d."
    ) % {"sender": sender, "number": activity.number, "title": activity.title[:150], "year": activity.plan.year}
    url = reverse("execution:deliverables")
    reminded = _remind(
        f"activity:{activity.pk}", units, message, url, _("[CCHC] Nhắc tiến độ hoạt động %s") % activity.number, actor
    )
    _record_reminded("reports.remind_activity_agencies", activity, reminded, actor=actor, unit=actor.unit)
    return reminded


@transaction.atomic
def do_remind_missing_subplans(plan, units, *, actor) -> Reminded:
    """The coordinator reminds agencies that have no approved plan of their own under ``plan`` (section IV)."""
    if not is_coordinator(actor):
        raise PermissionDenied
    units = list(units)
    if not units:
        raise ValidationError(_("Không có đơn vị nào cần nhắc."))
    message = _(
        "Sở Nội vụ đề nghị đơn vị xây dựng và phê duyệt kế hoạch tuyên truyền cải cách hành chính năm %(year)d "
        "của đơn vị theo Kế hoạch %(ref)s của tỉnh."
    ) % {"year": plan.year, "ref": plan.reference}
    url = reverse("execution:subplans")
    reminded = _remind(f"subplan:{plan.pk}", units, message, url, _("[CCHC] Nhắc xây dựng kế hoạch của đơn vị"), actor)
    _record_reminded("reports.remind_missing_subplans", plan, reminded, actor=actor)
    return reminded
