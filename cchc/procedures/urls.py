from django.urls import path

from cchc.procedures import views

app_name = "procedures"
urlpatterns = [
    path("procedures/", views.search, name="search"),
    path("procedures/<str:code>/", views.detail, name="detail"),
]
