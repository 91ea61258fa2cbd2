"""Finding 8 (issue 15): the APIs stay open to programs without a challenge, but another site's page cannot
post through a visitor's browser, and a known application's api_key carries its own, higher limit."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from cchc.api.tests.test_feedback_api import body, submit
from cchc.audit.models import AuditEntry
from cchc.feedback.actions import do_issue_api_key, do_revoke_api_key
from cchc.feedback.models import ApiClient, Feedback

pytestmark = pytest.mark.django_db

OPEN311 = "/open311/v2/requests.json"


def open311(client, **extra):
    data = {
        "service_code": "phan_anh",
        "description": "Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
        "first_name": "Riêng",
        "last_name": "Tư",
        "email": "rieng.tu@example.vn",
        "address_string": "12 Hẻm Bí Mật",
    }
    headers = extra.pop("headers", {})
    data.update(extra)
    return client.post(OPEN311, data, headers=headers)


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


class TestCrossSite:
    def test_another_sites_page_cannot_post_open311_through_a_browser(self, client, personas):
        response = open311(client, headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"})
        assert response.status_code == 403 and "trang web khác" in response.json()[0]["description"]
        assert not Feedback.objects.exists()

    def test_nor_the_json_api(self, client, personas):
        response = submit(client, Origin="https://evil.example")
        assert response.status_code == 403 and not Feedback.objects.exists()

    def test_programs_and_the_sites_own_pages_still_post(self, client, personas):
        assert open311(client).status_code == 201
        assert submit(client, body(subject="Từ trang của cổng"), Origin="http://testserver").status_code == 201


class TestApiKeys:
    def test_an_issued_key_has_its_own_higher_limit(self, client, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        app, key = do_issue_api_key("Phần mềm một cửa Pleiku", (3, 3600), actor=personas.admin)
        assert len(key) >= 40 and app.key_hash != key and key not in str(AuditEntry.objects.last().details)
        statuses = [
            open311(client, api_key=key, description=f"Phản ánh số {n} về giấy tờ.").status_code for n in range(4)
        ]
        assert statuses == [201, 201, 201, 429]
        # Without the key the address has its own (lower) limit, untouched by the application's submissions.
        assert open311(client).status_code == 201 and open311(client, description="Lần hai.").status_code == 429
        assert submit(client, body(subject="Qua JSON"), **{"X-Api-Key": key}).status_code == 429

    def test_a_revoked_or_unknown_key_counts_as_the_address(self, client, personas, settings):
        settings.FEEDBACK_RATE_LIMIT = (1, 3600)
        app, key = do_issue_api_key("Ứng dụng thử", (100, 3600), actor=personas.admin)
        do_revoke_api_key(app, actor=personas.admin)
        assert open311(client, api_key=key).status_code == 201
        assert open311(client, api_key=key, description="Lần hai.").status_code == 429

    def test_only_an_administrator_issues_keys(self, personas):
        for who in ("desk", "coordinator", "officer_a"):
            with pytest.raises(PermissionDenied):
                do_issue_api_key("X", (10, 60), actor=getattr(personas, who))

    def test_the_command_prints_the_key_once(self, personas):
        out = io.StringIO()
        call_command(
            "issue_api_key", "Cổng dịch vụ công", "--rate", "600/h", "--by", personas.admin.username, stdout=out
        )
        key = out.getvalue().strip().splitlines()[-1]
        client = ApiClient.objects.get()
        assert client.rate == (600, 3600) and client.key_hash != key
        assert AuditEntry.objects.filter(action="feedback.api_key_issued").count() == 1
