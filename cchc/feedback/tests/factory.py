"""Feedback test data, made by calling the real actions; and helpers for the public form's protections."""

from __future__ import annotations

import re
import uuid

from cchc.feedback import actions
from cchc.feedback.models import Channel, Feedback
from cchc.lib.captcha import WORDS
from cchc.lib.text import fold

# Personal data that must never appear on a public page or in a public API response.
SENDER = {
    "sender_name": "Nguyễn Thị Riêng Tư",
    "address": "12 Hẻm Bí Mật, phường Tây Sơn",
    "phone": "0912 345 678",
    "email": "rieng.tu@example.vn",
    "organisation": "",
}
PERSONAL_VALUES = ["Riêng Tư", "Hẻm Bí Mật", "0912 345 678", "0912345678", "rieng.tu@example.vn", "rieng.tu"]


def submission(**overrides) -> dict:
    data = {
        "kind": "phan_anh",
        **SENDER,
        "subject": "Thủ tục đăng ký kinh doanh hộ gia đình quá nhiều giấy tờ",
        "content": "Hồ sơ yêu cầu bản sao chứng thực giấy tờ đã có trên Cơ sở dữ liệu quốc gia về dân cư.",
        "procedure_code": "1.001612",
        "regulation": "Nghị định 01/2021/NĐ-CP",
    }
    data.update(overrides)
    return data


def make_feedback(
    *, channel: str = Channel.WEB, token: str | None = None, received_at=None, actor=None, files=(), **overrides
) -> Feedback:
    return actions.do_submit_feedback(
        submission(**overrides),
        channel=channel,
        token=token or uuid.uuid4().hex,
        received_at=received_at,
        actor=actor,
        files=files,
    ).feedback


def make_accepted(personas, **overrides) -> Feedback:
    return actions.do_accept_feedback(make_feedback(**overrides), actor=personas.desk)


def make_assigned(personas, unit=None, **overrides) -> Feedback:
    return actions.do_assign_feedback(
        make_accepted(personas, **overrides), unit or personas.units.tttt, actor=personas.desk
    )


def make_answered(personas, **overrides) -> Feedback:
    feedback = make_assigned(personas, **overrides)
    return actions.do_answer_feedback(
        feedback,
        "Sở đã đề nghị bỏ yêu cầu bản sao chứng thực kể từ quý sau.",
        reference="123/STTTT-VP",
        actor=personas.officer_dept,
    )


def make_published(personas, **overrides) -> Feedback:
    feedback = make_answered(personas, **overrides)
    return actions.do_publish_feedback(
        feedback,
        "Giảm giấy tờ khi đăng ký hộ kinh doanh",
        "Người dân phản ánh việc phải nộp bản sao chứng thực giấy tờ đã có trên Cơ sở dữ liệu quốc gia về dân cư.",
        actor=personas.desk,
    )


_NUMBERS = {fold(word): n for n, word in enumerate(WORDS)}


def solve(question: str) -> str:
    """Answer the CAPTCHA's sum the way a person reads it."""
    match = re.match(r"(.+) (cong|tru) (.+) bang bao nhieu\?", fold(question))
    assert match, question
    a, b = _NUMBERS[match.group(1)], _NUMBERS[match.group(3)]
    return str(a + b if match.group(2) == "cong" else a - b)


def form_fields(html: str) -> dict:
    """The hidden fields and the CAPTCHA answer of a rendered public form."""
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', html).group(1)
    captcha_token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    question = re.search(r"<strong>([^<]+)</strong></label>", html).group(1)
    return {"form_token": token, "captcha_token": captcha_token, "captcha_answer": solve(question)}


def public_post_data(html: str, **overrides) -> dict:
    data = {**submission(), "sender_kind": "individual", "website": "", **form_fields(html)}
    data.update(overrides)
    return data


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
