import json
from pathlib import Path

import pytest

from cchc.plans.actions import do_create_plan
from cchc.plans.models import PlanStatus

GIA_LAI_2024 = Path(__file__).resolve().parents[2] / "plans" / "data" / "gia-lai-2024.plan.json"


@pytest.fixture
def gia_lai_plan(personas):
    """Gia Lai's real 2024 plan, resolved against the small test province (Sở Nội vụ, the broadcaster, communes)."""
    return do_create_plan(json.loads(GIA_LAI_2024.read_text(encoding="utf-8")), status=PlanStatus.ACTIVE)


@pytest.fixture
def result_lock():
    """Register a lock rule for the test (the reports app registers the real one) and remove it after."""
    from django.db.models import Q

    from cchc.execution.locks import register_result_lock, unregister_result_lock

    register_result_lock("test", lambda: Q(title__startswith="[BC]"), "Kết quả đã nằm trong báo cáo đã gửi.")
    yield
    unregister_result_lock("test")
