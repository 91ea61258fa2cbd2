import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import PasswordHistory
from cchc.accounts.passwords import weakness
from cchc.audit.models import AuditEntry
from cchc.testing import PASSWORD


def _refused(password, user=None) -> bool:
    try:
        validate_password(password, user)
    except ValidationError:
        return True
    return False


class TestPasswordRules:
    @pytest.mark.parametrize(
        "password",
        [
            "matkhau123",
            "123456789",
            "Matkhau@2024",
            "mật khẩu 123456",
            "gialai2024!!",
            "@@caicachhanhchinh2025",
            "123456789012",
            "qwertyuiop12",
            "aaaaaaaaaaaa",
            "abababababab",
            "anhyeuem1234",
            "Password1234",
        ],
    )
    def test_it_refuses_common_and_guessable_passwords(self, password, db):
        assert _refused(password)

    def test_it_needs_twelve_characters(self, db):
        assert _refused("tre con 8x")  # 10 characters, otherwise fine
        assert not _refused("tre con ăn kem")

    @pytest.mark.parametrize("password", ["ngựa vằn uống trà đá", "correct horse battery", "Xe đạp 3 bánh màu lam"])
    def test_it_accepts_long_passphrases_without_composition_rules(self, password, db):
        assert not _refused(password)

    def test_the_blocklist_folds_accents_and_strips_digits_around_a_word(self):
        assert weakness("Mật Khẩu") == "common"
        assert weakness("2024matkhau!!") == "common"
        assert weakness("matkhau của tôi là bí mật") is None


@pytest.mark.django_db
class TestPasswordHistory:
    def test_it_refuses_the_last_ten_passwords(self, personas, settings):
        user = personas.officer_a
        used = [f"cau mat khau so {n:02d} dai" for n in range(11)]
        for password in used:
            user.set_password(password)
            user.save()
        assert PasswordHistory.objects.filter(user=user).count() == settings.PASSWORD_HISTORY_COUNT
        for password in used[-10:]:
            assert _refused(password, user), password
        assert not _refused(used[0], user)  # the eleventh back is allowed again

    def test_it_refuses_the_current_password_for_an_account_without_history(self, personas):
        user = personas.officer_a
        PasswordHistory.objects.filter(user=user).delete()
        assert _refused(PASSWORD, user)

    def test_a_hash_upgrade_at_log_in_is_not_a_new_password(self, personas):
        user = personas.officer_a
        before = user.password_changed_at
        user.set_password(PASSWORD)
        user._password = None  # what check_password's setter does before saving the upgraded hash
        user.save(update_fields=["password"])
        user.refresh_from_db()
        assert user.password_changed_at == before

    def test_changing_a_password_is_audited_without_the_password(self, client, personas):
        client.force_login(personas.officer_a)
        response = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "ba con mèo trèo cây cau",
                "new_password2": "ba con mèo trèo cây cau",
            },
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.get(action="accounts.password_changed")
        assert entry.actor == personas.officer_a and "cau" not in str(entry.details)

    def test_the_change_page_refuses_a_reused_password_in_vietnamese(self, client, personas):
        client.force_login(personas.officer_a)
        page = client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": PASSWORD,
                "new_password2": PASSWORD,
            },
        ).content.decode()
        assert "đã được dùng gần đây" in page


@pytest.mark.django_db
class TestAdministratorPasswordExpiry:
    def _age(self, user, days):
        type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=days))

    def test_an_administrator_with_a_61_day_old_password_must_change_it(self, client, personas):
        self._age(personas.admin, 61)
        client.force_login(personas.admin)
        response = client.get(reverse("plans:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password_change"))
        assert client.get(reverse("accounts:password_change")).status_code == 200

    def test_a_59_day_old_administrator_password_is_fine(self, client, personas):
        self._age(personas.admin, 59)
        client.force_login(personas.admin)
        assert client.get(reverse("plans:list")).status_code == 200

    def test_other_roles_passwords_do_not_expire(self, client, personas):
        self._age(personas.officer_a, 400)
        client.force_login(personas.officer_a)
        assert client.get(reverse("plans:list")).status_code == 200

    def test_a_new_password_lifts_the_block(self, client, personas):
        self._age(personas.admin, 90)
        client.force_login(personas.admin)
        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "cây đa giếng nước sân đình",
                "new_password2": "cây đa giếng nước sân đình",
            },
        )
        assert client.get(reverse("plans:list")).status_code == 200
