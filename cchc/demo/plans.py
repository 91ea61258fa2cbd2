"""The demo's plans: Gia Lai's 2024 plan as the importer reads the seed document, and the 2026 draft.

The 2024 plan is the seed document itself (``plans/data/gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md``)
read by the same importer a coordinator's upload goes through, so the demo says word for word what
the document says. The 2026 plan is "start next year's plan" applied to it: a draft of the two-tier Gia
Lai, with the choices the copy could not make alone (Sở Thông tin và Truyền thông's work, split
between two departments; "các cơ sở đào tạo", a group with no unit) left for the coordinator.
"""

from __future__ import annotations

from pathlib import Path

from cchc.plans.actions import do_create_plan
from cchc.plans.importer import read_plan
from cchc.plans.models import Plan, PlanStatus
from cchc.plans.nextyear import do_copy_plan

SEED_FILE = Path(__file__).resolve().parents[1] / "plans" / "data" / "gia-lai-2024-ke-hoach-tuyen-truyen-cchc.md"
DRAFT_YEAR = 2026


def seed_document() -> dict:
    """The seed plan as the importer reads it (``cchc.plan/1``)."""
    return read_plan(SEED_FILE.read_bytes(), SEED_FILE.name).plan


def load_demo_plans(*, coordinator=None) -> tuple[Plan, Plan]:
    """The active 2024 plan and the 2026 draft copied from it (each made once)."""
    plan = Plan.objects.filter(year=2024, symbol="KH-UBND", copied_from__isnull=True).order_by("pk").first()
    if plan is None:
        plan = do_create_plan(seed_document(), status=PlanStatus.ACTIVE)
    draft = plan.copies.filter(year=DRAFT_YEAR).order_by("pk").first()
    if draft is None:
        draft, _report = do_copy_plan(plan, DRAFT_YEAR, actor=coordinator)
    return plan, draft
