"""Which content topics (plan section II) a result's title speaks of: an accent-insensitive word match.

The officer still decides: the suggestion only ticks the boxes on the form, to be confirmed or changed. The match
works on pairs of consecutive syllables ("dịch vụ", "một cửa", "chuyển đổi số" → "chuyen doi", "doi so"), since a
single Vietnamese syllable ("công", "hành") says little; the pairs every topic shares ("tuyên truyền", "cải cách
hành chính") are ignored. No database: callers pass the topics.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from cchc.lib.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Pairs every topic (and most titles) contain: they tell no topic from another.
COMMON = frozenset(
    {
        "tuyen truyen",
        "cai cach",
        "cach hanh",
        "hanh chinh",
        "nha nuoc",
        "co quan",
        "don vi",
        "dia phuong",
        "cac co",
        "cua tinh",
        "tinh gia",
        "gia lai",
        "thuc hien",
        "trien khai",
        "tinh hinh",
        "ket qua",
        "pho bien",
    }
)


def pairs(text: str) -> set[str]:
    words = _WORD.findall(fold(text))
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)} - COMMON


def topic_pairs(topic) -> set[str]:
    return pairs(" ".join([topic.text, *[str(i) for i in topic.items or []]]))


def score(title: str, keys: set[str]) -> int:
    return len(pairs(title) & keys)


def suggest(title: str, topics: Iterable, *, limit: int = 2) -> list:
    """The topics whose words the title shares most (at least one pair), best first, at most ``limit``."""
    scored = [(score(title, topic_pairs(t)), i, t) for i, t in enumerate(topics)]
    scored = [row for row in scored if row[0] > 0]
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [t for _score, _i, t in scored[:limit]]


def best_item(title: str, items: Sequence[str]) -> int | None:
    """The index of the topic item (its bullet) the title matches best, or None."""
    return best_of(pairs(title), [pairs(str(item)) for item in items])


def best_of(keys: set[str], item_keys: Sequence[set[str]]) -> int | None:
    """``best_item`` over pairs already made: a title's, and each item's (made once for a table of results)."""
    best, found = 0, None
    for i, candidate in enumerate(item_keys):
        n = len(keys & candidate)
        if n > best:
            best, found = n, i
    return found
