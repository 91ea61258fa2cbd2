import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.audit.actions import record
from cchc.audit.models import AuditEntry


@pytest.mark.django_db
class TestAuditLog:
    def test_it_refuses_updates_and_deletes(self, personas):
        entry = record("test.thing", personas.units.tttt, actor=personas.coordinator)
        entry.action = "changed"
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
        with pytest.raises(PermissionError):
            AuditEntry.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditEntry.objects.update(action="x")

    def test_it_records_log_ins_and_failures_with_the_address(self, client, personas):
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": "wrong"})
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": "test-password-123"})
        failed = AuditEntry.objects.get(action="accounts.login_failed")
        assert failed.details == {"username": "officer-a"} and failed.ip_address == "127.0.0.1"
        assert AuditEntry.objects.filter(action="accounts.login", actor=personas.officer_a).exists()

    @pytest.mark.parametrize(
        "who,status",
        [("officer_a", 403), ("head_a", 403), ("desk", 403), ("coordinator", 200), ("observer", 200), ("admin", 200)],
    )
    def test_only_province_wide_roles_read_the_trail(self, client, personas, who, status):
        client.force_login(getattr(personas, who))
        assert client.get(reverse("audit:list")).status_code == status

    def test_a_refused_request_is_logged(self, client, personas):
        client.force_login(personas.officer_a)
        client.get(reverse("audit:list"))
        assert AuditEntry.objects.filter(action="access.refused", actor=personas.officer_a).count() == 1

    def test_anonymous_is_sent_to_log_in(self, client):
        assert client.get(reverse("audit:list"))["Location"].startswith(reverse("accounts:login"))

    def test_the_trail_costs_the_same_with_more_entries(self, client, personas, demo_plan):
        client.force_login(personas.coordinator)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("audit:list"))
        for i in range(70):
            record("test.bulk", demo_plan, actor=personas.coordinator, i=i)
        with CaptureQueriesContext(connection) as large:
            page = client.get(reverse("audit:list")).content.decode()
        assert "test.bulk" in page
        assert len(large) == len(small)
