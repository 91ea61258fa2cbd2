"""Step 4: the plan's fields from the tree — header, title, bases, sections, closing, activities."""

import pytest

from cchc.plans.importer import parse_outline
from cchc.plans.importer.activities import field_of, table_activities
from cchc.plans.importer.blocks import Block, make_blocks
from cchc.plans.importer.errors import PlanImportError
from cchc.plans.importer.fields import format_agency_name
from cchc.plans.importer.reading import text_lines
from cchc.plans.importer.review import Review
from cchc.plans.importer.sections import build_outline

HEADER = """ỦY BAN NHÂN DÂN
TỈNH BÌNH ĐỊNH
Số: 88/KH-UBND
Quy Nhơn, ngày 12 tháng 01 năm 2024
KẾ HOẠCH
TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH TỈNH BÌNH ĐỊNH NĂM 2024
Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế \
một cửa; Chỉ thị số 23/CT-TTg ngày 02/8/2023 của Thủ tướng Chính phủ; Luật Tổ chức chính quyền \
địa phương số 77/2015/QH13;
"""

BODY = """I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích: Nâng cao nhận thức về CCHC.
2. Yêu cầu
- Kịp thời.
- Hiệu quả.
3. Đối tượng
- Cán bộ, công chức;
- Người dân, doanh nghiệp.
II. NỘI DUNG TUYÊN TRUYỀN
1. Chủ trương của Đảng.
2. Kết quả CCHC:
- Cải cách thể chế;
- Cải cách TTHC.
III. HÌNH THỨC TUYÊN TRUYỀN
1. Tập huấn
a) Nội dung:
- Kỹ năng.
b) Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp.
c) Thời gian thực hiện: Quý II/2024.
d) Kinh phí thực hiện: Ngân sách tỉnh năm 2024.
2. Chuyên mục trên báo
- Cơ quan thực hiện: Báo Bình Định.
- Thời gian: Khi có sự kiện nổi bật.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ: Theo dõi, đôn đốc.
2. Về kinh phí
- Ngân sách tỉnh bảo đảm.
Nơi nhận:
- Bộ Nội vụ;
- Lưu: VT, NC.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
NGUYỄN TỰ CÔNG HOÀNG
"""


def _plan(text: str) -> dict:
    return parse_outline(build_outline(make_blocks(text_lines(text))))


def _warned(plan: dict, path: str, code: str) -> bool:
    return any(w["path"] == path and w["code"] == code and w["message"] and w["message_en"] for w in plan["warnings"])


@pytest.fixture(scope="module")
def plan():
    return _plan(HEADER + BODY)


def test_it_reads_the_header(plan):
    assert (plan["issuer"], plan["number"], plan["symbol"]) == ("UBND tỉnh Bình Định", "88", "KH-UBND")
    assert (plan["place"], plan["issued_on"]) == ("Quy Nhơn", "2024-01-12")


def test_it_keeps_a_blank_number_and_date_as_null():
    plan = _plan(HEADER.replace("88/", "/").replace("ngày 12 tháng 01", "ngày   tháng  ") + BODY)
    assert (plan["number"], plan["symbol"], plan["issued_on"], plan["place"]) == (
        None,
        "KH-UBND",
        None,
        "Quy Nhơn",
    )


def test_it_reads_the_title_in_sentence_case_and_the_year(plan):
    assert plan["title"] == "Tuyên truyền cải cách hành chính tỉnh Bình Định năm 2024"
    assert plan["year"] == 2024
    assert plan["source"]["title"]["text"].startswith("TUYÊN TRUYỀN")


def test_it_reads_the_legal_bases_with_kind_iso_date_and_issuer(plan):
    assert [(b["kind"], b["number"], b["date"], b["issuer"]) for b in plan["legal_bases"]] == [
        ("Nghị định", "61/2018/NĐ-CP", "2018-04-23", "Chính phủ"),
        ("Chỉ thị", "23/CT-TTg", "2023-08-02", "Thủ tướng Chính phủ"),
        ("Luật", "77/2015/QH13", None, "Quốc hội"),
    ]
    assert _warned(plan, "legal_bases[2].date", "no_date")


def test_it_reads_objectives_requirements_and_audience(plan):
    assert plan["objectives"] == ["Nâng cao nhận thức về CCHC."]
    assert plan["requirements"] == ["Kịp thời.", "Hiệu quả."]
    assert plan["audience"] == "Cán bộ, công chức; Người dân, doanh nghiệp."


def test_it_reads_topics_with_their_items(plan):
    assert [(t["number"], t["text"], t["items"]) for t in plan["topics"]] == [
        ("1", "Chủ trương của Đảng.", []),
        ("2", "Kết quả CCHC:", ["Cải cách thể chế", "Cải cách TTHC."]),
    ]


def test_it_reads_prose_activities_with_every_field(plan):
    first, second = plan["activities"]
    assert first["number"] == "1" and first["title"] == "Tập huấn" and first["content"] == ["Kỹ năng."]
    assert first["agencies"] == [
        {"name": "Sở Nội vụ", "role": "lead"},
        {"name": "Sở Tư pháp", "role": "coordinate"},
    ]
    assert first["period"] == {"start": "2024-04-01", "end": "2024-06-30"}
    assert first["funding"] == "Ngân sách tỉnh năm 2024."
    assert first["agencies_text"] == "Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp."
    assert first["schedule_text"] == "Quý II/2024."
    assert second["period"] is None and second["recurrence"] is None and second["funding"] is None


def test_it_reads_duties_recipients_and_signer(plan):
    # "Sở Nội vụ: Theo dõi, đôn đốc." — the one agency that runs the plan leads it
    assert [d["agencies"] for d in plan["duties"]] == [[{"name": "Sở Nội vụ", "role": "lead"}], []]
    assert plan["recipients"] == ["Bộ Nội vụ", "Lưu: VT, NC"]
    assert plan["signer"] == {"name": "Nguyễn Tự Công Hoàng", "title": "Phó Chủ tịch"}


def test_it_infers_the_issuer_from_the_preamble_and_says_so():
    preamble = (
        "Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, UBND tỉnh Gia Lai ban hành Kế hoạch như sau:\n"
    )
    plan = _plan("Số: /KH-UBND\nKẾ HOẠCH\nTuyên truyền năm 2024\n" + preamble + BODY)
    assert plan["issuer"] == "UBND tỉnh Gia Lai"
    assert _warned(plan, "issuer", "inferred")


def test_it_takes_the_lower_line_when_the_header_names_a_parent_body():
    plan = _plan(
        "UBND TỈNH GIA LAI\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 5/KH-SGDĐT\nKẾ HOẠCH\nTuyên truyền CCHC năm 2025\n" + BODY
    )
    assert plan["issuer"] == "Sở Giáo dục và Đào tạo"
    assert plan["symbol"] == "KH-SGDĐT"


@pytest.mark.parametrize(
    ("caps", "written"),
    [
        ("ỦY BAN NHÂN DÂN HUYỆN CHƯ SÊ", "UBND huyện Chư Sê"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("UBND XÃ IA KHA", "UBND xã Ia Kha"),
        ("Sở Nội vụ", "Sở Nội vụ"),
    ],
)
def test_it_writes_header_names_as_running_text_does(caps, written):
    assert format_agency_name(caps) == written


def test_it_warns_about_unread_times_and_unknown_agencies():
    plan = _plan(
        HEADER
        + BODY.replace("Khi có sự kiện nổi bật.", "Sau khi sắp xếp xong.").replace(
            "Báo Bình Định.", "Nhóm công tác liên ngành."
        )
    )
    assert _warned(plan, "activities[1].period", "time_unread")
    assert _warned(plan, "activities[1].agencies[0]", "unknown_agency")


def test_it_refuses_a_document_that_is_not_a_plan():
    with pytest.raises(PlanImportError) as caught:
        _plan("BÁO CÁO\nKết quả thực hiện công tác năm 2024\nNội dung báo cáo...")
    assert caught.value.code == "not_a_plan"


def test_it_recognises_activity_field_labels():
    assert field_of("b) Cơ quan thực hiện: Sở Nội vụ")[0] is None  # the marker is split off before this step
    assert field_of("Cơ quan thực hiện: Sở Nội vụ") == ("agencies", "Sở Nội vụ")
    assert field_of("Cơ quan chủ trì: Sở Nội vụ") == ("lead", "Sở Nội vụ")
    assert field_of("Thời gian hoàn thành (dự kiến): Quý I") == ("time", "Quý I")
    assert field_of("Kinh phí thực hiện:") == ("funding", None)
    assert field_of("Tổ chức tập huấn cho cán bộ") == (None, None)


def _rows(*rows):
    return [Block(" | ".join(r), k + 1, cells=tuple(r), table=0) for k, r in enumerate(rows)]


def test_it_reads_a_task_table_with_a_two_row_header_and_group_rows():
    rows = _rows(
        ("STT", "Nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian", "Kinh phí"),
        ("", "", "Chủ trì", "Phối hợp", "", ""),
        ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
        ("A", "TUYÊN TRUYỀN", "", "", "", ""),
        ("I. TRÊN BÁO CHÍ",) * 6,
        ("1", "Tập huấn\n- cấp xã", "Sở Nội vụ", "UBND cấp huyện, cấp xã", "Quý I/2024", "-"),
        ("2", "Phóng sự", "Đài PT-TH tỉnh", "", "Hằng quý", "Ngân sách tỉnh"),
    )
    first, second = table_activities(rows, 2024, 0, Review())
    assert (first["number"], first["title"], first["content"]) == ("1", "Tập huấn", ["cấp xã"])
    assert first["agencies"] == [
        {"name": "Sở Nội vụ", "role": "lead"},
        {"name": "UBND cấp huyện", "role": "coordinate"},
        {"name": "UBND cấp xã", "role": "coordinate"},
    ]
    assert first["period"] == {"start": "2024-01-01", "end": "2024-03-31"} and first["funding"] is None
    assert second["recurrence"] == {"every": "quarter", "count": 1, "unit": None}
    assert second["funding"] == "Ngân sách tỉnh"


def test_it_takes_a_title_that_starts_like_a_preamble_but_cites_nothing():
    plan = _plan(
        HEADER.replace(
            "TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH TỈNH BÌNH ĐỊNH NĂM 2024",
            "Triển khai công tác tuyên truyền cải cách hành chính năm 2024",
        )
        + BODY
    )
    assert plan["title"] == "Triển khai công tác tuyên truyền cải cách hành chính năm 2024"
    assert len(plan["legal_bases"]) == 3


def test_it_takes_the_year_the_body_speaks_of_when_the_title_has_none():
    header = HEADER.replace(" NĂM 2024", "").replace("12 tháng 01 năm 2024", "20 tháng 12 năm 2023")
    plan = _plan(header + BODY.replace("Quý II/2024.", "Quý II năm 2024.") + "Thường xuyên trong năm 2024.")
    assert plan["year"] == 2024
    assert _warned(plan, "year", "inferred")


def test_it_reads_a_first_recipient_written_on_the_label_line():
    plan = _plan(HEADER + BODY.replace("Nơi nhận:\n- Bộ Nội vụ;", "Nơi nhận: - Bộ Nội vụ;"))
    assert plan["recipients"] == ["Bộ Nội vụ", "Lưu: VT, NC"]
