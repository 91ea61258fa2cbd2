from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cchc.plans.models import Plan, PlanStatus


def home(request: HttpRequest) -> HttpResponse:
    plans = (Plan.objects.filter(status=PlanStatus.ACTIVE)
             .annotate(activity_count=Count("activities", distinct=True)).order_by("-year")[:5])
    return render(request, "portal/home.html", {"plans": plans})
