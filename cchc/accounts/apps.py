from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cchc.accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from cchc.accounts import signals  # noqa: F401
