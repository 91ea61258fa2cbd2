"""The refusals shared by the form, the JSON API and Open311: one rate-limit bucket per client address, so the
API is no way around the form's limit; and the Vietnamese message that says what to do."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from cchc.lib import ratelimit
from cchc.lib.request_context import client_ip


def submission_allowed(request) -> ratelimit.RateDecision:
    """Count one submission attempt from the request's address (web form, JSON API and Open311 together)."""
    return ratelimit.hit("feedback.submit", client_ip(request) or "unknown", settings.FEEDBACK_RATE_LIMIT)


def rating_allowed(request) -> ratelimit.RateDecision:
    return ratelimit.hit("feedback.rate", client_ip(request) or "unknown", settings.FEEDBACK_RATING_RATE_LIMIT)


def rate_limited_message(decision: ratelimit.RateDecision) -> str:
    minutes = max(1, (decision.retry_after + 59) // 60)
    return _("Địa chỉ mạng của bạn đã gửi %(limit)d lần trong thời gian ngắn, vượt giới hạn cho phép. Nội dung chưa "
             "được gửi. Hãy thử lại sau khoảng %(minutes)d phút; nếu cần gấp, hãy gọi đường dây nóng hoặc gửi văn "
             "bản đến Văn phòng UBND tỉnh.") % {"limit": decision.limit, "minutes": minutes}


def honeypot_message() -> str:
    return _("Biểu mẫu bị từ chối vì ô “Để trống ô này” đã được điền (ô đó dùng để chặn chương trình gửi tự động). "
             "Nếu bạn là người gửi, hãy tải lại trang và gửi lại mà không điền ô đó.")
