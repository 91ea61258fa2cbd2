from django.urls import path

from cchc.privacy import views

app_name = "privacy"
urlpatterns = [
    path("quyen-rieng-tu/", views.policy, name="policy"),
    path("privacy/requests/", views.request_list, name="requests"),
    path("privacy/requests/new/", views.request_new, name="request_new"),
    path("privacy/requests/<str:code>/", views.request_detail, name="request_detail"),
    path("privacy/incidents/", views.incident_list, name="incidents"),
    path("privacy/incidents/report/", views.incident_report, name="incident_report"),
    path("privacy/incidents/<str:code>/", views.incident_detail, name="incident_detail"),
]
