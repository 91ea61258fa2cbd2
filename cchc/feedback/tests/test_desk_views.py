import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.audit.models import AuditEntry
from cchc.feedback.models import Feedback, Status
from cchc.feedback.tests.factory import (
    PDF_BYTES,
    make_accepted,
    make_answered,
    make_assigned,
    make_feedback,
    make_published,
    submission,
)
from cchc.lib.uploads import PDF, CheckedUpload

pytestmark = pytest.mark.django_db

DESK = reverse("feedback:desk")


def decide(client, feedback, name, **data):
    feedback.refresh_from_db()
    return client.post(reverse("feedback:decide", args=[feedback.code, name]), {"version": feedback.version, **data})


class TestAccess:
    def test_anonymous_is_sent_to_log_in(self, client, personas):
        feedback = make_feedback()
        for url in [DESK, reverse("feedback:staff_new"), reverse("feedback:detail", args=[feedback.code])]:
            assert client.get(url)["Location"].startswith(reverse("accounts:login"))
        response = client.post(reverse("feedback:decide", args=[feedback.code, "accept"]), {"version": 1})
        assert response.status_code == 302 and Feedback.objects.get().status == Status.RECEIVED

    def test_an_officer_lists_and_opens_only_items_of_their_agency(self, client, personas):
        mine = make_assigned(personas, unit=personas.units.commune_a, subject="Việc của xã Ia Kha")
        other = make_assigned(personas, unit=personas.units.commune_b, subject="Việc của xã Ia Ly")
        waiting = make_feedback(subject="Chưa phân loại")
        client.force_login(personas.officer_a)
        page = client.get(DESK).content.decode()
        assert "Việc của xã Ia Kha" in page and "Việc của xã Ia Ly" not in page and "Chưa phân loại" not in page
        assert client.get(reverse("feedback:detail", args=[mine.code])).status_code == 200
        for item in [other, waiting]:
            assert client.get(reverse("feedback:detail", args=[item.code])).status_code == 404
            assert decide(client, item, "note", text="x").status_code == 404

    def test_attachments_are_served_only_to_those_who_see_the_item(self, client, personas):
        upload = CheckedUpload(
            kind=PDF, data=PDF_BYTES, original_name="đơn.pdf", stored_name="x1.pdf", size=len(PDF_BYTES)
        )
        feedback = make_assigned(personas, unit=personas.units.commune_a, files=[upload])
        url = reverse("feedback:attachment", args=[feedback.code, feedback.attachments.get().pk])
        assert client.get(url).status_code == 302  # to log in
        client.force_login(personas.officer_b)
        assert client.get(url).status_code == 404
        client.force_login(personas.officer_a)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Disposition"].startswith("attachment")

    @pytest.mark.parametrize("who", ["officer_a", "officer_dept", "coordinator", "observer"])
    def test_desk_decisions_are_refused_to_others(self, client, personas, who):
        feedback = make_accepted(personas)
        client.force_login(getattr(personas, who))
        response = decide(client, feedback, "assign", unit=personas.units.tttt.pk)
        assert response.status_code in (403, 404)
        assert Feedback.objects.get().status == Status.ACCEPTED
        if response.status_code == 403:
            assert AuditEntry.objects.filter(action="access.refused", actor=getattr(personas, who)).count() == 1

    @pytest.mark.parametrize("who,status", [("desk", 200), ("officer_a", 403), ("coordinator", 403), ("observer", 403)])
    def test_only_the_desk_enters_paper_feedback(self, client, personas, who, status):
        client.force_login(getattr(personas, who))
        assert client.get(reverse("feedback:staff_new")).status_code == status

    def test_coordinator_and_observer_read_everything_but_decide_nothing(self, client, personas):
        feedback = make_answered(personas)
        for who in ["coordinator", "observer"]:
            client.force_login(getattr(personas, who))
            page = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
            assert feedback.sender_name in page
            assert 'id="decision-' not in page
            assert decide(client, feedback, "publish", public_subject="T", public_content="N").status_code == 403


class TestJourney:
    def test_the_desk_and_the_agency_take_an_item_through_every_step(self, client, personas):
        feedback = make_feedback(content="Tôi là Nguyễn Thị Riêng Tư, số 0912 345 678, đề nghị giảm giấy tờ.")
        client.force_login(personas.desk)
        page = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
        assert 'id="decision-accept"' in page and 'id="decision-publish"' not in page
        assert decide(client, feedback, "accept").status_code == 302
        response = decide(client, feedback, "assign", unit=personas.units.tttt.pk, note="")
        assert response.status_code == 302
        feedback.refresh_from_db()
        assert feedback.status == Status.ASSIGNED and feedback.assigned_unit == personas.units.tttt

        client.force_login(personas.officer_dept)
        page = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
        assert 'id="decision-answer"' in page and 'id="decision-assign"' not in page
        assert decide(client, feedback, "answer", answer="", reference="").status_code == 400
        assert (
            decide(client, feedback, "answer", answer="Đã bỏ yêu cầu bản sao.", reference="9/STTTT").status_code == 302
        )

        client.force_login(personas.desk)
        page = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
        # The publication form comes pre-filled with the sender's details masked.
        form = page.split('id="decision-publish"')[1]
        assert "[đã ẩn]" in form and "0912 345 678" not in form and "Riêng Tư" not in form
        assert (
            decide(
                client,
                feedback,
                "publish",
                public_subject="Giảm giấy tờ",
                public_content="Người dân đề nghị giảm giấy tờ.",
                public_answer="Sở đã đề nghị bỏ yêu cầu bản sao chứng thực.",
            ).status_code
            == 302
        )
        feedback.refresh_from_db()
        assert feedback.status == Status.PUBLISHED
        history = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
        for label in ["Tiếp nhận xử lý", "Chuyển cơ quan xử lý", "Trả lời", "Công khai"]:
            assert label in history

    def test_a_decision_from_a_stale_page_is_refused_with_an_explanation(self, client, personas):
        feedback = make_feedback()
        stale_version = feedback.version
        client.force_login(personas.desk)
        decide(client, feedback, "accept")
        response = client.post(
            reverse("feedback:decide", args=[feedback.code, "reject"]),
            {"version": stale_version, "reason": "Khiếu nại"},
            follow=True,
        )
        assert "sau khi bạn mở trang" in response.content.decode()
        assert Feedback.objects.get().status == Status.ACCEPTED

    def test_a_decision_no_longer_possible_says_so(self, client, personas):
        feedback = make_published(personas)
        client.force_login(personas.desk)
        response = client.post(
            reverse("feedback:decide", args=[feedback.code, "accept"]), {"version": feedback.version}, follow=True
        )
        assert "Không thực hiện được ở trạng thái hiện tại" in response.content.decode()

    def test_the_desk_enters_a_letter_with_its_scan(self, client, personas):
        client.force_login(personas.desk)
        html = client.get(reverse("feedback:staff_new")).content.decode()
        import re

        token = re.search(r'name="form_token" value="([0-9a-f]{32})"', html).group(1)
        data = {
            **submission(phone="", email=""),
            "sender_kind": "individual",
            "channel_choice": "post",
            "received_on": "12/02/2026",
            "form_token": token,
            "attachments": [SimpleUploadedFile("scan.pdf", PDF_BYTES)],
        }
        response = client.post(reverse("feedback:staff_new"), data)
        feedback = Feedback.objects.get()
        assert response["Location"] == reverse("feedback:detail", args=[feedback.code])
        assert feedback.channel == "post" and feedback.entered_by == personas.desk
        assert timezone.localdate(feedback.received_at).isoformat() == "2026-02-12"
        assert feedback.attachments.count() == 1
        # By phone, a way to call back is needed.
        data.update(channel_choice="phone", form_token="b" * 32, attachments=[])
        assert "Hãy nhập số điện thoại" in client.post(reverse("feedback:staff_new"), data).content.decode()

    def test_filters_show_overdue_items_first(self, client, personas):
        import datetime as dt

        late = make_feedback(subject="Quá hạn rồi", received_at=timezone.now() - dt.timedelta(days=30))
        make_feedback(subject="Mới nhận")
        client.force_login(personas.desk)
        page = client.get(DESK).content.decode()
        assert page.index("Quá hạn rồi") < page.index("Mới nhận")
        assert 'class="overdue"' in page
        only_late = client.get(DESK, {"urgency": "overdue"}, HTTP_HX_REQUEST="true").content.decode()
        assert late.code in only_late and "Mới nhận" not in only_late and "<html" not in only_late
        found = client.get(DESK, {"q": "rieng tu", "status": "all"}).content.decode()
        assert late.code in found


class TestQueryCounts:
    @pytest.mark.parametrize("who", ["desk", "officer_dept"])
    def test_the_work_list_costs_the_same_with_more_rows(self, client, personas, who):
        make_assigned(personas)
        client.force_login(getattr(personas, who))
        with CaptureQueriesContext(connection) as small:
            assert client.get(DESK).status_code == 200
        for _ in range(8):
            make_assigned(personas)
            make_feedback()
        with CaptureQueriesContext(connection) as large:
            assert client.get(DESK).status_code == 200
        assert len(large) == len(small)

    def test_the_detail_page_costs_the_same_with_more_history(self, client, personas):
        feedback = make_assigned(personas)
        client.force_login(personas.desk)
        url = reverse("feedback:detail", args=[feedback.code])
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        for i in range(5):
            decide(client, feedback, "note", text=f"Ghi chú {i}")
        with CaptureQueriesContext(connection) as large:
            assert "Ghi chú 4" in client.get(url).content.decode()
        assert len(large) == len(small)
