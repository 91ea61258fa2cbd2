from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        from cchc.feedback import checks  # noqa: F401 - registers the deployment check
