"""Log-ins and failed log-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from cchc.audit.actions import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("accounts.login", user, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept (to spot guessing), never the password.
    record("accounts.login_failed", None, username=str(credentials.get("username", ""))[:150])
