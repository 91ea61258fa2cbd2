"""The province administrator manages accounts in Chromium (issue 14, item 5): finds an account by unit, creates
one for a commune found with the search box, hands over the temporary password, disables an account; the new user
is made to choose their own password at first log-in. Screenshots in test-artifacts/users-*.png."""

import re

import pytest

from cchc.accounts.models import Role, User
from cchc.browser import browser_page, log_in, screenshot, wait_until
from cchc.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def province_admin(personas):
    return make_user("qtv-tinh", role=Role.ADMIN, unit=personas.units.noi_vu, full_name="Quản trị tỉnh")


def test_the_administrator_creates_an_account_for_a_commune_and_disables_another(live_server, province_admin):
    url = live_server.url
    with browser_page() as page:
        log_in(page, url, "qtv-tinh", PASSWORD)
        page.wait_for_url("**/home/")
        page.click("nav li.more summary")  # the rarer pages sit under "Thêm"
        page.click("nav >> text=Người dùng")
        page.wait_for_url("**/accounts/users/")
        assert page.locator("#user-rows tbody tr").count() == User.objects.count()
        screenshot(page, "users-list")

        # The list filters as the administrator types, without accents.
        page.fill("#user-q", "ia kha")
        wait_until(page, "!document.querySelector('#user-rows').innerText.includes('officer-b')")
        rows = page.inner_text("#user-rows")
        assert "officer-a" in rows and "head-a" in rows and "2 tài khoản" in rows
        screenshot(page, "users-list-search")

        # A new account: the unit is found by typing part of its name, not picked from a list of 300.
        page.click("text=Tạo tài khoản")
        page.wait_for_url("**/accounts/users/new/")
        page.fill("#id_username", "canbo.ialy")
        page.fill("#id_full_name", "Rơ Châm H'Bia")
        page.select_option("#id_role", Role.OFFICER)
        page.fill("#unit-q", "ia ly")
        page.locator("#unit-choices input[value='xa-2']").wait_for()
        assert "UBND huyện Chư Păh" in page.inner_text("#unit-choices")  # the commune with its district
        page.check("#unit-choices input[value='xa-2']")
        screenshot(page, "users-create-unit-search")
        page.click("form.user-form button.primary")
        password = page.inner_text("[data-temporary-password]").strip()
        assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
        screenshot(page, "users-temporary-password")
        created = User.objects.get(username="canbo.ialy")
        assert created.unit.code == "xa-2" and created.must_change_password

        # Disabling another account, from its page.
        officer_b = User.objects.get(username="officer-b")
        page.goto(f"{url}/accounts/users/{officer_b.pk}/")
        page.click("text=Khóa tài khoản")
        page.wait_for_url(f"**/accounts/users/{officer_b.pk}/")
        assert "Đã khóa tài khoản officer-b" in page.inner_text(".messages")
        assert "Khóa tài khoản người dùng" in page.inner_text("#history-title + ul")
        screenshot(page, "users-account-disabled")
        assert not User.objects.get(pk=officer_b.pk).is_active

    with browser_page() as page:
        log_in(page, url, "canbo.ialy", password)
        page.wait_for_url("**/accounts/security/password/**")
        assert "mật khẩu tạm" in page.inner_text(".messages")
        screenshot(page, "users-first-login-change-password")
        page.fill("#id_old_password", password)
        page.fill("#id_new_password1", "mua xuan tren cao nguyen ia ly 2026")
        page.fill("#id_new_password2", "mua xuan tren cao nguyen ia ly 2026")
        page.click("main button[type=submit]")
        page.wait_for_url("**/accounts/security/")
        page.goto(f"{url}/my-work/")
        assert "/accounts/security/password/" not in page.url
        assert not User.objects.get(username="canbo.ialy").must_change_password


def test_the_user_list_reads_on_a_phone(live_server, province_admin):
    with browser_page(viewport=(390, 844)) as page:
        log_in(page, live_server.url, "qtv-tinh", PASSWORD)
        page.wait_for_url("**/home/")
        page.goto(f"{live_server.url}/accounts/users/{User.objects.get(username='officer-a').pk}/")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the account page is {width}px wide on a 390px phone"
        screenshot(page, "users-account-phone")
