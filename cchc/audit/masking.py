"""Personal data never goes into the audit log in clear.

The log must say *who did what* (staff accounts, by username) but not repeat the citizens' data it
is about: a log is copied, exported and kept for a year, so a phone number in it is a leak waiting
to happen. ``mask`` is applied to every detail and to the object description ``record`` writes:

- values under a personal key (``email``, ``phone``, ``address``, ``full_name``, ``id_number``...) are
  masked whatever they look like;
- in every other string, e-mail addresses, Vietnamese phone numbers and 9/12-digit identity numbers
  are masked where they appear.

A model whose ``__str__`` carries personal data (a feedback sender's name) should define
``audit_repr()``: ``record`` uses it instead of ``str(obj)``.
"""

from __future__ import annotations

import re
from typing import Any

# Keys whose value is personal data whatever its shape. Compared case-insensitively, and a key that
# ends with one of them ("sender_phone", "contact_email") counts too.
PERSONAL_KEYS = (
    "email",
    "phone",
    "mobile",
    "telephone",
    "address",
    "full_name",
    "fullname",
    "sender_name",
    "contact_name",
    "name_of_sender",
    "id_number",
    "identity",
    "cccd",
    "cmnd",
    "passport",
    "birth_date",
    "date_of_birth",
    "dob",
    "password",
    "token",
    "secret",
    "otp",
)
# Keys that are about staff accounts or system objects: kept as they are even though they end in "name".
KEPT_KEYS = ("username", "unit_name", "file_name", "filename", "model_name", "app_name", "url_name", "view_name")

_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
# +84 / 84 / 0 followed by 9 digits, with optional spaces, dots or dashes between groups.
# Standing alone: not inside a longer word, so that a hash or an id made of letters and digits is left as it is.
_PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+?84|0)(?:[\s.-]?\d){9}(?![0-9A-Za-z])")
# CCCD (12 digits) or old CMND (9 digits) standing alone.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{9}|\d{12})(?![0-9A-Za-z])")


def _mask_email(match: re.Match) -> str:
    return f"{match.group(1)}***@{match.group(2)}"


def _mask_digits(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return f"{digits[:2]}{'*' * (len(digits) - 4)}{digits[-2:]}"


def mask_text(text: str) -> str:
    """Mask e-mail addresses, phone numbers and identity numbers inside free text."""
    text = _EMAIL.sub(_mask_email, text)
    text = _PHONE.sub(_mask_digits, text)
    return _ID_NUMBER.sub(_mask_digits, text)


def mask_value(value: Any) -> Any:
    """A value under a personal key: keep its kind and a hint of its shape, nothing readable."""
    if value is None or value == "":
        return value
    text = str(value)
    if "@" in text:
        return _EMAIL.sub(_mask_email, text) if _EMAIL.search(text) else "***"
    if len(text) <= 4:
        return "***"
    return f"{text[0]}***{text[-1]}"


def _is_personal(key: str) -> bool:
    folded = key.lower()
    if folded in KEPT_KEYS:
        return False
    return any(folded == k or folded.endswith("_" + k) for k in PERSONAL_KEYS)


def mask(value: Any, key: str = "") -> Any:
    """Mask a JSON-like structure (dicts, lists, strings, numbers) for the audit log."""
    if isinstance(value, dict):
        return {k: mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask(v, key) for v in value]
    if key and _is_personal(key):
        return mask_value(value)
    if isinstance(value, str):
        return mask_text(value)
    return value
