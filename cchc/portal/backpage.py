"""The printable back page of an agency's dossier receipts (A4 or A5 PDF)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from cchc.lib.pdf import FONT, FONT_BOLD, QRCode, register_fonts
from cchc.portal.models import AgencyContact, PaperSize, ReceiptBackPage

BRAND = colors.HexColor("#a4161a")


@dataclass
class Link:
    caption: str
    url: str


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def links_for(unit) -> list[Link]:
    """Where the QR codes lead: the procedure lookup, the feedback form, and (when the feedback
    app is installed) the satisfaction rating of this agency."""
    links = [Link(_("Tra cứu thủ tục hành chính"), site_url(reverse("procedures:search")))]
    try:
        links.append(Link(_("Gửi phản ánh, kiến nghị"), site_url(reverse("feedback:submit"))))
        links.append(Link(_("Đánh giá sự hài lòng"), site_url(reverse("feedback:rate_service", args=[unit.code]))))
    except NoReverseMatch:
        pass
    return links


def render_back_page(unit, page: ReceiptBackPage | None, contact: AgencyContact | None, *, paper: str = "") -> bytes:
    """The PDF. ``page`` None gives the province's defaults (every active message)."""
    register_fonts()
    paper = paper or (page.paper if page else PaperSize.A5)
    size = A4 if paper == PaperSize.A4 else A5
    scale = 1.0 if paper == PaperSize.A4 else 0.78
    margin = 14 * mm * scale
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"{_('Mặt sau phiếu hẹn')} — {unit.name}",
        author=unit.name,
        subject=_("Thông điệp cải cách hành chính"),
        lang="vi",
    )
    styles = _styles(scale)
    title = (page.title if page else "") or _("Thông tin dành cho tổ chức, công dân")
    story: list = [
        Paragraph(escape(unit.name.upper()), styles["agency"]),
        Paragraph(escape(title), styles["title"]),
        Spacer(1, 3 * mm * scale),
    ]
    messages = [m.text for m in (page.messages.all() if page else [])]
    if page is None:
        from cchc.portal.models import CchcMessage

        messages = list(CchcMessage.objects.filter(is_active=True).values_list("text", flat=True)[:5])
    if page and page.own_message:
        messages.append(page.own_message)
    if messages:
        story.append(Paragraph(escape(_("Thông điệp cải cách hành chính")), styles["heading"]))
        for text in messages:
            story.append(Paragraph(escape(text), styles["bullet"], bulletText="•"))
        story.append(Spacer(1, 3 * mm * scale))

    story.append(Paragraph(escape(_("Đường dây nóng, tiếp nhận phản ánh, kiến nghị")), styles["heading"]))
    if contact is not None:
        story.append(Paragraph(escape(contact.hotline), styles["hotline"]))
        details = [
            (_("Điện thoại"), contact.phone),
            (_("Thư điện tử"), contact.email),
            (_("Địa chỉ"), contact.address),
            (_("Thời gian tiếp nhận"), contact.hours),
        ]
        for label, value in details:
            if value:
                story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", styles["body"]))
    else:
        story.append(Paragraph(escape(_("Cơ quan chưa cập nhật đường dây nóng.")), styles["body"]))
    story.append(Spacer(1, 5 * mm * scale))
    story.append(KeepTogether(_qr_table(links_for(unit), document.width, styles, scale)))
    story.append(Spacer(1, 4 * mm * scale))
    story.append(
        Paragraph(
            escape(
                _(
                    "Quét mã QR bằng điện thoại để tra cứu thủ tục, gửi phản ánh, kiến nghị "
                    "và đánh giá sự hài lòng. Không phải trả phí."
                )
            ),
            styles["small"],
        )
    )
    document.build(story)
    return buffer.getvalue()


def _qr_table(links: list[Link], width: float, styles, scale: float) -> Table:
    column = width / len(links)
    qr_size = min(column - 6 * mm * scale, 42 * mm * scale)
    cells = [
        [QRCode(link.url, qr_size) for link in links],
        [Paragraph(escape(link.caption), styles["caption"]) for link in links],
        [Paragraph(escape(link.url), styles["url"]) for link in links],
    ]
    table = Table(cells, colWidths=[column] * len(links))
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#c9ced4")),
                ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.HexColor("#c9ced4")),
                ("TOPPADDING", (0, 0), (-1, 0), 4 * mm * scale),
            ]
        )
    )
    return table


def _styles(scale: float) -> dict[str, ParagraphStyle]:
    def style(name: str, size: float, **extra) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=extra.pop("font", FONT), fontSize=size * scale, leading=size * scale * 1.3, **extra
        )

    return {
        "agency": style("agency", 11, font=FONT_BOLD, alignment=TA_CENTER, textColor=colors.black),
        "title": style("title", 16, font=FONT_BOLD, alignment=TA_CENTER, textColor=BRAND, spaceBefore=2 * mm),
        "heading": style("heading", 12, font=FONT_BOLD, textColor=BRAND, spaceBefore=2 * mm, spaceAfter=1.5 * mm),
        "bullet": style("bullet", 11, leftIndent=5 * mm * scale, bulletIndent=1 * mm, spaceAfter=1.5 * mm),
        "body": style("body", 11, spaceAfter=1 * mm),
        "hotline": style("hotline", 20, font=FONT_BOLD, spaceAfter=1.5 * mm),
        "caption": style("caption", 10, font=FONT_BOLD, alignment=TA_CENTER, spaceBefore=1 * mm),
        "url": style("url", 7, alignment=TA_CENTER, textColor=colors.HexColor("#444444")),
        "small": style("small", 9, alignment=TA_CENTER, textColor=colors.HexColor("#333333")),
    }
