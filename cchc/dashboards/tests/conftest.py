import pytest


@pytest.fixture(autouse=True)
def _empty_cache():
    """The public pages are cached for a minute: every test starts with nothing cached."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
