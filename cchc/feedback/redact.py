"""A first pass at removing personal data from the text the desk publishes.

The desk reviews and edits every public field before publishing (subject, content, answer, the answer's
reference, the regulation); each is pre-filled with the sender's own name, organisation, address, phone and
e-mail, and any phone number, e-mail address or identity-card number, replaced by a marker; and the publish
action passes what the desk wrote through the same redaction again (``PUBLIC_FIELDS``).
"""

from __future__ import annotations

import re

from cchc.feedback.models import Feedback

MARK = "[đã ẩn]"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vietnamese phone numbers as people write them: 0912 345 678, 0912.345.678, +84 912 345 678, (0269) 3824 567.
_PHONE = re.compile(r"(?<!\w)(?:\+?84|0)[\s.\-()]*\d(?:[\s.\-()]*\d){7,10}(?!\w)")
# Citizen identity card (CCCD, 12 digits) and the former identity card (CMND, 9 digits), with or without spaces;
# never an amount written with dots ("250.000.000 đồng").
_ID_NUMBER = re.compile(r"(?<![\w/.,])\d{3} ?\d{3} ?\d{3}(?: ?\d{3})?(?![\w/.,])")
# Each public field and the internal field it is drawn from.
PUBLIC_FIELDS = {
    "public_subject": "subject",
    "public_content": "content",
    "public_answer": "answer",
    "public_answer_reference": "answer_reference",
    "public_regulation": "regulation",
}


def redact(text: str, feedback: Feedback) -> str:
    known = [feedback.sender_name, feedback.organisation, feedback.address, feedback.phone, feedback.email]
    for value in sorted((v.strip() for v in known if v and len(v.strip()) >= 3), key=len, reverse=True):
        text = re.sub(re.escape(value), MARK, text, flags=re.IGNORECASE)
    text = _EMAIL.sub(MARK, text)
    text = _PHONE.sub(MARK, text)
    return _ID_NUMBER.sub(MARK, text)


def suggest_public_fields(feedback: Feedback) -> dict[str, str]:
    """Every public field, pre-filled from its internal twin with the personal data found replaced."""
    return {public: redact(getattr(feedback, source) or "", feedback) for public, source in PUBLIC_FIELDS.items()}


def suggest_public_text(feedback: Feedback) -> tuple[str, str]:
    fields = suggest_public_fields(feedback)
    return fields["public_subject"], fields["public_content"]
