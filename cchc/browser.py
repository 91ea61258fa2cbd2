"""Playwright on the system Chromium, for the browser tests of every app."""

from __future__ import annotations

import asyncio
import os
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

# Debian's Chromium, in its lighter "old headless" build when that is installed (``chromium-headless-shell``,
# the same version from the same source, without the browser's window and its compositing: the browser tests take
# a quarter less time). It is the build Playwright itself drives for headless runs; CCHC_CHROMIUM chooses another.
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
CHROMIUM = os.environ.get("CCHC_CHROMIUM") or (HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def require_chromium() -> None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-headless-shell)")


# One Chromium per test process, started on first use: launching the Playwright driver and the browser
# costs a second or more, each test only needs a page of its own. Every ``browser_page()`` opens a new
# browser context, which Chromium keeps apart like a fresh profile (cookies, storage, HTTP cache), so a
# test still starts as a first visit.
_shared = SimpleNamespace(playwright=None, browser=None, loop=None, pages_open=0)


def _shared_browser():
    if _shared.browser is not None and _shared.browser.is_connected():
        asyncio._set_running_loop(_shared.loop)
        return _shared.browser
    if _shared.playwright is None:
        from playwright.sync_api import sync_playwright

        _shared.playwright = sync_playwright().start()
        _shared.loop = asyncio.get_running_loop()
    else:
        asyncio._set_running_loop(_shared.loop)
    _shared.browser = _shared.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
    return _shared.browser


def _leave_playwright() -> None:
    """Playwright's sync API marks its event loop as running in this thread while it is in use; outside a
    ``browser_page()`` the tests see no running loop, as they would with no browser started (Django's
    ``async_to_sync`` refuses to run under one)."""
    _shared.pages_open -= 1
    if _shared.pages_open == 0:
        asyncio._set_running_loop(None)


def close_shared_browser() -> None:
    """At the end of the test process (conftest.py's ``pytest_sessionfinish``)."""
    if _shared.playwright is None:
        return
    asyncio._set_running_loop(_shared.loop)
    try:
        if _shared.browser is not None and _shared.browser.is_connected():
            _shared.browser.close()
    finally:
        _shared.playwright.stop()
        _shared.playwright = _shared.browser = _shared.loop = None


@contextmanager
def browser_page(viewport=(1280, 900)):
    require_chromium()
    _shared.pages_open += 1
    try:
        context = _shared_browser().new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="vi-VN")
        try:
            page = context.new_page()
            page.set_default_timeout(15000)
            yield page
        finally:
            try:
                context.close()
            except Exception:  # noqa: BLE001 - a crashed browser: the next test launches another
                _shared.browser = None
    finally:
        _leave_playwright()


def screenshot(page, name: str, *, full_page: bool = True, locator=None) -> Path:
    """Keep a picture of the page (or of one element) in ``test-artifacts/`` for a person to look at.

    A screenshot is evidence, never the check itself: headless Chromium now and then answers
    "Unable to capture screenshot" under load (seen in CI on a 360 px page), so it is tried again
    once after a pause and then given up with a warning, without failing the test that asserted
    what matters before it.
    """
    path = ARTIFACTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    target = locator if locator is not None else page
    options = {} if locator is not None else {"full_page": full_page}
    for attempt in (1, 2):
        try:
            target.screenshot(path=str(path), **options)
            break
        except Exception as error:  # noqa: BLE001 - playwright's Error: the capture failed, the page did not
            if attempt == 2:
                warnings.warn(f"no screenshot {path.name}: {error}", stacklevel=2)
            else:
                page.wait_for_timeout(500)
    return path


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def use_session(page, base_url: str, client) -> None:
    """Sign the browser in with the session of a Django test client (``Client.force_login``), for the walks
    over every page of a role: there the log-in form is not what is checked, and going through it cost half a
    second per role. The journeys of each persona still sign in with the form (``log_in``)."""
    from django.conf import settings

    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until a JavaScript expression is true in the page.

    Playwright's ``wait_for_function`` evaluates its string with ``eval`` inside the page, which the
    Content-Security-Policy (no 'unsafe-eval') refuses; ``page.evaluate`` goes through the DevTools
    protocol and is not subject to it, so poll with that instead.
    """
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => {{ try {{ return !!({expression}); }} catch (e) {{ return false; }} }}"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        page.wait_for_timeout(50)
