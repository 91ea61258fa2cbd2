"""Step 4: the document tree in, the plan's fields out — header, title, bases, sections, closing.

Sections are found by their labels ("Mục đích", "Yêu cầu", "Nội dung tuyên truyền", "Tổ chức thực
hiện", "Nơi nhận"), wherever the numbering put them, so plans that order or number their parts
differently still read. Activities have their own module (activities.py).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from cchc.lib.text import fold

from .agencies import duty_agencies, known_name, subject_agencies
from .blocks import BULLETS, Block, split_marker
from .lexicon import LEVEL_WORDS
from .review import Review
from .sections import Node, Outline, split_label
from .textutil import clean, fold_aligned, is_caps, title_case_name

_LEVELS = "|".join(LEVEL_WORDS)
_LEVEL_RE = re.compile(rf"\b(?:{_LEVELS})\b")
_LEVEL_START_RE = re.compile(rf"^(?:{_LEVELS})\b")
_MOTTO_RE = re.compile(r"^(?:cong hoa|doc lap|dang cong san|mat$|toi mat|khan$|hoa toc|du thao|so\s*:|so\s+\d)")

# --- header -------------------------------------------------------------------------------------

_NUMBER_RE = re.compile(r"\bS[ốỐoO]\s*[:.]?\s*(?P<num>[\d\s._…]*?)\s*/\s*(?P<sym>[A-ZĐ][A-ZĐa-z0-9&.\-/]*[A-ZĐ0-9])")
_DATE_LINE_RE = re.compile(
    r"(?P<place>[a-z][^,\d]{0,40}?)\s*,\s*ngay\s*(?P<d>[\d.…_ ]*?)\s*thang\s*(?P<m>[\d.…_ ]*?)\s*"
    r"nam\s*(?P<y>\d{4})"
)


def _date_line(text: str) -> re.Match | None:
    """ "Gia Lai, ngày   tháng   năm 2023", matched without regard to accents."""
    return _DATE_LINE_RE.search(fold_aligned(text))


def title_index(front: list[Block]) -> int | None:
    """Index of the block that carries the word "KẾ HOẠCH" as the document's title."""
    for i, block in enumerate(front):
        if fold(block.text).strip(" .:") == "ke hoach":
            return i
    for i, block in enumerate(front):
        key = fold(block.text)
        if key.startswith("ke hoach ") and not _is_preamble(block.text):
            return i
    return None


def extract_number(front: list[Block], review: Review) -> tuple[str | None, str | None]:
    for block in front:
        m = _NUMBER_RE.search(block.text)
        if m:
            review.keep("number", block.text, block.line)
            digits = re.sub(r"\D", "", m["num"])
            return digits or None, m["sym"]
    review.warn("symbol", "missing")
    return None, None


def extract_place_date(front: list[Block], review: Review) -> tuple[str | None, str | None, int | None]:
    """("Gia Lai", None, 2023) for "Gia Lai, ngày   tháng   năm 2023"."""
    for block in front:
        m = _date_line(block.text)
        if m:
            review.keep("issued_on", block.text, block.line)
            day, month, year = re.sub(r"\D", "", m["d"]), re.sub(r"\D", "", m["m"]), int(m["y"])
            issued = None
            if day and month and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
                issued = f"{year:04d}-{int(month):02d}-{int(day):02d}"
            return clean(block.text[m.start("place") : m.end("place")]), issued, year
    review.warn("place", "missing")
    return None, None, None


def _issuer_lines(front: list[Block], stop: int | None) -> list[Block]:
    out = []
    for block in front[: stop if stop is not None else min(len(front), 12)]:
        key = fold(block.text)
        if _MOTTO_RE.match(key) or _date_line(block.text) or _NUMBER_RE.search(block.text):
            continue
        if len(block.text) <= 90 and (is_caps(block.text) or re.match(r"^(?:uy ban|ubnd|so |phong |ban )", key)):
            out.append(block)
    return out


def extract_issuer(front: list[Block], title_at: int | None, review: Review) -> str | None:
    """The issuing body from the header's upper-left block; its lowest line when a parent is named too."""
    units: list[Block] = []
    for block in _issuer_lines(front, title_at):
        key = fold(block.text)
        if units and _LEVEL_START_RE.match(key):  # "ỦY BAN NHÂN DÂN" over "TỈNH GIA LAI" is one name
            units[-1] = Block(f"{units[-1].text} {block.text}", units[-1].line)
        else:
            units.append(block)
    if units:
        review.keep("issuer", units[-1].text, units[-1].line)
        return format_agency_name(units[-1].text)
    return None


def issuer_from_text(front: list[Block], title: str | None, symbol: str | None, review: Review) -> str | None:
    """When the header lost the issuer (converted documents do): "..., UBND tỉnh X ban hành Kế hoạch"."""
    for block in front:
        m = re.search(
            r"([^,;.]{3,80}?)\s+(?:ban hanh|xay dung|trien khai)\s+(?:ke hoach|kh)\b",
            fold_aligned(block.text),
        )
        names = subject_agencies(block.text[m.start(1) : m.end(1)]) if m else []
        if len(names) == 1:
            review.keep("issuer", block.text, block.line)
            review.warn("issuer", "inferred")
            return format_agency_name(names[0])
    m = re.search(
        r"\bcủa\s+((?:UBND|Ủy ban nhân dân|Sở|Phòng)?\s*(?:tỉnh|huyện|xã|thị xã|thành phố|phường|thị trấn|"
        r"Sở|Phòng)\s+[^\d,;]+?)(?:\s+năm\b|\s+giai đoạn\b|$)",
        title or "",
        re.IGNORECASE,
    )
    if m:
        review.warn("issuer", "inferred")
        name = m.group(1).strip()
        if symbol and symbol.upper().endswith("UBND") and not re.match(r"(?i)(ubnd|ủy ban)", name):
            name = f"UBND {name}"
        return format_agency_name(name)
    review.warn("issuer", "missing")
    return None


_ABBREVIATIONS = {"uy ban nhan dan": "UBND", "hoi dong nhan dan": "HĐND"}


def format_agency_name(text: str) -> str:
    """Header capitals to the way the name is written in running text: "UBND tỉnh Gia Lai", "Sở Nội vụ"."""
    text = re.sub(r"\s+", " ", text).strip(" .,;:")
    folded = fold_aligned(text)
    for long, short in _ABBREVIATIONS.items():
        at = folded.find(long)
        if at >= 0:
            text = text[:at] + short + text[at + len(long) :]
            folded = fold_aligned(text)
    if not is_caps(re.sub(r"\b(?:UBND|HĐND)\b", "", text)):
        return text
    if known_name(text):
        return known_name(text)
    level = _LEVEL_RE.search(folded)
    head, place = (text[: level.start()], text[level.start() :]) if level else (text, "")
    return " ".join(p for p in (_sentence_name(head), _place_name(place)) if p)


def _sentence_name(text: str) -> str:
    """ "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo": each part after the head word, "và", "," or
    "-" starts with a capital, as official names are written."""
    out, capital_next = [], True
    for k, word in enumerate(text.split()):
        if word in ("UBND", "HĐND"):
            out.append(word)
            capital_next = True
            continue
        lower = word.lower()
        out.append(lower[:1].upper() + lower[1:] if capital_next or k == 1 else lower)
        capital_next = lower in ("và", "-", "–") or word.endswith(",")
    return " ".join(out)


def _place_name(text: str) -> str:
    if not text:
        return ""
    folded = fold_aligned(text)
    m = _LEVEL_START_RE.match(folded)
    cut = m.end() if m else 0
    return (text[:cut].lower() + " " + title_case_name(text[cut:].strip())).strip()


# --- title and year -----------------------------------------------------------------------------

_KEEP_CAPS = {
    "CCHC",
    "UBND",
    "HĐND",
    "TTHC",
    "CNTT",
    "PAR",
    "INDEX",
    "SIPAS",
    "PAPI",
    "PCI",
    "DDCI",
    "MTTQ",
    "TW",
    "CP",
    "VN",
    "THCS",
    "THPT",
}


def extract_title(front: list[Block], at: int | None, review: Review) -> str | None:
    if at is None:
        review.warn("title", "missing")
        return None
    first = front[at]
    parts: list[str] = []
    own = re.sub(r"(?i)^\s*k[ếe]\s*ho[ạa]ch\b[\s:.-]*", "", first.text).strip()
    if own:
        parts.append(own)
    for block in front[at + 1 : at + 4]:
        if own or block.kind or _is_preamble(block.text):
            break
        if _NUMBER_RE.search(block.text) or _date_line(block.text):
            break
        parts.append(block.text)
        if not is_caps(block.text) and block.text.rstrip().endswith((".", ";")):
            break
    title = clean(" ".join(parts))
    if not title:
        review.warn("title", "missing")
        return None
    review.keep("title", " ".join(parts), first.line)
    return _sentence_case(title) if is_caps(title) else title


def _is_preamble(text: str) -> bool:
    """The paragraph under the title: it cites documents, or ends with "như sau:" — a title does neither.
    (A title may well begin "Thực hiện" or "Triển khai", so the first words cannot tell.)"""
    key = fold(text)
    cites = re.search(r"\bso\s*\d+\s*/", key)
    return bool(cites) or key.startswith("can cu") or text.rstrip().endswith((":", ";")) or len(text) > 250


def _sentence_case(text: str) -> str:
    """An all-caps title in sentence case, abbreviations and place names kept."""
    words = text.split()
    out: list[str] = []
    place = 0
    for word in words:
        bare = word.strip(",.;:()")
        if bare in _KEEP_CAPS:
            out.append(word)
        elif place and not re.match(r"^\d", bare) and fold(bare) not in ("nam", "giai", "doan", "ve", "va", "den"):
            out.append(title_case_name(word))
            place -= 1
            continue
        else:
            out.append(word.lower())
        place = 3 if fold(bare) in ("tinh", "huyen", "xa", "phuong", "quan") else 0
    text = " ".join(out)
    return text[:1].upper() + text[1:]


def extract_year(title: str | None, outline: Outline, issued_year: int | None, review: Review) -> int | None:
    """The year in the title; else the year the body speaks of most ("trong năm 2025"); else the date's."""
    if title:
        named = re.findall(r"nam\s+((?:19|20)\d\d)\b", fold(title)) or re.findall(r"\b((?:19|20)\d\d)\b", title)
        if named:
            return int(named[-1])
    front = {id(b) for b in outline.front_matter()}
    counts = Counter(
        int(y)
        for block in outline.blocks
        if id(block) not in front
        for y in re.findall(r"\bnam\s+((?:19|20)\d\d)\b", fold(block.text))
    )
    if counts or issued_year:
        review.warn("year", "inferred")
        return counts.most_common(1)[0][0] if counts else issued_year
    review.warn("year", "missing")
    return None


# --- legal bases --------------------------------------------------------------------------------

# Matched on folded text (accents and case ignored, so OCR slips and unaccented text still read); the
# parts are then cut from the original at the same positions.
_KINDS = (
    r"bo luat|luat|phap lenh|nghi quyet|nghi dinh|quyet dinh|chi thi|thong tu lien tich|thong tu|ke hoach"
    r"|cong van|van ban|chuong trinh hanh dong|chuong trinh|huong dan|thong bao|ket luan|de an|cong dien"
)
_CITATION_RE = re.compile(
    rf"\b(?P<kind>{_KINDS})\b(?P<name>(?:(?!\b(?:{_KINDS})\b|\bso\b)[^;]){{0,160}}?)\s*\bso\s*"
    r"(?P<number>\d+(?:\s*[/\-]\s*[a-z0-9&.]*[a-z0-9])*)"
    r"(?:\s*,?\s*ngay\s*(?P<date>\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}"
    r"|\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}))?"
    r"(?P<tail>\s*(?:cua\s+[^;]{1,120}))?"
)
_ISSUER_END_RE = re.compile(
    r"\s+(?:ve|phe duyet|ban hanh|quy dinh|huong dan|trien khai|thuc hien|sua doi|tiep tuc|to chuc|giao|"
    r"day manh|tang cuong|nang cao|thong qua|tren dia ban|giai doan)\b|[;,.]|$"
)
_SUFFIX_ISSUERS = (
    ("TTg", "Thủ tướng Chính phủ"),
    ("CP", "Chính phủ"),
    ("UBTVQH", "Ủy ban Thường vụ Quốc hội"),
    ("QH", "Quốc hội"),
    ("TW", "Ban Chấp hành Trung ương"),
    ("BNV", "Bộ Nội vụ"),
)


def _iso_date(text: str | None) -> str | None:
    if not text:
        return None
    nums = [int(n) for n in re.findall(r"\d+", text)]
    if len(nums) != 3:
        return None
    d, m, y = nums
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _citation_issuer(tail: str | None, number: str) -> str | None:
    if tail:
        folded = fold_aligned(tail)
        start = re.match(r"\s*cua\s+", folded).end()
        body = tail[start : start + _ISSUER_END_RE.search(folded[start:]).start()]
        body = re.sub(r"\s*\([^)]*\)", "", body).strip()
        if body:
            return format_agency_name(body)
    suffix = re.split(r"[-/]", number)[-1]
    for code, issuer in _SUFFIX_ISSUERS:
        if suffix.upper().startswith(code.upper()):
            return issuer
    return None


def extract_legal_bases(blocks: Iterable[Block], review: Review) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        folded = fold_aligned(text)
        matches = list(_CITATION_RE.finditer(folded))
        for k, m in enumerate(matches):
            number = re.sub(r"\s+", "", text[m.start("number") : m.end("number")]).rstrip(".")
            if fold(number) in seen:
                continue
            seen.add(fold(number))
            kind = text[m.start("kind") : m.end("kind")]
            tail = text[m.start("tail") : m.end("tail")] if m["tail"] else None
            base = {
                "kind": kind[:1].upper() + kind[1:],
                "number": number,
                "date": _iso_date(m["date"]),
                "issuer": _citation_issuer(tail, number),
                "text": clean(text[m.start() : _citation_end(folded, m, matches[k + 1 :])]),
                "line": block.line,
            }
            if not base["date"]:
                review.warn(f"legal_bases[{len(out)}].date", "no_date")
            out.append(base)
    return out


# Where the preamble turns from its bases to the plan itself: ", UBND tỉnh Gia Lai ban hành Kế hoạch ...".
_PREAMBLE_TURN_RE = re.compile(r",\s*[^,;]{0,80}?\b(?:ban hanh|xay dung)\s+ke hoach\b|\bnhu sau\s*:|\.(?:\s|$)")


def _citation_end(folded: str, m: re.Match, later: list[re.Match]) -> int:
    """A citation's text runs to the next ";", the next citation or the preamble's turn to the plan,
    whatever its length ("... giai đoạn 2021-2025 và định hướng đến năm 2030 của tỉnh Gia Lai")."""
    end = len(folded)
    semicolon = folded.find(";", m.end())
    if semicolon >= 0:
        end = semicolon
    if later:
        end = min(end, later[0].start())
    turn = _PREAMBLE_TURN_RE.search(folded, m.start("tail") if m["tail"] else m.end(), end)
    return turn.start() if turn else end


def preamble_blocks(front: list[Block], title_at: int | None, outline: Outline) -> list[Block]:
    """The preamble, plus a "Căn cứ ..." section where a plan lists its bases as a numbered part."""
    start = (title_at + 1) if title_at is not None else 0
    blocks = list(front[start:])
    for node in outline.root.children:
        if re.match(r"^(?:can cu|co so)\b", fold(node.label)):
            blocks.extend(n.block for n in node.walk() if n.block)
    return blocks


# --- labelled sections --------------------------------------------------------------------------


def _label_key(node: Node) -> str:
    # Section labels are short; folding only the start keeps long paragraphs cheap to test.
    return re.sub(r"\s*\([^)]*\)", "", fold(node.label[:120])).strip(" .:*")


def find_section(root: Node, pattern: str, skip: set[int] | None = None) -> Node | None:
    """The first node (document order) whose label matches ``pattern`` (a regex on folded text)."""
    regex = re.compile(pattern)
    for node in root.walk():
        if node.block is None or (skip and id(node) in skip):
            continue
        if regex.match(_label_key(node)):
            return node
    return None


def item_texts(node: Node | None) -> list[str]:
    """The items of a section: its numbered or bulleted children, or else its body paragraphs."""
    if node is None:
        return []
    items = [clean_item(c.text) for c in node.children if c.kind]
    if not items:
        items = [clean_item(c.text) for c in node.children]
    if not items and node.rest:
        items = [clean_item(node.rest)]
    return [i for i in items if i]


def clean_item(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t;")


def extract_list_section(outline: Outline, pattern: str, path: str, review: Review) -> list[str]:
    node = find_section(outline.root, pattern)
    if node is None:
        review.warn(path, "missing")
        return []
    review.keep(path, node.text, node.line)
    return item_texts(node)


def extract_audience(outline: Outline, review: Review) -> str | None:
    node = find_section(outline.root, r"^doi tuong(?: tuyen truyen| duoc tuyen truyen| ap dung)?$")
    if node is None:
        return None
    review.keep("audience", node.text, node.line)
    parts = ([node.rest] if node.rest else []) + [c.text for c in node.children]
    return clean_item("; ".join(p.strip(" ;") for p in parts if p)) or None


_TOPICS_RE = r"^(?:cac |ve )?noi dung\b"


def extract_topics(outline: Outline, activity_nodes: set[int], review: Review) -> list[dict]:
    node = _topics_section(outline, activity_nodes)
    if node is None:
        review.warn("topics", "missing")
        return []
    topics = []
    children = [c for c in node.children if c.kind and id(c) not in activity_nodes]
    for k, child in enumerate(children, 1):
        number = child.marker if child.kind not in BULLETS else str(k)
        items = [clean_item(g.text) for g in child.children]
        topics.append(
            {
                "number": number,
                "text": clean_item(child.text),
                "items": [i for i in items if i],
                "line": child.line,
            }
        )
    return topics


def _topics_section(outline: Outline, activity_nodes: set[int]) -> Node | None:
    """The content section: a numbered heading "Nội dung ..." with items, outside any activity. Where a
    combined "NỘI DUNG, HÌNH THỨC" part holds a "1. Nội dung tuyên truyền", the inner one is meant."""
    skip = _inside(activity_nodes, outline)
    regex = re.compile(_TOPICS_RE)

    def fits(node: Node) -> bool:
        if id(node) in skip or node.block is None or node.kind in BULLETS or len(node.label) > 80:
            return False
        return bool(regex.match(_label_key(node))) and any(c.kind for c in node.children)

    found = next((n for n in outline.root.walk() if fits(n)), None)
    while found is not None:
        inner = next((c for c in found.children if fits(c)), None)
        if inner is None:
            return found
        found = inner
    return None


def _inside(nodes: set[int], outline: Outline) -> set[int]:
    """Ids of every node inside the given nodes (a field "a) Nội dung:" is not the content section)."""
    out: set[int] = set()
    for node in outline.root.walk():
        if id(node) in nodes:
            out.update(id(n) for n in node.walk())
    return out


# --- duties, recipients, signer -----------------------------------------------------------------


def extract_duties(outline: Outline, review: Review) -> list[dict]:
    # the part itself, not an activity's "- Trách nhiệm thực hiện: ..." label of the same words
    pattern = re.compile(r"^(?:to chuc thuc hien|trach nhiem thuc hien|phan cong (?:thuc hien|nhiem vu))$")
    node = next((n for n in outline.root.walk() if n.block and n.children and pattern.match(_label_key(n))), None)
    if node is None:
        review.warn("duties", "missing")
        return []
    duties = []
    for child in node.children:
        text = "\n".join([child.text] + [clean_item(t) for t in child.descendants_text()])
        agencies = duty_agencies(child.text)
        duties.append({"text": text, "agencies": agencies, "line": child.line})
    return duties


_SIGN_PREFIX_RE = re.compile(r"^(?:tm|kt|tl|q|tuq)\s*\.")
_SIGNER_TITLE_RE = re.compile(
    r"^(?:pho )?(?:chu tich|giam doc|truong phong|truong ban|chanh van phong|bi thu|thu truong"
    r"|chanh thanh tra|cuc truong|chi cuc truong|vien truong|hieu truong)\b"
)
_NOT_A_NAME_RE = re.compile(r"^(?:noi nhan|luu|nhu tren|da ky|ky boi|\(|ubnd|uy ban|so |ke hoach|phu luc)")


def extract_recipients(back: list[Block], review: Review) -> list[str]:
    start = next((i for i, b in enumerate(back) if fold(b.text).startswith("noi nhan")), None)
    if start is None:
        review.warn("recipients", "missing")
        return []
    review.keep("recipients", back[start].text, back[start].line)
    items: list[str] = []
    rest = split_label(back[start].text)[1]
    if rest:  # "Nơi nhận: - Như trên;" — the first recipient on the label's line
        items.append(split_marker(rest)[2])
    finished = False
    for block in back[start + 1 :]:
        key = fold(block.text)
        if _SIGN_PREFIX_RE.match(key) or (_SIGNER_TITLE_RE.match(key) and is_caps(block.text)):
            break
        items.append(block.text)
        if key.startswith("luu"):
            finished = True
            break
    if not finished:
        review.warn("recipients", "recipients_unfinished")
    return [clean(i) for i in items if clean(i)]


def extract_signer(back: list[Block], review: Review) -> dict | None:
    titles = [i for i, b in enumerate(back) if _SIGNER_TITLE_RE.match(fold(b.text)) and len(b.text) < 40]
    if not titles:
        review.warn("signer", "missing")
        return None
    at = titles[-1]
    title = _title_text(back[at].text)
    name = next((b for b in back[at + 1 : at + 8] if _is_name(b.text)), None)
    prefix = back[at - 1].text if at and _SIGN_PREFIX_RE.match(fold(back[at - 1].text)) else None
    review.keep(
        "signer",
        "\n".join(t for t in (prefix, back[at].text, name.text if name else None) if t),
        back[at].line,
    )
    if name is None:
        review.warn("signer.name", "missing")
    person = name.text if name else None
    if person and is_caps(person):
        person = title_case_name(person)
    return {"name": person, "title": title}


def _title_text(text: str) -> str:
    words = clean(text).lower().split()
    if words and words[0] == "phó" and len(words) > 1:
        return "Phó " + words[1].capitalize() + "".join(" " + w for w in words[2:])
    return " ".join(words).capitalize()


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or any(c.isdigit() for c in text) or ":" in text:
        return False
    key = fold(text)
    if _NOT_A_NAME_RE.match(key) or _SIGNER_TITLE_RE.match(key) or _SIGN_PREFIX_RE.match(key):
        return False
    return all(w[:1].isupper() for w in words)
