"""Changes to plans. Every function validates, runs in a transaction and writes one audit row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.audit.actions import record
from cchc.lib.uploads import safe_original_name
from cchc.orgs.models import Succession
from cchc.orgs.resolve import Resolver
from cchc.plans.importer import read_plan
from cchc.plans.imports import (
    CONFIRMED,
    agency_lists,
    annotate_matches,
    apply_correction,
    explicit_target,
    find_existing_plan,
    plan_resolver,
    review_counts,
    source_lines,
)
from cchc.plans.models import (
    ROLE_STRENGTH,
    Activity,
    ActivityAgency,
    AgencyRole,
    ImportStatus,
    Obligation,
    Plan,
    PlanImport,
    PlanStatus,
    Topic,
)
from cchc.plans.signals import obligations_changed

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
        "issuer": document.get("issuer") or "", "number": document.get("number") or "",
        "symbol": document.get("symbol") or "", "year": document["year"], "title": document["title"],
        "place": document.get("place") or "", "issued_on": _date(document.get("issued_on")),
        "signer_name": signer.get("name") or "", "signer_title": signer.get("title") or "",
        "legal_bases": document.get("legal_bases") or [], "objectives": document.get("objectives") or [],
        "requirements": document.get("requirements") or [], "audience": document.get("audience") or "",
        "duties": document.get("duties") or [], "recipients": document.get("recipients") or [],
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
        Topic(plan=plan, number=str(t.get("number") or i + 1), text=t.get("text") or "", items=t.get("items") or [],
              order=i)
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
        raise ValidationError(_("Kế hoạch “%(plan)s” không còn là dự thảo nên không thể ghi đè bằng tệp nhập.")
                              % {"plan": locked.reference or locked.title})
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("Kế hoạch đã được người khác thay đổi; hãy tải lại trang."))
    fields = _plan_fields(document)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=[*fields, "version", "updated_at"])
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
        "number": number, "title": data.get("title") or "", "content": data.get("content") or [],
        "period_start": _date(period.get("start")), "period_end": _date(period.get("end")),
        "recurrence_every": recurrence.get("every") or "", "recurrence_count": recurrence.get("count"),
        "recurrence_unit": recurrence.get("unit") or "", "funding": data.get("funding") or "",
        "agencies_text": data.get("agencies_text") or "", "schedule_text": data.get("schedule_text") or "",
        "order": order,
    }


def _agency_rows(activity: Activity, data: dict, resolver: Resolver) -> list[ActivityAgency]:
    rows = []
    for j, agency in enumerate(data.get("agencies") or []):
        match = explicit_target(agency, resolver) or resolver.match(agency["name"])
        rows.append(ActivityAgency(
            activity=activity, name=agency["name"], role=agency.get("role") or AgencyRole.IMPLEMENT,
            unit=match.unit, group=match.group, match_quality=match.quality, order=j,
        ))
    return rows


@transaction.atomic
def do_expand_obligations(plan: Plan, *, actor=None) -> int:
    """(Re)compute the obligations of every activity: one per (activity, unit) as of the plan's year.

    Idempotent: obligations that still apply are kept (results recorded against them stay attached),
    new ones are added, ones no longer named are removed.
    """
    on = plan.start
    wanted: dict[tuple[int, int], tuple[str, int | None]] = {}
    agencies = ActivityAgency.objects.filter(activity__plan=plan).select_related("group")
    group_units: dict[int, list[int]] = {}
    for agency in agencies:
        if agency.unit_id is not None:
            unit_ids, group_id = [agency.unit_id], None
        elif agency.group_id is not None:
            if agency.group_id not in group_units:
                units = agency.group.units_on(on, plan.province)
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
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    Obligation.objects.filter(pk__in=stale).delete()
    changed = []
    for key, (role, _group) in wanted.items():
        if key in existing and existing[key].role != role:
            existing[key].role = role
            changed.append(existing[key])
    Obligation.objects.bulk_update(changed, ["role"])
    Obligation.objects.bulk_create(
        Obligation(activity_id=a, unit_id=u, role=role, via_group_id=g)
        for (a, u), (role, g) in wanted.items() if (a, u) not in existing
    )
    if actor is not None:
        record("plans.expand_obligations", plan, actor=actor, obligations=len(wanted))
    obligations_changed.send(sender=Plan, plan=plan)
    return len(wanted)


@transaction.atomic
def do_set_plan_status(plan: Plan, status: str, *, actor, expected_version: int | None = None) -> Plan:
    if expected_version is not None and plan.version != expected_version:
        raise ValidationError("Kế hoạch đã được người khác thay đổi; hãy tải lại trang.")
    updated = Plan.objects.filter(pk=plan.pk, version=plan.version).update(status=status, version=plan.version + 1)
    if not updated:
        raise ValidationError("Kế hoạch đã được người khác thay đổi; hãy tải lại trang.")
    plan.refresh_from_db()
    record("plans.set_status", plan, actor=actor, status=status)
    return plan


@transaction.atomic
def do_inherit_obligations(as_of: dt.date, *, actor=None) -> int:
    """After a reorganisation, successors inherit their predecessors' obligations under running plans.

    A merged commune takes over the open tasks of every commune it was formed from; the obligation
    keeps ``inherited_from`` so history shows where it came from. Idempotent.
    """
    links = Succession.objects.filter(effective_on__lte=as_of).select_related("predecessor", "successor")
    by_predecessor: dict[int, list[Succession]] = {}
    for link in links:
        by_predecessor.setdefault(link.predecessor_id, []).append(link)
    if not by_predecessor:
        return 0
    running = Obligation.objects.filter(
        unit_id__in=by_predecessor, activity__plan__status=PlanStatus.ACTIVE,
    ).filter(Q(activity__period_end__isnull=True) | Q(activity__period_end__gte=as_of))
    have = set(Obligation.objects.filter(unit_id__in={link.successor_id for ls in by_predecessor.values()
                                                      for link in ls})
               .values_list("activity_id", "unit_id"))
    new = []
    for obligation in running:
        for link in by_predecessor[obligation.unit_id]:
            key = (obligation.activity_id, link.successor_id)
            if key in have:
                continue
            have.add(key)
            new.append(Obligation(activity_id=obligation.activity_id, unit_id=link.successor_id, role=obligation.role,
                                  via_group_id=obligation.via_group_id, inherited_from_id=obligation.unit_id))
    Obligation.objects.bulk_create(new)
    if new:
        record("plans.inherit_obligations", None, actor=actor, as_of=as_of.isoformat(), created=len(new))
    return len(new)


# --- importing a plan document: upload → review → confirm ----------------------------------------------


class DuplicatePlan(ValidationError):
    """The document was imported before: ``plan`` is what it became."""

    def __init__(self, plan: Plan):
        self.plan = plan
        label = f"{plan.title} ({plan.reference})" if plan.reference else plan.title
        if plan.status == PlanStatus.DRAFT:
            message = _("Văn bản này đã được nhập thành kế hoạch dự thảo “%(plan)s”. Hãy chọn cập nhật dự thảo đó "
                        "thay vì tạo một kế hoạch trùng.") % {"plan": label}
        else:
            message = _("Văn bản này đã được nhập thành kế hoạch “%(plan)s”, hiện ở trạng thái %(status)s: không "
                        "thể tạo trùng hay ghi đè bằng tệp. Hãy sửa kế hoạch đó trên màn hình của nó.") % {
                "plan": label, "status": plan.get_status_display().lower()}
        super().__init__(message, code="duplicate")


class StaleImport(ValidationError):
    """A correction made on a version of the import that someone else has changed since."""

    def __init__(self, current: PlanImport):
        self.current = current
        who = str(current.updated_by) if current.updated_by else _("Một lệnh hệ thống")
        when = timezone.localtime(current.updated_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            _("%(who)s đã sửa bản nhập này lúc %(when)s, sau khi bạn mở trang. Thay đổi của bạn chưa được lưu để "
              "không ghi đè lên của họ; hãy tải lại trang, xem lại rồi sửa tiếp.") % {"who": who, "when": when},
            code="stale")


def _lock_open_import(session: PlanImport, expected_version: int | None) -> PlanImport:
    locked = PlanImport.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=session.pk)
    if locked.status != ImportStatus.REVIEW:
        raise ValidationError(_("Bản nhập này đã %(status)s; không thể thay đổi nữa.")
                              % {"status": locked.get_status_display().lower()}, code="closed")
    if expected_version is not None and locked.version != expected_version:
        raise StaleImport(locked)
    return locked


@transaction.atomic
def do_start_import(data: bytes, filename: str, *, actor=None) -> PlanImport:
    """Read a plan document and keep it, with the plan read from it, for review; nothing is a plan yet.

    The importer checks the content itself (format by magic bytes, size, zip bombs, scans without
    text) and raises ``PlanImportError`` with a message saying what to do; then nothing is saved.
    """
    parsed = read_plan(data, filename)
    document = parsed.plan
    if document.get("year"):
        resolver, _issuer = plan_resolver(document["year"], document.get("issuer"))
        annotate_matches(document, resolver)
    session = PlanImport(
        original_name=safe_original_name(filename), sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        file_format=parsed.kind, document=document, lines=source_lines(parsed.lines),
        created_by=actor, updated_by=actor,
    )
    session.original.save("upload", ContentFile(data), save=False)
    try:
        session.save()
    except Exception:
        session.original.delete(save=False)
        raise
    record("plans.import.upload", session, actor=actor, file=session.original_name, sha256=session.sha256,
           size=session.size, format=session.file_format, **review_counts(document))
    return session


@transaction.atomic
def do_correct_import(session: PlanImport, section: str, values: dict, *, actor,
                      expected_version: int | None) -> PlanImport:
    """Apply a reviewer's corrections to one section ("header", "lists", "activities[N]") of an import."""
    locked = _lock_open_import(session, expected_version)
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
    locked.version += 1
    locked.updated_by = actor
    locked.save(update_fields=["document", "version", "updated_by", "updated_at"])
    record("plans.import.correct", locked, actor=actor, section=section, version=locked.version,
           changes={k: [_short(before), _short(after)] for k, (before, after) in changes.items()})
    return locked


def _short(value, limit: int = 300):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@transaction.atomic
def do_confirm_import(session: PlanImport, *, actor=None, expected_version: int | None = None,
                      update_existing: bool = False) -> tuple[Plan, bool]:
    """Turn a reviewed import into a draft plan with its activities and obligations; return the plan
    and whether it was an existing draft updated rather than a new plan.

    When the document was imported before (same file, or same issuer, symbol, number, year and title),
    ``DuplicatePlan`` is raised, unless ``update_existing`` is asked and that plan is still a draft: then
    the draft is updated. A plan being carried out is never overwritten by a file.
    """
    locked = _lock_open_import(session, expected_version)
    document = locked.document
    existing = find_existing_plan(document, locked.sha256)
    if existing is not None and not (update_existing and existing.status == PlanStatus.DRAFT):
        raise DuplicatePlan(existing)
    if existing is not None:
        plan = do_update_plan(existing, document, actor=actor)
    else:
        plan = do_create_plan(document, actor=actor, status=PlanStatus.DRAFT)
    locked.plan = plan
    locked.status = ImportStatus.CONFIRMED
    locked.version += 1
    locked.updated_by = actor
    locked.save(update_fields=["plan", "status", "version", "updated_by", "updated_at"])
    record("plans.import.confirm", locked, actor=actor, plan=plan.pk, updated=existing is not None,
           **review_counts(document))
    return plan, existing is not None


@transaction.atomic
def do_discard_import(session: PlanImport, *, actor, expected_version: int | None = None) -> PlanImport:
    """Drop an import without making a plan. The row and the file stay, for the audit trail."""
    locked = _lock_open_import(session, expected_version)
    locked.status = ImportStatus.DISCARDED
    locked.version += 1
    locked.updated_by = actor
    locked.save(update_fields=["status", "version", "updated_by", "updated_at"])
    record("plans.import.discard", locked, actor=actor, file=locked.original_name)
    return locked
