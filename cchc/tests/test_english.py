"""Every page a role can open reads in English once English is chosen (issue 18, item 1).

The pages are those of the URL × role matrix (``cchc/<app>/tests/access.py``): every pattern, every role
whose GET answers 200 with HTML. A page fails when a piece of its text — a text node, a placeholder, an
``aria-label``, ``title`` or ``alt`` — still carries Vietnamese and is not user data. User data (names of
agencies, procedures, plans, anything typed by a person) stays as written: a piece counts as data when it
is found in the database's text, whole or split at punctuation. Elements marked ``lang="vi"`` (the
"Tiếng Việt" switch) are Vietnamese on purpose.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from cchc.tests.matrix import ROLES
from cchc.tests.test_access_matrix import build_world, pages_of, signed_in_client

VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
SPLIT = re.compile(r"\s*(?:[·|,;:()\[\]«»“”\"…/]|\s[—–-]\s)\s*")
NUMBERS = re.compile(r"(?<!\w)\d[\d.,/:%–-]*(?!\w)")
CURRENCY = re.compile(r"(?<!\w)đ(?!\w)")
ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
SKIP_CONTENT = {"script", "style", "template", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Texts(HTMLParser):
    """The visible text pieces of a page and its labelling attributes, minus what is lang="vi"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.pieces: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = tag in SKIP_CONTENT or (attrs.get("lang") or "").startswith("vi")
        if not (self.skipping or skipped):
            self.pieces += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.pieces.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.pieces.append(" ".join(data.split()))


def _data_blob() -> str:
    """Every text value in the database and the settings, one per line: what people, the registry and
    the deployment wrote (the province's name, the data controller...)."""
    values: list[str] = [v for k in dir(settings) if k.isupper() and type(v := getattr(settings, k)) is str]
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        json_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        if not (fields or json_fields) or model._meta.proxy:
            continue
        for row in model._default_manager.values_list(*fields, *json_fields):
            for value in row:
                values += [" ".join(text.split()) for text in _strings(value)]
    return "\n".join(values)


def _strings(value):
    """The strings in a value, JSON documents flattened (a plan's recipients, signer, source lines)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _is_data(part: str, blob: str) -> bool:
    core = CURRENCY.sub(" ", NUMBERS.sub(" ", part)).strip(" .·–—-")
    return not VIETNAMESE.search(core) or " ".join(core.split()) in blob


def vietnamese_pieces(html: str, blob: str) -> list[str]:
    """Pieces of interface text still in Vietnamese: neither data as written nor data composed with
    English words and numbers ("Tasks of UBND xã Ia Kha under…", "1. Công khai TTHC")."""
    parser = _Texts()
    parser.feed(html)
    values = None
    found = []
    for piece in parser.pieces:
        if not VIETNAMESE.search(piece) or piece in blob:
            continue
        if all(_is_data(part, blob) for part in SPLIT.split(piece)):
            continue
        if values is None:  # the data strings with Vietnamese letters, longest first
            values = sorted({v for v in blob.split("\n") if len(v) >= 3 and VIETNAMESE.search(v)}, key=len)[::-1]
        rest = piece
        for value in values:
            if value in rest:
                rest = rest.replace(value, " ")
        if not all(_is_data(part, blob) for part in SPLIT.split(rest)):
            found.append(piece)
    return found


def _english_client(role: str, w) -> Client:
    client = signed_in_client(role, w, raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.long
@pytest.mark.django_db
def test_every_page_of_every_role_reads_in_english():
    w = build_world()
    blob = _data_blob()
    problems: dict[str, str] = {}  # piece → the first page and role showing it
    for role in ROLES:
        client = _english_client(role, w)
        for url in pages_of(role, w):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            if getattr(response, "streaming", False):
                continue
            for piece in vietnamese_pieces(response.content.decode("utf-8", "replace"), blob):
                problems.setdefault(piece, f"{url} as {role}")
    lines = [f"{piece[:100]!r}  ({where})" for piece, where in sorted(problems.items())]
    assert not lines, f"{len(lines)} Vietnamese-only pieces on English pages:\n  " + "\n  ".join(lines)


def test_the_detector_finds_interface_text_and_spares_data():
    blob = "Sở Nội vụ\nKế hoạch tuyên truyền cải cách hành chính năm 2024"
    html = (
        '<html lang="en"><body><h1>Plan</h1><p>Sở Nội vụ · Kế hoạch tuyên truyền cải cách hành chính năm 2024</p>'
        '<button lang="vi">Tiếng Việt</button><input placeholder="Tìm thủ tục"><p>Chưa có tin nào.</p>'
        "<script>var x = 'đăng ký';</script></body></html>"
    )
    assert vietnamese_pieces(html, blob) == ["Tìm thủ tục", "Chưa có tin nào."]
    composed = "<p>Tasks of Sở Nội vụ under plans</p><p>1. Sở Nội vụ</p><p>Plan Sở Nội vụ dated 2024 kế hoạch mới</p>"
    assert vietnamese_pieces(composed, blob) == ["Plan Sở Nội vụ dated 2024 kế hoạch mới"]
