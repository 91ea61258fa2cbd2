import pytest
from django.core.management import call_command

from cchc.accounts.models import User
from cchc.execution.models import Deliverable
from cchc.plans.models import Plan


@pytest.mark.django_db
def test_it_loads_the_demo_province_once(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "cchc-demo" in out and "commune-officer" in out
    plan = Plan.objects.get(year=2024)
    assert plan.activities.count() == 9
    # Activity 5: the monthly TV column, twelve deliverables for Sở Nội vụ.
    tv = Deliverable.objects.filter(obligation__activity__plan=plan, obligation__activity__number="5")
    assert tv.count() == 12 and set(tv.values_list("obligation__unit__code", flat=True)) == {"so-noi-vu"}
    users = set(User.objects.values_list("username", flat=True))
    assert users >= {"admin", "coordinator", "observer", "desk", "officer", "head", "commune-officer", "officer-khcn"}
    assert User.objects.get(username="commune-officer").unit.kind == "commune_committee"
    assert User.objects.get(username="coordinator").check_password("cchc-demo")
    call_command("load_demo", "--if-empty")
    assert Plan.objects.count() == 2
