"""The public page cache serves visitors who are not signed in, and nobody else."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from cchc.lib.pagecache import public_page_cache

CALLS: list[str] = []


@public_page_cache(60)
def page(request):
    CALLS.append(request.path)
    return HttpResponse(f"trang {len(CALLS)}")


@public_page_cache(60)
def form_page(request):
    CALLS.append(request.path)
    return HttpResponse(f"form {get_token(request)}")


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


def test_it_never_caches_a_form_token():
    first = form_page(anonymous()).content
    second = form_page(anonymous()).content
    assert first != second and len(CALLS) == 2


def test_the_home_page_is_served_from_the_cache(client, demo_plan, django_assert_num_queries):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
