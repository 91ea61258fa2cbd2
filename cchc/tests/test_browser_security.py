"""In a real browser: the CSP blocks nothing the pages need, and a coordinator sets up MFA with the QR code."""

import time

import pytest
from django.conf import settings as live_settings
from django_otp.oath import TOTP

from cchc.browser import browser_page, log_in, screenshot
from cchc.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csp_violations(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_pages_run_under_the_csp_without_violations(live_server, personas, demo_plan):
    with browser_page() as page:
        violations = _csp_violations(page)
        page.goto(f"{live_server.url}/")
        log_in(page, live_server.url, "officer-a", PASSWORD)
        page.wait_for_url("**/home/")
        for path in [
            "/plans/",
            f"/plans/{demo_plan.pk}/",
            f"/plans/{demo_plan.pk}/activities/1/",
            "/units/",
            "/accounts/security/",
            "/privacy/incidents/report/",
            "/quyen-rieng-tu/",
        ]:
            page.goto(f"{live_server.url}{path}")
        page.goto(f"{live_server.url}/plans/{demo_plan.pk}/activities/1/")
        page.select_option("select[name=kind]", "commune_committee")  # htmx request under the CSP
        page.wait_for_url("**kind=commune_committee**")
        assert not violations, violations


def test_a_coordinator_must_set_up_mfa_and_can_scan_the_code(live_server, personas, settings):
    settings.MFA_ENFORCED = True
    assert live_settings.MFA_ENFORCED
    with browser_page() as page:
        violations = _csp_violations(page)
        log_in(page, live_server.url, "coordinator", PASSWORD)
        page.wait_for_url("**/accounts/security/mfa/setup/**")
        assert page.locator(".qr svg").count() == 1
        screenshot(page, "mfa-setup")
        secret = page.locator("code.secret").inner_text().strip()
        import base64

        key = base64.b32decode(secret)
        totp = TOTP(key)
        totp.time = time.time()
        page.fill("#id_token", f"{totp.token():06d}")
        page.click("button.primary")
        page.wait_for_url("**/home/")
        assert "Đã bật xác thực hai lớp" in page.content()
        assert not violations, violations
