import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.middleware import LAST_SEEN_KEY, STARTED_KEY
from cchc.accounts.models import User
from cchc.audit.models import AuditEntry
from cchc.testing import PASSWORD


def _idle(client, seconds):
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


@pytest.mark.django_db
class TestIdleTimeout:
    def test_fifteen_idle_minutes_log_a_user_out(self, client, personas):
        client.force_login(personas.officer_a)
        _idle(client, 15 * 60 + 5)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="accounts.idle_timeout", actor=personas.officer_a).exists()
        page = client.get(response["Location"]).content.decode()
        assert "phiên làm việc đã kết thúc" in page

    def test_fourteen_minutes_is_fine_and_resets_the_clock(self, client, personas):
        client.force_login(personas.officer_a)
        _idle(client, 14 * 60)
        assert client.get(reverse("plans:list")).status_code == 200
        assert time.time() - client.session[LAST_SEEN_KEY] < 5

    def test_the_timeout_is_a_setting(self, client, personas, settings):
        settings.IDLE_TIMEOUT_SECONDS = 60
        client.force_login(personas.officer_a)
        _idle(client, 61)
        assert client.get(reverse("plans:list")).status_code == 302

    def test_the_session_key_changes_at_log_in_and_the_clock_starts(self, client, personas):
        client.get(reverse("accounts:login"))
        session = client.session
        session["x"] = 1
        session.save()
        before = session.session_key
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert client.session.session_key != before
        assert LAST_SEEN_KEY in client.session

    def test_sessions_end_with_the_browser_and_after_a_working_day(self, settings):
        from cchc import settings as module

        assert module.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
        assert module.SESSION_COOKIE_AGE <= 8 * 3600
        assert module.IDLE_TIMEOUT_SECONDS == 15 * 60


@pytest.mark.django_db
class TestAbsoluteLifetime:
    """Finding 6 (issue 15): eight hours after logging in the session ends, however busy the user is."""

    def _started(self, client, seconds_ago):
        session = client.session
        session[STARTED_KEY] = time.time() - seconds_ago
        session[LAST_SEEN_KEY] = time.time() - 30  # active a moment ago: the idle clock is not the reason
        session.save()

    def test_it_ends_a_busy_session_eight_hours_after_log_in(self, client, personas):
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        self._started(client, 8 * 3600 + 5)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="accounts.session_expired", actor=personas.officer_a).exists()
        assert "quá 8 giờ" in client.get(response["Location"]).content.decode()

    def test_seven_hours_of_work_is_fine(self, client, personas):
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        self._started(client, 7 * 3600)
        assert client.get(reverse("plans:list")).status_code == 200


@pytest.mark.django_db
class TestLockOut:
    def test_the_lock_out_is_written_to_the_audit_log(self, client, personas, settings):
        settings.AXES_ENABLED = True
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": "officer-a", "password": "sai mat khau"})
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert response.status_code == 429
        entry = AuditEntry.objects.filter(action="accounts.locked_out").first()
        assert entry is not None and entry.details == {"username": "officer-a"} and entry.ip_address == "127.0.0.1"
        assert AuditEntry.objects.filter(action="accounts.login_failed").count() >= 5


@pytest.mark.django_db
class TestInactiveAccounts:
    def _seen(self, user, days_ago):
        User.objects.filter(pk=user.pk).update(last_login=timezone.now() - dt.timedelta(days=days_ago))

    def test_it_disables_accounts_unused_for_45_days_and_audits_each(self, personas):
        self._seen(personas.officer_a, 46)
        self._seen(personas.officer_b, 44)
        User.objects.exclude(pk__in=[personas.officer_a.pk, personas.officer_b.pk]).update(last_login=timezone.now())
        call_command("disable_inactive_users")
        assert User.objects.get(pk=personas.officer_a.pk).is_active is False
        assert User.objects.get(pk=personas.officer_b.pk).is_active is True
        entry = AuditEntry.objects.get(action="accounts.disabled_inactive")
        assert entry.object_id == str(personas.officer_a.pk) and entry.actor_label == "system"

    def test_an_account_never_used_counts_from_its_creation(self, personas):
        User.objects.filter(pk=personas.head_a.pk).update(
            last_login=None, date_joined=timezone.now() - dt.timedelta(days=50)
        )
        call_command("disable_inactive_users")
        assert User.objects.get(pk=personas.head_a.pk).is_active is False

    def test_dry_run_changes_nothing(self, personas, capsys):
        self._seen(personas.officer_a, 100)
        call_command("disable_inactive_users", "--dry-run")
        assert "officer-a" in capsys.readouterr().out
        assert User.objects.get(pk=personas.officer_a.pk).is_active is True
        assert not AuditEntry.objects.filter(action="accounts.disabled_inactive").exists()

    def test_a_disabled_account_cannot_log_in(self, client, personas):
        self._seen(personas.officer_a, 60)
        call_command("disable_inactive_users")
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert response.status_code == 200


def test_a_sessions_user_comes_with_their_unit_in_one_query(client, personas, django_assert_num_queries):
    """Every signed-in page names the user's unit in its header: loading the user loads the unit too."""
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    client.force_login(personas.officer_a)
    request = RequestFactory().get("/")
    request.session = client.session
    assert request.session.get("_auth_user_id")  # the session read first: its query is not the one counted
    with django_assert_num_queries(1):
        user = get_user(request)
        assert user == personas.officer_a
        assert user.unit.name == personas.units.commune_a.name


def test_an_inactive_users_session_signs_nobody_in(client, personas):
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    client.force_login(personas.officer_a)
    personas.officer_a.is_active = False
    personas.officer_a.save(update_fields=["is_active"])
    request = RequestFactory().get("/")
    request.session = client.session
    assert not get_user(request).is_authenticated
