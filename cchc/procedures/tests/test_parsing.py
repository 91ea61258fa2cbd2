"""Parsing the national portal's procedure records, and the CSV/XLSX/JSON-lines formats.

Plain pytest, no database. The real records are read from ../shared/data/tthc/ beside the
repository (never copied into it); tests that need them are skipped when it is absent.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.lib.text import fold
from cchc.procedures import tables
from cchc.procedures.fileformats import (
    XLSX_CELL_LIMIT,
    RowError,
    procedure_rows,
    read_csv,
    read_jsonl,
    read_xlsx,
    write_csv,
    write_jsonl,
    write_xlsx,
)
from cchc.procedures.parsing import ProcedureData, parse_record, split_list
from cchc.procedures.records import Channel, Document, LegalBasis, Step
from cchc.procedures.recovery import recovery_rates
from cchc.procedures.testing import PORTAL_DATA, portal_read

SEARCH_QUERIES = Path(__file__).parent / "data" / "search_queries.json"


@cache
def _raw_records() -> dict[str, dict[str, str]]:
    with PORTAL_DATA.open(encoding="utf-8") as lines:
        return {record["ma_thu_tuc"]: record for record in map(json.loads, lines)}


def _portal_procedures() -> tuple[ProcedureData, ...]:
    # read_jsonl(PORTAL_DATA), parsed once per test process and shared with the import and search tests.
    result = portal_read()
    assert result.errors == []
    return tuple(result.procedures)


@pytest.fixture
def raw() -> dict[str, dict[str, str]]:
    if not PORTAL_DATA.exists():
        pytest.skip(f"national portal records not found at {PORTAL_DATA}")
    return _raw_records()


@pytest.fixture
def procedures(raw) -> tuple[ProcedureData, ...]:
    return _portal_procedures()


def _procedure(raw: dict[str, dict[str, str]], code: str) -> ProcedureData:
    return parse_record(raw[code])


def _csv_bytes(rows: list[list[str]], delimiter: str = ",") -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


# --- every record -----------------------------------------------------------------------------


class TestAllRecords:
    def test_it_parses_every_record(self, procedures):
        assert len(procedures) == 2642
        assert len({p.code for p in procedures}) == 2642
        assert all(p.code and p.name and p.levels and p.portal_url for p in procedures)

    def test_it_recovers_the_tables_at_the_measured_rates(self, procedures):
        # Measured with `python -m cchc.procedures.recovery FILE`; the floors sit just under the
        # measurement so a regression fails and an improvement does not. Steps are numbered
        # ("Bước 1") in only 59% of the records; the rest keep their text.
        rates = recovery_rates(procedures)
        floors = {
            "channels": (1.0, 0.999),
            "documents": (0.98, 0.98),
            "legal_bases": (0.98, 0.96),
            "results": (0.99, 0.99),
            "steps": (0.58, 0.58),
        }
        for table, (rows_floor, lossless_floor) in floors.items():
            assert rates[table]["rows_rate"] >= rows_floor, table
            assert rates[table]["lossless_rate"] >= lossless_floor, table

    def test_it_reads_the_cells_of_most_channel_rows(self, procedures):
        details = recovery_rates(procedures)["details"]
        rows = details["channel_rows"]
        assert details["channel_rows_with_numeric_time"] / rows >= 0.94
        # The rest says "Không có thông tin": no fee is stated.
        assert details["channel_rows_with_fee"] / rows >= 0.84
        assert details["legal_basis_rows_with_issuer"] / details["legal_basis_rows"] >= 0.98

    def test_it_never_drops_a_table(self, raw, procedures):
        # Whatever the source says in a table, the record holds rows or the text.
        pairs = {
            "trinh_tu_thuc_hien": ("steps", "steps_text"),
            "cach_thuc_thuc_hien": ("channels", "channels_text"),
            "thanh_phan_ho_so": ("documents", "documents_text"),
            "can_cu_phap_ly": ("legal_bases", "legal_bases_text"),
            "thu_tuc_lien_quan": ("related_procedures", "related_procedures_text"),
        }
        for procedure in procedures:
            source = raw[procedure.code]
            for key, (rows, text) in pairs.items():
                if tables.empty_if_no_info(source[key]).strip():
                    assert getattr(procedure, rows) or getattr(procedure, text), (procedure.code, key)

    def test_it_renders_channel_rows_back_to_the_source(self, raw, procedures):
        for procedure in procedures:
            if procedure.channels_text:
                continue
            rendered = tables.CHANNEL_HEADER + "".join(map(tables.render_channel, procedure.channels))
            source = unicodedata.normalize("NFC", raw[procedure.code]["cach_thuc_thuc_hien"])
            assert tables.same_text(rendered, source), procedure.code

    def test_it_gives_every_record_its_own_hash(self, procedures):
        assert len({p.content_hash() for p in procedures}) == len(procedures)


# --- specific records, checked against their raw text -----------------------------------------


class TestSpecificRecords:
    def test_it_reads_the_veterinary_drug_licence(self, raw):
        p = _procedure(raw, "1.011325")
        assert p.name.startswith("Cấp, điều chỉnh, cấp lại Giấy phép nhập khẩu, xuất khẩu thuốc thú y")
        assert "  " not in p.name  # the source has a double space
        assert (p.decision_number, p.levels, p.field) == ("1649/QĐ-BNNMT", ["tinh"], "Thú y")
        assert p.procedure_type == "TTHC được giao luật quy định chi tiết"
        assert p.target_groups == [
            "Doanh nghiệp",
            "Người nước ngoài",
            "Tổ chức nước ngoài",
            "Hợp tác xã",
            "Doanh nghiệp có vốn đầu tư nước ngoài",
            "Công dân Việt Nam",
            "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        ]
        assert p.implementing_agencies == ["Chủ tịch ủy ban nhân dân cấp tỉnh"]
        assert p.competent_agencies == [] and p.conditions == ""

        assert [c.kind for c in p.channels] == ["truc_tuyen", "buu_chinh", "truc_tiep"]
        online = p.channels[0]
        assert (online.time_text, online.time_value, online.time_unit) == (
            "5 Ngày làm việc",
            5,
            "ngay_lam_viec",
        )
        assert (online.fee_amount, online.fee_currency) == (2_000_000, "VND")
        assert online.fee_note.startswith("Phí kiểm tra và cấp giấy chứng nhận đơn hàng nhập khẩu thuốc")
        assert online.fee_note.endswith("2.000.000 đồng/01 đơn hàng")
        assert online.description == "" and p.channels_text == ""

        assert len(p.documents) == 8 and p.documents_text == ""
        first_group = "(1) Thành phần hồ sơ cấp Giấy phép nhập khẩu, xuất khẩu thuốc thú y, nguyên liệu"
        assert all(d.group.startswith(first_group) for d in p.documents[:6])
        assert all(d.group.startswith("(2) Thành phần hồ sơ cấp lại") for d in p.documents[6:])
        application = p.documents[2]
        assert application.name.startswith("- Đơn đề nghị cấp giấy phép nhập khẩu, xuất khẩu của doanh nghiệp")
        assert application.name.endswith("Nghị định số 105/2021/NĐ-CP;")
        assert (application.forms, application.originals, application.copies) == (["Mẫu số 01.docx"], 1, 0)
        contract = p.documents[1]
        assert contract.name.startswith("- Bản sao hợp đồng, đơn hàng liên quan")
        assert (contract.originals, contract.copies, contract.forms) == (0, 1, [])

        assert p.legal_bases[0] == LegalBasis(
            number="101/2020/TT-BTC",
            title=(
                "Thông tư số 101/2020/TT-BTC ngày 23/11/2020 của Bộ trưởng Bộ Tài chính quy định về mức thu, "
                "chế độ thu, nộp, quản lý phí, lệ phí trong công tác thú y"
            ),
            issued_on="2020-11-23",
            issuer="Bộ Tài chính",
        )
        assert [(b.number, b.title, b.issuer) for b in p.legal_bases[1:]] == [
            ("105/2021/NĐ-CP", "Nghị định 105/2021/NĐ-CP", "Chính phủ"),
            ("13/2022/TT-BNNPTNT", "Thông tư 13/2022/TT-BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
            ("12/2020/TT-BNNPTNT", "Thông tư 12/2020/TT-BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ]
        assert [(r.name, r.code) for r in p.results] == [("Giấy phép nhập khẩu, xuất khẩu", "KQ.G10.000272")]
        assert p.online_submission_offered is True and p.online_level is None
        assert p.related_procedures == [] and p.related_procedures_text == ""
        assert p.portal_url == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfa-5f48-7749-aa71-dc1438b152bc"
        assert p.source_group == "bo-nong-nghiep-mt"

    def test_it_reads_the_police_complaint_procedure(self, raw):
        p = _procedure(raw, "1.000178")
        assert (p.levels, p.competent_agencies, p.implementing_agencies) == (
            ["bo"],
            ["Bộ Công an"],
            ["Thanh tra Bộ"],
        )
        assert [(s.number, s.title) for s in p.steps] == [
            (1, "Thụ lý giải quyết khiếu nại"),
            (2, ""),  # a 215-character heading line is text, not a title
            (3, "Xác minh nội dung khiếu nại"),
            (4, "Tổ chức đối thoại"),
            (5, "Ra quyết định giải quyết khiếu nại"),
        ]
        assert p.steps[0].text.startswith("Nếu khiếu nại thuộc thẩm quyền giải quyết của Bộ Công an")
        assert p.steps[1].text.startswith("Kiểm tra lại quyết định hành chính, hành vi hành chính bị khiếu nại")
        assert p.steps_text == ""

        assert [c.kind for c in p.channels] == ["buu_chinh", "truc_tiep"]
        for channel in p.channels:
            assert (channel.time_value, channel.time_unit, channel.fee_amount) == (60, "ngay_lam_viec", None)
            assert channel.description.startswith("Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày")

        assert [d.name for d in p.documents][:2] == [
            "Tài liệu, chứng cứ do các bên cung cấp",
            "Quyết định giải quyết khiếu nại",
        ]
        assert len(p.documents) == 8
        assert all((d.originals, d.copies, d.group) == (1, 0, "") for d in p.documents)

        assert [(b.number, b.title) for b in p.legal_bases] == [
            (
                "68/2013/TT-BCA",
                "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công tác "
                "giải quyết khiếu nại trong công an nhân dân",
            ),
            ("02/2011/QH13", "Luật Khiếu nại năm 2011"),  # "năm 201102/2011/QH13" in the source
            ("11/2015/TT-BCA", "Quy định quy trình giải quyết khiếu nại trong công an nhân dân"),
            ("05/2012/NĐ-CP", "Nghị định 05/2012/NĐ-CP"),
        ]
        assert p.conditions.startswith("Đảm bảo đúng quy định tại Điều 2, Điều 8 và Điều 11 Luật khiếu nại")
        assert "\n+ Người khiếu nại phải là người có quyền" in p.conditions
        assert [(r.name, r.code) for r in p.results] == [
            ("Quyết định giải quyết khiếu nại lần 1, lần 2", "KQ.G01.00262")
        ]
        assert p.online_submission_offered is False

    def test_it_splits_a_unitless_time_glued_to_its_fee(self, raw):
        # "Trực tuyến120 VNĐ": one day, 20 đồng; "12 days, 0 đồng" is not how the portal prints.
        p = _procedure(raw, "1.007642")
        assert [(c.kind, c.time_text, c.time_unit, c.fee_amount) for c in p.channels] == [
            ("truc_tuyen", "1", None, 20),
            ("truc_tiep", "1", None, 20),
        ]
        assert p.channels_text == ""

    def test_it_keeps_the_text_when_a_glued_time_and_fee_stays_ambiguous(self, raw):
        # "Trực tiếp1250 VNĐ": 1 + 250 or 12 + 50; nothing in the record says which.
        p = _procedure(raw, "2.002797")
        assert "Trực tiếp1250 VNĐ" in p.channels_text

    def test_it_reads_a_time_limit_written_in_words(self, raw):
        p = _procedure(raw, "1.007689")
        assert {c.time_text for c in p.channels} == {"Không phải trả kết quả cho người nộp thuế"}
        assert {(c.time_value, c.fee_amount) for c in p.channels} == {(None, 0)}
        assert p.channels[0].description.startswith("Bằng phương thức điện tử qua Cổng dịch vụ công Quốc gia")

    def test_it_reads_related_procedures(self, raw):
        p = _procedure(raw, "5.003809")
        assert [r.name for r in p.related_procedures] == [
            "Hướng dẫn việc thực hiện các quy định pháp luật về quy hoạch đô thị và nông thôn, kiến trúc "
            "theo đề nghị của các Bộ, ngành, địa phương và các cơ quan, tổ chức liên quan"
        ]
        assert p.related_procedures_text == ""

    def test_it_reads_the_online_level_only_where_the_name_states_it(self, raw):
        assert _procedure(raw, "1.012575").online_level == "toan_trinh"
        assert _procedure(raw, "1.013067").online_level == "mot_phan"
        assert _procedure(raw, "1.001193").online_level is None

    def test_it_keeps_a_misplaced_legal_basis_as_text(self, raw):
        # The portal export cut this record's fee note at the words "Căn cứ pháp lý": what it put
        # under legal bases is the rest of the fee table.
        p = _procedure(raw, "3.000337")
        assert p.legal_bases == []
        assert p.legal_bases_text.startswith(": Thông tư 269/2016/TT-BTC ngày 14/11/2016")

    def test_it_dates_a_legal_basis_from_its_own_citation_only(self, raw):
        bases = {b.number: b for b in _procedure(raw, "1.013065").legal_bases}
        assert bases["79/2024/TT-BCA"].issued_on == "2024-11-15"
        assert bases["13/2025/TT-BCA"].issued_on is None
        assert bases["36/2024/QH15"].issuer == "Quốc hội"

    def test_it_reads_levels_and_several_agencies(self, raw):
        p = _procedure(raw, "1.001612")  # Đăng ký thành lập hộ kinh doanh
        assert p.levels == ["bo", "xa"]
        assert p.level_labels == ["Cấp bộ", "Cấp xã"]


# --- the flattened-table helpers on small inputs ------------------------------------------------


class TestTableHelpers:
    def test_it_splits_lists_only_at_commas_before_capitals(self):
        text = "Công dân Việt Nam, Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức"
        assert split_list(text) == [
            "Công dân Việt Nam",
            "Tổ chức (không bao gồm doanh nghiệp, HTX)",
            "Cán bộ, công chức, viên chức",
        ]
        assert split_list("Không có thông tin") == []

    def test_it_does_not_take_a_channel_named_in_a_description_for_a_row(self):
        text = tables.CHANNEL_HEADER + "Trực tiếp10 NgàyKhông có thông tinTrực tiếp tại Công an cấp huyện."
        rows, lossless = tables.parse_channels(text)
        assert lossless and len(rows) == 1
        assert rows[0].description == "Trực tiếp tại Công an cấp huyện."

    def test_it_separates_form_files_from_document_names(self):
        assert tables.split_forms("Đơn đề nghị theo Mẫu số 01 tại Phụ lục;Mẫu số 01.docx") == (
            "Đơn đề nghị theo Mẫu số 01 tại Phụ lục;",
            ["Mẫu số 01.docx"],
        )
        assert tables.split_forms("Tờ khai (Mẫu số 01/BĐS)01 BĐS.docx") == (
            "Tờ khai (Mẫu số 01/BĐS)",
            ["01 BĐS.docx"],
        )
        assert tables.split_forms("Bản khai theo mẫuMauA.docxMauB (1).docx") == (
            "Bản khai theo mẫu",
            ["MauA.docx", "MauB (1).docx"],
        )
        assert tables.split_forms("Giấy đề nghị") == ("Giấy đề nghị", [])

    def test_it_reads_a_year_glued_to_the_quantity(self):
        text = "--" + tables.DOCUMENT_HEADER + "Đơn theo Thông tư ngày 01/01/20261 bản chính,1 bản sao"
        documents, note, lossless = tables.parse_documents(text)
        assert lossless and note == ""
        assert [(d.name, d.originals, d.copies) for d in documents] == [("Đơn theo Thông tư ngày 01/01/2026", 1, 1)]

    def test_it_leaves_a_quantity_quoted_in_a_name_alone(self):
        text = "--" + tables.DOCUMENT_HEADER + "Hợp đồng (01 bản chính hoặc bản sao)1 bản chínhGiấy tờ khác0 bản chính"
        documents, _, lossless = tables.parse_documents(text)
        assert lossless
        assert [(d.name, d.originals) for d in documents] == [
            ("Hợp đồng (01 bản chính hoặc bản sao)", 1),
            ("Giấy tờ khác", 0),
        ]

    def test_it_splits_glued_legal_rows(self):
        text = (
            tables.LEGAL_HEADER
            + "LuậtLuật 18/2017/QH14Nghị định 05/2021/NĐ-CP05/2021/NĐ-CPsửa đổi Thông tư27/2023/TT-BTC"
        )
        bases, lossless = tables.parse_legal_bases(text)
        assert lossless
        assert [(b.title, b.number, b.issuer) for b in bases] == [
            ("Luật", "Luật 18/2017/QH14", "Quốc hội"),
            ("Nghị định 05/2021/NĐ-CP", "05/2021/NĐ-CP", "Chính phủ"),
            ("sửa đổi Thông tư", "27/2023/TT-BTC", "Bộ Tài chính"),
        ]

    def test_it_names_joint_issuers(self):
        assert tables.issuer("20/2013/TTLT-BYT-BCT-BNNPTNT") == (
            "Bộ Y tế, Bộ Công Thương, Bộ Nông nghiệp và Phát triển nông thôn"
        )
        assert tables.issuer("09/2023/QĐ-TTg") == "Thủ tướng Chính phủ"

    def test_it_reads_dates_written_in_words(self):
        title = "Nghị định số 11/2022/NĐ-CP ngày 15 tháng 01 năm 2022 của Chính phủ sửa đổi Nghị định số 103/2020"
        assert tables.issue_date("11/2022/NĐ-CP", title) == "2022-01-15"
        assert tables.issue_date("11/2022/NĐ-CP", "Nghị định số 11/2022/NĐ-CP ngày 31/02/2022") is None

    def test_it_reads_time_limits(self):
        assert tables.parse_time("5 Ngày làm việc") == (5, "ngay_lam_viec")
        assert tables.parse_time("2 Giờ") == (2, "gio")
        assert tables.parse_time("1") == (1, None)
        assert tables.parse_time("Không quy định") == (None, None)


# --- hashing ----------------------------------------------------------------------------------


def _small_procedure() -> ProcedureData:
    return ProcedureData(
        code="2.000001",
        name="Đăng ký khai sinh",
        levels=["xa"],
        steps=[Step(number=1, title="Nộp hồ sơ", text="")],
        channels=[Channel(kind="truc_tiep", time_text="1 Ngày làm việc", time_value=1, time_unit="ngay_lam_viec")],
        documents=[Document(name="Tờ khai đăng ký khai sinh", originals=1, forms=["Mẫu TK.docx"])],
        legal_bases=[LegalBasis(number="60/2014/QH13", title="Luật Hộ tịch", issuer="Quốc hội")],
    )


class TestContentHash:
    def test_it_is_pinned_for_a_known_record(self):
        # Canonical JSON: sorted keys, no whitespace, UTF-8. Changing the dataclass changes this.
        assert _small_procedure().content_hash() == ("e9a33582626b0f02f732f7e150d7d4fd0ac3211fc5190afd9a649962c3182cd8")

    def test_it_is_the_same_for_equal_records(self, raw):
        record = raw["1.011325"]
        shuffled = dict(reversed(list(record.items())))
        assert parse_record(record).content_hash() == parse_record(shuffled).content_hash()

    def test_it_changes_when_a_fee_changes(self, raw):
        changed = dict(raw["1.011325"])
        changed["cach_thuc_thuc_hien"] = changed["cach_thuc_thuc_hien"].replace("2,000,000", "2,500,000", 1)
        assert parse_record(changed).content_hash() != parse_record(raw["1.011325"]).content_hash()

    def test_it_ignores_whitespace_and_unicode_composition(self, raw):
        record = raw["1.000178"]
        decomposed = {key: unicodedata.normalize("NFD", value) for key, value in record.items()}
        decomposed["ten_thu_tuc"] = "  " + decomposed["ten_thu_tuc"].replace(" ", "  ") + " "
        assert parse_record(decomposed).content_hash() == parse_record(record).content_hash()


# --- search texts -----------------------------------------------------------------------------


class TestSearchText:
    def test_it_folds_the_name_and_keeps_the_exact_form(self):
        text = _small_procedure().search_text()
        assert text.name == "đăng ký khai sinh"
        assert text.name_folded == "dang ky khai sinh"
        assert "tờ khai đăng ký khai sinh" in text.body
        assert "to khai dang ky khai sinh" in text.body_folded
        assert "60/2014/qh13 luat ho tich" in text.body_folded

    def test_it_ships_realistic_queries_that_name_real_procedures(self, procedures):
        queries = json.loads(SEARCH_QUERIES.read_text(encoding="utf-8"))["queries"]
        names = {p.code: p.name for p in procedures}
        assert len(queries) >= 30
        assert sum(q["query"] == fold(q["query"]) for q in queries) >= 10  # typed without accents
        for query in queries:
            assert query["query"].strip() and 1 <= len(query["expected_in_top3"]) <= 3
            for code in query["expected_in_top3"]:
                assert code in names, (query["query"], code)


# --- file formats -----------------------------------------------------------------------------


class TestRoundTrips:
    def test_it_round_trips_every_record_through_csv(self, procedures):
        buffer = io.StringIO()
        write_csv(procedures, buffer)
        result = read_csv(io.BytesIO(buffer.getvalue().encode("utf-8")))
        assert result.errors == []
        assert result.procedures == list(procedures)
        assert [p.content_hash() for p in result.procedures] == [p.content_hash() for p in procedures]

    def test_it_round_trips_records_through_xlsx(self, procedures):
        fitting = [p for p in procedures if _fits_in_excel(p)]
        assert len(procedures) - len(fitting) == 6  # dossier lists longer than an Excel cell
        # The cell syntax is the CSV's, tested on every record above; a sample keeps this fast.
        fitting = fitting[::5]
        buffer = io.BytesIO()
        write_xlsx(fitting, buffer)
        buffer.seek(0)
        result = read_xlsx(buffer)
        assert result.errors == []
        assert result.procedures == fitting

    def test_it_refuses_to_cut_a_cell_excel_cannot_hold(self):
        procedure = _small_procedure()
        procedure.conditions = "x" * (XLSX_CELL_LIMIT + 1)
        with pytest.raises(ValueError, match="2.000001 \\(yeu_cau_dieu_kien\\)"):
            write_xlsx([procedure], io.BytesIO())

    def test_it_round_trips_its_own_json_lines(self, procedures):
        buffer = io.StringIO()
        write_jsonl(procedures[:200], buffer)
        result = read_jsonl(io.BytesIO(buffer.getvalue().encode("utf-8")))
        assert result.errors == [] and result.procedures == list(procedures[:200])

    def test_it_reads_a_workbook_typed_by_a_clerk(self):
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["Mã thủ tục", "Tên thủ tục", "Cấp thực hiện", "Cách thức thực hiện", "Thành phần hồ sơ"])
        sheet.append(
            [
                "2.000001",
                "Đăng ký khai sinh",
                "Cấp xã, Cấp tỉnh",
                "Trực tiếp | 1 ngày làm việc | Miễn phí\nBưu chính | 3 Ngày | 8.000 đồng | mỗi bản sao",
                "## Giấy tờ phải nộp\nTờ khai | 1 | 0 | Mẫu TK.docx\n## Giấy tờ xuất trình\nCăn cước | 1",
            ]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        result = read_xlsx(buffer)
        assert result.errors == []
        (p,) = result.procedures
        assert (p.code, p.name, p.levels) == ("2.000001", "Đăng ký khai sinh", ["xa", "tinh"])
        assert p.channels == [
            Channel(
                kind="truc_tiep",
                time_text="1 ngày làm việc",
                time_value=1,
                time_unit="ngay_lam_viec",
                fee_amount=0,
            ),
            Channel(
                kind="buu_chinh",
                time_text="3 Ngày",
                time_value=3,
                time_unit="ngay",
                fee_amount=8000,
                fee_currency="VND",
                fee_note="mỗi bản sao",
            ),
        ]
        assert p.documents == [
            Document(name="Tờ khai", originals=1, copies=0, forms=["Mẫu TK.docx"], group="Giấy tờ phải nộp"),
            Document(name="Căn cước", originals=1, copies=0, group="Giấy tờ xuất trình"),
        ]

    def test_it_reads_a_semicolon_separated_csv_from_excel(self):
        rows = [
            ["ma_thu_tuc", "ten_thu_tuc", "can_cu_phap_ly", "trinh_tu_thuc_hien", "muc_do_dvc"],
            [
                "X.1",
                "Chứng thực bản sao",
                "23/2015/NĐ-CP | Nghị định về chứng thực | 16/02/2015",
                "Nộp hồ sơ tại bộ phận một cửa rồi nhận kết quả.",
                "Toàn trình",
            ],
        ]
        result = read_csv(_csv_bytes(rows, delimiter=";"))
        assert result.errors == []
        (p,) = result.procedures
        assert p.legal_bases == [
            LegalBasis(
                number="23/2015/NĐ-CP",
                title="Nghị định về chứng thực",
                issued_on="2015-02-16",
                issuer="Chính phủ",
            )
        ]
        # Steps without "Bước 1:" are kept as text rather than refused.
        assert p.steps == [] and p.steps_text == "Nộp hồ sơ tại bộ phận một cửa rồi nhận kết quả."
        assert p.online_level == "toan_trinh"


# Text with everything the cell syntax must survive: bars, backslashes, hashes, separators,
# line breaks and Vietnamese letters.
_TEXT = st.text(alphabet="aăâđêôơưbcAĐẠỹ019 |\\#;,.()-\n", max_size=40)
_LINE = _TEXT.map(tables.clean_line)
_BLOCK = _TEXT.map(tables.clean_block)


@st.composite
def _procedures(draw) -> ProcedureData:
    time_text = draw(st.sampled_from(["", "5 Ngày làm việc", "1", "2 Giờ", "Không quy định"]))
    fee_amount = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**9)))
    channel = Channel(
        kind=draw(st.sampled_from(["truc_tiep", "truc_tuyen", "buu_chinh"])),
        time_text=time_text,
        time_value=tables.parse_time(time_text)[0],
        time_unit=tables.parse_time(time_text)[1],
        fee_amount=fee_amount,
        fee_currency="" if not fee_amount else draw(st.sampled_from(["VND", "USD"])),
        fee_note=draw(_BLOCK),
        description=draw(_BLOCK),
    )
    forms = draw(st.lists(_LINE.filter(lambda f: f and ";" not in f), max_size=2))
    document = Document(
        name=draw(_BLOCK),
        originals=draw(st.integers(0, 9)),
        copies=draw(st.integers(0, 9)),
        forms=forms,
        group=draw(_LINE),
    )
    number = draw(_LINE.filter(bool))
    basis = LegalBasis(number=number, title=draw(_LINE), issuer=draw(_LINE.filter(bool)))
    return ProcedureData(
        code="1.000001",
        name=draw(_LINE.filter(bool)),
        channels=[channel],
        documents=[document],
        legal_bases=[basis],
        conditions=draw(_BLOCK),
        documents_text=draw(_BLOCK),
    )


class TestCellSyntax:
    @settings(max_examples=300, deadline=None)
    @given(_procedures())
    def test_it_round_trips_any_text_through_csv(self, procedure):
        buffer = io.StringIO()
        write_csv([procedure], buffer)
        result = read_csv(io.BytesIO(buffer.getvalue().encode("utf-8")))
        assert result.errors == []
        assert result.procedures == [procedure]


def _fits_in_excel(procedure: ProcedureData) -> bool:
    (_, row) = procedure_rows([procedure])
    return all(len(cell) <= XLSX_CELL_LIMIT for cell in row)


class TestBrokenFiles:
    def test_it_reports_every_broken_csv_row_with_its_number(self):
        rows = [
            ["ma_thu_tuc", "ten_thu_tuc", "cap_thuc_hien", "cach_thuc_thuc_hien", "thanh_phan_ho_so"],
            ["1.000001", "Thủ tục tốt", "Cấp xã", "Trực tiếp | 5 Ngày | Miễn phí", "Đơn | 1"],
            ["1.000002", "", "Cấp xã", "", ""],
            ["1.000003", "Thủ tục C", "Cấp thôn", "", ""],
            ["1.000001", "Trùng mã", "", "", ""],
            [],
            ["1.000005", "Phí sai", "", "Trực tiếp | 5 Ngày | năm trăm", ""],
            ["1.000006", "Số bản sai", "", "Qua điện thoại | 1 Ngày", "Đơn | một"],
        ]
        result = read_csv(_csv_bytes(rows))
        assert [p.code for p in result.procedures] == ["1.000001"]
        assert [(e.row, e.field) for e in result.errors] == [
            (3, "ten_thu_tuc"),
            (4, "cap_thuc_hien"),
            (5, "ma_thu_tuc"),
            (7, "cach_thuc_thuc_hien"),
            (8, "cach_thuc_thuc_hien"),
            (8, "thanh_phan_ho_so"),
        ]
        messages = {(e.row, e.field): e.message for e in result.errors}
        assert messages[(3, "ten_thu_tuc")] == "Thiếu tên thủ tục"
        assert "«Cấp thôn»" in messages[(4, "cap_thuc_hien")]
        assert messages[(5, "ma_thu_tuc")] == "Mã thủ tục 1.000001 trùng với dòng 2"
        assert messages[(7, "cach_thuc_thuc_hien")].startswith("Dòng 1 trong ô: phí phải là «Miễn phí»")
        assert "«Qua điện thoại» không hợp lệ" in messages[(8, "cach_thuc_thuc_hien")]
        assert "số bản chính phải là số nguyên không âm" in messages[(8, "thanh_phan_ho_so")]

    def test_it_reports_header_problems_on_row_one(self):
        result = read_csv(_csv_bytes([["ma_thu_tuc", "ten thu tuc", "ghi chú riêng"], ["1", "A", "b"]]))
        assert result.procedures == []
        assert result.errors == [
            RowError(1, "ghi chú riêng", "Cột «ghi chú riêng» không có trong mẫu (xem IMPORT_FORMAT.md)")
        ]

    def test_it_refuses_a_csv_that_is_not_utf8(self):
        # A legacy Windows-1258 file: precomposed "ă", the tone of "ý" as a combining mark.
        payload = "ma_thu_tuc,ten_thu_tuc\n1,Đăng ky\u0301\n".encode("cp1258")
        assert read_csv(io.BytesIO(payload)).errors == [
            RowError(0, "", "Tệp CSV phải lưu dạng UTF-8 (Excel: «CSV UTF-8»)")
        ]

    def test_it_reports_a_code_typed_into_a_number_cell(self):
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.append(["ma_thu_tuc", "ten_thu_tuc"])
        workbook.active.append([1.0001, "Mã đã mất số 0"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        errors = read_xlsx(buffer).errors
        assert [(e.row, e.field) for e in errors] == [(2, "ma_thu_tuc")]
        assert "định dạng văn bản" in errors[0].message

    def test_it_reports_broken_json_lines_with_their_line_numbers(self, raw):
        good = json.dumps(raw["1.000178"], ensure_ascii=False)
        numeric = json.dumps({"ma_thu_tuc": "9.1", "ten_thu_tuc": "Tên", "linh_vuc": 5}, ensure_ascii=False)
        lines = [good, "{not json", "[1, 2]", "", '{"ten_thu_tuc": "không mã"}', numeric, good]
        result = read_jsonl(io.BytesIO("\n".join(lines).encode("utf-8")))
        assert [p.code for p in result.procedures] == ["1.000178"]
        assert [(e.row, e.field) for e in result.errors] == [
            (2, ""),
            (3, ""),
            (5, "ma_thu_tuc"),
            (6, "linh_vuc"),
            (7, "ma_thu_tuc"),
        ]
        assert result.errors[-1].message == "Mã thủ tục 1.000178 trùng với dòng 1"
