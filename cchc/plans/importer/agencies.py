"""Agency lists: split them into agencies and give each its role (lead / coordinate / implement).

Splitting is not "split on commas": official names contain commas ("Sở Văn hóa, Thể thao và Du lịch"),
group phrases are comma lists ("các sở, ban, ngành tỉnh"), and lists are elliptical ("UBND cấp huyện,
cấp xã"). The text is cut into segments at ",", ";", line breaks and "và"; segments are then merged back
by a few general rules, with a lexicon of official compound names (lexicon.py) for the cases no rule
can decide.
"""

from __future__ import annotations

import re
from collections.abc import KeysView
from dataclasses import dataclass
from functools import lru_cache

from cchc.lib.text import fold

from .lexicon import (
    AMBIGUOUS_HEADS,
    COLLECTIVE_NOUNS,
    COMPOUND_NAMES,
    DEPARTMENT_HEADS,
    DEPARTMENT_SUBJECTS,
    HEAD_WORDS,
    LEVEL_WORDS,
)
from .textutil import fold_aligned

LEAD, COORDINATE, IMPLEMENT = "lead", "coordinate", "implement"

_HEADS = "|".join(sorted(map(re.escape, HEAD_WORDS), key=len, reverse=True))
_LEVELS = "|".join(LEVEL_WORDS)
_HEAD_RE = re.compile(rf"^(?:{_HEADS})\b")
_COLLECTIVE = "|".join(sorted(map(re.escape, COLLECTIVE_NOUNS), key=len, reverse=True))
_COLLECTIVE_RE = re.compile(rf"^(?:cac\s+)?(?:{_COLLECTIVE})\b")
_GROUP_RE = re.compile(rf"(?:^|\s)cac\s+(?:{_COLLECTIVE})\b")
_LEVEL_RE = re.compile(rf"^(?:{_LEVELS})$")
_LEVEL_END_RE = re.compile(rf"(?:^|\s)(?:{_LEVELS})$")

# Where the agency list of a clause ends and the verb phrase begins ("... thực hiện theo Kế hoạch").
_TAIL_RE = re.compile(
    r"(?:^|\s)(?:thuc hien|trien khai|to chuc thuc hien"
    r"|theo (?:ke hoach|quy dinh|chuc nang|tham quyen|phan cap|nhiem vu|linh vuc)|trong (?:pham vi|qua trinh)"
    r"|de |nham |xay dung |cung cap |tuyen truyen |bao cao "
    r"|chiu trach nhiem|chu dong |co trach nhiem|tham muu|to chuc (?:cac|tap huan|hoi|thuc)|dang tai"
    r"|cap nhat|huong dan\b|kiem tra|theo doi|can cu|don doc|tong hop|to chuc$|bien soan|bo tri "
    r"|ra soat|giam sat|danh gia)"
)
_LEAD_IN_RE = re.compile(r"^(?:giao|de nghi|yeu cau|do|gom|bao gom|cung|voi|va)\s+")
_ANNOTATION_RE = re.compile(r"\((?:chu tri|phoi hop)[^)]*\)")
_ROLE_WORD_RE = re.compile(r"\b(?:chu tri|phoi hop)\b")


@dataclass(frozen=True)
class _Segment:
    sep: str  # separator before it: "", ",", ";", "va"
    start: int
    end: int


# --- splitting ----------------------------------------------------------------------------------


def _segments(text: str) -> list[_Segment]:
    """Cut at ",", ";", newlines and " và ", never inside parentheses."""
    folded = fold_aligned(text)
    out: list[_Segment] = []
    depth, start, sep = 0, 0, ""
    i = 0
    while i < len(text):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]" and depth:
            depth -= 1
        cut = None
        if depth == 0 and c in ",;\n":
            cut = (";" if c in ";\n" else ",", i + 1)
        elif depth == 0 and folded.startswith(" va ", i):
            cut = ("va", i + 4)
        if cut:
            out.append(_Segment(sep, start, i))
            sep, start, i = cut[0], cut[1], cut[1]
            continue
        i += 1
    out.append(_Segment(sep, start, len(text)))
    return [s for s in out if text[s.start : s.end].strip()]


@lru_cache(maxsize=1)
def _compound_keys() -> dict[str, tuple[tuple[tuple[str, str], ...], ...]]:
    """Compound names as (separator, folded segment) pairs, by their first segment, longest first."""
    by_first: dict[str, list[tuple[tuple[str, str], ...]]] = {}
    for name in COMPOUND_NAMES:
        segs = _segments(name)
        if len(segs) > 1:
            key = tuple((s.sep, fold(name[s.start : s.end])) for s in segs)
            by_first.setdefault(key[0][1], []).append(key)
    return {first: tuple(sorted(keys, key=len, reverse=True)) for first, keys in by_first.items()}


def _compound_at(folded: list[str], segs: list[_Segment], i: int) -> int:
    """How many segments from i form a known compound name (the last may carry a suffix), or 0."""
    for key in _compound_keys().get(folded[i], ()):
        if i + len(key) > len(segs):
            continue
        last = len(key) - 1
        if all(
            (k == 0 or segs[i + k].sep == sep)
            and (folded[i + k] == word or (k == last and folded[i + k].startswith(word + " ")))
            for k, (sep, word) in enumerate(key)
        ):
            return len(key)
    return 0


def starts_agency(segment: str) -> bool:
    folded = fold(segment).lstrip("\"'“(")
    m = _HEAD_RE.match(folded)
    if not m:
        return False
    if m.group(0) in AMBIGUOUS_HEADS:
        first = segment.lstrip("\"'“( ")[:1]
        return first.isupper()
    return True


def _is_collective(segment: str) -> bool:
    """ "ban", "ngành tỉnh", "đơn vị có liên quan" — a group noun, maybe with a lower-case qualifier."""
    folded = fold(segment)
    m = _COLLECTIVE_RE.match(folded)
    if not m or folded.startswith("cac "):  # a new "các ..." starts a group of its own
        return False
    rest = segment.strip()[m.end() :].strip()
    return not rest or rest[0].islower() or rest[0] in "(-"


def _is_group(name: str) -> bool:
    return bool(_GROUP_RE.search(fold(name)))


def _ellipsis(current: str, segment: str) -> str | None:
    """ "UBND cấp huyện" + "cấp xã" → "UBND cấp xã"; "UBND tỉnh" + "huyện" → "UBND huyện"."""
    seg = segment.strip()
    fseg = fold(seg)
    fcur = fold_aligned(current)
    if fseg.startswith("cap "):
        idx = fcur.rfind(" cap ")
        return current[: idx + 1] + seg if idx >= 0 else None
    if _LEVEL_RE.match(fseg):
        m = _LEVEL_END_RE.search(fcur.rstrip())
        if m:
            return current[: m.start()].rstrip() + " " + seg
    return None


def split_agencies(text: str) -> list[str]:
    """Agency names in ``text`` as written, one per agency, elliptical lists expanded."""
    text = _expand_colon_lists(text)
    segs = _segments(text)
    folded = [fold(text[s.start : s.end]) for s in segs]
    names: list[str] = []
    i = 0
    while i < len(segs):
        seg = segs[i]
        piece = text[seg.start : seg.end].strip()
        span = _compound_at(folded, segs, i)
        if span:
            names.append(text[seg.start : segs[i + span - 1].end].strip())
            i += span
            continue
        elided = _elided_department(text, segs, i, names[-1]) if names and seg.sep != ";" else None
        if elided:
            names.append(elided[0])
            i += elided[1]
            continue
        i += 1
        if not names or seg.sep == ";":
            names.append(piece)
        elif _is_group(names[-1]) and _is_collective(piece) and seg.sep == ",":
            names[-1] = f"{names[-1]}, {piece}"
        elif starts_agency(piece):
            names.append(piece)
        elif (expanded := _ellipsis(names[-1], piece)) is not None:
            names.append(expanded)
        else:  # not the start of a name: the previous name goes on ("Sở Văn hóa, Thể thao ...")
            joiner = " và " if seg.sep == "va" else ", "
            names[-1] = f"{names[-1]}{joiner}{piece}"
    return _dedupe([n for n in (_tidy(n) for n in names) if n])


_COLON_LIST_RE = re.compile(r"(?i)\b(?:các\s+)?(Sở|Phòng|Bộ|Ban|Hội|Trung tâm|Đài|Báo)\s*:\s*([^;:]+)")


def _expand_colon_lists(text: str) -> str:
    """ "các Sở: Nội vụ, Tư pháp, Kế hoạch và Đầu tư" → "Sở Nội vụ; Sở Tư pháp; Sở Kế hoạch và Đầu tư"."""

    def expand(m: re.Match) -> str:
        head = m.group(1)[:1].upper() + m.group(1)[1:].lower()
        body = m.group(2).rstrip(" .")
        segs = _segments(body)
        items, i = [], 0
        while i < len(segs):
            for span in range(len(segs) - i, 0, -1):
                candidate = f"{head} {body[segs[i].start : segs[i + span - 1].end].strip()}"
                if span == 1 or fold(candidate) in _known_folded():
                    items.append(candidate)
                    i += span
                    break
        return "; ".join(items)

    return _COLON_LIST_RE.sub(expand, text)


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    departments = (f"{head} {subject}" for head in DEPARTMENT_HEADS for subject in DEPARTMENT_SUBJECTS)
    return {fold(n): n for n in (*COMPOUND_NAMES, *departments)}


def _known_folded() -> KeysView[str]:
    return _known_names().keys()


def known_name(text: str) -> str | None:
    """The official spelling of a known name: "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo"."""
    return _known_names().get(fold(text))


def _elided_department(text: str, segs: list[_Segment], i: int, current: str) -> tuple[str, int] | None:
    """After "Sở Nội vụ", a bare "Tư pháp" is "Sở Tư pháp" (longest known subject wins)."""
    head = current.split(" ", 1)[0]
    if head not in DEPARTMENT_HEADS or fold(current) not in _known_folded():
        return None
    for span in range(min(4, len(segs) - i), 0, -1):
        subject = text[segs[i].start : segs[i + span - 1].end].strip()
        if fold(f"{head} {subject}") in _known_folded():
            return f"{head} {subject}", span
    return None


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t.;:,-–")
    while True:
        m = _LEAD_IN_RE.match(fold_aligned(name))
        if not m:
            break
        name = name[m.end() :].strip()
    if name.count("(") > name.count(")"):
        name = name.split("(")[0].strip()
    return name


def _dedupe(names: list[str]) -> list[str]:
    seen, out = set(), []
    for name in names:
        key = fold(name)
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def is_known(name: str) -> bool:
    """Whether a name looks like an agency or group; unknown names are flagged for the reviewer."""
    folded = fold(name)
    return folded in _known_folded() or starts_agency(name) or _is_group(name) or " cap " in f" {folded} "


# --- roles --------------------------------------------------------------------------------------


def _cut_tail(span: str) -> str:
    """Drop the verb phrase after the agencies: "các cơ quan, đơn vị thực hiện theo Kế hoạch"."""
    m = _TAIL_RE.search(fold_aligned(span))
    return span[: m.start()] if m else span


_LABEL_WORDS_RE = re.compile(r"^(?:(?:co quan|don vi|bo phan)(?:,? (?:co quan|don vi))?)?$")


def _names(span: str) -> list[str]:
    span = _cut_tail(span.strip(" ,:;.")).strip(" ,:;.")
    if _LABEL_WORDS_RE.match(fold(span)):  # "Cơ quan" of a "Cơ quan chủ trì:" label, not an agency
        return []
    return split_agencies(span)


def subject_agencies(text: str) -> list[str]:
    """The agencies a sentence or labelled item is about: "Sở Nội vụ: Tổ chức ..." / "Sở Nội vụ theo dõi,
    ..." → ["Sở Nội vụ"]; empty when the subject is not a list of agencies ("Về kinh phí")."""
    subject = text.split(":", 1)[0] if ":" in text[:300] else text[:300]
    names = _names(subject)
    return names if names and all(map(is_known, names)) else []


# What the one agency a duty is addressed to does when it runs the plan: it leads ("Sở Nội vụ: Tổ chức
# triển khai, theo dõi và kiểm tra việc thực hiện kế hoạch ..."; "là cơ quan thường trực ...").
_LEADS_PLAN_RE = re.compile(
    r"^(?:la\s+)?(?:chu tri|to chuc trien khai|theo doi|don doc|huong dan,? (?:theo doi|kiem tra|don doc)"
    r"|kiem tra,? (?:theo doi|don doc)|(?:la )?co quan (?:thuong truc|dau moi|chu tri)|lam dau moi|dau moi"
    r"|tham muu (?:ubnd|uy ban nhan dan)[^,;]{0,40}(?:trien khai|to chuc thuc hien|chi dao))"
)


def duty_agencies(text: str) -> list[dict[str, str]]:
    """The agencies a duty of "Tổ chức thực hiện" is given to, with their roles.

    "Sở Nội vụ: Tổ chức triển khai, theo dõi ... kế hoạch" → Sở Nội vụ leads (one agency that runs
    the plan); "Các sở, ban, ngành: chủ động xây dựng kế hoạch" → implementers; a duty written as an
    assignment sentence ("Giao Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp ...") → its roles.
    """
    first = re.split(r"\n|(?<=[.;])\s", text.strip(), maxsplit=1)[0]
    names = subject_agencies(text)
    if not names:
        if _ROLE_WORD_RE.search(fold(first)):
            return [a for a in parse_agencies(first) if is_known(a["name"])]
        return []
    body = text.split(":", 1)[1] if ":" in text[:300] else text[len(names[-1]) :]
    roles = parse_agencies(first) if _ROLE_WORD_RE.search(fold(first.split(":", 1)[0])) else []
    if roles and all(map(is_known, (a["name"] for a in roles))):
        return roles
    lead = len(names) == 1 and not _is_group(names[0]) and _LEADS_PLAN_RE.match(fold(body).strip(" -:,"))
    return [{"name": n, "role": LEAD if lead else IMPLEMENT} for n in names]


def _clauses(text: str) -> list[str]:
    """Independent statements: split on ";", line breaks and sentence ends, but only where the next part
    carries its own role word — a ';' inside a plain list keeps the list together."""
    parts = [p for p in re.split(r";|\n|\.\s+(?=[A-ZĐÀ-Ỹ])", text) if p.strip()]
    if not any(_ROLE_WORD_RE.search(fold(p)) for p in parts):
        return [text]
    return parts


def _annotated(clause: str, default: str) -> list[tuple[str, str]]:
    """A bracketed role after the last name of a ';' clause covers the whole clause."""
    names = split_agencies(clause)
    role = _role_of_annotation(names[-1])[1] if names else None
    return [(name, role or default) for name in names]


def _role_of_annotation(name: str) -> tuple[str, str | None]:
    """ "Sở Nội vụ (chủ trì)" → ("Sở Nội vụ", "lead")."""
    m = re.search(r"\(([^)]*)\)\s*$", name)
    if m:
        inner = fold(m.group(1))
        if inner.startswith("chu tri"):
            return name[: m.start()].strip(), LEAD
        if inner.startswith("phoi hop"):
            return name[: m.start()].strip(), COORDINATE
    return name, None


def _clause_roles(clause: str, default: str) -> list[tuple[str, str]]:
    folded = fold_aligned(clause)
    lead_at = re.search(r"\bchu tri\b", folded)
    if lead_at:
        before, after = clause[: lead_at.start()], clause[lead_at.end() :]
        out = [(n, LEAD) for n in _names(before)]
        return out + _after_lead(after, has_lead=bool(out))
    co_at = re.search(r"\bphoi hop\b(?:\s+(?:voi|cung))?", folded)
    if co_at:
        before, after = _names(clause[: co_at.start()]), _names(clause[co_at.end() :])
        if before and after:
            return [(n, LEAD) for n in before] + [(n, COORDINATE) for n in after]
        return [(n, COORDINATE) for n in before + after]
    guide_at = re.search(r"\b(?:chi dao|huong dan|don doc)\b", folded)
    if guide_at:  # "UBND cấp huyện chỉ đạo UBND cấp xã thực hiện": the one who directs leads
        before, after = _names(clause[: guide_at.start()]), _names(clause[guide_at.end() :])
        if before and after:
            return [(n, LEAD) for n in before] + [(n, IMPLEMENT) for n in after]
        if before:
            return [(n, default) for n in before]
    return [(n, default) for n in _names(clause)]


def _after_lead(after: str, has_lead: bool) -> list[tuple[str, str]]:
    """What follows "chủ trì": coordinators, agencies it guides, or (label style) the lead itself."""
    after = after.lstrip(" ,:")
    folded = fold_aligned(after)
    co = re.search(r"\bphoi hop\b(?:\s+(?:voi|cung))?", folded)
    guide = re.match(r"(?:huong dan|chi dao|don doc)\b", folded)
    if guide:
        rest = after[guide.end() :]
        return [(n, IMPLEMENT) for n in _names(rest)]
    if co:
        head = [] if has_lead else [(n, LEAD) for n in _names(after[: co.start()])]
        return head + [(n, COORDINATE) for n in _names(after[co.end() :])]
    return [] if has_lead else [(n, LEAD) for n in _names(after)]


def parse_agencies(text: str | None, default: str = IMPLEMENT) -> list[dict[str, str]]:
    """Agencies with roles, per the cchc.plan/1 rules; ``default`` is the role of a plain list."""
    if not text or not text.strip():
        return []
    text = re.sub(r"\s+", " ", text.replace("\n", "; ")).strip(" .;")
    if _ANNOTATION_RE.search(fold(text)):
        # "Sở Nội vụ (chủ trì); Sở Tư pháp, Công an tỉnh (phối hợp)": roles in brackets, lists plain.
        pairs = [pair for clause in text.split(";") for pair in _annotated(clause, default)]
    else:
        pairs = [pair for clause in _clauses(text) for pair in _clause_roles(clause, default)]
    found = []
    for name, role in pairs:
        name, annotated = _role_of_annotation(name)
        if name:
            found.append({"name": name, "role": annotated or role})
    return dedupe_agencies(found)


def dedupe_agencies(agencies: list[dict[str, str]]) -> list[dict[str, str]]:
    """The first of each (name, role), names compared without accents or case."""
    seen: set[tuple[str, str]] = set()
    out = []
    for agency in agencies:
        key = (fold(agency["name"]), agency["role"])
        if key not in seen:
            seen.add(key)
            out.append(agency)
    return out
