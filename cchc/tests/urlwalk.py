"""Every URL pattern of the project, found by walking the resolver (django.urls.get_resolver())."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name" when named, else the route
    route: str  # the full route, e.g. "plans/<int:pk>/"
    name: str | None  # "namespace:name" or None
    callback: object
    converters: tuple[str, ...]  # the route's parameter names


def _route(p) -> str:
    return str(p.pattern)


def walk(patterns=None, prefix: str = "", namespace: str = "") -> list[Pattern]:
    found: list[Pattern] = []
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            found.extend(walk(p.url_patterns, prefix + _route(p), ns))
        elif isinstance(p, URLPattern):
            route = prefix + _route(p)
            name = f"{namespace}:{p.name}" if (p.name and namespace) else p.name
            found.append(
                Pattern(
                    key=name or route,
                    route=route,
                    name=name,
                    callback=p.callback,
                    converters=tuple(p.pattern.regex.groupindex),
                )
            )
    return found
