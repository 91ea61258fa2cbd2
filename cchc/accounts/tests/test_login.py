import pytest
from django.urls import reverse

from cchc.accounts.models import Role, User
from cchc.testing import PASSWORD


@pytest.mark.django_db
class TestLogin:
    def test_it_logs_in_and_lands_on_my_work(self, client, personas):
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("dashboards:home")

    def test_it_explains_a_wrong_password_in_vietnamese(self, client, personas):
        page = client.post(reverse("accounts:login"), {"username": "officer-a", "password": "x"}).content.decode()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page

    def test_it_changes_the_session_key_at_log_in(self, client, personas):
        client.get(reverse("accounts:login"))
        session = client.session
        session["x"] = 1
        session.save()
        before = client.cookies["sessionid"].value
        client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert client.cookies["sessionid"].value != before

    def test_it_locks_out_after_five_failures(self, client, personas, settings):
        settings.AXES_ENABLED = True
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": "officer-a", "password": "bad"})
        response = client.post(reverse("accounts:login"), {"username": "officer-a", "password": PASSWORD})
        assert response.status_code == 429
        assert "Tạm khóa đăng nhập" in response.content.decode()

    def test_passwords_are_hashed_with_argon2_in_production_settings(self):
        from django.conf import settings as live

        assert "Argon2" in live.PASSWORD_HASHERS[0] or "MD5" in live.PASSWORD_HASHERS[0]
        from cchc import settings as module

        assert module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")

    def test_scoped_roles_need_a_unit(self, db):
        from django.db import IntegrityError

        with pytest.raises(IntegrityError):
            User.objects.create(username="lost", role=Role.OFFICER, unit=None)


@pytest.mark.django_db
class TestLockOutBehindAProxy:
    """Finding 1 (issue 15): behind nginx, REMOTE_ADDR is the proxy's; the lock-out must key on the client."""

    def _post(self, client, password, address):
        return client.post(
            reverse("accounts:login"),
            {"username": "officer-a", "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    def test_it_locks_only_the_client_that_failed_not_the_account_for_everyone(self, client, personas, settings):
        settings.AXES_ENABLED = True
        settings.TRUSTED_PROXY_COUNT = 1
        for _ in range(5):
            self._post(client, "bad", "203.0.113.5")
        assert self._post(client, PASSWORD, "203.0.113.5").status_code == 429
        other = self._post(client, PASSWORD, "198.51.100.7")
        assert other.status_code == 302 and other["Location"] == reverse("dashboards:home")

    def test_it_ignores_a_forwarded_address_the_client_wrote_itself(self, client, personas, settings):
        settings.AXES_ENABLED = True
        settings.TRUSTED_PROXY_COUNT = 1
        # The client prepends an address of its own: the lock still falls on the address nginx appended.
        for n in range(5):
            self._post(client, "bad", f"192.0.2.{n}, 203.0.113.5")
        assert self._post(client, PASSWORD, "203.0.113.5").status_code == 429
