"""Step 1: bytes → lines, format detection by content, refusals with a clear message."""

import io
import unicodedata
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from cchc.plans.importer.errors import PlanImportError
from cchc.plans.importer.reading import MAX_BYTES, detect_format, read_document, read_lines, text_lines


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cp1258(ch: str) -> bytes:
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        marks = unicodedata.normalize("NFD", ch)
        return unicodedata.normalize("NFC", marks[:-1]).encode("cp1258") + marks[-1].encode("cp1258")


def _refusal(data: bytes, filename: str = "") -> PlanImportError:
    with pytest.raises(PlanImportError) as caught:
        read_lines(data, filename)
    return caught.value


def test_it_reads_text_lines_with_their_numbers_and_blank_lines():
    lines = text_lines("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n- một")
    assert [(ln.text, ln.number, ln.blank_before) for ln in lines] == [
        ("KẾ HOẠCH", 1, False),
        ("I. MỤC ĐÍCH", 3, True),
        ("- một", 4, False),
    ]


def test_it_detects_docx_by_content_not_by_extension():
    data = _docx(lambda d: d.add_paragraph("KẾ HOẠCH"))
    assert detect_format(data, "ke-hoach.doc") == "docx"
    assert [ln.text for ln in read_lines(data, "ke-hoach.doc")] == ["KẾ HOẠCH"]


def test_it_refuses_a_legacy_word_file_and_says_to_save_as_docx():
    err = _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ke-hoach.doc")
    assert err.code == "legacy_doc"
    assert ".docx" in err.message and "lưu thành" in err.message
    assert "save it as .docx" in err.message_en


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_it_refuses_an_empty_file(data):
    assert _refusal(data, "a.txt").code == "empty"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, bytes(range(256)) * 20])
def test_it_refuses_binary_files(data):
    assert _refusal(data, "a.md").code == "binary"


def test_it_refuses_a_file_over_20_mb():
    assert _refusal(b"a" * (MAX_BYTES + 1), "a.txt").code == "too_large"


def test_it_refuses_a_scanned_pdf_without_text():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    err = _refusal(out.getvalue(), "scan.pdf")
    assert err.code == "scanned_pdf"
    assert "nhận dạng" in err.message


def test_it_refuses_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert _refusal(out.getvalue(), "plan.xlsx").code == "unsupported"


def test_it_refuses_a_truncated_docx_as_corrupt():
    data = _docx(lambda d: d.add_paragraph("KẾ HOẠCH"))
    assert _refusal(data[: len(data) // 2], "plan.docx").code == "corrupt"


def test_it_reads_word_paragraphs_with_bold_headings_and_automatic_numbering():
    def build(document):
        document.add_heading("I. MỤC ĐÍCH", level=1)
        document.add_paragraph("Mục đích thứ nhất", style="List Number")
        document.add_paragraph("Mục đích thứ hai", style="List Number")
        document.add_paragraph("ý một", style="List Bullet")
        document.add_paragraph().add_run("Nơi nhận:").bold = True

    lines = read_lines(_docx(build), "plan.docx")
    assert [ln.text for ln in lines] == [
        "I. MỤC ĐÍCH",
        "1. Mục đích thứ nhất",
        "2. Mục đích thứ hai",
        "- ý một",
        "Nơi nhận:",
    ]
    assert lines[0].heading == 1
    assert lines[-1].bold and not lines[1].bold


def test_it_splits_soft_line_breaks_in_a_word_paragraph():
    lines = read_lines(_docx(lambda d: d.add_paragraph("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH")), "a.docx")
    assert [ln.text for ln in lines] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_it_keeps_a_task_table_as_rows_and_reads_a_layout_table_cell_by_cell():
    def build(document):
        layout = document.add_table(rows=1, cols=2)
        layout.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI"
        layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
        tasks = document.add_table(rows=2, cols=4)
        for cell, text in zip(tasks.rows[0].cells, ("STT", "Nội dung", "Cơ quan chủ trì", "Thời gian"), strict=True):
            cell.text = text
        for cell, text in zip(tasks.rows[1].cells, ("1", "Tập huấn", "Sở Nội vụ", "Quý I"), strict=True):
            cell.text = text

    lines = read_lines(_docx(build), "a.docx")
    assert [ln.text for ln in lines[:3]] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH GIA LAI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ]
    assert lines[3].cells == ("STT", "Nội dung", "Cơ quan chủ trì", "Thời gian")
    assert lines[4].cells == ("1", "Tập huấn", "Sở Nội vụ", "Quý I")
    assert lines[3].table == lines[4].table is not None


def test_it_repeats_merged_cells_over_the_grid_and_copies_vertical_merges():
    def build(document):
        table = document.add_table(rows=4, cols=3)
        for cell, text in zip(table.rows[0].cells, ("STT", "Nhiệm vụ", "Cơ quan chủ trì"), strict=True):
            cell.text = text
        table.cell(1, 0).merge(table.cell(1, 2)).text = "I. Báo chí"
        table.cell(2, 0).text, table.cell(3, 0).text = "1", "2"
        table.cell(2, 2).merge(table.cell(3, 2)).text = "Sở Nội vụ"

    rows = [ln.cells for ln in read_lines(_docx(build), "a.docx")]
    assert rows[1] == ("I. Báo chí",) * 3
    assert rows[2][2] == rows[3][2] == "Sở Nội vụ"


def test_it_reads_markdown_pipe_tables_including_single_row_ones():
    lines = text_lines(
        "| Nơi nhận:<br>- Lưu: VT. | TM. UBND |\n|---|---|\n\n| STT | Nội dung | Thời gian |\n|---|---|---|\n"
        "| 1 | Tập huấn | Quý I |"
    )
    assert [ln.text for ln in lines[:3]] == ["Nơi nhận:", "- Lưu: VT.", "TM. UBND"]
    assert [ln.cells for ln in lines[3:]] == [("STT", "Nội dung", "Thời gian"), ("1", "Tập huấn", "Quý I")]


def test_it_reads_two_column_plain_text_left_column_first():
    text = (
        "UBND TỈNH KON TUM              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ TƯ PHÁP                     Độc lập - Tự do - Hạnh phúc\n"
    )
    assert [ln.text for ln in text_lines(text)] == [
        "UBND TỈNH KON TUM",
        "SỞ TƯ PHÁP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def test_it_decodes_utf16_and_windows_1258_text():
    assert read_lines("KẾ HOẠCH".encode("utf-16"), "a.txt")[0].text == "KẾ HOẠCH"
    # cp1258 stores tone marks as combining characters; the reader composes them again (NFC)
    legacy = b"".join(_cp1258(c) for c in "Kế hoạch năm")
    assert read_lines(legacy, "a.txt")[0].text == "Kế hoạch năm"


def test_it_marks_hard_wrapped_text():
    paragraph = "Tuyên truyền cải cách hành chính trên địa bàn tỉnh năm 2025 với nhiều hình thức. " * 12
    wrapped = "\n".join(paragraph[i : i + 70] for i in range(0, len(paragraph), 70))
    assert all(ln.wrapped for ln in text_lines(wrapped))
    assert not any(ln.wrapped for ln in text_lines(paragraph))


def test_it_reports_the_detected_format():
    assert read_document(b"KE HOACH", "a.md")[0] == "text"


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MULTILEVEL = f"""<w:abstractNum {W_NS} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>"""


def test_it_renders_word_multilevel_numbering_as_the_reader_sees_it():
    from docx.oxml import parse_xml

    def build(document):
        numbering = document.part.numbering_part.element
        numbering.insert(0, parse_xml(MULTILEVEL))
        numbering.append(parse_xml(f'<w:num {W_NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        for level, text in (
            (0, "MỤC ĐÍCH"),
            (1, "Mục đích"),
            (2, "Nội dung:"),
            (2, "Thời gian:"),
            (1, "Yêu cầu"),
            (0, "NỘI DUNG"),
        ):
            p = document.add_paragraph(text)
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )

    assert [ln.text for ln in read_lines(_docx(build), "a.docx")] == [
        "I. MỤC ĐÍCH",
        "1. Mục đích",
        "a) Nội dung:",
        "b) Thời gian:",
        "2. Yêu cầu",
        "II. NỘI DUNG",
    ]
