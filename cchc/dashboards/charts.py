"""Server-drawn SVG charts: no script, no external asset, readable without colour.

Every chart is an image (``role="img"``) with a title and a description, and the page shows, right under
it, the table it is drawn from (that table is what screen readers and keyboards use, and where the links
are). Each state has a colour *and* a pattern *and* an icon in the legend, so the charts read in greyscale
print and for colour-blind readers; colours have at least 3:1 contrast with the white page (WCAG 1.4.11) and
labels on them are white with a dark outline. Only SVG presentation attributes are used — no ``style``
attribute — so a strict Content-Security-Policy does not break them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cchc.lib.vnformat import vn_number


@dataclass(frozen=True)
class Style:
    fill: str
    pattern: str = ""  # id of a pattern in ``defs()`` laid over the fill
    stroke: str = "none"
    text: str = "#ffffff"


SOLID_GREEN = Style("#1e7b34")
STRIPED_AMBER = Style("#8a5a00", "pat-stripes")
DOTTED_PURPLE = Style("#6b3fa0", "pat-dots")
HATCHED_RED = Style("#b3261e", "pat-cross")
PALE_GREY = Style("#eceff3", "", "#5a6470", "#1b1f24")
BLUE = Style("#0b5cad")

STYLES = {
    "on_time": SOLID_GREEN,
    "met_on_time": SOLID_GREEN,
    "late": STRIPED_AMBER,
    "met_late": STRIPED_AMBER,
    "returned": DOTTED_PURPLE,
    "missing": HATCHED_RED,
    "missed": HATCHED_RED,
    "not_due": PALE_GREY,
    "not_yet_due": PALE_GREY,
    "none": PALE_GREY,
    "value": BLUE,
    "with_results": BLUE,
    "without_results": PALE_GREY,
}


def defs() -> SafeString:
    """The patterns every chart on the page refers to; include once per page."""
    return mark_safe(  # noqa: S308  # nosec B308 B703 - a constant
        '<svg class="chart-defs" width="0" height="0" aria-hidden="true" focusable="false"><defs>'
        '<pattern id="pat-stripes" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="8" fill="#ffffff" fill-opacity="0.45"/></pattern>'
        '<pattern id="pat-dots" width="7" height="7" patternUnits="userSpaceOnUse">'
        '<circle cx="3.5" cy="3.5" r="1.6" fill="#ffffff" fill-opacity="0.6"/></pattern>'
        '<pattern id="pat-cross" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-opacity="0.55" stroke-width="1.4"/></pattern>'
        "</defs></svg>"
    )


def _rect(x: float, y: float, w: float, h: float, style: Style) -> str:
    out = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{style.fill}" stroke="{style.stroke}"/>'
    )
    if style.pattern:
        out += f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="url(#{style.pattern})"/>'
    return out


def _label(x: float, y: float, text: str, style: Style, anchor: str = "middle") -> str:
    # White text with a dark outline stays readable on the colour and on its pattern.
    outline = ' stroke="#1b1f24" stroke-width="3" paint-order="stroke"' if style.text == "#ffffff" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{style.text}" font-size="12" '
        f'font-weight="700"{outline}>{escape(text)}</text>'
    )


def swatch(key: str, size: int = 14) -> SafeString:
    """A small square of a state's colour and pattern, for legends and table cells."""
    style = STYLES.get(key, PALE_GREY)
    stroke = style.stroke if style.stroke != "none" else "#1b1f24"
    body = _rect(0.5, 0.5, size - 1, size - 1, Style(style.fill, style.pattern, stroke))
    return mark_safe(  # noqa: S308  # nosec B308 B703 - constants
        f'<svg class="swatch" width="{size}" height="{size}" viewBox="0 0 {size} {size}" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


@dataclass
class StackRow:
    label: str
    values: list[tuple[str, int]]  # (state key, count) in drawing order
    note: str = ""  # written after the bar: "9/12"
    full_label: str = ""  # the whole label, shown as a tooltip when ``label`` is cut

    @property
    def total(self) -> int:
        return sum(v for _k, v in self.values)


@dataclass
class BarRow:
    label: str
    value: float
    note: str = ""
    full_label: str = ""


def _cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters at a word's end ("…Trung tâm…", never "…Trun…")."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:/-–") + "…"


@dataclass
class Layout:
    width: int = 900
    label_width: int = 340
    note_width: int = 90
    row_height: int = 24
    gap: int = 9
    top: int = 6
    label_chars: int = 46

    @property
    def bar_width(self) -> int:
        return self.width - self.label_width - self.note_width - 16

    def height(self, rows: int) -> int:
        return self.top * 2 + rows * (self.row_height + self.gap)


def _frame(chart_id: str, title: str, desc: str, layout: Layout, n: int, body: list[str]) -> SafeString:
    height = layout.height(max(n, 1))
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="100%" role="img" '
        "aria-labelledby=\"{id}-title {id}-desc\" font-family=\"'Segoe UI', Roboto, 'Noto Sans', "
        '\'DejaVu Sans\', Arial, sans-serif"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}'
        "</desc>{body}</svg>",
        id=chart_id,
        w=layout.width,
        h=height,
        title=title,
        desc=desc,
        body=mark_safe("".join(body)),  # noqa: S308 # nosec B308 B703
    )


def stacked(chart_id: str, title: str, desc: str, rows: list[StackRow], layout: Layout | None = None) -> SafeString:
    """One bar per row, split into its states and stretched to the full width (shares, not sizes); the
    count is written on every segment wide enough, and ``note`` after the bar."""
    layout = layout or Layout()
    body: list[str] = []
    x0 = layout.label_width + 8
    for i, row in enumerate(rows):
        y = layout.top + i * (layout.row_height + layout.gap)
        mid = y + layout.row_height / 2 + 4
        label = _cut(row.label, layout.label_chars)
        tooltip = (
            f"<title>{escape(row.full_label or row.label)}</title>" if label != (row.full_label or row.label) else ""
        )
        body.append(
            f'<text x="{layout.label_width}" y="{mid:.1f}" text-anchor="end" font-size="12.5" '
            f'fill="#1b1f24">{tooltip}{escape(label)}</text>'
        )
        total = row.total
        if total == 0:
            body.append(_rect(x0, y, layout.bar_width, layout.row_height, PALE_GREY))
        else:
            x = x0
            for key, value in row.values:
                if not value:
                    continue
                w = layout.bar_width * value / total
                style = STYLES.get(key, PALE_GREY)
                body.append(_rect(x, y, w, layout.row_height, style))
                if w >= 9 * len(str(value)) + 6:
                    body.append(_label(x + w / 2, mid, str(value), style))
                x += w
        if row.note:
            body.append(
                f'<text x="{x0 + layout.bar_width + 8}" y="{mid:.1f}" font-size="12.5" font-weight="700" '
                f'fill="#1b1f24">{escape(row.note)}</text>'
            )
    return _frame(chart_id, title, desc, layout, len(rows), body)


def bars(chart_id: str, title: str, desc: str, rows: list[BarRow], layout: Layout | None = None) -> SafeString:
    """Plain horizontal bars scaled to the largest value, each with its value written after it."""
    layout = layout or Layout(note_width=150)
    body: list[str] = []
    x0 = layout.label_width + 8
    top = max((row.value for row in rows), default=0) or 1
    for i, row in enumerate(rows):
        y = layout.top + i * (layout.row_height + layout.gap)
        mid = y + layout.row_height / 2 + 4
        label = _cut(row.label, layout.label_chars)
        tooltip = (
            f"<title>{escape(row.full_label or row.label)}</title>" if label != (row.full_label or row.label) else ""
        )
        body.append(
            f'<text x="{layout.label_width}" y="{mid:.1f}" text-anchor="end" font-size="12.5" '
            f'fill="#1b1f24">{tooltip}{escape(label)}</text>'
        )
        w = layout.bar_width * row.value / top
        if w > 0:
            body.append(_rect(x0, y, max(w, 2), layout.row_height, BLUE))
        body.append(
            f'<text x="{x0 + max(w, 2) + 6:.1f}" y="{mid:.1f}" font-size="12.5" font-weight="700" '
            f'fill="#1b1f24">{escape(row.note or vn_number(row.value))}</text>'
        )
    return _frame(chart_id, title, desc, layout, len(rows), body)


# --- The dashboards' charts ---------------------------------------------------------------------------------


def legend(keys, labels: dict, icons: dict) -> list[dict]:
    return [{"key": key, "swatch": swatch(key), "icon": icons.get(key, ""), "label": labels[key]} for key in keys]


def activity_progress(chart_id: str, rows, *, title: str, desc: str) -> SafeString:
    """Deliverables of each activity: met on time, met late, missed, not yet due; "met/due" after the bar.

    ``rows`` are (label, full label, Counts)."""
    from cchc.dashboards.figures import DeliverableState

    stack = []
    for label, full, counts in rows:
        note = f"{counts.met}/{counts.deliverables_due}" if counts.deliverables_due else "—"
        stack.append(StackRow(label, [(k, v) for k, v in counts.segments() if k in DeliverableState.ORDER], note, full))
    return stacked(chart_id, title, desc, stack)


def coverage(chart_id: str, rows, *, title: str, desc: str) -> SafeString:
    """Of the agencies that owe each activity, how many have recorded a result: ``rows`` are
    (label, full label, with results, owing)."""
    stack = [
        StackRow(
            label,
            [("with_results", done), ("without_results", total - done)],
            f"{done}/{total}" if total else "—",
            full,
        )
        for label, full, done, total in rows
    ]
    return stacked(chart_id, title, desc, stack)


def report_states(chart_id: str, rows, *, title: str, desc: str, layout: Layout | None = None) -> SafeString:
    """Agencies by the state of their report, one bar per group: ``rows`` are (label, {state: n})."""
    from cchc.dashboards.figures import State

    stack = []
    for label, states in rows:
        expected = sum(states.values())
        sent = states.get(State.ON_TIME, 0) + states.get(State.LATE, 0)
        stack.append(StackRow(label, [(k, states.get(k, 0)) for k in State.ORDER], f"{sent}/{expected}"))
    return stacked(chart_id, title, desc, stack, layout)
