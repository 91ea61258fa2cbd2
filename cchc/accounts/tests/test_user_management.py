"""The province administrator's user management on cchc's own screens (issue 14, item 5): every change is an
audited action under the account's version; refused roles are in the URL × role matrix (tests/access.py)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts import actions
from cchc.accounts.models import Role, User
from cchc.audit.models import AuditEntry
from cchc.audit.registry import is_known
from cchc.lib.versioning import StaleEdit
from cchc.testing import make_unit, make_user


@pytest.fixture
def province_admin(personas):
    """The province's administrator: role admin, not an IT superuser."""
    return make_user("qtv-tinh", role=Role.ADMIN, unit=personas.units.noi_vu, email="qtv@gialai.gov.vn")


def _rows(action: str, user: User) -> int:
    return AuditEntry.objects.filter(action=action, object_type="accounts.user", object_id=str(user.pk)).count()


@pytest.mark.django_db
class TestActions:
    def test_it_creates_an_account_with_a_temporary_password(self, personas, province_admin):
        user, password = actions.do_create_user(
            {
                "username": "cb.iakha",
                "full_name": "Nguyễn Văn An",
                "role": Role.OFFICER,
                "unit": personas.units.commune_a,
            },
            actor=province_admin,
        )
        assert user.check_password(password) and user.must_change_password and user.unit == personas.units.commune_a
        assert len(password) == 14 and _rows("accounts.user_created", user) == 1
        assert not AuditEntry.objects.filter(action="accounts.password_changed", object_id=str(user.pk)).exists()

    def test_every_action_name_is_in_the_audit_registry(self):
        for name in ("user_created", "user_updated", "password_reset", "user_disabled", "user_enabled"):
            assert is_known(f"accounts.{name}")

    def test_a_scoped_role_needs_a_unit(self, province_admin):
        with pytest.raises(ValidationError):
            actions.do_create_user({"username": "x", "full_name": "X", "role": Role.OFFICER}, actor=province_admin)
        assert not User.objects.filter(username="x").exists()

    def test_a_reset_sets_a_temporary_password_once_audited(self, personas, province_admin):
        officer = personas.officer_a
        password = actions.do_reset_password(officer, expected_version=officer.version, actor=province_admin)
        officer.refresh_from_db()
        assert officer.check_password(password) and officer.must_change_password and officer.version == 2
        assert _rows("accounts.password_reset", officer) == 1
        assert not AuditEntry.objects.filter(action="accounts.password_changed", object_id=str(officer.pk)).exists()

    def test_changing_the_password_ends_the_obligation(self, personas, province_admin):
        officer = personas.officer_a
        actions.do_reset_password(officer, expected_version=officer.version, actor=province_admin)
        officer.refresh_from_db()
        officer.set_password("mot cau rat dai chi minh biet 2026")
        officer.save()
        officer.refresh_from_db()
        assert not officer.must_change_password

    def test_a_stale_page_does_not_overwrite_a_colleagues_change(self, personas, province_admin):
        officer = personas.officer_a
        loaded = officer.version
        actions.do_update_user(officer, {"full_name": "Trần Thị B"}, expected_version=loaded, actor=province_admin)
        with pytest.raises(StaleEdit) as stale:
            actions.do_update_user(
                User.objects.get(pk=officer.pk), {"full_name": "Lê C"}, expected_version=loaded, actor=province_admin
            )
        assert "qtv-tinh" in stale.value.messages[0]
        assert User.objects.get(pk=officer.pk).full_name == "Trần Thị B"
        with pytest.raises(StaleEdit):
            actions.do_set_user_active(officer, False, expected_version=loaded, actor=province_admin)
        assert User.objects.get(pk=officer.pk).is_active

    def test_disable_and_enable_are_audited(self, personas, province_admin):
        officer = personas.officer_a
        actions.do_set_user_active(officer, False, expected_version=officer.version, actor=province_admin)
        assert not User.objects.get(pk=officer.pk).is_active and _rows("accounts.user_disabled", officer) == 1
        actions.do_set_user_active(officer, True, expected_version=officer.version, actor=province_admin)
        assert User.objects.get(pk=officer.pk).is_active and _rows("accounts.user_enabled", officer) == 1

    def test_the_administrator_cannot_lock_themselves_out(self, province_admin):
        with pytest.raises(ValidationError):
            actions.do_set_user_active(province_admin, False, expected_version=1, actor=province_admin)
        with pytest.raises(ValidationError):
            actions.do_update_user(province_admin, {"role": Role.OBSERVER}, expected_version=1, actor=province_admin)
        assert User.objects.get(pk=province_admin.pk).role == Role.ADMIN

    def test_it_cannot_touch_it_superusers_nor_be_called_by_others(self, personas, province_admin):
        with pytest.raises(PermissionDenied):
            actions.do_reset_password(personas.admin, expected_version=1, actor=province_admin)
        with pytest.raises(PermissionDenied):
            actions.do_reset_password(personas.officer_b, expected_version=1, actor=personas.coordinator)

    def test_removing_the_second_factor_is_checked_and_audited(self, personas, province_admin):
        coordinator = personas.coordinator
        TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
        actions.do_remove_mfa(coordinator, expected_version=coordinator.version, actor=province_admin)
        assert not TOTPDevice.objects.filter(user=coordinator).exists()
        assert _rows("accounts.mfa_removed", coordinator) == 1


@pytest.mark.django_db
class TestScreens:
    @pytest.fixture
    def client(self, province_admin):
        client = Client()
        client.force_login(province_admin)
        return client

    def test_the_list_searches_by_unit_without_accents(self, client, personas, django_assert_max_num_queries):
        with django_assert_max_num_queries(12):
            page = client.get(reverse("accounts:users"), {"q": "ia kha"}).content.decode()
        assert "officer-a" in page and "head-a" in page and "officer-b" not in page
        assert "Quản lý người dùng" in page

    def test_the_list_costs_the_same_queries_for_more_users(self, client, personas, django_assert_max_num_queries):
        for n in range(30):
            make_user(f"them-{n}", unit=make_unit())
        with django_assert_max_num_queries(12):
            client.get(reverse("accounts:users"))

    def test_it_creates_an_account_and_shows_the_temporary_password_once(self, client, personas):
        response = client.post(
            reverse("accounts:user_create"),
            {"username": "cb.ialy", "full_name": "Phạm Thị D", "role": Role.OFFICER, "unit": "xa-2", "email": ""},
        )
        body = response.content.decode()
        user = User.objects.get(username="cb.ialy")
        assert response.status_code == 200 and user.unit == personas.units.commune_b and user.must_change_password
        assert "no-store" in response["Cache-Control"] and "data-temporary-password" in body

    def test_a_missing_unit_is_said_in_vietnamese(self, client):
        response = client.post(reverse("accounts:user_create"), {"username": "x1", "full_name": "X", "role": "head"})
        assert "hãy tìm và chọn đơn vị" in response.content.decode()
        assert not User.objects.filter(username="x1").exists()

    def test_the_unit_search_finds_units_without_accents(self, client, personas):
        page = client.get(reverse("accounts:user_unit_search"), {"unit_q": "ia ly"}).content.decode()
        assert 'value="xa-2"' in page and 'value="xa-1"' not in page and "UBND huyện Chư Păh" in page

    def test_the_search_button_works_without_javascript(self, client, personas):
        response = client.post(
            reverse("accounts:user_create"), {"username": "y", "full_name": "Y", "unit_q": "noi vu", "find_unit": "1"}
        )
        page = response.content.decode()
        assert 'value="so-noi-vu"' in page and not User.objects.filter(username="y").exists()
        assert "errorlist" not in page  # a search is not a failed submission

    def test_an_edit_saves_under_the_version(self, client, personas):
        officer = personas.officer_a
        data = {"full_name": "Tên mới", "role": Role.HEAD, "unit": "xa-1", "email": "a@x.vn", "version": 1}
        assert client.post(reverse("accounts:user_edit", args=[officer.pk]), data).status_code == 302
        officer.refresh_from_db()
        assert officer.role == Role.HEAD and officer.version == 2
        response = client.post(reverse("accounts:user_edit", args=[officer.pk]), {**data, "full_name": "Cũ"})
        assert response.status_code == 409 and "Tên mới" == User.objects.get(pk=officer.pk).full_name

    def test_the_account_page_offers_the_actions(self, client, personas):
        TOTPDevice.objects.create(user=personas.officer_a, name="app", confirmed=True)
        page = client.get(reverse("accounts:user_edit", args=[personas.officer_a.pk])).content.decode()
        for url in ("user_reset_password", "user_set_active", "user_remove_mfa"):
            assert reverse(f"accounts:{url}", args=[personas.officer_a.pk]) in page

    def test_a_reset_through_the_screen_shows_the_password(self, client, personas):
        officer = personas.officer_a
        response = client.post(reverse("accounts:user_reset_password", args=[officer.pk]), {"version": 1})
        assert response.status_code == 200 and "data-temporary-password" in response.content.decode()
        stale = client.post(reverse("accounts:user_reset_password", args=[officer.pk]), {"version": 1})
        assert stale.status_code == 302 and _rows("accounts.password_reset", officer) == 1

    def test_a_user_with_a_temporary_password_is_sent_to_change_it(self, personas, province_admin):
        officer = personas.officer_a
        password = actions.do_reset_password(officer, expected_version=1, actor=province_admin)
        client = Client()
        assert client.login(username="officer-a", password=password)
        response = client.get(reverse("plans:my_work"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:password_change"))

    def test_a_disabled_account_cannot_log_in(self, client, personas):
        officer = personas.officer_a
        client.post(reverse("accounts:user_set_active", args=[officer.pk]), {"version": 1, "active": "0"})
        assert not Client().login(username="officer-a", password="test-password-123")  # pragma: allowlist secret

    def test_the_menu_links_the_administrator_to_it(self, client, personas):
        assert reverse("accounts:users") in client.get(reverse("accounts:security")).content.decode()
        officer = Client()
        officer.force_login(personas.officer_a)
        assert reverse("accounts:users") not in officer.get(reverse("accounts:security")).content.decode()
