"""Proof of work for public forms: the browser spends a fraction of a second finding a number, which costs a
script sending thousands of submissions real computing time. Works offline (no external service), needs no
image and no state on the server: the challenge is signed, bound to the form's one-time token, and expires.

The browser (``static/cchc/pow.js``) finds ``solution`` such that SHA-256 of ``"<challenge>:<solution>"``
starts with ``bits`` zero bits. Without JavaScript, or for a person who prefers it, the spoken-word sum
(``cchc.lib.captcha``) stays the accessible fallback: a form passes with either.
"""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

SALT = "cchc.pow.v1"
MAX_SOLUTION_LENGTH = 20


def new_challenge(bound_to: str, bits: int) -> str:
    """A signed challenge for the form whose one-time token is ``bound_to``."""
    return signing.dumps({"b": bound_to, "n": secrets.token_hex(8), "d": int(bits)}, salt=SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        return count + 8 - byte.bit_length()
    return count


def solved(challenge: str, solution: str, *, bound_to: str, max_age: int) -> bool:
    """Whether ``solution`` solves ``challenge``, which is ours, unexpired and bound to this form."""
    if not challenge or not solution or len(solution) > MAX_SOLUTION_LENGTH or not solution.isascii():
        return False
    try:
        data = signing.loads(challenge, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return False
    if not isinstance(data, dict) or data.get("b") != bound_to or not isinstance(data.get("d"), int):
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode("ascii")).digest()
    return leading_zero_bits(digest) >= data["d"]


def solve(challenge: str) -> str:
    """What the browser does, for tests and API clients that want to show good faith."""
    bits = signing.loads(challenge, salt=SALT)["d"]
    n = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode("ascii")).digest()) < bits:
        n += 1
    return str(n)
