import datetime as dt

import pytest

from cchc.feedback import actions
from cchc.feedback.stats import satisfaction_averages
from cchc.feedback.tests.factory import make_published

pytestmark = pytest.mark.django_db


def rate(unit, day, overall, **scores):
    rating = actions.do_rate_service(unit, {"overall": overall, "comment": "", **scores})
    rating.rated_on = day
    rating.save(update_fields=["rated_on"])
    return rating


class TestSatisfactionAverages:
    def test_averages_by_agency_ignore_unrated_criteria(self, personas):
        a, b = personas.units.commune_a, personas.units.commune_b
        rate(a, dt.date(2025, 1, 10), 5, access=5, officials=4)
        rate(a, dt.date(2025, 2, 10), 2, access=3)
        rate(b, dt.date(2025, 1, 15), 4, result=4)
        rate(b, dt.date(2024, 12, 31), 1)  # outside the period
        rows = {r.unit_code: r for r in satisfaction_averages(dt.date(2025, 1, 1), dt.date(2025, 3, 31))}
        assert (rows["xa-1"].count, rows["xa-1"].overall) == (2, 3.5)
        assert rows["xa-1"].criteria["access"] == 4.0 and rows["xa-1"].criteria["officials"] == 4.0
        assert rows["xa-1"].criteria["procedure"] is None
        assert (rows["xa-2"].count, rows["xa-2"].overall, rows["xa-2"].criteria["result"]) == (1, 4.0, 4.0)

    def test_by_month_and_by_source_and_for_some_agencies(self, personas):
        a = personas.units.commune_a
        rate(a, dt.date(2025, 1, 10), 5)
        rate(a, dt.date(2025, 1, 20), 3)
        rate(a, dt.date(2025, 2, 10), 4)
        feedback = make_published(personas)
        actions.do_rate_feedback(feedback, {"overall": 2, "feedback_handling": 2, "comment": ""})
        months = satisfaction_averages(dt.date(2025, 1, 1), dt.date(2025, 2, 28), units=[a.pk], period="month")
        assert [(r.period_start, r.count, r.overall) for r in months] == [
            (dt.date(2025, 1, 1), 2, 4.0),
            (dt.date(2025, 2, 1), 1, 4.0),
        ]
        today = dt.date.today()
        after_feedback = satisfaction_averages(today, today, source="feedback")
        assert [(r.unit_code, r.criteria["feedback_handling"]) for r in after_feedback] == [("so-tttt", 2.0)]
        quarters = satisfaction_averages(dt.date(2025, 1, 1), dt.date(2025, 12, 31), period="quarter")
        assert [(r.period_start, r.count) for r in quarters] == [(dt.date(2025, 1, 1), 3)]
        with pytest.raises(ValueError):
            satisfaction_averages(today, today, period="week")

    def test_it_is_one_query(self, personas, django_assert_num_queries):
        for day in range(1, 20):
            rate(personas.units.commune_a, dt.date(2025, 3, day), 4)
        with django_assert_num_queries(1):
            satisfaction_averages(dt.date(2025, 1, 1), dt.date(2025, 12, 31), period="month")
