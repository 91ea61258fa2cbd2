from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "cchc.dashboards"
    label = "dashboards"
    verbose_name = "Theo dõi tiến độ"
