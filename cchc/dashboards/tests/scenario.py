"""A small province with known results, deliverables and reports, and the figures worked out by hand.

The plan is ``cchc.testing.plan_document``: activity 1 "Công khai TTHC" (Sở TT&TT and every commune implement;
no recurrence), activity 2 "Chuyên mục CCHC trên Đài" (Sở Nội vụ leads, the radio-TV station coordinates; one
programme a month, so Sở Nội vụ owes twelve monthly deliverables, due on the last day of each month), activity 3
names an agency the registry does not know (no obligation).

Quarter I of 2024 counts data from 15/12/2023 to 14/03/2024; reports were due on Friday 15/03/2024. The
dashboards are looked at on 20/03/2024 unless a test says otherwise.

Results (date, unit, activity, kind, quantity, cost, reach, funding source, public):

    r1  05/01  xã Ia Kha   1  news       2   1.000.000    200  —               public   (+ an evidence file)
    r2  10/02  xã Ia Kha   1  poster     5   2.500.000     —   Ngân sách xã    private
    r3  14/03  xã Ia Kha   1  news       1           0     50  —               public
    r4  15/03  xã Ia Kha   1  news       1     700.000     10  —               public   (after quarter I's window)
    t1  20/12  Sở TT&TT    1  news       1     300.000    100  Ngân sách tỉnh  public   (2023, inside the window)
    n1  20/01  Sở Nội vụ   2  broadcast  1   5.000.000  1.000  Ngân sách tỉnh  public   (meets January's programme)
    n2  05/03  Sở Nội vụ   2  broadcast  1   5.000.000    800  Ngân sách tỉnh  private  (meets February's, late)
    d1  01/02  Đài PT-TH   2  broadcast  1           0  5.000  —               public

Reports for quarter I: xã Ia Kha sent on 15/03 (on time) and was accepted; Sở TT&TT sent on 18/03 (late, 3 days)
and waits for review; Sở Nội vụ sent on 01/03 and had it returned; xã Ia Ly started a draft (missing); the
station has none (missing).

Worked out by hand for quarter I, as of 20/03/2024, every agency:

- expected 5; on time 1, late 1, returned 1, missing 2, not due 0; submitted 2/5; accepted 1; awaiting review 1;
- activity 1: 3 obligations, 2 with results; results 4 (r1, r2, r3, t1); news 3, poster 1; cost 3.800.000;
  reach 350; no deliverable;
- activity 2: 2 obligations, 2 with results; results 3 (n1, n2, d1); cost 10.000.000; reach 6.800; deliverables
  due 2 (January, February): met on time 1, met late 1, missed 0 → "2/2";
- totals: results 7, cost 13.800.000, reach 7.150, deliverables 2/2, obligations 5 of which 4 with results;
- by group: provincial agencies 3 (late 1, returned 1, missing 1), communes 2 (on time 1, missing 1);
- spending by source: Ngân sách tỉnh 3 results 10.300.000; Ngân sách xã 1 result 2.500.000; none given 3
  results 1.000.000.

Six months (15/12/2023 – 14/06/2024) as of 05/04/2024: Sở Nội vụ's deliverables due January to May: January met
on time, February met late, March missed, April and May not yet due → "2/5".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile

from cchc.execution.actions import do_generate_deliverables
from cchc.execution.models import Deliverable, Evidence, ResultKind
from cchc.reports.actions import do_return_report, do_start_report
from cchc.reports.tests.helpers import make_head, q1, submitted
from cchc.testing import make_result, obligation_of

DAY = dt.date(2024, 3, 20)


def build(personas, plan) -> SimpleNamespace:
    u = personas.units
    do_generate_deliverables(plan)
    period = q1(plan)
    a1_xa1, a1_tttt = obligation_of(plan, u.commune_a, "1"), obligation_of(plan, u.tttt, "1")
    a2_nv, a2_dai = obligation_of(plan, u.noi_vu, "2"), obligation_of(plan, u.dai, "2")
    months = {d.slot: d for d in Deliverable.objects.filter(obligation=a2_nv)}

    def result(obligation, day, kind, quantity, cost, reach, source="", public=False, **extra):
        return make_result(
            obligation,
            occurred_on=day,
            kind=kind,
            quantity=Decimal(quantity),
            cost=Decimal(cost),
            reach=reach,
            funding_source=source,
            is_public=public,
            **extra,
        )

    news, poster, broadcast = ResultKind.NEWS_ARTICLE, ResultKind.POSTER, ResultKind.BROADCAST
    r = SimpleNamespace(
        r1=result(
            a1_xa1, dt.date(2024, 1, 5), news, 2, 1_000_000, 200, public=True, title="Tin công khai TTHC tháng 1"
        ),
        r2=result(
            a1_xa1, dt.date(2024, 2, 10), poster, 5, 2_500_000, None, "Ngân sách xã", title="Pa nô tại trụ sở xã"
        ),
        r3=result(a1_xa1, dt.date(2024, 3, 14), news, 1, 0, 50, public=True, title="Tin công khai TTHC tháng 3"),
        r4=result(a1_xa1, dt.date(2024, 3, 15), news, 1, 700_000, 10, public=True, title="Tin sau kỳ quý I"),
        t1=result(
            a1_tttt,
            dt.date(2023, 12, 20),
            news,
            1,
            300_000,
            100,
            "Ngân sách tỉnh",
            public=True,
            title="Bài viết về TTHC trực tuyến",
        ),
        n1=result(
            a2_nv,
            dt.date(2024, 1, 20),
            broadcast,
            1,
            5_000_000,
            1000,
            "Ngân sách tỉnh",
            public=True,
            deliverable=months["2024-M01"],
            title="Chuyên mục CCHC tháng 1",
        ),
        n2=result(
            a2_nv,
            dt.date(2024, 3, 5),
            broadcast,
            1,
            5_000_000,
            800,
            "Ngân sách tỉnh",
            deliverable=months["2024-M02"],
            title="Chuyên mục CCHC tháng 2",
        ),
        d1=result(a2_dai, dt.date(2024, 2, 1), broadcast, 1, 0, 5000, public=True, title="Phát lại chuyên mục"),
    )
    evidence = Evidence(
        result=r.r1, original_name="bien-ban-nghiem-thu-ky-ten.pdf", content_type="application/pdf", size=9
    )
    evidence.file.save("evidence-r1.pdf", ContentFile(b"%PDF-1.4\n"), save=True)

    head_tttt, head_nv = make_head(u.tttt, "head-tttt"), make_head(u.noi_vu, "head-noi-vu")
    reports = SimpleNamespace(
        xa1=submitted(period, u.commune_a, personas.head_a, day=dt.date(2024, 3, 15)),
        tttt=submitted(period, u.tttt, head_tttt, day=dt.date(2024, 3, 18)),
        noi_vu=submitted(period, u.noi_vu, head_nv, day=dt.date(2024, 3, 1)),
    )
    from cchc.reports.actions import do_accept_report

    reports.xa1 = do_accept_report(reports.xa1, actor=personas.coordinator)
    reports.noi_vu = do_return_report(reports.noi_vu, "Thiếu số liệu chuyên mục tháng 2.", actor=personas.coordinator)
    reports.xa2 = do_start_report(period, u.commune_b, actor=personas.officer_b)
    return SimpleNamespace(
        plan=plan,
        period=period,
        results=r,
        reports=reports,
        months=months,
        evidence=evidence,
        heads=SimpleNamespace(tttt=head_tttt, noi_vu=head_nv),
        units=u,
    )
