from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("cchc.portal.urls")),
    path("accounts/", include("cchc.accounts.urls")),
    path("", include("cchc.plans.urls")),
    path("", include("cchc.orgs.urls")),
    path("", include("cchc.audit.urls")),
    path("", include("cchc.reports.urls")),
    path("admin/", admin.site.urls),
]
