"""A first pass at removing personal data from the text the desk publishes.

The desk reviews and edits the public text before publishing; this only pre-fills it with the sender's own
name, organisation, address, phone and e-mail, and any phone number or e-mail address, replaced by a marker.
"""

from __future__ import annotations

import re

from cchc.feedback.models import Feedback

MARK = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vietnamese phone numbers as people write them: 0912 345 678, 0912.345.678, +84 912 345 678, (0269) 3824 567.
_PHONE = re.compile(r"(?<!\w)(?:\+?84|0)[\s.\-()]*\d(?:[\s.\-()]*\d){7,10}(?!\w)")


def redact(text: str, feedback: Feedback) -> str:
    known = [feedback.sender_name, feedback.organisation, feedback.address, feedback.phone, feedback.email]
    for value in sorted((v.strip() for v in known if v and len(v.strip()) >= 3), key=len, reverse=True):
        text = re.sub(re.escape(value), MARK, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(MARK, text)
    return _PHONE.sub(MARK, text)


def suggest_public_text(feedback: Feedback) -> tuple[str, str]:
    return redact(feedback.subject, feedback), redact(feedback.content, feedback)
