"""Log-ins, failed log-ins and lock-outs go to the audit log."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from cchc.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from cchc.audit.actions import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("accounts.login", user, actor=user)
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at log-in (cchc.accounts.middleware.IdleTimeoutMiddleware).
        request.session[LAST_SEEN_KEY] = request.session[STARTED_KEY] = time.time()


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("accounts.logout", user, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username tried is kept (to spot guessing), never the password.
    record("accounts.login_failed", None, username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes refused further log-ins (AXES_FAILURE_LIMIT failures): the security officer must see it."""
    record("accounts.locked_out", None, username=str(username or "")[:150])
