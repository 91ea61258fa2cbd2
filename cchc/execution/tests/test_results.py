import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.models import AuditEntry
from cchc.execution.actions import ResultLocked, do_delete_result, do_record_result, do_update_result
from cchc.execution.models import Evidence, Result, ResultKind
from cchc.lib.uploads import check_upload
from cchc.lib.versioning import StaleEdit
from cchc.plans.models import PlanStatus
from cchc.testing import PNG_BYTES, make_result, make_small_plan, obligation_of

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas, demo_plan):
    """A result of commune A with a file, and the obligations of communes A and B under activity 1."""
    ob_a = obligation_of(demo_plan, personas.units.commune_a, "1")
    ob_b = obligation_of(demo_plan, personas.units.commune_b, "1")
    result = do_record_result(
        {
            "obligation": ob_a,
            "kind": ResultKind.POSTER,
            "title": "Pa nô CCHC trước trụ sở xã A",
            "occurred_on": D(2024, 3, 5),
            "quantity": Decimal(2),
            "quantity_unit": "pa nô",
            "cost": Decimal(3_000_000),
        },
        actor=personas.officer_a,
        files=[check_upload(SimpleUploadedFile("anh.png", PNG_BYTES))],
    )
    return type(
        "World",
        (),
        {"ob_a": ob_a, "ob_b": ob_b, "result": result, "evidence": result.evidence.get(), "plan": demo_plan},
    )


def _post_data(obligation, **overrides):
    data = {
        "obligation": obligation.pk,
        "kind": ResultKind.NEWS_ARTICLE,
        "title": "Tin CCHC trên trang xã",
        "occurred_on": "2024-04-02",
        "quantity": "1",
        "quantity_unit": "tin",
        "cost": "1.500.000",
        "funding_source": "Ngân sách xã",
        "audiences": ["citizens", "ethnic_minorities"],
        "reach": "120",
        "description": "Đăng tin về dịch vụ công trực tuyến",
        "links": "https://xa-a.gialai.gov.vn/tin/1",
    }
    data.update(overrides)
    return data


PERSONAS = ["anonymous", "officer_a", "officer_b", "head_a", "coordinator", "observer", "desk"]


def _login(client, personas, who):
    if who != "anonymous":
        client.force_login(getattr(personas, who))


class TestPermissionMatrix:
    # status for each persona; "login" = sent to the log-in page.
    READ = {
        "anonymous": "login",
        "officer_a": 200,
        "officer_b": 404,
        "head_a": 200,
        "coordinator": 200,
        "observer": 200,
        "desk": 403,
    }
    WRITE = {
        "anonymous": "login",
        "officer_a": 200,
        "officer_b": 404,
        "head_a": 403,
        "coordinator": 403,
        "observer": 403,
        "desk": 403,
    }

    def _check(self, response, expected):
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected

    @pytest.mark.parametrize("who", PERSONAS)
    def test_detail_and_download(self, client, personas, world, who):
        _login(client, personas, who)
        self._check(client.get(reverse("execution:result", args=[world.result.pk])), self.READ[who])
        self._check(client.get(reverse("execution:evidence_download", args=[world.evidence.pk])), self.READ[who])

    @pytest.mark.parametrize("who", PERSONAS)
    def test_edit_page(self, client, personas, world, who):
        _login(client, personas, who)
        self._check(client.get(reverse("execution:result_edit", args=[world.result.pk])), self.WRITE[who])

    @pytest.mark.parametrize("who", PERSONAS)
    def test_changes_are_refused_to_all_but_the_units_officer(self, client, personas, world, who):
        _login(client, personas, who)
        posts = [
            (
                reverse("execution:result_edit", args=[world.result.pk]),
                _post_data(world.ob_a, title="Đổi tên", version=world.result.version),
            ),
            (reverse("execution:evidence_add", args=[world.result.pk]), {"links": "https://example.org/x"}),
            (reverse("execution:evidence_delete", args=[world.evidence.pk]), {}),
            (reverse("execution:result_delete", args=[world.result.pk]), {}),
        ]
        expected = {**self.WRITE, "officer_a": 302}
        for url, data in posts:
            self._check(client.post(url, data), expected[who])
        exists = Result.objects.filter(pk=world.result.pk).exists()
        assert exists == (who != "officer_a")
        if who != "officer_a":
            world.result.refresh_from_db()
            assert world.result.title == "Pa nô CCHC trước trụ sở xã A"
            assert Evidence.objects.filter(pk=world.evidence.pk).exists()

    @pytest.mark.parametrize("who", PERSONAS)
    def test_list_shows_only_what_the_persona_may_see(self, client, personas, world, who):
        _login(client, personas, who)
        response = client.get(reverse("execution:results"))
        expected = {**self.READ, "officer_b": 200}[who]
        self._check(response, expected)
        if expected == 200:
            assert ("Pa nô CCHC trước trụ sở xã A" in response.content.decode()) == (who != "officer_b")

    @pytest.mark.parametrize("who", PERSONAS)
    def test_create_and_import_pages_are_for_officers(self, client, personas, world, who):
        _login(client, personas, who)
        expected = {**self.WRITE, "officer_b": 200}[who]
        for name in ("execution:result_create", "execution:import"):
            self._check(client.get(reverse(name)), expected)

    def test_the_desk_is_refused_and_the_refusal_audited(self, client, personas, world):
        client.force_login(personas.desk)
        assert client.get(reverse("execution:results")).status_code == 403
        assert AuditEntry.objects.filter(action="access.refused", actor=personas.desk).count() == 1


class TestTampering:
    def test_an_officer_cannot_record_against_another_units_obligation(self, client, personas, world):
        client.force_login(personas.officer_b)
        response = client.post(reverse("execution:result_create"), _post_data(world.ob_a, title="Giả mạo"))
        assert response.status_code == 200
        assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
        assert not Result.objects.filter(title="Giả mạo").exists()

    def test_nor_move_their_own_result_to_another_unit(self, client, personas, world):
        own = make_result(world.ob_b, title="Kết quả của xã B")
        client.force_login(personas.officer_b)
        response = client.post(
            reverse("execution:result_edit", args=[own.pk]),
            _post_data(world.ob_a, title="Chuyển sang xã A", version=own.version),
        )
        assert response.status_code == 200
        own.refresh_from_db()
        assert own.title == "Kết quả của xã B" and own.unit_id == personas.units.commune_b.pk

    def test_the_actions_refuse_too_whatever_the_caller(self, personas, world):
        fields = {"obligation": world.ob_a, "kind": ResultKind.OTHER, "title": "x", "occurred_on": D(2024, 5, 1)}
        for actor in (personas.officer_b, personas.head_a, personas.coordinator, personas.observer):
            with pytest.raises(PermissionDenied):
                do_record_result(fields, actor=actor)
            with pytest.raises(PermissionDenied):
                do_delete_result(world.result, actor=actor)

    def test_a_deliverable_or_topic_of_another_unit_or_plan_is_refused(self, personas, world):
        other_plan = make_small_plan(year=2025)
        foreign_topic = other_plan.topics.first()
        fields = {
            "obligation": world.ob_a,
            "kind": ResultKind.OTHER,
            "title": "x",
            "occurred_on": D(2024, 5, 1),
            "topics": [foreign_topic],
        }
        with pytest.raises(ValidationError) as err:
            do_record_result(fields, actor=personas.officer_a)
        assert "topics" in err.value.message_dict
        from cchc.execution.actions import do_generate_deliverables

        do_generate_deliverables(world.plan)
        foreign = obligation_of(world.plan, personas.units.noi_vu, "2").deliverables.first()
        with pytest.raises(ValidationError) as err:
            do_record_result({**fields, "topics": [], "deliverable": foreign}, actor=personas.officer_a)
        assert "deliverable" in err.value.message_dict


class TestRecording:
    def test_an_officer_records_a_result_with_evidence(self, client, personas, world):
        client.force_login(personas.officer_a)
        topic = world.plan.topics.first()
        data = _post_data(world.ob_a, topics=[topic.pk], is_public="on")
        data["files"] = [
            SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%%EOF\n"),
            SimpleUploadedFile("anh.png", PNG_BYTES),
        ]
        response = client.post(reverse("execution:result_create"), data)
        assert response.status_code == 302
        result = Result.objects.get(title="Tin CCHC trên trang xã")
        assert response["Location"] == reverse("execution:result", args=[result.pk])
        assert result.unit == personas.units.commune_a and result.created_by == personas.officer_a
        assert result.cost == Decimal(1_500_000) and result.reach == 120 and result.is_public
        assert result.audiences == ["citizens", "ethnic_minorities"]
        assert list(result.topics.all()) == [topic]
        assert sorted(result.evidence.values_list("original_name", flat=True)) == ["", "anh.png", "bien-ban.pdf"]
        entry = AuditEntry.objects.get(action="execution.record_result", object_id=str(result.pk))
        assert entry.actor == personas.officer_a and entry.details["evidence"] == 3
        page = client.get(response["Location"]).content.decode()
        assert "bien-ban.pdf" in page and "1.500.000" in page and "Đồng bào dân tộc thiểu số" in page

    def test_bad_input_is_explained_in_vietnamese_and_kept(self, client, personas, world):
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("execution:result_create"),
            _post_data(world.ob_a, occurred_on="2099-01-01", cost="nhiều tiền", title="Giữ lại"),
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Kinh phí là số đồng" in page
        assert 'value="Giữ lại"' in page
        # The first reporting period starts on 15 December of the year before: the 14th is refused.
        response = client.post(reverse("execution:result_create"), _post_data(world.ob_a, occurred_on="2023-12-14"))
        assert (
            "Ngày thực hiện phải nằm trong thời gian của kế hoạch: từ 15/12/2023 đến 31/12/2024"
            in response.content.decode()
        )
        response = client.post(reverse("execution:result_create"), _post_data(world.ob_a, occurred_on="2099-01-01"))
        assert "không thể ở tương lai" in response.content.decode()

    def test_a_closed_plan_takes_no_more_results(self, personas, world):
        world.plan.status = PlanStatus.CLOSED
        world.plan.save(update_fields=["status"])
        with pytest.raises(ValidationError, match="không ở trạng thái đang thực hiện"):
            do_record_result(
                {"obligation": world.ob_a, "kind": ResultKind.OTHER, "title": "x", "occurred_on": D(2024, 5, 1)},
                actor=personas.officer_a,
            )

    def test_the_officer_edits_and_the_change_is_audited(self, client, personas, world):
        client.force_login(personas.officer_a)
        url = reverse("execution:result_edit", args=[world.result.pk])
        form = client.get(url).content.decode()
        assert 'value="Pa nô CCHC trước trụ sở xã A"' in form and 'value="3.000.000"' in form
        response = client.post(url, _post_data(world.ob_a, title="Pa nô CCHC (đã sửa)", version=1, kind="poster"))
        assert response.status_code == 302
        world.result.refresh_from_db()
        assert world.result.title == "Pa nô CCHC (đã sửa)" and world.result.version == 2
        entry = AuditEntry.objects.get(action="execution.update_result")
        assert "title" in entry.details["changed"] and "kind" not in entry.details["changed"]

    def test_the_officer_deletes_and_the_files_go_too(
        self, client, personas, world, django_capture_on_commit_callbacks
    ):
        from django.core.files.storage import default_storage

        name = world.evidence.file.name
        assert default_storage.exists(name)
        client.force_login(personas.officer_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("execution:result_delete", args=[world.result.pk]))
        assert response.status_code == 302
        assert not Result.objects.filter(pk=world.result.pk).exists()
        assert not default_storage.exists(name)
        assert AuditEntry.objects.filter(action="execution.delete_result", object_id=str(world.result.pk)).exists()


class TestConcurrentEdits:
    def test_the_second_save_is_refused_with_an_explanation_and_the_input_kept(self, client, personas, world):
        client.force_login(personas.officer_a)
        url = reverse("execution:result_edit", args=[world.result.pk])
        # Both open the form at version 1; the first one saves.
        do_update_result(world.result, {"title": "Bản của đồng nghiệp"}, actor=personas.officer_a, expected_version=1)
        response = client.post(url, _post_data(world.ob_a, title="Bản của tôi", version=1))
        page = response.content.decode()
        assert response.status_code == 409
        assert "sau khi bạn mở trang" in page
        assert 'value="Bản của tôi"' in page
        world.result.refresh_from_db()
        assert world.result.title == "Bản của đồng nghiệp" and world.result.version == 2

    def test_the_action_refuses_a_stale_version(self, personas, world):
        stale = Result.objects.get(pk=world.result.pk)
        do_update_result(world.result, {"title": "Một"}, actor=personas.officer_a, expected_version=1)
        with pytest.raises(StaleEdit):
            do_update_result(stale, {"title": "Hai"}, actor=personas.officer_a, expected_version=1)
        assert Result.objects.get(pk=world.result.pk).title == "Một"


class TestLocks:
    def test_a_result_in_a_submitted_report_can_be_neither_changed_nor_deleted(
        self, client, personas, world, result_lock
    ):
        locked = make_result(world.ob_a, title="[BC] Hội nghị quý I")
        assert locked.lock_reason == "Kết quả đã nằm trong báo cáo đã gửi."
        assert world.result.lock_reason is None
        with pytest.raises(ResultLocked):
            do_delete_result(locked, actor=personas.officer_a)
        with pytest.raises(ResultLocked):
            do_update_result(locked, {"title": "[BC] sửa"}, actor=personas.officer_a, expected_version=1)
        client.force_login(personas.officer_a)
        response = client.post(reverse("execution:result_delete", args=[locked.pk]), follow=True)
        assert "đã nằm trong báo cáo đã gửi" in response.content.decode()
        assert Result.objects.filter(pk=locked.pk).exists()
        response = client.post(
            reverse("execution:result_edit", args=[locked.pk]), _post_data(world.ob_a, title="x", version=1)
        )
        assert "đã nằm trong báo cáo đã gửi" in response.content.decode()
        assert Result.objects.get(pk=locked.pk).title == "[BC] Hội nghị quý I"
        listing = client.get(reverse("execution:results")).content.decode()
        assert "đã khóa" in listing

    def test_the_list_learns_locks_in_the_same_query(self, personas, world, result_lock):
        make_result(world.ob_a, title="[BC] một")
        rows = list(Result.objects.with_locks().order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            reasons = [r.lock_reason for r in rows]
        assert len(queries) == 0
        assert reasons == [None, "Kết quả đã nằm trong báo cáo đã gửi."]


class TestListFilters:
    def test_it_filters_by_activity_kind_and_period_with_htmx(self, client, personas, world):
        make_result(world.ob_a, title="Tin quý II", kind=ResultKind.NEWS_ARTICLE, occurred_on=D(2024, 5, 2))
        make_result(world.ob_a, title="Hội nghị quý I", kind=ResultKind.CONFERENCE, occurred_on=D(2024, 2, 2))
        client.force_login(personas.officer_a)
        url = reverse("execution:results")
        page = client.get(url, {"period": "2024-Q2"}, HTTP_HX_REQUEST="true").content.decode()
        assert "Tin quý II" in page and "Hội nghị quý I" not in page and "<html" not in page
        page = client.get(url, {"kind": "conference"}).content.decode()
        assert "Hội nghị quý I" in page and "Tin quý II" not in page
        page = client.get(url, {"activity": world.ob_a.activity_id, "period": "2024-M03"}).content.decode()
        assert "Pa nô CCHC trước trụ sở xã A" in page and "Tin quý II" not in page
        page = client.get(url, {"period": "2099-Q9", "kind": "nonsense"}).content.decode()
        assert "Pa nô CCHC trước trụ sở xã A" in page  # bad filters are ignored, not a crash

    def test_the_coordinator_filters_by_unit(self, client, personas, world):
        make_result(world.ob_b, title="Kết quả xã B")
        client.force_login(personas.coordinator)
        page = client.get(reverse("execution:results"), {"unit": "ia ly"}).content.decode()
        assert "Kết quả xã B" in page and "Pa nô CCHC trước trụ sở xã A" not in page


class TestQueryCounts:
    @pytest.mark.parametrize("who", ["officer_a", "coordinator"])
    def test_the_result_list_costs_the_same_with_more_results(self, client, personas, world, who):
        client.force_login(getattr(personas, who))
        url = reverse("execution:results")
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        for i in range(40):
            r = make_result(
                world.ob_a if i % 2 else world.ob_b, title=f"Kết quả {i}", occurred_on=D(2024, 1 + i % 12, 1)
            )
            Evidence.objects.create(result=r, link=f"https://example.org/{i}")
        with CaptureQueriesContext(connection) as large:
            assert client.get(url).status_code == 200
        assert len(large) == len(small)

    def test_the_deliverable_list_costs_the_same_with_more_rows(self, client, personas, gia_lai_plan):
        from cchc.execution.actions import do_generate_deliverables

        client.force_login(personas.coordinator)
        url = reverse("execution:deliverables")
        activity = gia_lai_plan.activities.get(number="5")
        activity.recurrence_every = "quarter"
        activity.save()
        do_generate_deliverables(gia_lai_plan)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        activity.recurrence_every = "week"
        activity.save()
        do_generate_deliverables(gia_lai_plan)
        with CaptureQueriesContext(connection) as large:
            page = client.get(url).content.decode()
        assert "Tuần 2/2024" in page
        assert len(large) == len(small)


class TestTotals:
    def test_the_totals_count_each_result_once_whatever_its_evidence(self, client, personas, world):
        Evidence.objects.create(result=world.result, link="https://example.org/1")
        Evidence.objects.create(result=world.result, link="https://example.org/2")
        make_result(world.ob_a, title="Thêm", cost=Decimal(500_000))
        client.force_login(personas.officer_a)
        response = client.get(reverse("execution:results"))
        assert response.context["totals"] == {"n": 2, "cost": Decimal(3_500_000)}
        assert "2 kết quả · kinh phí 3.500.000 đồng" in response.content.decode()
