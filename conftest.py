"""Shared test setup: fast settings, and one persona per role (see cchc/testing.py)."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's async guard would
# otherwise refuse the database calls the browser tests make to set up their data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # LocMemCache keeps its data per process, across tests: start each test with an empty cache
    # (a page cached by one test must not answer another).
    from django.core.cache import cache

    cache.clear()
    settings.AXES_ENABLED = False
    # Like AXES_ENABLED: tests that use force_login would otherwise meet the second-factor step first.
    # The MFA tests (cchc/accounts/tests/test_mfa.py) turn it back on.
    settings.MFA_ENFORCED = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def personas(db):
    from cchc.testing import make_personas

    return make_personas()


@pytest.fixture
def demo_plan(personas):
    from cchc.testing import make_small_plan

    return make_small_plan(personas)
