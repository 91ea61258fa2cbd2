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
        # A new result, or a result moved by its date, may not land in a window a submitted report covers.
        from cchc.execution.locks import register_save_check
        from cchc.reports.locks import result_lock_reason

        register_save_check("reports", lambda result: result_lock_reason(result, for_update=True))
