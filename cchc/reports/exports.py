"""Reports as official Word documents (Nghị định 30/2020/NĐ-CP, through ``cchc.lib.docwriter``) and as
Excel workbooks of their tables (openpyxl)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from cchc.lib import docwriter as dw
from cchc.lib.text import fold
from cchc.lib.vnformat import vn_number, vn_short_date
from cchc.lib.xlsx import new_workbook, table_sheet, workbook_bytes
from cchc.orgs.models import Unit, UnitKind
from cchc.reports import topics
from cchc.reports.completeness import GROUP_LABELS
from cchc.reports.consolidation import consolidate, general_text_state
from cchc.reports.figures import report_figures
from cchc.reports.models import ProvinceReport, Report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COMMITTEE_KINDS = (UnitKind.PROVINCIAL_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE)
_DIVISION = re.compile(
    r"^(UBND|Ủy ban nhân dân)\s+(tỉnh|thành phố|thị xã|huyện|quận|xã|phường|thị trấn)\s+", re.IGNORECASE
)
NONE_TEXT = "Không có."


@dataclass
class Export:
    filename: str
    content: bytes
    content_type: str


# --- Who issues, where, under which symbol ---------------------------------------------------------------


def issuing_body(unit: Unit) -> str:
    """People's Committees are written out in full ("ỦY BAN NHÂN DÂN XÃ IA KHA")."""
    name = unit.name
    if name.startswith("UBND "):
        name = "Ủy ban nhân dân " + name[5:]
    return name


def governing_body(unit: Unit) -> str:
    """The body directly above the issuer (Nghị định 30: not written for People's Committees)."""
    if unit.kind in COMMITTEE_KINDS or unit.parent is None:
        return ""
    return unit.parent.name.replace("Ủy ban nhân dân", "UBND")


def place_name(unit: Unit) -> str:
    """The place written before the date: the commune or district for their committees, else the province."""
    if unit.kind in (UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE):
        stripped = _DIVISION.sub("", unit.name)
        if stripped != unit.name:
            return stripped
    return settings.CCHC_PROVINCE


def symbol_for(unit: Unit) -> str:
    if unit.kind in COMMITTEE_KINDS:
        return "BC-UBND"
    short = re.sub(r"[^A-Za-z0-9Đđ]", "", fold(unit.short_name or "").upper()) if unit.short_name else ""
    if not short:
        short = "".join(w[0] for w in fold(unit.name).upper().split() if w[0].isalpha())[:8]
    return f"BC-{short}"


def plan_reference(plan) -> str:
    text = f"Kế hoạch số {plan.reference}" if plan.reference else "Kế hoạch"
    if plan.issued_on:
        text += f" ngày {plan.issued_on:%d/%m/%Y}"
    if plan.issuer:
        text += f" của {plan.issuer}"
    return f"{text} về {plan.title[:1].lower()}{plan.title[1:]}" if plan.title else text


def _paragraphs(text: str) -> list[dw.Paragraph]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [dw.Paragraph(line) for line in lines] or [dw.Paragraph(NONE_TEXT)]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _filename(period, who: str, ext: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(who)).strip("-")[:60]
    return f"bao-cao-cchc-{period.code}-{slug}.{ext}"


# --- Agency report ---------------------------------------------------------------------------------------


def _agency_state(report: Report) -> dict:
    figures, items = report_figures(report)
    version = report.current_version if report.is_locked and report.current_version_id else None
    narratives = version.narratives if version else report.narratives()
    signer = (
        version.signer
        if version
        else {
            "authority": report.signer_authority,
            "title": report.signer_title,
            "name": report.signer_name,
            "doc_number": report.doc_number,
        }
    )
    date = timezone.localdate(version.submitted_at) if version else None
    return {
        "figures": figures,
        "items": items,
        "topics": topics.for_items(report.period.plan_id, items),
        "narratives": narratives,
        "signer": signer,
        "date": date,
        "final": version is not None,
    }


PLACEHOLDER = "Chưa có kết quả trong kỳ"


def activity_rows(activities: list[dict], *, agencies_column: bool = False) -> tuple[list, frozenset]:
    """Table rows for figures by activity: a spanning title per activity, one numbered row per kind of
    result (in one unit of measure), and a bold total."""
    rows, totals, number = [], {"results": 0, "reach": 0, "cost": 0}, 0
    for activity in activities:
        title = f"{activity['number']}. {activity['title']}" if activity["number"] else activity["title"]
        due = activity["deliverables"]
        extra = []
        if activity.get("target"):
            extra.append(f"chỉ tiêu {activity['target']}")
        if due["due"]:
            extra.append(f"đạt {due['met']}/{due['due']} sản phẩm định kỳ ({due['met_on_time']} đúng hạn)")
        if agencies_column and activity.get("agencies"):
            extra.append(f"{activity['agencies']} cơ quan, đơn vị thực hiện")
        rows.append(dw.SpanRow(title[:300] + (f" — {'; '.join(extra)}" if extra else "")))
        if not activity["rows"]:
            rows.append(dw.SpanRow(PLACEHOLDER, bold=False))
        for row in activity["rows"]:
            number += 1
            rows.append(
                [
                    str(number),
                    row["kind_label"],
                    vn_number(row["quantity"]),
                    row["quantity_unit"],
                    vn_number(row["results"]),
                    vn_number(row["reach"]),
                    vn_number(row["cost"]),
                ]
            )
        for key in totals:
            totals[key] += activity[key]
    rows.append(
        ["", "Tổng cộng", "", "", vn_number(totals["results"]), vn_number(totals["reach"]), vn_number(totals["cost"])]
    )
    return rows, frozenset({len(rows) - 1})


ACTIVITY_COLUMNS = [
    dw.Column("STT", 13, "center"),
    dw.Column("Hình thức", 36),
    dw.Column("Số lượng", 18, "right"),
    dw.Column("Đơn vị tính", 22),
    dw.Column("Số kết quả", 17, "right"),
    dw.Column("Số người được tuyên truyền", 26, "right"),
    dw.Column("Kinh phí (đồng)", 33, "right"),
]


def agency_document(report: Report) -> dw.OfficialDocument:
    period, unit, plan = report.period, report.unit, report.period.plan
    state = _agency_state(report)
    figures, narratives, signer = state["figures"], state["narratives"], state["signer"]
    rows, bold = activity_rows(figures["activities"])
    label = _lower_first(period.label)
    body = [
        dw.Paragraph(
            f"Thực hiện {plan_reference(plan)}, {unit.name} báo cáo kết quả công tác tuyên truyền cải cách "
            f"hành chính {label} (số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) "
            "như sau:"
        ),
        dw.Heading("I. KẾT QUẢ THỰC HIỆN"),
        dw.Heading("1. Kết quả chung"),
        *_paragraphs(narratives.get("results_text")),
        dw.Heading("2. Kết quả theo từng hoạt động của kế hoạch"),
        dw.Table(ACTIVITY_COLUMNS, rows, bold_rows=bold),
        *topics.word_blocks(state["topics"], "3. Kết quả theo nội dung tuyên truyền"),
        dw.Heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
        *_paragraphs(narratives.get("shortcomings_text")),
        dw.Heading("III. ĐỀ XUẤT, KIẾN NGHỊ"),
        *_paragraphs(narratives.get("proposals_text")),
        dw.Paragraph(
            f"Trên đây là báo cáo kết quả công tác tuyên truyền cải cách hành chính {label} của "
            f"{unit.name}, kính gửi Sở Nội vụ tổng hợp, báo cáo UBND tỉnh./."
        ),
    ]
    symbol = symbol_for(unit)
    annex = []
    if state["items"]:
        annex = [
            dw.Paragraph("PHỤ LỤC", bold=True, align="center", indent=False),
            dw.Paragraph(
                f"DANH MỤC KẾT QUẢ TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH {period.label.upper()}",
                bold=True,
                align="center",
                indent=False,
            ),
            dw.Paragraph(
                f"(Kèm theo Báo cáo số {signer.get('doc_number') or '      '}/{symbol} của {unit.name})",
                italic=True,
                align="center",
                indent=False,
            ),
            dw.Table(
                [
                    dw.Column("STT", 10, "center"),
                    dw.Column("Ngày", 21, "center"),
                    dw.Column("HĐ", 9, "center"),
                    dw.Column("Hình thức", 24),
                    dw.Column("Nội dung", 45),
                    dw.Column("Số lượng", 18, "right"),
                    dw.Column("Số người", 15, "right"),
                    dw.Column("Kinh phí (đồng)", 23, "right"),
                ],
                [
                    [
                        str(i),
                        vn_short_date(item["date"]),
                        item["activity_number"] or "—",
                        item["kind_label"],
                        item["title"],
                        f"{vn_number(item['quantity'])} {item['quantity_unit']}".strip(),
                        vn_number(item["reach"]),
                        vn_number(item["cost"]),
                    ]
                    for i, item in enumerate(state["items"], start=1)
                ],
                size=11,
            ),
        ]
    return dw.OfficialDocument(
        governing_body=governing_body(unit),
        issuing_body=issuing_body(unit),
        number=signer.get("doc_number") or "",
        symbol=symbol,
        place=place_name(unit),
        date=state["date"],
        year=period.end.year,
        doc_type="Báo cáo",
        summary=f"Kết quả công tác tuyên truyền cải cách hành chính {label}",
        body=body,
        recipients=["Sở Nội vụ (b/c);", "Lưu: VT."],
        signature=dw.Signature(
            title=signer.get("title") or "", name=signer.get("name") or "", authority=signer.get("authority") or ""
        ),
        annex=annex,
        draft=not state["final"],
    )


def agency_workbook(report: Report) -> bytes:
    state = _agency_state(report)
    book = new_workbook()
    sheet = book.active
    sheet.title = "Theo hoạt động"
    table_sheet(
        sheet,
        f"{report.unit.name} — {report.period.label}",
        ACTIVITY_SHEET_HEADER,
        _activity_sheet_rows(state["figures"]["activities"]),
        ACTIVITY_SHEET_WIDTHS,
    )
    items = book.create_sheet("Danh mục kết quả")
    table_sheet(
        items,
        f"{report.unit.name} — {report.period.label}",
        [
            "Ngày",
            "Hoạt động",
            "Hình thức",
            "Nội dung",
            "Số lượng",
            "Đơn vị tính",
            "Số người",
            "Kinh phí (đồng)",
            "Nguồn kinh phí",
            "Số minh chứng",
        ],
        [
            [
                _date(item["date"]),
                item["activity_number"],
                item["kind_label"],
                item["title"],
                _num(item["quantity"]),
                item["quantity_unit"],
                item["reach"],
                item["cost"],
                item["funding_source"],
                item["evidence"],
            ]
            for item in state["items"]
        ],
        [12, 10, 24, 60, 10, 14, 12, 16, 24, 12],
    )
    _topic_sheet(book, f"{report.unit.name} — {report.period.label}", state["topics"])
    return workbook_bytes(book)


def _topic_sheet(book, title: str, data: dict | None) -> None:
    if data and data.get("topics"):
        table_sheet(
            book.create_sheet(topics.SHEET_TITLE),
            title,
            topics.SHEET_HEADER,
            topics.sheet_rows(data),
            topics.SHEET_WIDTHS,
        )


# The "by activity" table of both workbooks (an agency's and the province's).
ACTIVITY_SHEET_HEADER = [
    "Hoạt động",
    "Hình thức",
    "Số lượng",
    "Đơn vị tính",
    "Số kết quả",
    "Số người",
    "Kinh phí (đồng)",
    "Sản phẩm phải có",
    "Đã đạt",
    "Đạt đúng hạn",
]
ACTIVITY_SHEET_WIDTHS = [60, 30, 12, 16, 12, 12, 18, 14, 10, 12]


def _activity_sheet_rows(activities: list[dict]) -> list[list]:
    out = []
    for activity in activities:
        title = f"{activity['number']}. {activity['title']}" if activity["number"] else activity["title"]
        due = activity["deliverables"]
        rows = activity["rows"] or [
            {"kind_label": "", "quantity": "0", "quantity_unit": "", "results": 0, "reach": 0, "cost": 0}
        ]
        for row in rows:
            out.append(
                [
                    title,
                    row["kind_label"],
                    _num(row["quantity"]),
                    row["quantity_unit"],
                    row["results"],
                    row["reach"],
                    row["cost"],
                    due["due"],
                    due["met"],
                    due["met_on_time"],
                ]
            )
    return out


def _num(text):
    number = float(text)
    return int(number) if number.is_integer() else number


def _date(text: str):
    """The ISO dates of the figures as real dates for Excel (dd/mm/yyyy, sortable)."""
    return dt.date.fromisoformat(text) if text else None


# --- Province report --------------------------------------------------------------------------------------


def province_state(period, province: ProvinceReport | None) -> dict:
    """The consolidation to export: frozen if issued, as it stands otherwise."""
    if province is not None and province.is_issued:
        return province.figures
    return consolidate(period)


def _province_fields(province: ProvinceReport | None, data: dict) -> dict:
    # "Đánh giá chung" as it stands against these figures: regenerated from them while nobody has edited it.
    general = general_text_state(province, data)
    if province is None:
        from cchc.reports.actions import DEFAULT_PROVINCE_RECIPIENTS

        return {
            "general_text": general.text,
            "general_stale": None,
            "shortcomings_text": "",
            "proposals_text": "",
            "recipients": DEFAULT_PROVINCE_RECIPIENTS,
            "doc_number": "",
            "signer_authority": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
            "signer_name": "",
            "issuer": None,
            "date": None,
            "final": False,
        }
    return {
        name: getattr(province, name)
        for name in (
            "shortcomings_text",
            "proposals_text",
            "recipients",
            "doc_number",
            "signer_authority",
            "signer_title",
            "signer_name",
            "issuer",
        )
    } | {
        "general_text": general.text,
        "general_stale": general if general.stale else None,
        "date": timezone.localdate(province.issued_at) if province.issued_at else None,
        "final": province.is_issued,
    }


def _general_blocks(fields: dict) -> list:
    """The "Đánh giá chung" paragraphs; in a draft whose edited text no longer matches the figures, followed by a
    visible note with the current figures (such a draft cannot be issued)."""
    blocks = _paragraphs(fields["general_text"])
    stale = fields.get("general_stale")
    if stale is not None:
        blocks.append(
            dw.Paragraph(
                "[Dự thảo — lưu ý: đoạn trên được viết khi số liệu còn khác hiện nay; chưa ban hành được cho đến "
                f"khi sửa lại. Theo số liệu hiện tại: {stale.generated}]",
                italic=True,
            )
        )
    return blocks


GROUP_ORDER = ("provincial", "district", "commune")
SHORT_TIMELINESS = {"on_time": "Đúng hạn", "late": "Trễ hạn", "returned": "Bị trả lại", "missing": "Chưa gửi"}


def province_document(period, province: ProvinceReport | None, data: dict | None = None) -> dw.OfficialDocument:
    data = data or province_state(period, province)
    fields = _province_fields(province, data)
    issuer = fields["issuer"] or Unit.objects.filter(code="so-noi-vu").select_related("parent").first()
    plan = period.plan
    label = _lower_first(period.label)
    counts = data["counts"]
    status_rows = [
        [
            GROUP_LABELS[g["key"]],
            vn_number(g["expected"]),
            *[vn_number(_group_count(data, g["key"], t)) for t in ("on_time", "late", "returned", "missing")],
        ]
        for g in data["groups"]
    ]
    status_rows.append(
        [
            "Tổng cộng",
            vn_number(counts["expected"]),
            vn_number(counts["on_time"]),
            vn_number(counts["late"]),
            vn_number(counts["returned"]),
            vn_number(counts["missing"]),
        ]
    )
    rows, bold = activity_rows(data["activities"], agencies_column=True)
    group_keys = [g["key"] for g in data["groups"]]
    group_width = 108 / max(len(group_keys) + 1, 1)
    by_group_rows = []
    for activity in data["activities"]:
        key = str(activity["activity_id"] if activity["activity_id"] is not None else "other")
        cells = [vn_number(_group_cell(data, g, key)["results"]) for g in group_keys]
        by_group_rows.append(
            [
                (f"{activity['number']}. " if activity["number"] else "") + activity["title"][:160],
                *cells,
                vn_number(activity["results"]),
            ]
        )
    by_group_rows.append(
        [
            "Số người được tuyên truyền",
            *[vn_number(g["reach"]) for g in data["groups"]],
            vn_number(data["totals"]["reach"]),
        ]
    )
    by_group_rows.append(
        ["Kinh phí (đồng)", *[vn_number(g["cost"]) for g in data["groups"]], vn_number(data["totals"]["cost"])]
    )
    body = [
        dw.Paragraph(
            f"Thực hiện {plan_reference(plan)}, trên cơ sở báo cáo của các cơ quan, đơn vị, địa phương, "
            f"Sở Nội vụ tổng hợp, báo cáo kết quả công tác tuyên truyền cải cách hành chính {label} trên "
            f"địa bàn tỉnh (số liệu từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}) "
            "như sau:"
        ),
        dw.Heading("I. TÌNH HÌNH BÁO CÁO CỦA CÁC CƠ QUAN, ĐƠN VỊ"),
        dw.Paragraph(
            f"Có {vn_number(counts['expected'])} cơ quan, đơn vị phải báo cáo; "
            f"{vn_number(counts['on_time'])} gửi đúng hạn, {vn_number(counts['late'])} gửi trễ hạn, "
            f"{vn_number(counts['returned'])} bị trả lại chưa gửi lại, {vn_number(counts['missing'])} "
            f"chưa gửi. Số liệu dưới đây tổng hợp từ {vn_number(counts['counted'])} báo cáo đã được tiếp "
            f"nhận{_pending_text(counts)}; danh sách chi tiết tại Phụ lục kèm theo."
        ),
        dw.Table(
            [
                dw.Column("Cơ quan, đơn vị", 55),
                dw.Column("Phải báo cáo", 22, "right"),
                dw.Column("Đúng hạn", 22, "right"),
                dw.Column("Trễ hạn", 22, "right"),
                dw.Column("Bị trả lại", 22, "right"),
                dw.Column("Chưa gửi", 22, "right"),
            ],
            status_rows,
            bold_rows=frozenset({len(status_rows) - 1}),
        ),
        dw.Heading("II. KẾT QUẢ THỰC HIỆN"),
        dw.Heading("1. Đánh giá chung"),
        *_general_blocks(fields),
        dw.Heading("2. Kết quả theo từng hoạt động của kế hoạch"),
        dw.Table(ACTIVITY_COLUMNS, rows, bold_rows=bold, size=11),
        dw.Heading("3. Số kết quả theo loại cơ quan, đơn vị"),
        dw.Table(
            [
                dw.Column("Hoạt động", 57),
                *[dw.Column(str(GROUP_LABELS[k]), group_width, "right") for k in group_keys],
                dw.Column("Tổng", group_width, "right"),
            ],
            by_group_rows,
            size=11,
            bold_rows=frozenset({len(by_group_rows) - 2, len(by_group_rows) - 1}),
        ),
        *topics.word_blocks(data.get("topics"), "4. Kết quả theo nội dung tuyên truyền"),
        dw.Heading("III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
        *_paragraphs(fields["shortcomings_text"]),
        dw.Heading("IV. ĐỀ XUẤT, KIẾN NGHỊ"),
        *_paragraphs(fields["proposals_text"]),
        dw.Paragraph(
            f"Trên đây là báo cáo kết quả công tác tuyên truyền cải cách hành chính {label} trên địa bàn "
            "tỉnh, Sở Nội vụ kính báo cáo UBND tỉnh./."
        ),
    ]
    symbol = symbol_for(issuer) if issuer is not None else "BC-SNV"
    return dw.OfficialDocument(
        governing_body=governing_body(issuer) if issuer else "UBND tỉnh " + settings.CCHC_PROVINCE,
        issuing_body=issuing_body(issuer) if issuer else "Sở Nội vụ",
        number=fields["doc_number"],
        symbol=symbol,
        place=settings.CCHC_PROVINCE,
        date=fields["date"],
        year=period.end.year,
        doc_type="Báo cáo",
        summary=f"Kết quả công tác tuyên truyền cải cách hành chính {label} trên địa bàn tỉnh",
        body=body,
        recipients=[line.strip() for line in fields["recipients"].splitlines() if line.strip()],
        signature=dw.Signature(
            title=fields["signer_title"], name=fields["signer_name"], authority=fields["signer_authority"]
        ),
        annex=_province_annex(data, fields["doc_number"], symbol),
        draft=not fields["final"],
    )


def _pending_text(counts: dict) -> str:
    return (
        f" ({vn_number(counts['pending'])} báo cáo đã gửi đang chờ xem xét chưa được tính)" if counts["pending"] else ""
    )


def _group_count(data: dict, key: str, timeliness: str) -> int:
    return sum(1 for a in data["agencies"] if a["group"] == key and a["timeliness"] == timeliness)


def _group_cell(data: dict, group_key: str, activity_key: str) -> dict:
    for group in data["groups"]:
        if group["key"] == group_key:
            return group["activities"].get(activity_key, {"results": 0, "reach": 0, "cost": 0})
    return {"results": 0, "reach": 0, "cost": 0}


def _province_annex(data: dict, number: str, symbol: str) -> list:
    rows = []
    counter = 0
    for key in GROUP_ORDER:
        agencies = [a for a in data["agencies"] if a["group"] == key]
        if not agencies:
            continue
        rows.append(dw.SpanRow(str(GROUP_LABELS[key])))
        for agency in agencies:
            counter += 1
            rows.append(
                [
                    str(counter),
                    agency["name"],
                    agency["status_label"],
                    vn_short_date(agency["first_submitted_on"]),
                    SHORT_TIMELINESS[agency["timeliness"]],
                    vn_number(agency["results"]) if agency["counted"] else "",
                    vn_number(agency["reach"]) if agency["counted"] else "",
                    vn_number(agency["cost"]) if agency["counted"] else "",
                ]
            )
    annex = [
        dw.Paragraph("PHỤ LỤC", bold=True, align="center", indent=False),
        dw.Paragraph(
            f"TÌNH HÌNH BÁO CÁO VÀ KẾT QUẢ CỦA CÁC CƠ QUAN, ĐƠN VỊ {data['period']['label'].upper()}",
            bold=True,
            align="center",
            indent=False,
        ),
        dw.Paragraph(
            f"(Kèm theo Báo cáo số {number or '      '}/{symbol} của Sở Nội vụ)",
            italic=True,
            align="center",
            indent=False,
        ),
        dw.Table(
            [
                dw.Column("STT", 10, "center"),
                dw.Column("Cơ quan, đơn vị", 43),
                dw.Column("Trạng thái", 22),
                dw.Column("Ngày gửi", 20, "center"),
                dw.Column("Thời hạn", 17),
                dw.Column("Số kết quả", 13, "right"),
                dw.Column("Số người", 17, "right"),
                dw.Column("Kinh phí (đồng)", 23, "right"),
            ],
            rows,
            size=10,
        ),
    ]
    if data["not_reporting"]:
        annex += [
            dw.Heading("Các cơ quan, đơn vị chưa gửi hoặc chưa gửi lại báo cáo"),
            dw.Paragraph("; ".join(a["name"] for a in data["not_reporting"]) + "."),
        ]
    # What the province must act on: each agency's shortcomings and proposals. (Their account of results is
    # already in the figures; the full texts are on the consolidation page and in the Excel workbook.)
    voiced = [n for n in data["narratives"] if (n.get("shortcomings_text") or n.get("proposals_text") or "").strip()]
    if voiced:
        annex.append(dw.Heading("Tồn tại, hạn chế và đề xuất, kiến nghị của các cơ quan, đơn vị"))
        for item in voiced:
            parts = [
                f"{title}: {' '.join(item[name].split())}"
                for name, title in (("shortcomings_text", "Tồn tại, hạn chế"), ("proposals_text", "Đề xuất, kiến nghị"))
                if (item.get(name) or "").strip()
            ]
            annex.append(dw.Paragraph(f"- {item['name']}: " + " ".join(parts), size=13))
    return annex


def province_workbook(period, province: ProvinceReport | None, data: dict | None = None) -> bytes:
    data = data or province_state(period, province)
    label = f"Tổng hợp {data['period']['label']}"
    book = new_workbook()
    agencies = book.active
    agencies.title = "Tình hình báo cáo"
    table_sheet(
        agencies,
        label,
        [
            "Mã",
            "Cơ quan, đơn vị",
            "Loại",
            "Trạng thái",
            "Ngày gửi lần đầu",
            "Thời hạn",
            "Được tổng hợp",
            "Số kết quả",
            "Số người",
            "Kinh phí (đồng)",
        ],
        [
            [
                a["code"],
                a["name"],
                str(GROUP_LABELS[a["group"]]),
                a["status_label"],
                _date(a["first_submitted_on"]),
                a["timeliness_label"],
                "Có" if a["counted"] else "Không",
                a["results"],
                a["reach"],
                a["cost"],
            ]
            for a in data["agencies"]
        ],
        [16, 48, 30, 24, 16, 24, 12, 12, 12, 18],
    )
    table_sheet(
        book.create_sheet("Theo hoạt động"),
        label,
        ACTIVITY_SHEET_HEADER,
        _activity_sheet_rows(data["activities"]),
        ACTIVITY_SHEET_WIDTHS,
    )
    group_keys = [g["key"] for g in data["groups"]]
    header = ["Hoạt động"]
    for key in group_keys:
        name = str(GROUP_LABELS[key])
        header += [f"{name}: số kết quả", f"{name}: số người", f"{name}: kinh phí"]
    rows = []
    for activity in data["activities"]:
        key = str(activity["activity_id"] if activity["activity_id"] is not None else "other")
        row = [(f"{activity['number']}. " if activity["number"] else "") + activity["title"]]
        for g in group_keys:
            cell = _group_cell(data, g, key)
            row += [cell["results"], cell["reach"], cell["cost"]]
        rows.append(row)
    table_sheet(book.create_sheet("Theo loại cơ quan"), label, header, rows, [60] + [16] * (len(header) - 1))
    table_sheet(
        book.create_sheet("Chưa báo cáo"),
        label,
        ["Mã", "Cơ quan, đơn vị", "Trạng thái", "Quá hạn"],
        [[a["code"], a["name"], a["status_label"], "Có" if a["overdue"] else ""] for a in data["not_reporting"]],
        [16, 48, 28, 10],
    )
    table_sheet(
        book.create_sheet("Ý kiến đơn vị"),
        label,
        ["Cơ quan, đơn vị", "Kết quả", "Tồn tại, hạn chế", "Đề xuất, kiến nghị"],
        [
            [n["name"], n.get("results_text", ""), n.get("shortcomings_text", ""), n.get("proposals_text", "")]
            for n in data["narratives"]
        ],
        [40, 60, 60, 60],
    )
    _topic_sheet(book, label, data.get("topics"))
    return workbook_bytes(book)


# --- Entry points for views and the command ----------------------------------------------------------------


@translation.override("vi")  # an official document is Vietnamese whatever language the screen is in
def export_agency(report: Report, fmt: str) -> Export:
    name = _filename(report.period, report.unit.code, fmt)
    if fmt == "docx":
        return Export(name, dw.render(agency_document(report)), DOCX)
    return Export(name, agency_workbook(report), XLSX)


@translation.override("vi")
def export_province(period, fmt: str) -> Export:
    province = ProvinceReport.objects.filter(period=period).select_related("issuer", "issuer__parent").first()
    data = province_state(period, province)
    name = _filename(period, "tong-hop-tinh", fmt)
    if fmt == "docx":
        return Export(name, dw.render(province_document(period, province, data)), DOCX)
    return Export(name, province_workbook(period, province, data), XLSX)
