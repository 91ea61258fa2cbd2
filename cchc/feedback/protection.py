"""The refusals shared by the form, the JSON API and Open311: one rate-limit bucket per client address, so the
API is no way around the form's limit; and the Vietnamese message that says what to do."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.lib import ratelimit
from cchc.lib.request_context import client_ip


def api_client(request):
    """The active ``ApiClient`` whose key the request carries (Open311's ``api_key`` parameter, or the
    ``X-Api-Key`` header of the JSON API), or None."""
    from cchc.feedback.actions import api_key_digest
    from cchc.feedback.models import ApiClient

    key = request.headers.get("X-Api-Key") or request.POST.get("api_key") or request.GET.get("api_key") or ""
    if not key or len(key) > 200:
        return None
    return ApiClient.objects.filter(key_hash=api_key_digest(key), is_active=True).first()


def submission_allowed(request) -> ratelimit.RateDecision:
    """Count one submission attempt: in the bucket of the application whose key the request carries, with that
    application's limit; otherwise from the request's address (an IPv6 /64; web form, JSON API and Open311
    together)."""
    client = api_client(request)
    if client is not None:
        return ratelimit.hit("feedback.submit", f"client:{client.pk}", client.rate)
    return ratelimit.hit("feedback.submit", client_ip(request) or "unknown", settings.FEEDBACK_RATE_LIMIT)


def from_another_site(request) -> bool:
    """A browser sending this request on behalf of another web site (a hidden form or fetch on some page):
    browsers say so in ``Sec-Fetch-Site`` and ``Origin``; API clients that are programs send neither."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        from urllib.parse import urlsplit

        return urlsplit(origin).netloc != request.get_host()
    return origin == "null"


def cross_site_message() -> str:
    return _(
        "Yêu cầu gửi từ một trang web khác bị từ chối. Hãy gửi phản ánh, kiến nghị trên Cổng thông tin của tỉnh "
        "hoặc từ ứng dụng đã được cấp khóa API."
    )


def tracking_allowed(request) -> ratelimit.RateDecision:
    """Count one look-up of a tracking code (page, JSON API, Open311), so codes cannot be guessed in bulk."""
    return ratelimit.hit("feedback.track", client_ip(request) or "unknown", settings.FEEDBACK_TRACK_RATE_LIMIT)


def tracking_limited_message(decision: ratelimit.RateDecision) -> str:
    minutes = max(1, (decision.retry_after + 59) // 60)
    return _(
        "Địa chỉ mạng của bạn đã tra cứu %(limit)d lần trong thời gian ngắn, vượt giới hạn cho phép. Hãy thử lại "
        "sau khoảng %(minutes)d phút."
    ) % {"limit": decision.limit, "minutes": minutes}


def rating_allowed(request) -> ratelimit.RateDecision:
    return ratelimit.hit("feedback.rate", client_ip(request) or "unknown", settings.FEEDBACK_RATING_RATE_LIMIT)


def rate_limited_message(decision: ratelimit.RateDecision) -> str:
    minutes = max(1, (decision.retry_after + 59) // 60)
    return _(
        "Địa chỉ mạng của bạn đã gửi %(limit)d lần trong thời gian ngắn, vượt giới hạn cho phép. Nội dung chưa "
        "được gửi. Hãy thử lại sau khoảng %(minutes)d phút; nếu cần gấp, hãy gọi đường dây nóng hoặc gửi văn "
        "bản đến Văn phòng UBND tỉnh."
    ) % {"limit": decision.limit, "minutes": minutes}


def honeypot_message() -> str:
    return _(
        "Biểu mẫu bị từ chối vì ô “Để trống ô này” đã được điền (ô đó dùng để chặn chương trình gửi tự động). "
        "Nếu bạn là người gửi, hãy tải lại trang và gửi lại mà không điền ô đó."
    )
