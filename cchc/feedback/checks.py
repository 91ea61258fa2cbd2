"""A deployment check: the feedback rate limits count in Django's cache, which must be shared by all processes."""

from django.conf import settings
from django.core.checks import Warning, register


@register("cchc", deploy=True)
def rate_limit_cache(app_configs=None, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The feedback rate limits count in a per-process cache: with several server processes each allows "
                "the full limit.",
                hint="Set REDIS_URL so every app server shares one cache.",
                id="cchc.W001",
            )
        ]
    return []
