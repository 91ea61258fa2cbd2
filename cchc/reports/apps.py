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
        # The life of a plan: agencies told of an activation or an amendment; closing waits for the year report.
        from cchc.plans.signals import plan_activated, plan_amended, plan_closing
        from cchc.reports import plan_notices

        plan_activated.connect(plan_notices.tell_activated, dispatch_uid="reports.plan_activated")
        plan_amended.connect(plan_notices.tell_amended, dispatch_uid="reports.plan_amended")
        plan_closing.connect(plan_notices.closing_refusal, dispatch_uid="reports.plan_closing")
        # A plan gets its reporting calendar and periods from the action that creates or changes it,
        # never from a page that reads it.
        from cchc.plans.hooks import register_plan_hook
        from cchc.reports.actions import do_ensure_periods

        register_plan_hook("reports.periods", do_ensure_periods)
        # The bell's count is kept with each user (cchc.accounts.authcache): a notice saved or deleted one by one
        # moves its user on (bulk_create and update() bump them where they are called).
        from django.db.models.signals import post_delete, post_save

        from cchc.reports.models import Notification

        post_save.connect(_notice_changed, sender=Notification, dispatch_uid="reports.notice_saved")
        post_delete.connect(_notice_changed, sender=Notification, dispatch_uid="reports.notice_deleted")


def _notice_changed(sender, instance, using="default", **kwargs):
    from cchc.accounts import authcache

    authcache.bump([instance.user_id], using)
