"""Demo reporting cycle for the demo province: results for the first half of 2024 and reports for
quarter I and the six months — most accepted, some late, some waiting for review, one returned (the
demo department's, so that ``officer``/``head`` see a correction cycle), some missing (the demo
commune's, so that ``commune-officer`` drafts one) — and the province's draft for quarter I.

Deterministic (a seeded generator, fixed dates) and fast: rows go in with ``bulk_create``; the
figures of every submitted report are computed by the same drafting code the application uses.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from cchc.accounts import authcache
from cchc.accounts.models import Role, User
from cchc.audit.actions import record
from cchc.execution.actions import recompute_deliverables
from cchc.execution.models import Audience, Deliverable, Evidence, Result, ResultKind
from cchc.plans.models import AgencyRole, Obligation, Plan, PlanStatus, Topic
from cchc.reports.actions import DEFAULT_PROVINCE_RECIPIENTS, default_signers, do_ensure_periods
from cchc.reports.completeness import agency_group
from cchc.reports.consolidation import consolidate, default_general_text
from cchc.reports.figures import figures_for_units
from cchc.reports.models import (
    Notification,
    ProvinceReport,
    Report,
    ReportOutcome,
    ReportStatus,
    ReportVersion,
)

SEED = 2024
RETURNED_UNIT = "so-tttt"  # the demo department (personas "officer" and "head")
MISSING_UNIT_NAME = "UBND xã Ia Khai"  # the demo commune (persona "commune-officer")
RETURN_REASON = (
    "Bảng số liệu chưa có kết quả của chuyên mục CCHC trên Cổng thông tin điện tử của Sở trong tháng "
    "02/2024; đề nghị bổ sung và nêu rõ nguyên nhân chưa bố trí kinh phí in tờ gấp."
)

# kind, title, quantity unit, (min, max quantity), reach per unit, cost per unit
TEMPLATES = {
    "provincial": [
        (ResultKind.NEWS_ARTICLE, "Đăng tin, bài về CCHC trên Trang thông tin điện tử", "tin, bài", (2, 8), 150, 0),
        (
            ResultKind.PORTAL_UPDATE,
            "Cập nhật chuyên mục CCHC, công khai TTHC trên trang thông tin",
            "lượt cập nhật",
            (1, 4),
            0,
            0,
        ),
        (
            ResultKind.INTERNAL_MEETING,
            "Lồng ghép nội dung CCHC trong cuộc họp giao ban cơ quan",
            "cuộc họp",
            (1, 3),
            40,
            0,
        ),
        (ResultKind.CONFERENCE, "Hội nghị phổ biến kế hoạch CCHC năm 2024", "hội nghị", (1, 1), 80, 6_000_000),
        (ResultKind.LEAFLET, "In, phát tờ gấp hướng dẫn thực hiện TTHC trực tuyến", "tờ", (200, 800), 1, 1_500),
    ],
    "district": [
        (
            ResultKind.BROADCAST,
            "Phát sóng chuyên mục CCHC trên Đài Truyền thanh - Truyền hình huyện",
            "chương trình",
            (2, 6),
            500,
            800_000,
        ),
        (
            ResultKind.NEWS_ARTICLE,
            "Đăng tin, bài về CCHC trên Trang thông tin điện tử huyện",
            "tin, bài",
            (3, 10),
            200,
            0,
        ),
        (
            ResultKind.TRAINING,
            "Lớp tập huấn kỹ năng giải quyết TTHC cho công chức một cửa cấp xã",
            "lớp",
            (1, 2),
            45,
            12_000_000,
        ),
        (ResultKind.POSTER, "Treo băng rôn, pa nô tuyên truyền CCHC", "băng rôn", (4, 15), 0, 350_000),
        (
            ResultKind.INTERNAL_MEETING,
            "Lồng ghép nội dung CCHC trong hội nghị giao ban huyện",
            "cuộc họp",
            (1, 3),
            60,
            0,
        ),
    ],
    "commune": [
        (ResultKind.BROADCAST, "Phát thanh tin CCHC trên hệ thống loa truyền thanh xã", "lượt phát", (4, 24), 300, 0),
        (ResultKind.INTERNAL_MEETING, "Lồng ghép tuyên truyền CCHC trong họp thôn, làng", "buổi", (2, 8), 50, 0),
        (
            ResultKind.POSTER,
            "Niêm yết công khai TTHC, số điện thoại đường dây nóng tại bộ phận một cửa",
            "bảng",
            (1, 3),
            0,
            200_000,
        ),
        (
            ResultKind.PERFORMANCE,
            "Tuyên truyền CCHC qua sinh hoạt văn hóa cồng chiêng tại làng",
            "buổi",
            (1, 2),
            150,
            1_000_000,
        ),
        (ResultKind.LEAFLET, "Phát tờ rơi hướng dẫn dịch vụ công trực tuyến", "tờ", (100, 400), 1, 1_200),
    ],
}
AUDIENCES = {
    "provincial": [Audience.OFFICIALS, Audience.BUSINESSES],
    "district": [Audience.OFFICIALS, Audience.CITIZENS],
    "commune": [Audience.CITIZENS, Audience.ETHNIC_MINORITIES],
}
RESULTS_TEXT = [
    "Đơn vị đã triển khai kịp thời Kế hoạch tuyên truyền CCHC năm 2024; nội dung tuyên truyền tập trung vào "
    "công khai TTHC, dịch vụ công trực tuyến và kết quả chỉ số SIPAS, PAR INDEX của tỉnh.",
    "Công tác tuyên truyền được thực hiện thường xuyên, đa dạng hình thức; cán bộ, công chức và người dân nắm "
    "được các quy định mới về TTHC, cách nộp hồ sơ trực tuyến.",
    "Đã lồng ghép nội dung CCHC trong các cuộc họp, hội nghị; duy trì chuyên mục CCHC và công khai các kênh "
    "tiếp nhận phản ánh, kiến nghị.",
]
SHORTCOMINGS_TEXT = [
    "Kinh phí cho công tác tuyên truyền còn hạn chế; một số hình thức chưa thực hiện được.",
    "Hình thức tuyên truyền ở vùng đồng bào dân tộc thiểu số chưa phong phú; hệ thống loa truyền thanh một số "
    "thôn, làng đã xuống cấp.",
    "",
]
SIGNERS = [
    "Nguyễn Văn Hùng",
    "Trần Thị Lan",
    "Rơ Mah Tuấn",
    "Ksor H'Bia",
    "Lê Quang Minh",
    "Siu Đức",
    "Phạm Thị Hoa",
    "Đinh Văn Thắng",
]
PROPOSALS_TEXT = [
    "Đề nghị Sở Nội vụ tổ chức tập huấn nghiệp vụ tuyên truyền CCHC cho công chức đầu mối.",
    "Đề nghị UBND tỉnh bố trí kinh phí in tài liệu tuyên truyền song ngữ Việt - Bahnar, Việt - Jrai.",
    "",
]


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 15), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _pick_dates(rng: random.Random, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    span = (end - start).days
    return sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in range(n))


@transaction.atomic
def do_load_demo_reports(plan: Plan | None = None) -> dict:
    """Load the demo cycle into the 2024 plan (idempotent: does nothing if the plan has reports)."""
    plan = plan or Plan.objects.filter(year=2024, status=PlanStatus.ACTIVE).order_by("pk").first()
    if plan is None:
        return {"skipped": "no active 2024 plan"}
    if Report.objects.filter(period__plan=plan).exists():
        return {"skipped": "reports already loaded"}
    rng = random.Random(SEED)
    periods = {p.kind: p for p in do_ensure_periods(plan)}
    q1, h1 = periods["Q1"], periods["H1"]
    topics = list(Topic.objects.filter(plan=plan).order_by("order").values_list("pk", flat=True))

    obligations: dict[int, list[tuple[int, str]]] = {}
    units = {}
    for ob in (
        Obligation.objects.filter(activity__plan=plan)
        .select_related("unit", "unit__parent")
        .order_by("unit__kind", "unit__name", "activity__order")
    ):
        obligations.setdefault(ob.unit_id, []).append((ob.pk, ob.role))
        units[ob.unit_id] = ob.unit
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    # Deliverables (generated by the execution app): a result in a deliverable's slot counts towards it.
    slots: dict[int, list[tuple[dt.date, dt.date, int]]] = {}
    for pk, obligation_id, start, end in Deliverable.objects.filter(obligation__activity__plan=plan).values_list(
        "pk", "obligation_id", "period_start", "period_end"
    ):
        slots.setdefault(obligation_id, []).append((start, end, pk))

    # 1. Results: the data windows of quarter I and of the second quarter (15/12/2023 – 14/6/2024).
    results, chosen_topics = [], []
    for unit_id, unit in units.items():
        group = agency_group(unit.kind)
        own = [pk for pk, role in obligations[unit_id] if role != AgencyRole.COORDINATE] or [obligations[unit_id][0][0]]
        for start, end, count in (
            (q1.start, q1.end, rng.randint(4, 8)),
            (q1.end + dt.timedelta(days=1), h1.end, rng.randint(3, 6)),
        ):
            for day in _pick_dates(rng, start, end, count):
                kind, title, qunit, (low, high), reach, cost = rng.choice(TEMPLATES[group])
                quantity = rng.randint(low, high)
                obligation_id = rng.choice(own)
                deliverable_id = next(
                    (pk for start, end, pk in slots.get(obligation_id, ()) if start <= day <= end), None
                )
                results.append(
                    Result(
                        unit_id=unit_id,
                        obligation_id=obligation_id,
                        deliverable_id=deliverable_id,
                        kind=kind,
                        title=f"{title} ({day:%m/%Y})",
                        occurred_on=day,
                        quantity=Decimal(quantity),
                        quantity_unit=qunit,
                        audiences=AUDIENCES[group],
                        reach=reach * quantity if reach else None,
                        cost=Decimal(cost * quantity),
                        funding_source="Ngân sách nhà nước" if cost else "",
                        description="Dữ liệu mẫu.",
                        is_public=rng.random() < 0.7,
                        created_by=admin,
                    )
                )
                chosen_topics.append(rng.sample(topics, k=min(2, len(topics))) if topics else [])
    # The broadcaster coordinates activity 5 (the monthly CCHC column, led by Sở Nội vụ) and airs it: under the
    # activity's counting rule (lead and coordinating agencies, the default) its programmes meet the lead's target.
    for ob in Obligation.objects.filter(
        activity__plan=plan, activity__number="5", role=AgencyRole.COORDINATE, unit__name__icontains="Phát thanh"
    ):
        for month in range(1, 7):
            day = dt.date(plan.year, month, 20)
            results.append(
                Result(
                    unit_id=ob.unit_id,
                    obligation_id=ob.pk,
                    kind=ResultKind.BROADCAST,
                    title=f"Chuyên mục Cải cách hành chính tháng {month}/{plan.year} trên sóng truyền hình tỉnh",
                    occurred_on=day,
                    quantity=Decimal(1),
                    quantity_unit="chuyên mục",
                    audiences=[Audience.CITIZENS, Audience.BUSINESSES],
                    reach=25_000,
                    broadcasts=3,
                    contract_cost=Decimal(15_000_000),
                    cost=Decimal(15_000_000),
                    funding_source="Ngân sách tỉnh",
                    description="Dữ liệu mẫu.",
                    is_public=True,
                    created_by=admin,
                )
            )
            chosen_topics.append(topics[:1])
    Result.objects.bulk_create(results, batch_size=500)
    # Every deliverable of the plan: a lead's counts the results of the units its activity's rule names.
    recompute_deliverables(Deliverable.objects.filter(obligation__activity__plan=plan))
    through = Result.topics.through
    through.objects.bulk_create(
        [through(result_id=r.pk, topic_id=t) for r, ts in zip(results, chosen_topics, strict=True) for t in ts],
        batch_size=1000,
    )
    Evidence.objects.bulk_create(
        [
            Evidence(
                result=r,
                link=f"https://gialai.gov.vn/cchc/minh-chung/{r.pk}",
                original_name="Bài đăng trên trang thông tin",
                uploaded_by=admin,
            )
            for r in results[::3]
        ],
        batch_size=500,
    )

    # 2. Reports: who sent what, when.
    coordinator = User.objects.filter(role=Role.COORDINATOR).order_by("pk").first()
    missing_commune = next((u.pk for u in units.values() if u.name == MISSING_UNIT_NAME), None)
    plan_q1 = _plan_outcomes(
        rng,
        units,
        q1,
        force={RETURNED_UNIT: "returned"},
        missing={missing_commune},
        share_missing=0.12,
        share_pending=0.05,
    )
    plan_h1 = _plan_outcomes(
        rng, units, h1, force={}, missing={missing_commune}, share_missing=0.35, share_pending=0.15
    )
    made = 0
    for period, outcomes in ((q1, plan_q1), (h1, plan_h1)):
        made += _make_reports(rng, plan, period, units, outcomes, coordinator)

    # 3. The province's draft for quarter I, and the notices people would have received.
    data = consolidate(q1, q1.province_due_on)
    ProvinceReport.objects.create(
        period=q1,
        issuer=coordinator.unit if coordinator else None,
        general_text=default_general_text(data),
        shortcomings_text="Một số cơ quan, đơn vị gửi báo cáo chậm; kinh phí cho công tác tuyên truyền ở cấp xã "
        "còn hạn chế.",
        proposals_text="Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị gửi báo cáo đúng hạn.",
        recipients=DEFAULT_PROVINCE_RECIPIENTS,
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn Demo",
        updated_by=coordinator,
    )
    returned = Report.objects.filter(period=q1, unit__code=RETURNED_UNIT).first()
    if returned is not None:
        Notification.objects.bulk_create(
            Notification(
                user=u,
                message=f"Sở Nội vụ đã trả lại báo cáo {q1.label} của đơn vị. Lý do: {RETURN_REASON}",
                url=f"/reports/{returned.pk}/",
            )
            for u in User.objects.filter(unit_id=returned.unit_id, role__in=[Role.OFFICER, Role.HEAD])
        )
        authcache.bump(User.objects.filter(unit_id=returned.unit_id).values_list("pk", flat=True))
    summary = {"results": len(results), "reports": made, "periods": [q1.code, h1.code]}
    record("reports.load_demo", plan, actor=None, **summary)
    return summary


def _plan_outcomes(rng, units, period, *, force, missing, share_missing, share_pending) -> dict[int, str]:
    """unit id -> accepted | accepted_late | accepted_after_return | pending | returned | draft | missing."""
    out = {}
    for unit_id, unit in units.items():
        if unit.code in force:
            out[unit_id] = force[unit.code]
            continue
        if unit_id in missing:
            out[unit_id] = "missing"
            continue
        roll = rng.random()
        if roll < share_missing:
            out[unit_id] = "missing" if roll < share_missing / 2 else "draft"
        elif roll < share_missing + share_pending:
            out[unit_id] = "pending"
        elif roll < share_missing + share_pending + 0.12:
            out[unit_id] = "accepted_late"
        elif roll < share_missing + share_pending + 0.15:
            out[unit_id] = "accepted_after_return"
        else:
            out[unit_id] = "accepted"
    return out


def _make_reports(rng, plan, period, units, outcomes, coordinator) -> int:
    reports, pending_versions = [], []
    signers = default_signers(units.values())
    for unit_id, outcome in outcomes.items():
        if outcome == "missing":
            continue
        unit = units[unit_id]
        texts = {
            "results_text": f"{rng.choice(RESULTS_TEXT)}",
            "shortcomings_text": rng.choice(SHORTCOMINGS_TEXT),
            "proposals_text": rng.choice(PROPOSALS_TEXT),
        }
        report = Report(period=period, unit=unit, **texts, **signers[unit_id])
        if outcome == "draft":
            reports.append(report)
            continue
        late = outcome == "accepted_late"
        first = (
            period.due_on + dt.timedelta(days=rng.randint(1, 9))
            if late
            else period.due_on - dt.timedelta(days=rng.randint(0, 6))
        )
        report.first_submitted_on = first
        report.signer_name = report.signer_name or rng.choice(SIGNERS)
        steps = [(first, ReportOutcome.RETURNED if outcome in ("returned", "accepted_after_return") else None)]
        if outcome == "accepted_after_return":
            steps.append((first + dt.timedelta(days=4), None))
        final = {"returned": ReportStatus.RETURNED, "pending": ReportStatus.SUBMITTED}.get(
            outcome, ReportStatus.ACCEPTED
        )
        report.status = final
        report.submission_count = len(steps)
        report.submitted_at = _aware(steps[-1][0], 9)
        if final != ReportStatus.SUBMITTED:
            report.reviewed_at = _aware(steps[-1][0] + dt.timedelta(days=1), 14)
            report.reviewed_by = coordinator
        if final == ReportStatus.RETURNED:
            report.return_reason = RETURN_REASON
        reports.append(report)
        pending_versions.append((report, steps, outcome))
    Report.objects.bulk_create(reports, batch_size=500)

    versions = []
    figures_by_unit = figures_for_units(plan, [r.unit_id for r, _s, _o in pending_versions], period.start, period.end)
    for report, steps, outcome in pending_versions:
        figures, items = figures_by_unit[report.unit_id]
        for number, (day, step_outcome) in enumerate(steps, start=1):
            last = number == len(steps)
            if step_outcome == ReportOutcome.RETURNED:
                reason = RETURN_REASON if outcome == "returned" else "Đề nghị bổ sung số người được tuyên truyền."
                result = (ReportOutcome.RETURNED, reason)
            elif last and report.status == ReportStatus.ACCEPTED:
                result = (ReportOutcome.ACCEPTED, "")
            else:
                result = ("", "")
            versions.append(
                ReportVersion(
                    report=report,
                    number=number,
                    figures=figures,
                    items=items,
                    narratives=report.narratives(),
                    signer={
                        "authority": report.signer_authority,
                        "title": report.signer_title,
                        "name": report.signer_name,
                        "doc_number": "",
                    },
                    submitted_at=_aware(day, 9),
                    submitted_by_label="(dữ liệu mẫu)",
                    outcome=result[0],
                    outcome_reason=result[1],
                    reviewed_at=_aware(day + dt.timedelta(days=1), 14) if result[0] else None,
                    reviewed_by=coordinator if result[0] else None,
                )
            )
    ReportVersion.objects.bulk_create(versions, batch_size=200)
    latest = {}
    for version in versions:
        latest[version.report_id] = version
    for report, _steps, _outcome in pending_versions:
        report.current_version = latest[report.pk]
    Report.objects.bulk_update([r for r, _s, _o in pending_versions], ["current_version"], batch_size=500)
    return len(reports)
