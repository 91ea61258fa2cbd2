"""Public procedure pages and the JSON API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.procedures.models import Procedure
from cchc.procedures.testing import demo_records, import_records, make_procedure_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    import_records(demo_records())


class TestSearchPage:
    def test_it_shows_fields_to_start_from(self, client, demo):
        page = client.get(reverse("procedures:search")).content.decode()
        assert 'lang="vi"' in page and "Hộ tịch" in page and "Thủ tục theo lĩnh vực" in page

    def test_it_lists_highlighted_results_linked_by_code(self, client, demo):
        page = client.get(reverse("procedures:search"), {"q": "dang ky khai tu"}).content.decode()
        assert (
            '<a href="/procedures/1.000656/?q=dang%20ky%20khai%20tu">'
            "Thủ tục <mark>đăng</mark> <mark>ký</mark> <mark>khai</mark> "
            "<mark>tử</mark></a>" in page
        )
        assert page.index("1.000656") < page.index("1.005461")  # the plain one first

    def test_the_htmx_request_gets_the_results_alone(self, client, demo):
        response = client.get(
            reverse("procedures:search"), {"q": "tam tru"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
        )
        body = response.content.decode()
        assert "<html" not in body and "/procedures/1.004194/" in body

    def test_a_query_with_markup_is_escaped(self, client, demo):
        page = client.get(reverse("procedures:search"), {"q": '<script>alert("x")</script> khai sinh'})
        assert b"<script>alert" not in page.content

    def test_it_says_so_when_nothing_is_found(self, client, demo):
        page = client.get(reverse("procedures:search"), {"q": "xyzzy"}).content.decode()
        assert "Không tìm thấy thủ tục nào." in page

    def test_it_costs_the_same_queries_however_many_procedures(self, client, django_assert_max_num_queries):
        import_records([make_procedure_data(code=f"9.{n:06d}", name=f"Đăng ký khai sinh loại {n}") for n in range(3)])
        url = reverse("procedures:search")
        with CaptureQueriesContext(connection) as small:
            assert client.get(url, {"q": "dang ky khai sinh"}).status_code == 200
        import_records([make_procedure_data(code=f"9.{n:06d}", name=f"Đăng ký khai sinh loại {n}") for n in range(60)])
        with CaptureQueriesContext(connection) as large:
            assert client.get(url, {"q": "dang ky khai sinh"}).status_code == 200
        # Never more with more procedures (PostgreSQL adds a few around the texts' look-up,
        # which runs under its own time limit; the lexicon, best bets, filter counts and the
        # query log add one each, the log's first row of the day an insert in a savepoint).
        assert len(large) <= len(small) <= 22
        with CaptureQueriesContext(connection) as browse:
            assert client.get(url, {"level": "xa"}).status_code == 200
        assert len(browse) <= 7  # the page, its count, the catalogue's filters, three filter counts


class TestProcedurePage:
    def test_it_shows_every_part_of_the_procedure(self, client, demo):
        page = client.get(reverse("procedures:detail", args=["1.004873"])).content.decode()
        for text in [
            "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân",
            "Cách thức thực hiện",
            "Trực tuyến",
            "03 Ngày làm việc",
            "10.000 đồng",
            "Thành phần hồ sơ",
            'type="checkbox"',
            "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
            "Trình tự thực hiện",
            "Căn cứ pháp lý",
            "60/2014/QH13",
            "20/11/2014",
            "Yêu cầu, điều kiện",
            "Giấy xác nhận có giá trị 06 tháng",
            "Ủy ban nhân dân cấp xã",
            "Toàn trình",
        ]:
            assert text in page, text

    def test_a_fee_is_written_as_its_note_writes_it(self, client, demo):
        # "2.000 VND" beside "2.000 đồng/trang" read as two currencies (issue 14): one word, "đồng".
        page = client.get(reverse("procedures:detail", args=["2.000815"])).content.decode()
        assert "2.000 đồng<br>" in page and "2.000 đồng/trang" in page and "VND" not in page

    def test_it_links_to_feedback_on_this_procedure(self, client, demo):
        page = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
        assert reverse("feedback:submit") + "?tthc=1.001193" in page

    def test_it_shows_kept_source_text_when_the_table_could_not_be_cut(self, client):
        import_records(
            [make_procedure_data(code="9.000001", channels=[], channels_text="Trực tiếp: 5 ngày <b>không rõ phí</b>")]
        )
        page = client.get(reverse("procedures:detail", args=["9.000001"])).content.decode()
        assert "Trực tiếp: 5 ngày &lt;b&gt;không rõ phí&lt;/b&gt;" in page

    def test_an_unknown_code_is_not_found(self, client, demo):
        assert client.get(reverse("procedures:detail", args=["0.000000"])).status_code == 404

    def test_it_is_printable_and_loads_nothing_from_outside(self, client, demo):
        page = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
        assert "portal.css" in page and 'src="http' not in page and '<link rel="stylesheet" href="http' not in page
        assert "<script>" not in page  # no inline script (the CSP)


class TestApi:
    def test_it_searches_best_first_with_highlights(self, client, demo):
        response = client.get("/api/v1/procedures", {"q": "cap doi the can cuoc", "limit": 2})
        data = response.json()
        assert response.status_code == 200 and data["results"][0]["code"] == "1.014063"
        assert data["results"][0]["name_highlighted"] == (
            "<mark>Cấp</mark> <mark>đổi</mark> <mark>thẻ</mark> <mark>căn</mark> <mark>cước</mark>"
        )
        assert data["results"][0]["url"].endswith("/procedures/1.014063/")
        assert len(data["results"]) == 2 and data["count"] >= 2

    def test_it_filters_and_pages_without_a_query(self, client, demo):
        data = client.get("/api/v1/procedures", {"field": "Chứng thực", "limit": 2, "offset": 1}).json()
        assert data["count"] == 3 and len(data["results"]) == 2
        assert all(item["field"] == "Chứng thực" for item in data["results"])

    def test_it_refuses_bad_parameters_in_vietnamese(self, client, demo):
        response = client.get("/api/v1/procedures", {"limit": "1000", "level": "thon"})
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"limit", "level"}

    def test_one_procedure_has_every_field(self, client, demo):
        data = client.get("/api/v1/procedures/1.001193").json()
        assert data["code"] == "1.001193" and data["status"] == "active"
        assert data["documents"][0]["name"] == "Tờ khai đăng ký khai sinh"
        assert client.get("/api/v1/procedures/0.0").status_code == 404

    def test_it_is_in_the_openapi_document(self, client):
        document = client.get("/api/v1/openapi.json").json()
        assert "/api/v1/procedures" in document["paths"] and "ProcedureSummary" in document["components"]["schemas"]


class TestCommand:
    def test_search_procedures_prints_a_json_list_best_first(self, demo):
        out = io.StringIO()
        call_command("search_procedures", "dang ky thuong tru", "--limit", "3", "--json", stdout=out)
        rows = json.loads(out.getvalue())
        assert [row["code"] for row in rows][:1] == ["1.004222"] and len(rows) <= 3
        assert {"code", "name"} <= set(rows[0])

    def test_it_prints_lines_without_json(self, demo):
        out = io.StringIO()
        call_command("search_procedures", "xyzzy", stdout=out)
        assert "Không tìm thấy" in out.getvalue()
        assert Procedure.objects.count() == len(demo_records())
