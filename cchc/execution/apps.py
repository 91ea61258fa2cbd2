from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExecutionConfig(AppConfig):
    name = "cchc.execution"
    verbose_name = _("Thực hiện")
