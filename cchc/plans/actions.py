"""Changes to plans. Every function validates, runs in a transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cchc.audit.actions import record
from cchc.lib.uploads import safe_original_name
from cchc.lib.versioning import bump_version
from cchc.orgs.resolve import Resolver
from cchc.plans.checks import blocking, check_plan
from cchc.plans.groups import units_for
from cchc.plans.hooks import plan_saved
from cchc.plans.importer import PlanImportError, read_plan
from cchc.plans.importer.ocr import TIME_BUDGET as OCR_TIME_BUDGET
from cchc.plans.imports import (
    CONFIRMED,
    agency_lists,
    annotate_matches,
    apply_correction,
    duplicate_of,
    explicit_target,
    plan_resolver,
    review_counts,
    source_lines,
)
from cchc.plans.inherit import do_inherit_obligations  # noqa: F401 - the reorganisation's action lives there
from cchc.plans.models import (
    PLAN_HEADER_FIELDS,
    ROLE_STRENGTH,
    Activity,
    ActivityAgency,
    AgencyRole,
    ImportStatus,
    Obligation,
    Plan,
    PlanImport,
    PlanStatus,
    PlanVersion,
    Topic,
)
from cchc.plans.signals import obligations_changed, plan_activated, plan_amended, plan_closing
from cchc.plans.versions import Change, compare, plan_document

SCHEMA = "cchc.plan/1"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _check_schema(document: dict) -> None:
    if document.get("schema") != SCHEMA:
        raise ValidationError(f"Tài liệu không đúng định dạng {SCHEMA}.")
    if not document.get("year"):
        raise ValidationError(_("Chưa có năm của kế hoạch."))
    if not (document.get("title") or "").strip():
        raise ValidationError(_("Chưa có trích yếu (tên) của kế hoạch."))


def _plan_fields(document: dict) -> dict:
    """The Plan columns a ``cchc.plan/1`` document gives (the document itself is kept as ``source``)."""
    signer = document.get("signer") or {}
    return {
        "issuer": document.get("issuer") or "",
        "number": document.get("number") or "",
        "symbol": document.get("symbol") or "",
        "year": document["year"],
        "title": document["title"],
        "place": document.get("place") or "",
        "issued_on": _date(document.get("issued_on")),
        "signer_name": signer.get("name") or "",
        "signer_title": signer.get("title") or "",
        "legal_bases": document.get("legal_bases") or [],
        "objectives": document.get("objectives") or [],
        "requirements": document.get("requirements") or [],
        "audience": document.get("audience") or "",
        "duties": document.get("duties") or [],
        "recipients": document.get("recipients") or [],
        "source": document,
    }


def _resolve_issuer(plan: Plan) -> Resolver:
    """Set the plan's issuing unit; return the resolver of its year, with the issuer as its home."""
    resolver, issuer = plan_resolver(plan.year, plan.issuer, province=plan.province)
    if issuer.unit is not None and plan.issuer_unit_id != issuer.unit.pk:
        plan.issuer_unit = issuer.unit
        plan.save(update_fields=["issuer_unit"])
    return resolver


def _topics(plan: Plan, document: dict) -> list[Topic]:
    return [
        Topic(
            plan=plan,
            number=str(t.get("number") or i + 1),
            text=t.get("text") or "",
            items=t.get("items") or [],
            order=i,
        )
        for i, t in enumerate(document.get("topics") or [])
    ]


@transaction.atomic
def do_create_plan(document: dict, *, actor=None, status: str = PlanStatus.DRAFT) -> Plan:
    """Create a plan, its topics, activities and obligations from a ``cchc.plan/1`` document.

    An agency that carries a registry match (``unit``/``group`` code and ``match``, as the review screen
    writes them) keeps it; any other is matched by name against the registry of the plan's year.
    """
    _check_schema(document)
    plan = Plan(**_plan_fields(document), status=status)
    plan.full_clean()
    plan.save()
    resolver = _resolve_issuer(plan)
    Topic.objects.bulk_create(_topics(plan, document))
    numbers: set[str] = set()
    for i, data in enumerate(document.get("activities") or []):
        activity = Activity(plan=plan, **_activity_fields(data, i, numbers))
        activity.full_clean(exclude=["plan"])
        activity.save()
        ActivityAgency.objects.bulk_create(_agency_rows(activity, data, resolver))
    count = do_expand_obligations(plan)
    plan_saved(plan)
    record("plans.create", plan, actor=actor, activities=plan.activities.count(), obligations=count)
    return plan


@transaction.atomic
def do_update_plan(plan: Plan, document: dict, *, actor=None, expected_version: int | None = None) -> Plan:
    """Replace a draft plan's content with a newer reading of its document (the same plan imported again).

    Activities are matched by number, so their ids (and the obligations under them) survive; activities
    the document no longer has are removed. Only a draft may be replaced: a plan being carried out is
    changed through its own screens, never overwritten by a file.
    """
    _check_schema(document)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Kế hoạch “%(plan)s” không còn là dự thảo nên không thể ghi đè bằng tệp nhập.")
            % {"plan": locked.reference or locked.title}
        )
    bump_version(locked, expected_version, actor=actor)
    fields = _plan_fields(document)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save(update_fields=list(fields))
    resolver = _resolve_issuer(locked)
    locked.topics.all().delete()
    Topic.objects.bulk_create(_topics(locked, document))
    existing = {a.number: a for a in locked.activities.all()}
    kept, numbers = [], set()
    for i, data in enumerate(document.get("activities") or []):
        values = _activity_fields(data, i, numbers)
        activity = existing.get(values["number"]) or Activity(plan=locked)
        for name, value in values.items():
            setattr(activity, name, value)
        activity.full_clean(exclude=["plan"])
        activity.save()
        activity.agencies.all().delete()
        ActivityAgency.objects.bulk_create(_agency_rows(activity, data, resolver))
        kept.append(activity.pk)
    locked.activities.exclude(pk__in=kept).delete()
    count = do_expand_obligations(locked)
    plan_saved(locked)
    record("plans.update_from_document", locked, actor=actor, activities=len(kept), obligations=count)
    return locked


def _activity_fields(data: dict, order: int, numbers: set[str]) -> dict:
    period = data.get("period") or {}
    recurrence = data.get("recurrence") or {}
    number = str(data.get("number") or order + 1)
    if number in numbers:  # two tables numbered from 1: keep both rows, told apart by position
        number = f"{number}-{order + 1}"
    numbers.add(number)
    return {
        "number": number,
        "title": data.get("title") or "",
        "content": data.get("content") or [],
        "period_start": _date(period.get("start")),
        "period_end": _date(period.get("end")),
        "recurrence_every": recurrence.get("every") or "",
        "recurrence_count": recurrence.get("count"),
        "recurrence_unit": recurrence.get("unit") or "",
        "funding": data.get("funding") or "",
        "agencies_text": data.get("agencies_text") or "",
        "schedule_text": data.get("schedule_text") or "",
        "order": order,
    }


def _agency_rows(activity: Activity, data: dict, resolver: Resolver) -> list[ActivityAgency]:
    rows = []
    for j, agency in enumerate(data.get("agencies") or []):
        match = explicit_target(agency, resolver) or resolver.match(agency["name"])
        rows.append(
            ActivityAgency(
                activity=activity,
                name=agency["name"],
                role=agency.get("role") or AgencyRole.IMPLEMENT,
                unit=match.unit,
                group=match.group,
                match_quality=match.quality,
                order=j,
            )
        )
    return rows


@transaction.atomic
def do_expand_obligations(plan: Plan, *, actor=None, dropped_in: int | None = None) -> int:
    """(Re)compute the obligations of every activity: one per (activity, unit) as of the plan's year.

    Idempotent: obligations that still apply are kept (results recorded against them stay attached),
    new ones are added. Ones no longer named are removed from a draft; on an active plan they are kept,
    marked no longer required from version ``dropped_in``.
    """
    on = plan.start
    wanted: dict[tuple[int, int], tuple[str, int | None]] = {}
    agencies = ActivityAgency.objects.filter(activity__plan=plan, activity__removed_in__isnull=True).select_related(
        "group"
    )
    group_units: dict[int, list[int]] = {}
    for agency in agencies:
        if agency.unit_id is not None:
            unit_ids, group_id = [agency.unit_id], None
        elif agency.group_id is not None:
            if agency.group_id not in group_units:
                units = units_for(plan, agency.group, on)  # as the coordinator set it for this plan
                group_units[agency.group_id] = list(units.values_list("pk", flat=True))
            unit_ids, group_id = group_units[agency.group_id], agency.group_id
        else:
            continue  # unresolved: shown to the reviewer, creates nothing
        for unit_id in unit_ids:
            key = (agency.activity_id, unit_id)
            current = wanted.get(key)
            if current is None or ROLE_STRENGTH[agency.role] > ROLE_STRENGTH[current[0]]:
                wanted[key] = (agency.role, group_id if current is None else current[1])
    existing = {(o.activity_id, o.unit_id): o for o in Obligation.objects.filter(activity__plan=plan)}
    stale = [o for key, o in existing.items() if key not in wanted]
    if plan.status == PlanStatus.DRAFT:
        Obligation.objects.filter(pk__in=[o.pk for o in stale]).delete()
    else:
        # A plan being carried out never loses an obligation: the results recorded under it stay, and
        # it is shown as no longer required from the version that dropped it.
        dropped = [o for o in stale if o.required]
        for o in dropped:
            o.required, o.dropped_in = False, dropped_in
        Obligation.objects.bulk_update(dropped, ["required", "dropped_in"])
    changed = []
    for key, (role, _group) in wanted.items():
        obligation = existing.get(key)
        if obligation is not None and (obligation.role != role or not obligation.required):
            obligation.role, obligation.required, obligation.dropped_in = role, True, None
            changed.append(obligation)
    Obligation.objects.bulk_update(changed, ["role", "required", "dropped_in"])
    Obligation.objects.bulk_create(
        Obligation(activity_id=a, unit_id=u, role=role, via_group_id=g)
        for (a, u), (role, g) in wanted.items()
        if (a, u) not in existing
    )
    if actor is not None:
        record("plans.expand_obligations", plan, actor=actor, obligations=len(wanted))
    obligations_changed.send(sender=Plan, plan=plan)
    return len(wanted)


# --- importing a plan document: upload → review → confirm ----------------------------------------------


class DuplicatePlan(ValidationError):
    """The document was imported before: ``plan`` is what it became."""

    def __init__(self, plan: Plan):
        self.plan = plan
        label = f"{plan.title} ({plan.reference})" if plan.reference else plan.title
        if plan.status == PlanStatus.DRAFT:
            message = _(
                "Văn bản này đã được nhập thành kế hoạch dự thảo “%(plan)s”. Hãy chọn cập nhật dự thảo đó "
                "thay vì tạo một kế hoạch trùng."
            ) % {"plan": label}
        else:
            message = _(
                "Văn bản này đã được nhập thành kế hoạch “%(plan)s”, hiện ở trạng thái %(status)s: không "
                "thể tạo trùng hay ghi đè bằng tệp. Hãy sửa kế hoạch đó tại %(url)s."
            ) % {
                "plan": label,
                "status": plan.get_status_display().lower(),
                "url": reverse("plans:edit" if plan.status == PlanStatus.ACTIVE else "plans:detail", args=[plan.pk]),
            }
        super().__init__(message, code="duplicate")


def _lock_open_import(session: PlanImport, expected_version: int | None, actor) -> PlanImport:
    locked = PlanImport.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=session.pk)
    if locked.status != ImportStatus.REVIEW:
        raise ValidationError(
            _("Bản nhập này đã %(status)s; không thể thay đổi nữa.") % {"status": locked.get_status_display().lower()},
            code="closed",
        )
    bump_version(locked, expected_version, actor=actor)
    return locked


def do_upload_plan_file(data: bytes, filename: str, *, actor) -> PlanImport:
    """``do_start_import`` for a file someone uploaded: a refused file is kept on record too (written
    outside the import's transaction, which the refusal rolled back)."""
    try:
        return do_start_import(data, filename, actor=actor, ocr_budget=OCR_TIME_BUDGET)
    except PlanImportError as err:
        record("plans.import.refused", None, actor=actor, file=safe_original_name(filename), code=err.code)
        raise


@transaction.atomic
def do_start_import(data: bytes, filename: str, *, actor=None, ocr_budget: float | None = None) -> PlanImport:
    """Read a plan document and keep it, with the plan read from it, for review; nothing is a plan yet.
    A scan's OCR stops after ``ocr_budget`` seconds (an upload: the pages left are shown unread).

    The importer checks the content itself (format by magic bytes, size, zip bombs, scans without
    text) and raises ``PlanImportError`` with a message saying what to do; then nothing is saved.
    """
    parsed = read_plan(data, filename, ocr_budget=ocr_budget)
    document = parsed.plan
    if document.get("year"):
        resolver, _issuer = plan_resolver(document["year"], document.get("issuer"))
        annotate_matches(document, resolver)
    session = PlanImport(
        original_name=safe_original_name(filename),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        file_format=parsed.kind,
        document=document,
        lines=source_lines(parsed.lines),
        created_by=actor,
        updated_by=actor,
    )
    session.original.save("upload", ContentFile(data), save=False)
    try:
        session.save()
    except Exception:
        session.original.delete(save=False)
        raise
    record(
        "plans.import.upload",
        session,
        actor=actor,
        file=session.original_name,
        sha256=session.sha256,
        size=session.size,
        format=session.file_format,
        **review_counts(document),
    )
    return session


@transaction.atomic
def do_correct_import(
    session: PlanImport, section: str, values: dict, *, actor, expected_version: int | None
) -> PlanImport:
    """Apply a reviewer's corrections to one section ("header", "lists", "activities[N]") of an import."""
    locked = _lock_open_import(session, expected_version, actor)
    document = locked.document
    changes = apply_correction(document, section, values)
    if section == "header" and {"year", "issuer"} & changes.keys() and document.get("year"):
        # Another year or issuer is another registry: match again what the reviewer has not chosen.
        resolver, _issuer = plan_resolver(document["year"], document.get("issuer"))
        for agencies in agency_lists(document):
            for agency in agencies:
                if agency.get("match") != CONFIRMED:
                    agency.pop("match", None)
        annotate_matches(document, resolver)
    locked.save(update_fields=["document", "updated_at"])
    record(
        "plans.import.correct",
        locked,
        actor=actor,
        section=section,
        version=locked.version,
        changes={k: [_short(before), _short(after)] for k, (before, after) in changes.items()},
    )
    return locked


def _short(value, limit: int = 300):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@transaction.atomic
def do_confirm_import(
    session: PlanImport, *, actor=None, expected_version: int | None = None, update_existing: bool = False
) -> tuple[Plan, bool]:
    """Turn a reviewed import into a draft plan with its activities and obligations; return the plan
    and whether it was an existing draft updated rather than a new plan.

    When the document was imported before (same file, or same issuer, symbol, number, year and title),
    ``DuplicatePlan`` is raised, unless ``update_existing`` is asked and that plan is still a draft: then
    the draft is updated. A plan being carried out is never overwritten by a file.
    """
    locked = _lock_open_import(session, expected_version, actor)
    document = locked.document
    duplicate = duplicate_of(locked)
    existing = duplicate.plan if duplicate is not None else None
    if duplicate is not None and not (update_existing and duplicate.updatable):
        raise DuplicatePlan(duplicate.plan)
    if existing is not None:
        plan = do_update_plan(existing, document, actor=actor)
    else:
        plan = do_create_plan(document, actor=actor, status=PlanStatus.DRAFT)
    locked.plan = plan
    locked.status = ImportStatus.CONFIRMED
    locked.save(update_fields=["plan", "status", "updated_at"])
    record(
        "plans.import.confirm",
        locked,
        actor=actor,
        plan=plan.pk,
        updated=existing is not None,
        **review_counts(document),
    )
    return plan, existing is not None


@transaction.atomic
def do_discard_import(session: PlanImport, *, actor, expected_version: int | None = None) -> PlanImport:
    """Drop an import without making a plan. The row and the file stay, for the audit trail."""
    locked = _lock_open_import(session, expected_version, actor)
    locked.status = ImportStatus.DISCARDED
    locked.save(update_fields=["status", "updated_at"])
    record("plans.import.discard", locked, actor=actor, file=locked.original_name)
    return locked


# --- the plan's life: editing, activation, amendments, closing ------------------------------------------

CLOSED_PLAN = gettext_noop("Kế hoạch “%(plan)s” đã kết thúc: chỉ xem, không sửa được nữa.")


def _lock_for_edit(plan: Plan, expected_version: int | None, *, actor, reason: str = "") -> Plan:
    """The plan locked for an edit: refused when closed, when an active plan's edit gives no reason, and
    when someone saved since ``expected_version`` (``StaleEdit``)."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == PlanStatus.CLOSED:
        raise ValidationError(_(CLOSED_PLAN) % {"plan": locked.reference or locked.title}, code="closed")
    if locked.status == PlanStatus.ACTIVE and not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Kế hoạch đang thực hiện: hãy ghi lý do sửa đổi (sẽ lưu thành phiên bản mới).")},
            code="reason",
        )
    bump_version(locked, expected_version, actor=actor)
    return locked


def _obligation_map(plan: Plan) -> dict[tuple[int, int], str]:
    return {
        (a, u): role
        for a, u, role in Obligation.objects.filter(activity__plan=plan, required=True).values_list(
            "activity_id", "unit_id", "role"
        )
    }


@dataclass
class _Edit:
    """What an edit of an active plan needs to become a version: the obligations before it."""

    plan: Plan
    before: dict[tuple[int, int], str] | None
    year: int
    numbers: dict[int, str]  # activity id -> number, before the edit (a removed activity is still named)


def _begin(plan: Plan) -> _Edit:
    if plan.status != PlanStatus.ACTIVE:
        return _Edit(plan, None, plan.year, {})
    return _Edit(plan, _obligation_map(plan), plan.year, dict(plan.activities.values_list("pk", "number")))


def _finish(edit: _Edit, *, actor, reason: str, agencies_changed: bool) -> PlanVersion | None:
    """After an edit: obligations follow the plan; an active plan gets a new version and the agencies the
    change touches are told what changed for them."""
    plan = edit.plan
    if plan.status == PlanStatus.DRAFT:
        if agencies_changed:
            do_expand_obligations(plan)
        return None
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    do_expand_obligations(plan, dropped_in=number)
    previous = plan.versions.order_by("-number").first()
    snapshot = plan_document(plan)
    changes = compare(previous.snapshot, snapshot) if previous is not None else []
    after = _obligation_map(plan)
    if previous is not None and not changes and after == edit.before:
        return None  # saved as it was: no new version, nobody told
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        reason=reason.strip(),
        snapshot=snapshot,
        changes=[c.as_dict() for c in changes],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    notices = _notices(plan, edit, after, changes)
    if notices:
        plan_amended.send(sender=Plan, plan=plan, version=version, notices=notices)
    return version


def _notices(plan: Plan, edit: _Edit, after: dict, changes: list[Change]) -> dict[int, list[str]]:
    """{unit id: what changed for it}: the changes of the activities it carries (or carried), and its own
    obligations added, dropped or given another role."""
    before = edit.before or {}
    numbers = {**edit.numbers, **dict(plan.activities.values_list("pk", "number"))}
    by_activity: dict[str, list[str]] = {}
    for change in changes:
        if change.activity:
            by_activity.setdefault(change.activity, []).append(change.text)
    out: dict[int, list[str]] = {}
    for activity_id, unit_id in {*before, *after}:
        number = numbers.get(activity_id)
        lines = list(by_activity.get(number, []))
        key = (activity_id, unit_id)
        if key not in before:
            lines.append(_("Đơn vị được giao thêm hoạt động %(n)s.") % {"n": number})
        elif key not in after:
            lines.append(_("Đơn vị không còn phải thực hiện hoạt động %(n)s.") % {"n": number})
        elif before[key] != after[key]:
            lines.append(
                _("Vai trò của đơn vị ở hoạt động %(n)s: %(a)s → %(b)s.")
                % {"n": number, "a": AgencyRole(before[key]).label, "b": AgencyRole(after[key]).label}
            )
        for line in dict.fromkeys(lines):
            out.setdefault(unit_id, []).append(line)
    return out


def _audit(verb: str, plan: Plan, *, actor, version: PlanVersion | None, **data) -> None:
    if version is not None:
        data.update(version=version.number, reason=version.reason, changes=len(version.changes))
    record(verb, plan, actor=actor, **data)


HEADER_COLUMNS = PLAN_HEADER_FIELDS


@transaction.atomic
def do_save_plan_header(
    plan: Plan, values: dict, *, actor, expected_version: int | None, reason: str = ""
) -> tuple[Plan, PlanVersion | None]:
    """Save the plan's header (issuer, number, symbol, date, signer, place, year, title, audience)."""
    locked = _lock_for_edit(plan, expected_version, actor=actor, reason=reason)
    if locked.status != PlanStatus.DRAFT and int(values.get("year", locked.year)) != locked.year:
        raise ValidationError({"year": _("Không đổi được năm của kế hoạch đã kích hoạt.")})
    edit = _begin(locked)
    for name in HEADER_COLUMNS:
        if name in values:
            blank = None if name == "issued_on" else ""
            setattr(locked, name, values[name] if values[name] is not None else blank)
    year_changed = locked.year != edit.year
    locked.full_clean()
    locked.save(update_fields=[*HEADER_COLUMNS, "version", "updated_at", "updated_by"])
    # Another year of a draft is another registry: groups expand to that year's units.
    version = _finish(edit, actor=actor, reason=reason, agencies_changed=year_changed)
    _audit("plans.edit_header", locked, actor=actor, version=version)
    return locked, version


@transaction.atomic
def do_save_plan_content(
    plan: Plan, values: dict, *, actor, expected_version: int | None, reason: str = ""
) -> tuple[Plan, PlanVersion | None]:
    """Save the plan's lists: legal bases, objectives, requirements, topics with items, duties, recipients."""
    locked = _lock_for_edit(plan, expected_version, actor=actor, reason=reason)
    edit = _begin(locked)
    fields = [k for k in ("legal_bases", "objectives", "requirements", "duties", "recipients") if k in values]
    for name in fields:
        setattr(locked, name, values[name])
    locked.full_clean()
    locked.save(update_fields=[*fields, "version", "updated_at", "updated_by"])
    if "topics" in values:
        kept = {t.number: t for t in locked.topics.all()}
        wanted = []
        for i, data in enumerate(values["topics"]):
            topic = kept.pop(str(data["number"]), None) or Topic(plan=locked, number=str(data["number"]))
            topic.text, topic.items, topic.order = data["text"], data.get("items") or [], i
            topic.full_clean(exclude=["plan"])
            wanted.append(topic)
        # Topics results were tagged with keep their rows (matched by number); the rest go.
        Topic.objects.filter(pk__in=[t.pk for t in kept.values()]).delete()
        for topic in wanted:
            topic.save()
    version = _finish(edit, actor=actor, reason=reason, agencies_changed=False)
    _audit("plans.edit_content", locked, actor=actor, version=version, fields=sorted(values))
    return locked, version


def _agency_rows_kept(activity: Activity, agencies: list[dict], resolver: Resolver) -> list[ActivityAgency]:
    """The agency rows for ``agencies`` (dicts as the editor gives them); a row that names the same body as
    before keeps its review flag and note unless the coordinator chose its match."""
    previous = {(a.name, a.unit_id, a.group_id): a for a in activity.agencies.all()}
    rows = _agency_rows(activity, {"agencies": agencies}, resolver)
    for row, data in zip(rows, agencies, strict=True):
        old = previous.get((row.name, row.unit_id, row.group_id))
        if old is not None:
            row.needs_review, row.note = old.needs_review, old.note
        if data.get("reviewed"):
            row.needs_review = False
    return rows


@transaction.atomic
def do_save_activity(
    plan: Plan,
    activity: Activity | None,
    values: dict,
    agencies: list[dict] | None,
    *,
    actor,
    expected_version: int | None,
    reason: str = "",
) -> tuple[Activity, PlanVersion | None]:
    """Add an activity to the plan (``activity`` None) or change one, with its agencies (dicts with
    ``name``, ``role`` and the registry match: ``unit``/``group`` code and ``match``). ``agencies`` None
    leaves them as they are."""
    locked = _lock_for_edit(plan, expected_version, actor=actor, reason=reason)
    edit = _begin(locked)
    if activity is None:
        last = locked.activities.aggregate(n=Max("order"))["n"]
        activity = Activity(plan=locked, order=0 if last is None else last + 1)
    elif activity.plan_id != locked.pk or activity.removed_in is not None:
        raise ValidationError(_("Hoạt động này không thuộc kế hoạch đang sửa."))
    for name, value in values.items():
        if name in EDITABLE_ACTIVITY_FIELDS:
            setattr(activity, name, value if value is not None else _EMPTY.get(name))
    number = (activity.number or "").strip()
    if not number:
        raise ValidationError({"number": _("Hãy nhập số thứ tự của hoạt động.")})
    if locked.activities.filter(number=number).exclude(pk=activity.pk).exists():
        raise ValidationError({"number": _("Kế hoạch đã có hoạt động số %(n)s.") % {"n": number}})
    activity.full_clean(exclude=["plan"], validate_unique=False)
    activity.save()
    if agencies is not None:
        resolver = _resolve_issuer(locked)
        rows = _agency_rows_kept(activity, agencies, resolver)
        activity.agencies.all().delete()
        ActivityAgency.objects.bulk_create(rows)
    version = _finish(edit, actor=actor, reason=reason, agencies_changed=agencies is not None)
    _audit("plans.edit_activity", locked, actor=actor, version=version, activity=activity.number)
    return activity, version


# What an empty value of an activity's field is saved as; then every field the editor may change.
_EMPTY = {"recurrence_every": "", "recurrence_unit": "", "funding": "", "content": [], "counting": "lead_coordinate"}
EDITABLE_ACTIVITY_FIELDS = {
    *_EMPTY,
    "number",
    "title",
    "period_start",
    "period_end",
    "recurrence_count",
    "funding_amount",
}


@transaction.atomic
def do_delete_activity(
    plan: Plan, activity: Activity, *, actor, expected_version: int | None, reason: str = ""
) -> PlanVersion | None:
    """Take an activity out of the plan. On an active plan, an activity under which results were recorded
    stays, withdrawn from the new version on, its obligations kept with their results but no longer
    required; one without results is removed."""
    locked = _lock_for_edit(plan, expected_version, actor=actor, reason=reason)
    if activity.plan_id != locked.pk or activity.removed_in is not None:
        raise ValidationError(_("Hoạt động này không thuộc kế hoạch đang sửa."))
    edit = _begin(locked)
    number = activity.number
    # Results hang on obligations (the execution app's ``Result.obligation``, reverse name "results").
    has_results = (
        locked.status != PlanStatus.DRAFT
        and Obligation.objects.filter(activity=activity, results__isnull=False).exists()
    )
    if has_results:
        activity.removed_in = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        activity.save(update_fields=["removed_in"])
    else:
        activity.delete()
    version = _finish(edit, actor=actor, reason=reason, agencies_changed=True)
    _audit("plans.delete_activity", locked, actor=actor, version=version, activity=number, kept=has_results)
    return version


@transaction.atomic
def do_move_activity(plan: Plan, activity: Activity, step: int, *, actor, expected_version: int | None) -> None:
    """Move an activity one place up (``step`` -1) or down (+1) in the plan's order. Not a change of
    substance: an active plan gets no new version for it."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == PlanStatus.CLOSED:
        raise ValidationError(_(CLOSED_PLAN) % {"plan": locked.reference or locked.title}, code="closed")
    bump_version(locked, expected_version, actor=actor)
    ordered = list(locked.activities.current().order_by("order", "pk"))
    index = next((i for i, a in enumerate(ordered) if a.pk == activity.pk), None)
    if index is None:
        raise ValidationError(_("Hoạt động này không thuộc kế hoạch đang sửa."))
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for i, a in enumerate(ordered):
        a.order = i
    Activity.objects.bulk_update(ordered, ["order"])
    record("plans.move_activity", locked, actor=actor, activity=activity.number, step=step)


def _lock_in_status(plan: Plan, status: str, refusal: str) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != status:
        raise ValidationError(
            _("%(refusal)s; kế hoạch này đang ở trạng thái %(s)s.")
            % {"refusal": refusal, "s": locked.get_status_display().lower()},
            code="status",
        )
    return locked


@transaction.atomic
def do_activate_plan(plan: Plan, *, actor, expected_version: int | None, accept=()) -> Plan:
    """Activate a draft after the check: obligations and deliverables are made, version 1 is recorded and
    every agency concerned is told once (in the app and by e-mail).

    Refused while the check finds an error, or a warning that is neither in ``accept`` (codes, or ``"*"``
    for every warning) nor accepted before.
    """
    locked = _lock_in_status(plan, PlanStatus.DRAFT, _("Chỉ kích hoạt được kế hoạch dự thảo"))
    problems = check_plan(locked)
    warnings = {p.code for p in problems if not p.is_error}
    accepted = warnings if "*" in set(accept or ()) else (set(accept or ()) | set(locked.accepted_warnings)) & warnings
    left = blocking(problems, accepted)
    if left:
        raise ActivationRefused(left)
    bump_version(locked, expected_version, actor=actor)
    locked.status = PlanStatus.ACTIVE
    locked.activated_at = timezone.now()
    locked.accepted_warnings = sorted(accepted)
    locked.save(update_fields=["status", "activated_at", "accepted_warnings", "version", "updated_at", "updated_by"])
    count = do_expand_obligations(locked)
    PlanVersion.objects.create(
        plan=locked,
        number=1,
        reason=_("Kích hoạt kế hoạch"),
        snapshot=plan_document(locked),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    unit_ids = sorted(set(Obligation.objects.filter(activity__plan=locked).values_list("unit_id", flat=True)))
    plan_activated.send(sender=Plan, plan=locked, unit_ids=unit_ids)
    record(
        "plans.activate",
        locked,
        actor=actor,
        obligations=count,
        units=len(unit_ids),
        accepted_warnings=sorted(accepted),
    )
    return locked


class ActivationRefused(ValidationError):
    """The activation check found problems still to fix or accept: ``problems``."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(
            _("Chưa kích hoạt được: còn %(n)s vấn đề cần sửa hoặc chấp nhận.") % {"n": len(problems)},
            code="check",
        )


@transaction.atomic
def do_close_plan(plan: Plan, *, actor, expected_version: int | None = None, override: bool = False) -> Plan:
    """Close an active plan once its year report is issued; read-only from then on.

    ``override`` (administrators only) closes it without the year report, e.g. a plan replaced mid-year.
    """
    locked = _lock_in_status(plan, PlanStatus.ACTIVE, _("Chỉ kết thúc được kế hoạch đang thực hiện"))
    refusals = [str(answer) for _receiver, answer in plan_closing.send(sender=Plan, plan=locked) if answer]
    if refusals and not override:
        raise ValidationError(" ".join(refusals), code="report")
    if override and not getattr(actor, "is_superuser", False) and getattr(actor, "role", None) != "admin":
        raise PermissionDenied
    bump_version(locked, expected_version, actor=actor)
    locked.status = PlanStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "version", "updated_at", "updated_by"])
    record("plans.close", locked, actor=actor, override=bool(refusals and override), refusals=refusals)
    return locked


@transaction.atomic
def do_save_plan_group(plan: Plan, group, *, kinds, included, excluded, actor, expected_version: int | None) -> int:
    """The coordinator decides which units a group phrase stands for under a draft plan (``cchc.plans.groups``);
    the plan's obligations are expanded again. Returns the group's new count."""
    from django.core.exceptions import PermissionDenied

    from cchc.lib.versioning import bump_version
    from cchc.orgs.models import UnitKind
    from cchc.plans.models import PlanGroup

    if not getattr(actor, "can_edit_plans", False):
        raise PermissionDenied
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            _("Chỉ sửa được thành phần nhóm của kế hoạch dự thảo; kế hoạch đang thực hiện thay đổi qua sửa đổi.")
        )
    kinds = [k for k in kinds if k]
    if not kinds or any(k not in UnitKind.values for k in kinds):
        raise ValidationError({"kinds": _("Hãy chọn ít nhất một loại đơn vị trong danh sách.")})
    setting, created = PlanGroup.objects.get_or_create(plan=plan, group=group, defaults={"kinds": kinds})
    if not created:
        bump_version(setting, expected_version, actor=actor)
    setting.kinds = kinds
    setting.full_clean()
    setting.save(update_fields=["kinds"])
    setting.included.set(included)
    setting.excluded.set(excluded)
    size = units_for(plan, group, setting=setting).count()
    record(
        "plans.save_plan_group",
        plan,
        actor=actor,
        group=group.code,
        kinds=kinds,
        included=[u.code for u in included],
        excluded=[u.code for u in excluded],
        units=size,
    )
    do_expand_obligations(plan)
    return size
