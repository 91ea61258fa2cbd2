"""Account policies enforced on every request: idle time-out, second factor, administrator password age."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from cchc.accounts import authcache
from cchc.accounts.actions import do_end_session

LAST_SEEN_KEY = "cchc_last_seen"
# When the user logged in: a session ends SESSION_COOKIE_AGE (8 hours) after it, however active it is.
STARTED_KEY = "cchc_started"
# Writing the session on every request costs a database write; a minute's precision is enough.
LAST_SEEN_PRECISION = 60


def _redirect(request, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    # The idle time-out runs before django-htmx's middleware has set request.htmx: read the header itself.
    htmx = request.headers.get("HX-Request") == "true"
    if request.method == "GET" and not htmx:
        url += "?" + urlencode({"next": request.get_full_path()})
    if htmx:
        # htmx would swap the target page into a fragment; tell it to load the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Log out a signed-in user after IDLE_TIMEOUT_SECONDS (15 minutes) without a request, and in any case
    SESSION_COOKIE_AGE (8 hours) after logging in: Django's own expiry slides with every saved request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(STARTED_KEY, now)
            if now - started > settings.SESSION_COOKIE_AGE:
                do_end_session(request, "accounts.session_expired", hours=round((now - started) / 3600, 1))
                messages.info(
                    request,
                    _("Phiên làm việc đã quá %(n)d giờ nên đã kết thúc. Hãy đăng nhập lại.")
                    % {"n": settings.SESSION_COOKIE_AGE // 3600},
                )
                return _redirect(request, settings.LOGIN_URL)
            last = request.session.get(LAST_SEEN_KEY)
            if last is not None and now - last > settings.IDLE_TIMEOUT_SECONDS:
                do_end_session(request, "accounts.idle_timeout", idle_seconds=int(now - last))
                messages.info(
                    request,
                    _("Bạn đã không thao tác quá %(n)d phút nên phiên làm việc đã kết thúc. Hãy đăng nhập lại.")
                    % {"n": settings.IDLE_TIMEOUT_SECONDS // 60},
                )
                return _redirect(request, settings.LOGIN_URL)
            if last is None or now - last >= LAST_SEEN_PRECISION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


# Pages a signed-in user may reach before finishing the second factor or renewing an expired password.
MFA_EXEMPT = {"accounts:logout", "accounts:mfa_setup", "accounts:mfa_verify", "accounts:login"}
PASSWORD_EXEMPT = MFA_EXEMPT | {"accounts:password_change"}


class AccountPolicyMiddleware:
    """Second factor first (verify it if the account has one, set it up if the role requires one), then
    a temporary password an administrator set, then the administrator's password age. Until done, every other
    page sends the user there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Before the view, once Django has resolved the URL (a path it cannot resolve answers 404 as for
        anybody): the view's name decides which pages stay open."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        name = request.resolver_match.view_name
        if settings.MFA_ENFORCED and name not in MFA_EXEMPT and not user.is_verified():
            # Kept with the user (cchc.accounts.authcache) until one of their devices changes: not a query on every
            # request of a user without a second factor.
            if authcache.fact(user, "has_device", lambda: user_has_device(user)):
                return _redirect(request, "accounts:mfa_verify")
            if user.requires_mfa:
                return _redirect(request, "accounts:mfa_setup")
        if name not in PASSWORD_EXEMPT and user.must_change_password:
            messages.warning(
                request,
                _(
                    "Bạn đang dùng mật khẩu tạm do quản trị hệ thống cấp. Hãy đặt mật khẩu của riêng bạn để "
                    "tiếp tục làm việc."
                ),
            )
            return _redirect(request, "accounts:password_change")
        if name not in PASSWORD_EXEMPT and user.password_expired():
            messages.warning(
                request,
                _("Mật khẩu quản trị đã dùng quá %(n)d ngày. Hãy đặt mật khẩu mới để tiếp tục.")
                % {"n": settings.ADMIN_PASSWORD_MAX_AGE_DAYS},
            )
            return _redirect(request, "accounts:password_change")
        return None


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware (``request.user.otp_device``, ``is_verified()``), with the device that passed the
    second factor read from the user's entry in the shared cache (cchc.accounts.authcache) when it is there."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            device = None
            if persistent_id:
                device = authcache.device(user, persistent_id, lambda: self._device_from_persistent_id(persistent_id))
            user.otp_device = self._finalize_device(request, user, device)
        return user
