"""The public page cache serves visitors who are not signed in, and nobody else."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cchc.lib.pagecache import public_page_cache

CALLS: list[str] = []


@public_page_cache(60)
def page(request):
    CALLS.append(request.path)
    return HttpResponse(f"trang {len(CALLS)}")


@pytest.fixture(autouse=True)
def _clear():
    from django.core.cache import cache

    cache.clear()
    CALLS.clear()


def anonymous(path="/", **extra):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(path, **extra)
    request.user = AnonymousUser()
    return request


def test_it_serves_visitors_from_the_cache():
    first, second = page(anonymous()), page(anonymous())
    assert first.content == second.content == b"trang 1" and CALLS == ["/"]
    assert page(anonymous("/?page=2")).content == b"trang 2"


def test_it_never_caches_for_signed_in_users(personas):
    page(anonymous())
    request = RequestFactory().get("/")
    request.user = personas.officer_a
    assert page(request).content == b"trang 2"
    assert page(request).content == b"trang 3"


def test_it_lets_a_visitor_with_a_message_see_it():
    page(anonymous())
    request = anonymous()
    request.COOKIES["messages"] = "x"
    assert page(request).content == b"trang 2"


def test_it_gives_each_visitor_their_own_form_token(client, demo_plan):
    from django.test import Client

    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert "__cchc_csrf_token__" not in page and "csrftoken" in visitor.cookies
        # The token works with this visitor's own cookie: the language switch accepts it.
        response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
        assert response.status_code == 302
        tokens.append(token)
    assert tokens[0] != tokens[1]
    other = Client(enforce_csrf_checks=True)
    other.get("/")
    assert other.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": tokens[0]}).status_code == 403


def test_the_home_page_is_served_from_the_cache(client, demo_plan, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
