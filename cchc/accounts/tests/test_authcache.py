"""The signed-in user and their device read from the shared cache (cchc.accounts.authcache): fewer queries on every
signed-in request, and every change an administrator makes obeyed from the next request on.

These tests commit (``transaction=True``): the cache is read only outside a transaction, and a change reaches it
when its transaction commits.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts import authcache
from cchc.accounts.actions import do_remove_mfa, do_set_user_active, do_update_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def auth_cache(settings):
    settings.CCHC_AUTH_CACHE = True
    cache.clear()
    yield
    cache.clear()


def sign_in_with_device(client, user) -> TOTPDevice:
    """Signed in and past the second factor, as after the verification page."""
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Điện thoại", key="31" * 20, confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


def tables_read(client, url) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.get("Location")
    return " ".join(q["sql"] for q in queries.captured_queries)


@pytest.mark.usefixtures("auth_cache")
class TestCachedUser:
    def test_the_second_request_reads_neither_the_user_nor_the_device(self, client, personas, settings):
        settings.MFA_ENFORCED = True
        sign_in_with_device(client, personas.coordinator)
        first = tables_read(client, reverse("accounts:security"))
        assert 'FROM "accounts_user"' in first and "otp_totp_totpdevice" in first
        second = tables_read(client, reverse("plans:list"))
        assert 'FROM "accounts_user"' not in second
        assert "otp_totp_totpdevice" not in second

    def test_the_cache_never_holds_the_second_factors_secret(self, client, personas, settings):
        settings.MFA_ENFORCED = True
        device = sign_in_with_device(client, personas.coordinator)
        client.get(reverse("plans:list"))
        entry = cache.get(authcache.ENTRY.format(personas.coordinator.pk))
        kept = entry["devices"][device.persistent_id]
        assert kept.pk == device.pk and "key" not in kept.__dict__
        assert kept.key == device.key  # deferred: read from the database if ever asked for

    def test_a_disabled_account_is_signed_out_at_its_next_request(self, client, personas):
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:list")).status_code == 200  # now in the cache
        officer = personas.officer_a
        officer.refresh_from_db()
        do_set_user_active(officer, False, expected_version=officer.version, actor=personas.admin)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))

    def test_a_new_role_applies_at_the_next_request(self, client, personas):
        client.force_login(personas.coordinator)
        assert client.get(reverse("audit:list")).status_code == 200  # the coordinator reads the audit log
        coordinator = personas.coordinator
        coordinator.refresh_from_db()
        do_update_user(
            coordinator,
            {"role": "officer", "unit": personas.units.commune_a},
            expected_version=coordinator.version,
            actor=personas.admin,
        )
        assert client.get(reverse("audit:list")).status_code == 403

    def test_a_removed_second_factor_is_asked_for_again(self, client, personas, settings):
        settings.MFA_ENFORCED = True
        sign_in_with_device(client, personas.coordinator)
        assert client.get(reverse("plans:list")).status_code == 200
        do_remove_mfa(personas.coordinator, actor=personas.admin)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_setup"))

    def test_a_renamed_unit_shows_in_the_header_at_the_next_request(self, client, personas):
        client.force_login(personas.officer_a)
        assert "Xã Ia A" not in client.get(reverse("plans:list")).content.decode()
        unit = personas.units.commune_a
        unit.name = unit.short_name = "Xã Ia A"
        unit.save()
        assert "Xã Ia A" in client.get(reverse("plans:list")).content.decode()

    def test_a_password_changed_elsewhere_ends_this_session(self, client, personas):
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:list")).status_code == 200
        officer = personas.officer_a
        officer.refresh_from_db()
        officer.set_password("another-password-456")
        officer.save()
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_without_the_setting_every_request_reads_the_user(client, personas, settings):
    settings.CCHC_AUTH_CACHE = False
    client.force_login(personas.officer_a)
    client.get(reverse("plans:list"))
    assert 'FROM "accounts_user"' in tables_read(client, reverse("plans:list"))


@pytest.mark.usefixtures("auth_cache")
def test_a_user_without_a_second_factor_is_not_looked_up_again_and_a_new_one_is_asked_for(client, personas, settings):
    settings.MFA_ENFORCED = True
    client.force_login(personas.officer_a)  # an officer needs no second factor
    client.get(reverse("plans:list"))
    assert "otp_" not in tables_read(client, reverse("plans:list"))  # "has no device" kept with the user
    TOTPDevice.objects.create(user=personas.officer_a, name="Điện thoại", key="31" * 20, confirmed=True)
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_verify"))
