import json

import pytest
from django.core import mail
from django.urls import reverse

from cchc.feedback.models import Feedback, Status
from cchc.feedback.tests.factory import PERSONAL_VALUES, make_assigned, make_feedback, make_published

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback"


def body(**overrides) -> dict:
    data = {
        "kind": "kien_nghi",
        "subject": "Bỏ yêu cầu bản sao chứng thực",
        "content": "Đề nghị bỏ yêu cầu nộp bản sao chứng thực giấy khai sinh khi đăng ký thường trú.",
        "procedure_code": "1.004194",
        "regulation": "Thông tư 55/2021/TT-BCA",
        "sender": {
            "name": "Nguyễn Thị Riêng Tư",
            "address": "12 Hẻm Bí Mật, phường Tây Sơn",
            "phone": "0912 345 678",
            "email": "rieng.tu@example.vn",
        },
    }
    data.update(overrides)
    return data


def submit(client, data=None, **headers):
    return client.post(
        URL, json.dumps(body() if data is None else data), content_type="application/json", headers=headers
    )


def assert_no_personal_data(text: str) -> None:
    for value in PERSONAL_VALUES:
        assert value not in text, value


class TestSubmit:
    def test_it_returns_the_code_and_a_location(self, client, personas, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = submit(client)
        assert response.status_code == 201
        data = response.json()
        feedback = Feedback.objects.get()
        assert data["code"] == feedback.code and data["status"] == "received"
        assert response["Location"] == f"/api/v1/feedback/{feedback.code}"
        assert feedback.channel == "api" and feedback.kind == "kien_nghi" and feedback.procedure_code == "1.004194"
        assert mail.outbox[0].to == ["rieng.tu@example.vn"]

    def test_an_idempotency_key_makes_a_retry_return_the_stored_item(self, client, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        first = submit(client, **{"Idempotency-Key": "retry-key-0001"})
        again = submit(client, **{"Idempotency-Key": "retry-key-0001"})
        assert (first.status_code, again.status_code) == (201, 200)  # the retry is not rate limited
        assert first.json()["code"] == again.json()["code"] and Feedback.objects.count() == 1
        other = submit(client, body(subject="Khác hẳn"), **{"Idempotency-Key": "retry-key-0001"})
        assert other.status_code == 409 and Feedback.objects.count() == 1
        assert submit(client, **{"Idempotency-Key": "short"}).status_code == 400

    @pytest.mark.parametrize(
        "change,field",
        [
            ({"subject": "   "}, "subject"),
            ({"sender": {"name": "A", "address": "B"}}, "sender.phone"),
            ({"sender": {"name": "A", "address": "B", "phone": "abc"}}, "sender.phone"),
            ({"sender": {"name": "A", "address": "B", "email": "not-an-email"}}, "sender.email"),
            ({"sender": {"name": "A", "phone": "0912345678"}}, "sender.address"),
            ({"kind": "khieu_nai"}, "kind"),
            ({"procedure_code": "1 001"}, "procedure_code"),
            ({"content": "x" * 10_001}, "content"),
            ({"extra": 1}, "extra"),
            ({"subject": 5}, "subject"),
            ({"content": "a\u0000b"}, "content"),
        ],
    )
    def test_invalid_fields_are_named_in_vietnamese(self, client, personas, change, field):
        response = submit(client, body(**change))
        assert response.status_code == 400
        assert field in response.json()["errors"], response.json()
        assert Feedback.objects.count() == 0

    def test_a_missing_sender_or_a_non_object_is_refused(self, client, personas):
        data = body()
        del data["sender"]
        assert "sender" in submit(client, data).json()["errors"]
        assert submit(client, [1, 2]).status_code == 400

    def test_wrong_content_types_and_bodies_are_refused(self, client, personas, settings):
        assert client.post(URL, "subject=x", content_type="application/x-www-form-urlencoded").status_code == 415
        assert client.post(URL, "{not json", content_type="application/json").status_code == 400
        assert client.post(URL, b"\xff\xfe", content_type="application/json").status_code == 400
        assert client.post(URL, '{"subject": NaN}', content_type="application/json").status_code == 400
        settings.FEEDBACK_API_MAX_BODY = 100
        response = submit(client)
        assert response.status_code == 413 and "quá lớn" in response.json()["detail"]

    def test_the_api_shares_the_forms_rate_limit(self, client, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        assert submit(client).status_code == 201
        response = submit(client, body(subject="Lần hai"))
        assert response.status_code == 429 and response["Retry-After"]
        assert "vượt giới hạn" in response.json()["detail"]
        form = client.get(reverse("feedback:submit"))
        from cchc.feedback.tests.factory import public_post_data

        assert client.post(reverse("feedback:submit"), public_post_data(form.content.decode())).status_code == 429

    def test_other_methods_get_405_not_a_csrf_page(self, client, personas):
        assert client.delete(URL).status_code == 405
        assert client.put(f"{URL}/PAKN-22222-22222").status_code == 405
        assert client.post("/api/v1/openapi.json").status_code == 405


class TestRead:
    def test_status_by_code_has_no_personal_data(self, client, personas):
        feedback = make_assigned(personas)
        response = client.get(f"{URL}/{feedback.code}")
        data = response.json()
        assert data["status"] == Status.ASSIGNED and data["agency"]["code"] == "so-tttt"
        assert data["published"] is None and data["due_on"] == feedback.due_on.isoformat()
        assert_no_personal_data(response.content.decode())

    def test_a_published_item_shows_its_answer(self, client, personas):
        feedback = make_published(personas)
        data = client.get(f"{URL}/{feedback.code.lower()}").json()
        assert data["published"]["answer"].startswith("Sở đã đề nghị") and data["published"]["id"] == feedback.public_id

    def test_an_unknown_code_is_404_json(self, client, personas):
        response = client.get(f"{URL}/PAKN-22222-22222")
        assert response.status_code == 404 and "Không tìm thấy" in response.json()["detail"]
        assert client.get(f"{URL}/a/b%2Fc").status_code == 404

    def test_published_list_searches_without_accents_and_pages(self, client, personas):
        make_published(personas)
        make_published(personas)
        make_feedback()
        data = client.get(URL, {"q": "GIAM giay to", "page_size": 1}).json()
        assert (data["count"], data["pages"], len(data["results"])) == (2, 2, 1)
        assert client.get(URL, {"page": 5}).json()["results"] == []
        assert client.get(URL, {"page": "0"}).status_code == 400
        assert client.get(URL, {"page_size": "101"}).status_code == 400
        response = client.get(URL)
        assert_no_personal_data(response.content.decode())


class TestOpen311:
    def test_services_and_their_definition(self, client, personas):
        services = client.get("/open311/v2/services.json").json()
        assert [s["service_code"] for s in services] == ["phan_anh", "kien_nghi"]
        definition = client.get("/open311/v2/services/phan_anh.json").json()
        assert "sender_address" in [a["code"] for a in definition["attributes"]]
        assert client.get("/open311/v2/services/khac.json").status_code == 404

    def test_a_submission_without_location_or_key_gets_a_tracking_code(self, client, personas):
        response = client.post(
            "/open311/v2/requests.json",
            {
                "service_code": "phan_anh",
                "description": "Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
                "first_name": "Riêng",
                "last_name": "Tư",
                "email": "rieng.tu@example.vn",
                "address_string": "12 Hẻm Bí Mật",
                "api_key": "ignored",
                "jurisdiction_id": "gia-lai",
            },
        )
        assert response.status_code == 201
        code = response.json()[0]["service_request_id"]
        feedback = Feedback.objects.get(code=code)
        assert feedback.channel == "open311" and feedback.sender_name == "Riêng Tư"
        assert feedback.subject.startswith("Cán bộ yêu cầu")
        detail = client.get(f"/open311/v2/requests/{code}.json")
        assert detail.json()[0]["status"] == "open" and detail.json()[0]["description"] == ""
        assert_no_personal_data(detail.content.decode())

    def test_invalid_submissions_are_refused_in_open311_format(self, client, personas):
        response = client.post("/open311/v2/requests.json", {"service_code": "x", "description": ""})
        assert response.status_code == 400
        error = response.json()[0]
        assert error["code"] == 400 and "service_code" in error["description"]
        response = client.post(
            "/open311/v2/requests.json",
            {
                "service_code": "phan_anh",
                "description": "Nội dung",
                "first_name": "A",
                "phone": "0912345678",
                "address_string": "B",
                "lat": "91",
            },
        )
        assert response.status_code == 400 and "lat" in response.json()[0]["description"]
        assert Feedback.objects.count() == 0

    def test_published_requests_are_listed_closed_without_personal_data(self, client, personas):
        published = make_published(personas)
        make_assigned(personas)
        response = client.get("/open311/v2/requests.json")
        items = response.json()
        assert [i["service_request_id"] for i in items] == [published.public_id]
        assert items[0]["status"] == "closed" and items[0]["status_notes"].startswith("Sở đã đề nghị")
        assert_no_personal_data(response.content.decode())
        assert client.get("/open311/v2/requests.json", {"status": "open"}).json() == []
        assert client.get("/open311/v2/requests.json", {"start_date": "not a date"}).status_code == 400
        one = client.get(f"/open311/v2/requests/{published.public_id}.json").json()
        assert one[0]["service_request_id"] == published.public_id
        assert client.get("/open311/v2/requests.json", {"service_request_id": published.public_id}).json()


def test_a_body_declared_too_large_is_refused_unread(client, personas, settings):
    settings.FEEDBACK_API_MAX_BODY = 100_000  # the body sent is small: only its declared length is refused
    response = client.post(URL, json.dumps(body()), content_type="application/json", CONTENT_LENGTH="5000000")
    assert response.status_code == 413 and "quá lớn" in response.json()["detail"]
