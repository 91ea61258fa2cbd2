from django.contrib import admin
from django.urls import include, path

# 503 when the database is down, JSON for the APIs (cchc.lib.errors).
handler500 = "cchc.lib.errors.server_error"

urlpatterns = [
    path("", include("cchc.portal.urls")),
    path("accounts/", include("cchc.accounts.urls")),
    path("", include("cchc.plans.urls")),
    path("", include("cchc.execution.urls")),
    path("", include("cchc.orgs.urls")),
    path("", include("cchc.audit.urls")),
    path("", include("cchc.privacy.urls")),
    path("", include("cchc.procedures.urls")),
    path("", include("cchc.reports.urls")),
    path("", include("cchc.dashboards.urls")),
    path("", include("cchc.feedback.urls")),
    path("", include("cchc.api.urls")),
    path("", include("cchc.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
