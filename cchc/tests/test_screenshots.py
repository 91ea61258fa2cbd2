"""The tests' screenshots are evidence for a person, never the check: a capture that fails warns."""

from __future__ import annotations

import pytest

from cchc import browser


class _Page:
    """Stands in for a Playwright page whose capture fails ``failures`` times."""

    def __init__(self, failures: int):
        self.failures, self.calls, self.waits = failures, [], 0

    def screenshot(self, path: str, **options):
        self.calls.append((path, options))
        if len(self.calls) <= self.failures:
            raise RuntimeError("Protocol error (Page.captureScreenshot): Unable to capture screenshot")

    def wait_for_timeout(self, ms: int):
        self.waits += 1


def test_a_capture_that_fails_once_is_taken_again(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "ARTIFACTS", tmp_path)
    page = _Page(failures=1)
    path = browser.screenshot(page, "phone/home-360", full_page=False)
    assert path == tmp_path / "phone" / "home-360.png" and path.parent.is_dir()
    assert len(page.calls) == 2 and page.waits == 1 and page.calls[1][1] == {"full_page": False}


def test_a_capture_that_keeps_failing_warns_instead_of_failing_the_test(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "ARTIFACTS", tmp_path)
    page = _Page(failures=5)
    with pytest.warns(UserWarning, match="no screenshot home.png: .*Unable to capture"):
        browser.screenshot(page, "home")
    assert len(page.calls) == 2


def test_an_element_is_captured_by_its_locator(tmp_path, monkeypatch):
    monkeypatch.setattr(browser, "ARTIFACTS", tmp_path)
    page, element = _Page(failures=0), _Page(failures=0)
    browser.screenshot(page, "activity", locator=element)
    assert page.calls == [] and element.calls == [(str(tmp_path / "activity.png"), {})]
