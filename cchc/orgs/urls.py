from django.urls import path

from cchc.orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="list"),
    # Not under units/: "units/search/" would hide a unit coded "search". The unit picker asks here.
    path("unit-search/", views.unit_search, name="search"),
    path("units/<slug:code>/", views.unit_detail, name="detail"),
]
