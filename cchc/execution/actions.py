"""Changes to execution data: deliverables, results and their evidence, Excel imports, agencies' sub-plans.

Every function checks who acts, validates, runs in one transaction and writes one audit row. Views, the
Excel import, management commands and (later) the API call these functions and nothing else.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.audit.actions import record
from cchc.execution.counting import lead_deliverables_helped, shared_contributions
from cchc.execution.locks import save_refusal
from cchc.execution.models import (
    Deliverable,
    Evidence,
    Result,
    ResultImport,
    SubPlan,
    SubPlanItem,
    SubPlanStatus,
)
from cchc.execution.permissions import can_approve_subplan, can_edit_subplan, can_write_results
from cchc.execution.schedule import slot_for, slots
from cchc.execution.subplans import changes, outside_window, snapshot, window
from cchc.lib.uploads import CheckedUpload
from cchc.lib.versioning import bump_version
from cchc.orgs.models import Unit
from cchc.plans.models import AgencyRole, Obligation, Plan, PlanStatus


class ResultLocked(ValidationError):
    """The result is counted in a submitted report (see ``cchc.execution.locks``)."""


# --- Deliverables ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenerationSummary:
    created: int
    updated: int
    removed: int
    kept: int
    attached_results: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed or self.attached_results)


def bearers(obligations: Sequence[Obligation]) -> list[Obligation]:
    """Who owes an activity's recurring deliverables: its lead; with no lead, every implementing unit.

    Coordinating units ("phối hợp") help the lead and owe nothing of their own: activity 5 of Gia Lai's
    2024 plan (Sở Nội vụ lead, the broadcaster coordinating) is twelve episodes owed by Sở Nội vụ, met by
    the broadcaster's programmes as the activity's counting rule says (``cchc.execution.counting``).
    """
    leads = [o for o in obligations if o.role == AgencyRole.LEAD]
    return leads or [o for o in obligations if o.role == AgencyRole.IMPLEMENT]


@transaction.atomic
def do_generate_deliverables(plan: Plan, *, actor=None) -> GenerationSummary:
    """(Re)generate the dated deliverables of every recurring activity of ``plan`` (rule: ``cchc.execution.schedule``).

    Idempotent: deliverables whose slot still applies keep their id (and their results); slots that no longer
    apply are removed and their results re-attached to the slot their date now falls in; new slots are added.
    Results of an obligation that are not attached to a deliverable are attached by date.
    """
    obligations_by_activity: dict[int, list[Obligation]] = defaultdict(list)
    # Obligations an amendment dropped owe nothing more (their results stay with them).
    for obligation in Obligation.objects.filter(activity__plan=plan, required=True).order_by("pk"):
        obligations_by_activity[obligation.activity_id].append(obligation)
    wanted: dict[tuple[int, str], Deliverable] = {}
    schedules: dict[int, list] = {}
    for activity in plan.activities.exclude(recurrence_every=""):
        start, end = window(activity, plan)
        schedule = slots(activity.recurrence_every, start, end)
        for obligation in bearers(obligations_by_activity[activity.pk]):
            schedules[obligation.pk] = schedule
            for sequence, slot in enumerate(schedule, 1):
                wanted[obligation.pk, slot.key] = Deliverable(
                    obligation_id=obligation.pk,
                    sequence=sequence,
                    slot=slot.key,
                    label=slot.label,
                    period_start=slot.start,
                    period_end=slot.end,
                    due_on=slot.due_on,
                    target_quantity=activity.recurrence_count or 1,
                    target_unit=activity.recurrence_unit or "",
                )
    existing = {(d.obligation_id, d.slot): d for d in Deliverable.objects.filter(obligation__activity__plan=plan)}
    stale = [d.pk for key, d in existing.items() if key not in wanted]
    if stale:
        Deliverable.objects.filter(pk__in=stale).delete()  # their results keep the obligation, lose the slot
    fields = ["sequence", "label", "period_start", "period_end", "due_on", "target_quantity", "target_unit"]
    to_update, to_create = [], []
    for key, new in wanted.items():
        old = existing.get(key)
        if old is None:
            to_create.append(new)
        elif any(getattr(old, f) != getattr(new, f) for f in fields):
            for f in fields:
                setattr(old, f, getattr(new, f))
            to_update.append(old)
    if to_update:
        # Sequences are unique per obligation: move the changed rows out of the way first.
        for d in to_update:
            d.sequence += 1_000_000
        Deliverable.objects.bulk_update(to_update, ["sequence"])
        for d in to_update:
            d.sequence -= 1_000_000
        Deliverable.objects.bulk_update(to_update, fields)
    Deliverable.objects.bulk_create(to_create)
    attached = _attach_unslotted_results(plan, schedules)
    recompute_deliverables(Deliverable.objects.filter(obligation__activity__plan=plan))
    summary = GenerationSummary(
        created=len(to_create),
        updated=len(to_update),
        removed=len(stale),
        kept=len(existing) - len(stale),
        attached_results=attached,
    )
    if summary.changed:
        record(
            "execution.generate_deliverables",
            plan,
            actor=actor,
            created=summary.created,
            updated=summary.updated,
            removed=summary.removed,
            attached_results=attached,
        )
    return summary


def _attach_unslotted_results(plan: Plan, schedules: dict[int, list]) -> int:
    if not schedules:
        return 0
    loose = list(
        Result.objects.filter(obligation_id__in=schedules, deliverable__isnull=True).only(
            "pk", "obligation_id", "occurred_on"
        )
    )
    if not loose:
        return 0
    by_slot = {
        (d.obligation_id, d.slot): d.pk
        for d in Deliverable.objects.filter(obligation_id__in={r.obligation_id for r in loose}).only(
            "obligation_id", "slot"
        )
    }
    changed = []
    for result in loose:
        slot = slot_for(result.occurred_on, schedules[result.obligation_id])
        if slot is not None and (result.obligation_id, slot.key) in by_slot:
            result.deliverable_id = by_slot[result.obligation_id, slot.key]
            changed.append(result)
    Result.objects.bulk_update(changed, ["deliverable"])
    return len(changed)


def recompute_deliverables(deliverables: QuerySet[Deliverable] | Iterable[Deliverable]) -> int:
    """Set ``achieved_quantity`` (sum of attached results, plus for a lead's deliverables the results that count
    toward them under the activity's rule) and ``met_on`` (the day the running sum reached the target) from the
    results. Four queries whatever the number of deliverables; returns how many changed."""
    deliverables = list(deliverables)
    if not deliverables:
        return 0
    rows: dict[int, list[tuple]] = defaultdict(list)
    for deliverable_id, day, quantity in shared_contributions(deliverables):
        rows[deliverable_id].append((day, quantity))
    ids = [d.pk for d in deliverables]
    for chunk in range(0, len(ids), 500):
        for deliverable_id, day, quantity in (
            Result.objects.filter(deliverable_id__in=ids[chunk : chunk + 500])
            .order_by("occurred_on", "pk")
            .values_list("deliverable_id", "occurred_on", "quantity")
        ):
            rows[deliverable_id].append((day, quantity))
    changed = []
    for deliverable in deliverables:
        total, met_on = Decimal(0), None
        for day, quantity in sorted(rows[deliverable.pk], key=lambda row: row[0]):
            total += quantity
            if met_on is None and total >= deliverable.target_quantity:
                met_on = day
        if deliverable.achieved_quantity != total or deliverable.met_on != met_on:
            deliverable.achieved_quantity, deliverable.met_on = total, met_on
            changed.append(deliverable)
    Deliverable.objects.bulk_update(changed, ["achieved_quantity", "met_on"])
    return len(changed)


def _recompute_for(obligation: Obligation | None, deliverable_ids: set, days: list) -> None:
    """After a result changed: its own deliverable, and the lead's it counts toward under the activity's rule."""
    own = Deliverable.objects.filter(pk__in=deliverable_ids - {None})
    if obligation is None:
        recompute_deliverables(own)
        return
    recompute_deliverables(own | lead_deliverables_helped(obligation, days))


def deliverable_on(obligation_id: int, day) -> Deliverable | None:
    """The deliverable of the obligation whose slot contains ``day``: where an unassigned result counts."""
    return (
        Deliverable.objects.filter(obligation_id=obligation_id, period_start__lte=day, period_end__gte=day)
        .order_by("sequence")
        .first()
    )


# --- Results and evidence -----------------------------------------------------------------------------

RESULT_FIELDS = (
    "obligation",
    "deliverable",
    "kind",
    "title",
    "occurred_on",
    "quantity",
    "quantity_unit",
    "audiences",
    "reach",
    "cost",
    "funding_source",
    "participants",
    "prizes",
    "broadcasts",
    "contract_cost",
    "description",
    "is_public",
)
LOCKED_PLAN = gettext_lazy("Kế hoạch của nhiệm vụ này không ở trạng thái đang thực hiện; không thể thay đổi kết quả.")


def _require_open(obligation: Obligation) -> None:
    # Asked of the database, not of a cached plan: a plan closed a second ago takes no more results.
    if not Plan.objects.filter(pk=obligation.activity.plan_id, status=PlanStatus.ACTIVE).exists():
        raise ValidationError({"obligation": LOCKED_PLAN})


def _require_unlocked(result: Result) -> None:
    reason = result.lock_reason
    if reason:
        raise ResultLocked(reason)


def _check_topics(topics, obligation: Obligation) -> None:
    plan_id = obligation.activity.plan_id
    if any(topic.plan_id != plan_id for topic in topics):
        raise ValidationError({"topics": _("Nội dung tuyên truyền phải thuộc kế hoạch của nhiệm vụ đã chọn.")})


def _prepare(result: Result, topics) -> None:
    reason = save_refusal(result)
    if reason:
        raise ResultLocked(reason)
    if result.deliverable_id is None and result.obligation_id is not None and result.occurred_on is not None:
        result.deliverable = deliverable_on(result.obligation_id, result.occurred_on)
    result.full_clean()
    if result.obligation_id is not None:
        _check_topics(topics, result.obligation)


# Names of the files the running action stored: removed again if the action fails and rolls back.
_stored_files: ContextVar[list[str] | None] = ContextVar("cchc_execution_stored_files", default=None)


def _atomic_storing_files(func):
    """``transaction.atomic`` for actions that store evidence files: a failed action leaves no file behind.

    (A caller's own outer transaction that rolls back later can still leave files unreferenced;
    ``cchc prune_evidence`` finds and removes those.)
    """
    atomic = transaction.atomic(func)

    @wraps(func)
    def wrapper(*args, **kwargs):
        names: list[str] = []
        token = _stored_files.set(names)
        try:
            return atomic(*args, **kwargs)
        except BaseException:
            from django.core.files.storage import default_storage

            for name in names:
                default_storage.delete(name)
            raise
        finally:
            _stored_files.reset(token)

    return wrapper


def _store_evidence(result: Result, files: Iterable[CheckedUpload], links: Iterable[str], actor) -> list[Evidence]:
    created = []
    for link in links:
        evidence = Evidence(result=result, link=link, uploaded_by=actor)
        evidence.full_clean()
        evidence.save()
        created.append(evidence)
    for upload in files:
        if not isinstance(upload, CheckedUpload):
            raise TypeError("evidence files must pass cchc.lib.uploads.check_upload first")
        evidence = Evidence(
            result=result,
            original_name=upload.download_name,
            content_type=upload.kind.content_type,
            size=upload.size,
            sha256=hashlib.sha256(upload.data).hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.save(upload.stored_name, ContentFile(upload.data), save=False)
        stored = _stored_files.get()
        if stored is None:
            raise RuntimeError("evidence files are stored only inside an action wrapped by _atomic_storing_files")
        stored.append(evidence.file.name)
        evidence.save()
        created.append(evidence)
    return created


def _delete_files_on_commit(names: Iterable[str]) -> None:
    from django.core.files.storage import default_storage

    for name in [n for n in names if n]:
        transaction.on_commit(lambda name=name: default_storage.delete(name))


def _create_result(fields: dict, *, actor, files=(), links=(), import_batch=None) -> Result:
    fields = dict(fields)
    topics = list(fields.pop("topics", []) or [])
    obligation = fields.get("obligation")
    if obligation is None:
        raise ValidationError({"obligation": _("Hãy chọn nhiệm vụ mà kết quả này thực hiện.")})
    if not can_write_results(actor, obligation.unit_id):
        raise PermissionDenied
    _require_open(obligation)
    result = Result(
        unit_id=obligation.unit_id,
        created_by=actor,
        import_batch=import_batch,
        **{k: v for k, v in fields.items() if k in RESULT_FIELDS},
    )
    _prepare(result, topics)
    result.save()
    result.topics.set(topics)
    _store_evidence(result, files, links, actor)
    return result


@_atomic_storing_files
def do_record_result(fields: dict, *, actor, files: Sequence[CheckedUpload] = (), links: Sequence[str] = ()) -> Result:
    """Record what a unit did under one of its obligations (``fields``: model fields and ``topics``).

    The unit is the obligation's; only an officer of that unit may record. A result with no deliverable
    chosen counts towards the deliverable whose period contains its date, if the obligation has deliverables.
    """
    result = _create_result(fields, actor=actor, files=files, links=links)
    _recompute_for(result.obligation, {result.deliverable_id}, [result.occurred_on])
    record(
        "execution.record_result",
        result,
        actor=actor,
        unit=result.unit,
        obligation=result.obligation_id,
        deliverable=result.deliverable_id,
        evidence=len(files) + len(links),
    )
    return result


@_atomic_storing_files
def do_update_result(
    result: Result,
    fields: dict,
    *,
    actor,
    expected_version: int,
    files: Sequence[CheckedUpload] = (),
    links: Sequence[str] = (),
) -> Result:
    """Change a result. Refused if someone saved it since ``expected_version`` or a submitted report counts it."""
    if not can_write_results(actor, result.unit_id):
        raise PermissionDenied
    _require_unlocked(result)
    fields = dict(fields)
    topics = list(fields.pop("topics", []) or [])
    before = {
        name: getattr(result, name if name not in ("obligation", "deliverable") else f"{name}_id")
        for name in RESULT_FIELDS
    }
    old_deliverable, old_obligation, old_day = result.deliverable_id, result.obligation, result.occurred_on
    for name in RESULT_FIELDS:
        if name in fields:
            setattr(result, name, fields[name])
    if result.obligation.unit_id != result.unit_id:
        raise ValidationError({"obligation": _("Nhiệm vụ này không phải của đơn vị ghi nhận kết quả.")})
    _require_open(result.obligation)
    _prepare(result, topics)
    bump_version(result, expected_version, actor=actor)
    result.save(update_fields=[*RESULT_FIELDS, "updated_at"])
    old_topics = set(result.topics.values_list("pk", flat=True))
    result.topics.set(topics)
    _store_evidence(result, files, links, actor)
    _recompute_for(old_obligation, {old_deliverable}, [old_day])
    _recompute_for(result.obligation, {result.deliverable_id}, [result.occurred_on])
    after = {
        name: getattr(result, name if name not in ("obligation", "deliverable") else f"{name}_id")
        for name in RESULT_FIELDS
    }
    changed = sorted(name for name in RESULT_FIELDS if before[name] != after[name])
    if old_topics != {t.pk for t in topics}:
        changed.append("topics")
    record(
        "execution.update_result",
        result,
        actor=actor,
        unit=result.unit,
        changed=changed,
        version=result.version,
        evidence_added=len(files) + len(links),
    )
    return result


@transaction.atomic
def do_delete_result(result: Result, *, actor) -> None:
    """Delete a result and its evidence files; only its unit's officer, only while no submitted report counts it."""
    if not can_write_results(actor, result.unit_id):
        raise PermissionDenied
    _require_unlocked(result)
    files = list(result.evidence.exclude(file="").values_list("file", flat=True))
    deliverable_id, obligation, day = result.deliverable_id, result.obligation, result.occurred_on
    record(
        "execution.delete_result",
        result,
        actor=actor,
        unit=result.unit,
        title=result.title,
        occurred_on=result.occurred_on.isoformat(),
        obligation=result.obligation_id,
        files=len(files),
    )
    result.delete()
    _delete_files_on_commit(files)
    if obligation is not None:
        _recompute_for(obligation, {deliverable_id}, [day])


@_atomic_storing_files
def do_add_evidence(
    result: Result, *, actor, files: Sequence[CheckedUpload] = (), links: Sequence[str] = ()
) -> list[Evidence]:
    if not can_write_results(actor, result.unit_id):
        raise PermissionDenied
    _require_unlocked(result)
    if not files and not links:
        raise ValidationError(_("Hãy chọn tệp hoặc nhập đường dẫn minh chứng."))
    created = _store_evidence(result, files, links, actor)
    record(
        "execution.add_evidence",
        result,
        actor=actor,
        unit=result.unit,
        evidence=[e.original_name or e.link for e in created],
        sha256=[e.sha256 for e in created if e.sha256],
    )
    return created


@transaction.atomic
def do_delete_evidence(evidence: Evidence, *, actor) -> None:
    result = evidence.result
    if not can_write_results(actor, result.unit_id):
        raise PermissionDenied
    _require_unlocked(result)
    record(
        "execution.delete_evidence",
        result,
        actor=actor,
        unit=result.unit,
        evidence=evidence.original_name or evidence.link,
        sha256=evidence.sha256,
    )
    name = evidence.file.name if evidence.file else ""
    evidence.delete()
    _delete_files_on_commit([name])


@_atomic_storing_files
def do_import_results(
    plan: Plan, unit: Unit, rows: Sequence[dict], *, actor, original_name: str, sha256: str
) -> ResultImport:
    """Save every row of a validated Excel file, or none (one transaction). ``rows`` hold the same ``fields``
    as ``do_record_result`` plus ``links``; ``cchc.execution.bulk.read_workbook`` produces them."""
    if not can_write_results(actor, unit.pk):
        raise PermissionDenied
    if not rows:
        raise ValidationError(_("Tệp không có dòng kết quả nào."))
    batch = ResultImport(
        unit=unit, plan=plan, original_name=original_name[:255], sha256=sha256, row_count=len(rows), created_by=actor
    )
    batch.full_clean()
    batch.save()
    created = []
    for row in rows:
        fields = dict(row)
        links = fields.pop("links", [])
        if fields["obligation"].activity.plan_id != plan.pk:
            raise ValidationError(_("Nhiệm vụ không thuộc kế hoạch đã chọn."))
        created.append(_create_result(fields, actor=actor, links=links, import_batch=batch))
    recompute_deliverables(Deliverable.objects.filter(pk__in={r.deliverable_id for r in created} - {None}))
    days: dict[int, list] = defaultdict(list)
    for result in created:
        days[result.obligation_id].append(result.occurred_on)
    for result in {r.obligation_id: r for r in created}.values():
        recompute_deliverables(lead_deliverables_helped(result.obligation, days[result.obligation_id]))
    record(
        "execution.import_results",
        batch,
        actor=actor,
        unit=unit,
        plan=plan.pk,
        rows=len(created),
        file=batch.original_name,
        sha256=sha256,
    )
    return batch


# --- Sub-plans ----------------------------------------------------------------------------------------

OUTSIDE_WINDOW = gettext_lazy("Có %(n)d dòng có thời gian nằm ngoài khung mới của kế hoạch tỉnh; hãy sửa thời gian.")
PENDING_CHANGES = gettext_lazy("Còn %(n)d thay đổi từ kế hoạch của tỉnh chưa được xem xét (chấp nhận hoặc giữ nguyên).")


def _edit_subplan(subplan: SubPlan, actor, expected_version: int | None) -> list[str]:
    """Common start of every change to a sub-plan's content: permission, version, back to draft."""
    if not can_edit_subplan(actor, subplan.unit_id):
        raise PermissionDenied
    bump_version(subplan, expected_version, actor=actor)
    if subplan.status != SubPlanStatus.DRAFT:
        # An approved or submitted plan that is changed needs the head's approval again.
        subplan.status = SubPlanStatus.DRAFT
        subplan.approved_by, subplan.approved_at = None, None
        subplan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
        return ["reopened"]
    subplan.save(update_fields=["updated_at"])
    return []


def _derived_item(subplan: SubPlan, obligation: Obligation, order: int) -> SubPlanItem:
    activity = obligation.activity
    start, end = window(activity, subplan.plan)
    return SubPlanItem(
        subplan=subplan,
        obligation=obligation,
        activity=activity,
        is_own=False,
        title=activity.title,
        period_start=start,
        period_end=end,
        recurrence_every=activity.recurrence_every,
        target_quantity=(activity.recurrence_count or 1) if activity.recurrence_every else None,
        target_unit=activity.recurrence_unit,
        source=snapshot(activity, obligation),
        order=order,
    )


def new_obligations(subplan: SubPlan) -> QuerySet[Obligation]:
    """Obligations the province gave the unit after its plan was made (not yet lines of it)."""
    return (
        Obligation.objects.filter(activity__plan_id=subplan.plan_id, unit_id=subplan.unit_id, required=True)
        .exclude(subplan_items__subplan=subplan)
        .select_related("activity")
        .order_by("activity__order")
    )


@transaction.atomic
def do_create_subplan(plan: Plan, unit: Unit, *, actor) -> SubPlan:
    """Derive the agency's plan from the province plan: every obligation of the unit becomes a line."""
    if not can_edit_subplan(actor, unit.pk):
        raise PermissionDenied
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("Chỉ lập kế hoạch của đơn vị từ kế hoạch của tỉnh đang thực hiện."))
    if SubPlan.objects.filter(plan=plan, unit=unit).exists():
        raise ValidationError(_("Đơn vị đã có kế hoạch thực hiện kế hoạch này."))
    obligations = list(
        Obligation.objects.filter(activity__plan=plan, unit=unit, required=True)
        .select_related("activity")
        .order_by("activity__order")
    )
    if not obligations:
        raise ValidationError(_("Đơn vị không có nhiệm vụ nào trong kế hoạch này."))
    subplan = SubPlan(
        plan=plan,
        unit=unit,
        created_by=actor,
        title=_("Kế hoạch tuyên truyền công tác cải cách hành chính năm %(year)d của %(unit)s")
        % {"year": plan.year, "unit": unit.name},
    )
    subplan.full_clean()
    subplan.save()
    SubPlanItem.objects.bulk_create(_derived_item(subplan, o, i) for i, o in enumerate(obligations))
    record("execution.create_subplan", subplan, actor=actor, unit=unit, plan=plan.pk, items=len(obligations))
    return subplan


@transaction.atomic
def do_sync_subplan(subplan: SubPlan, *, actor, expected_version: int) -> int:
    """Bring the obligations the province added since into the agency's plan."""
    obligations = list(new_obligations(subplan))
    if not obligations:
        return 0
    notes = _edit_subplan(subplan, actor, expected_version)
    last = subplan.items.order_by("-order").values_list("order", flat=True).first() or 0
    SubPlanItem.objects.bulk_create(_derived_item(subplan, o, last + 1 + i) for i, o in enumerate(obligations))
    record(
        "execution.sync_subplan",
        subplan,
        actor=actor,
        unit=subplan.unit,
        added=[o.activity.number for o in obligations],
        notes=notes,
    )
    return len(obligations)


@transaction.atomic
def do_update_subplan(subplan: SubPlan, fields: dict, *, actor, expected_version: int) -> SubPlan:
    notes = _edit_subplan(subplan, actor, expected_version)
    for name in ("title", "reference", "notes"):
        if name in fields:
            setattr(subplan, name, fields[name])
    subplan.full_clean()
    subplan.save(update_fields=["title", "reference", "notes", "updated_at"])
    record("execution.update_subplan", subplan, actor=actor, unit=subplan.unit, notes=notes)
    return subplan


ITEM_FIELDS = ("title", "content", "period_start", "period_end", "recurrence_every", "target_quantity", "target_unit")


def _check_window(item: SubPlanItem, plan: Plan) -> None:
    start, end = window(item.activity, plan)
    message = _("Thời gian phải nằm trong khoảng của kế hoạch tỉnh: từ %(a)s đến %(b)s.") % {
        "a": f"{start:%d/%m/%Y}",
        "b": f"{end:%d/%m/%Y}",
    }
    errors = {}
    if item.period_start and not start <= item.period_start <= end:
        errors["period_start"] = message
    if item.period_end and not start <= item.period_end <= end:
        errors["period_end"] = message
    if item.period_start and item.period_end and item.period_end < item.period_start:
        errors["period_end"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_save_subplan_item(
    subplan: SubPlan, item: SubPlanItem | None, fields: dict, *, actor, expected_version: int
) -> SubPlanItem:
    """Add one of the agency's own lines (``item`` None) or change a line; dates within the province's window."""
    if item is None:
        item = SubPlanItem(
            subplan=subplan,
            is_own=True,
            order=(subplan.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1,
        )
        activity = fields.get("activity")
        if activity is not None and activity.plan_id != subplan.plan_id:
            raise ValidationError({"activity": _("Hoạt động không thuộc kế hoạch của tỉnh.")})
        item.activity = activity
    elif item.subplan_id != subplan.pk:
        raise PermissionDenied
    elif item.is_own and "activity" in fields:
        activity = fields["activity"]
        if activity is not None and activity.plan_id != subplan.plan_id:
            raise ValidationError({"activity": _("Hoạt động không thuộc kế hoạch của tỉnh.")})
        item.activity = activity
    notes = _edit_subplan(subplan, actor, expected_version)
    for name in ITEM_FIELDS:
        if name in fields:
            setattr(item, name, fields[name])
    item.full_clean(exclude=["subplan"])
    _check_window(item, subplan.plan)
    created = item.pk is None
    item.save()
    record(
        "execution.add_subplan_item" if created else "execution.update_subplan_item",
        subplan,
        actor=actor,
        unit=subplan.unit,
        item=item.pk,
        title=item.title[:200],
        notes=notes,
    )
    return item


@transaction.atomic
def do_delete_subplan_item(item: SubPlanItem, *, actor, expected_version: int) -> None:
    subplan = item.subplan
    if not item.is_own and item.obligation_id is not None:
        raise ValidationError(_("Nhiệm vụ do tỉnh giao không thể xóa khỏi kế hoạch của đơn vị."))
    notes = _edit_subplan(subplan, actor, expected_version)
    record(
        "execution.delete_subplan_item",
        subplan,
        actor=actor,
        unit=subplan.unit,
        item=item.pk,
        title=item.title[:200],
        notes=notes,
    )
    item.delete()


@transaction.atomic
def do_resolve_change(item: SubPlanItem, decision: str, *, actor, expected_version: int) -> SubPlanItem:
    """The agency's answer to a change in the province activity: ``accept`` it or ``keep`` its own line."""
    subplan = item.subplan
    found = changes(item, subplan.plan)
    if not found:
        raise ValidationError(_("Hoạt động của tỉnh không có thay đổi nào cần xem xét."))
    if decision not in ("accept", "keep"):
        raise ValidationError(_("Hãy chọn chấp nhận hoặc giữ nguyên."))
    activity = item.activity
    groups = {c.group for c in found}
    if decision == "accept":
        if "title" in groups:
            item.title = activity.title
        if "period" in groups:
            item.period_start, item.period_end = window(activity, subplan.plan)
        if "recurrence" in groups:
            item.recurrence_every = activity.recurrence_every
            item.target_quantity = (activity.recurrence_count or 1) if activity.recurrence_every else None
            item.target_unit = activity.recurrence_unit
    else:
        try:
            _check_window(item, subplan.plan)
        except ValidationError:
            raise ValidationError(
                _(
                    "Không thể giữ nguyên: thời gian của dòng này nằm ngoài thời gian mới của "
                    "kế hoạch tỉnh. Hãy chấp nhận thay đổi hoặc sửa thời gian trước."
                )
            ) from None
    notes = (
        _edit_subplan(subplan, actor, expected_version)
        if decision == "accept"
        else _keep(subplan, actor, expected_version)
    )
    item.source = snapshot(activity, item.obligation)
    item.save()
    record(
        "execution.resolve_subplan_change",
        subplan,
        actor=actor,
        unit=subplan.unit,
        item=item.pk,
        decision=decision,
        changes=[{"field": c.group, "before": c.before, "after": c.after} for c in found],
        notes=notes,
    )
    return item


def _keep(subplan: SubPlan, actor, expected_version: int) -> list[str]:
    # Keeping its line changes nothing the head approved: the plan stays approved.
    if not can_edit_subplan(actor, subplan.unit_id):
        raise PermissionDenied
    bump_version(subplan, expected_version, actor=actor)
    return []


def _require_settled(subplan: SubPlan) -> None:
    """A plan goes to (or is approved by) the head only once it agrees with the province's plan."""
    items = list(subplan.items.select_related("activity", "obligation"))
    pending = sum(1 for item in items if changes(item, subplan.plan))
    if pending:
        raise ValidationError(PENDING_CHANGES % {"n": pending})
    outside = sum(1 for item in items if outside_window(item, subplan.plan))
    if outside:
        raise ValidationError(OUTSIDE_WINDOW % {"n": outside})


@transaction.atomic
def do_submit_subplan(subplan: SubPlan, *, actor, expected_version: int) -> SubPlan:
    """The officer sends the draft to the head for approval."""
    if not can_edit_subplan(actor, subplan.unit_id):
        raise PermissionDenied
    if subplan.status != SubPlanStatus.DRAFT:
        raise ValidationError(_("Chỉ trình được kế hoạch đang ở trạng thái dự thảo."))
    _require_settled(subplan)
    bump_version(subplan, expected_version, actor=actor)
    subplan.status, subplan.return_reason = SubPlanStatus.SUBMITTED, ""
    subplan.save(update_fields=["status", "return_reason", "updated_at"])
    record("execution.submit_subplan", subplan, actor=actor, unit=subplan.unit)
    return subplan


@transaction.atomic
def do_approve_subplan(subplan: SubPlan, *, actor, expected_version: int) -> SubPlan:
    """The head approves the agency's plan (a draft, or one the officer submitted)."""
    if not can_approve_subplan(actor, subplan.unit_id):
        raise PermissionDenied
    if subplan.status == SubPlanStatus.APPROVED:
        raise ValidationError(_("Kế hoạch đã được phê duyệt."))
    _require_settled(subplan)
    bump_version(subplan, expected_version, actor=actor)
    subplan.status, subplan.return_reason = SubPlanStatus.APPROVED, ""
    subplan.approved_by, subplan.approved_at = actor, timezone.now()
    subplan.save(update_fields=["status", "return_reason", "approved_by", "approved_at", "updated_at"])
    record("execution.approve_subplan", subplan, actor=actor, unit=subplan.unit)
    return subplan


@transaction.atomic
def do_return_subplan(subplan: SubPlan, reason: str, *, actor, expected_version: int) -> SubPlan:
    """The head sends a submitted plan back to the officer, saying why."""
    if not can_approve_subplan(actor, subplan.unit_id):
        raise PermissionDenied
    if subplan.status != SubPlanStatus.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được kế hoạch đang chờ phê duyệt."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại để cán bộ biết cần sửa gì.")})
    bump_version(subplan, expected_version, actor=actor)
    subplan.status, subplan.return_reason = SubPlanStatus.DRAFT, reason
    subplan.save(update_fields=["status", "return_reason", "updated_at"])
    record("execution.return_subplan", subplan, actor=actor, unit=subplan.unit, reason=reason)
    return subplan


EVIDENCE_ROOT = "evidence"


def _files_below(path: str):
    from django.core.files.storage import default_storage

    dirs, files = default_storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for name in dirs:
        yield from _files_below(f"{path}/{name}")


def orphan_evidence_files(cutoff) -> list[str]:
    """Stored evidence files that no evidence row refers to and that are older than ``cutoff`` (a younger one
    may belong to an upload committing right now)."""
    from django.core.files.storage import default_storage

    if not default_storage.exists(EVIDENCE_ROOT):
        return []
    known = set(Evidence.objects.exclude(file="").values_list("file", flat=True))
    return [
        name
        for name in _files_below(EVIDENCE_ROOT)
        if name not in known and default_storage.get_modified_time(name) < cutoff
    ]


def do_prune_evidence(names: Sequence[str]) -> int:
    """Delete the orphan files ``names`` (from ``orphan_evidence_files``); one audit row for the run."""
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)
    if names:
        record("execution.prune_evidence", None, files=len(names))
    return len(names)
