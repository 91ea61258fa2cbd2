"""Step 3: blocks → tree by numbering, not by Markdown heading levels."""

from cchc.plans.importer.blocks import make_blocks
from cchc.plans.importer.reading import text_lines
from cchc.plans.importer.sections import build_outline, split_label


def _outline(text: str):
    return build_outline(make_blocks(text_lines(text)))


def _shape(node, depth=0):
    out = []
    for child in node.children:
        out.append("  " * depth + (child.marker or "·") + " " + child.text[:20])
        out.extend(_shape(child, depth + 1))
    return out


def test_it_nests_by_marker_kind_whatever_the_heading_levels():
    outline = _outline(
        "## I. NỘI DUNG\n#### 1. Một\n- ý a\n- ý b\n## 2. Hai\n### III. HÌNH THỨC\n1. Ba\na) Nội dung:\n+ chi tiết"
    )
    assert _shape(outline.root) == [
        "I NỘI DUNG",
        "  1 Một",
        "    - ý a",
        "    - ý b",
        "  2 Hai",
        "III HÌNH THỨC",
        "  1 Ba",
        "    a Nội dung:",
        "      + chi tiết",
    ]


def test_it_gives_a_paragraph_after_a_bullet_list_to_the_list_owner():
    outline = _outline("1. Một\n- ý a\nĐoạn văn sau danh sách.\n- ý b")
    one = outline.root.children[0]
    assert [c.text for c in one.children] == ["ý a", "Đoạn văn sau danh sách.", "ý b"]


def test_it_starts_the_recipients_and_signature_at_the_top_level():
    outline = _outline(
        "IV. TỔ CHỨC\n1. Sở Nội vụ\n- theo dõi\nNơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN"
    )
    tops = [c.text for c in outline.root.children]
    assert tops == ["TỔ CHỨC", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"]
    assert [c.text for c in outline.root.children[1].children] == ["Bộ Nội vụ;", "Lưu: VT."]
    assert [b.text for b in outline.back_matter()][:1] == ["Nơi nhận:"]


def test_it_nests_unnumbered_emphasised_headings():
    outline = _outline("I. MỤC ĐÍCH, YÊU CẦU\n**Mục đích**\n- một\n- hai\n**Yêu cầu**\n- ba\nII. NỘI DUNG")
    first = outline.root.children[0]
    assert [(c.text, len(c.children)) for c in first.children] == [("Mục đích", 2), ("Yêu cầu", 1)]
    assert outline.root.children[1].text == "NỘI DUNG"


def test_it_keeps_the_front_matter_and_collects_tables():
    outline = _outline(
        "Số: 12/KH-UBND\nKẾ HOẠCH\nThực hiện...\nI. MỤC ĐÍCH\n| STT | Nội dung | Thời gian |\n|---|---|---|\n"
        "| 1 | Tập huấn | Quý I |"
    )
    assert [b.text for b in outline.front_matter()] == ["Số: 12/KH-UBND", "KẾ HOẠCH", "Thực hiện..."]
    assert [row.cells[1] for row in outline.tables[0]] == ["Nội dung", "Tập huấn"]


def test_it_splits_a_label_from_its_text():
    assert split_label("Cơ quan thực hiện: Sở Nội vụ.") == ("Cơ quan thực hiện", "Sở Nội vụ.")
    assert split_label("Mục đích") == ("Mục đích", None)
