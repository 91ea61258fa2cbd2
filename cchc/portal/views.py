from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.lib.pagecache import public_page_cache
from cchc.plans.models import Plan, PlanStatus


@public_page_cache(60)  # the same page for every visitor not signed in (issue 8 benchmarks)
def home(request: HttpRequest) -> HttpResponse:
    plans = (Plan.objects.filter(status=PlanStatus.ACTIVE)
             .annotate(activity_count=Count("activities", distinct=True)).order_by("-year")[:5])
    return render(request, "portal/home.html", {"plans": plans})
