from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from cchc.feedback import checks  # noqa: F401 - registers the deployment check
        from cchc.feedback.actions import do_anonymise_senders
        from cchc.privacy.retention import register

        register(
            "feedback.senders",
            _("Thông tin người gửi phản ánh, kiến nghị"),
            months=settings.FEEDBACK_RETENTION_MONTHS,
            anonymise=do_anonymise_senders,
        )
