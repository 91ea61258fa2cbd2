"""The leadership summary as a one-page A4 PDF, drawn on the server with ReportLab.

The same figures as the summary page (``views.summary_context``), laid out for one sheet, in DejaVu Sans
(vendored under ``cchc/lib/static/fonts`` with its licence: Vietnamese diacritics, no network). States are
told apart by colour, pattern and icon, as on screen.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import cchc.lib
from cchc.dashboards.charts import STYLES
from cchc.dashboards.figures import State
from cchc.lib.vnformat import vn_number

FONT_DIR = Path(cchc.lib.__file__).resolve().parent / "static" / "fonts"
FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5a6470")
LINE = colors.HexColor("#d8dde3")
HEAD_BG = colors.HexColor("#eef1f4")


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.2, leading=10.2, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16),
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=7.8, leading=9.6),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12, spaceBefore=5, spaceAfter=2
        ),
        "kpi": ParagraphStyle("kpi", parent=base, fontName=FONT_BOLD, fontSize=13, leading=15),
        "num": ParagraphStyle("num", parent=base, alignment=TA_RIGHT),
    }


def _esc(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pattern(drawing: Drawing, x: float, y: float, w: float, h: float, key: str) -> None:
    """The pattern that tells a state apart without its colour (the same idea as the SVG charts)."""
    style = STYLES.get(key)
    if style is None or not style.pattern:
        return
    white = colors.Color(1, 1, 1, alpha=0.6)
    if style.pattern == "pat-stripes":
        step = 4
        i = x + 2
        while i < x + w:
            drawing.add(Line(i, y, i, y + h, strokeColor=white, strokeWidth=1.2))
            i += step
    elif style.pattern == "pat-cross":
        step = 6
        i = x
        while i + step <= x + w + 0.01:
            drawing.add(Line(i, y, i + step, y + h, strokeColor=white, strokeWidth=0.8))
            drawing.add(Line(i + step, y, i, y + h, strokeColor=white, strokeWidth=0.8))
            i += step
    elif style.pattern == "pat-dots":
        i = x + 2.5
        while i < x + w - 1:
            for cy in (y + h * 0.3, y + h * 0.7):
                drawing.add(Circle(i, cy, 0.9, fillColor=white, strokeColor=None))
            i += 5


def stacked_bar(values: list[tuple[str, int]], width: float, height: float = 10) -> Drawing:
    drawing = Drawing(width, height)
    total = sum(v for _k, v in values)
    if not total:
        drawing.add(Rect(0, 0, width, height, fillColor=colors.HexColor("#eceff3"), strokeColor=MUTED, strokeWidth=0.5))
        return drawing
    x = 0.0
    for key, value in values:
        if not value:
            continue
        w = width * value / total
        style = STYLES[key]
        drawing.add(
            Rect(
                x,
                0,
                w,
                height,
                fillColor=colors.HexColor(style.fill),
                strokeColor=MUTED if style.stroke != "none" else None,
                strokeWidth=0.5,
            )
        )
        _pattern(drawing, x, 0, w, height, key)
        if w >= 5 * len(str(value)) + 3:
            drawing.add(
                String(
                    x + w / 2,
                    2.4,
                    str(value),
                    fontName=FONT_BOLD,
                    fontSize=6.5,
                    textAnchor="middle",
                    fillColor=colors.HexColor(style.text),
                )
            )
        x += w
    return drawing


def legend_cell(key: str, label: str) -> Drawing:
    drawing = Drawing(9, 8)
    style = STYLES[key]
    drawing.add(Rect(0, 0, 8, 8, fillColor=colors.HexColor(style.fill), strokeColor=INK, strokeWidth=0.4))
    _pattern(drawing, 0, 0, 8, 8, key)
    return drawing


def _table(data, widths, *, header: bool = True, extra=()) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.8),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD)]
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def summary_pdf(context: dict) -> bytes:
    """The one-page summary of ``views.summary_context``'s figures, as PDF bytes."""
    _fonts()
    s = _styles()
    plan, period, snap, day = context["plan"], context["period"], context["snap"], context["day"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=11 * mm,
        bottomMargin=11 * mm,
        title=f"Tiến độ thực hiện Kế hoạch {plan.reference} — {period.label}",
        author="cchc",
        subject=plan.title,
    )
    width = A4[0] - 24 * mm
    story = [
        Paragraph(
            _esc(_("Tiến độ thực hiện Kế hoạch %(ref)s — %(label)s") % {"ref": plan.reference, "label": period.label}),
            s["title"],
        ),
        Paragraph(
            _esc(plan.title)
            + ". "
            + _esc(
                _("Số liệu từ %(a)s đến %(b)s, tính đến ngày %(d)s.")
                % {"a": f"{period.start:%d/%m/%Y}", "b": f"{period.end:%d/%m/%Y}", "d": f"{day:%d/%m/%Y}"}
            )
            + (" " + _esc(_("Phạm vi: %(w)s.") % {"w": snap.filters.description}) if snap.filters.active else ""),
            s["muted"],
        ),
        Spacer(1, 4),
    ]
    t = snap.totals
    kpis = [
        (
            _("Báo cáo đã gửi / phải gửi"),
            f"{snap.submitted}/{snap.expected}",
            _("%(a)s đúng hạn, %(b)s trễ hạn") % {"a": snap.states[State.ON_TIME], "b": snap.states[State.LATE]},
        ),
        (
            _("Quá hạn chưa gửi / bị trả lại"),
            f"{snap.states[State.MISSING]} / {snap.states[State.RETURNED]}",
            _("%(n)s báo cáo đã tiếp nhận") % {"n": snap.accepted},
        ),
        (
            _("Sản phẩm định kỳ đạt / đến hạn"),
            f"{t.met}/{t.deliverables_due}",
            _("%(n)s quá hạn chưa đạt") % {"n": t.missed},
        ),
        (_("Kết quả · kinh phí"), vn_number(t.results), f"{vn_number(t.cost)} đ"),
    ]
    cells = [
        [Paragraph(_esc(label), s["muted"]), Paragraph(_esc(value), s["kpi"]), Paragraph(_esc(sub), s["base"])]
        for label, value, sub in kpis
    ]
    kpi_table = Table([[c for c in cells]], colWidths=[width / 4] * 4)
    kpi_table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, 0), 0.5, LINE),
                ("BOX", (1, 0), (1, 0), 0.5, LINE),
                ("BOX", (2, 0), (2, 0), 0.5, LINE),
                ("BOX", (3, 0), (3, 0), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(kpi_table)

    # Reports by group (left) and agencies behind (right).
    left_w, right_w = width * 0.56, width * 0.44 - 4 * mm
    icons = [State.ICONS[k] for k in State.ORDER]
    rows = [[_("Loại cơ quan"), _("Phải gửi"), *icons]]
    bars = []
    for g in snap.groups:
        rows.append([Paragraph(_esc(g.label), s["base"]), g.expected, *[g.states[k] for k in State.ORDER]])
        bars.append((g.label, [(k, g.states[k]) for k in State.ORDER]))
    rows.append(
        [
            Paragraph("<b>" + _esc(_("Tổng cộng")) + "</b>", s["base"]),
            snap.expected,
            *[snap.states[k] for k in State.ORDER],
        ]
    )
    bars.append((_("Tổng cộng"), [(k, snap.states[k]) for k in State.ORDER]))
    small = (left_w - 40 * mm) / (len(State.ORDER) + 1)
    report_table = _table(
        rows,
        [40 * mm] + [small] * (len(State.ORDER) + 1),
        extra=[("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD)],
    )
    bar_rows = [[Paragraph(_esc(label), s["muted"]), stacked_bar(values, left_w - 42 * mm)] for label, values in bars]
    bar_table = Table(bar_rows, colWidths=[40 * mm, left_w - 40 * mm])
    bar_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    legend = Table(
        [[legend_cell(k, ""), Paragraph(f"{State.ICONS[k]} {_esc(State.LABELS[k])}", s["muted"])] for k in State.ORDER],
        colWidths=[4 * mm, left_w / 2 - 4 * mm],
    )
    legend.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    left = [
        Paragraph(_esc(_("Tình hình gửi báo cáo")), s["h2"]),
        bar_table,
        Spacer(1, 2),
        legend,
        Spacer(1, 3),
        report_table,
    ]

    right = [Paragraph(_esc(_("Đơn vị chưa gửi hoặc phải gửi lại (%(n)s)") % {"n": context["lagging_count"]}), s["h2"])]
    if context["lagging"]:
        for row in context["lagging"]:
            right.append(
                Paragraph(
                    f"{State.ICONS[row.state]} {_esc(row.unit.name)} — {_esc(row.state_label.lower())}", s["base"]
                )
            )
        if context["lagging_more"]:
            right.append(Paragraph(_esc(_("và %(n)s đơn vị khác.") % {"n": context["lagging_more"]}), s["muted"]))
    else:
        right.append(Paragraph(_esc(_("Không có.")), s["muted"]))
    right.append(Paragraph(_esc(_("Kinh phí theo nguồn")), s["h2"]))
    if context["sources"]:
        right.append(
            _table(
                [
                    [Paragraph(_esc(src.source or _("(không ghi nguồn)")), s["base"]), f"{vn_number(src.cost)} đ"]
                    for src in context["sources"]
                ],
                [right_w - 32 * mm, 32 * mm],
                header=False,
                extra=[("ALIGN", (1, 0), (1, -1), "RIGHT")],
            )
        )
    else:
        right.append(Paragraph(_esc(_("Chưa có kinh phí nào được ghi nhận.")), s["muted"]))
    columns = Table([[left, right]], colWidths=[left_w + 4 * mm, right_w])
    columns.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
            ]
        )
    )
    story.append(columns)

    # Activities.
    story.append(Paragraph(_esc(_("Tiến độ từng hoạt động")), s["h2"]))
    bar_w = 30 * mm
    rows = [[_("Hoạt động"), _("Kỳ đạt / đến hạn"), "", _("Quá hạn"), _("Kết quả"), _("Kinh phí")]]
    for a in snap.activities:
        c = a.counts
        title = a.activity.title if len(a.activity.title) <= 95 else a.activity.title[:94].rstrip() + "…"
        rows.append(
            [
                Paragraph(f"{_esc(a.activity.number)}. {_esc(title)}", s["base"]),
                f"{c.met}/{c.deliverables_due}" if c.deliverables_due else "—",
                stacked_bar([(k, v) for k, v in c.segments()], bar_w, 7) if c.deliverables_due else "",
                str(c.missed) if c.deliverables_due else "—",
                vn_number(c.results),
                f"{vn_number(c.cost)} đ",
            ]
        )
    rows.append(
        [
            Paragraph("<b>" + _esc(_("Tổng cộng")) + "</b>", s["base"]),
            f"{t.met}/{t.deliverables_due}",
            "",
            str(t.missed),
            vn_number(t.results),
            f"{vn_number(t.cost)} đ",
        ]
    )
    story.append(
        _table(
            rows,
            [width - 22 * mm - bar_w - 14 * mm - 16 * mm - 26 * mm, 22 * mm, bar_w + 2 * mm, 14 * mm, 16 * mm, 26 * mm],
            extra=[
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("ALIGN", (3, 0), (-1, -1), "RIGHT"),
                ("FONTNAME", (0, -1), (-1, -1), FONT_BOLD),
            ],
        )
    )
    story.append(Spacer(1, 4))
    legend_items = " · ".join(
        f"{icon} {_esc(label)}"
        for icon, label in (
            ("✓", _("Đạt đúng hạn")),
            ("!", _("Đạt trễ hạn (sọc)")),
            ("✗", _("Quá hạn, chưa đạt (gạch chéo)")),
            ("○", _("Chưa đến hạn (xám)")),
        )
    )
    story.append(Paragraph(_esc(_("Chú giải thanh tiến độ:")) + " " + legend_items, s["muted"]))
    panels = context.get("panels") or []
    story.append(Paragraph(_esc(_("Mức độ hài lòng")), s["h2"]))
    if panels:
        for panel in panels:
            story.append(Paragraph(_esc(panel.title), s["base"]))
    else:
        story.append(
            Paragraph(_esc(_("Chưa có dữ liệu: phân hệ tiếp nhận phản ánh, kiến nghị chưa được kết nối.")), s["muted"])
        )
    story.append(Spacer(1, 4))
    story.append(
        Paragraph(
            _esc(
                _("Nguồn: hệ thống theo dõi kế hoạch tuyên truyền CCHC, số liệu tính đến ngày %(d)s.")
                % {"d": f"{day:%d/%m/%Y}"}
            ),
            s["muted"],
        )
    )
    doc.build(story)
    return buffer.getvalue()
