from django.urls import path, register_converter

from cchc.reports import views


class PeriodCodeConverter:
    regex = r"\d{4}-(?:Q[1-4]|H1|Y|M(?:0[1-9]|1[0-2]))"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PeriodCodeConverter, "period")

app_name = "reports"
urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/plans/<int:plan>/calendar/", views.calendar, name="calendar"),
    path("reports/plans/<int:plan>/<period:code>/", views.period_reports, name="period"),
    path("reports/plans/<int:plan>/<period:code>/start/", views.start_report, name="start"),
    path("reports/plans/<int:plan>/<period:code>/completeness/", views.completeness_page, name="completeness"),
    path("reports/plans/<int:plan>/<period:code>/province/", views.province_report, name="province"),
    path("reports/plans/<int:plan>/<period:code>/province/save/", views.province_save, name="province_save"),
    path("reports/plans/<int:plan>/<period:code>/province/issue/", views.province_issue, name="province_issue"),
    path(
        "reports/plans/<int:plan>/<period:code>/province/export.<str:fmt>",
        views.province_export,
        name="province_export",
    ),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/save/", views.report_save, name="save"),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
    path("reports/<int:pk>/review/", views.report_review, name="review"),
    path("reports/<int:pk>/versions/<int:number>/", views.report_version, name="version"),
    path("reports/<int:pk>/export.<str:fmt>", views.report_export, name="export"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
