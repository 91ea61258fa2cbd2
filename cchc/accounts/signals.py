"""Log-ins, failed log-ins and lock-outs go to the audit log."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from cchc.accounts import actions
from cchc.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    actions.do_note_login(user)
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at log-in (cchc.accounts.middleware.IdleTimeoutMiddleware).
        request.session[LAST_SEEN_KEY] = request.session[STARTED_KEY] = time.time()


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        actions.do_note_logout(user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    actions.do_note_failed_login(credentials.get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    actions.do_note_lock_out(username)
