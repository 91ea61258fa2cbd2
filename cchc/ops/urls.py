from django.urls import path

from cchc.ops import views

app_name = "ops"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("ops/storage-check/", views.storage_check, name="storage_check"),
    path("ops/storage-check/<str:name>", views.storage_check_file, name="storage_check_file"),
]
