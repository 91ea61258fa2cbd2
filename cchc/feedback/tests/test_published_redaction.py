"""Finding 4 (issue 15): every published field passes the redaction, the desk edits every field before
publishing, and no public page or API shows a sender's personal data."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cchc.feedback import actions
from cchc.feedback.models import Feedback, Status
from cchc.feedback.tests.factory import make_assigned

pytestmark = pytest.mark.django_db

# Senders as the demo writes them: the answer, its reference and the regulation name them back.
SENDERS = [
    {
        "sender_name": "Nguyễn Văn Test",
        "phone": "0912 345 678",
        "email": "nguyen.test@example.vn",
        "address": "45 đường Phạm Văn Đồng, phường Hội Thương",
        "id_number": "064 095 001 234",
    },
    {
        "sender_name": "Rơ Châm Blưu",
        "phone": "0269.3824.567",
        "email": "blu.rocham@example.vn",
        "address": "làng Plei Ơi, xã Ia Kha",
        "id_number": "230987654",
    },
]


def _publish_each_with_the_desks_suggestions(client, personas) -> list[Feedback]:
    items = []
    for sender in SENDERS:
        mention = f"{sender['sender_name']} ({sender['phone']}, {sender['email']}, CCCD {sender['id_number']})"
        feedback = make_assigned(
            personas,
            sender_name=sender["sender_name"],
            phone=sender["phone"],
            email=sender["email"],
            address=sender["address"],
            content=f"Tôi là {mention}, ở {sender['address']}, đề nghị giảm giấy tờ.",
            regulation=f"Quyết định cấp cho {sender['sender_name']} số CCCD {sender['id_number']}",
        )
        feedback = actions.do_answer_feedback(
            feedback,
            f"Sở đã trả lời ông {mention} tại {sender['address']}.",
            reference=f"12/STTTT gửi {sender['phone']}",
            actor=personas.officer_dept,
        )
        # The desk publishes what the form suggests, unchanged (the worst case: it edits nothing).
        client.force_login(personas.desk)
        page = client.get(reverse("feedback:detail", args=[feedback.code])).content.decode()
        values = {
            name: _field_value(page, name)
            for name in ("public_subject", "public_content", "public_answer", "public_answer_reference")
        }
        values["public_regulation"] = _field_value(page, "public_regulation")
        response = client.post(
            reverse("feedback:decide", args=[feedback.code, "publish"]), {**values, "version": feedback.version}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        items.append(Feedback.objects.get(pk=feedback.pk))
    client.logout()
    return items


def _field_value(page: str, name: str) -> str:
    import html

    textarea = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    if textarea:
        return html.unescape(textarea.group(1)).strip()
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert field is not None, f"the publish form has no field {name}"
    value = re.search(r'value="([^"]*)"', field.group(0))
    return html.unescape(value.group(1)) if value else ""


def personal_values(feedback: Feedback) -> list[str]:
    """What identifies a sender: name, phone (as written and as digits), e-mail, address, ID numbers."""
    values = [feedback.sender_name, feedback.email, feedback.address, feedback.phone]
    values.append(re.sub(r"\D", "", feedback.phone))
    values += [s["id_number"] for s in SENDERS] + [re.sub(r"\D", "", s["id_number"]) for s in SENDERS]
    return [v for v in values if v and len(v) >= 5]


def public_responses(client, items) -> dict[str, str]:
    urls = [reverse("feedback:public_list"), reverse("portal:home"), "/api/v1/feedback", "/open311/v2/requests.json"]
    for item in items:
        urls += [
            reverse("feedback:public_detail", args=[item.public_id]),
            reverse("feedback:track_detail", args=[item.code]),
            f"/api/v1/feedback/{item.code}",
            f"/open311/v2/requests/{item.public_id}.json",
            reverse("feedback:public_list") + "?q=giay+to",
        ]
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        out[url] = response.content.decode()
    return out


def test_no_public_page_or_api_shows_a_senders_personal_data(client, personas):
    items = _publish_each_with_the_desks_suggestions(client, personas)
    assert all(item.status == Status.PUBLISHED for item in items)
    senders = [personal_values(f) for f in Feedback.objects.all()]
    for url, body in public_responses(client, items).items():
        for values in senders:
            for value in values:
                assert value not in body, f"{value!r} is public at {url}"
    # The answer is still published, with only the personal data taken out.
    page = client.get(reverse("feedback:public_detail", args=[items[0].public_id])).content.decode()
    assert "Sở đã trả lời ông [đã ẩn]" in page


def test_the_publish_action_redacts_what_the_desk_left_in(personas):
    feedback = make_assigned(personas, sender_name="Nguyễn Văn Test", phone="0912 345 678")
    feedback = actions.do_answer_feedback(feedback, "Trả lời ông Nguyễn Văn Test.", actor=personas.officer_dept)
    published = actions.do_publish_feedback(
        feedback,
        "Tiêu đề",
        "Nội dung",
        actor=personas.desk,
        public_answer="Đã trả lời ông Nguyễn Văn Test, 0912 345 678.",
        public_answer_reference="Gọi 0912.345.678",
        public_regulation="CCCD 064095001234",
    )
    assert published.public_answer == "Đã trả lời ông [đã ẩn], [đã ẩn]."
    assert published.public_answer_reference == "Gọi [đã ẩn]"
    assert published.public_regulation == "CCCD [đã ẩn]"


def test_the_desk_can_edit_every_published_field(client, personas):
    feedback = make_assigned(personas)
    feedback = actions.do_answer_feedback(feedback, "Trả lời gốc.", reference="1/VP", actor=personas.officer_dept)
    client.force_login(personas.desk)
    response = client.post(
        reverse("feedback:decide", args=[feedback.code, "publish"]),
        {
            "public_subject": "Tiêu đề sửa",
            "public_content": "Nội dung sửa",
            "public_answer": "Trả lời đã biên tập",
            "public_answer_reference": "Văn bản 1/VP",
            "public_regulation": "Nghị định 01/2021/NĐ-CP",
            "version": feedback.version,
        },
    )
    assert response.status_code == 302
    item = client.get(reverse("feedback:public_detail", args=[feedback.public_id])).content.decode()
    for text in ("Tiêu đề sửa", "Nội dung sửa", "Trả lời đã biên tập", "Văn bản 1/VP", "Nghị định 01/2021/NĐ-CP"):
        assert text in item
    assert "Trả lời gốc." not in item
