"""The import screens: who may use them, upload, review, corrections (and stale ones), confirm, discard."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.plans.actions import do_confirm_import, do_start_import
from cchc.plans.imports import RegistryOptions, plan_resolver
from cchc.plans.models import ActivityAgency, ImportStatus, Plan, PlanImport, PlanStatus

from .documents import district_plan_docx

TABLE_PLAN = Path(__file__).parent / "plans" / "lam-dong-2025-table.md"
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def upload_file(path: Path = TABLE_PLAN, name: str | None = None, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes() if data is None else data)


@pytest.fixture
def session(personas) -> PlanImport:
    return do_start_import(TABLE_PLAN.read_bytes(), TABLE_PLAN.name, actor=personas.coordinator)


def urls(session: PlanImport) -> list[tuple[str, str]]:
    pk = session.pk
    return [
        ("get", reverse("plans:import_upload")),
        ("post", reverse("plans:import_upload")),
        ("get", reverse("plans:import_review", args=[pk])),
        ("get", reverse("plans:import_original", args=[pk])),
        ("post", reverse("plans:import_header", args=[pk])),
        ("post", reverse("plans:import_lists", args=[pk])),
        ("post", reverse("plans:import_activity", args=[pk, 0])),
        ("post", reverse("plans:import_confirm", args=[pk])),
        ("post", reverse("plans:import_discard", args=[pk])),
    ]


def activity_data(session: PlanImport, index: int, **changes) -> dict:
    """The POST of an activity section as the page renders it, with ``changes`` (field -> value;
    ``agency<j>_<field>`` for agency rows)."""
    document = session.document
    activity = document["activities"][index]
    options = RegistryOptions.of(plan_resolver(document["year"], document.get("issuer"))[0])
    period = activity.get("period") or {}
    recurrence = activity.get("recurrence") or {}

    def dmy(iso):
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if iso else ""

    p, agencies = f"a{index}", activity["agencies"]
    data = {
        "version": session.version,
        f"{p}-title": activity["title"],
        f"{p}-funding": activity.get("funding") or "",
        f"{p}-period_start": dmy(period.get("start")),
        f"{p}-period_end": dmy(period.get("end")),
        f"{p}-recurrence_every": recurrence.get("every") or "",
        f"{p}-recurrence_count": recurrence.get("count") or "",
        f"{p}-recurrence_unit": recurrence.get("unit") or "",
        f"{p}-agencies-TOTAL_FORMS": len(agencies) + 1,
        f"{p}-agencies-INITIAL_FORMS": len(agencies),
        f"{p}-agencies-MIN_NUM_FORMS": 0,
        f"{p}-agencies-MAX_NUM_FORMS": 60,
        f"{p}-agencies-{len(agencies)}-role": "implement",
    }
    for j, agency in enumerate(agencies):
        data.update(
            {
                f"{p}-agencies-{j}-name": agency["name"],
                f"{p}-agencies-{j}-role": agency["role"],
                f"{p}-agencies-{j}-match": options.label(agency),
            }
        )
    for key, value in changes.items():
        if key.startswith("agency"):
            row, name = key[len("agency") :].split("_", 1)
            data[f"{p}-agencies-{row}-{name}"] = value
        else:
            data[f"{p}-{key}"] = value
    return data


def header_data(session: PlanImport, **changes) -> dict:
    d = session.document
    data = {
        "version": session.version,
        "title": d["title"],
        "year": d["year"],
        "issuer": d["issuer"],
        "number": d["number"] or "",
        "symbol": d["symbol"] or "",
        "place": d["place"] or "",
        "issued_on": "",
        "signer_name": (d["signer"] or {}).get("name") or "",
        "signer_title": (d["signer"] or {}).get("title") or "",
        "audience": d["audience"] or "",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
class TestWhoMayImport:
    def test_anonymous_is_sent_to_log_in(self, client, session):
        for method, url in urls(session):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url

    @pytest.mark.parametrize("persona", ["officer_a", "head_a", "officer_dept", "desk", "observer"])
    def test_other_roles_are_refused(self, client, personas, session, persona):
        client.force_login(getattr(personas, persona))
        for method, url in urls(session):
            assert getattr(client, method)(url).status_code == 403, url
        session.refresh_from_db()
        assert session.version == 1 and session.status == ImportStatus.REVIEW and not Plan.objects.exists()
        assert AuditEntry.objects.filter(action="access.refused").count() == len(urls(session))

    @pytest.mark.parametrize("persona", ["coordinator", "admin"])
    def test_coordinators_and_administrators_may(self, client, personas, session, persona):
        client.force_login(getattr(personas, persona))
        assert client.get(reverse("plans:import_upload")).status_code == 200
        assert client.get(reverse("plans:import_review", args=[session.pk])).status_code == 200

    def test_the_plan_list_links_to_the_import_for_editors_only(self, client, personas):
        client.force_login(personas.coordinator)
        assert reverse("plans:import_upload") in client.get(reverse("plans:list")).content.decode()
        client.force_login(personas.observer)
        assert reverse("plans:import_upload") not in client.get(reverse("plans:list")).content.decode()


@pytest.mark.django_db
class TestUpload:
    def test_an_htmx_upload_opens_the_review(self, client, personas):
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:import_upload"), {"file": upload_file()}, HTTP_HX_REQUEST="true")
        session = PlanImport.objects.get()
        assert response.status_code == 200
        assert response["HX-Redirect"] == reverse("plans:import_review", args=[session.pk])
        assert session.created_by == personas.coordinator and session.original.read() == TABLE_PLAN.read_bytes()

    def test_a_word_document_with_a_task_table_is_read(self, client, personas):
        client.force_login(personas.coordinator)
        data = district_plan_docx()
        client.post(reverse("plans:import_upload"), {"file": upload_file(name="ke-hoach-huyen.docx", data=data)})
        session = PlanImport.objects.get()
        assert session.file_format == "docx" and len(session.document["activities"]) >= 4
        page = client.get(reverse("plans:import_review", args=[session.pk])).content.decode()
        assert "Phòng Văn hóa và Thông tin" in page and "chưa khớp danh mục" in page

    def test_a_plain_upload_redirects(self, client, personas):
        client.force_login(personas.admin)
        response = client.post(reverse("plans:import_upload"), {"file": upload_file()})
        assert response.status_code == 302 and PlanImport.objects.count() == 1

    def test_a_refused_file_shows_why_and_saves_nothing(self, client, personas, settings):
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:import_upload"), {"file": upload_file(name="kh.doc", data=OLE_DOC)})
        page = response.content.decode()
        assert response.status_code == 400
        assert "tệp Word cũ (.doc)" in page and "legacy Word file" in page and "Không có gì được lưu" in page
        partial = client.post(
            reverse("plans:import_upload"), {"file": upload_file(name="kh.doc", data=OLE_DOC)}, HTTP_HX_REQUEST="true"
        )
        assert partial.status_code == 200 and "tệp Word cũ (.doc)" in partial.content.decode()
        assert "<html" not in partial.content.decode()
        assert not PlanImport.objects.exists() and not Plan.objects.exists()
        assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
        refused = AuditEntry.objects.filter(action="plans.import.refused")
        assert refused.count() == 2 and refused.first().details["code"] == "legacy_doc"

    def test_a_file_already_under_review_reopens_that_review(self, client, personas, session):
        client.force_login(personas.admin)
        response = client.post(reverse("plans:import_upload"), {"file": upload_file()}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("plans:import_review", args=[session.pk])
        assert PlanImport.objects.count() == 1
        assert "đang được rà soát" in response.content.decode()

    def test_the_page_has_a_progress_bar_driven_by_a_static_script(self, client, personas):
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_upload")).content.decode()
        assert "<progress" in page and 'hx-encoding="multipart/form-data"' in page
        assert "plans/import.js" in page and "<script>" not in page


@pytest.mark.django_db
class TestReviewPage:
    def test_it_shows_the_source_beside_the_plan_and_highlights_what_is_uncertain(self, client, personas, session):
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[session.pk])).content.decode()
        assert 'id="L1"' in page and "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in page
        assert 'value="Hội nghị tập huấn về ứng dụng dịch vụ công trực tuyến"' not in page  # a textarea, not input
        assert "Hội nghị tập huấn về ứng dụng dịch vụ công trực tuyến" in page
        assert "chưa khớp danh mục" in page and 'class="agency-row uncertain"' in page
        assert 'value="Sở Nội vụ"' in page and "khớp danh mục" in page
        assert '<datalist id="registry-options">' in page and '<option value="Sở Thông tin và Truyền thông">' in page
        assert "Xác nhận và tạo kế hoạch dự thảo" in page

    def test_it_offers_to_update_the_draft_the_document_became_before(self, client, personas, session):
        plan, _ = do_confirm_import(session, actor=personas.coordinator)
        again = do_start_import(TABLE_PLAN.read_bytes(), "lai.md", actor=personas.coordinator)
        client.force_login(personas.coordinator)
        page = client.get(reverse("plans:import_review", args=[again.pk])).content.decode()
        assert "Cập nhật kế hoạch dự thảo đã có" in page and reverse("plans:detail", args=[plan.pk]) in page
        assert "Xác nhận và tạo kế hoạch dự thảo" not in page
        Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ACTIVE)
        page = client.get(reverse("plans:import_review", args=[again.pk])).content.decode()
        assert 'id="import-blocking"' in page and "không thể xác nhận lần nhập này" in page
        assert "Cập nhật kế hoạch dự thảo đã có" not in page

    def test_the_original_is_served_only_through_the_checked_view(self, client, personas, session):
        client.force_login(personas.coordinator)
        response = client.get(reverse("plans:import_original", args=[session.pk]))
        assert b"".join(response.streaming_content) == TABLE_PLAN.read_bytes()
        assert 'attachment; filename="lam-dong-2025-table.md"' in response["Content-Disposition"]
        # Stored outside the web root under a random name: no URL reaches it but the view above.
        assert client.get(f"/media/{session.original.name}").status_code == 404
        assert session.original.name.endswith(".txt") and TABLE_PLAN.stem not in session.original.name


@pytest.mark.django_db
class TestCorrections:
    def test_a_header_save_returns_the_section_and_the_new_version(self, client, personas, session):
        client.force_login(personas.coordinator)
        response = client.post(
            reverse("plans:import_header", args=[session.pk]),
            header_data(session, place="Đà Lạt", issued_on="12/02/2025"),
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert response.status_code == 200 and "Đã lưu." in body and "<html" not in body
        assert '"importVersion": 2' in response["HX-Trigger"] and "HX-Refresh" not in response
        session.refresh_from_db()
        assert session.document["place"] == "Đà Lạt" and session.document["issued_on"] == "2025-02-12"

    def test_another_year_reloads_the_page_whose_matches_it_changed(self, client, personas, session):
        client.force_login(personas.coordinator)
        response = client.post(
            reverse("plans:import_header", args=[session.pk]), header_data(session, year=2024), HTTP_HX_REQUEST="true"
        )
        assert response["HX-Refresh"] == "true"

    def test_an_activity_save_changes_the_period_and_the_agency_match(self, client, personas, session):
        client.force_login(personas.coordinator)
        untouched = session.document["activities"][1]["agencies"][1]
        data = activity_data(
            session,
            1,
            period_start="01/07/2025",
            period_end="30/09/2025",
            agency0_match="Đài Phát thanh và Truyền hình tỉnh",
        )
        response = client.post(reverse("plans:import_activity", args=[session.pk, 1]), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Đã lưu." in response.content.decode()
        session.refresh_from_db()
        activity = session.document["activities"][1]
        assert activity["period"] == {"start": "2025-07-01", "end": "2025-09-30"}
        assert activity["agencies"][0] == {
            "name": "Báo Lâm Đồng",
            "role": "implement",
            "unit": "dai-ptth",
            "group": None,
            "match": "confirmed",
        }
        assert activity["agencies"][1] == untouched  # rows the reviewer left alone keep their match

    def test_an_agency_can_be_added_renamed_and_removed(self, client, personas, session):
        client.force_login(personas.coordinator)
        n = len(session.document["activities"][3]["agencies"])
        data = activity_data(session, 3, **{f"agency{n}_name": "Sở TT&TT", f"agency{n}_role": "coordinate"})
        client.post(reverse("plans:import_activity", args=[session.pk, 3]), data)
        session.refresh_from_db()
        added = session.document["activities"][3]["agencies"][-1]
        assert added == {"name": "Sở TT&TT", "role": "coordinate", "unit": "so-tttt", "group": None, "match": "exact"}
        data = activity_data(session, 3, agency0_name="Sở Không Có", **{f"agency{n}_DELETE": "on"})
        client.post(reverse("plans:import_activity", args=[session.pk, 3]), data)
        session.refresh_from_db()
        agencies = session.document["activities"][3]["agencies"]
        assert [a["name"] for a in agencies] == ["Sở Không Có"] and agencies[0]["match"] == "none"

    @pytest.mark.parametrize(
        "changes,message",
        [
            ({"period_start": "31/02/2025", "period_end": "30/06/2025"}, "dd/mm/yyyy"),
            ({"period_start": "01/07/2025", "period_end": "30/06/2025"}, "Ngày kết thúc phải sau ngày bắt đầu"),
            ({"period_start": "01/07/2025", "period_end": ""}, "cả ngày bắt đầu và ngày kết thúc"),
            ({"agency0_match": "Sở Ma"}, "Không có “Sở Ma” trong danh mục đơn vị năm 2025"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_saved(self, client, personas, session, changes, message):
        client.force_login(personas.coordinator)
        before = session.document
        url = reverse("plans:import_activity", args=[session.pk, 1])
        response = client.post(url, activity_data(session, 1, **changes))
        assert response.status_code == 400 and message in response.content.decode()
        partial = client.post(url, activity_data(session, 1, **changes), HTTP_HX_REQUEST="true")
        assert message in partial.content.decode() and "Đã lưu." not in partial.content.decode()
        session.refresh_from_db()
        assert session.document == before and session.version == 1

    def test_a_second_editors_stale_save_is_refused_with_an_explanation(self, client, personas, session):
        """Two editors open the page at version 1; the first saves; the second's save is refused, their input
        stays on screen, and the first editor's change stands."""
        first, second = client, type(client)()
        first.force_login(personas.coordinator)
        second.force_login(personas.admin)
        url = reverse("plans:import_activity", args=[session.pk, 3])
        stale_data = activity_data(session, 3, title="Tổng kết công tác tuyên truyền (bản của người thứ hai)")
        assert (
            first.post(
                url,
                activity_data(session, 3, title="Tổng kết, đánh giá (bản của người thứ nhất)"),
                HTTP_HX_REQUEST="true",
            ).status_code
            == 200
        )
        partial = second.post(url, stale_data, HTTP_HX_REQUEST="true").content.decode()
        assert "đã lưu thay đổi lúc" in partial and "Thay đổi của bạn chưa được lưu" in partial
        assert "bản của người thứ hai" in partial  # what they typed is still in the form
        page = second.post(url, stale_data)
        assert page.status_code == 409 and "đã lưu thay đổi lúc" in page.content.decode()
        session.refresh_from_db()
        assert session.document["activities"][3]["title"] == "Tổng kết, đánh giá (bản của người thứ nhất)"
        assert session.version == 2

    def test_a_save_without_a_version_is_not_taken_blindly(self, client, personas, session):
        client.force_login(personas.coordinator)
        data = header_data(session, place="X")
        del data["version"]
        assert client.post(reverse("plans:import_header", args=[session.pk]), data).status_code == 409

    def test_a_confirmed_import_is_read_only(self, client, personas, session):
        do_confirm_import(session, actor=personas.coordinator)
        session.refresh_from_db()
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:import_header", args=[session.pk]), header_data(session, place="Y"))
        assert response.status_code == 400 and "đã xác nhận" in response.content.decode()
        page = client.get(reverse("plans:import_review", args=[session.pk])).content.decode()
        assert "Lưu thông tin chung" not in page and "Lần nhập này đã được xác nhận" in page


@pytest.mark.django_db
class TestConfirmAndDiscard:
    def test_confirm_creates_the_draft_and_the_plan_page_shows_the_corrections(self, client, personas, session):
        client.force_login(personas.coordinator)
        data = activity_data(
            session,
            1,
            period_start="01/07/2025",
            period_end="30/09/2025",
            agency0_match="Đài Phát thanh và Truyền hình tỉnh",
        )
        client.post(reverse("plans:import_activity", args=[session.pk, 1]), data)
        response = client.post(reverse("plans:import_confirm", args=[session.pk]), {"version": 2}, follow=True)
        plan = Plan.objects.get()
        # The review hands over to the plan's editor.
        assert response.redirect_chain[-1][0] == reverse("plans:edit", args=[plan.pk])
        page = response.content.decode()
        assert "Đã tạo kế hoạch dự thảo" in page and "Dự thảo" in page
        assert "Báo Lâm Đồng · Thực hiện" in page
        assert "01/07/2025 – 30/09/2025" in page
        paper = ActivityAgency.objects.get(activity__plan=plan, name="Báo Lâm Đồng")
        assert paper.unit == personas.units.dai and paper.match_quality == "confirmed"

    def test_a_stale_confirm_is_refused(self, client, personas, session):
        client.force_login(personas.coordinator)
        client.post(reverse("plans:import_header", args=[session.pk]), header_data(session, place="Đà Lạt"))
        response = client.post(reverse("plans:import_confirm", args=[session.pk]), {"version": 1}, follow=True)
        assert "đã lưu thay đổi lúc" in response.content.decode() and not Plan.objects.exists()

    def test_confirming_a_document_imported_before_updates_that_draft_only_when_asked(self, client, personas, session):
        plan, _ = do_confirm_import(session, actor=personas.coordinator)
        again = do_start_import(TABLE_PLAN.read_bytes(), "lai.md", actor=personas.coordinator)
        client.force_login(personas.coordinator)
        url = reverse("plans:import_confirm", args=[again.pk])
        response = client.post(url, {"version": 1}, follow=True)
        assert "đã được nhập thành kế hoạch dự thảo" in response.content.decode()
        assert Plan.objects.count() == 1 and PlanImport.objects.get(pk=again.pk).status == ImportStatus.REVIEW
        response = client.post(url, {"version": 1, "update": "1"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("plans:edit", args=[plan.pk])
        assert "Đã cập nhật kế hoạch dự thảo" in response.content.decode()
        assert Plan.objects.count() == 1 and Plan.objects.get().version == 2

    def test_discard_keeps_the_record_and_makes_no_plan(self, client, personas, session):
        client.force_login(personas.coordinator)
        response = client.post(reverse("plans:import_discard", args=[session.pk]), {"version": 1}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("plans:import_upload")
        session.refresh_from_db()
        assert session.status == ImportStatus.DISCARDED and not Plan.objects.exists()
        assert AuditEntry.objects.filter(action="plans.import.discard", object_id=str(session.pk)).exists()

    def test_every_step_is_in_the_audit_trail(self, client, personas):
        client.force_login(personas.coordinator)
        client.post(reverse("plans:import_upload"), {"file": upload_file()})
        session = PlanImport.objects.get()
        client.post(reverse("plans:import_header", args=[session.pk]), header_data(session, place="Đà Lạt"))
        client.post(reverse("plans:import_confirm", args=[session.pk]), {"version": 2})
        actions = list(
            AuditEntry.objects.filter(object_type="plans.planimport").order_by("pk").values_list("action", flat=True)
        )
        assert actions == ["plans.import.upload", "plans.import.correct", "plans.import.confirm"]
        assert set(AuditEntry.objects.filter(action__startswith="plans.").values_list("actor", flat=True)) == {
            personas.coordinator.pk
        }


@pytest.mark.django_db
class TestQueryCounts:
    def test_the_upload_page_costs_the_same_with_more_imports_in_review(self, client, personas):
        client.force_login(personas.coordinator)
        do_start_import(TABLE_PLAN.read_bytes(), "1.md", actor=personas.coordinator)
        with CaptureQueriesContext(connection) as small:
            assert client.get(reverse("plans:import_upload")).status_code == 200
        for i in range(5):
            do_start_import(TABLE_PLAN.read_bytes() + f"\n{i}".encode(), f"{i}.md", actor=personas.admin)
        with CaptureQueriesContext(connection) as large:
            page = client.get(reverse("plans:import_upload")).content.decode()
        assert "1.md" in page and "4.md" in page
        assert len(large) == len(small)

    def test_the_review_page_costs_the_same_for_a_longer_plan(self, client, personas, session):
        client.force_login(personas.coordinator)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("plans:import_review", args=[session.pk]))
        document = session.document
        document["activities"] = document["activities"] * 6
        PlanImport.objects.filter(pk=session.pk).update(document=document)
        with CaptureQueriesContext(connection) as large:
            page = client.get(reverse("plans:import_review", args=[session.pk])).content.decode()
        assert page.count("Lưu hoạt động này") == 30
        assert len(large) == len(small)


@pytest.mark.django_db
def test_a_plan_read_without_a_year_asks_for_it_first(client, personas, session):
    document = {**session.document, "year": None}
    for activity in document["activities"]:
        for agency in activity["agencies"]:
            for key in ("unit", "group", "match"):
                agency.pop(key)
    PlanImport.objects.filter(pk=session.pk).update(document=document)
    session.refresh_from_db()
    client.force_login(personas.coordinator)
    assert client.get(reverse("plans:import_review", args=[session.pk])).status_code == 200
    data = activity_data_without_registry(session, 3)
    response = client.post(reverse("plans:import_activity", args=[session.pk, 3]), data)
    assert response.status_code == 400 and "Hãy nhập năm của kế hoạch" in response.content.decode()
    header = header_data(session, year="2025")
    client.post(reverse("plans:import_header", args=[session.pk]), header)
    session.refresh_from_db()
    assert session.document["year"] == 2025
    assert session.document["activities"][3]["agencies"][0]["unit"] == "so-noi-vu"


def activity_data_without_registry(session: PlanImport, index: int) -> dict:
    activity = session.document["activities"][index]
    p = f"a{index}"
    data = {
        "version": session.version,
        f"{p}-title": activity["title"],
        f"{p}-agencies-TOTAL_FORMS": 1,
        f"{p}-agencies-INITIAL_FORMS": 1,
        f"{p}-agencies-MIN_NUM_FORMS": 0,
        f"{p}-agencies-MAX_NUM_FORMS": 60,
        f"{p}-agencies-0-name": activity["agencies"][0]["name"],
        f"{p}-agencies-0-role": "implement",
    }
    return data
