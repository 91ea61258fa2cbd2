"""cchc.lib.ratelimit: per-address buckets, IPv6 by /64 (finding 8 of issue 15)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from cchc.lib.ratelimit import bucket, hit


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


class TestBuckets:
    def test_every_address_of_an_ipv6_64_shares_one_bucket(self):
        rate = (3, 3600)
        decisions = [hit("t", f"2001:db8:1:2::{n:x}", rate, now=1000) for n in range(1, 5)]
        assert [d.allowed for d in decisions] == [True, True, True, False]

    def test_another_64_has_its_own_bucket(self):
        rate = (1, 3600)
        assert hit("t", "2001:db8:1:2::1", rate, now=1000).allowed
        assert hit("t", "2001:db8:1:3::1", rate, now=1000).allowed

    def test_ipv4_addresses_and_mapped_ones_count_alone(self):
        assert bucket("203.0.113.5") == "203.0.113.5"
        assert bucket("::ffff:203.0.113.5") == "203.0.113.5"
        assert bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "2001:db8:1:2::/64"
        assert bucket("client:7") == "client:7"
