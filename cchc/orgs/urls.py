from django.urls import path

from cchc.orgs import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.unit_list, name="list"),
    path("units/<slug:code>/", views.unit_detail, name="detail"),
]
