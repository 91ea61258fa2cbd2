"""Activities: the forms of activity of a prose plan, or the rows of a task table.

A prose activity is recognised by its shape, not by where it sits: any numbered item whose children
carry field labels for agencies, time or funding ("b) Cơ quan thực hiện:", "- Thời gian:"). That finds
them whether the plan calls the section "Hình thức, biện pháp", "Nhiệm vụ cụ thể" or anything else.
"""

from __future__ import annotations

import re

from cchc.lib.text import fold

from .agencies import COORDINATE, IMPLEMENT, LEAD, dedupe_agencies, is_known, parse_agencies, starts_agency
from .blocks import Block
from .review import Review
from .sections import Node, Outline
from .textutil import clean
from .timeexpr import parse_recurrence, parse_time

# Field labels of a prose activity (folded, "(...)" removed) → field. With a colon after it, a lenient
# label may run on ("Thời gian thực hiện/hoàn thành:"); agency labels may not ("Cơ quan báo chí: ...").
_AGENCY = r"(?:co quan|don vi|bo phan)"
_FIELDS = (
    ("content", r"(?:noi dung|hinh thuc)(?: (?:thuc hien|cu the|tuyen truyen|cong viec|chu yeu))?", True),
    ("lead", rf"(?:{_AGENCY} )?chu tri(?: thuc hien)?", False),
    ("coordinate", rf"(?:{_AGENCY} )?phoi hop(?: thuc hien)?", False),
    (
        "agencies",
        (
            rf"{_AGENCY}(?:,? (?:co quan|don vi|dia phuong))*(?: to chuc| chu tri,? (?:va )?phoi hop)?"
            r"(?: thuc hien| trien khai)?(?: va phoi hop)?|(?:trach nhiem|phan cong) thuc hien"
            r"|phan cong(?: nhiem vu| trach nhiem)?|giao(?: thuc hien| nhiem vu)?|nhiem vu duoc giao"
        ),
        False,
    ),
    ("time", r"(?:thoi gian|thoi han|tien do|thoi diem)(?: thuc hien| hoan thanh| trien khai)?", True),
    ("funding", r"(?:nguon )?kinh phi(?: thuc hien| dam bao)?", True),
    ("frequency", r"(?:tan suat|chi tieu|so luong|san pham|thoi luong)", True),
)
_SCHEDULE_FIELDS = {"lead", "coordinate", "agencies", "time", "funding"}
_EMPTY_CELL_RE = re.compile(r"^[-–—x/.\s]*$|^(?:khong|không)$", re.IGNORECASE)


def field_of(text: str) -> tuple[str | None, str | None]:
    """("time", "Quý I/2024") for "Thời gian thực hiện: Quý I/2024"; (None, None) for other text."""
    if assignment_sentence(text):
        return "agencies", text.strip()
    m = re.match(r"^([^:]{1,60}?)\s*:\s*(.*)$", text, re.DOTALL)
    if m is None and len(text) > 60:  # a label without a colon is a short line of its own
        return None, None
    label, rest = (m.group(1), m.group(2).strip() or None) if m else (text, None)
    key = re.sub(r"\s*\([^)]*\)", "", fold(label)).strip(" .*")
    for name, core, lenient in _FIELDS:
        tail = r"\b[^:]{0,35}$" if lenient and m else "$"
        if re.match(f"^(?:{core}){tail}", key):
            return name, rest
    return None, None


_ASSIGN_RE = re.compile(r"^(?:giao|de nghi|phan cong)\s+")
_ROLE_RE = re.compile(r"\b(?:chu tri|phoi hop)\b")


def assignment_sentence(text: str) -> bool:
    """ "Giao Sở Nội vụ chủ trì; Sở Tư pháp, Công an tỉnh phối hợp thực hiện." or "Sở Nội vụ chủ trì, phối
    hợp với Sở Tư pháp ...": a sentence that assigns the activity, with no label before it."""
    folded = fold(text[:200]).lstrip("-+• ")
    m = _ASSIGN_RE.match(folded)
    rest = text.lstrip("-+• ")[m.end() :] if m else text.lstrip("-+• ")
    head = re.split(r"[,;:]|\s(?:chu tri|phoi hop)\b", fold(rest), maxsplit=1)[0]
    if not (_ROLE_RE.search(folded) and starts_agency(rest) and len(head) <= 80):
        return False
    return bool(m) or bool(re.match(r"^[^:]{0,80}\bchu tri\b", folded))


_NOT_ACTIVITIES_RE = re.compile(r"^(?:to chuc thuc hien|trach nhiem|phan cong|kinh phi|noi nhan|phu luc)")


def activity_nodes(root: Node) -> list[Node]:
    """Numbered items that carry activity fields; an activity's own children are not searched further,
    nor are the duties and funding sections (their "Thời gian:" lines are deadlines of duties)."""
    found: list[Node] = []

    def has_fields(node: Node) -> bool:
        return any(
            g.kind in (None, "letter", "dash", "plus") and field_of(g.text)[0] in _SCHEDULE_FIELDS
            for g in node.children
        )

    def visit(node: Node) -> None:
        for child in node.children:
            if _NOT_ACTIVITIES_RE.match(fold(child.label[:30])):
                continue
            if child.kind and has_fields(child):
                found.append(child)
            else:
                visit(child)

    visit(root)
    return found


def prose_activity(node: Node, year: int | None, index: int, review: Review) -> dict:
    fields: dict[str, list[str]] = {}
    content: list[str] = []
    for child in node.children:
        name, rest = field_of(child.text)
        if name is None:
            content.extend(_flatten(child))
            continue
        for part, value in _inline_fields(name, rest or ""):
            fields.setdefault(part, []).extend([value] if value else [])
        fields[name].extend(clean_text(t) for t in child.descendants_text())
    content = fields.pop("content", []) + content
    title = clean(node.text)
    return _activity(node.marker or str(index + 1), title, content, fields, year, index, node.line, review)


def _inline_fields(name: str, rest: str) -> list[tuple[str, str]]:
    """ "Sở Nội vụ; Thời gian thực hiện: Quý I" — a second field written on the same line."""
    pieces = re.split(r"(?<=[.;])\s+(?=[^:.;]{2,40}:)", rest)
    out = [(name, pieces[0].strip())]
    for piece in pieces[1:]:
        field, value = field_of(piece)
        if field is None:
            out[-1] = (out[-1][0], f"{out[-1][1]} {piece}".strip())
        else:
            out.append((field, (value or "").strip()))
    return out


def _flatten(node: Node) -> list[str]:
    return [clean_text(n.text) for n in node.walk() if n.text.strip()]


def clean_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" \t;")


def _activity(
    number: str,
    title: str,
    content: list[str],
    fields: dict[str, list[str]],
    year: int | None,
    index: int,
    line: int,
    review: Review,
) -> dict:
    agencies = _agencies(fields)
    schedule_text = " ".join(fields.get("time", [])) or None
    period, recurrence, understood = _schedule(schedule_text, fields, title, year)
    funding = " ".join(fields.get("funding", [])).strip()
    _review_activity(f"activities[{index}]", agencies, schedule_text, understood, review)
    return {
        "number": number,
        "title": title,
        "content": [c for c in content if c],
        "agencies": agencies,
        "period": period,
        "recurrence": recurrence,
        "funding": funding if _has_value(funding) else None,
        "agencies_text": _agencies_text(fields),
        "schedule_text": schedule_text,
        "line": line,
    }


_AGENCY_FIELDS = (
    ("lead", LEAD, "Chủ trì"),
    ("coordinate", COORDINATE, "Phối hợp"),
    ("agencies", IMPLEMENT, "Thực hiện"),
)


def _agencies(fields: dict[str, list[str]]) -> list[dict]:
    """Each agency field read with its own default role; keywords inside the text still win."""
    found = [a for key, role, _ in _AGENCY_FIELDS for a in parse_agencies(" ; ".join(fields.get(key, [])), role)]
    return dedupe_agencies(found)


def _agencies_text(fields: dict[str, list[str]]) -> str | None:
    present = [(key, label) for key, _, label in _AGENCY_FIELDS if fields.get(key)]
    if len(present) == 1:
        return " ".join(fields[present[0][0]])
    return "\n".join(f"{label}: {' '.join(fields[key])}" for key, label in present) or None


def _schedule(
    text: str | None, fields: dict[str, list[str]], title: str, year: int | None
) -> tuple[dict | None, dict | None, bool]:
    """Period, recurrence, and whether the time text was understood. A frequency may also be stated in
    its own field ("Số lượng: 02 tin, bài/tháng") or in the title; a recurrence with no window spans
    the plan year."""
    if year is None:
        return None, parse_recurrence(text), True
    reading = parse_time(text, year)
    recurrence = reading.recurrence
    for extra in (" ".join(fields.get("frequency", [])), title):
        recurrence = recurrence or parse_recurrence(extra)
    period = reading.period
    if recurrence and period is None and reading.understood:
        period = {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    return period, recurrence, reading.understood


def _review_activity(path: str, agencies: list[dict], schedule: str | None, understood: bool, review: Review) -> None:
    if not agencies:
        review.warn(f"{path}.agencies", "no_agencies")
    for k, agency in enumerate(agencies):
        if not is_known(agency["name"]):
            review.warn(f"{path}.agencies[{k}]", "unknown_agency")
    if not schedule:
        review.warn(f"{path}.period", "no_time")
    elif not understood:
        review.warn(f"{path}.period", "time_unread")


# --- task tables --------------------------------------------------------------------------------

# Column header (folded) → field. Order matters: "Thời gian thực hiện" is time, not agencies, and
# "Cơ quan phối hợp" is checked before "chủ trì" before the generic "thực hiện".
_COLUMNS = (
    ("number", r"^(?:stt|tt|so tt|so thu tu)$"),
    ("time", r"thoi gian|thoi han|tien do|thoi diem"),
    ("funding", r"kinh phi"),
    ("agencies", r"chu tri,? (?:va )?phoi hop|phan cong|\bgiao\b"),
    ("coordinate", r"phoi hop"),
    ("lead", r"chu tri"),
    ("agencies", r"(?:co quan|don vi|bo phan)|thuc hien|trach nhiem"),
    ("frequency", r"tan suat|so luong|chi tieu|san pham|thoi luong"),
    ("title", r"noi dung|nhiem vu|hoat dong|hinh thuc|cong viec|ten\b"),
    ("note", r"ghi chu"),
)


_TITLE_PREFERENCE = ("nhiem vu", "noi dung", "hoat dong", "cong viec", "ten", "hinh thuc")


def _column_field(header: str) -> str | None:
    key = fold(header).strip(" .:*")
    for name, pattern in _COLUMNS:
        if re.search(pattern, key):
            return name
    return None


def _is_header_row(cells: tuple[str, ...]) -> bool:
    return sum(1 for c in cells if c.strip() and _column_field(c)) >= 2 and not re.match(r"^\d", cells[0].strip())


def _is_column_numbers(cells: tuple[str, ...]) -> bool:
    return all(re.match(r"^\(?\d{1,2}\)?$", c.strip()) for c in cells if c.strip())


def table_columns(rows: list[Block]) -> tuple[list[str | None], int]:
    """Field of each column and how many header rows there are (headers may span two rows)."""
    headers = 0
    while headers < min(3, len(rows)) and _is_header_row(rows[headers].cells or ()):
        headers += 1
    if not headers:
        return [], 0
    width = max(len(r.cells or ()) for r in rows[:headers])
    labels = []
    for col in range(width):
        parts = [r.cells[col] for r in rows[:headers] if r.cells and col < len(r.cells) and r.cells[col].strip()]
        # the lowest header row is the most specific ("Cơ quan thực hiện" above "Chủ trì" | "Phối hợp")
        fields = [_column_field(p) for p in reversed(parts)]
        labels.append(next((f for f in fields if f), None))
    titles = [col for col, f in enumerate(labels) if f == "title"]
    if len(titles) > 1:  # "Hình thức" beside "Nội dung": the task column is the title, the other content
        best = min(titles, key=lambda col: _title_rank(rows[:headers], col))
        labels = ["content" if f == "title" and col != best else f for col, f in enumerate(labels)]
    return labels, headers


def _title_rank(header_rows: list[Block], col: int) -> int:
    text = " ".join(fold(r.cells[col]) for r in header_rows if r.cells and col < len(r.cells))
    return next((k for k, word in enumerate(_TITLE_PREFERENCE) if word in text), len(_TITLE_PREFERENCE))


def table_activities(rows: list[Block], year: int | None, start: int, review: Review) -> list[dict]:
    columns, headers = table_columns(rows)
    if "title" not in columns:
        return []
    out: list[dict] = []
    for row in rows[headers:]:
        cells = dict(_cells_by_field(columns, row.cells or ()))
        if _is_column_numbers(row.cells or ()) or _is_header_row(row.cells or ()) or _is_group_row(row, cells):
            continue
        lines = [ln.strip() for ln in cells.get("title", "").split("\n") if ln.strip()]
        fields = {k: [v] for k, v in cells.items() if k in _SCHEDULE_FIELDS | {"frequency"} and _has_value(v)}
        content = lines[1:] + [c for c in cells.get("content", "").split("\n") if c.strip()]
        number = cells.get("number", "").strip(" .") or str(len(out) + 1)
        index = start + len(out)
        out.append(
            _activity(
                number,
                clean(lines[0]),
                [clean_text(re.sub(r"^[-+•]\s*", "", c)) for c in content],
                fields,
                year,
                index,
                row.line,
                review,
            )
        )
    return out


def _cells_by_field(columns: list[str | None], cells: tuple[str, ...]):
    for col, name in enumerate(columns):
        if name and col < len(cells):
            yield name, cells[col]


def _has_value(text: str) -> bool:
    """False for an empty cell or a dash/"không" standing for nothing."""
    value = text.strip(" \t\n.;")
    return bool(value) and not _EMPTY_CELL_RE.match(value)


def _is_group_row(row: Block, cells: dict[str, str]) -> bool:
    """A heading row inside the table ("I | TUYÊN TRUYỀN TRÊN BÁO CHÍ", merged across the columns)."""
    title = cells.get("title", "").strip()
    if not title:
        return True
    number = cells.get("number", "").strip()
    values = {c.strip() for c in row.cells or () if c.strip()}
    if len(values) <= 1 or values - {number} == {title}:  # a merged cell repeats over the columns it spans
        return True
    schedule = [v for k, v in cells.items() if k in _SCHEDULE_FIELDS and _has_value(v) and v.strip() != title]
    return bool(re.match(r"^(?:[IVX]+|[A-H])\.?$", number)) and not schedule


def extract_activities(outline: Outline, year: int | None, review: Review) -> tuple[list[dict], set[int]]:
    """Activities from task tables when the plan has them, else from its prose; plus the prose nodes used."""
    nodes = activity_nodes(outline.root)
    node_ids = {id(n) for n in nodes}
    table_review = Review()  # only kept when the tables are what we use
    from_tables: list[dict] = []
    for rows in outline.tables:
        from_tables.extend(table_activities(rows, year, len(from_tables), table_review))
    if from_tables:
        review.warnings.extend(table_review.warnings)
        return from_tables, node_ids
    activities = [prose_activity(n, year, k, review) for k, n in enumerate(nodes)]
    if not activities:
        review.warn("activities", "no_activities")
    return activities, node_ids
