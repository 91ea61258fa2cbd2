"""The signed-in user and their second-factor device, read from the shared cache instead of two queries.

Every signed-in request loads its user (with their unit, which the header shows) and the device that passed the
second factor: two queries, plus the connection's health check, before the view runs. Under load that was most of
what a signed-in request cost beyond an anonymous one. Both now come from one cache entry per user.

Never stale, the way ``cchc.lib.figcache`` is: the entry holds the user's **generation**, a counter that every
change to the user, their unit or one of their devices moves *after it commits*. A reader reads the generation
before it reads the rows; whatever it reads, it stores with that generation, and the commit's bump moves every
later reader past it: an entry of another generation is read again from the database. So an administrator who
deactivates an account, changes a role, resets the second factor or renames a unit is obeyed from the next request
on, on every app server.

Inside a transaction nothing is read from or stored in the cache: its own uncommitted change would not be
seen, or a rolled-back one kept. The cache must be shared by every app server (Redis): it is used only when
``settings.CCHC_AUTH_CACHE`` is true, by default when Redis is configured. The device is kept without its secret
(``key``, deferred): the cache never holds what makes second-factor codes.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

GENERATION = "cchc:auth:gen:{}"
ENTRY = "cchc:auth:{}"
TIMEOUT = 15 * 60  # an idle user's entry is dropped; IDLE_TIMEOUT ends their session anyway


def in_use() -> bool:
    return bool(getattr(settings, "CCHC_AUTH_CACHE", False))


def enabled() -> bool:
    """The cache is read and written: it is in use, and no transaction is open."""
    return in_use() and not connections[DEFAULT_DB_ALIAS].in_atomic_block


def _bump_now(user_ids: frozenset) -> None:
    for user_id in user_ids:
        try:
            cache.incr(GENERATION.format(user_id))
        except ValueError:  # not in the cache (flushed, evicted): start again from the clock
            cache.set(GENERATION.format(user_id), time.time_ns(), timeout=None)


def bump(user_ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """These users' rows changed: their cached entries stop being read once the transaction commits."""
    if not in_use():
        return
    ids = frozenset(user_ids)
    if ids:
        transaction.on_commit(lambda: _bump_now(ids), using=using)


def user(user_id, fetch: Callable[[], object]):
    """The user ``fetch()`` loads, or the copy kept at the user's current generation (None: no such user).

    The generation and the entry are read in one round trip; the entry holds the generation it was read at, and
    one of another generation is read again from the database."""
    if not enabled():
        return fetch()
    generation_key, key = GENERATION.format(user_id), ENTRY.format(user_id)
    found = cache.get_many([generation_key, key])
    current = found.get(generation_key)
    if current is None:
        cache.add(generation_key, time.time_ns(), timeout=None)
        current = cache.get(generation_key)
    entry = found.get(key)
    if entry is None or entry["generation"] != current:
        entry = {"generation": current, "user": fetch(), "devices": {}, "facts": {}}
        cache.set(key, entry, TIMEOUT)
    kept = entry["user"]
    if kept is not None:
        # For device() and fact(), within this request: the entry's key, its generation, what it already holds.
        kept._cchc_auth = (key, current, entry["devices"], entry["facts"])
    return kept


def device(user, persistent_id: str, fetch: Callable[[], object]):
    """The device of this persistent id, kept in the user's entry without its secret."""
    kept = getattr(user, "_cchc_auth", None)
    if kept is None or not enabled():
        return fetch()
    key, current, devices, _facts = kept
    if persistent_id in devices:
        return devices[persistent_id]
    found = fetch()
    _add(key, current, "devices", persistent_id, _without_secret(found))
    return found


def fact(user, name: str, compute: Callable[[], object]):
    """A figure of the user's own, kept in their entry until their generation moves: the bell's count of unread
    notices (whatever sends or reads a notice bumps its users)."""
    kept = getattr(user, "_cchc_auth", None)
    if kept is None or not enabled():
        return compute()
    key, current, _devices, facts = kept
    if name not in facts:
        facts[name] = compute()
        _add(key, current, "facts", name, facts[name])
    return facts[name]


def _add(key: str, current: int, part: str, name: str, value) -> None:
    """Add to the user's entry, if it is still of the generation this request read."""
    entry = cache.get(key)
    if entry is not None and entry["generation"] == current:  # else it changed since: nothing to add to
        entry[part][name] = value
        cache.set(key, entry, TIMEOUT)


def _without_secret(device):
    """A copy of the device without its key (deferred: read from the database if ever asked for)."""
    if device is None:
        return None
    kept = copy.copy(device)
    kept.__dict__.pop("key", None)
    return kept
