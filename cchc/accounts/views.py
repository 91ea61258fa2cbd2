"""Account security pages: the second factor (set up, verify, remove) and the password change."""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.actions import do_enable_mfa, do_note_mfa_attempt, do_remove_mfa, new_totp_key, totp_matches
from cchc.accounts.forms import TokenForm

SETUP_KEY = "cchc_mfa_setup_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG markup: drawn by the page itself, nothing fetched from elsewhere."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@login_required
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_mfa": user_has_device(user),
            "requires_mfa": user.requires_mfa,
            "password_changed_at": user.password_changed_at,
        },
    )


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret as a QR code; enable it once the user types a code their app made from it.

    Nothing is stored until then (a GET changes nothing but the session): the secret waits in the session.
    """
    user = request.user
    if user_has_device(user) and not user.is_verified():
        # Replacing a factor needs the current one first.
        return redirect(f"{reverse('accounts:mfa_verify')}?next={reverse('accounts:mfa_setup')}")
    key = request.session.get(SETUP_KEY)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and key and form.is_valid():
        step = totp_matches(key, form.cleaned_data["token"])
        if step is not None:
            device = do_enable_mfa(user, key, last_step=step, actor=user)
            request.session.pop(SETUP_KEY, None)
            request.session.cycle_key()
            otp_login(request, device)
            messages.success(
                request, _("Đã bật xác thực hai lớp. Từ nay mỗi lần đăng nhập, hãy nhập mã trong ứng dụng xác thực.")
            )
            return redirect(_next_url(request))
        do_note_mfa_attempt(user, verified=False, step="setup")
        form.add_error("token", _("Mã không đúng. Hãy kiểm tra giờ trên điện thoại đã đúng chưa rồi nhập mã mới nhất."))
    if not key:
        key = new_totp_key()
        request.session[SETUP_KEY] = key
    preview = TOTPDevice(user=user, key=key, name="Ứng dụng xác thực")
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(preview.config_url),
            "secret": base64.b32encode(bytes.fromhex(key)).decode("ascii"),
            "next": _next_url(request),
            "required": user.requires_mfa,
        },
    )


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    devices = list(devices_for_user(user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:mfa_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            allowed, _why = device.verify_is_allowed()
            if not allowed:
                form.add_error("token", _("Nhập sai nhiều lần. Hãy chờ một lát rồi thử lại."))
                break
            if device.verify_token(form.cleaned_data["token"]):
                request.session.cycle_key()
                otp_login(request, device)
                do_note_mfa_attempt(user, verified=True)
                return redirect(_next_url(request))
        else:
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."))
        do_note_mfa_attempt(user, verified=False)
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
@login_required
def mfa_remove(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.requires_mfa:
        messages.error(
            request,
            _(
                "Vai trò của bạn bắt buộc dùng xác thực hai lớp; không thể tắt. Muốn đổi điện "
                "thoại, hãy chọn “Thiết lập lại”."
            ),
        )
        return redirect("accounts:security")
    do_remove_mfa(user, actor=user)
    messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
