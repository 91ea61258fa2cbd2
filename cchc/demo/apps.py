from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province. Sits above every other app: it may import them all, none imports it."""

    name = "cchc.demo"
    verbose_name = _("Dữ liệu mẫu")
