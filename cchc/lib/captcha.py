"""An offline CAPTCHA: a small sum written in Vietnamese words, signed so the server keeps no state.

No external service (government intranets are often cut off), no image (a screen reader can read it, a phone
shows it without JavaScript). The signed token carries a keyed hash of the answer, a random nonce, the time it
was issued and what it is bound to (the form's one-time submission token): replaying a solved challenge only
replays the same submission, which the submission token already makes idempotent. It stops generic spam bots;
a bot written for this site is stopped by the per-address rate limit, not by this.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cchc.lib.text import fold

SALT = "cchc.captcha.v1"
DEFAULT_MAX_AGE = 2 * 3600  # a long petition takes time to write

WORDS = [
    "không",
    "một",
    "hai",
    "ba",
    "bốn",
    "năm",
    "sáu",
    "bảy",
    "tám",
    "chín",
    "mười",
    "mười một",
    "mười hai",
    "mười ba",
    "mười bốn",
    "mười lăm",
    "mười sáu",
    "mười bảy",
    "mười tám",
    "mười chín",
    "hai mươi",
]
# The question is read in the visitor's language; an answer in either language's words is accepted.
WORDS_EN = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
]  # fmt: skip
_WORD_VALUES = (
    {fold(word): n for n, word in enumerate(WORDS)}
    | {"muoi nam": 15, "hai muoi": 20}
    | {word: n for n, word in enumerate(WORDS_EN)}
)


def _words() -> list[str]:
    return WORDS_EN if (get_language() or "vi").startswith("en") else WORDS


class CaptchaError(ValueError):
    """Raised with a message fit to show the user."""


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def _answer_mac(bound_to: str, nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{bound_to}:{nonce}:{answer}").hexdigest()


def new_challenge(bound_to: str) -> Challenge:
    """A fresh sum of two numbers from 1 to 10, answered in digits (or in words)."""
    a, b = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        words = _words()
        question = _("%(a)s trừ %(b)s bằng bao nhiêu?") % {"a": words[a].capitalize(), "b": words[b]}
        answer = a - b
    else:
        words = _words()
        question = _("%(a)s cộng %(b)s bằng bao nhiêu?") % {"a": words[a].capitalize(), "b": words[b]}
        answer = a + b
    nonce = secrets.token_urlsafe(9)
    token = signing.dumps({"n": nonce, "h": _answer_mac(bound_to, nonce, answer)}, salt=SALT)
    return Challenge(question=question, token=token)


def parse_answer(text: str) -> int | None:
    """``"12"``, ``" 12 "``, ``"mười hai"`` or ``"muoi hai"`` → 12; anything else → None."""
    cleaned = fold(text or "")
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 3:  # "²" is a digit int() refuses
        return int(cleaned)
    return _WORD_VALUES.get(cleaned)


def verify(token: str, answer_text: str, *, bound_to: str, max_age: int = DEFAULT_MAX_AGE) -> None:
    """Raise ``CaptchaError`` unless ``answer_text`` solves the challenge in ``token`` for ``bound_to``."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise CaptchaError(_("Câu hỏi kiểm tra đã hết hạn. Hãy trả lời câu hỏi mới bên dưới rồi gửi lại.")) from None
    except signing.BadSignature:
        raise CaptchaError(_("Câu hỏi kiểm tra không hợp lệ. Hãy trả lời câu hỏi mới bên dưới rồi gửi lại.")) from None
    answer = parse_answer(answer_text)
    if answer is None:
        raise CaptchaError(_("Hãy nhập kết quả phép tính bằng chữ số, ví dụ 7."))
    if not isinstance(data, dict) or not constant_time_compare(
        str(data.get("h", "")), _answer_mac(bound_to, str(data.get("n", "")), answer)
    ):
        raise CaptchaError(_("Kết quả phép tính chưa đúng. Hãy thử lại với câu hỏi mới bên dưới."))
