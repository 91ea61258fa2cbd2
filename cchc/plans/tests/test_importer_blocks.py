"""Step 2: lines → blocks: markup stripped, markers split off, broken paragraphs joined."""

import pytest

from cchc.plans.importer.blocks import make_blocks, split_marker, strip_markup
from cchc.plans.importer.reading import Line, text_lines


def _blocks(text: str):
    return make_blocks(text_lines(text))


def test_it_strips_markdown_markup_and_remembers_bold_and_heading():
    text, bold, heading = strip_markup("#### **Nơi nhận:** [csdl](http://csdl.gov.vn) 1\\. \\- x")
    assert (text, bold, heading) == ("Nơi nhận: csdl 1. - x", True, 4)


def test_it_keeps_markdown_list_markers():
    assert strip_markup("* Tuyên truyền")[0] == "- Tuyên truyền"
    assert strip_markup("+ Lắp đặt pa nô")[0] == "+ Lắp đặt pa nô"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("II. NỘI DUNG TUYÊN TRUYỀN", ("II", "roman", "NỘI DUNG TUYÊN TRUYỀN")),
        ("III/ HÌNH THỨC", ("III", "roman", "HÌNH THỨC")),
        ("1. Mục đích", ("1", "arabic", "Mục đích")),
        ("10.Các nội dung khác", ("10", "arabic", "Các nội dung khác")),
        ("2) Yêu cầu", ("2", "arabic", "Yêu cầu")),
        ("1.2. Tuyên truyền", ("1.2", "dotted", "Tuyên truyền")),
        ("a) Nội dung:", ("a", "letter", "Nội dung:")),
        ("đ) Kinh phí", ("đ", "letter", "Kinh phí")),
        ("A. MỤC ĐÍCH", ("A", "upper", "MỤC ĐÍCH")),
        ("- Các sở", ("-", "dash", "Các sở")),
        ("– Các sở", ("-", "dash", "Các sở")),
        ("• Các sở", ("-", "dash", "Các sở")),
        ("+ Lắp đặt", ("+", "plus", "Lắp đặt")),
    ],
)
def test_it_recognises_numbering_markers(text, expected):
    assert split_marker(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "17/3/2019 của Chính phủ",
        "2024 là năm",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "01 chuyên mục/01 tháng",
        "Trương Hải Long",
    ],
)
def test_it_does_not_take_dates_counts_or_signatures_for_markers(text):
    assert split_marker(text)[1] is None


def test_it_joins_a_paragraph_broken_across_a_page():
    blocks = _blocks("- Việc rà soát chức năng, nhiệm vụ, quyền\n\nhạn và tổ chức bộ máy.\n\n- Tiếp theo.")
    assert [b.text for b in blocks] == [
        "Việc rà soát chức năng, nhiệm vụ, quyền hạn và tổ chức bộ máy.",
        "Tiếp theo.",
    ]


def test_it_joins_a_date_broken_after_ngay():
    blocks = _blocks("- theo Nghị quyết số 17/NQ-CP ngày\n\n17/3/2019 của Chính phủ.")
    assert [b.text for b in blocks] == ["theo Nghị quyết số 17/NQ-CP ngày 17/3/2019 của Chính phủ."]


def test_it_keeps_apart_paragraphs_that_end_a_sentence_or_start_a_new_one():
    blocks = _blocks("KẾ HOẠCH\nTuyên truyền năm 2024\ncủa tỉnh Gia Lai\nThực hiện Nghị quyết.\nlower after stop")
    assert [b.text for b in blocks] == [
        "KẾ HOẠCH",
        "Tuyên truyền năm 2024 của tỉnh Gia Lai",
        "Thực hiện Nghị quyết.",
        "lower after stop",
    ]


def test_it_does_not_join_into_the_recipient_list_or_signature():
    blocks = _blocks("Trên đây là Kế hoạch của tỉnh\nNơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")
    assert [b.text for b in blocks] == [
        "Trên đây là Kế hoạch của tỉnh",
        "Nơi nhận:",
        "Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    ]


def test_it_joins_the_lines_of_hard_wrapped_text():
    lines = [
        Line("b) Cơ quan thực hiện: Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với", 1, wrapped=True),
        Line("Báo và Phát thanh, Truyền hình tỉnh, Sở Nội vụ.", 2, wrapped=True),
        Line("c) Thời gian thực hiện: Quý I.", 3, wrapped=True),
    ]
    blocks = make_blocks(lines)
    assert len(blocks) == 2
    assert blocks[0].text.endswith("phối hợp với Báo và Phát thanh, Truyền hình tỉnh, Sở Nội vụ.")


def test_it_joins_an_all_caps_section_heading_wrapped_onto_two_lines():
    blocks = _blocks("III. HÌNH THỨC, BIỆN PHÁP\nTUYÊN TRUYỀN\n1. Cập nhật")
    assert [b.text for b in blocks] == ["HÌNH THỨC, BIỆN PHÁP TUYÊN TRUYỀN", "Cập nhật"]


def test_it_drops_page_numbers_and_rules():
    assert [b.text for b in _blocks("KẾ HOẠCH\n______\n2\n---\nTrang 3")] == ["KẾ HOẠCH"]


def test_it_passes_table_rows_through_untouched():
    blocks = make_blocks([Line("1 | a", 1, cells=("1", "a"), table=0), Line("thêm", 2)])
    assert blocks[0].cells == ("1", "a") and blocks[1].text == "thêm"


def test_it_rebuilds_the_numbered_text():
    assert [b.raw for b in _blocks("2. Sở Nội vụ\na) Nội dung\n- ý")] == [
        "2. Sở Nội vụ",
        "a) Nội dung",
        "- ý",
    ]


def test_it_joins_a_lower_case_line_after_a_semicolon_but_not_after_a_full_stop():
    blocks = _blocks("- Hoàn thiện thể chế;\ntiếp tục đổi mới.\nThêm.\nmột đoạn khác")
    assert [b.text for b in blocks] == ["Hoàn thiện thể chế; tiếp tục đổi mới.", "Thêm.", "một đoạn khác"]


def test_it_runs_wrapped_lines_on_past_a_full_stop_when_blank_lines_end_paragraphs():
    long_line = "Phân loại các cơ quan hành chính làm cơ sở xác định tổ chức bộ máy phù hợp."
    lines = [
        Line(long_line, 1, wrapped=True),
        Line("Đẩy mạnh xã hội hóa các đơn vị sự nghiệp công lập.", 2, wrapped=True),
        Line("Đoạn mới sau một dòng trống.", 4, blank_before=True, wrapped=True),
    ]
    assert [b.text for b in make_blocks(lines)] == [
        long_line + " Đẩy mạnh xã hội hóa các đơn vị sự nghiệp công lập.",
        "Đoạn mới sau một dòng trống.",
    ]
