import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.audit.actions import record
from cchc.audit.masking import mask, mask_text
from cchc.audit.models import AuditEntry
from cchc.lib.months import months_before


class TestMasking:
    def test_it_masks_personal_keys_whatever_their_value(self):
        masked = mask(
            {
                "phone": "0905123456",
                "sender_email": "an.nguyen@gmail.com",
                "full_name": "Nguyễn Văn An",
                "address": "12 Lê Lợi, Pleiku",
                "username": "officer-a",
                "count": 3,
            }
        )
        assert masked["phone"] == "0***6"
        assert masked["sender_email"] == "a***@gmail.com"
        assert "Nguyễn" not in masked["full_name"] and "Lê Lợi" not in masked["address"]
        assert masked["username"] == "officer-a" and masked["count"] == 3

    @pytest.mark.parametrize(
        "text,hidden",
        [
            ("gọi lại 0905 123 456 giúp", "0905 123 456"),
            ("sđt +84905123456", "905123456"),
            ("thư an.nguyen@gmail.com", "an.nguyen"),
            ("CCCD 064091001234 của ông", "064091001234"),
        ],
    )
    def test_it_masks_personal_data_inside_free_text(self, text, hidden):
        assert hidden not in mask_text(text)

    def test_it_leaves_hashes_and_codes_alone(self):
        digest = "2737170c6142cbe0596227515a0d"  # pragma: allowlist secret
        assert mask_text(f"sha256 {digest}") == f"sha256 {digest}"
        assert mask({"sha256": digest, "code": "PAKN-0905123456X"}) == {"sha256": digest, "code": "PAKN-0905123456X"}

    def test_it_masks_nested_details(self):
        assert "0905123456" not in json.dumps(mask({"changes": [{"phone": "0905123456"}, "gọi 0905123456"]}))

    @pytest.mark.django_db
    def test_record_masks_details_and_the_object_description(self, personas):
        class Feedback:
            pk = 7
            _meta = personas.units.tttt._meta

            def audit_repr(self):
                return "PAKN-7 từ an.nguyen@gmail.com"

        entry = record("test.masked", Feedback(), phone="0905123456", note="email an.nguyen@gmail.com")
        assert "an.nguyen" not in entry.object_repr and "0905123456" not in json.dumps(entry.details)

    @pytest.mark.django_db
    def test_it_stores_time_in_utc_and_the_address(self, client, personas):
        client.post(reverse("accounts:login"), {"username": "nobody", "password": "x"}, REMOTE_ADDR="10.1.2.3")
        entry = AuditEntry.objects.get(action="accounts.login_failed")
        assert entry.ip_address == "10.1.2.3" and entry.at.utcoffset() == dt.timedelta(0)


@pytest.mark.django_db
class TestAppendOnlyInTheDatabase:
    def test_a_raw_update_is_refused_by_the_database(self, personas):
        entry = record("test.raw", None)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
        entry.refresh_from_db()
        assert entry.action == "test.raw"

    def test_deleting_a_user_keeps_the_entries(self, personas):
        from cchc.testing import make_user

        user = make_user("tam-thoi", role="observer")
        record("test.by_user", None, actor=user)
        user.delete()
        entry = AuditEntry.objects.get(action="test.by_user")
        assert entry.actor_id is None and entry.actor_label == "tam-thoi"

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE guard is PostgreSQL's (see migration)")
    def test_a_raw_delete_is_refused_on_postgresql(self, personas):
        record("test.raw", None)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
        assert AuditEntry.objects.filter(action="test.raw").exists()


@pytest.mark.django_db
class TestRetention:
    def _entry_at(self, moment):
        # auto_now_add stamps "now": an old entry is inserted directly (INSERT is what the log allows).
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditentry (at, actor_label, action, object_type, object_id, object_repr,"
                " details) VALUES (%s, 'system', 'test.old', '', '', '', '{}')",
                [moment],
            )
        return AuditEntry.objects.filter(action="test.old").order_by("-id").first()

    def test_it_purges_entries_older_than_twelve_months_and_logs_the_purge(self, personas):
        now = timezone.now()
        old = self._entry_at(months_before(now, 13))
        kept = self._entry_at(months_before(now, 11))
        call_command("purge_audit", "--older-than-months", "12")
        assert not AuditEntry.objects.filter(pk=old.pk).exists()
        assert AuditEntry.objects.filter(pk=kept.pk).exists()
        purge = AuditEntry.objects.get(action="audit.purged")
        assert purge.details["count"] == 1

    def test_it_refuses_to_keep_less_than_twelve_months(self, personas):
        with pytest.raises(CommandError):
            call_command("purge_audit", "--older-than-months", "6")

    def test_months_before_clamps_the_day(self):
        assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
        assert months_before(dt.date(2026, 1, 15), 12) == dt.date(2025, 1, 15)


@pytest.mark.django_db
class TestExport:
    def test_it_exports_a_period_as_csv_with_utc_times(self, personas, tmp_path):
        record("test.export", personas.units.commune_a, actor=personas.officer_a, phone="0905123456")
        today = timezone.localdate().isoformat()
        out = tmp_path / "audit.csv"
        call_command("export_audit", "--from", today, "--to", today, "--format", "csv", "--output", str(out))
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        row = next(r for r in rows if r["action"] == "test.export")
        assert row["actor"] == "officer-a" and row["at_utc"].endswith("Z") and row["unit"] == "xa-1"
        assert "0905123456" not in out.read_text(encoding="utf-8")
        assert AuditEntry.objects.filter(action="audit.exported").exists()

    def test_it_exports_json_and_leaves_out_other_days(self, personas):
        record("test.export", None)
        buffer = io.StringIO()
        yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        call_command("export_audit", "--from", yesterday, "--to", yesterday, "--format", "json", stdout=buffer)
        assert json.loads(buffer.getvalue()) == []

    def test_csv_cells_cannot_become_formulas(self, personas, tmp_path):
        record("test.export", None, username='=HYPERLINK("http://x")')
        today = timezone.localdate().isoformat()
        out = tmp_path / "audit.csv"
        call_command("export_audit", "--from", today, "--to", today, "--output", str(out))
        assert ",=HYPERLINK" not in out.read_text(encoding="utf-8")

    def test_the_administrator_downloads_it_from_the_web(self, client, personas):
        record("test.export", None)
        client.force_login(personas.admin)
        today = timezone.localdate().strftime("%d/%m/%Y")
        response = client.get(reverse("audit:export"), {"from": today, "to": today, "format": "json"})
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert any(row["action"] == "test.export" for row in json.loads(response.content))

    def test_bad_dates_get_a_vietnamese_message(self, client, personas):
        client.force_login(personas.admin)
        response = client.get(reverse("audit:export"), {"from": "32/13/2026", "to": "x"}, follow=True)
        assert "Khoảng thời gian không hợp lệ" in response.content.decode()


@pytest.mark.django_db
class TestRefusedRequests:
    def test_a_403_is_logged_with_the_path(self, client, personas):
        client.force_login(personas.officer_a)
        assert client.get(reverse("audit:export")).status_code == 403
        entry = AuditEntry.objects.get(action="access.refused")
        assert entry.details["path"] == reverse("audit:export") and entry.details["view"] == "audit:export"

    def test_a_404_on_a_protected_object_is_logged(self, client, personas):
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:detail", kwargs={"pk": 999999})).status_code == 404
        entry = AuditEntry.objects.get(action="access.not_found")
        assert entry.actor == personas.officer_a and entry.details["status"] == 404

    def test_a_404_for_an_address_of_no_view_is_not_logged(self, client, personas):
        assert client.get("/wp-login.php").status_code == 404
        assert not AuditEntry.objects.filter(action__startswith="access.").exists()

    def test_a_csrf_failure_is_refused_in_vietnamese_and_logged(self, personas):
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": "x"})
        assert response.status_code == 403 and "Không gửi được biểu mẫu" in response.content.decode()
        assert AuditEntry.objects.filter(action="access.refused").count() == 1


@pytest.mark.django_db
class TestClientAddressBehindProxies:
    def test_without_trusted_proxies_the_forwarded_header_is_ignored(self, client, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        client.post(
            reverse("accounts:login"),
            {"username": "x", "password": "y"},
            HTTP_X_FORWARDED_FOR="6.6.6.6",
            REMOTE_ADDR="10.0.0.2",
        )
        assert AuditEntry.objects.get(action="accounts.login_failed").ip_address == "10.0.0.2"

    def test_behind_one_proxy_the_client_is_the_last_forwarded_address(self, client, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        client.post(
            reverse("accounts:login"),
            {"username": "x", "password": "y"},
            HTTP_X_FORWARDED_FOR="6.6.6.6, 203.113.1.7",
            REMOTE_ADDR="10.0.0.2",
        )
        assert AuditEntry.objects.get(action="accounts.login_failed").ip_address == "203.113.1.7"
