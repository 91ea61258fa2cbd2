from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    verbose_name = _("Báo cáo")

    def ready(self):
        # Results counted by a submitted report are frozen; the execution app asks its lock registry.
        from cchc.execution.locks import register_result_lock
        from cchc.reports.locks import LOCK_MESSAGE, locked_by_report

        register_result_lock("reports", locked_by_report, LOCK_MESSAGE)
