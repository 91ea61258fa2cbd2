"""Counting requests per client address in Django's cache, so the limit holds across processes.

A fixed window per (scope, key): ``cache.add`` starts the window and ``cache.incr`` counts in it. Both are
atomic in Redis (production, several app servers) and in the local-memory cache (one process, tests). A client
can at worst send twice the limit across a window boundary, which is acceptable for abuse protection.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets


IPV6_PREFIX = 64


def bucket(key: str) -> str:
    """The bucket an address counts in: an IPv4 address on its own; an IPv6 address by its /64 network,
    because one subscriber is given a whole /64 and could otherwise use a new address per request.
    Keys that are not addresses (a client id) are their own bucket."""
    try:
        address = ipaddress.ip_address(key)
    except ValueError:
        return key
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


def hit(scope: str, key: str, rate: tuple[int, int], *, now: float | None = None) -> RateDecision:
    """Count one request of ``key`` (an address, see ``bucket``) in ``scope`` and say whether it is within ``rate``."""
    limit, period = rate
    key = bucket(key)
    now = time.time() if now is None else now
    window = int(now // period)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]  # no raw addresses in cache keys
    cache_key = f"cchc:rl:{scope}:{period}:{digest}:{window}"
    if cache.add(cache_key, 1, timeout=period + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: this request opens the next window
            cache.add(cache_key, 1, timeout=period + 5)
            count = 1
    retry_after = max(1, int(period - (now % period)))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)
