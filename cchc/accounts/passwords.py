"""Password rules: length and blocklists, no composition rules (NIST SP 800-63B §5.1.1.2).

``VietnameseCommonPasswordValidator`` refuses the passwords people here pick first ("matkhau123",
"123456789", the province's name with a year), keyboard runs and one character repeated;
``PasswordHistoryValidator`` refuses the last ``PASSWORD_HISTORY_COUNT`` passwords of the account.
Django's ``MinimumLengthValidator`` (12) and ``CommonPasswordValidator`` (20,000 English-language
passwords) run beside them (settings.AUTH_PASSWORD_VALIDATORS).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cchc.lib.text import fold

BLOCKLIST_FILE = Path(__file__).resolve().parent / "data" / "common-passwords-vi.txt"
_RUNS = (
    "01234567890123456789",
    "abcdefghijklmnopqrstuvwxyz",  # pragma: allowlist secret
    "qwertyuiopasdfghjklzxcvbnm",  # pragma: allowlist secret
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",  # pragma: allowlist secret
    "qazwsxedcrfvtgbyhnujmikolp",  # pragma: allowlist secret
)


@cache
def blocklist() -> frozenset[str]:
    words = set()
    for line in BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(normalise(line))
    return frozenset(words)


def normalise(password: str) -> str:
    """Lower case, without accents (đ → d) and without spaces: the form guessers' lists use."""
    return re.sub(r"\s+", "", fold(password))


def _stem(text: str) -> str:
    """The letters of the password with digits and symbols stripped from both ends: "@matkhau2024!" → "matkhau"."""
    return re.sub(r"^[\W\d_]+|[\W\d_]+$", "", text)


def _is_run(text: str) -> bool:
    for run in _RUNS:
        for source in (run, run[::-1]):
            if text in source * 2:
                return True
    return False


def weakness(password: str) -> str | None:
    """Why the password is guessable, or None."""
    text = normalise(password)
    if text in blocklist():
        return "common"
    stem = _stem(text)
    if stem and stem in blocklist():
        return "common"
    if len(set(text)) <= 3:
        return "repeated"
    if _is_run(text):
        return "sequence"
    return None


class VietnameseCommonPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        reason = weakness(password)
        if reason == "common":
            raise ValidationError(
                _(
                    "Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán (ví dụ "
                    "“matkhau123”, tên tỉnh kèm năm). Hãy chọn một cụm từ dài mà chỉ bạn biết."
                ),
                code="password_too_common",
            )
        if reason in ("repeated", "sequence"):
            raise ValidationError(
                _("Mật khẩu không được là dãy ký tự lặp lại hoặc liên tiếp (như “aaaa…”, “123456…”, “qwerty…”)."),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là mật khẩu phổ biến, tên tỉnh, tên cơ quan hay dãy ký tự liên tiếp.")


class PasswordHistoryValidator:
    """The current password and the ones before it, up to ``PASSWORD_HISTORY_COUNT`` in all, cannot be reused."""

    def __init__(self, count: int | None = None):
        self.count = count

    def _count(self) -> int:
        return self.count if self.count is not None else settings.PASSWORD_HISTORY_COUNT

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from cchc.accounts.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-created_at", "-id")
            .values_list("password", flat=True)[: self._count()]
        )
        if user.password and user.has_usable_password():
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _("Mật khẩu này đã được dùng gần đây. Hãy chọn mật khẩu khác %(n)d mật khẩu gần nhất.")
                % {"n": self._count()},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Không được dùng lại %(n)d mật khẩu gần nhất.") % {"n": self._count()}
