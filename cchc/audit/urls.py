from django.urls import path

from cchc.audit import views

app_name = "audit"
urlpatterns = [
    path("audit/", views.audit_list, name="list"),
    path("audit/export/", views.audit_export, name="export"),
]
