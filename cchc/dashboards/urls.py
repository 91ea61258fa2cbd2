from django.urls import path

from cchc.dashboards import views

app_name = "dashboards"

_period = "dashboards/plans/<int:plan>/<str:code>/"
urlpatterns = [
    # Where everyone lands after logging in: their own work (LOGIN_REDIRECT_URL).
    path("home/", views.home, name="home"),
    path("dashboards/", views.index, name="index"),
    path("dashboards/plans/<int:plan>/", views.plan_home, name="plan"),
    path("dashboards/plans/<int:plan>/unit-plans/", views.subplans, name="subplans"),
    path("dashboards/plans/<int:plan>/unit-plans/remind/", views.subplans_remind, name="subplans_remind"),
    path(_period, views.overview, name="overview"),
    path(_period + "agencies/", views.agencies, name="agencies"),
    path(_period + "agencies/<slug:unit>/", views.agency, name="agency"),
    path(_period + "activities/<str:number>/", views.activity, name="activity"),
    path(_period + "activities/<str:number>/remind/", views.activity_remind, name="activity_remind"),
    path(_period + "grid/", views.grid, name="grid"),
    path(_period + "spending/", views.spending, name="spending"),
    path(_period + "results/", views.results, name="results"),
    path(_period + "deliverables/", views.deliverables, name="deliverables"),
    path(_period + "summary/", views.summary, name="summary"),
    path(_period + "summary.pdf", views.summary_pdf, name="summary_pdf"),
    # Public: the plan by its year and number-symbol, never by a database id.
    path("tien-do/", views.public_index, name="public_index"),
    path("tien-do/<int:year>/<slug:code>/", views.public_plan, name="public_plan"),
    path("tien-do/<int:year>/<slug:code>/hoat-dong/<str:number>/", views.public_activity, name="public_activity"),
]
