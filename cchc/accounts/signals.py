"""Log-ins, failed log-ins and lock-outs go to the audit log; changes to a user, their unit or their devices
move the user's cached entry on (cchc.accounts.authcache)."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_otp.models import Device

from cchc.accounts import actions, authcache
from cchc.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from cchc.accounts.models import User
from cchc.orgs.models import Unit


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


# --- The cached user of each request (cchc.accounts.authcache): every change to what it holds moves it on. ---


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _user_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    authcache.bump([instance.pk], using)


@receiver(post_save)
@receiver(post_delete)
def _device_or_unit_changed(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if isinstance(instance, Device):
        authcache.bump([instance.user_id], using)
    elif isinstance(instance, Unit) and authcache.in_use():
        authcache.bump(User.objects.using(using).filter(unit_id=instance.pk).values_list("pk", flat=True), using)


@receiver(m2m_changed, sender=User.groups.through)
@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_groups_changed(sender, instance, action, reverse, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        authcache.bump([instance.pk], using)
    elif pk_set:
        authcache.bump(pk_set, using)
    else:  # a group or permission cleared of all its users
        authcache.bump(User.objects.using(using).values_list("pk", flat=True), using)
