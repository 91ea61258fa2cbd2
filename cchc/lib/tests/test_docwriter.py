import datetime as dt
import io

from docx import Document
from docx.oxml.ns import qn

from cchc.lib import docwriter as dw


def _doc(**overrides):
    data = {
        "governing_body": "UBND tỉnh Gia Lai",
        "issuing_body": "Sở Nội vụ",
        "symbol": "BC-SNV",
        "place": "Gia Lai",
        "date": dt.date(2024, 3, 5),
        "doc_type": "Báo cáo",
        "summary": "Kết quả công tác tuyên truyền cải cách hành chính quý I năm 2024",
        "body": [
            dw.Heading("I. KẾT QUẢ"),
            dw.Paragraph("Đoạn một.\nĐoạn hai: đồng bào Ê Đê, Jrai."),
            dw.Table(
                [dw.Column("STT", 15, "center"), dw.Column("Nội dung", 150)],
                [dw.SpanRow("Nhóm"), ["1", "Tuyên truyền"], ["", "Tổng cộng"]],
                bold_rows=frozenset({2}),
            ),
        ],
        "recipients": ["UBND tỉnh (b/c);", "Lưu: VT, CCHC."],
        "signature": dw.Signature(title="Phó Giám đốc", name="Nguyễn Văn A", authority="KT. GIÁM ĐỐC"),
    }
    data.update(overrides)
    return Document(io.BytesIO(dw.render(dw.OfficialDocument(**data))))


def test_it_sets_a4_margins_and_times_new_roman():
    doc = _doc()
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    fonts = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert section.different_first_page_header_footer  # page numbers from page 2
    assert "PAGE" in section.header._element.xml


def test_the_header_is_a_borderless_two_column_table_with_the_national_name_and_motto():
    doc = _doc()
    header = doc.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["UBND TỈNH GIA LAI", "SỞ NỘI VỤ"]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert all(r.bold for r in right.paragraphs[0].runs + right.paragraphs[1].runs)
    assert not left.paragraphs[0].runs[0].bold and left.paragraphs[1].runs[0].bold
    # The rule under the motto is as long as the motto; under the body's name, shorter than the name.
    rules = [p for p in header._tbl.iter(qn("w:p")) if p.find(qn("w:pPr")).find(qn("w:pBdr")) is not None]
    assert len(rules) == 2
    number, place = header.rows[1].cells
    assert number.text.startswith("Số:") and number.text.endswith("/BC-SNV")
    assert place.text == "Gia Lai, ngày 05 tháng 3 năm 2024"
    assert place.paragraphs[0].runs[0].italic


def test_title_body_recipients_and_signature():
    doc = _doc()
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert paragraphs[0].text == "BÁO CÁO" and paragraphs[0].runs[0].bold
    assert paragraphs[0].alignment == 1  # centred
    assert paragraphs[1].text.startswith("Kết quả công tác tuyên truyền")
    assert [p.text for p in paragraphs[3:5]] == ["Đoạn một.", "Đoạn hai: đồng bào Ê Đê, Jrai."]
    assert round(paragraphs[3].paragraph_format.first_line_indent.mm, 1) == 12.7
    assert paragraphs[3].alignment == 3  # justified
    body_table = doc.tables[1]
    assert body_table.rows[0].cells[0].text == "STT"
    assert body_table.rows[1].cells[0].text == "Nhóm"  # the spanning row
    assert body_table.rows[3].cells[1].paragraphs[0].runs[0].bold
    foot = doc.tables[-1]
    recipients, signature = foot.rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert recipients.paragraphs[1].text == "- UBND tỉnh (b/c);"
    lines = [p.text for p in signature.paragraphs if p.text]
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A"]


def test_people_committees_have_no_governing_body_and_drafts_are_marked():
    doc = _doc(
        governing_body="", issuing_body="Ủy ban nhân dân xã Ia Kha", place="Ia Kha", date=None, year=2024, draft=True
    )
    assert doc.paragraphs[0].text == "DỰ THẢO"
    left = doc.tables[0].rows[0].cells[0]
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN XÃ IA KHA"]
    assert doc.tables[0].rows[1].cells[1].text.startswith("Ia Kha, ngày ")
    assert doc.tables[0].rows[1].cells[1].text.endswith("năm 2024")


def test_it_strips_characters_xml_cannot_hold_and_escapes_markup():
    doc = _doc(body=[dw.Paragraph("A <b>&amp; \x0bB\x00")])
    assert any(p.text == "A <b>&amp; B" for p in doc.paragraphs)


def test_a_large_table_is_written_whole():
    rows = [[str(i), f"Đơn vị {i}"] for i in range(3000)]
    doc = _doc(body=[dw.Table([dw.Column("STT", 20), dw.Column("Tên", 145)], rows)])
    rows_xml = doc.tables[1]._tbl.findall(qn("w:tr"))
    assert len(rows_xml) == 3001
    assert "".join(t.text for t in rows_xml[-1].iter(qn("w:t"))) == "2999Đơn vị 2999"


def test_text_width_is_about_right_for_the_motto():
    # Measured with the metric-compatible Liberation Serif Bold: 5.61 cm at 13 pt.
    assert 54 < dw.text_width_mm(dw.MOTTO, 13, bold=True) < 58
