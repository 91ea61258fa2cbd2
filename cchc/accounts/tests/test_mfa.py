import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.views import SETUP_KEY
from cchc.audit.models import AuditEntry
from cchc.testing import PASSWORD
from cchc.tests.urlwalk import walk


def code_for(key_hex: str, offset_steps: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * offset_steps
    return f"{totp.token():06d}"


def log_in(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enable_mfa(client, username) -> TOTPDevice:
    client.get(reverse("accounts:mfa_setup"))
    key = client.session[SETUP_KEY]
    token = code_for(key)
    response = client.post(reverse("accounts:mfa_setup"), {"token": token})
    assert response.status_code == 302, response.content.decode()[:500]
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    device.enabling_token = token
    return device


@pytest.fixture
def mfa_on(settings):
    settings.MFA_ENFORCED = True


@pytest.mark.django_db
@pytest.mark.usefixtures("mfa_on")
class TestMfaRequiredRoles:
    @pytest.mark.parametrize("who", ["coordinator", "admin"])
    def test_it_sends_them_to_set_up_at_log_in(self, client, personas, who):
        response = log_in(client, getattr(personas, who).username)
        response = client.get(response["Location"])
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_setup"))

    def test_nothing_else_is_reachable_until_done(self, client, personas):
        """Every GET URL of the project, as a coordinator without a second factor: only set-up and log-out."""
        client.force_login(personas.coordinator)
        allowed = {"accounts:mfa_setup", "accounts:mfa_verify", "accounts:logout", "accounts:login"}
        reached = []
        for pattern in walk():
            if pattern.converters or pattern.key in allowed or not pattern.name:
                continue
            response = client.get(reverse(pattern.name))
            location = response.get("Location", "")
            if not (response.status_code == 302 and location.startswith(reverse("accounts:mfa_setup"))):
                reached.append((pattern.key, response.status_code))
        assert not reached

    def test_an_htmx_request_is_told_to_load_the_set_up_page(self, client, personas):
        client.force_login(personas.coordinator)
        response = client.get(reverse("plans:list"), headers={"HX-Request": "true"})
        assert response.status_code == 204 and response["HX-Redirect"] == reverse("accounts:mfa_setup")

    def test_setting_up_unlocks_the_app_and_is_audited(self, client, personas):
        log_in(client, "coordinator")
        page = client.get(reverse("accounts:mfa_setup")).content.decode()
        assert "<svg" in page and "Khóa bí mật" in page
        session_before = client.cookies["sessionid"].value
        enable_mfa(client, "coordinator")
        assert client.cookies["sessionid"].value != session_before
        assert client.get(reverse("plans:list")).status_code == 200
        assert AuditEntry.objects.filter(action="accounts.mfa_enabled", actor=personas.coordinator).exists()

    def test_a_wrong_code_is_refused_and_logged(self, client, personas):
        log_in(client, "coordinator")
        client.get(reverse("accounts:mfa_setup"))
        key = client.session[SETUP_KEY]
        wrong = f"{(int(code_for(key)) + 1) % 1000000:06d}"
        page = client.post(reverse("accounts:mfa_setup"), {"token": wrong}).content.decode()
        assert "Mã không đúng" in page
        assert not TOTPDevice.objects.filter(user=personas.coordinator).exists()
        assert AuditEntry.objects.filter(action="accounts.mfa_failed").exists()

    def test_the_next_log_in_asks_for_the_code(self, client, personas):
        log_in(client, "coordinator")
        device = enable_mfa(client, "coordinator")
        client.post(reverse("accounts:logout"))
        log_in(client, "coordinator")
        response = client.get(reverse("plans:list"))
        assert response["Location"].startswith(reverse("accounts:mfa_verify"))
        page = client.post(reverse("accounts:mfa_verify"), {"token": "000000"}).content.decode()
        assert "không đúng" in page
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        response = client.post(
            reverse("accounts:mfa_verify"), {"token": code_for(device.key, 1), "next": reverse("plans:list")}
        )
        assert response.status_code == 302 and response["Location"] == reverse("plans:list")
        assert client.get(reverse("plans:list")).status_code == 200
        assert AuditEntry.objects.filter(action="accounts.mfa_verified").exists()

    def test_a_code_cannot_be_used_twice(self, client, personas):
        log_in(client, "coordinator")
        device = enable_mfa(client, "coordinator")
        client.post(reverse("accounts:logout"))
        log_in(client, "coordinator")
        # Replaying the code that enabled the device is refused (django-otp keeps the last step used).
        response = client.post(reverse("accounts:mfa_verify"), {"token": device.enabling_token})
        assert response.status_code == 200 and "không đúng" in response.content.decode()

    def test_they_cannot_turn_it_off(self, client, personas):
        log_in(client, "coordinator")
        enable_mfa(client, "coordinator")
        client.post(reverse("accounts:mfa_remove"))
        assert TOTPDevice.objects.filter(user=personas.coordinator).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("mfa_on")
class TestMfaForEveryone:
    def test_an_officer_is_not_forced(self, client, personas):
        log_in(client, "officer-a")
        assert client.get(reverse("plans:list")).status_code == 200

    def test_an_officer_may_turn_it_on_then_must_use_it(self, client, personas):
        log_in(client, "officer-a")
        enable_mfa(client, "officer-a")
        client.post(reverse("accounts:logout"))
        log_in(client, "officer-a")
        assert client.get(reverse("plans:list"))["Location"].startswith(reverse("accounts:mfa_verify"))

    def test_an_officer_may_turn_it_off(self, client, personas):
        log_in(client, "officer-a")
        enable_mfa(client, "officer-a")
        client.post(reverse("accounts:mfa_remove"))
        assert not TOTPDevice.objects.filter(user=personas.officer_a).exists()
        assert AuditEntry.objects.filter(action="accounts.mfa_removed").exists()

    def test_an_administrator_resets_a_lost_phone(self, client, personas):
        TOTPDevice.objects.create(user=personas.officer_a, name="cũ", confirmed=True)
        from cchc.accounts.actions import do_remove_mfa

        do_remove_mfa(personas.officer_a, actor=personas.admin)
        assert not TOTPDevice.objects.filter(user=personas.officer_a).exists()
        entry = AuditEntry.objects.get(action="accounts.mfa_removed")
        assert entry.actor == personas.admin and entry.details == {"by_self": False}
