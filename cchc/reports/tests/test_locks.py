import datetime as dt

import pytest

from cchc.execution.models import Result
from cchc.reports import actions
from cchc.reports.locks import is_result_locked, result_lock_reason, with_lock_flag
from cchc.reports.tests.helpers import make_result, q1, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(demo_plan):
    return q1(demo_plan)


def test_results_lock_when_the_report_is_submitted_and_open_when_it_is_returned(demo_plan, period, personas):
    unit = personas.units.commune_a
    inside = make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 3, 14))
    after = make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 3, 15))
    before = make_result(unit, plan=demo_plan, occurred_on=dt.date(2023, 12, 14))
    neighbour = make_result(personas.units.commune_b, plan=demo_plan)
    report = actions.do_start_report(period, unit, actor=personas.officer_a)
    assert not is_result_locked(inside)  # a draft locks nothing

    report = submitted(period, unit, personas.head_a)
    assert is_result_locked(inside)
    assert "Quý I năm 2024" in result_lock_reason(inside)
    assert not is_result_locked(after) and not is_result_locked(before) and not is_result_locked(neighbour)
    assert is_result_locked(inside, for_update=True)

    report = actions.do_return_report(report, "Bổ sung kết quả tháng 3.", actor=personas.coordinator)
    assert not is_result_locked(inside)
    report = actions.do_submit_report(report, actor=personas.head_a)
    actions.do_accept_report(report, actor=personas.coordinator)
    assert is_result_locked(inside)


def test_moving_a_result_out_of_a_locked_window_is_refused_too(demo_plan, period, personas):
    unit = personas.units.commune_a
    result = make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 2, 1))
    submitted(period, unit, personas.head_a)
    result.occurred_on = dt.date(2024, 4, 1)  # edited in memory, not yet saved
    assert is_result_locked(result)
    fresh = Result(unit=unit, occurred_on=dt.date(2024, 2, 2), kind="other", title="Mới")
    assert is_result_locked(fresh)  # creating a result inside a submitted window is a change as well


def test_result_lists_get_the_flag_in_the_same_query(demo_plan, period, personas, django_assert_num_queries):
    unit = personas.units.commune_a
    make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 2, 1))
    make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 5, 1))
    submitted(period, unit, personas.head_a)
    with django_assert_num_queries(1):
        flags = dict(with_lock_flag(Result.objects.filter(unit=unit)).values_list("occurred_on", "is_locked"))
    assert flags == {dt.date(2024, 2, 1): True, dt.date(2024, 5, 1): False}


def test_the_execution_app_refuses_to_change_a_result_a_submitted_report_counts(demo_plan, period, personas):
    from cchc.execution.actions import ResultLocked, do_delete_result, do_update_result

    unit = personas.units.commune_a
    result = make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 2, 1))
    report = submitted(period, unit, personas.head_a)
    fresh = Result.objects.get(pk=result.pk)
    with pytest.raises(ResultLocked, match="báo cáo định kỳ"):
        do_update_result(fresh, {"title": "Sửa sau khi gửi"}, actor=personas.officer_a, expected_version=fresh.version)
    with pytest.raises(ResultLocked):
        do_delete_result(fresh, actor=personas.officer_a)
    listed = Result.objects.with_locks().get(pk=result.pk)
    assert listed.lock_reason is not None
    actions.do_return_report(report, "Trả lại để bổ sung.", actor=personas.coordinator)
    assert Result.objects.get(pk=result.pk).lock_reason is None


def test_the_execution_app_refuses_a_new_result_or_a_move_into_a_submitted_window(demo_plan, period, personas):
    from cchc.execution.actions import ResultLocked, do_record_result, do_update_result
    from cchc.testing import obligation_of

    unit = personas.units.commune_a
    outside = make_result(unit, plan=demo_plan, occurred_on=dt.date(2024, 5, 1))
    submitted(period, unit, personas.head_a)
    obligation = obligation_of(demo_plan, unit, "1")
    with pytest.raises(ResultLocked, match="đã được gửi"):
        do_record_result(
            {
                "obligation": obligation,
                "kind": "news_article",
                "title": "Bài viết muộn",
                "occurred_on": dt.date(2024, 2, 10),
                "quantity": 1,
            },
            actor=personas.officer_a,
        )
    fresh = Result.objects.get(pk=outside.pk)
    with pytest.raises(ResultLocked):
        do_update_result(
            fresh, {"occurred_on": dt.date(2024, 2, 10)}, actor=personas.officer_a, expected_version=fresh.version
        )
    # After the window, results are recorded as usual.
    later = do_record_result(
        {
            "obligation": obligation,
            "kind": "news_article",
            "title": "Bài tháng 5",
            "occurred_on": dt.date(2024, 5, 2),
            "quantity": 1,
        },
        actor=personas.officer_a,
    )
    assert later.pk
